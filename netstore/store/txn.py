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

from netstore.errors import StoreError, StoreUnavailableError, WriteRefusedError
from netstore.store.backend import backend_of, create_engine
from netstore.store.driver import execute_sql

# (unavailable, refused, any other): the exception classes raised as StoreUnavailableError, WriteRefusedError, StoreError
_Classes = tuple[type[BaseException], ...]
ErrorKinds = tuple[_Classes, _Classes, _Classes]
SQLALCHEMY_ERRORS: ErrorKinds = ((sa.exc.OperationalError,), (sa.exc.IntegrityError,), (sa.exc.SQLAlchemyError,))


def error_kinds(dbapi: Any) -> ErrorKinds:
    """SQLAlchemy's exception classes with those of the DBAPI module ``dbapi`` (raised by Prepared)."""
    unavailable, refused, other = SQLALCHEMY_ERRORS
    return (*unavailable, dbapi.OperationalError), (*refused, dbapi.IntegrityError), (*other, dbapi.Error)


@contextmanager
def translated(kinds: ErrorKinds = SQLALCHEMY_ERRORS) -> Iterator[None]:
    """Turn database exceptions (:data:`SQLALCHEMY_ERRORS` or ``kinds``) into the store's error classes."""
    unavailable, refused, other = kinds
    try:
        yield
    except unavailable as exc:
        raise StoreUnavailableError(f"database unavailable: {getattr(exc, 'orig', exc)}") from exc
    except refused as exc:
        raise WriteRefusedError(f"database refused the write: {getattr(exc, 'orig', exc)}") from exc
    except other as exc:
        raise StoreError(f"database error: {exc}") from exc


class Database:
    """A connection held for the life of a store, with read/write transactions."""

    def __init__(self, url: str) -> None:
        self.url = url
        with translated():
            self.engine = create_engine(url)
            self.conn = self.engine.connect()
        self.backend = backend_of(self.engine)
        self.lock = threading.RLock()
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
        with self.lock, translated(self._errors), self.conn.begin():
            execute_sql(self.conn, self.backend.openings[kind])
            yield self.conn
