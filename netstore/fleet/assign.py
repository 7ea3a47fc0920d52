"""The ASSIGN decision: give an existing network to a fleet host."""

from __future__ import annotations

from dataclasses import replace

from netstore.decision import Decide, StoreView
from netstore.events import Change, EventType
from netstore.fleet.hosts import checked_host_id
from netstore.lifecycle.decide import NetworkRef
from netstore.state import NetworkState


def assign(ref: NetworkRef, host: str) -> Decide:
    """Assign the network ``ref`` names to ``host`` (checked before anything is appended)."""
    host = checked_host_id(host)

    def decide(state: NetworkState, view: StoreView) -> Change:
        current = ref.resolve(state)
        return assign_change(current.name, host)

    return decide


def assign_change(name: str, host: str) -> Change:
    return Change(EventType.ASSIGN, name, effects=({"host": host},))


def with_host(define: Decide, host: str, *, keep_assigned: bool) -> Decide:
    """A define/create decision whose event also assigns ``host`` when that changes the assignment.

    ``keep_assigned``: a network that already has a host keeps it (``host`` is only a default).
    """

    def decide(state: NetworkState, view: StoreView) -> Change:
        change = define(state, view)
        current = state.host if state.exists else None
        if current == host or (keep_assigned and current is not None):
            return change
        return replace(change, effects=(*change.effects, {"host": host}))

    return decide
