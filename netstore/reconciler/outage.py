"""Riding out a database outage: reconnect with backoff, say so once per outage."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Optional

FIRST_RETRY = 0.05
MAX_RETRY = 5.0
STOP_CHECK = 0.1  # seconds between two looks at the stop request while waiting

log = logging.getLogger("netstore.reconciler")


class Outage:
    """The current outage, if any: when it began and the delay before the next try."""

    def __init__(self) -> None:
        self.began: Optional[float] = None
        self._delay = FIRST_RETRY
        self.count = 0  # outages seen (for tests and reports)

    def failed(self, reason: str) -> float:
        """The database is unreachable; return how long to wait before trying again (logged once per outage)."""
        if self.began is None:
            self.began = time.monotonic()
            self._delay = FIRST_RETRY
            self.count += 1
            log.warning("%s; daemons keep running, retrying with backoff", reason)
        else:
            self._delay = min(self._delay * 2, MAX_RETRY)
        return self._delay

    def ended(self, position: int) -> None:
        """A step succeeded: if an outage was on, say how long it lasted and where the log resumed."""
        if self.began is not None:
            log.warning("database back after %.1f s; resumed after position %d", time.monotonic() - self.began,
                        position)
            self.began = None


def pause(seconds: float, stopping: Callable[[], bool]) -> None:
    """Sleep ``seconds``, or less once ``stopping()`` is true (a SIGTERM is not kept waiting a backoff)."""
    deadline = time.monotonic() + seconds
    while not stopping():
        left = deadline - time.monotonic()
        if left <= 0:
            return
        time.sleep(min(left, STOP_CHECK))
