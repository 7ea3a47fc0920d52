"""Following the log: which networks changed since a position, and a cheap "something committed" signal."""

from __future__ import annotations

from dataclasses import dataclass

from netstore.store import EventStore
from netstore.store.checkpoints import CheckpointStore


@dataclass(frozen=True)
class Changes:
    """The networks touched by the events in (``after``, ``upto``], each with its first position."""

    after: int
    upto: int
    first_position: dict[str, int]


class LogFollower:
    """Reads only the events after its cursor; wakes on the database's change token."""

    def __init__(self, store: EventStore, signal: CheckpointStore, cursor: int) -> None:
        self._store = store
        self._signal = signal
        self.cursor = cursor
        self._token = signal.change_token()

    def news(self) -> bool:
        """True when another connection committed since the last call (cheap: no table is read on SQLite)."""
        token = self._signal.change_token()
        if token == self._token:
            return False
        self._token = token
        return True

    def read(self) -> Changes:
        """The networks changed after the cursor, and move the cursor past them."""
        first: dict[str, int] = {}
        upto = self.cursor
        for event in self._store.read_all(self.cursor):
            first.setdefault(event.network, event.position)
            upto = event.position
        changes = Changes(self.cursor, upto, first)
        self.cursor = upto
        return changes
