"""Bisect a network's history for the first event after which an XPath predicate holds.

The predicate is evaluated on the formatted live definition (``net-dumpxml``) or,
``inactive``, on the persistent one (``net-dumpxml --inactive``); where that
definition does not exist it does not hold.  Its result counts as XPath's
``boolean()`` does (a non-empty node set or string, a non-zero number, true).

Bisection reads O(log n) states, each from the nearest snapshot: from a store,
:meth:`EventStore.state_at`; from a JSONL export, :class:`FileHistory`, which
indexes the file once (checking its chain) and keeps its own snapshots.  As with
``git bisect``, when the predicate flips more than once the answer is one event
after which it holds and before which it did not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Optional, Protocol

import orjson
from lxml import etree

from netstore.audit.export import indexed_jsonl
from netstore.audit.replay import PROGRESS_EVERY, definition_text
from netstore.audit.timetravel import unified_diff
from netstore.errors import VIR_ERR_INVALID_ARG, libvirtError
from netstore.events import Event
from netstore.state import NetworkState
from netstore.store import EventStore, records, snapshots
from netstore.store.tracked import Tracked
from netstore.store.transfer import change_of, fold_record, row_of

CHECKPOINT_EVERY = 1000  # versions between two of a FileHistory's snapshots


class History(Protocol):
    """A network's history with random access to its states."""

    name: str
    head: int

    def state_at(self, version: int) -> Optional[NetworkState]: ...

    def event_at(self, version: int) -> Event: ...


class StoreHistory:
    """A network's history in a store (states from the store's snapshots)."""

    def __init__(self, store: EventStore, name: str) -> None:
        self.store, self.name = store, name
        self.head = store.head_version(name)

    def state_at(self, version: int) -> Optional[NetworkState]:
        return self.store.state_at(self.name, version)

    def event_at(self, version: int) -> Event:
        return next(self.store.read_stream(self.name, version - 1, version))


class FileHistory:
    """A network's history in a JSONL export, indexed in one checked pass over the file.

    Holds the byte offset of each of the network's lines and a snapshot every
    :data:`CHECKPOINT_EVERY` versions; a state is folded from the nearest snapshot.
    """

    def __init__(self, path: Path, name: str, progress: Optional[Callable[[int], None]] = None) -> None:
        self.path, self.name = path, name
        self.offsets: list[int] = []
        self.checkpoints: dict[int, str] = {}
        replayed: dict[str, Tracked] = {}
        for count, (record, offset) in enumerate(indexed_jsonl(path), 1):
            if progress is not None and count % PROGRESS_EVERY == 0:
                progress(count)
            if record["network"] != name:
                continue
            self.offsets.append(offset)
            tracked = fold_record(replayed, record)
            if record["version"] % CHECKPOINT_EVERY == 0:
                self.checkpoints[record["version"]] = snapshots.encode(tracked.state, tracked.keys)
        self.head = len(self.offsets)

    def state_at(self, version: int) -> Optional[NetworkState]:
        start = version - version % CHECKPOINT_EVERY
        if start:
            tracked = Tracked(*snapshots.decode(self.name, start, self.checkpoints[start]))
        else:
            tracked = Tracked.empty(self.name)
        with self.path.open("rb") as lines:
            for offset in self.offsets[start:version]:
                record = _record_at(lines, offset)
                tracked.follow(change_of(record), record["version"])
        return tracked.state if tracked.state.exists else None

    def event_at(self, version: int) -> Event:
        with self.path.open("rb") as lines:
            return records.event_from_row(row_of(_record_at(lines, self.offsets[version - 1])))


def _record_at(lines: BinaryIO, offset: int) -> dict[str, Any]:
    """The record on the line at ``offset`` (checked when the file was indexed)."""
    lines.seek(offset)
    record: dict[str, Any] = orjson.loads(lines.readline())
    return record


class XPathPredicate:
    """An XPath expression evaluated on a state's live or persistent definition."""

    def __init__(self, expression: str, inactive: bool = False) -> None:
        try:
            self.xpath = etree.XPath(expression)
        except etree.XPathSyntaxError as exc:
            raise libvirtError(VIR_ERR_INVALID_ARG, f"invalid XPath expression '{expression}': {exc}") from None
        self.expression, self.inactive = expression, inactive

    def holds(self, state: Optional[NetworkState]) -> bool:
        text = _text(state, self.inactive)
        if not text:
            return False
        document = etree.fromstring(text.encode())
        try:
            result = self.xpath(document)
        except etree.XPathEvalError as exc:
            raise libvirtError(VIR_ERR_INVALID_ARG, f"XPath expression '{self.expression}': {exc}") from None
        return _boolean(result)


def _boolean(result: object) -> bool:
    """XPath's ``boolean()`` of an evaluation result (NaN is false)."""
    if isinstance(result, float):
        return result == result and result != 0
    return bool(result)


@dataclass
class BisectResult:
    """The first version after which the predicate holds (None: not by ``upto``) and the versions tried."""

    version: Optional[int]
    tried: list[tuple[int, bool]] = field(default_factory=list)


def change_at(history: History, version: int, inactive: bool) -> str:
    """The unified diff ``version``'s event made to the live (``inactive``: persistent) definition."""
    before, after = history.state_at(version - 1), history.state_at(version)
    scope = "persistent" if inactive else "live"
    return unified_diff(_text(before, inactive), _text(after, inactive),
                        f"{history.name} {scope}@{version - 1}", f"{history.name} {scope}@{version}")


def _text(state: Optional[NetworkState], inactive: bool) -> str:
    if state is None:
        return ""
    return definition_text(state.config if inactive else state.live, inactive)


def bisect(history: History, predicate: XPathPredicate, upto: Optional[int] = None) -> BisectResult:
    """Find the first version after which ``predicate`` holds, through ``upto`` (None: the head)."""
    result = BisectResult(None)

    def holds(version: int) -> bool:
        answer = predicate.holds(history.state_at(version))
        result.tried.append((version, answer))
        return answer

    high = history.head if upto is None else min(upto, history.head)
    if high < 1 or not holds(high):
        return result
    low = 0  # before the first event there is no network: the predicate does not hold
    while high - low > 1:
        middle = (low + high) // 2
        if holds(middle):
            high = middle
        else:
            low = middle
    result.version = high
    return result
