"""Fixtures for the store tests: a fresh database per test (SQLite file, or PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from netstore.store import EventStore


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'netstore.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, sqlite_url) -> str:
    """A fresh database of each backend (PostgreSQL: see tests/store/postgres.py)."""
    if request.param == "sqlite":
        return sqlite_url
    return request.getfixturevalue("postgres_server").new_database()


@pytest.fixture
def postgres_url(postgres_server) -> str:
    """A fresh PostgreSQL database (tests of what only PostgreSQL's parallel writers can do)."""
    return postgres_server.new_database()


@pytest.fixture
def store(url) -> Iterator[EventStore]:
    with EventStore(url) as opened:
        yield opened
