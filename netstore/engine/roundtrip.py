"""The re-parse libvirt makes of the edited definition, emulated without formatting it.

After the section edit, virNetworkObjUpdate formats the edited copy and
parses it again (virNetworkDefCopy) to validate it, so the whole-network
parser can refuse an edit the section code accepted.  :func:`check_edit`
raises what that parser would say about the edited parts:

* the forward pool rules (:func:`netstore.engine.pool.check_after_edit`);
* a DNS record that would not parse back (a MODIFY without hostname, TXT
  value or SRV service/protocol) and records under ``<dns enable='no'>``.

When the edit cannot be judged this way (the definition has
``needs_roundtrip``, a new DHCP host has ``'``, ``<`` or ``&`` in a value
libvirt writes raw, a new item has a control character, a new portgroup does
not format and parse back) the faithful slow path formats and parses the
edited definition for real, so the error is libvirt's own, line number
included.  That path costs O(size of the network); nothing ordinary takes it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from operator import attrgetter
from typing import Any

from netstore.engine import pool
from netstore.engine.defcopy import copy_steps, portgroup_roundtrip, reparse
from netstore.engine.steps import EditStep, apply_steps
from netstore.errors import libvirtError, xml_detail, xml_error
from netstore.model.codec import copy_definition
from netstore.model.collections import (
    DHCP_HOST,
    DNS_HOST,
    DNS_SRV,
    DNS_TXT,
    FORWARD_INTERFACE,
    PORTGROUP,
    SLOTS,
)
from netstore.model.safety import CONTROL
from netstore.model.types import DNSHost, DNSSrv, DNSTxt, NetworkDef
from netstore.state import ItemOp

__all__ = ["check_edit", "copy_steps", "reparse"]  # the copy's two, for callers that import them from here

DNS_COLLECTIONS = (DNS_HOST, DNS_TXT, DNS_SRV)
_COLLECTION = attrgetter("collection")
_RAW_BREAKERS = frozenset("'<&")


def check_edit(work: NetworkDef, steps: Sequence[EditStep], inactive: bool) -> None:
    """Raise what re-parsing ``work`` with ``steps`` applied would raise."""
    if _needs_reparse(work, steps):
        reparse(_edited(work, steps), inactive)
        return
    collections = set(map(_COLLECTION, steps))
    if FORWARD_INTERFACE in collections:
        pool.check_after_edit(work, _simulate(work.forward.ifaces, steps, FORWARD_INTERFACE), inactive)
    if not collections.isdisjoint(DNS_COLLECTIONS):
        _check_dns(work, steps)


def _needs_reparse(work: NetworkDef, steps: Sequence[EditStep]) -> bool:
    """True when only the real round trip can judge the edit."""
    return work.needs_roundtrip or any(_breaks_reparse(work, step) for step in steps)


def _breaks_reparse(work: NetworkDef, step: EditStep) -> bool:
    """True when the new item can only be judged by the real round trip."""
    item, collection = step.item, step.collection
    if item is None or collection in SLOTS:
        return False
    if collection == PORTGROUP:
        return not _portgroup_reparses(work, item)
    checked = _STRINGS.get(collection)
    if checked is None:
        return False
    strings, breakers = checked
    return any(value and not breakers.isdisjoint(value) for value in strings(item))


def _portgroup_reparses(work: NetworkDef, portgroup: Any) -> bool:
    try:
        portgroup_roundtrip(work, portgroup)
    except libvirtError:
        return False
    return True


def _edited(work: NetworkDef, steps: Iterable[EditStep]) -> NetworkDef:
    copy = copy_definition(work)
    apply_steps(copy, steps)
    return copy


def _simulate(items: list, steps: Iterable[EditStep], collection: str) -> list:
    """A copy of ``items`` with the steps on ``collection`` applied."""
    result = list(items)
    for step in steps:
        if step.collection != collection:
            continue
        if step.op is ItemOp.INSERT:
            result.insert(step.index, step.item)
        elif step.op is ItemOp.DELETE:
            del result[step.index]
        else:
            result[step.index] = step.item
    return result


def _check_dns(work: NetworkDef, steps: Sequence[EditStep]) -> None:
    """virNetworkDNSDefParseXML on the edited ``<dns>``: the records, then ``enable='no'``."""
    name = work.name
    dns_steps = [step for step in steps if step.collection in DNS_COLLECTIONS]
    for step in dns_steps:
        if step.op is ItemOp.REPLACE:
            _RECORD_CHECKS[step.collection](step.item, name)
    dns = work.dns
    records = len(dns.forwarders) + len(dns.hosts) + len(dns.srvs) + len(dns.txts)
    records += sum(_GROWTH[step.op] for step in dns_steps)
    if dns.enable is False and records > 0:
        raise xml_error(f"Extra data in disabled network '{name}'")


def _check_dns_host(host: DNSHost, name: str) -> None:
    if not host.hostnames:
        raise xml_detail(f"Missing hostname in network '{name}' DNS HOST record")
    if host.ip is None:
        raise xml_detail(f"Missing IP address in network '{name}' DNS HOST record")


def _check_dns_txt(txt: DNSTxt, name: str) -> None:
    if txt.value is None:
        raise xml_detail(
            f"missing required value attribute in DNS TXT record named '{txt.name}' of network {name}"
        )


def _check_dns_srv(srv: DNSSrv, name: str) -> None:
    if srv.service is None:
        raise xml_detail(f"missing required service attribute in DNS SRV record of network '{name}'")
    if srv.protocol is None:
        raise xml_detail(
            f"missing required protocol attribute in DNS SRV record '{srv.service}' of network '{name}'"
        )


_GROWTH = {ItemOp.INSERT: 1, ItemOp.DELETE: -1, ItemOp.REPLACE: 0}
_RECORD_CHECKS: dict[str, Callable] = {DNS_HOST: _check_dns_host, DNS_TXT: _check_dns_txt, DNS_SRV: _check_dns_srv}
# A new item's strings, and the characters that make one of them come back changed: control
# characters (a TXT name with a line feed even comes back refused), and for a DHCP host, whose
# values libvirt writes raw, what makes the XML mean something else.
_STRINGS: dict[str, tuple[Callable, frozenset[str]]] = {
    DHCP_HOST: (attrgetter("mac", "id", "name"), CONTROL | _RAW_BREAKERS),
    DNS_HOST: (attrgetter("hostnames"), CONTROL),
    DNS_TXT: (attrgetter("name", "value"), CONTROL),
    DNS_SRV: (attrgetter("service", "protocol", "domain", "target"), CONTROL),
}
