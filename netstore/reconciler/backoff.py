"""Retrying networks that failed, each on its own doubling delay."""

from __future__ import annotations

import time
from collections.abc import Callable

FIRST_DELAY = 0.5
MAX_DELAY = 30.0


class Backoff:
    """When each failed network is due for another try."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._delay: dict[str, float] = {}
        self._due: dict[str, float] = {}

    def failed(self, name: str) -> float:
        """Record a failure of ``name``; return the delay before its next try."""
        delay = min(self._delay.get(name, FIRST_DELAY / 2) * 2, MAX_DELAY)
        self._delay[name] = delay
        self._due[name] = self._clock() + delay
        return delay

    def succeeded(self, name: str) -> None:
        self._delay.pop(name, None)
        self._due.pop(name, None)

    def due(self) -> set[str]:
        """The failed networks whose delay has passed."""
        now = self._clock()
        return {name for name, when in self._due.items() if when <= now}

    def __contains__(self, name: object) -> bool:
        return name in self._due
