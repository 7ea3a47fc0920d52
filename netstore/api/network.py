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

from netstore.constants import VIR_NETWORK_XML_INACTIVE
from netstore.errors import VIR_ERR_INVALID_MAC, VIR_ERR_SYSTEM_ERROR, internal_error, libvirtError
from netstore.lifecycle import decide
from netstore.lifecycle.decide import Decide, NetworkRef, current_definition
from netstore.lifecycle.flags import check_flags
from netstore.model.format import format_network
from netstore.model.values import parse_mac
from netstore.projector.state import NetworkState
from netstore.reconciler.errors import ReconcileError
from netstore.reconciler.leases import lease_prefixes, read_leases
from netstore.reconciler.paths import default_paths

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

    def UUID(self) -> bytes:  # noqa: N802
        return bytes.fromhex(self._ref.uuid.replace("-", ""))

    def isActive(self) -> int:  # noqa: N802
        return int(self._state().active)

    def isPersistent(self) -> int:  # noqa: N802
        return int(self._state().persistent)

    def autostart(self) -> int:
        return int(self._state().autostart)

    def bridgeName(self) -> str:  # noqa: N802
        defn = current_definition(self._state())
        if not defn.bridge.name:
            raise internal_error(f"network '{defn.name}' does not have a bridge name.")
        return defn.bridge.name

    def XMLDesc(self, flags: int = 0) -> str:  # noqa: N802
        """The live definition, or with VIR_NETWORK_XML_INACTIVE the persistent one."""
        check_flags(flags, VIR_NETWORK_XML_INACTIVE, "networkGetXMLDesc")
        inactive = bool(flags & VIR_NETWORK_XML_INACTIVE)
        return format_network(current_definition(self._state(), inactive), inactive=inactive)

    def create(
        self, *, actor: str | None = None, reason: str | None = None, idempotency_key: str | None = None
    ) -> int:
        """Start the network."""
        return self._change(decide.start(self._ref), actor, reason, idempotency_key)

    def destroy(
        self, *, actor: str | None = None, reason: str | None = None, idempotency_key: str | None = None
    ) -> int:
        """Stop the network; its pending persistent config takes effect, a transient one disappears."""
        return self._change(decide.destroy(self._ref), actor, reason, idempotency_key)

    def undefine(
        self, *, actor: str | None = None, reason: str | None = None, idempotency_key: str | None = None
    ) -> int:
        """Remove the persistent config (a running network keeps running, transient)."""
        return self._change(decide.undefine(self._ref), actor, reason, idempotency_key)

    def setAutostart(  # noqa: N802
        self,
        autostart: int,
        *,
        actor: str | None = None,
        reason: str | None = None,
        idempotency_key: str | None = None,
    ) -> int:
        state = self._state()
        if state.persistent and state.autostart == bool(autostart):
            return 0
        return self._change(decide.set_autostart(self._ref, autostart), actor, reason, idempotency_key)

    def update(
        self,
        command: int,
        section: int,
        parentIndex: int,  # noqa: N803
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

    def DHCPLeases(self, mac: str | None = None, flags: int = 0) -> list[dict[str, Any]]:  # noqa: N802
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

    def _state(self) -> NetworkState:
        return self._ref.resolve(self._conn._load(self._ref.name))

    def _change(self, decision: Decide, actor: str | None, reason: str | None, idempotency_key: str | None) -> int:
        self._conn._append(self._ref.name, decision, actor, reason, idempotency_key)
        return 0
