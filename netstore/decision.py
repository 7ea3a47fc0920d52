"""What a decision is: the function the store calls inside its write transaction.

A decision sees the network's current state (a fresh ``NetworkState(name)`` for
an unknown network) and a read-only :class:`StoreView` of the other networks,
and returns the :class:`~netstore.events.Change` to append, or raises.
Lifecycle builds decisions; the store runs them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Optional, Protocol

from netstore.events import Change
from netstore.state import NetworkState


class StoreView(Protocol):
    """Cross-network facts, read inside the append transaction."""

    def network_with_uuid(self, uuid: str) -> Optional[str]:
        """The name of the existing network with this uuid, if any."""

    def bridges_in_use(self, exclude: str) -> set[str]:
        """Bridge names (live and config) of every existing network but ``exclude``."""


Decide = Callable[[NetworkState, StoreView], Change]
