"""One database connection, its transactions, and the SQLAlchemy error boundary.

Writes are serialised across processes the way libvirt serialises updates
with its per-object lock: on SQLite database-wide (the write transaction
starts with ``BEGIN IMMEDIATE``: the single writer lock is taken before
anything is read); on PostgreSQL per network (an advisory lock on the
network's name, see :mod:`netstore.store.backend`).  Within one process a
re-entrant lock serialises threads sharing the store.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from netstore.errors import StoreError, StoreUnavailableError, WriteRefusedError
from netstore.store.backend import backend_of, create_engine
from netstore.store.driver import Prepared, execute_sql

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
        lock = self.backend.network_lock
        self._network_lock = Prepared(sa.text(lock)) if lock is not None else None

    def close(self) -> None:
        with self.lock, translated():
            self.conn.close()
            self.engine.dispose()

    def write(self, key: str) -> AbstractContextManager[Connection]:
        """A write transaction serialised with every other write of the same ``key`` (a network's name).

        Committed on success, rolled back on any error.
        """
        return self._transaction("write", key)

    def log_write(self) -> AbstractContextManager[Connection]:
        """A write transaction serialised with every other write (whole-log rewrites)."""
        return self._transaction("log")

    def read(self) -> AbstractContextManager[Connection]:
        """A read transaction with one consistent snapshot of the database."""
        return self._transaction("read")

    def migration(self) -> AbstractContextManager[Connection]:
        """A write transaction for schema changes (one migrator at a time)."""
        return self._transaction("migration")

    @contextmanager
    def _transaction(self, kind: str, key: Optional[str] = None) -> Iterator[Connection]:
        with self.lock, translated(self._errors), self.conn.begin():
            opening = self.backend.openings[kind]
            if opening is not None:
                execute_sql(self.conn, opening)
            if key is not None and self._network_lock is not None:
                self._network_lock.execute(self.conn, {"b_name": key}).close()
            yield self.conn
