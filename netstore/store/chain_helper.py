"""A helper process that checks the hash chain while ``verify`` folds the events.

``verify`` reads and folds every event; checking the chain (a SHA-256 of each row's
canonical form, and its link) costs about as much again.  On a machine with a second
core, a forked helper reads the rows itself, on its own connection and up to the
position the caller's snapshot ends at, and checks the chain, so both halves run side
by side.  A helper that fails (its database vanished, an error) hands back nothing and
the caller checks the chain itself: the result never depends on the helper.
"""

from __future__ import annotations

import multiprocessing
import os
from multiprocessing.connection import Connection as Pipe
from typing import TYPE_CHECKING, Optional

from sqlalchemy.engine import make_url

from netstore.errors import NetstoreError

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

    from netstore.store.verify import _ChainCheck

PARALLEL_FROM = 20_000  # events; below this a forked helper costs more than it saves


class Helper:
    """A running helper; :meth:`result` waits for its chain check."""

    def __init__(self, process: BaseProcess, receiver: Pipe) -> None:
        self._process, self._receiver = process, receiver

    def result(self) -> Optional[_ChainCheck]:
        """The helper's chain check; None when it could not make it."""
        try:
            outcome: Optional[_ChainCheck] = self._receiver.recv()
        except EOFError:
            outcome = None
        finally:
            self._receiver.close()
            self._process.join()
        return outcome


def start(url: str, upto: int, gapless: bool) -> Optional[Helper]:
    """A helper checking the chain up to position ``upto``; None when one would not pay off."""
    if upto < PARALLEL_FROM or (os.cpu_count() or 1) < 2 or not _reachable_from_another_process(url):
        return None
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_run, args=(url, upto, gapless, sender), daemon=True, name="netstore-verify")
    process.start()
    sender.close()
    return Helper(process, receiver)


def _reachable_from_another_process(url: str) -> bool:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return True
    return parsed.database not in (None, "", ":memory:") and parsed.query.get("mode") != "memory"


def _run(url: str, upto: int, gapless: bool, sender: Pipe) -> None:
    """In the helper: a connection of its own (never the parent's), the chain, the answer."""
    from netstore.store.txn import Database
    from netstore.store.verify import chain_of

    chain = None
    try:
        database = Database(url)
        try:
            with database.read() as conn:
                chain = chain_of(conn, upto, gapless)
        finally:
            database.close()
    except NetstoreError:
        chain = None
    sender.send(chain)
    sender.close()
