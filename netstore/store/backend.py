"""Database backends: URL defaults, what differs between SQLite and PostgreSQL, engines.

Everything the store does differently per backend is a field of :class:`Backend`
(the store asks its backend object instead of testing which database it is on).

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
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, make_url

from netstore.errors import StoreUnavailableError

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


PG_WRITE_LOCK = "LOCK TABLE events IN EXCLUSIVE MODE"
PG_READ_SNAPSHOT = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"
PG_MIGRATION_LOCK = "SELECT pg_advisory_xact_lock(7283547)"
# LISTEN/NOTIFY channel of committed appends; the payload is the network's name (delivered on commit).
NOTIFY_CHANNEL = "netstore_events"
PG_COMMIT_NOTICE = f"SELECT pg_notify('{NOTIFY_CHANNEL}', :b_network)"


@dataclass(frozen=True, slots=True, eq=False)  # compared and hashed by identity
class Backend:
    """What the store does differently on one kind of database."""

    name: str
    # The first statement of each kind of transaction ("write", "read", "migration").
    openings: Mapping[str, str]
    # SQL for the highest position ever assigned, even to a rolled-back or deleted row (NULL: unknown).
    position_counter: str
    # SQL for a number that changes once another connection has committed (the reconciler's wake-up).
    change_token: str
    # Run on every new DBAPI connection (None: the driver's defaults are right).
    on_connect: Optional[Callable[[Any, Any], None]] = None
    # Run (with :b_network) last in every write transaction that appended, so followers on other
    # hosts wake when it commits (None: they poll the change token instead).
    commit_notice: Optional[str] = None


def create_engine(url: str | None = None) -> Engine:
    """An engine for ``url`` with its backend's connection set-up applied."""
    parsed = make_url(url or default_url())
    backend = backend_named(parsed.get_backend_name())
    engine = sa.create_engine(parsed)
    if backend.on_connect is not None:
        sa.event.listen(engine, "connect", backend.on_connect)
    return engine


def backend_of(conn: Connection | Engine) -> Backend:
    """The backend ``conn`` talks to."""
    return backend_named(conn.dialect.name)


def backend_named(name: str) -> Backend:
    try:
        return BACKENDS[name]
    except KeyError:
        raise StoreUnavailableError(f"unsupported database backend {name!r} (use sqlite or postgresql)") from None


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


# pysqlite's own BEGIN is switched off (see _sqlite_connect): these are the only ones.
SQLITE = Backend(
    name="sqlite",
    openings={"write": "BEGIN IMMEDIATE", "read": "BEGIN DEFERRED", "migration": "BEGIN IMMEDIATE"},
    position_counter="(SELECT seq FROM sqlite_sequence WHERE name = 'events')",
    change_token="PRAGMA data_version",
    on_connect=_sqlite_connect,
)
POSTGRESQL = Backend(
    name="postgresql",
    openings={"write": PG_WRITE_LOCK, "read": PG_READ_SNAPSHOT, "migration": PG_MIGRATION_LOCK},
    position_counter="NULL",
    change_token="SELECT max(position) FROM events",
    commit_notice=PG_COMMIT_NOTICE,
)
BACKENDS = {backend.name: backend for backend in (SQLITE, POSTGRESQL)}
