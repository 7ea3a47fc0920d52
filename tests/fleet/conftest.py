"""Fixtures for the fleet tests: the SQLite file of the store tests (for a test of SQLite itself).

Databases for netstore come from ``db_url``/``new_db_url``; ``postgres_server`` (tests of
PostgreSQL's own notices and restarts) from tests/conftest.py, for every package.
"""

from __future__ import annotations

from tests.store.conftest import sqlite_url

__all__ = ["sqlite_url"]
