"""One database connection, its transactions, and the SQLAlchemy error boundary.

Writes are serialised across processes the way libvirt serialises updates
with its per-object lock, only database-wide: on SQLite the write
transaction starts with ``BEGIN IMMEDIATE`` (the single writer lock is taken
before anything is read); on PostgreSQL it takes ``LOCK TABLE events IN
EXCLUSIVE MODE`` (readers go on, other writers wait).  Within one process a
re-entrant lock serialises threads sharing the store.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from netstore.errors import StoreError
from netstore.store.engine import BEGIN_OPTION, create_engine, is_sqlite

PG_WRITE_LOCK = "LOCK TABLE events IN EXCLUSIVE MODE"
PG_READ_SNAPSHOT = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"
PG_MIGRATION_LOCK = "SELECT pg_advisory_xact_lock(7283547)"


@contextmanager
def translated() -> Iterator[None]:
    """Turn SQLAlchemy/DBAPI exceptions into :class:`StoreError`."""
    try:
        yield
    except sa.exc.OperationalError as exc:
        raise StoreError(f"database unavailable: {exc.orig}") from exc
    except sa.exc.IntegrityError as exc:
        raise StoreError(f"database refused the write: {exc.orig}") from exc
    except sa.exc.SQLAlchemyError as exc:
        raise StoreError(f"database error: {exc}") from exc


class Database:
    """A connection held for the life of a store, with read/write transactions."""

    def __init__(self, url: str) -> None:
        self.url = url
        with translated():
            self.engine = create_engine(url)
            self.conn = self.engine.connect()
        self.sqlite = is_sqlite(self.engine)
        self.lock = threading.RLock()
        self._begin = ""

    def close(self) -> None:
        with self.lock, translated():
            self.conn.close()
            self.engine.dispose()

    def _set_begin(self, mode: str) -> None:
        """Which BEGIN the next transaction emits on SQLite (see :mod:`netstore.store.engine`)."""
        if mode != self._begin:
            self.conn.execution_options(**{BEGIN_OPTION: mode})
            self._begin = mode

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A serialised write transaction: committed on success, rolled back on any error."""
        with self.lock, translated():
            self._set_begin("IMMEDIATE")
            with self.conn.begin():
                if not self.sqlite:
                    self.conn.exec_driver_sql(PG_WRITE_LOCK)
                yield self.conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction with one consistent snapshot of the database."""
        with self.lock, translated():
            self._set_begin("DEFERRED")
            with self.conn.begin():
                if not self.sqlite:
                    self.conn.exec_driver_sql(PG_READ_SNAPSHOT)
                yield self.conn

    @contextmanager
    def migration(self) -> Iterator[Connection]:
        """A write transaction for schema changes (one migrator at a time)."""
        with self.lock, translated():
            self._set_begin("IMMEDIATE")
            with self.conn.begin():
                if not self.sqlite:
                    self.conn.exec_driver_sql(PG_MIGRATION_LOCK)
                yield self.conn
