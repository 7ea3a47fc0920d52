"""The decide functions: one per lifecycle call, in the bridge driver's terms.

Each factory checks what needs no state at once and returns a function
``decide(state, view) -> Change`` for :meth:`EventStore.append`, which runs
it inside the write transaction with the network's current state (one that
does not exist for a name never seen; ``None`` is accepted too).  A refusal
is a :class:`libvirtError`; nothing is appended then.
"""

from __future__ import annotations

from dataclasses import dataclass

from netstore.decision import Decide, StoreView
from netstore.engine import roundtrip
from netstore.errors import VIR_ERR_NO_NETWORK, VIR_ERR_OPERATION_FAILED, HistoryError, libvirtError, operation_invalid
from netstore.events import Change, EventType
from netstore.lifecycle.host import LOCAL_HOST, Host
from netstore.lifecycle.request import DefinitionRequest, event_xml
from netstore.lifecycle.update import check_update_arguments, effect_dict, plan_change
from netstore.lifecycle.validate import validate_for_bridge_driver
from netstore.model.codec import copy_definition
from netstore.model.safety import check_network
from netstore.model.types import NetworkDef
from netstore.state import NetworkState, Scope


@dataclass(frozen=True, slots=True)
class NetworkRef:
    """A handle on a network as libvirt keeps it: name and uuid (virNetworkPtr)."""

    name: str
    uuid: str

    def resolve(self, state: NetworkState | None) -> NetworkState:
        """The network's state, or 43 when it no longer exists under this uuid."""
        if state is None or not state.exists or uuid_of(state) != self.uuid:
            raise libvirtError(VIR_ERR_NO_NETWORK, f"no network with matching uuid '{self.uuid}' ({self.name})")
        return state


def current_definition(state: NetworkState, inactive: bool = False) -> NetworkDef:
    """The definition XMLDesc shows (see :meth:`NetworkState.current`) of an existing network."""
    defn = state.current(inactive)
    if defn is None:
        raise HistoryError(f"network {state.name!r} does not exist")
    return defn


def uuid_of(state: NetworkState) -> str:
    return current_definition(state).uuid


def define(request: DefinitionRequest, host: Host = LOCAL_HOST) -> Decide:
    """virNetworkDefineXML: a new persistent network, or a new persistent config."""
    return _assign(request, host, EventType.DEFINE, live=False)


def create(request: DefinitionRequest, host: Host = LOCAL_HOST) -> Decide:
    """virNetworkCreateXML: start a network from XML (transient unless already defined)."""
    return _assign(request, host, EventType.CREATE, live=True)


def _assign(request: DefinitionRequest, host: Host, event_type: EventType, *, live: bool) -> Decide:
    """define and create: validate the definition, check the name/uuid assignment, record the XML."""

    def decide(state: NetworkState | None, view: StoreView) -> Change:
        defn = _validated(request, view, host)
        _check_assignment(defn, state, view, live=live)
        return Change(event_type, defn.name, xml=event_xml(request, defn))

    return decide


def start(ref: NetworkRef) -> Decide:
    """virNetworkCreate: start a defined network."""

    def decide(state: NetworkState | None, view: StoreView) -> Change:
        current = ref.resolve(state)
        if current.active:
            raise operation_invalid("network is already active")
        config = current.config
        if config is None:
            raise HistoryError(f"inactive network {current.name!r} has no config")
        return Change(EventType.START, current.name, effects=persistent_copy_effects(config))

    return decide


def destroy(ref: NetworkRef) -> Decide:
    """virNetworkDestroy: stop a network (a transient one disappears)."""

    def decide(state: NetworkState | None, view: StoreView) -> Change:
        current = ref.resolve(state)
        if not current.active:
            raise operation_invalid(f"network '{current.name}' is not active")
        return Change(EventType.DESTROY, current.name)

    return decide


def undefine(ref: NetworkRef) -> Decide:
    """virNetworkUndefine: drop the persistent config (a running network turns transient)."""

    def decide(state: NetworkState | None, view: StoreView) -> Change:
        current = ref.resolve(state)
        if not current.persistent:
            raise operation_invalid("can't undefine transient network")
        return Change(EventType.UNDEFINE, current.name)

    return decide


def set_autostart(ref: NetworkRef, autostart: int) -> Decide:
    """virNetworkSetAutostart."""

    def decide(state: NetworkState | None, view: StoreView) -> Change:
        current = ref.resolve(state)
        if not current.persistent:
            raise operation_invalid("cannot set autostart for transient network")
        return Change(EventType.AUTOSTART, current.name, autostart=bool(autostart))

    return decide


def update(ref: NetworkRef, command: int, section: int, parent_index: int, xml: str | None, flags: int) -> Decide:
    """virNetworkUpdate; argument errors are raised here, before any lookup."""
    checked_xml = check_update_arguments(xml, flags)

    def decide(state: NetworkState | None, view: StoreView) -> Change:
        return plan_change(ref.resolve(state), command, section, parent_index, checked_xml, flags)

    return decide


def persistent_copy_effects(config: NetworkDef) -> tuple[dict, ...]:
    """What the config loses when a start copies it (virNetworkObjSetDefTransient: INACTIVE format + parse).

    A definition the formatter cannot reproduce takes the real round trip, so
    the start fails with libvirt's own error.
    """
    if config.needs_roundtrip:
        roundtrip.reparse(config, inactive=True)
    return tuple(effect_dict(Scope.CONFIG, step) for step in roundtrip.copy_steps(config, inactive=True))


def _validated(request: DefinitionRequest, view: StoreView, host: Host) -> NetworkDef:
    defn = copy_definition(request.parsed)
    validate_for_bridge_driver(defn, view, host)
    check_network(defn)
    return defn


def _check_assignment(defn: NetworkDef, state: NetworkState | None, view: StoreView, *, live: bool) -> None:
    """virNetworkObjAssignDef: the name and uuid must both match an existing network, or neither."""
    current = state if state is not None and state.exists else None
    if current is not None and uuid_of(current) == defn.uuid:
        if live and current.active:
            raise operation_invalid(f"network is already active as '{current.name}'")
        return
    holder = view.network_with_uuid(defn.uuid)
    if holder is not None:
        raise libvirtError(
            VIR_ERR_OPERATION_FAILED, f"network '{holder}' is already defined with uuid {defn.uuid}"
        )
    if current is not None:
        raise libvirtError(
            VIR_ERR_OPERATION_FAILED, f"network '{defn.name}' already exists with uuid {uuid_of(current)}"
        )
