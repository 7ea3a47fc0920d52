"""What newer libvirt's MODIFY of dns-host / dns-txt / dns-srv does (netstore's deliberate deviation).

libvirt 9.0.0 refuses these MODIFYs (code 84); upstream later implemented them
(update-semantics.md §4.5-§4.7).  netstore follows upstream, so a differential
test cannot ask libvirt 9.0.0 for the answer directly.  It can get almost all
of it from libvirt anyway:

* 9.0.0 parses a MODIFY fragment exactly as a DELETE one (``partialOkay`` is
  "not ADD" in both), and checks the element name first in both, so a DELETE
  of the same fragment yields the same parse and element errors;
* for txt and srv, upstream MODIFY finds its target exactly as DELETE does
  (txt: by name; srv: wildcard match, exactly one), with the same error texts;
* for host, the target is computed here: ``foundCt`` counts records whose IP
  equals the request's or that share a hostname with it, and the target is the
  last record with an equal IP (a hostname-only match is "not found": the
  upstream code would write ``hosts[-1]``, see §4.5).

The replacement is then made on the XML and run through libvirt's parser and
formatter, which is the round trip virNetworkObjUpdate performs.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from typing import Optional

from lxml import etree

DNS_HOST, DNS_TXT, DNS_SRV = 10, 11, 12
HOST_NOT_FOUND = "Requested operation is not valid: couldn't locate a matching DNS HOST record in network {}"
SRV_KEYS = ("domain", "service", "protocol", "target")


@dataclass(frozen=True)
class Plan:
    """Where a MODIFY lands: the index of the record in ``<dns>``'s list, and its replacement."""

    tag: str
    index: int
    replacement: etree._Element


def _address(text: Optional[str]) -> Optional[bytes]:
    """The address as libvirt compares it (virSocketAddrParse + virSocketAddrEqual)."""
    if not text:
        return None
    try:
        info = socket.getaddrinfo(text, None, socket.AF_UNSPEC, socket.SOCK_DGRAM, 0, socket.AI_NUMERICHOST)
    except (socket.gaierror, UnicodeError, ValueError):
        return None
    family, _, _, _, sockaddr = info[0]
    return bytes([family]) + socket.inet_pton(family, sockaddr[0].split("%", 1)[0])


def _hostnames(host: etree._Element) -> list[str]:
    return ["".join(h.itertext()) for h in host.findall("hostname") if "".join(h.itertext())]


def plan_host(current: etree._Element, fragment: etree._Element) -> Optional[Plan]:
    """Upstream virNetworkDefUpdateDNSHost MODIFY; None when no record qualifies."""
    hosts = current.findall("dns/host")
    want_ip = _address(fragment.get("ip"))
    want_names = set(_hostnames(fragment))
    found = [h for h in hosts if (want_ip is not None and _address(h.get("ip")) == want_ip)
             or want_names & set(_hostnames(h))]
    by_ip = [i for i, h in enumerate(hosts) if want_ip is not None and _address(h.get("ip")) == want_ip]
    if not found or not by_ip:
        return None
    return Plan("host", by_ip[-1], fragment)


def plan_txt(current: etree._Element, fragment: etree._Element) -> Optional[Plan]:
    """Upstream MODIFY of a TXT record: same name, only the value changes."""
    for i, txt in enumerate(current.findall("dns/txt")):
        if txt.get("name") == fragment.get("name"):
            replacement = etree.Element("txt", name=txt.get("name"))
            if fragment.get("value") is not None:
                replacement.set("value", fragment.get("value"))
            return Plan("txt", i, replacement)
    return None


def plan_srv(current: etree._Element, fragment: etree._Element) -> Optional[Plan]:
    """Upstream MODIFY of an SRV record: the single wildcard match is replaced whole."""
    matches = [i for i, srv in enumerate(current.findall("dns/srv"))
               if all(fragment.get(k) is None or fragment.get(k) == srv.get(k) for k in SRV_KEYS)]
    if len(matches) != 1:
        return None
    replacement = etree.Element("srv")
    for key in ("service", "protocol", "domain", "target", "port", "priority", "weight"):
        if fragment.get(key) is not None:
            replacement.set(key, fragment.get(key))
    return Plan("srv", matches[0], replacement)


PLANNERS = {DNS_HOST: plan_host, DNS_TXT: plan_txt, DNS_SRV: plan_srv}


def modified_xml(current_xml: str, section: int, fragment_xml: str) -> Optional[str]:
    """The definition after an upstream MODIFY, or None when the record is not found.

    The fragment must already have been accepted by libvirt's (DELETE) parser.
    """
    current = etree.fromstring(current_xml.encode(), etree.XMLParser(recover=True))
    fragment = etree.fromstring(fragment_xml.encode() if isinstance(fragment_xml, str) else fragment_xml)
    plan = PLANNERS[section](current, fragment)
    if plan is None:
        return None
    target = current.findall(f"dns/{plan.tag}")[plan.index]
    replacement = etree.fromstring(etree.tostring(plan.replacement))
    replacement.tag = plan.tag
    replacement.tail = target.tail
    target.getparent().replace(target, replacement)
    return etree.tostring(current, encoding="unicode")


def _delete_target(current: etree._Element, section: int, fragment: etree._Element) -> Optional[Plan]:
    """libvirt 9.0.0's DELETE target: txt and srv as MODIFY finds it, host the single record
    sharing the IP or a hostname."""
    if section != DNS_HOST:
        return PLANNERS[section](current, fragment)
    want_ip = _address(fragment.get("ip"))
    want_names = set(_hostnames(fragment))
    found = [i for i, h in enumerate(current.findall("dns/host"))
             if (want_ip is not None and _address(h.get("ip")) == want_ip) or want_names & set(_hostnames(h))]
    return Plan("host", found[0], fragment) if len(found) == 1 else None


def deleted_xml(current_xml: str, section: int, fragment_xml: str) -> Optional[str]:
    """The definition after libvirt 9.0.0's DELETE of the fragment's record, or None when DELETE
    finds no single record or ``current_xml`` is not well-formed (a value libvirt writes raw: no
    copy made from it would be the same network).  Used to tell a DELETE that failed re-parsing
    its own result."""
    try:
        current = etree.fromstring(current_xml.encode())
    except etree.XMLSyntaxError:
        return None
    fragment = etree.fromstring(fragment_xml.encode() if isinstance(fragment_xml, str) else fragment_xml)
    plan = _delete_target(current, section, fragment)
    if plan is None:
        return None
    target = current.findall(f"dns/{plan.tag}")[plan.index]
    target.getparent().remove(target)
    return etree.tostring(current, encoding="unicode")
