"""A network's folded state together with the sort keys of its item rows.

This is the one place the store calls the fold; the live append path, the
cache catching up with other processes, rebuilds, time travel and verify all
go through :meth:`Tracked.fold`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from netstore.events import Change
from netstore.projector.fold import apply_change
from netstore.projector.state import NetworkState
from netstore.store.keys import RowPlan, SortKeys


@dataclass(slots=True)
class Tracked:
    state: NetworkState
    keys: SortKeys = field(default_factory=SortKeys)
    epoch: int = 0  # the registry epoch the keys belong to (bumped by rebuild)

    @classmethod
    def empty(cls, name: str, epoch: int = 0) -> "Tracked":
        return cls(NetworkState(name), SortKeys(), epoch)

    def fold(self, change: Change, version: int) -> RowPlan:
        """Apply one accepted change; return the projection rows it touches."""
        deltas = apply_change(self.state, change)
        self.state.version = version
        return self.keys.apply(deltas, self.state)
