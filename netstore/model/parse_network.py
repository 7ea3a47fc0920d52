"""``<network>``: virNetworkDefParseXML of libvirt 9.0.0, in libvirt's order.

The parser stops at the first error, so every element is read in the order
libvirt reads it (network-xml-format.md §4): name, uuid, root attributes,
domain, bandwidth, vlan, port, bridge, mac, mtu, dns, virtualport,
portgroups, ips, routes (then gateway reachability), forward, the
forward-mode rules, the mtu rule, metadata and finally the dnsmasq options.

``NetworkDef.needs_roundtrip`` is set when libvirt's own output for the
definition would not parse back to it: a value libvirt writes without
escaping holds ``'``, ``&`` or ``<`` (domain name, DHCP host mac/id/name,
portgroup name, virtualport profileid), any written attribute value holds a
tab, LF or CR (the XML parser turns those into spaces), a text value holds a
CR, or the bridge delay exceeds LONG_MAX (written negative).  libvirt
validates an update by formatting and re-parsing the whole definition, so
such a definition must take that faithful (slow) path.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Optional, Union

from lxml import etree

from netstore.errors import (
    VIR_ERR_NO_NAME,
    VIR_ERR_XML_DETAIL,
    VIR_FROM_XML,
    internal_error,
    libvirtError,
    xml_error,
)
from netstore.model.metadata import capture_metadata
from netstore.model.parse_dns import parse_dns_def
from netstore.model.parse_forward import parse_forward
from netstore.model.parse_ip import check_route_gateways, parse_ip, parse_route
from netstore.model.parse_port import (
    parse_bandwidth,
    parse_portgroup,
    parse_virtualport,
    parse_vlan,
)
from netstore.model.types import Bridge, Domain, NetworkDef, VirtualPort
from netstore.model.values import (
    format_mac,
    generate_uuid,
    is_multicast_mac,
    parse_mac,
    parse_unsigned,
    parse_unsigned_wrapping,
    parse_uuid,
)
from netstore.model.xmlinput import (
    DEFINITION_URL,
    local_name,
    parse_document,
    prop,
    text_content,
    tristate_prop,
    xpath_attr,
)

DNSMASQ_NAMESPACE = "http://libvirt.org/schemas/network/dnsmasq/1.0"
ULONG_MAX = (1 << 64) - 1
LONG_MAX = (1 << 63) - 1
MAC_TABLE_MANAGERS = ("kernel", "libvirt")
_RESTRICTED_BRIDGE_MODES = ("private", "vepa", "passthrough", "hostdev")
_RAW_UNSAFE = frozenset("'&<\t\n\r")
_ATTR_UNSAFE = frozenset("\t\n\r")
_TEXT_UNSAFE = frozenset("\r")


def parse_network_xml(xml: Union[str, bytes], *, dnsmasq_namespace: bool = True) -> NetworkDef:
    """Parse a whole ``<network>`` document (hardened; see :mod:`xmlinput`)."""
    root = parse_document(xml, DEFINITION_URL)
    return parse_network_element(root, dnsmasq_namespace=dnsmasq_namespace)


def parse_network_element(
    root: etree._Element, *, dnsmasq_namespace: bool = True
) -> NetworkDef:
    """Parse an already parsed ``<network>`` root element."""
    if local_name(root) != "network":
        raise xml_error(f"expecting root element of 'network', not '{local_name(root)}'", VIR_FROM_XML)
    name = _parse_name(root)
    defn = NetworkDef(name=name, uuid=_parse_uuid(root))
    defn.ipv6 = _parse_ipv6(root, name)
    defn.trust_guest_rx_filters = tristate_prop(root, "trustGuestRxFilters")
    defn.domain = _parse_domain(root.find("domain"))
    _parse_port_elements(root, defn)
    defn.bridge = _parse_bridge(root.find("bridge"), name)
    defn.mac = _parse_mac(root, name)
    defn.mtu = _parse_mtu(root, name)
    _parse_collections(root, defn)
    _check_forward_mode(defn)
    metadata = root.find("metadata")
    if metadata is not None:
        defn.metadata = capture_metadata(metadata)
    if dnsmasq_namespace:
        defn.dnsmasq_options = _parse_dnsmasq_options(root)
    defn.needs_roundtrip = needs_roundtrip(defn)
    return defn


# ------------------------------------------------------------ identity


def _parse_name(root: etree._Element) -> str:
    node = root.find("name")
    name = text_content(node) if node is not None else ""
    if not name:
        raise libvirtError(VIR_ERR_NO_NAME, "")
    if "/" in name:
        raise libvirtError(VIR_ERR_XML_DETAIL, "invalid char in name: /", VIR_FROM_XML)
    return name


def _parse_uuid(root: etree._Element) -> str:
    node = root.find("uuid")
    text = text_content(node) if node is not None else ""
    if not text:
        return generate_uuid()
    parsed = parse_uuid(text)
    if parsed is None:
        raise internal_error("malformed uuid element")
    return parsed


def _parse_ipv6(root: etree._Element, name: str) -> bool:
    value = xpath_attr(root, "ipv6")
    if value is None:
        return False
    if value not in ("yes", "no"):
        raise xml_error(f"Invalid ipv6 setting '{value}' in network '{name}'")
    return value == "yes"


def _parse_domain(node: Optional[etree._Element]) -> Optional[Domain]:
    name = prop(node, "name")
    local_only = tristate_prop(node, "localOnly")
    return Domain(name=name, local_only=local_only) if name is not None else None


def _parse_port_elements(root: etree._Element, defn: NetworkDef) -> None:
    """Network-level ``<bandwidth>``, ``<vlan>`` and ``<port isolated>``, in that order."""
    bandwidth = root.find("bandwidth")
    if bandwidth is not None:
        defn.bandwidth = parse_bandwidth(bandwidth)
    vlan = root.find("vlan")
    if vlan is not None:
        defn.vlan = parse_vlan(vlan)
    defn.port_isolated = tristate_prop(root.find("port"), "isolated")


# ------------------------------------------------------ bridge, mac, mtu


def _parse_bridge(node: Optional[etree._Element], name: str) -> Bridge:
    stp = xpath_attr(node, "stp")
    bridge = Bridge(
        name=xpath_attr(node, "name"),
        zone=xpath_attr(node, "zone"),
        stp=stp != "off",
        stp_given=stp is not None,
    )
    delay = xpath_attr(node, "delay")
    if delay is not None:
        parsed = parse_unsigned(delay, 10, ULONG_MAX)
        if parsed is None:
            raise xml_error(f"Invalid delay value in network '{name}'")
        bridge.delay = parsed
    manager = xpath_attr(node, "macTableManager")
    if manager is not None:
        if manager not in MAC_TABLE_MANAGERS:
            raise xml_error(f"Invalid macTableManager setting '{manager}' in network '{name}'")
        bridge.mac_table_manager = manager
    return bridge


def _parse_mac(root: etree._Element, name: str) -> Optional[str]:
    text = xpath_attr(root.find("mac"), "address")
    if text is None:
        return None
    mac = parse_mac(text)
    if mac is None:
        raise xml_error(f"Invalid bridge mac address '{text}' in network '{name}'")
    if is_multicast_mac(mac):
        raise xml_error(f"Invalid multicast bridge mac address '{text}' in network '{name}'")
    return format_mac(mac)


def _parse_mtu(root: etree._Element, name: str) -> int:
    """XPath ``string(./mtu/@size)``: the first ``<mtu>`` carrying ``size``."""
    size = next((m.get("size") for m in root.findall("mtu") if m.get("size") is not None), None)
    if not size:
        return 0
    parsed = parse_unsigned_wrapping(size)
    if parsed is None:
        raise xml_error(f"Invalid mtu size '{size}' in network '{name}'")
    return parsed


# ------------------------------------------- dns, ports, ips, routes, forward


def _parse_collections(root: etree._Element, defn: NetworkDef) -> None:
    name = defn.name
    dns = root.find("dns")
    if dns is not None:
        defn.dns = parse_dns_def(dns, name)
    virtualport = root.find("virtualport")
    if virtualport is not None:
        defn.virtualport = parse_virtualport(virtualport, True)
    defn.portgroups = [parse_portgroup(node, name) for node in root.findall("portgroup")]
    defn.ips = [parse_ip(node, name) for node in root.findall("ip")]
    defn.routes = [parse_route(node, name) for node in root.findall("route")]
    check_route_gateways(defn.routes, defn.ips, name)
    forward = root.find("forward")
    if forward is not None:
        defn.forward = parse_forward(forward, name)


def _check_forward_mode(defn: NetworkDef) -> None:
    """The parser's forward-mode table, then the mtu rule (§4)."""
    mode, name, forward = defn.forward.mode, defn.name, defn.forward
    if mode in ("nat", "route", "open"):
        if not defn.ips:
            raise xml_error(
                f"{mode} forwarding requested, but no IP address provided for network '{name}'"
            )
        if len(forward.ifaces) > 1:
            raise xml_error(
                f"multiple forwarding interfaces specified for network '{name}', "
                "only one is supported"
            )
        if mode == "open" and forward.ifaces:
            raise xml_error(
                f"forward dev not allowed for network '{name}' with forward mode='{mode}'"
            )
    elif mode != "none":
        _check_bridge_in_mode(defn)
    if defn.mtu and mode not in ("none", "nat", "route", "open"):
        raise xml_error(
            "mtu size only allowed in open, route, nat, and isolated mode, "
            f"not in {mode} (network '{name}')"
        )


def _check_bridge_in_mode(defn: NetworkDef) -> None:
    mode, name, bridge, forward = defn.forward.mode, defn.name, defn.bridge, defn.forward
    if mode in _RESTRICTED_BRIDGE_MODES:
        for present, what in (
            (bridge.name, "bridge name"),
            (bridge.zone, "bridge zone"),
            (bridge.mac_table_manager, "bridge macTableManager setting"),
        ):
            if present is not None:
                raise xml_error(f"{what} not allowed in {mode} mode (network '{name}')")
    if bridge.delay or bridge.stp_given or bridge.zone is not None:
        raise xml_error(
            "bridge delay/stp/zone options only allowed in route, nat, and isolated mode, "
            f"not in {mode} (network '{name}')"
        )
    if bridge.name is not None and (forward.ifaces or forward.pfs):
        raise xml_error(
            f"A network with forward mode='{mode}' can specify a bridge name or a forward dev, "
            f"but not both (network '{name}')"
        )


# ------------------------------------------------------- dnsmasq options


def _parse_dnsmasq_options(root: etree._Element) -> list[str]:
    """Every ``dnsmasq:option`` of every ``dnsmasq:options`` child, in order."""
    options = []
    for node in root.iterfind(f"{{{DNSMASQ_NAMESPACE}}}options/{{{DNSMASQ_NAMESPACE}}}option"):
        value = prop(node, "value")
        if value is None:
            raise internal_error("No dnsmasq options value specified")
        options.append(value)
    return options


# ---------------------------------------------------------- round trip


def needs_roundtrip(defn: NetworkDef) -> bool:
    """True when libvirt's formatted XML of ``defn`` would not parse back to it."""
    return (
        defn.bridge.delay > LONG_MAX
        or any(_unsafe(value, _RAW_UNSAFE) for value in _raw_values(defn))
        or any(_unsafe(value, _ATTR_UNSAFE) for value in _escaped_values(defn))
        or any(_unsafe(value, _TEXT_UNSAFE) for value in _text_values(defn))
    )


def _unsafe(value: Optional[str], characters: frozenset[str]) -> bool:
    return value is not None and not characters.isdisjoint(value)


def _raw_values(defn: NetworkDef) -> Iterable[Optional[str]]:
    """Attribute values libvirt writes without escaping them."""
    if defn.domain is not None:
        yield defn.domain.name
    for ipdef in defn.ips:
        for host in ipdef.hosts:
            yield from (host.mac, host.id, host.name)
    for portgroup in defn.portgroups:
        yield portgroup.name
        yield _profileid(portgroup.virtualport)
    yield _profileid(defn.virtualport)


def _profileid(virtualport: Optional[VirtualPort]) -> Optional[str]:
    return virtualport.profileid if virtualport is not None else None


def _escaped_values(defn: NetworkDef) -> Iterable[Optional[str]]:
    """Attribute values libvirt escapes (but whose tabs and line ends it writes raw)."""
    yield from (defn.bridge.name, defn.bridge.zone)
    yield from (iface.dev for iface in defn.forward.ifaces)
    yield from defn.forward.pfs
    for ipdef in defn.ips:
        yield ipdef.tftp_root
        yield ipdef.bootp.file if ipdef.bootp is not None else None
    yield from (forwarder.domain for forwarder in defn.dns.forwarders)
    for txt in defn.dns.txts:
        yield from (txt.name, txt.value)
    for srv in defn.dns.srvs:
        yield from (srv.service, srv.protocol, srv.domain, srv.target)
    yield from defn.dnsmasq_options


def _text_values(defn: NetworkDef) -> Iterable[str]:
    """Text content libvirt writes: a CR in it comes back as LF."""
    yield defn.name
    for host in defn.dns.hosts:
        yield from host.hostnames
