"""A network's folded state together with the sort keys of its item rows.

This is the one place the store calls the fold; the live append path, the
cache catching up with other processes, rebuilds, time travel and verify all
go through :meth:`Tracked.fold` (the append path: it needs the rows to write)
or :meth:`Tracked.follow` (replays, which write no rows per event: the same
fold and the same keys, without the row plan, and for update events without
building the Change or its deltas).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from netstore.events import Change, EventType
from netstore.projector.fold import Effect, apply_change, apply_update
from netstore.state import NetworkState
from netstore.store.keys import RowPlan, SortKeys


@dataclass(slots=True)
class Tracked:
    state: NetworkState
    keys: SortKeys = field(default_factory=SortKeys)
    epoch: int = 0  # the registry epoch the keys belong to (bumped by rebuild)

    @classmethod
    def empty(cls, name: str, epoch: int = 0) -> Tracked:
        return cls(NetworkState(name), SortKeys(), epoch)

    def fold(self, change: Change, version: int) -> RowPlan:
        """Apply one accepted change; return the projection rows it touches."""
        deltas = apply_change(self.state, change)
        self.state.version = version
        return self.keys.apply(deltas, self.state)

    def follow(self, change: Change, version: int) -> None:
        """:meth:`fold` without the row plan."""
        if change.type is EventType.UPDATE:
            self.follow_update(change.effects, version)
        else:
            self.fold(change, version)

    def follow_update(self, effects: Sequence[Effect], version: int) -> None:
        """:meth:`follow` for an update event, given its stored effects."""
        live, config = apply_update(self.state, effects)
        self.state.version = version
        self.keys.follow(live, config, self.state)
