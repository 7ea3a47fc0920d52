"""What the projector folds events into: one network's live and persistent definitions.

libvirt keeps ``def``/``newDef`` whose meaning shifts with the network's state;
netstore keeps the two meanings apart instead, which is the same information:

==========================  ===================  ======================
libvirt                     ``live``             ``config``
==========================  ===================  ======================
inactive, persistent        None                 def
active, persistent          def                  newDef
active, transient           def                  None
==========================  ===================  ======================

``XMLDesc(0)`` formats ``live or config``; ``XMLDesc(INACTIVE)`` ``config or live``.
A network with neither does not exist (it was never defined, or was removed).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Optional

from netstore.model.types import NetworkDef


class Scope(str, enum.Enum):
    LIVE = "live"
    CONFIG = "config"


@dataclass(slots=True)
class NetworkState:
    name: str
    version: int = 0
    live: Optional[NetworkDef] = None
    config: Optional[NetworkDef] = None
    autostart: bool = False
    host: Optional[str] = None  # the fleet host whose reconciler serves it (None: unassigned)

    @property
    def exists(self) -> bool:
        return self.live is not None or self.config is not None

    @property
    def active(self) -> bool:
        return self.live is not None

    @property
    def persistent(self) -> bool:
        return self.config is not None

    def definition(self, scope: Scope) -> Optional[NetworkDef]:
        return self.live if scope is Scope.LIVE else self.config

    def current(self, inactive: bool = False) -> Optional[NetworkDef]:
        """The definition XMLDesc formats (bridge driver's networkGetXMLDesc)."""
        if inactive:
            return self.config or self.live
        return self.live or self.config


class ItemOp(str, enum.Enum):
    INSERT = "insert"
    DELETE = "delete"
    REPLACE = "replace"


@dataclass(frozen=True, slots=True)
class ItemDelta:
    """One list item of one definition changed (what an update section touches)."""

    scope: Scope
    collection: str  # 'dhcp-host' | 'dhcp-range' | 'forward-interface' | 'portgroup' | 'dns-host' | 'dns-txt' | 'dns-srv'
    ip_index: int  # index of the <ip> for dhcp collections, else 0
    op: ItemOp
    index: int  # position in the list before the change (INSERT: the new item's position)


@dataclass(frozen=True, slots=True)
class ScopeDelta:
    """A whole definition was replaced, created or dropped (lifecycle events)."""

    scope: Scope


@dataclass(frozen=True, slots=True)
class FlagsDelta:
    """Only the network's flags (autostart) changed."""


Delta = ItemDelta | ScopeDelta | FlagsDelta


@dataclass(slots=True)
class FoldResult:
    state: NetworkState
    deltas: list[Delta] = field(default_factory=list)
