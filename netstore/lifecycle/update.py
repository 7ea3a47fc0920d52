"""virNetworkUpdate's decision: arguments, targets, state errors, then the engine.

CURRENT is resolved from the state now (active: LIVE, else CONFIG) and the
resolved targets go into the event, so replay never depends on the state of
the world.  LIVE|CONFIG is atomic: the engine plans the same request on the
live and on the persistent definition independently (each has its own
matching and duplicate checks, and each is libvirt's copy of it: the
persistent one formatted INACTIVE); LIVE is planned first so its error
wins, and the change is accepted only if both plans succeed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from netstore.constants import UpdateFlags
from netstore.engine import EditStep, UpdateFragment, plan_update
from netstore.errors import VIR_ERR_INVALID_ARG, HistoryError, libvirtError, operation_invalid
from netstore.events import BOTH_SCOPES, Change, EventType
from netstore.lifecycle.flags import check_flags
from netstore.model.codec import item_to_dict
from netstore.model.types import NetworkDef
from netstore.state import ItemOp, NetworkState, Scope

SUPPORTED_FLAGS = int(UpdateFlags.AFFECT_LIVE | UpdateFlags.AFFECT_CONFIG)


def check_update_arguments(xml: str | None, flags: int) -> str:
    """The checks made before the network is looked up: xml present, flags known."""
    if xml is None:
        raise libvirtError(VIR_ERR_INVALID_ARG, "xml in virNetworkUpdate must not be NULL")
    check_flags(flags, SUPPORTED_FLAGS, "networkUpdate")
    return xml


def resolve_targets(state: NetworkState, flags: int) -> tuple[bool, bool]:
    """(live, config) after CURRENT resolution and the state checks (virNetworkObjConfigChangeSetup)."""
    live = bool(flags & UpdateFlags.AFFECT_LIVE)
    config = bool(flags & UpdateFlags.AFFECT_CONFIG)
    if not (live or config):
        live, config = state.active, not state.active
    if live and not state.active:
        raise operation_invalid("network is not running")
    if config and not state.persistent:
        raise operation_invalid("cannot change persistent config of a transient network")
    return live, config


def plan_change(state: NetworkState, command: int, section: int, parent_index: int, xml: str, flags: int) -> Change:
    """The UPDATE change for ``state``: the request as given, its targets and the engine's edits."""
    live, config = resolve_targets(state, flags)
    fragment = UpdateFragment(xml)  # parsed once, for both copies
    planned = {scope: plan_update(_definition(state, scope), command, section, parent_index, fragment,
                                  inactive=scope is Scope.CONFIG)
               for scope, wanted in ((Scope.LIVE, live), (Scope.CONFIG, config)) if wanted}
    return Change(
        EventType.UPDATE,
        state.name,
        xml=xml,
        command=int(command),
        section=int(section),
        parent_index=int(parent_index),
        flags=int(flags),
        affects_live=live,
        affects_config=config,
        effects=scoped_effects(planned),
    )


def scoped_effects(planned: Mapping[Scope, Sequence[EditStep]]) -> tuple[dict, ...]:
    """The effects of the steps planned per scope; edits equal on both copies are stored once, as "both"."""
    live, config = planned.get(Scope.LIVE), planned.get(Scope.CONFIG)
    if live is not None and config is not None:
        shared = [effect_dict(BOTH_SCOPES, step) for step in live]
        # equal steps (the engine shares one parsed item between the copies) need no second encoding
        if live == config or shared == [effect_dict(BOTH_SCOPES, step) for step in config]:
            return tuple(shared)
    return tuple(effect_dict(scope, step) for scope, steps in planned.items() for step in steps)


def effect_dict(scope: Scope | str, step: EditStep) -> dict:
    """An engine edit as the JSON-able dict an update event stores."""
    return {
        "scope": scope if isinstance(scope, str) else scope.value,
        "collection": step.collection,
        "ip_index": step.ip_index,
        "op": ItemOp(step.op).value,
        "index": step.index,
        "item": None if step.item is None else item_to_dict(step.collection, step.item),
    }


def _definition(state: NetworkState, scope: Scope) -> NetworkDef:
    defn = state.definition(scope)
    if defn is None:
        raise HistoryError(f"network {state.name!r} has no {scope.value} definition")
    return defn
