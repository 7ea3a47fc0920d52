"""Fixtures for the fleet tests: the store tests' databases (SQLite file, throwaway PostgreSQL).

``postgres_server`` comes from tests/conftest.py, for every package.
"""

from __future__ import annotations

from tests.store.conftest import sqlite_url, url

__all__ = ["sqlite_url", "url"]
