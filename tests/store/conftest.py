"""Fixtures for the store tests: a fresh database per test (SQLite file, or PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from netstore.store import EventStore


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'netstore.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, sqlite_url) -> Iterator[str]:
    """A fresh database of each backend (PostgreSQL: see tests/store/postgres.py; dropped afterwards)."""
    if request.param == "sqlite":
        yield sqlite_url
        return
    yield from _postgres_database(request.getfixturevalue("postgres_server"))


@pytest.fixture
def postgres_url(postgres_server) -> Iterator[str]:
    """A fresh PostgreSQL database (tests of what only PostgreSQL's parallel writers can do)."""
    yield from _postgres_database(postgres_server)


def _postgres_database(server) -> Iterator[str]:
    made = server.new_database()
    yield made
    server.drop_database(made)


@pytest.fixture
def store(url) -> Iterator[EventStore]:
    with EventStore(url) as opened:
        yield opened
