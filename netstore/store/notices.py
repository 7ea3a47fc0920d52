"""Commit notices: a follower LISTENs for the appends other hosts commit (PostgreSQL).

Every append transaction on PostgreSQL ends with ``pg_notify`` on
:data:`~netstore.store.backend.NOTIFY_CHANNEL` (see ``Backend.commit_notice``),
which the server delivers when, and only if, the transaction commits.  A
:class:`CommitListener` holds its own autocommit connection that LISTENs on
that channel; its socket becomes readable when a notice arrives, so a
reconciler can sleep in ``select`` until then.  Notices carry no position:
they only say "read the log after your cursor".  SQLite has no notices
(:func:`commit_listener` returns None there; followers poll its data_version).
"""

from __future__ import annotations

from typing import Any, Optional

from sqlalchemy.engine import make_url

from netstore.errors import StoreUnavailableError
from netstore.store.backend import NOTIFY_CHANNEL, backend_named


class CommitListener:
    """One LISTENing connection; :meth:`reconnect` after the server went away."""

    def __init__(self, conninfo: str) -> None:
        self._conninfo = conninfo
        self._conn: Any = None

    def connect(self) -> None:
        """Open the connection and LISTEN (a no-op while connected); StoreUnavailableError if the server is down."""
        if self._conn is not None:
            return
        import psycopg

        try:
            conn = psycopg.connect(self._conninfo, autocommit=True, connect_timeout=5)
            conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
        except psycopg.Error as exc:
            raise StoreUnavailableError(f"database unavailable: {exc}") from exc
        self._conn = conn

    def fileno(self) -> Optional[int]:
        """The socket to wait on (None while disconnected)."""
        return self._conn.fileno() if self._conn is not None else None

    def drain(self) -> bool:
        """True if at least one notice arrived since the last call (never blocks)."""
        import psycopg

        if self._conn is None:
            raise StoreUnavailableError("database unavailable: the listening connection is closed")
        try:
            return sum(1 for _ in self._conn.notifies(timeout=0)) > 0
        except psycopg.Error as exc:
            self.close()
            raise StoreUnavailableError(f"database unavailable: {exc}") from exc

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None


def commit_listener(url: str) -> Optional[CommitListener]:
    """A (not yet connected) listener for the database at ``url``; None if its backend sends no notices."""
    parsed = make_url(url)
    if backend_named(parsed.get_backend_name()).commit_notice is None:
        return None
    return CommitListener(parsed.set(drivername="postgresql").render_as_string(hide_password=False))
