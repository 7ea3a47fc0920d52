"""``netstore reconcile --watch`` from start to stop, the database away or not.

A watching reconciler may start while the database is down (a host booting
before its PostgreSQL server, or a server restarting at that moment): it then
waits with the same backoff as an outage met later (outage.py), logging once,
while the daemons already running keep serving.  Only an unreachable database
is waited for; anything else that stops the start-up (a database of another
schema, a bad URL) ends the command as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Optional

from netstore.errors import StoreUnavailableError
from netstore.reconciler.loop import Options, Reconciler
from netstore.reconciler.outage import Outage, pause


def serve(options: Options, stopping: Callable[[], bool], ready: Callable[[], None] = lambda: None) -> None:
    """Open the store, bring every network in step, then follow the log until ``stopping()``.

    ``ready()`` is called once the first full reconcile is done (systemd's READY=1).
    """
    outage = Outage()
    reconciler = _open(options, stopping, outage)
    if reconciler is None:
        return
    try:
        if _start_up(reconciler, stopping):
            ready()
            reconciler.watch(stopping)
    finally:
        reconciler.close()


def _open(options: Options, stopping: Callable[[], bool], outage: Outage) -> Optional[Reconciler]:
    """A reconciler on the store, once the database answers (None: stopped while waiting)."""
    while not stopping():
        try:
            return Reconciler(options, outage=outage)
        except StoreUnavailableError as exc:
            pause(outage.failed(str(exc)), stopping)
    return None


def _start_up(reconciler: Reconciler, stopping: Callable[[], bool]) -> bool:
    """:meth:`Reconciler.start_up`, again after each outage that cuts it short; False if stopped first."""
    while not stopping():
        try:
            reconciler.start_up()
            return True
        except StoreUnavailableError as exc:
            reconciler.ride_out(str(exc), stopping)
    return False
