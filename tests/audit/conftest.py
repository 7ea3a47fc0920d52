"""The audit tests use the store tests' databases: a fresh SQLite file, or a PostgreSQL database."""

from tests.store.conftest import postgres_url, sqlite_url, store, url

__all__ = ["postgres_url", "sqlite_url", "store", "url"]  # postgres_server: tests/conftest.py
