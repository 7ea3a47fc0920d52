"""Rollback: compensating events that make a network's definitions equal their state at a past version.

History is never rewritten: a rollback appends ONE ``rollback`` event through
the store's append path, carrying each definition it restores whole (and the
version restored), so replay needs nothing but the event.  It restores what
the network's current lifecycle allows and says what it could not:

* the live definition only while the network runs, and only to a live
  definition (a rollback neither starts nor stops a network);
* the persistent definition only while the network is persistent, and only to
  a persistent definition (a rollback neither defines nor undefines it).

So a rollback never changes the network's lifecycle, and rolling it back (to the
version before it) always restores exactly what it changed.

Autostart is left as it is.  A target where the network did not exist, or had
another uuid (it was undefined and defined anew since), is refused and
nothing is appended.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from netstore.audit.timetravel import Moment, resolve_version, unified_diff
from netstore.decision import Decide, StoreView
from netstore.errors import VIR_ERR_NO_NETWORK, internal_error, libvirtError, operation_invalid
from netstore.events import Change, Event, EventType
from netstore.lifecycle.decide import uuid_of
from netstore.model.codec import to_dict
from netstore.model.format import format_network
from netstore.model.types import NetworkDef
from netstore.state import NetworkState, Scope
from netstore.store import EventStore


@dataclass(frozen=True, slots=True)
class RollbackResult:
    """What a rollback did (or, dry, would do)."""

    network: str
    target_version: int
    diff: str  # unified diffs of the definitions restored ("": nothing to restore)
    restored: tuple[str, ...]  # "live", "config"
    not_restored: tuple[str, ...]  # one sentence per part that could not be restored
    event: Optional[Event]  # the rollback event appended (None: dry run, or nothing to restore)


@dataclass(frozen=True, slots=True)
class _Plan:
    target_version: int
    restores: tuple[tuple[Scope, NetworkDef], ...]
    not_restored: tuple[str, ...]
    diff: str


def rollback(store: EventStore, name: str, to: Moment, *, actor: Optional[str] = None,
             reason: Optional[str] = None, idempotency_key: Optional[str] = None,
             dry_run: bool = False) -> RollbackResult:
    """Make ``name``'s definitions equal their state at ``to`` (a version or a time), in one event.

    A repeated ``idempotency_key`` returns the original rollback's event and appends nothing.
    """
    version = resolve_version(store, name, to)
    target = store.state_at(name, version) if version else None
    if target is None:
        raise operation_invalid(f"network '{name}' did not exist at version {version}; nothing to roll back to")
    if dry_run:
        return _result(name, _plan(_current(store.load(name), name), target, version), None)
    plans: list[_Plan] = []
    try:
        event: Optional[Event] = store.append(name, _decider(name, target, version, plans), actor=actor,
                                              reason=reason, idempotency_key=idempotency_key)
    except _NothingToRestoreError:
        event = None
    if not plans and event is not None:
        return _repeated(name, event)
    return _result(name, plans[-1], event)


def _decider(name: str, target: NetworkState, version: int, plans: list[_Plan]) -> Decide:
    """The decide function of the append: plan against the state it is given (recorded in ``plans``)."""

    def decide(state: NetworkState, view: StoreView) -> Change:
        plan = _plan(_current(state, name), target, version)
        plans.append(plan)
        if not plan.restores:
            raise _NothingToRestoreError()
        _check_bridges(plan.restores, name, view)
        effects = tuple({"scope": scope.value, "definition": to_dict(defn), "to_version": version}
                        for scope, defn in plan.restores)
        restored = {scope for scope, _ in plan.restores}
        return Change(EventType.ROLLBACK, name, affects_live=Scope.LIVE in restored,
                      affects_config=Scope.CONFIG in restored, effects=effects)

    return decide


def _repeated(name: str, event: Event) -> RollbackResult:
    """The result of an idempotent repeat: the original event, decided by an earlier call."""
    effects = event.change.effects
    return RollbackResult(name, int(effects[0]["to_version"]), "", tuple(effect["scope"] for effect in effects),
                          (), event)


class _NothingToRestoreError(Exception):
    """Raised by the decide function to append nothing (every definition already equals the target)."""


def _current(state: Optional[NetworkState], name: str) -> NetworkState:
    if state is None or not state.exists:
        raise libvirtError(VIR_ERR_NO_NETWORK, f"no network with matching name '{name}'")
    return state


def _result(name: str, plan: _Plan, event: Optional[Event]) -> RollbackResult:
    return RollbackResult(name, plan.target_version, plan.diff, tuple(scope.value for scope, _ in plan.restores),
                          plan.not_restored, event)


def _plan(current: NetworkState, target: NetworkState, version: int) -> _Plan:
    """Which definitions to restore, and what cannot be, against the current state."""
    if uuid_of(current) != uuid_of(target):
        raise operation_invalid(f"network '{current.name}' had uuid {uuid_of(target)} at version {version}, "
                                f"not its current uuid {uuid_of(current)}; nothing to roll back to")
    restores: list[tuple[Scope, NetworkDef]] = []
    refused: list[str] = []
    diffs: list[str] = []
    for scope in (Scope.LIVE, Scope.CONFIG):
        now, then = current.definition(scope), target.definition(scope)
        problem = _unrestorable(scope, now, then, version)
        if problem is not None:
            refused.append(problem)
        if then is None or problem is not None:
            continue
        inactive = scope is Scope.CONFIG
        before = format_network(now, inactive=inactive) if now is not None else ""
        after = format_network(then, inactive=inactive)
        if before != after:
            restores.append((scope, then))
            diffs.append(unified_diff(before, after, f"{current.name} {scope.value}@{current.version}",
                                      f"{current.name} {scope.value}@{version}"))
    return _Plan(version, tuple(restores), tuple(refused), "".join(diffs))


def _unrestorable(scope: Scope, now: Optional[NetworkDef], then: Optional[NetworkDef], version: int) -> Optional[str]:
    """Why ``scope`` cannot be restored (None: it can, or there is nothing to restore)."""
    if scope is Scope.LIVE and then is not None and now is None:
        return f"live state not restored: the network is not running now (it was at version {version})"
    if scope is Scope.LIVE and then is None and now is not None:
        return f"live state not restored: the network was not running at version {version} (a rollback does not stop it)"
    if scope is Scope.CONFIG and then is None and now is not None:
        return (f"persistent config not restored: the network was transient at version {version} "
                "(a rollback does not undefine it)")
    if scope is Scope.CONFIG and then is not None and now is None:
        return (f"persistent config not restored: the network is transient now (it was persistent at version "
                f"{version}; a rollback does not define it)")
    return None


def _check_bridges(restores: tuple[tuple[Scope, NetworkDef], ...], name: str, view: StoreView) -> None:
    """A restored definition may not take a bridge another network has taken since."""
    in_use = view.bridges_in_use(name)
    for _, defn in restores:
        if defn.bridge.name and defn.bridge.name in in_use:
            raise internal_error(f"bridge name '{defn.bridge.name}' already in use.")
