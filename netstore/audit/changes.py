"""The change each event made: unified diffs of the live and the persistent definition."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from netstore.audit.timetravel import unified_diff
from netstore.events import Event
from netstore.model.format import format_network
from netstore.projector.fold import apply_change
from netstore.projector.state import NetworkState
from netstore.store import EventStore


@dataclass(frozen=True, slots=True)
class EventDiff:
    """What one event changed, as unified diffs (``""``: that definition did not change)."""

    live: str
    config: str


def event_diffs(store: EventStore, name: str, selected: Sequence[Event]) -> dict[int, EventDiff]:
    """The diffs of ``selected`` (events of ``name`` in version order), by version.

    Folds from the state before the first of them through the last, so the cost
    is the span of versions the selection covers, not the network's history.
    """
    if not selected:
        return {}
    wanted = {event.version for event in selected}
    start = selected[0].version - 1
    state = store.state_at(name, start) or NetworkState(name, version=start)
    diffs: dict[int, EventDiff] = {}
    for event in store.read_stream(name, start, selected[-1].version):
        before = _texts(state)
        apply_change(state, event.change)
        if event.version in wanted:
            after = _texts(state)
            diffs[event.version] = EventDiff(
                unified_diff(before[0], after[0], f"{name} live@{event.version - 1}", f"{name} live@{event.version}"),
                unified_diff(before[1], after[1], f"{name} config@{event.version - 1}",
                             f"{name} config@{event.version}"))
    return diffs


def _texts(state: NetworkState) -> tuple[str, str]:
    live = format_network(state.live) if state.live is not None else ""
    config = format_network(state.config, inactive=True) if state.config is not None else ""
    return live, config
