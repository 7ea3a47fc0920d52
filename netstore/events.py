"""The events of a network's history.

An event records one accepted change.  For updates it stores the request as
the caller gave it (command, section, parentIndex, xml, flags) *and* the
targets resolved when it was accepted (``affects_live``/``affects_config``),
so replaying it never depends on the state of the world at replay time.
Define and create events carry the canonical XML with every generated value
(uuid, bridge name, MAC) already written in.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Optional

# 1: the first format.  2: an update's effects may carry the scope "both" (BOTH_SCOPES).
# 3: prev_hash is the hash of the previous event of the same network (versions 1-2: of the log).
SCHEMA_VERSION = 3
PER_NETWORK_CHAIN = 3  # the first schema version whose events chain per network
BOTH_SCOPES = "both"  # the scope of an effect applied to the live definition, then to the config one


class EventType(str, enum.Enum):
    DEFINE = "define"  # xml: the persistent definition
    CREATE = "create"  # xml: the live definition of a started (possibly transient) network
    START = "start"
    DESTROY = "destroy"
    UNDEFINE = "undefine"
    AUTOSTART = "autostart"  # autostart: the new value
    UPDATE = "update"  # command, section, parent_index, xml, flags, affects_live, affects_config
    # effects: per restored definition {"scope", "definition" (codec dict), "to_version"}
    ROLLBACK = "rollback"
    # effects: ({"host": the fleet host id that now serves the network},); see netstore.fleet.
    # A define or create event that (re)assigns its network carries the same {"host"} effect.
    ASSIGN = "assign"


@dataclass(frozen=True, slots=True)
class Change:
    """What a caller asks for, before the store has accepted it."""

    type: EventType
    network: str
    xml: Optional[str] = None
    command: Optional[int] = None
    section: Optional[int] = None
    parent_index: Optional[int] = None
    flags: Optional[int] = None
    affects_live: bool = False
    affects_config: bool = False
    autostart: Optional[bool] = None
    # UPDATE only: the item-level edits the engine decided at append time, as JSON-able
    # dicts {scope, collection, ip_index, op, index, item}; the fold applies exactly these:
    # the "live" and "both" ones to the live definition, then the "config" and "both" ones
    # to the config one.  (START: the "config" edits libvirt's INACTIVE copy makes.)
    effects: tuple[dict, ...] = ()


def assigned_host(change: Change) -> Optional[str]:
    """The fleet host an ASSIGN, define or create change gives its network (None: it assigns none)."""
    for effect in change.effects:
        if "host" in effect:
            return str(effect["host"])
    return None


@dataclass(frozen=True, slots=True)
class Event:
    """An accepted change as stored: the change plus where and when it happened."""

    change: Change
    version: int  # per network, from 1
    position: int  # global, strictly increasing
    recorded_at: datetime
    actor: Optional[str] = None
    reason: Optional[str] = None
    idempotency_key: Optional[str] = None
    schema_version: int = SCHEMA_VERSION
    prev_hash: str = ""
    hash: str = ""

    @property
    def type(self) -> EventType:
        return self.change.type

    @property
    def network(self) -> str:
        return self.change.network
