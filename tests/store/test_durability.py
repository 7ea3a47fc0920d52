"""Durability and locking settings: WAL, synchronous=FULL, busy_timeout, foreign keys, BEGIN IMMEDIATE."""

from __future__ import annotations

import pytest

from netstore.store import EventStore
from netstore.store.backend import BUSY_TIMEOUT_MS, default_url, sqlite_settings
from tests.store import support


@pytest.mark.sqlite_only("SQLite's pragmas; PostgreSQL's durability: "
                         "test_postgresql_commits_wait_for_the_write_ahead_log")
def test_sqlite_pragmas(sqlite_url):
    with EventStore(sqlite_url) as store, store._db.read() as conn:
        settings = sqlite_settings(conn)
    assert settings == {"journal_mode": "wal", "synchronous": 2, "busy_timeout": BUSY_TIMEOUT_MS,
                        "foreign_keys": 1}


def test_postgresql_commits_wait_for_the_write_ahead_log(postgres_url):
    """An append is acknowledged only once its commit is flushed (the store never lowers synchronous_commit)."""
    with EventStore(postgres_url) as store, store._db.read() as conn:
        assert conn.exec_driver_sql("SHOW synchronous_commit").scalar() == "on"


@pytest.mark.sqlite_only("SQLite's BEGIN statements; PostgreSQL serialises a network's writers with an advisory "
                         "lock: test_parallel_writers.py and test_concurrency.py")
def test_writes_begin_immediate_and_reads_deferred(sqlite_url):
    statements: list[str] = []
    with EventStore(sqlite_url) as store:
        raw = store._db.conn.connection.dbapi_connection
        assert raw is not None
        raw.set_trace_callback(statements.append)  # what SQLite runs
        support.define(store, "n1")
        first_write = statements[0]
        statements.clear()
        store.load("n1")
    assert first_write == "BEGIN IMMEDIATE"
    assert statements[0] == "BEGIN DEFERRED"


@pytest.mark.sqlite_only("the default database is a SQLite file in the current directory")
def test_default_url(monkeypatch):
    monkeypatch.delenv("NETSTORE_DB", raising=False)
    assert default_url() == "sqlite:///netstore.db"


def test_netstore_db_names_the_database(monkeypatch):
    monkeypatch.setenv("NETSTORE_DB", "postgresql+psycopg://netstore@db.example/netstore")
    assert default_url() == "postgresql+psycopg://netstore@db.example/netstore"
