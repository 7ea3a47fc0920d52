"""The audit tests use the store tests' databases: a fresh SQLite file, or a PostgreSQL database."""

from tests.store.conftest import postgres_server, sqlite_url, store, url

__all__ = ["postgres_server", "sqlite_url", "store", "url"]
