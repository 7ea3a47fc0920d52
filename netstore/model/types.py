"""The network definition: libvirt's virNetworkDef and its parts, as plain data.

Values are stored already normalised the way libvirt's parser normalises them
(canonical addresses, lower-case bridge MAC, parsed numbers), except where
libvirt keeps the input verbatim (DHCP host mac/id/name, portgroup name, ...).
A field that libvirt treats as "absent" is ``None``; numbers libvirt writes only
when non-zero are stored as ``0`` when absent.

List items (hosts, ranges, records, portgroups, pool interfaces) compare by
identity (``eq=False``) so that ``list.index(item)`` runs at C speed on large
lists; use :func:`netstore.model.codec.to_dict` to compare definitions by value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from netstore.model.address import Address

Tristate = Optional[bool]  # None = absent, True = 'yes', False = 'no'

L3_MODES = ("none", "nat", "route", "open")
FORWARD_MODES = ("none", "nat", "route", "open", "bridge", "private", "vepa", "passthrough", "hostdev")


@dataclass(eq=False, slots=True)
class Lease:
    expiry: int  # 0 = infinite
    unit: str = "minutes"  # seconds | minutes | hours


@dataclass(eq=False, slots=True)
class DHCPRange:
    start: Address
    end: Address
    lease: Optional[Lease] = None


@dataclass(eq=False, slots=True)
class DHCPHost:
    mac: Optional[str] = None  # verbatim, as given
    id: Optional[str] = None  # verbatim
    name: Optional[str] = None  # verbatim
    ip: Optional[Address] = None
    lease: Optional[Lease] = None
    mac_key: Optional[bytes] = None  # the parsed 6 bytes of ``mac``; used for matching


@dataclass(eq=False, slots=True)
class Bootp:
    file: str
    server: Optional[Address] = None


@dataclass(eq=False, slots=True)
class IPDef:
    address: Address
    family: Optional[str] = None  # 'ipv4' | 'ipv6' | None, echoed only when given
    netmask: Optional[Address] = None
    prefix: int = 0  # written only when > 0
    local_ptr: Tristate = None
    tftp_root: Optional[str] = None
    ranges: list[DHCPRange] = field(default_factory=list)
    hosts: list[DHCPHost] = field(default_factory=list)
    bootp: Optional[Bootp] = None
    lookup_cache: Optional[object] = field(default=None, repr=False)  # engine-owned match indexes

    @property
    def is_ipv6(self) -> bool:
        return self.address.is_ipv6

    @property
    def has_dhcp(self) -> bool:
        return bool(self.ranges or self.hosts)


@dataclass(eq=False, slots=True)
class Route:
    address: Address
    gateway: Address
    family: Optional[str] = None
    netmask: Optional[Address] = None
    prefix: Optional[int] = None  # None = absent; 0 is kept and written
    metric: Optional[int] = None


@dataclass(eq=False, slots=True)
class DNSForwarder:
    domain: Optional[str] = None
    addr: Optional[Address] = None


@dataclass(eq=False, slots=True)
class DNSTxt:
    name: str
    value: Optional[str] = None


@dataclass(eq=False, slots=True)
class DNSSrv:
    service: Optional[str] = None
    protocol: Optional[str] = None
    domain: Optional[str] = None
    target: Optional[str] = None
    port: int = 0  # 0 = absent
    priority: int = 0
    weight: int = 0


@dataclass(eq=False, slots=True)
class DNSHost:
    ip: Optional[Address]
    hostnames: list[str] = field(default_factory=list)


@dataclass(eq=False, slots=True)
class DNSDef:
    enable: Tristate = None
    forward_plain_names: Tristate = None
    forwarders: list[DNSForwarder] = field(default_factory=list)
    txts: list[DNSTxt] = field(default_factory=list)
    srvs: list[DNSSrv] = field(default_factory=list)
    hosts: list[DNSHost] = field(default_factory=list)

    @property
    def has_records(self) -> bool:
        return bool(self.forwarders or self.txts or self.srvs or self.hosts)


@dataclass(eq=False, slots=True)
class Vlan:
    tags: list[int]
    trunk: bool = False
    native_mode: Optional[str] = None  # 'tagged' | 'untagged'
    native_tag: int = 0


@dataclass(eq=False, slots=True)
class BandwidthRate:
    average: int = 0
    peak: int = 0
    floor: int = 0
    burst: int = 0


@dataclass(eq=False, slots=True)
class Bandwidth:
    inbound: Optional[BandwidthRate] = None
    outbound: Optional[BandwidthRate] = None


@dataclass(eq=False, slots=True)
class VirtualPort:
    type: Optional[str] = None  # '802.1Qbg' | '802.1Qbh' | 'openvswitch' | 'midonet' | None
    managerid: Optional[int] = None
    typeid: Optional[int] = None
    typeidversion: Optional[int] = None
    instanceid: Optional[str] = None  # canonical uuid text
    interfaceid: Optional[str] = None  # canonical uuid text
    profileid: Optional[str] = None  # verbatim


@dataclass(eq=False, slots=True)
class PortGroup:
    name: str
    is_default: bool = False
    trust_guest_rx_filters: Tristate = None
    vlan: Optional[Vlan] = None
    virtualport: Optional[VirtualPort] = None
    bandwidth: Optional[Bandwidth] = None


@dataclass(eq=False, slots=True)
class PCIAddress:
    domain: int = 0
    bus: int = 0
    slot: int = 0
    function: int = 0


@dataclass(eq=False, slots=True)
class ForwardIface:
    """One pool entry of <forward>: a netdev <interface> or a PCI <address>."""

    dev: Optional[str] = None  # netdev entries
    pci: Optional[PCIAddress] = None  # pci entries
    connections: int = 0

    @property
    def is_netdev(self) -> bool:
        return self.pci is None


@dataclass(eq=False, slots=True)
class NAT:
    ipv6: Tristate = None
    address_start: Optional[Address] = None
    address_end: Optional[Address] = None
    port_start: int = 0
    port_end: int = 0


@dataclass(eq=False, slots=True)
class Forward:
    mode: str = "none"
    managed: bool = False
    driver: Optional[str] = None  # 'kvm' | 'vfio'
    nat: Optional[NAT] = None
    pfs: list[str] = field(default_factory=list)
    ifaces: list[ForwardIface] = field(default_factory=list)


@dataclass(eq=False, slots=True)
class Bridge:
    name: Optional[str] = None
    zone: Optional[str] = None
    stp: bool = True
    stp_given: bool = False  # an stp attribute was present (mode rules look at this)
    delay: int = 0  # unsigned long as parsed; formatted signed
    mac_table_manager: Optional[str] = None  # 'kernel' | 'libvirt'


@dataclass(eq=False, slots=True)
class Domain:
    name: str
    local_only: Tristate = None


@dataclass(eq=False, slots=True)
class NetworkDef:
    name: str
    uuid: str  # canonical lower-case 8-4-4-4-12
    ipv6: bool = False
    trust_guest_rx_filters: Tristate = None
    connections: int = 0
    metadata: Optional[str] = None  # the serialised <metadata> subtree, formatter-ready
    forward: Forward = field(default_factory=Forward)
    bridge: Bridge = field(default_factory=Bridge)
    mtu: int = 0
    mac: Optional[str] = None  # canonical lower-case
    domain: Optional[Domain] = None
    dns: DNSDef = field(default_factory=DNSDef)
    vlan: Optional[Vlan] = None
    bandwidth: Optional[Bandwidth] = None
    port_isolated: Tristate = None
    ips: list[IPDef] = field(default_factory=list)
    routes: list[Route] = field(default_factory=list)
    virtualport: Optional[VirtualPort] = None
    portgroups: list[PortGroup] = field(default_factory=list)
    dnsmasq_options: list[str] = field(default_factory=list)
    # True when the formatted XML would not parse back to this definition
    # (libvirt writes some values raw), so updates must take the faithful
    # format-and-reparse path to report libvirt's own error.
    needs_roundtrip: bool = False
    lookup_cache: Optional[object] = field(default=None, repr=False)  # engine-owned match indexes

    @property
    def is_l3(self) -> bool:
        return self.forward.mode in L3_MODES
