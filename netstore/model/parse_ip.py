"""``<ip>`` (with tftp, dhcp, leases, bootp) and ``<route>``, as libvirt 9.0.0 parses them.

virNetworkIPDefParseXML and friends in network_conf.c, and
virNetDevIPRouteParseXML in networkcommon_conf.c.  ``parse_dhcp_host`` and
``parse_dhcp_range`` are also the element parsers of virNetworkUpdate.
"""

from __future__ import annotations

from typing import Optional

from lxml import etree

from netstore.errors import config_unsupported, libvirtError, xml_error
from netstore.model.address import (
    Address,
    check_range,
    effective_prefix,
    in_network,
    parse_address,
    parse_address_or_raise,
)
from netstore.model.types import Bootp, DHCPHost, DHCPRange, IPDef, Lease, Route
from netstore.model.values import is_multicast_mac, parse_mac
from netstore.model.xmlinput import (
    attributes,
    element_children,
    enum_prop,
    local_name,
    prop,
    tristate_prop,
    uint_prop,
    xpath_attr,
)

ULLONG_MAX = (1 << 64) - 1
LEASE_UNITS = ("seconds", "minutes", "hours")
_HOST_ID_CHARS = frozenset("0123456789abcdefABCDEF:")
_ASCII_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def ip_prefix(ipdef: IPDef) -> int:
    """virNetworkIPDefPrefix: the prefix range checks use (-1 when there is none)."""
    return effective_prefix(ipdef.address, ipdef.netmask, ipdef.prefix)


# --------------------------------------------------------------------- <ip>


def parse_ip(node: etree._Element, netname: str) -> IPDef:
    """One ``<ip>`` element: attributes, then ``<dhcp>``, then ``<tftp>``."""
    family = xpath_attr(node, "family")
    address_text = xpath_attr(node, "address")
    if address_text is None:
        raise xml_error(f"Missing required address attribute in network '{netname}'")
    address = parse_address(address_text)
    if address is None:
        raise xml_error(f"Invalid address '{address_text}' in network '{netname}'")
    netmask_text = xpath_attr(node, "netmask")
    netmask = None
    if netmask_text is not None:
        netmask = parse_address(netmask_text)
        if netmask is None:
            raise xml_error(f"Invalid netmask '{netmask_text}' in network '{netname}'")
    prefix = uint_prop(node, "prefix") or 0
    ipdef = IPDef(
        address=address,
        family=family,
        netmask=netmask,
        prefix=prefix,
        local_ptr=tristate_prop(node, "localPtr"),
    )
    _check_ip_family(ipdef, address_text, netmask_text, netname)
    dhcp = node.find("dhcp")
    if dhcp is not None:
        _parse_dhcp(dhcp, ipdef, netname)
    if node.find("tftp") is not None:
        if address.is_ipv6:
            raise config_unsupported(
                f"Unsupported <tftp> element in an IPv6 element in network '{netname}'"
            )
        ipdef.tftp_root = xpath_attr(node.find("tftp"), "root")
    return ipdef


def _check_ip_family(
    ipdef: IPDef, address_text: str, netmask_text: Optional[str], netname: str
) -> None:
    family, prefix = ipdef.family, ipdef.prefix
    if family is None or family == "ipv4":
        if ipdef.address.is_ipv6:
            raise config_unsupported(
                f"{'no' if family is None else 'ipv4'} family specified for non-IPv4 address "
                f"'{address_text}' in network '{netname}'"
            )
        if ipdef.netmask is not None:
            if ipdef.netmask.is_ipv6:
                raise config_unsupported(
                    f"Invalid netmask '{netmask_text}' for address '{address_text}' "
                    f"in network '{netname}' (both must be IPv4)"
                )
            if prefix > 0:
                raise config_unsupported(
                    f"Network '{netname}' IP address cannot have both a prefix and a netmask"
                )
        elif prefix > 32:
            raise config_unsupported(f"Invalid IPv4 prefix '{prefix}' in network '{netname}'")
    elif family == "ipv6":
        if not ipdef.address.is_ipv6:
            raise config_unsupported(
                f"Family 'ipv6' specified for non-IPv6 address '{address_text}' "
                f"in network '{netname}'"
            )
        if ipdef.netmask is not None:
            raise config_unsupported(
                f"netmask not allowed for IPv6 address '{address_text}' in network '{netname}'"
            )
        if prefix > 128:
            raise config_unsupported(f"Invalid IPv6 prefix '{prefix}' in network '{netname}'")
    else:
        raise xml_error(f"Unrecognized family '{family}' in network '{netname}'")


# ------------------------------------------------------------------- <dhcp>


def _parse_dhcp(node: etree._Element, ipdef: IPDef, netname: str) -> None:
    """Walk the children in document order, so the first bad one reports first."""
    for child in node:
        if not isinstance(child.tag, str):
            continue
        name = local_name(child)
        if name == "range":
            ipdef.ranges.append(parse_dhcp_range(child, ipdef, netname))
        elif name == "host":
            ipdef.hosts.append(parse_dhcp_host(child, ipdef, netname, False))
        elif name == "bootp" and not ipdef.is_ipv6:
            bootp = _parse_bootp(child)
            if bootp is not None:
                ipdef.bootp = bootp


def parse_dhcp_range(node: etree._Element, ipdef: IPDef, netname: str) -> DHCPRange:
    """virNetworkDHCPRangeDefParseXML: start, end, the range check, then the lease."""
    start_text = prop(node, "start")
    if start_text is None:
        raise xml_error(f"Missing 'start' attribute in dhcp range for network '{netname}'")
    start = parse_address_or_raise(start_text)
    end_text = prop(node, "end")
    if end_text is None:
        raise xml_error(f"Missing 'end' attribute in dhcp range for network '{netname}'")
    end = parse_address_or_raise(end_text)
    check_range(start, end, ipdef.address, ip_prefix(ipdef))
    return DHCPRange(start=start, end=end, lease=_parse_leases(node))


def parse_dhcp_host(
    node: etree._Element, ipdef: IPDef, netname: str, partial_ok: bool
) -> DHCPHost:
    """virNetworkDHCPHostDefParseXML; ``partial_ok`` is libvirt's partialOkay (a DELETE key).

    Of ``ipdef`` only the address family counts (the update engine relies on it).
    """
    attrs = attributes(node)
    mac = attrs.get("mac")
    mac_key = _host_mac(mac, ipdef, netname) if mac is not None else None
    host_id = attrs.get("id")
    if host_id is not None:
        _check_host_id(host_id, netname)
    name = attrs.get("name")
    if name is not None and name[:1] not in _ASCII_ALNUM:
        raise xml_error(f"Cannot use host name '{name}' in network '{netname}'")
    ip_text = attrs.get("ip")
    ip = None
    if ip_text is not None:
        ip = parse_address(ip_text)
        if ip is None:
            raise xml_error(
                f"Invalid IP address in static host definition for network '{netname}'"
            )
    _check_host_keys(mac, host_id, name, ip, ipdef, netname, partial_ok)
    return DHCPHost(
        mac=mac, id=host_id, name=name, ip=ip, lease=_parse_leases(node), mac_key=mac_key
    )


def _host_mac(mac: str, ipdef: IPDef, netname: str) -> bytes:
    if ipdef.is_ipv6:
        raise xml_error(
            f"Invalid to specify MAC address '{mac}' in network '{netname}' "
            "IPv6 static host definition"
        )
    parsed = parse_mac(mac)
    if parsed is None:
        raise xml_error(f"Cannot parse MAC address '{mac}' in network '{netname}'")
    if is_multicast_mac(parsed):
        raise xml_error(
            f"expected unicast mac address, found multicast '{mac}' in network '{netname}'"
        )
    return parsed


def _check_host_id(host_id: str, netname: str) -> None:
    for char in host_id:
        if char not in _HOST_ID_CHARS:
            raise xml_error(
                f"Invalid character '{char}' in id '{host_id}' of network '{netname}'"
            )


def _check_host_keys(
    mac: Optional[str],
    host_id: Optional[str],
    name: Optional[str],
    ip: Optional[Address],
    ipdef: IPDef,
    netname: str,
    partial_ok: bool,
) -> None:
    if partial_ok:
        if mac is None and name is None and ip is None:
            raise xml_error(
                "At least one of name, mac, or ip attribute must be specified for static "
                f"host definition in network '{netname}' "
            )
        return
    if ipdef.is_ipv6:
        if host_id is None and name is None:
            raise xml_error(
                f"Static host definition in IPv6 network '{netname}' "
                "must have id or name attribute"
            )
    elif mac is None and name is None:
        raise xml_error(
            f"Static host definition in IPv4 network '{netname}' must have mac or name attribute"
        )
    if ip is None:
        raise xml_error(f"Missing IP address in static host definition for network '{netname}'")


def _parse_leases(node: etree._Element) -> Optional[Lease]:
    """Every ``<lease>`` child is parsed in turn; the last one with an expiry wins."""
    if not len(node):  # no child node at all, the usual case
        return None
    lease = None
    for child in element_children(node, "lease"):
        parsed = parse_lease(child)
        if parsed is not None:
            lease = parsed
    return lease


def parse_lease(node: etree._Element) -> Optional[Lease]:
    """virNetworkDHCPLeaseTimeDefParseXML: no ``expiry`` means no lease (unit unchecked).

    ``expiry`` is read in base 0 (``0x10`` is 16), as libvirt 9.0.0 does.
    """
    expiry = uint_prop(node, "expiry", base=0, limit=ULLONG_MAX)
    if expiry is None:
        return None
    unit = enum_prop(node, "unit", LEASE_UNITS) or "minutes"
    if expiry > 0 and ((unit == "seconds" and expiry < 120) or (unit == "minutes" and expiry < 2)):
        raise config_unsupported("The minimum lease time should be greater than 2 minutes")
    return Lease(expiry=expiry, unit=unit)


def _parse_bootp(node: etree._Element) -> Optional[Bootp]:
    """A ``<bootp>`` without ``file`` is ignored; a bad ``server`` is 38/0."""
    file = prop(node, "file")
    if file is None:
        return None
    server_text = prop(node, "server")
    server = parse_address_or_raise(server_text) if server_text is not None else None
    return Bootp(file=file, server=server)


# ------------------------------------------------------------------ <route>


def parse_route(node: etree._Element, netname: str) -> Route:
    """virNetDevIPRouteParseXML + virNetDevIPRouteCreate (gateway reachability is separate)."""
    prefix = uint_prop(node, "prefix")
    metric = uint_prop(node, "metric", nonzero=True)
    family = prop(node, "family")
    address_text, gateway_text = prop(node, "address"), prop(node, "gateway")
    if address_text is None:
        raise _route_error(netname, "Missing required address attribute in route definition")
    if gateway_text is None:
        raise _route_error(netname, "Missing required gateway attribute in route definition")
    address = parse_address(address_text)
    if address is None:
        raise _route_error(netname, f"Bad network address '{address_text}' in route definition")
    gateway = parse_address(gateway_text)
    if gateway is None:
        raise _route_error(netname, f"Bad gateway address '{gateway_text}' in route definition")
    route = Route(address=address, gateway=gateway, family=family, prefix=prefix, metric=metric)
    netmask_text = prop(node, "netmask")
    if family is None or family == "ipv4":
        _check_route_v4(route, address_text, netmask_text, netname)
    elif family == "ipv6":
        _check_route_v6(route, address_text, gateway_text, netmask_text, netname)
    else:
        raise _route_error(netname, f"Unrecognized family '{family}' in route definition")
    _check_network_address(route, address_text, netname)
    return route


def _route_error(netname: str, message: str) -> libvirtError:
    return xml_error(f"{netname}: {message}")


def _check_route_v4(
    route: Route, address_text: str, netmask_text: Optional[str], netname: str
) -> None:
    named = "No family" if route.family is None else "IPv4 family"
    if route.address.is_ipv6:
        raise _route_error(
            netname, f"{named} specified for non-IPv4 address '{address_text}' in route definition"
        )
    if route.gateway.is_ipv6:
        raise _route_error(
            netname, f"{named} specified for non-IPv4 gateway '{address_text}' in route definition"
        )
    if netmask_text is not None:
        route.netmask = parse_address(netmask_text)
        if route.netmask is None:
            raise _route_error(
                netname, f"Bad netmask address '{netmask_text}' in route definition"
            )
        if route.netmask.is_ipv6:
            raise _route_error(
                netname,
                f"Invalid netmask '{netmask_text}' for address '{address_text}' (both must be IPv4)",
            )
        if route.prefix is not None:
            raise _route_error(netname, "Route definition cannot have both a prefix and a netmask")
    if (route.prefix or 0) > 32:
        raise _route_error(
            netname, f"Invalid prefix {route.prefix} specified in route definition, must be 0 - 32"
        )


def _check_route_v6(
    route: Route,
    address_text: str,
    gateway_text: str,
    netmask_text: Optional[str],
    netname: str,
) -> None:
    if not route.address.is_ipv6:
        raise _route_error(
            netname, f"ipv6 family specified for non-IPv6 address '{address_text}' in route definition"
        )
    if netmask_text is not None:
        raise _route_error(
            netname,
            f"Specifying netmask invalid for IPv6 address '{address_text}' in route definition",
        )
    if not route.gateway.is_ipv6:
        raise _route_error(
            netname,
            f"ipv6 specified for non-IPv6 gateway address '{gateway_text}' in route definition",
        )
    if (route.prefix or 0) > 128:
        raise _route_error(
            netname, f"Invalid prefix {route.prefix} specified in route definition, must be 0 - 128"
        )


def _check_network_address(route: Route, address_text: str, netname: str) -> None:
    value, bits = route.address.value, route.address.bits
    if route.netmask is not None:
        masked = value & route.netmask.value
    else:
        host_bits = bits - (route.prefix or 0)
        masked = (value >> host_bits) << host_bits if host_bits < bits else 0
    if masked != value:
        raise _route_error(
            netname, f"Address '{address_text}' in route definition is not a network address"
        )


def check_route_gateways(routes: list[Route], ips: list[IPDef], netname: str) -> None:
    """Each route's gateway must lie in the subnet of some ``<ip>`` of its family."""
    for route in routes:
        gateway = route.gateway
        if not any(
            ipdef.address.family == gateway.family
            and in_network(gateway, ipdef.address, ip_prefix(ipdef))
            for ipdef in ips
        ):
            raise config_unsupported(
                f"unreachable static route gateway '{gateway.text}' "
                f"specified for network '{netname}'"
            )
