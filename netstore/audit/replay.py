"""Replaying one network's events, step by step, from a store or from a JSONL export.

Events are streamed (the store reads them in pages, a file line by line) and folded
into one state, so a step-through of any length holds one state and one event at a
time.  Each step carries the unified diff the event made to the live and to the
persistent definition, as ``net-dumpxml`` and ``net-dumpxml --inactive`` print them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from netstore.audit.export import read_jsonl
from netstore.audit.timetravel import unified_diff
from netstore.events import Event
from netstore.model.format import format_network
from netstore.model.types import NetworkDef
from netstore.projector.fold import apply_change
from netstore.state import NetworkState
from netstore.store import EventStore, records
from netstore.store.tracked import Tracked
from netstore.store.transfer import fold_record, row_of

PROGRESS_EVERY = 1000  # events between two progress reports


@dataclass(frozen=True, slots=True)
class Step:
    """One event, the change it made (``""``: that definition did not change) and the definitions after it."""

    event: Event
    live_diff: str
    config_diff: str
    live: str  # net-dumpxml after the event ("": not running)
    config: str  # net-dumpxml --inactive of the persistent definition ("": none)


def store_events(store: EventStore, name: str, upto: Optional[int] = None) -> Iterator[Event]:
    """The events of ``name`` in a store, through version ``upto`` (None: all)."""
    return store.read_stream(name, 0, upto)


def file_events(path: Path, name: str, upto: Optional[int] = None) -> Iterator[Event]:
    """The events of ``name`` in a JSONL export, checked as they are read, through ``upto``."""
    for record in read_jsonl(path):
        if record["network"] != name:
            continue
        if upto is not None and record["version"] > upto:
            return
        yield records.event_from_row(row_of(record))


def definition_text(definition: Optional[NetworkDef], inactive: bool) -> str:
    """``definition`` as XMLDesc formats it (``""``: no definition)."""
    return format_network(definition, inactive=inactive) if definition is not None else ""


def step_through(name: str, events: Iterable[Event]) -> Iterator[Step]:
    """Fold ``events`` (of ``name``, from its first) one by one, yielding each with its diffs."""
    state = NetworkState(name)
    live, config = "", ""
    for event in events:
        apply_change(state, event.change)
        new_live, new_config = definition_text(state.live, False), definition_text(state.config, True)
        yield Step(event,
                   unified_diff(live, new_live, f"{name} live@{event.version - 1}", f"{name} live@{event.version}"),
                   unified_diff(config, new_config, f"{name} persistent@{event.version - 1}",
                                f"{name} persistent@{event.version}"),
                   new_live, new_config)
        live, config = new_live, new_config


def replay(name: str, events: Iterable[Event]) -> NetworkState:
    """The state ``events`` (of ``name``, from its first) fold into."""
    state = NetworkState(name)
    for event in events:
        apply_change(state, event.change)
    return state


def check_file(path: Path, progress: Optional[Callable[[int], None]] = None) -> int:
    """Check a JSONL export's chain and fold every network's events; return the events checked.

    Raises :class:`~netstore.errors.IntegrityError` at the first damaged record.
    """
    replayed: dict[str, Tracked] = {}
    count = 0
    for count, record in enumerate(read_jsonl(path), 1):
        fold_record(replayed, record)
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count)
    return count


