"""THE fold: one accepted change applied to one network's state.

Every reader of the history (the append path, rebuilds, time travel, verify,
the replay tool) folds events with :func:`apply_change` and nothing else
(:func:`apply_update` is apply_change for an update event, for replays that
need neither the Change nor the deltas).  It is deterministic: it reads only
the state and the change (define and create events carry every generated
value; update events carry the item edits the engine decided when the update
was accepted, so the engine is never re-run; start events carry what
libvirt's INACTIVE copy of the config loses).

The bridge driver's def/newDef lifecycle, in live/config terms
(see :mod:`netstore.state`):

=========================  ==================================================
define                     config = D (live untouched: pending while active); host, if it carries one
create                     live = D (a persistent config is kept); host, if it carries one
start                      live = config; config = its INACTIVE copy (stored edits)
destroy                    live = None (a transient network disappears)
undefine                   config = None, autostart off (removed if inactive)
autostart                  the flag
update                     the stored item edits, on live and/or config
rollback                   live and/or config = the stored definitions (the host assignment is kept)
assign                     host = the stored host id (definitions untouched)
=========================  ==================================================
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Optional

from netstore.engine import EditStep, apply_steps
from netstore.engine.lookup import existing_index
from netstore.errors import HistoryError
from netstore.events import BOTH_SCOPES, Change, EventType, assigned_host
from netstore.model.codec import copy_definition, from_dict, item_decoder, item_from_dict
from netstore.model.collections import FORWARD_PF, ITEM_COLLECTIONS, items_of
from netstore.model.parse_network import parse_network_xml
from netstore.model.types import NetworkDef
from netstore.state import Delta, FlagsDelta, ItemDelta, ItemOp, NetworkState, Scope, ScopeDelta

# One stored item edit: {"scope", "collection", "ip_index", "op", "index", "item"} (see Change.effects).
Effect = dict[str, Any]


def apply_change(state: NetworkState, change: Change) -> list[Delta]:
    """Fold ``change`` into ``state`` (in place) and return the projection deltas."""
    deltas = _HANDLERS[change.type](state, change)
    state.version += 1
    return deltas


def apply_update(state: NetworkState, effects: Sequence[Effect]) -> tuple[list[Effect], list[Effect]]:
    """:func:`apply_change` for an UPDATE event, given only its stored effects.

    Replays of long histories call this for update events instead of building a
    Change and its deltas: it folds exactly as apply_change does and returns the
    live and the config effects it applied, in order -- the fields of the
    :class:`ItemDelta` s apply_change would return, live ones first.
    """
    applied = _apply_effects(state, effects, EventType.UPDATE)
    state.version += 1
    return applied


def _define(state: NetworkState, change: Change) -> list[Delta]:
    state.config = parse_network_xml(_xml(change))
    state.host = assigned_host(change) or state.host
    return [ScopeDelta(Scope.CONFIG)]


def _create(state: NetworkState, change: Change) -> list[Delta]:
    state.live = parse_network_xml(_xml(change))
    state.host = assigned_host(change) or state.host
    return [ScopeDelta(Scope.LIVE)]


def _start(state: NetworkState, change: Change) -> list[Delta]:
    state.live = copy_definition(_present(state.config, state, change.type))
    config = _apply_effects(state, _by_scope(change.effects)[1], change.type)[1]
    return [ScopeDelta(Scope.LIVE), *_item_deltas(Scope.CONFIG, config)]


def _destroy(state: NetworkState, change: Change) -> list[Delta]:
    _present(state.live, state, change.type)
    state.live = None
    return [ScopeDelta(Scope.LIVE)]


def _undefine(state: NetworkState, change: Change) -> list[Delta]:
    _present(state.config, state, change.type)
    state.config = None
    deltas: list[Delta] = [ScopeDelta(Scope.CONFIG)]
    if state.autostart:
        state.autostart = False
        deltas.append(FlagsDelta())
    return deltas


def _autostart(state: NetworkState, change: Change) -> list[Delta]:
    state.autostart = bool(change.autostart)
    return [FlagsDelta()]


def _update(state: NetworkState, change: Change) -> list[Delta]:
    live, config = _apply_effects(state, change.effects, change.type)
    return [*_item_deltas(Scope.LIVE, live), *_item_deltas(Scope.CONFIG, config)]


def _rollback(state: NetworkState, change: Change) -> list[Delta]:
    """Restore whole definitions (a rollback's compensating event); live only while active."""
    deltas: list[Delta] = []
    for effect in change.effects:
        scope = Scope(effect["scope"])
        restored = from_dict(effect["definition"])
        if scope is Scope.LIVE:
            _present(state.live, state, change.type)
            state.live = restored
        else:
            state.config = restored
        deltas.append(ScopeDelta(scope))
    return deltas


# -- stored item edits --------------------------------------------------------------------------
#
# An event's live (and "both") effects apply to the live definition, then its config (and
# "both") effects to the config one (effects of another scope are ignored).  Each scope's effects
# are read and their items decoded first, then applied in order.  An edit of a list the engine
# keeps no match index for (every list, in a replay from scratch) is done here on the list
# itself, as apply_steps would do it; any other edit -- a slot, the whole definition, an indexed
# list, a position that does not fit -- goes through the engine's apply_steps, which keeps the
# index in step or raises.
# Items are immutable once built (they compare by identity and nothing edits one in place), so
# a config effect whose item equals a live effect's item of the same collection reuses the
# object decoded for the live one: one decode per event in the common LIVE|CONFIG update, whose
# single "both" effect takes a shortcut (_apply_to_both).  Within one definition every item
# stays a distinct object.

_OPS = {op.value: op for op in ItemOp}
_DECODERS = {collection: item_decoder(collection) for collection in ITEM_COLLECTIONS}
_LISTS = frozenset({*ITEM_COLLECTIONS, FORWARD_PF})  # real lists of a definition (not slots, not the whole)
_INSERT, _DELETE = ItemOp.INSERT, ItemOp.DELETE

# (collection, ip_index, op, index, item): one effect ready to apply
_Edit = tuple[str, int, ItemOp, int, Optional[object]]
# (collection, item dict, decoded item): live items a config effect may reuse
_Decoded = list[tuple[str, dict, object]]


def _by_scope(effects: Sequence[Effect]) -> tuple[list[Effect], list[Effect]]:
    live: list[Effect] = []
    config: list[Effect] = []
    for effect in effects:
        scope = effect["scope"]
        if scope == "live":
            live.append(effect)
        elif scope == "config":
            config.append(effect)
        elif scope == BOTH_SCOPES:
            live.append(effect)
            config.append(effect)
    return live, config


def _apply_effects(state: NetworkState, effects: Sequence[Effect],
                   kind: EventType) -> tuple[list[Effect], list[Effect]]:
    """Apply ``effects``, live ones then config ones; return the two lists."""
    if len(effects) == 1 and effects[0]["scope"] == BOTH_SCOPES:
        return _apply_to_both(state, effects[0], kind)
    live, config = _by_scope(effects)
    decoded: _Decoded = []
    if live:
        _apply_scope(_present(state.live, state, kind), live, decoded, None)
    if config:
        _apply_scope(_present(state.config, state, kind), config, None, decoded)
    return live, config


def _apply_to_both(state: NetworkState, effect: Effect, kind: EventType) -> tuple[list[Effect], list[Effect]]:
    """:func:`_apply_effects` for one effect on both copies: read once, the same edit on each.

    Returns the effect as both lists, in one list object (see SortKeys.follow).
    """
    live = _present(state.live, state, kind)
    collection, ip_index, op, index, item = _read(effect, None, None)
    _apply_edit(live, collection, ip_index, op, index, item)
    _apply_edit(_present(state.config, state, kind), collection, ip_index, op, index, item)
    both = [effect]
    return both, both


def _apply_scope(defn: NetworkDef, effects: list[Effect], record: Optional[_Decoded],
                 reuse: Optional[_Decoded]) -> None:
    """Apply one scope's effects; all are read (items decoded or reused) before the first is applied."""
    for edit in [_read(effect, record, reuse) for effect in effects]:
        _apply_edit(defn, *edit)


def _read(effect: Effect, record: Optional[_Decoded], reuse: Optional[_Decoded]) -> _Edit:
    """One effect's fields (as the reference EditStep reads them) with its item decoded."""
    data = effect["item"]
    collection = effect["collection"]
    ip_index = effect["ip_index"]
    op = _op(effect["op"])
    index = effect["index"]
    return collection, ip_index, op, index, None if data is None else _item(collection, data, record, reuse)


def _item(collection: str, data: dict, record: Optional[_Decoded], reuse: Optional[_Decoded]) -> object:
    """The item of an effect: a live one decoded from an equal dict (config), or a new one."""
    item = _reuse(reuse, collection, data) if reuse else None
    if item is None:
        decode = _DECODERS.get(collection)
        item = decode(data) if decode is not None else item_from_dict(collection, data)
        if record is not None:
            record.append((collection, data, item))
    return item


def _apply_edit(defn: NetworkDef, collection: str, ip_index: int, op: ItemOp, index: int,
                item: Optional[object]) -> None:
    """One edit: on the list itself when it fits and the engine keeps no index of it, else by apply_steps."""
    if type(index) is int and collection in _LISTS:
        items = items_of(defn, collection, ip_index)
        if existing_index(defn, collection, ip_index, items) is None:
            if op is _INSERT:
                if item is not None and 0 <= index <= len(items):
                    items.insert(index, item)
                    return
            elif op is _DELETE:
                if 0 <= index < len(items):
                    del items[index]
                    return
            elif item is not None and 0 <= index < len(items):
                items[index] = item
                return
    apply_steps(defn, (EditStep(collection, ip_index, op, index, item),))


def _reuse(decoded: _Decoded, collection: str, data: dict) -> Optional[object]:
    """Take the recorded item of ``collection`` decoded from a dict equal to ``data``, if any."""
    for position, (other, other_data, item) in enumerate(decoded):
        if other == collection and other_data == data:
            del decoded[position]  # taken: one definition never holds the same object twice
            return item
    return None


def _op(raw: Any) -> ItemOp:
    try:
        return _OPS[raw]
    except (KeyError, TypeError):
        return ItemOp(raw)


def _item_deltas(scope: Scope, effects: list[Effect]) -> Iterator[ItemDelta]:
    for effect in effects:
        yield ItemDelta(scope, effect["collection"], effect["ip_index"], _op(effect["op"]), effect["index"])


def _xml(change: Change) -> str:
    if change.xml is None:
        raise HistoryError(f"{change.type.value} event for {change.network!r} carries no XML")
    return change.xml


def _present(defn: NetworkDef | None, state: NetworkState, kind: EventType) -> NetworkDef:
    """The definition a change needs; its absence means the history is inconsistent."""
    if defn is None:
        raise HistoryError(f"{kind.value} event cannot apply to network {state.name!r} at version {state.version}")
    return defn


def _assign(state: NetworkState, change: Change) -> list[Delta]:
    if not state.exists:
        raise HistoryError(f"assign event cannot apply to network {state.name!r} at version {state.version}")
    state.host = assigned_host(change)
    return []


_HANDLERS: dict[EventType, Callable[[NetworkState, Change], list[Delta]]] = {
    EventType.DEFINE: _define,
    EventType.CREATE: _create,
    EventType.START: _start,
    EventType.DESTROY: _destroy,
    EventType.UNDEFINE: _undefine,
    EventType.AUTOSTART: _autostart,
    EventType.UPDATE: _update,
    EventType.ROLLBACK: _rollback,
    EventType.ASSIGN: _assign,
}


def fold_changes(state: NetworkState, changes: Iterable[Change]) -> NetworkState:
    """Fold several changes in order (replay); returns ``state`` for chaining."""
    for change in changes:
        apply_change(state, change)
    return state
