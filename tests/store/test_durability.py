"""Durability and locking settings: WAL, synchronous=FULL, busy_timeout, foreign keys, BEGIN IMMEDIATE."""

from __future__ import annotations

from netstore.store import EventStore
from netstore.store.backend import BUSY_TIMEOUT_MS, default_url, sqlite_settings
from tests.store import support


def test_sqlite_pragmas(sqlite_url):
    with EventStore(sqlite_url) as store, store._db.read() as conn:
        settings = sqlite_settings(conn)
    assert settings == {"journal_mode": "wal", "synchronous": 2, "busy_timeout": BUSY_TIMEOUT_MS,
                        "foreign_keys": 1}


def test_writes_begin_immediate_and_reads_deferred(sqlite_url):
    statements: list[str] = []
    with EventStore(sqlite_url) as store:
        store._db.conn.connection.dbapi_connection.set_trace_callback(statements.append)  # what SQLite runs
        support.define(store, "n1")
        first_write = statements[0]
        statements.clear()
        store.load("n1")
    assert first_write == "BEGIN IMMEDIATE"
    assert statements[0] == "BEGIN DEFERRED"


def test_default_url(monkeypatch):
    monkeypatch.delenv("NETSTORE_DB", raising=False)
    assert default_url() == "sqlite:///netstore.db"
    monkeypatch.setenv("NETSTORE_DB", "sqlite:////tmp/x.db")
    assert default_url() == "sqlite:////tmp/x.db"
