"""Fixtures for the fleet tests: the store tests' databases (SQLite file, throwaway PostgreSQL)."""

from __future__ import annotations

from tests.store.conftest import postgres_server, sqlite_url, url

__all__ = ["postgres_server", "sqlite_url", "url"]
