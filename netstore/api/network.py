""":class:`Network`: libvirt-python's virNetwork over the event store.

A Network is a handle (name + uuid), like libvirt's virNetworkPtr: every
call reads the network's current state from the store (another process may
have changed it), and every change goes through ``store.append`` with a
decide function from :mod:`netstore.lifecycle.decide`.  Changing calls also take
keyword-only ``actor``, ``reason`` and ``idempotency_key``, recorded with
the event.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from netstore.api.boundary import libvirt_call
from netstore.audit.blame import BlameEntry, blame
from netstore.audit.query import HistoryFilter
from netstore.audit.rollback import RollbackResult, rollback
from netstore.audit.timetravel import Moment, diff_as_of, xml_as_of
from netstore.constants import VIR_NETWORK_XML_INACTIVE
from netstore.decision import Decide
from netstore.errors import VIR_ERR_INVALID_MAC, VIR_ERR_SYSTEM_ERROR, internal_error, libvirtError
from netstore.events import Event
from netstore.fleet.assign import assign
from netstore.fleet.hosts import checked_host_id
from netstore.lifecycle import decide
from netstore.lifecycle.decide import NetworkRef, current_definition
from netstore.lifecycle.flags import check_flags
from netstore.model.format import format_network
from netstore.model.values import parse_mac
from netstore.reconciler.errors import ReconcileError
from netstore.reconciler.leases import lease_prefixes, read_leases
from netstore.reconciler.paths import default_paths
from netstore.state import NetworkState

if TYPE_CHECKING:
    from netstore.api.connection import Connection


class Network:
    """One network of a :class:`~netstore.api.connection.Connection`."""

    def __init__(self, conn: Connection, name: str, uuid: str) -> None:
        self._conn = conn
        self._ref = NetworkRef(name, uuid)

    def __repr__(self) -> str:
        return f"<netstore.Network {self._ref.name!r} {self._ref.uuid}>"

    def connect(self) -> Connection:
        return self._conn

    def name(self) -> str:
        return self._ref.name

    def UUIDString(self) -> str:  # noqa: N802 - libvirt-python's names throughout
        return self._ref.uuid

    def UUID(self) -> bytes:  # noqa: N802 - libvirt-python's method name
        return bytes.fromhex(self._ref.uuid.replace("-", ""))

    @libvirt_call("virNetworkIsActive")
    def isActive(self) -> int:  # noqa: N802 - libvirt-python's method name
        return int(self._state().active)

    @libvirt_call("virNetworkIsPersistent")
    def isPersistent(self) -> int:  # noqa: N802 - libvirt-python's method name
        return int(self._state().persistent)

    @libvirt_call("virNetworkGetAutostart")
    def autostart(self) -> int:
        return int(self._state().autostart)

    @libvirt_call("virNetworkGetBridgeName")
    def bridgeName(self) -> str:  # noqa: N802 - libvirt-python's method name
        defn = current_definition(self._state())
        if not defn.bridge.name:
            raise internal_error(f"network '{defn.name}' does not have a bridge name.")
        return defn.bridge.name

    @libvirt_call("virNetworkGetXMLDesc")
    def XMLDesc(self, flags: int = 0) -> str:  # noqa: N802 - libvirt-python's method name
        """The live definition, or with VIR_NETWORK_XML_INACTIVE the persistent one."""
        check_flags(flags, VIR_NETWORK_XML_INACTIVE, "networkGetXMLDesc")
        inactive = bool(flags & VIR_NETWORK_XML_INACTIVE)
        return format_network(current_definition(self._state(), inactive), inactive=inactive)

    @libvirt_call("virNetworkCreate")
    def create(
        self, *, actor: str | None = None, reason: str | None = None, idempotency_key: str | None = None
    ) -> int:
        """Start the network."""
        return self._change(decide.start(self._ref), actor, reason, idempotency_key)

    @libvirt_call("virNetworkDestroy")
    def destroy(
        self, *, actor: str | None = None, reason: str | None = None, idempotency_key: str | None = None
    ) -> int:
        """Stop the network; its pending persistent config takes effect, a transient one disappears."""
        return self._change(decide.destroy(self._ref), actor, reason, idempotency_key)

    @libvirt_call("virNetworkUndefine")
    def undefine(
        self, *, actor: str | None = None, reason: str | None = None, idempotency_key: str | None = None
    ) -> int:
        """Remove the persistent config (a running network keeps running, transient)."""
        return self._change(decide.undefine(self._ref), actor, reason, idempotency_key)

    @libvirt_call("virNetworkSetAutostart")
    def setAutostart(  # noqa: N802 - libvirt-python's method name
        self,
        autostart: int,
        *,
        actor: str | None = None,
        reason: str | None = None,
        idempotency_key: str | None = None,
    ) -> int:
        if not isinstance(autostart, int):
            raise TypeError(f"autostart must be an integer, not {type(autostart).__name__}")
        state = self._state()
        if state.persistent and state.autostart == bool(autostart):
            return 0
        return self._change(decide.set_autostart(self._ref, autostart), actor, reason, idempotency_key)

    @libvirt_call("virNetworkUpdate")
    def update(
        self,
        command: int,
        section: int,
        parentIndex: int,  # noqa: N803 - libvirt-python's argument name
        xml: str | None,
        flags: int = 0,
        *,
        actor: str | None = None,
        reason: str | None = None,
        idempotency_key: str | None = None,
    ) -> int:
        """virNetworkUpdate: edit one item of the live and/or persistent definition; returns 0."""
        decision = decide.update(self._ref, command, section, parentIndex, xml, flags)
        return self._change(decision, actor, reason, idempotency_key)

    @libvirt_call("netstoreNetworkGetHost")
    def host(self) -> str | None:
        """The fleet host whose reconciler serves this network (None: unassigned, every host serves it)."""
        return self._state().host

    @libvirt_call("netstoreNetworkSetHost")
    def setHost(  # noqa: N802 - libvirt-style method name
        self, host: str, *, actor: str | None = None, reason: str | None = None, idempotency_key: str | None = None
    ) -> int:
        """Assign this network to fleet host ``host`` (an audited event; no event if it already is)."""
        if self._state().host == checked_host_id(host):
            return 0
        return self._change(assign(self._ref, host), actor, reason, idempotency_key)

    @libvirt_call("virNetworkGetDHCPLeases")
    def DHCPLeases(self, mac: str | None = None, flags: int = 0) -> list[dict[str, Any]]:  # noqa: N802 - libvirt-python's method name
        """virNetworkGetDHCPLeases: the unexpired leases in dnsmasq's lease file (none without a file)."""
        check_flags(flags, 0, "networkGetDHCPLeases")
        if mac is not None and parse_mac(mac) is None:
            raise libvirtError(VIR_ERR_INVALID_MAC, mac)
        defn = current_definition(self._state())
        path = default_paths().leases(defn.name)
        try:
            return read_leases(path, mac=mac, iface=defn.bridge.name or "", prefixes=lease_prefixes(defn))
        except ReconcileError as err:
            raise libvirtError(VIR_ERR_SYSTEM_ERROR, str(err)) from err

    # -- netstore's own: audit, time travel, rollback (see netstore.audit) ------------------

    @libvirt_call("netstoreNetworkHistory")
    def history(self, wanted: HistoryFilter | None = None) -> list[Event]:
        """This network's events, filtered (see :class:`netstore.audit.query.HistoryFilter`), oldest first."""
        return self._conn.history(self._ref.name, wanted)

    @libvirt_call("netstoreNetworkGetXMLDescAsOf")
    def XMLDescAsOf(self, at: Moment, flags: int = 0) -> str:  # noqa: N802 - libvirt-style method name
        """XMLDesc as it was at ``at``: a version (int or its text) or a time (ISO text or datetime)."""
        check_flags(flags, VIR_NETWORK_XML_INACTIVE, "networkGetXMLDesc")
        return xml_as_of(self._conn.store, self._ref.name, at, bool(flags & VIR_NETWORK_XML_INACTIVE))

    @libvirt_call("netstoreNetworkDiff")
    def diff(self, start: Moment, end: Moment, flags: int = 0) -> str:
        """The unified diff of XMLDesc between two versions or times (``""``: equal)."""
        check_flags(flags, VIR_NETWORK_XML_INACTIVE, "networkGetXMLDesc")
        return diff_as_of(self._conn.store, self._ref.name, start, end, bool(flags & VIR_NETWORK_XML_INACTIVE))

    @libvirt_call("netstoreNetworkBlame")
    def blame(self, flags: int = 0, at: Moment | None = None) -> list[BlameEntry]:
        """Every entry of the XMLDesc definition (VIR_NETWORK_XML_INACTIVE: persistent) with its event;
        ``at``: as of that version or time."""
        check_flags(flags, VIR_NETWORK_XML_INACTIVE, "networkGetXMLDesc")
        return blame(self._conn.store, self._ref.name, bool(flags & VIR_NETWORK_XML_INACTIVE), at)

    @libvirt_call("netstoreNetworkRollback")
    def rollback(
        self,
        to: Moment,
        *,
        actor: str | None = None,
        reason: str | None = None,
        idempotency_key: str | None = None,
        dry_run: bool = False,
    ) -> RollbackResult:
        """Restore the definitions of version/time ``to`` with one compensating event (see netstore.audit.rollback)."""
        self._state()
        return rollback(self._conn.store, self._ref.name, to, actor=actor or self._conn.actor, reason=reason,
                        idempotency_key=idempotency_key, dry_run=dry_run)

    def _state(self) -> NetworkState:
        return self._ref.resolve(self._conn._load(self._ref.name))

    def _change(self, decision: Decide, actor: str | None, reason: str | None, idempotency_key: str | None) -> int:
        self._conn._append(self._ref.name, decision, actor, reason, idempotency_key)
        return 0
