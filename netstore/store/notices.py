"""Commit notices: a follower LISTENs for the appends other hosts commit (PostgreSQL).

Every append transaction on PostgreSQL ends with ``pg_notify`` (see
``Backend.commit_notice``), which the server delivers when, and only if, the
transaction commits: on the channel of the host the network is assigned to,
before and after the append (both, when it moves), or on
:data:`~netstore.store.backend.NOTIFY_CHANNEL` for an unassigned network, which
every host serves.  So a commit wakes only the reconcilers that serve its
network, not the whole fleet.  A :class:`CommitListener` holds its own
autocommit connection that LISTENs on its host's channel and the unassigned
one; its socket becomes readable when a notice arrives, so a reconciler can
sleep in ``select`` until then.  Notices carry no position: they only say
"read the log after your cursor".  SQLite has no notices (:func:`commit_listener`
returns None there; followers poll its data_version).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any, Optional

from sqlalchemy.engine import make_url

from netstore.errors import StoreUnavailableError
from netstore.state import NetworkState
from netstore.store.backend import NOTIFY_CHANNEL, backend_named


def notice_channel(host: Optional[str]) -> str:
    """The channel of commits to ``host``'s networks (None: the unassigned ones), a plain SQL identifier."""
    if host is None:
        return NOTIFY_CHANNEL
    return f"{NOTIFY_CHANNEL}_{hashlib.sha256(host.encode()).hexdigest()[:24]}"


def serving_channels(state: NetworkState) -> set[str]:
    """The channels of the reconcilers that serve ``state`` (none while the network does not exist)."""
    return {notice_channel(state.host)} if state.exists else set()


class CommitListener:
    """One connection LISTENing on ``channels``; :meth:`connect` again after the server went away."""

    def __init__(self, conninfo: str, channels: Iterable[str]) -> None:
        self._conninfo = conninfo
        self._channels = sorted(channels)
        self._conn: Any = None

    def connect(self) -> None:
        """Open the connection and LISTEN (a no-op while connected); StoreUnavailableError if the server is down."""
        if self._conn is not None:
            return
        import psycopg

        try:
            conn = psycopg.connect(self._conninfo, autocommit=True, connect_timeout=5)
            for channel in self._channels:
                conn.execute(f"LISTEN {channel}")
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


def commit_listener(url: str, host_id: str) -> Optional[CommitListener]:
    """A (not yet connected) listener for the commits to what host ``host_id`` serves: its networks and
    the unassigned ones, in the database at ``url``; None if that backend sends no notices."""
    parsed = make_url(url)
    if backend_named(parsed.get_backend_name()).commit_notice is None:
        return None
    return CommitListener(parsed.set(drivername="postgresql").render_as_string(hide_password=False),
                          {notice_channel(None), notice_channel(host_id)})
