"""The change each event made: unified diffs of the live and the persistent definition."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Optional

from netstore.audit.timetravel import unified_diff
from netstore.events import Event
from netstore.model.format import format_network
from netstore.projector.fold import apply_change
from netstore.state import NetworkState
from netstore.store import EventStore

JUMP = 200  # events between two selected ones beyond which time travel beats folding through them


@dataclass(frozen=True, slots=True)
class EventDiff:
    """What one event changed, as unified diffs (``""``: that definition did not change)."""

    live: str
    config: str


def event_diffs(store: EventStore, name: str, selected: Sequence[Event]) -> dict[int, EventDiff]:
    """The diffs of ``selected`` (events of ``name`` in version order), by version.

    Folds forward from one selected event to the next; across a gap longer than
    :data:`JUMP` it starts again from the store's time travel (snapshot-bounded),
    so sparse selections do not fold the whole history between them.
    """
    diffs: dict[int, EventDiff] = {}
    state: Optional[NetworkState] = None
    for event in selected:
        state = _state_before(store, name, state, event.version)
        before = _texts(state)
        apply_change(state, event.change)
        after = _texts(state)
        diffs[event.version] = EventDiff(
            unified_diff(before[0], after[0], f"{name} live@{event.version - 1}", f"{name} live@{event.version}"),
            unified_diff(before[1], after[1], f"{name} config@{event.version - 1}", f"{name} config@{event.version}"))
    return diffs


def _state_before(store: EventStore, name: str, state: Optional[NetworkState], version: int) -> NetworkState:
    """``state`` brought to ``version - 1``: folded forward, or read anew when that is far or behind."""
    wanted = version - 1
    if state is None or state.version > wanted or wanted - state.version > JUMP:
        return store.state_at(name, wanted) or NetworkState(name, version=wanted)
    for event in store.read_stream(name, state.version, wanted):
        apply_change(state, event.change)
    return state


def _texts(state: NetworkState) -> tuple[str, str]:
    live = format_network(state.live) if state.live is not None else ""
    config = format_network(state.config, inactive=True) if state.config is not None else ""
    return live, config
