"""The network formatter: libvirt 9.0.0's ``virNetworkDefFormatBuf``, byte for byte.

Every element is written at a fixed depth, so each writer appends ready-made,
indented lines to one list that is joined once at the end.  Values go out in
one of two ways, as libvirt writes them: escaped (:func:`escape`, libvirt's
``virBufferEscapeString``) or raw (``domain name``, DHCP ``host mac/id/name``,
``portgroup name``, ``parameters profileid``), which can yield malformed XML
exactly as libvirt does.  The test-driver flavour is produced: nothing is
generated (bridge name, MAC); both come from the definition itself.
``NetworkDef.metadata`` is already serialised (:mod:`netstore.model.metadata`)
and is written as ``"  " + metadata + "\n"``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Optional

from netstore.model.types import (
    Bandwidth,
    BandwidthRate,
    DHCPHost,
    DHCPRange,
    DNSDef,
    DNSSrv,
    Forward,
    IPDef,
    Lease,
    NetworkDef,
    PortGroup,
    Route,
    VirtualPort,
    Vlan,
)

DNSMASQ_NS = "http://libvirt.org/schemas/network/dnsmasq/1.0"

_Write = Callable[[str], None]

_NEEDS_ESCAPE = re.compile("[&<>\"'\x01-\x08\x0b\x0c\x0e-\x1f]")
_ESCAPES: dict[int, Optional[str]] = {c: None for c in range(1, 0x20) if c not in (0x09, 0x0A, 0x0D)}
_ESCAPES.update({ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord('"'): "&quot;", ord("'"): "&apos;"})

_QBG_OR_NONE = ("802.1Qbg", None)
_INTERFACEID_TYPES = ("midonet", "openvswitch", None)
_PROFILEID_TYPES = ("openvswitch", "802.1Qbh", None)


def escape(value: str) -> str:
    """virBufferEscapeString: XML-escape the five specials, drop other control characters."""
    if _NEEDS_ESCAPE.search(value) is None:
        return value
    return value.translate(_ESCAPES)


def _tristate(value: bool) -> str:
    return "yes" if value else "no"


def format_network(defn: NetworkDef, inactive: bool = False) -> str:
    """The XML libvirt returns for ``defn`` (``XMLDesc(0)``, or ``XMLDesc(INACTIVE)``)."""
    out: list[str] = []
    write = out.append
    _write_root(write, defn, inactive)
    write(f"  <name>{escape(defn.name)}</name>\n  <uuid>{defn.uuid}</uuid>\n")
    if defn.metadata is not None:
        write(f"  {defn.metadata}\n")
    if defn.forward.mode != "none":
        _write_forward(write, defn.forward, inactive)
    _write_bridge(write, defn)
    _write_addressing(write, defn)
    _write_dns(write, defn.dns)
    if defn.vlan is not None:
        _write_vlan(write, defn.vlan, "  ")
    if defn.bandwidth is not None:
        _write_bandwidth(write, defn.bandwidth, "  ")
    if defn.port_isolated is not None:
        write(f"  <port isolated='{_tristate(defn.port_isolated)}'/>\n")
    for ipdef in defn.ips:
        _write_ip(write, ipdef)
    for route in defn.routes:
        _write_route(write, route)
    if defn.virtualport is not None:
        _write_virtualport(write, defn.virtualport, "  ")
    for portgroup in defn.portgroups:
        _write_portgroup(write, portgroup)
    _write_dnsmasq_options(write, defn.dnsmasq_options)
    write("</network>\n")
    return "".join(out)


def _write_root(write: _Write, defn: NetworkDef, inactive: bool) -> None:
    write("<network")
    if defn.dnsmasq_options:
        write(f" xmlns:dnsmasq='{DNSMASQ_NS}'")
    if not inactive and defn.connections > 0:
        write(f" connections='{defn.connections}'")
    if defn.ipv6:
        write(" ipv6='yes'")
    if defn.trust_guest_rx_filters is not None:
        write(f" trustGuestRxFilters='{_tristate(defn.trust_guest_rx_filters)}'")
    write(">\n")


def _forward_is_short(fwd: Forward) -> bool:
    nat = fwd.nat
    has_nat = nat is not None and (
        nat.address_start is not None
        or nat.address_end is not None
        or nat.port_start
        or nat.port_end
        or nat.ipv6 is not None
    )
    return not (fwd.ifaces or fwd.pfs or has_nat or fwd.driver is not None)


def _write_forward(write: _Write, fwd: Forward, inactive: bool) -> None:
    write("  <forward")
    if not fwd.pfs and fwd.ifaces and fwd.ifaces[0].is_netdev and fwd.ifaces[0].dev is not None:
        write(f" dev='{escape(fwd.ifaces[0].dev)}'")
    write(f" mode='{fwd.mode}'")
    if fwd.mode == "hostdev":
        write(" managed='yes'" if fwd.managed else " managed='no'")
    if _forward_is_short(fwd):
        write("/>\n")
        return
    write(">\n")
    if fwd.driver is not None:
        write(f"    <driver name='{fwd.driver}'/>\n")
    if fwd.mode == "nat":
        _write_nat(write, fwd)
    if fwd.pfs:
        write(f"    <pf dev='{escape(fwd.pfs[0])}'/>\n")
    if fwd.ifaces and not (fwd.pfs and inactive):
        _write_pool(write, fwd, inactive)
    write("  </forward>\n")


def _write_nat(write: _Write, fwd: Forward) -> None:
    nat = fwd.nat
    if nat is None:
        return
    start, end = nat.address_start, nat.address_end
    has_ports = bool(nat.port_start or nat.port_end)
    if start is None and end is None and not has_ports and nat.ipv6 is None:
        return
    write("    <nat")
    if nat.ipv6 is not None:
        write(f" ipv6='{_tristate(nat.ipv6)}'")
    if start is None and end is None and not has_ports:
        write("/>\n")
        return
    write(">\n")
    if start is not None:
        write(f"      <address start='{start.text}'")
        if end is not None:
            write(f" end='{end.text}'")
        write("/>\n")
    if has_ports:
        write(f"      <port start='{nat.port_start}'")
        if nat.port_end:
            write(f" end='{nat.port_end}'")
        write("/>\n")
    write("    </nat>\n")


def _write_pool(write: _Write, fwd: Forward, inactive: bool) -> None:
    for iface in fwd.ifaces:
        pci = iface.pci
        if pci is None:
            write(f"    <interface dev='{escape(iface.dev or '')}'")
            if not inactive and iface.connections > 0:
                write(f" connections='{iface.connections}'")
            write("/>\n")
        else:
            write(
                f"    <address type='pci' domain='0x{pci.domain:04x}' bus='0x{pci.bus:02x}'"
                f" slot='0x{pci.slot:02x}' function='0x{pci.function}'/>\n"
            )


def _signed_long(value: int) -> int:
    value &= (1 << 64) - 1
    return value - (1 << 64) if value >= 1 << 63 else value


def _write_bridge(write: _Write, defn: NetworkDef) -> None:
    bridge = defn.bridge
    has_bridge = defn.is_l3
    if not (has_bridge or bridge.name is not None or bridge.mac_table_manager is not None):
        return
    write("  <bridge")
    if bridge.name is not None:
        write(f" name='{escape(bridge.name)}'")
    if bridge.zone is not None:
        write(f" zone='{escape(bridge.zone)}'")
    if has_bridge:
        write(f" stp='{'on' if bridge.stp else 'off'}' delay='{_signed_long(bridge.delay)}'")
    if bridge.mac_table_manager is not None:
        write(f" macTableManager='{bridge.mac_table_manager}'")
    write("/>\n")


def _write_addressing(write: _Write, defn: NetworkDef) -> None:
    """<mtu>, <mac> and <domain>."""
    if defn.mtu:
        write(f"  <mtu size='{defn.mtu}'/>\n")
    if defn.mac is not None:
        write(f"  <mac address='{defn.mac}'/>\n")
    domain = defn.domain
    if domain is not None:
        write(f"  <domain name='{domain.name}'")
        if domain.local_only is not None:
            write(f" localOnly='{_tristate(domain.local_only)}'")
        write("/>\n")


def _write_dns(write: _Write, dns: DNSDef) -> None:
    has_records = dns.has_records
    if dns.enable is None and dns.forward_plain_names is None and not has_records:
        return
    write("  <dns")
    if dns.enable is not None:
        write(f" enable='{_tristate(dns.enable)}'")
    if dns.forward_plain_names is not None:
        write(f" forwardPlainNames='{_tristate(dns.forward_plain_names)}'")
    if not has_records:
        write("/>\n")
        return
    write(">\n")
    for fwd in dns.forwarders:
        write("    <forwarder")
        if fwd.domain is not None:
            write(f" domain='{escape(fwd.domain)}'")
        if fwd.addr is not None:
            write(f" addr='{fwd.addr.text}'")
        write("/>\n")
    for txt in dns.txts:
        write(f"    <txt name='{escape(txt.name)}' ")
        if txt.value is not None:
            write(f"value='{escape(txt.value)}'/>\n")
    for srv in dns.srvs:
        _write_srv(write, srv)
    for host in dns.hosts:
        ip = host.ip.text if host.ip is not None else ""
        write(f"    <host ip='{ip}'>\n")
        for hostname in host.hostnames:
            write(f"      <hostname>{escape(hostname)}</hostname>\n")
        write("    </host>\n")
    write("  </dns>\n")


def _write_srv(write: _Write, srv: DNSSrv) -> None:
    if srv.service is None or srv.protocol is None:
        return
    write(f"    <srv service='{escape(srv.service)}' protocol='{escape(srv.protocol)}'")
    if srv.domain is not None:
        write(f" domain='{escape(srv.domain)}'")
    if srv.target is not None:
        write(f" target='{escape(srv.target)}'")
    if srv.port:
        write(f" port='{srv.port}'")
    if srv.priority:
        write(f" priority='{srv.priority}'")
    if srv.weight:
        write(f" weight='{srv.weight}'")
    write("/>\n")


def _write_vlan(write: _Write, vlan: Vlan, indent: str) -> None:
    if not vlan.tags:
        return
    write(f"{indent}<vlan trunk='yes'>\n" if vlan.trunk else f"{indent}<vlan>\n")
    native = vlan.native_mode
    for tag in vlan.tags:
        if native is not None and tag == vlan.native_tag:
            write(f"{indent}  <tag id='{tag}' nativeMode='{native}'/>\n")
        else:
            write(f"{indent}  <tag id='{tag}'/>\n")
    write(f"{indent}</vlan>\n")


def _write_rate(write: _Write, rate: Optional[BandwidthRate], name: str, indent: str) -> None:
    if rate is None or not (rate.average or rate.floor):
        return
    write(f"{indent}<{name}")
    if rate.average:
        write(f" average='{rate.average}'")
    if rate.peak:
        write(f" peak='{rate.peak}'")
    if rate.floor:
        write(f" floor='{rate.floor}'")
    if rate.burst:
        write(f" burst='{rate.burst}'")
    write("/>\n")


def _write_bandwidth(write: _Write, bandwidth: Bandwidth, indent: str) -> None:
    write(f"{indent}<bandwidth>\n")
    _write_rate(write, bandwidth.inbound, "inbound", indent + "  ")
    _write_rate(write, bandwidth.outbound, "outbound", indent + "  ")
    write(f"{indent}</bandwidth>\n")


def _write_ip(write: _Write, ipdef: IPDef) -> None:
    write("  <ip")
    if ipdef.family is not None:
        write(f" family='{ipdef.family}'")
    write(f" address='{ipdef.address.text}'")
    if ipdef.netmask is not None:
        write(f" netmask='{ipdef.netmask.text}'")
    if ipdef.prefix > 0:
        write(f" prefix='{ipdef.prefix}'")
    if ipdef.local_ptr is not None:
        write(f" localPtr='{_tristate(ipdef.local_ptr)}'")
    write(">\n")
    if ipdef.tftp_root is not None:
        write(f"    <tftp root='{escape(ipdef.tftp_root)}'/>\n")
    if ipdef.ranges or ipdef.hosts:
        _write_dhcp(write, ipdef)
    write("  </ip>\n")


def _lease_line(lease: Lease) -> str:
    if not lease.expiry:
        return "        <lease expiry='0'/>\n"
    return f"        <lease expiry='{lease.expiry}' unit='{lease.unit}'/>\n"


def _range_text(rng: DHCPRange) -> str:
    head = f"      <range start='{rng.start.text}' end='{rng.end.text}'"
    if rng.lease is None:
        return head + "/>\n"
    return f"{head}>\n{_lease_line(rng.lease)}      </range>\n"


def _host_text(host: DHCPHost) -> str:
    parts = ["      <host"]
    if host.mac is not None:
        parts.append(f" mac='{host.mac}'")
    if host.id is not None:
        parts.append(f" id='{host.id}'")
    if host.name is not None:
        parts.append(f" name='{host.name}'")
    if host.ip is not None:
        parts.append(f" ip='{host.ip.text}'")
    if host.lease is None:
        parts.append("/>\n")
    else:
        parts.append(f">\n{_lease_line(host.lease)}      </host>\n")
    return "".join(parts)


def _write_dhcp(write: _Write, ipdef: IPDef) -> None:
    write("    <dhcp>\n")
    for rng in ipdef.ranges:
        write(_range_text(rng))
    for host in ipdef.hosts:
        write(_host_text(host))
    bootp = ipdef.bootp
    if bootp is not None:
        write(f"      <bootp file='{escape(bootp.file)}'")
        if bootp.server is not None:
            write(f" server='{bootp.server.text}'")
        write("/>\n")
    write("    </dhcp>\n")


def _write_route(write: _Write, route: Route) -> None:
    write("  <route")
    if route.family is not None:
        write(f" family='{route.family}'")
    write(f" address='{route.address.text}'")
    if route.netmask is not None:
        write(f" netmask='{route.netmask.text}'")
    if route.prefix is not None:
        write(f" prefix='{route.prefix}'")
    write(f" gateway='{route.gateway.text}'")
    if route.metric:
        write(f" metric='{route.metric}'")
    write("/>\n")


def _vport_parameters(vport: VirtualPort) -> str:
    kind = vport.type
    parts = []
    if kind in _QBG_OR_NONE:
        if vport.managerid is not None:
            parts.append(f" managerid='{vport.managerid}'")
        if vport.typeid is not None:
            parts.append(f" typeid='{vport.typeid}'")
        if vport.typeidversion is not None:
            parts.append(f" typeidversion='{vport.typeidversion}'")
        if vport.instanceid is not None:
            parts.append(f" instanceid='{vport.instanceid}'")
    if vport.interfaceid is not None and kind in _INTERFACEID_TYPES:
        parts.append(f" interfaceid='{vport.interfaceid}'")
    if vport.profileid and kind in _PROFILEID_TYPES:
        parts.append(f" profileid='{vport.profileid}'")
    return "".join(parts)


def _write_virtualport(write: _Write, vport: VirtualPort, indent: str) -> None:
    has_parameters = (
        vport.managerid is not None
        or vport.typeid is not None
        or vport.typeidversion is not None
        or vport.instanceid is not None
        or bool(vport.profileid)
        or vport.interfaceid is not None
    )
    if vport.type is None:
        if not has_parameters:
            return
        write(f"{indent}<virtualport>\n")
    elif not has_parameters:
        write(f"{indent}<virtualport type='{vport.type}'/>\n")
        return
    else:
        write(f"{indent}<virtualport type='{vport.type}'>\n")
    write(f"{indent}  <parameters{_vport_parameters(vport)}/>\n")
    write(f"{indent}</virtualport>\n")


def _write_portgroup(write: _Write, portgroup: PortGroup) -> None:
    write(f"  <portgroup name='{portgroup.name}'")
    if portgroup.is_default:
        write(" default='yes'")
    if portgroup.trust_guest_rx_filters is not None:
        write(f" trustGuestRxFilters='{_tristate(portgroup.trust_guest_rx_filters)}'")
    write(">\n")
    if portgroup.vlan is not None:
        _write_vlan(write, portgroup.vlan, "    ")
    if portgroup.virtualport is not None:
        _write_virtualport(write, portgroup.virtualport, "    ")
    if portgroup.bandwidth is not None:
        _write_bandwidth(write, portgroup.bandwidth, "    ")
    write("  </portgroup>\n")


def _write_dnsmasq_options(write: _Write, options: list[str]) -> None:
    if not options:
        return
    write("  <dnsmasq:options>\n")
    for value in options:
        write(f"    <dnsmasq:option value='{escape(value)}'/>\n")
    write("  </dnsmasq:options>\n")
