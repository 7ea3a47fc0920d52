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
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from netstore.errors import StoreError
from netstore.store.driver import execute_sql
from netstore.store.engine import create_engine, is_sqlite

PG_WRITE_LOCK = "LOCK TABLE events IN EXCLUSIVE MODE"
PG_READ_SNAPSHOT = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"
PG_MIGRATION_LOCK = "SELECT pg_advisory_xact_lock(7283547)"
# The first statement of each kind of transaction (pysqlite's own BEGIN is switched off).
SQLITE_OPENING = {"write": "BEGIN IMMEDIATE", "read": "BEGIN DEFERRED", "migration": "BEGIN IMMEDIATE"}
PG_OPENING = {"write": PG_WRITE_LOCK, "read": PG_READ_SNAPSHOT, "migration": PG_MIGRATION_LOCK}


# (unavailable, refused, any other): the exception classes StoreError reports
ErrorKinds = tuple[tuple[type, ...], tuple[type, ...], tuple[type, ...]]
SQLALCHEMY_ERRORS: ErrorKinds = ((sa.exc.OperationalError,), (sa.exc.IntegrityError,), (sa.exc.SQLAlchemyError,))


def error_kinds(dbapi: Any) -> ErrorKinds:
    """SQLAlchemy's exception classes with those of the DBAPI module ``dbapi`` (raised by Prepared)."""
    unavailable, refused, other = SQLALCHEMY_ERRORS
    return (*unavailable, dbapi.OperationalError), (*refused, dbapi.IntegrityError), (*other, dbapi.Error)


@contextmanager
def translated(kinds: ErrorKinds = SQLALCHEMY_ERRORS) -> Iterator[None]:
    """Turn database exceptions (:data:`SQLALCHEMY_ERRORS` or ``kinds``) into :class:`StoreError`."""
    unavailable, refused, other = kinds
    try:
        yield
    except unavailable as exc:
        raise StoreError(f"database unavailable: {getattr(exc, 'orig', exc)}") from exc
    except refused as exc:
        raise StoreError(f"database refused the write: {getattr(exc, 'orig', exc)}") from exc
    except other as exc:
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
        self._opening = SQLITE_OPENING if self.sqlite else PG_OPENING
        self._errors = error_kinds(self.engine.dialect.loaded_dbapi)

    def close(self) -> None:
        with self.lock, translated():
            self.conn.close()
            self.engine.dispose()

    def write(self) -> AbstractContextManager[Connection]:
        """A serialised write transaction: committed on success, rolled back on any error."""
        return self._transaction("write")

    def read(self) -> AbstractContextManager[Connection]:
        """A read transaction with one consistent snapshot of the database."""
        return self._transaction("read")

    def migration(self) -> AbstractContextManager[Connection]:
        """A write transaction for schema changes (one migrator at a time)."""
        return self._transaction("migration")

    @contextmanager
    def _transaction(self, kind: str) -> Iterator[Connection]:
        with self.lock, translated(self._errors):
            with self.conn.begin():
                execute_sql(self.conn, self._opening[kind])
                yield self.conn
