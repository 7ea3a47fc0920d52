"""When a reconciler looks at the log again: a commit notice, or the change token.

On PostgreSQL the reconciler sleeps on its :class:`CommitListener`'s socket
and reads the log when a notice arrives; a slow safety poll of the change
token (every :data:`SAFETY_POLL` s) covers a notice lost with a connection.
On SQLite (no notices) it polls ``PRAGMA data_version`` every poll interval,
which reads no table.  After the listening connection is lost, the next
:meth:`Wake.news` reconnects (or raises StoreUnavailableError) and answers
True, so what was committed meanwhile is read from the cursor.
"""

from __future__ import annotations

import time
from typing import Optional

from netstore.reconciler.follow import LogFollower
from netstore.store.notices import CommitListener

SAFETY_POLL = 1.0  # seconds between two looks at the change token when notices wake us


class Wake:
    """Tells the loop how long it may sleep, on which socket, and whether something was committed."""

    def __init__(self, follower: LogFollower, listener: Optional[CommitListener], poll_interval: float,
                 safety_interval: float = SAFETY_POLL) -> None:
        self._follower = follower
        self._listener = listener
        self._poll_interval = poll_interval
        self._safety_interval = safety_interval
        self._next_safety = time.monotonic() + safety_interval

    @property
    def timeout(self) -> float:
        """How long the loop may sleep before calling :meth:`news` again."""
        if self._listener is None or self._listener.fileno() is None:
            return self._poll_interval
        return max(0.0, min(self._safety_interval, self._next_safety - time.monotonic()))

    def fileno(self) -> Optional[int]:
        """The socket whose readability means a notice arrived (None: poll)."""
        return self._listener.fileno() if self._listener is not None else None

    def news(self) -> bool:
        """True if the log may hold events after the follower's cursor."""
        if self._listener is None:
            return self._follower.news()
        if self._listener.fileno() is None:
            self._listener.connect()
            self._next_safety = time.monotonic() + self._safety_interval
            return True
        noticed = self._listener.drain()
        if time.monotonic() >= self._next_safety:
            self._next_safety = time.monotonic() + self._safety_interval
            return self._follower.news() or noticed
        return noticed

    def lost(self) -> None:
        """The database went away: drop the listening connection (:meth:`news` reconnects)."""
        if self._listener is not None:
            self._listener.close()

    def close(self) -> None:
        self.lost()
