"""Host reboots as libvirt sees them: every network inactive (transient ones gone), then autostart.

The kernel's boot id changes at every boot.  The reconciler stores the one it
saw with its checkpoint; a different one at start-up is a reboot, which it
records through the library's normal append path, under its own actor: a
destroy of each network that was active, then a start of each autostart one.
No stored boot id (a first run) and the same boot id (a restart of the
reconciler) are not reboots.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

from netstore.fleet.hosts import serves
from netstore.lifecycle import decide
from netstore.lifecycle.decide import NetworkRef, uuid_of
from netstore.store import EventStore
from netstore.store.checkpoints import Checkpoint

BOOT_ID_PATH = Path("/proc/sys/kernel/random/boot_id")
BOOT_ID_ENV = "NETSTORE_BOOT_ID_FILE"  # tests point it at a file of their own
ACTOR = "netstore-reconciler"
REASON = "host rebooted"


def boot_id_source() -> Path:
    """Where the boot id is read: ``$NETSTORE_BOOT_ID_FILE``, else the kernel's."""
    return Path(os.environ.get(BOOT_ID_ENV) or BOOT_ID_PATH)


def read_boot_id(source: Optional[Path] = None) -> str:
    return (source or boot_id_source()).read_text(encoding="ascii").strip()


def is_reboot(stored: Optional[Checkpoint], boot_id: str) -> bool:
    """True only when a boot id was stored and differs from ``boot_id``."""
    return stored is not None and stored.boot_id is not None and stored.boot_id != boot_id


def record_reboot(store: EventStore, host_id: str) -> list[str]:
    """Append the reboot of host ``host_id`` (destroys, then autostart starts); return ``"destroy NAME"`` lines.

    Only the networks that host serves (its own and the unassigned ones) are touched: another
    host's networks did not go down with it.  Each is one change through the store's append
    path with lifecycle's decisions, exactly what the library's ``destroy()`` and ``create()`` append.
    """
    recorded: list[str] = []
    for state in store.list_states():
        if state.active and serves(host_id, state):
            store.append(state.name, decide.destroy(NetworkRef(state.name, uuid_of(state))), actor=ACTOR, reason=REASON)
            recorded.append(f"destroy {state.name}")
    for state in store.list_states():
        if state.autostart and not state.active and serves(host_id, state):
            store.append(state.name, decide.start(NetworkRef(state.name, uuid_of(state))), actor=ACTOR, reason=REASON)
            recorded.append(f"start {state.name}")
    return recorded
