"""THE fold: one accepted change applied to one network's state.

Every reader of the history (the append path, rebuilds, time travel, verify,
the replay tool) folds events with :func:`apply_change` and nothing else.  It
is deterministic: it reads only the state and the change (define and create
events carry every generated value; update events carry the item edits the
engine decided when the update was accepted, so the engine is never re-run;
start events carry what libvirt's INACTIVE copy of the config loses).

The bridge driver's def/newDef lifecycle, in live/config terms
(see :mod:`netstore.projector.state`):

=========================  ==================================================
define                     config = D (live untouched: pending while active)
create                     live = D (a persistent config is kept)
start                      live = config; config = its INACTIVE copy (stored edits)
destroy                    live = None (a transient network disappears)
undefine                   config = None, autostart off (removed if inactive)
autostart                  the flag
update                     the stored item edits, on live and/or config
=========================  ==================================================
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from netstore.engine import EditStep, apply_steps
from netstore.events import Change, EventType
from netstore.model.codec import copy_definition, item_from_dict
from netstore.model.parse_network import parse_network_xml
from netstore.model.types import NetworkDef
from netstore.projector.state import Delta, FlagsDelta, ItemDelta, ItemOp, NetworkState, Scope, ScopeDelta


def apply_change(state: NetworkState, change: Change) -> list[Delta]:
    """Fold ``change`` into ``state`` (in place) and return the projection deltas."""
    deltas = _HANDLERS[change.type](state, change)
    state.version += 1
    return deltas


def _define(state: NetworkState, change: Change) -> list[Delta]:
    state.config = parse_network_xml(_xml(change))
    return [ScopeDelta(Scope.CONFIG)]


def _create(state: NetworkState, change: Change) -> list[Delta]:
    state.live = parse_network_xml(_xml(change))
    return [ScopeDelta(Scope.LIVE)]


def _start(state: NetworkState, change: Change) -> list[Delta]:
    state.live = copy_definition(_present(state.config, state, change))
    return [ScopeDelta(Scope.LIVE), *_apply_effects(state, change, Scope.CONFIG)]


def _destroy(state: NetworkState, change: Change) -> list[Delta]:
    _present(state.live, state, change)
    state.live = None
    return [ScopeDelta(Scope.LIVE)]


def _undefine(state: NetworkState, change: Change) -> list[Delta]:
    _present(state.config, state, change)
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
    return [*_apply_effects(state, change, Scope.LIVE), *_apply_effects(state, change, Scope.CONFIG)]


def _apply_effects(state: NetworkState, change: Change, scope: Scope) -> list[Delta]:
    effects = [effect for effect in change.effects if effect["scope"] == scope.value]
    if effects:
        apply_steps(_present(state.definition(scope), state, change), [_step(e) for e in effects])
    return [_item_delta(scope, e) for e in effects]


def _step(effect: dict) -> EditStep:
    item = effect["item"]
    collection = effect["collection"]
    return EditStep(
        collection=collection,
        ip_index=effect["ip_index"],
        op=ItemOp(effect["op"]),
        index=effect["index"],
        item=None if item is None else item_from_dict(collection, item),
    )


def _item_delta(scope: Scope, effect: dict) -> ItemDelta:
    return ItemDelta(scope, effect["collection"], effect["ip_index"], ItemOp(effect["op"]), effect["index"])


def _xml(change: Change) -> str:
    if change.xml is None:
        raise ValueError(f"{change.type.value} event for {change.network!r} carries no XML")
    return change.xml


def _present(defn: NetworkDef | None, state: NetworkState, change: Change) -> NetworkDef:
    """The definition a change needs; its absence means the history is inconsistent."""
    if defn is None:
        raise ValueError(
            f"{change.type.value} event cannot apply to network {state.name!r} at version {state.version}"
        )
    return defn


_HANDLERS: dict[EventType, Callable[[NetworkState, Change], list[Delta]]] = {
    EventType.DEFINE: _define,
    EventType.CREATE: _create,
    EventType.START: _start,
    EventType.DESTROY: _destroy,
    EventType.UNDEFINE: _undefine,
    EventType.AUTOSTART: _autostart,
    EventType.UPDATE: _update,
}


def fold_changes(state: NetworkState, changes: Iterable[Change]) -> NetworkState:
    """Fold several changes in order (replay); returns ``state`` for chaining."""
    for change in changes:
        apply_change(state, change)
    return state
