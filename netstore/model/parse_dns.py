"""``<dns>`` and its records, as libvirt 9.0.0's ``virNetworkDNSDefParseXML`` reads them.

The record parsers are shared with the update engine.  ``partial_ok`` is
libvirt's ``partialOkay``: true when the element only has to identify an
existing record (every update command other than ADD), so the fields a match
does not need may be missing.  Record errors are 35 (no prefix); the
``<dns>``-level errors are 27.
"""

from __future__ import annotations

from typing import Optional

from lxml import etree

from netstore.errors import xml_detail, xml_error
from netstore.model.address import Address, parse_address
from netstore.model.types import DNSDef, DNSForwarder, DNSHost, DNSSrv, DNSTxt
from netstore.model.values import parse_unsigned
from netstore.model.xmlinput import local_name, prop, text_content, tristate_prop, xpath_attr

SRV_SERVICE_MAX_BYTES = 512 - 30
_DIGITS_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
SRV_SERVICE_CHARS = frozenset(_DIGITS_LETTERS + "_-+/*")
SRV_PROTOCOL_CHARS = frozenset(_DIGITS_LETTERS + "-+/")
_TXT_FORBIDDEN = frozenset(" ,")


def _c_string(value: Optional[str]) -> str:
    """How glibc's printf shows a NULL string argument."""
    return "(null)" if value is None else value


def _has_children(node: etree._Element) -> bool:
    """libxml2's ``node->children != NULL``: any text, CDATA, element, comment or PI inside."""
    return node.text is not None or len(node) > 0


def _hostnames(node: etree._Element, netname: str) -> list[str]:
    """Every ``<hostname>`` child (any namespace) with content; empty elements are skipped."""
    hostnames = []
    for child in node:
        if not isinstance(child.tag, str) or local_name(child) != "hostname" or not _has_children(child):
            continue
        name = text_content(child)
        if not name:
            raise xml_detail(f"Missing hostname in network '{netname}' DNS HOST record")
        hostnames.append(name)
    return hostnames


def parse_dns_host(node: etree._Element, netname: str, partial_ok: bool) -> DNSHost:
    """virNetworkDNSHostDefParseXML (9.0.0 order: ip first, then the hostnames)."""
    ip_text = prop(node, "ip")
    ip: Optional[Address] = None
    if ip_text is None:
        if not partial_ok:
            raise xml_detail(f"Missing IP address in network '{netname}' DNS HOST record")
    else:
        ip = parse_address(ip_text)
        if ip is None:
            raise xml_detail(f"Invalid IP address in network '{netname}' DNS HOST record")
    hostnames = _hostnames(node, netname)
    if not hostnames and not partial_ok:
        raise xml_detail(f"Missing hostname in network '{netname}' DNS HOST record")
    if ip is None and not hostnames:
        raise xml_detail(f"Missing ip and hostname in network '{netname}' DNS HOST record")
    return DNSHost(ip=ip, hostnames=hostnames)


def parse_dns_txt(node: etree._Element, netname: str, partial_ok: bool) -> DNSTxt:
    """virNetworkDNSTxtDefParseXML: name always required; value only when adding."""
    name = prop(node, "name")
    if name is None:
        raise xml_detail(f"missing required name attribute in DNS TXT record of network {netname}")
    if not _TXT_FORBIDDEN.isdisjoint(name):
        raise xml_detail(f"prohibited character in DNS TXT record name '{name}' of network {netname}")
    value = prop(node, "value")
    if value is None and not partial_ok:
        raise xml_detail(
            f"missing required value attribute in DNS TXT record named '{name}' of network {netname}"
        )
    return DNSTxt(name=name, value=value)


def _check_srv_service(service: Optional[str], netname: str, partial_ok: bool) -> None:
    if service is None:
        if not partial_ok:
            raise xml_detail(f"missing required service attribute in DNS SRV record of network '{netname}'")
        return
    if len(service.encode("utf-8", "surrogateescape")) > SRV_SERVICE_MAX_BYTES:
        raise xml_detail(
            f"service attribute '{service}' in network '{netname}' is too long, "
            f"limit is {SRV_SERVICE_MAX_BYTES} bytes"
        )
    if not SRV_SERVICE_CHARS.issuperset(service):
        raise xml_detail(
            f"invalid character in service attribute '{service}' in DNS SRV record of network '{netname}'"
        )


def _check_srv_protocol(srv: DNSSrv, netname: str, partial_ok: bool) -> None:
    protocol = srv.protocol
    if protocol is None:
        if not partial_ok:
            raise xml_detail(
                f"missing required protocol attribute in DNS SRV record '{_c_string(srv.service)}' "
                f"of network '{netname}'"
            )
        return
    if not SRV_PROTOCOL_CHARS.issuperset(protocol):
        raise xml_detail(
            f"invalid character in protocol attribute '{protocol}' in DNS SRV record of network '{netname}'"
        )


def _srv_number(node: etree._Element, srv: DNSSrv, attr: str, netname: str) -> int:
    """virXPathUInt on port/priority/weight, with the 'needs target' and range checks."""
    text = xpath_attr(node, attr)
    if text is None:
        return 0
    value = parse_unsigned(text, 10)
    where = f"for service '{_c_string(srv.service)}' in network '{netname}'"
    if value is not None and srv.target is None:
        raise xml_detail(f"DNS SRV {attr} attribute not permitted without target {where}")
    lowest = 1 if attr == "port" else 0
    if value is None or not lowest <= value <= 65535:
        invalid = "Invalid" if attr == "priority" else "invalid"
        raise xml_detail(f"{invalid} DNS SRV {attr} attribute {where}")
    return value


def parse_dns_srv(node: etree._Element, netname: str, partial_ok: bool) -> DNSSrv:
    """virNetworkDNSSrvDefParseXML: service, protocol, then port, priority, weight."""
    srv = DNSSrv(service=prop(node, "service"))
    _check_srv_service(srv.service, netname, partial_ok)
    srv.protocol = prop(node, "protocol")
    _check_srv_protocol(srv, netname, partial_ok)
    srv.domain = prop(node, "domain")
    srv.target = prop(node, "target")
    srv.port = _srv_number(node, srv, "port", netname)
    srv.priority = _srv_number(node, srv, "priority", netname)
    srv.weight = _srv_number(node, srv, "weight", netname)
    return srv


def _parse_forwarder(node: etree._Element, netname: str) -> DNSForwarder:
    addr_text = prop(node, "addr")
    addr = None
    if addr_text is not None:
        addr = parse_address(addr_text)
        if addr is None:
            raise xml_error(f"Invalid forwarder IP address '{addr_text}' in network '{netname}'")
    domain = prop(node, "domain")
    if addr_text is None and domain is None:
        raise xml_error("Invalid forwarder element, must contain at least one of addr or domain")
    return DNSForwarder(domain=domain, addr=addr)


def _children(node: etree._Element, name: str) -> list[etree._Element]:
    """XPath ``./name``: child elements of that name in no namespace."""
    return node.findall(name)


def parse_dns_def(node: etree._Element, netname: str) -> DNSDef:
    """The whole ``<dns>`` element: attributes, forwarders, hosts, srvs, txts, then the enable check."""
    dns = DNSDef()
    dns.enable = tristate_prop(node, "enable")
    dns.forward_plain_names = tristate_prop(node, "forwardPlainNames")
    dns.forwarders = [_parse_forwarder(child, netname) for child in _children(node, "forwarder")]
    dns.hosts = [parse_dns_host(child, netname, False) for child in _children(node, "host")]
    dns.srvs = [parse_dns_srv(child, netname, False) for child in _children(node, "srv")]
    dns.txts = [parse_dns_txt(child, netname, False) for child in _children(node, "txt")]
    if dns.enable is False and dns.has_records:
        raise xml_error(f"Extra data in disabled network '{netname}'")
    return dns
