"""The network's bridge through netlink (pyroute2): create or adopt, configure, remove only our own.

Ownership: a bridge this reconciler creates gets the interface alias
``netstore:NETWORK`` (``ip link`` shows it as ``alias``).  The alias lives and
dies with the link, so it survives a reconciler restart and is gone when
someone else deletes and recreates the bridge; :meth:`Bridges.remove` deletes
only links carrying it.  An existing bridge of the same name is adopted
(configured but not marked), and is therefore left in place on destroy.
"""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Optional

from pyroute2 import IPRoute
from pyroute2.netlink.exceptions import NetlinkError

from netstore.model.address import effective_prefix
from netstore.model.types import NetworkDef
from netstore.reconciler.errors import ReconcileError

OWNER_ALIAS_PREFIX = "netstore:"
CENTISECONDS = 100  # the kernel's bridge timers are in USER_HZ ticks
IFA_F_TENTATIVE = 0x40
IFA_F_DADFAILED = 0x08
IFF_UP = 0x1
SCOPE_LINK = 253
DAD_POLL_SECONDS = 0.05


@dataclass(frozen=True)
class BridgeSpec:
    """What the bridge of a running network looks like.

    ``addresses`` holds (address, prefix) of every ``<ip>`` of the live definition,
    IPv4 and IPv6; ``delay`` is the forward delay in seconds; ``network`` names the
    owner recorded on a bridge this reconciler creates.
    """

    name: str
    mac: Optional[str]
    addresses: tuple[tuple[str, int], ...]
    stp: bool
    delay: int
    mtu: Optional[int]
    network: str = ""


def bridge_spec(netdef: NetworkDef) -> BridgeSpec:
    """The bridge a live definition asks for (the definition must name its bridge)."""
    if not netdef.bridge.name:
        raise ReconcileError("the live definition has no bridge name", netdef.name)
    addresses = tuple((ip.address.text, effective_prefix(ip.address, ip.netmask, ip.prefix)) for ip in netdef.ips)
    return BridgeSpec(
        name=netdef.bridge.name,
        mac=netdef.mac,
        addresses=addresses,
        stp=netdef.bridge.stp,
        delay=netdef.bridge.delay,
        mtu=netdef.mtu or None,
        network=netdef.name,
    )


class Bridges:
    """Bridges on one netlink socket, in the current network namespace or in ``netns``."""

    def __init__(self, netns: Optional[str] = None) -> None:
        self._ipr = IPRoute(netns=netns) if netns else IPRoute()

    def __enter__(self) -> Bridges:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._ipr.close()

    def exists(self, name: str) -> bool:
        return self._index(name) is not None

    def created_by_us(self, name: str) -> bool:
        """True when ``name`` is a bridge carrying this reconciler's ownership alias."""
        link = self._link(name)
        return link is not None and _kind(link) == "bridge" and _is_owned(link)

    def owner(self, name: str) -> Optional[str]:
        """The network recorded on a bridge this reconciler created, else None."""
        link = self._link(name)
        if link is None or not _is_owned(link):
            return None
        return str(link.get("IFLA_IFALIAS"))[len(OWNER_ALIAS_PREFIX) :]

    def ensure(self, spec: BridgeSpec) -> list[str]:
        """Bring the bridge in step with ``spec``; what was done, [] when it already was."""
        done: list[str] = []
        link = self._link(spec.name)
        if link is None:
            link = self._create(spec)
            done.append("created")
        elif _kind(link) != "bridge":
            raise ReconcileError(
                f"cannot use {spec.name} as the bridge: a {_kind(link) or 'non-bridge'} device has that name",
                spec.network or None,
            )
        index = link["index"]
        done += self._set_link(index, link, spec)
        done += self._add_addresses(index, spec)
        if not link["flags"] & IFF_UP:
            self._call(spec, "bring up", self._ipr.link, "set", index=index, state="up")
            done.append("up")
        return done

    def wait_dad(self, name: str, timeout: float = 5.0) -> None:
        """Wait until no IPv6 address of the bridge is tentative (as libvirt does before starting daemons).

        The kernel runs duplicate address detection only once the bridge has a
        carrier (a port that is up); until then its addresses stay tentative and
        there is nothing to wait for, so a bridge without carrier returns at once.
        """
        deadline = time.monotonic() + timeout
        while True:
            index = self._index(name)
            if index is None:
                raise ReconcileError(f"bridge {name} does not exist")
            pending = self._tentative(index)
            if not pending or not self._has_carrier(index):
                return
            if time.monotonic() >= deadline:
                raise ReconcileError(f"IPv6 duplicate address detection on {name} did not finish in {timeout:g}s")
            time.sleep(DAD_POLL_SECONDS)

    def remove(self, name: str) -> bool:
        """Delete the bridge if this reconciler created it; False when absent or not ours."""
        link = self._link(name)
        if link is None or _kind(link) != "bridge" or not _is_owned(link):
            return False
        try:
            self._ipr.link("del", index=link["index"])
        except NetlinkError as err:
            raise ReconcileError(f"cannot delete bridge {name}: {err.args[1] if len(err.args) > 1 else err}") from err
        return True

    def addresses(self, name: str) -> list[tuple[str, int]]:
        """The (address, prefix) pairs configured on ``name``, link-local ones left out."""
        index = self._index(name)
        if index is None:
            return []
        return [
            (a.get("IFA_ADDRESS"), a["prefixlen"]) for a in self._ipr.get_addr(index=index) if a["scope"] != SCOPE_LINK
        ]

    def _create(self, spec: BridgeSpec) -> Any:
        """Create the bridge with our ownership alias and its forward delay; undone if either step fails."""
        self._call(spec, "create bridge", self._ipr.link, "add", ifname=spec.name, kind="bridge")
        index = self._index(spec.name)
        if index is None:
            raise ReconcileError(f"bridge {spec.name} vanished right after it was created", spec.network or None)
        try:
            self._call(
                spec,
                "set the owner alias",
                self._ipr.link,
                "set",
                index=index,
                ifalias=OWNER_ALIAS_PREFIX + spec.network,
            )
            self._call(
                spec,
                "set the forward delay",
                self._ipr.link,
                "set",
                index=index,
                kind="bridge",
                br_forward_delay=spec.delay * CENTISECONDS,
            )
        except ReconcileError:
            self._ipr.link("del", index=index)
            raise
        return self._link(spec.name)

    def _set_link(self, index: int, link: Any, spec: BridgeSpec) -> list[str]:
        done: list[str] = []
        if _stp_on(link) != spec.stp:
            self._call(spec, "set STP", self._ipr.link, "set", index=index, kind="bridge", br_stp_state=int(spec.stp))
            done.append(f"stp {'on' if spec.stp else 'off'}")
        if spec.mac and str(link.get("IFLA_ADDRESS", "")).lower() != spec.mac.lower():
            self._call(spec, "set the MAC address", self._ipr.link, "set", index=index, address=spec.mac)
            done.append(f"mac {spec.mac} set")
        if spec.mtu and link.get("IFLA_MTU") != spec.mtu:
            self._call(spec, "set the MTU", self._ipr.link, "set", index=index, mtu=spec.mtu)
            done.append(f"mtu {spec.mtu} set")
        return done

    def _add_addresses(self, index: int, spec: BridgeSpec) -> list[str]:
        present = {(_packed(a.get("IFA_ADDRESS")), a["prefixlen"]) for a in self._ipr.get_addr(index=index)}
        done: list[str] = []
        for address, prefix in spec.addresses:
            if (_packed(address), prefix) in present:
                continue
            self._call(
                spec,
                f"add address {address}/{prefix}",
                self._ipr.addr,
                "add",
                index=index,
                address=address,
                prefixlen=prefix,
            )
            done.append(f"address {address}/{prefix} added")
        return done

    def _tentative(self, index: int) -> list[str]:
        pending = []
        for addr in self._ipr.get_addr(index=index, family=socket.AF_INET6):
            flags = addr.get("IFA_FLAGS") or addr["flags"]
            if flags & IFA_F_DADFAILED:
                raise ReconcileError(f"IPv6 duplicate address detection failed for {addr.get('IFA_ADDRESS')}")
            if flags & IFA_F_TENTATIVE:
                pending.append(addr.get("IFA_ADDRESS"))
        return pending

    def _has_carrier(self, index: int) -> bool:
        links = self._ipr.get_links(index)
        return bool(links and links[0].get("IFLA_CARRIER"))

    def _index(self, name: str) -> Optional[int]:
        found = self._ipr.link_lookup(ifname=name)
        return found[0] if found else None

    def _link(self, name: str) -> Any:
        index = self._index(name)
        if index is None:
            return None
        links = self._ipr.get_links(index)
        return links[0] if links else None

    @staticmethod
    def _call(spec: BridgeSpec, what: str, method: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except NetlinkError as err:
            reason = err.args[1] if len(err.args) > 1 else str(err)
            raise ReconcileError(f"cannot {what} on bridge {spec.name}: {reason}", spec.network or None) from err


def _kind(link: Any) -> Optional[str]:
    info = link.get("IFLA_LINKINFO")
    return info.get("IFLA_INFO_KIND") if info else None


def _is_owned(link: Any) -> bool:
    alias = link.get("IFLA_IFALIAS")
    return bool(alias) and str(alias).startswith(OWNER_ALIAS_PREFIX)


def _stp_on(link: Any) -> bool:
    data = link.get("IFLA_LINKINFO").get("IFLA_INFO_DATA")
    return bool(data and data.get("IFLA_BR_STP_STATE"))


def _packed(address: str) -> bytes:
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    return socket.inet_pton(family, address)
