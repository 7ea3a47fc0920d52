"""Coalescing bursts: a network the reconciler just acted on waits a moment before the next action.

Level-triggering already folds every event seen in one wake into one action
per daemon; pacing folds the wakes of a burst too.  After a network's daemons
were signalled, started or restarted, changes to it that follow within
``interval`` seconds are applied together once the interval is over (an
isolated update is still applied at once).  A daemon that died is never
paced: liveness comes first.
"""

from __future__ import annotations

import time
from collections.abc import Callable

SIGNAL_INTERVAL = 1.0  # seconds: a burst costs about one signal per daemon per second


class Pacer:
    """When each network may be acted on again."""

    def __init__(self, interval: float = SIGNAL_INTERVAL, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = interval
        self._clock = clock
        self._acted: dict[str, float] = {}
        self._held: set[str] = set()

    def acted(self, name: str) -> None:
        """``name``'s daemons or files were just changed."""
        self._acted[name] = self._clock()

    def admit(self, names: set[str]) -> set[str]:
        """The networks of ``names`` that may be acted on now; the others are held until their turn."""
        now = self._clock()
        admitted = {n for n in names if now - self._acted.get(n, -self.interval) >= self.interval}
        self._held |= names - admitted
        return admitted

    def due(self) -> set[str]:
        """Held networks whose interval is over (no longer held)."""
        now = self._clock()
        ready = {n for n in self._held if now - self._acted.get(n, -self.interval) >= self.interval}
        self._held -= ready
        return ready
