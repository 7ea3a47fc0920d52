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
SQLAlchemy dispatch events around every statement.)

PostgreSQL uses the driver's transactions (READ COMMITTED).  An append first
takes a transaction-scoped advisory lock on its network's name (writers of one
network queue, as behind libvirt's per-network lock; writers of different
networks do not wait for each other), then reads the state it decides against.
The rare decisions that look at other networks (uuid and bridge-name
uniqueness: define, create, rollback) take one more, global, advisory lock
before they look, held to commit, so two of them never both claim one bridge.
Whole-log writes (rebuild) lock the events table.  Positions and what
followers may read: see :mod:`netstore.store.positions`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, make_url

from netstore.errors import StoreUnavailableError
from netstore.store import positions

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


# networks first, as an append writes them (registry row, then event): a whole-log write never deadlocks with one
PG_LOG_LOCK = "LOCK TABLE networks, events IN EXCLUSIVE MODE"
PG_READ_SNAPSHOT = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"
PG_MIGRATION_LOCK = "SELECT pg_advisory_xact_lock(7283547)"
PG_RESYNC_POSITIONS = ("SELECT setval(pg_get_serial_sequence('events', 'position'),"
                       " greatest((SELECT max(position) FROM events), 1), (SELECT max(position) FROM events) IS NOT NULL)")
PG_NETWORK_LOCK = f"SELECT pg_advisory_xact_lock({positions.LOCK_SPACE}, hashtext(:b_name))"
PG_REGISTRY_LOCK = f"SELECT pg_advisory_xact_lock({positions.LOCK_SPACE}, 1)"
# The events a follower may read: those of transactions older than every running one.
PG_FOLLOWABLE_LIMIT = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint"
PG_FOLLOWABLE = f"coalesce(txid, 0) < ({PG_FOLLOWABLE_LIMIT})"
# LISTEN/NOTIFY channel of committed appends to unassigned networks; each host has one of its own
# (netstore.store.notices.notice_channel).  The payload is the network's name (delivered on commit).
NOTIFY_CHANNEL = "netstore_events"
PG_COMMIT_NOTICE = "SELECT pg_notify(:b_channel, :b_network)"


@dataclass(frozen=True, slots=True, eq=False)  # compared and hashed by identity
class Backend:
    """What the store does differently on one kind of database."""

    name: str
    # The first statement of each kind of transaction ("write": one network's, "log": the whole
    # log's, "read", "migration"); None: none needed.
    openings: Mapping[str, Optional[str]]
    # SQL for the highest position ever assigned, even to a rolled-back or deleted row (NULL: unknown).
    position_counter: str
    # The transaction id and positions of an append's events (see netstore.store.positions).
    take_positions: Callable[[Connection, int, int], positions.Positions]
    # SQL condition on an events row: a follower may read it now without ever missing an earlier one.
    followable: str
    # Positions run 1, 2, 3 ... without gaps (a gap is a deleted event).
    gapless: bool
    # SQL for a number that changes once another connection has committed (the reconciler's wake-up).
    change_token: str
    # SQL run after rows were inserted with their own positions (an import), so none is handed out again.
    resync_positions: Optional[str] = None
    # Serialises the writers of the network named :b_name (None: every write is serialised already).
    network_lock: Optional[str] = None
    # Taken before a decision reads other networks' registry rows (None: see network_lock).
    registry_lock: Optional[str] = None
    # Run on every new DBAPI connection (None: the driver's defaults are right).
    on_connect: Optional[Callable[[Any, Any], None]] = None
    # Run (with :b_channel, :b_network) last in every write transaction that appended, once per
    # channel of the hosts serving the network, so their reconcilers wake when it commits
    # (None: they poll the change token instead).
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
    openings={"write": "BEGIN IMMEDIATE", "log": "BEGIN IMMEDIATE", "read": "BEGIN DEFERRED",
              "migration": "BEGIN IMMEDIATE"},
    position_counter="max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0),"
                     " coalesce((SELECT max(position) FROM events), 0))",
    take_positions=positions.counted,
    followable="1 = 1",
    gapless=True,
    change_token="PRAGMA data_version",
    on_connect=_sqlite_connect,
)
POSTGRESQL = Backend(
    name="postgresql",
    openings={"write": None, "log": PG_LOG_LOCK, "read": PG_READ_SNAPSHOT, "migration": PG_MIGRATION_LOCK},
    position_counter="NULL",
    take_positions=positions.sequenced,
    followable=PG_FOLLOWABLE,
    gapless=False,
    # What a follower may read grows only when the oldest running transaction ends.
    change_token=PG_FOLLOWABLE_LIMIT,
    resync_positions=PG_RESYNC_POSITIONS,
    network_lock=PG_NETWORK_LOCK,
    registry_lock=PG_REGISTRY_LOCK,
    commit_notice=PG_COMMIT_NOTICE,
)
BACKENDS = {backend.name: backend for backend in (SQLITE, POSTGRESQL)}
