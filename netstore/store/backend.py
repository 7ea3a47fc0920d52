"""Database engines: URL defaults, SQLite pragmas and who emits ``BEGIN``.

SQLite (the embedded default) is opened with:

``journal_mode=WAL``
    readers never block the writer and the writer never blocks readers;
``synchronous=FULL``
    every commit fsyncs the WAL before it returns, so an acknowledged update
    survives an application crash *and* a power loss or OS crash;
``busy_timeout``
    a writer waits (up to :data:`BUSY_TIMEOUT_MS`) for another process's write
    transaction instead of failing;
``foreign_keys=ON``
    events and projection rows must belong to a registered network.

pysqlite's own transaction handling is switched off (``isolation_level=None``)
and :class:`netstore.store.txn.Database` emits the ``BEGIN`` itself as the first
statement of each transaction: ``BEGIN IMMEDIATE`` for write transactions (the
write lock is taken *before* the state is read, so every update is decided
against the state it is applied to) and ``BEGIN DEFERRED`` for reads.  (Not
from a ``begin`` event listener: any connection event listener makes
SQLAlchemy dispatch events around every statement.)  PostgreSQL uses the
driver's transactions; the append path takes a table lock there instead.
"""

from __future__ import annotations

import os
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, make_url

from netstore.errors import StoreError

DEFAULT_URL = "sqlite:///netstore.db"
URL_ENV = "NETSTORE_DB"
BUSY_TIMEOUT_MS = 60_000

SQLITE_PRAGMAS = (
    f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA foreign_keys = ON",
)


def default_url() -> str:
    """``$NETSTORE_DB``, else ``sqlite:///netstore.db`` (in the current directory)."""
    return os.environ.get(URL_ENV) or DEFAULT_URL


def create_engine(url: str | None = None) -> Engine:
    """An engine for ``url`` with netstore's connection set-up applied."""
    parsed = make_url(url or default_url())
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        engine = sa.create_engine(parsed)
        sa.event.listen(engine, "connect", _sqlite_connect)
        return engine
    if backend == "postgresql":
        return sa.create_engine(parsed)
    raise StoreError(f"unsupported database backend {backend!r} (use sqlite or postgresql)")


def is_sqlite(conn: Connection | Engine) -> bool:
    return conn.dialect.name == "sqlite"


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


def sqlite_settings(conn: Connection) -> dict[str, Any]:
    """The pragmas in force on ``conn`` (for logs, docs and tests)."""
    names = ("journal_mode", "synchronous", "busy_timeout", "foreign_keys")
    return {name: conn.exec_driver_sql(f"PRAGMA {name}").scalar() for name in names}
