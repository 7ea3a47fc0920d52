"""Blame: which event introduced each current entry of a network.

The entries are the items update sections edit -- DHCP hosts and ranges, DNS
hosts, TXT and SRV records, portgroups and forward interfaces -- shown with the
keys the update engine matches them by (:mod:`netstore.engine.lookup`).

The history is folded from the start, and every item of every list of both
definitions carries the event that put it there, in step with the list:
update events move these attributions exactly as their stored edits move the
items; an event that writes a definition whole (define, create, rollback, an
edit of the whole definition) keeps the attribution of every item whose
content it left unchanged and gives the others to itself.  Starting a network
copies its config into the live definition, so the live items keep the
attribution of the config items they were copied from: blame answers who
added an entry, not who last started the network.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from typing import Any, Optional

from netstore.audit.timetravel import Moment, resolve_version
from netstore.engine.lookup import build_index
from netstore.errors import VIR_ERR_NO_NETWORK, libvirtError
from netstore.events import BOTH_SCOPES, Event, EventType
from netstore.model.codec import item_to_dict
from netstore.model.collections import DEFINITION, IP_COLLECTIONS, ITEM_COLLECTIONS, items_of
from netstore.model.types import NetworkDef
from netstore.projector.fold import apply_change
from netstore.state import NetworkState, Scope
from netstore.store import EventStore
from netstore.store.records import encode_effects

ListKey = tuple[str, str, int]  # (scope, collection, ip_index)
# one item's content (its canonical dict as JSON) and the event that introduced it
Attribution = tuple[str, Event]


@dataclass(frozen=True, slots=True)
class BlameEntry:
    """One current item and the event that introduced it."""

    scope: str
    collection: str
    ip_index: int
    index: int  # the item's position in its list
    keys: dict[str, str]  # the keys the update engine matches the item by
    item: dict[str, Any]
    event: Event


def blame(store: EventStore, name: str, inactive: bool = False, at: Optional[Moment] = None) -> list[BlameEntry]:
    """Every item of the definition XMLDesc shows (``inactive``: the persistent one), with its event.

    ``at``: as the network was at that version or time (see netstore.audit.timetravel), which
    also serves a network since removed; default: now.
    """
    upto = resolve_version(store, name, at) if at is not None else None
    state = NetworkState(name)
    tracker = _Attributions()
    for event in store.read_stream(name, upto_version=upto):
        tracker.before(event)
        apply_change(state, event.change)
        tracker.after(state, event)
    if not state.exists:
        missing = f"no network with matching name '{name}'" if upto is None else \
            f"network '{name}' did not exist at version {upto}"
        raise libvirtError(VIR_ERR_NO_NETWORK, missing)
    scope = _shown_scope(state, inactive)
    defn = state.definition(scope)
    assert defn is not None
    return list(_entries(defn, scope.value, tracker))


def _shown_scope(state: NetworkState, inactive: bool) -> Scope:
    if inactive:
        return Scope.CONFIG if state.config is not None else Scope.LIVE
    return Scope.LIVE if state.live is not None else Scope.CONFIG


def _entries(defn: NetworkDef, scope: str, tracker: _Attributions) -> Iterator[BlameEntry]:
    for collection, ip_index, items in _lists(defn):
        attributions = tracker.lists.get((scope, collection, ip_index), [])
        for index, (item, (_, event)) in enumerate(zip(items, attributions, strict=True)):
            yield BlameEntry(scope, collection, ip_index, index, engine_keys(collection, item),
                             item_to_dict(collection, item), event)


def engine_keys(collection: str, item: Any) -> dict[str, str]:
    """The keys the update engine matches ``item`` by, as text."""
    return {kind: _key_text(value) for kind, value in build_index(collection, [item]).groups}


def _key_text(value: Hashable) -> str:
    if isinstance(value, bytes):
        return ":".join(f"{octet:02x}" for octet in value)
    if isinstance(value, tuple):
        return "-".join(str(part) for part in value)
    return str(value)


def _lists(defn: NetworkDef) -> Iterator[tuple[str, int, list]]:
    for collection in ITEM_COLLECTIONS:
        if collection in IP_COLLECTIONS:
            for ip_index in range(len(defn.ips)):
                yield collection, ip_index, items_of(defn, collection, ip_index)
        else:
            yield collection, 0, items_of(defn, collection)


def _content(collection: str, item: Any) -> str:
    return encode_effects((item_to_dict(collection, item),))


class _Attributions:
    """Per list of each definition, the attribution of each item, in list order."""

    def __init__(self) -> None:
        self.lists: dict[ListKey, list[Attribution]] = {}
        self._pending: list[tuple[str, Optional[dict[ListKey, list[Attribution]]]]] = []

    def before(self, event: Event) -> None:
        """Note which definitions ``event`` rewrites whole, and what their items can inherit."""
        self._pending = []
        kind = event.type
        if kind is EventType.START:
            self._pending = [(Scope.LIVE.value, self._scope(Scope.CONFIG.value)), (Scope.CONFIG.value, None)]
        elif kind in (EventType.DEFINE, EventType.UNDEFINE):
            self._pending = [(Scope.CONFIG.value, None)]
        elif kind in (EventType.CREATE, EventType.DESTROY):
            self._pending = [(Scope.LIVE.value, None)]
        elif kind is EventType.ROLLBACK:
            self._pending = [(effect["scope"], None) for effect in event.change.effects]
        elif kind is EventType.UPDATE:
            whole = {effect["scope"] for effect in event.change.effects if effect["collection"] == DEFINITION}
            self._pending = [(scope, None) for scope in _expand(whole)]

    def after(self, state: NetworkState, event: Event) -> None:
        """Move the attributions as ``event`` moved the items of ``state``."""
        whole = {scope for scope, _ in self._pending}
        if event.type is EventType.UPDATE:
            self._follow_edits(state, event, whole)
        for scope, inherit in self._pending:
            self._rescan(state, scope, event, inherit)

    def _scope(self, scope: str) -> dict[ListKey, list[Attribution]]:
        return {key: list(value) for key, value in self.lists.items() if key[0] == scope}

    def _follow_edits(self, state: NetworkState, event: Event, whole: set[str]) -> None:
        stale: set[str] = set()
        for effect in event.change.effects:
            collection = effect["collection"]
            if collection not in ITEM_COLLECTIONS:
                continue
            for scope in _expand({effect["scope"]}) - whole:
                if not self._edit(scope, effect, event):
                    stale.add(scope)
        for scope in stale:
            self._rescan(state, scope, event, None)

    def _edit(self, scope: str, effect: dict, event: Event) -> bool:
        """Apply one stored edit to the attributions; False when it does not fit (rescan instead)."""
        key = (scope, effect["collection"], effect["ip_index"])
        attributions = self.lists.setdefault(key, [])
        index, op, item = effect["index"], effect["op"], effect["item"]
        content = encode_effects((item,)) if item is not None else ""
        if op == "insert" and 0 <= index <= len(attributions):
            attributions.insert(index, (content, event))
        elif op == "delete" and 0 <= index < len(attributions):
            del attributions[index]
        elif op == "replace" and 0 <= index < len(attributions):
            attributions[index] = (content, event)
        else:
            return False
        return True

    def _rescan(self, state: NetworkState, scope: str, event: Event,
                inherit: Optional[dict[ListKey, list[Attribution]]]) -> None:
        """Re-read a whole definition: unchanged items keep their attribution, others get ``event``."""
        old = {key: value for key, value in self.lists.items() if key[0] == scope}
        for key in old:
            del self.lists[key]
        defn = state.definition(Scope(scope))
        if defn is None:
            return
        other = Scope.CONFIG.value if scope == Scope.LIVE.value else Scope.LIVE.value
        for collection, ip_index, items in _lists(defn):
            pool = list(old.get((scope, collection, ip_index), []))
            if inherit is not None:
                pool = list(inherit.get((other, collection, ip_index), [])) + pool
            self.lists[(scope, collection, ip_index)] = [_take(pool, _content(collection, item), event)
                                                         for item in items]


def _expand(scopes: set[str]) -> set[str]:
    """Effect scopes as definitions ("both" is live and config)."""
    if BOTH_SCOPES in scopes:
        return (scopes - {BOTH_SCOPES}) | {Scope.LIVE.value, Scope.CONFIG.value}
    return scopes


def _take(pool: list[Attribution], content: str, event: Event) -> Attribution:
    """The first attribution of equal content in ``pool`` (removed from it), else a new one."""
    for position, (other, introduced) in enumerate(pool):
        if other == content:
            del pool[position]
            return content, introduced
    return content, event
