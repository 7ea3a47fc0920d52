"""Network lifecycle events from the event log, as libvirt's network event API names them.

libvirt emits VIR_NETWORK_EVENT_DEFINED, _UNDEFINED, _STARTED and _STOPPED when a
network is defined, undefined, started (or created) and destroyed; updates and
autostart changes emit none.  netstore's log records every such change, so the
same events are read from it: everything after a log position, in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from netstore.api.boundary import libvirt_call
from netstore.api.connection import Connection
from netstore.api.constants import (
    VIR_NETWORK_EVENT_DEFINED,
    VIR_NETWORK_EVENT_STARTED,
    VIR_NETWORK_EVENT_STOPPED,
    VIR_NETWORK_EVENT_UNDEFINED,
)
from netstore.events import EventType

LIFECYCLE_EVENTS = {
    EventType.DEFINE: VIR_NETWORK_EVENT_DEFINED,
    EventType.UNDEFINE: VIR_NETWORK_EVENT_UNDEFINED,
    EventType.CREATE: VIR_NETWORK_EVENT_STARTED,
    EventType.START: VIR_NETWORK_EVENT_STARTED,
    EventType.DESTROY: VIR_NETWORK_EVENT_STOPPED,
}
EVENT_NAMES = {
    VIR_NETWORK_EVENT_DEFINED: "Defined",
    VIR_NETWORK_EVENT_UNDEFINED: "Undefined",
    VIR_NETWORK_EVENT_STARTED: "Started",
    VIR_NETWORK_EVENT_STOPPED: "Stopped",
}


@dataclass(frozen=True, slots=True)
class LifecycleEvent:
    """One lifecycle event: the log position it was read at, the network, what happened and when."""

    position: int
    network: str
    event: int  # a VIR_NETWORK_EVENT_* value
    recorded_at: datetime

    @property
    def event_name(self) -> str:
        """virsh's word for the event ("Started")."""
        return EVENT_NAMES[self.event]


class LifecycleFollower:
    """Follows the log from its head at creation: each :meth:`poll` returns the lifecycle events since."""

    @libvirt_call("virConnectNetworkEventRegisterAny")
    def __init__(self, conn: Connection, network: str | None = None) -> None:
        self._conn = conn
        self._network = network
        self._position = conn.store.head_position()

    @libvirt_call("virEventRunDefaultImpl")
    def poll(self) -> list[LifecycleEvent]:
        """The lifecycle events appended since the last poll (of the followed network only), oldest first."""
        found = []
        for event in self._conn.store.read_all(self._position):
            self._position = event.position
            code = LIFECYCLE_EVENTS.get(event.type)
            if code is not None and self._network in (None, event.network):
                found.append(LifecycleEvent(event.position, event.network, code, event.recorded_at))
        return found
