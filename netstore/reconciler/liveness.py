"""Noticing at once when a supervised daemon exits: one pidfd per daemon, waited on with a selector."""

from __future__ import annotations

import os
import select
import selectors
import time
from typing import Optional


class Liveness:
    """Watches the daemons' pids; :meth:`wait` returns the networks whose daemon exited."""

    def __init__(self) -> None:
        self._selector = selectors.DefaultSelector()
        self._watched: dict[tuple[str, str], tuple[int, int]] = {}  # (network, kind) -> (pid, pidfd)

    def watch(self, network: str, kind: str, pid: Optional[int]) -> None:
        """Watch ``pid`` as ``network``'s ``kind`` daemon (None: nothing to watch)."""
        key = (network, kind)
        current = self._watched.get(key)
        if current is not None and current[0] == pid:
            return
        self.forget(network, kind)
        if pid is None:
            return
        try:
            fd = os.pidfd_open(pid)
        except ProcessLookupError:
            fd = os.eventfd(1)  # already gone: report it on the next wait
        self._watched[key] = (pid, fd)
        self._selector.register(fd, selectors.EVENT_READ, key)

    def alive(self, network: str, kind: str) -> Optional[int]:
        """The watched pid of ``network``'s ``kind`` daemon if it has not exited (no /proc read needed)."""
        found = self._watched.get((network, kind))
        if found is None:
            return None
        pid, fd = found
        poller = select.poll()
        poller.register(fd, select.POLLIN)
        return None if poller.poll(0) else pid

    def forget(self, network: str, kind: str) -> None:
        found = self._watched.pop((network, kind), None)
        if found is not None:
            self._selector.unregister(found[1])
            os.close(found[1])

    def wait(self, timeout: float, wake_fd: Optional[int] = None) -> set[str]:
        """Wait up to ``timeout`` s, or until ``wake_fd`` is readable; the networks whose watched daemon exited."""
        if not self._watched and wake_fd is None:
            time.sleep(timeout)
            return set()
        if wake_fd is not None:
            self._selector.register(wake_fd, selectors.EVENT_READ, None)
        try:
            ready = self._selector.select(timeout)
        finally:
            if wake_fd is not None:
                self._selector.unregister(wake_fd)
        exited = set()
        for selected, _ in ready:
            if selected.data is not None:
                network, kind = selected.data
                self.forget(network, kind)
                exited.add(network)
        return exited

    def close(self) -> None:
        for network, kind in list(self._watched):
            self.forget(network, kind)
        self._selector.close()
