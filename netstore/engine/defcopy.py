"""libvirt's copy of the definition before an edit (virNetworkDefCopy), as steps.

virNetworkObjUpdate edits a copy made by formatting the definition (flags 0
for the live one, VIR_NETWORK_XML_INACTIVE for the persistent one) and
parsing it again.  The copy loses what the formatter leaves out or the parser
reads back differently; netstore lists those losses as ordinary steps, so the
projector replays them, without formatting the network:

* forward pool entries and ``<pf>`` (see :mod:`netstore.engine.pool`);
* a ``<bootp>`` whose ``<dhcp>`` is no longer written (no range, no host);
* network bandwidth rates with ``average='0'`` (not written);
* portgroups that do not come back the same (see
  :func:`netstore.engine.lookup.portgroup_is_lossy`), replaced by their
  formatted-and-parsed selves;
* for a definition with ``needs_roundtrip`` (values written raw), the real
  copy: the whole definition, replaced by its formatted-and-parsed self.

A definition whose output does not parse back fails here, as the copy fails
in libvirt, before the update XML is even read.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Optional

from netstore.engine import lookup, pool
from netstore.engine.steps import EditStep, apply_steps
from netstore.errors import VIR_FROM_NONE, xml_error
from netstore.model.codec import to_dict
from netstore.model.collections import BANDWIDTH_INBOUND, BANDWIDTH_OUTBOUND, BOOTP, DEFINITION, PORTGROUP
from netstore.model.format import format_network
from netstore.model.parse_network import parse_network_xml
from netstore.model.types import IPDef, NetworkDef, PortGroup, Vlan
from netstore.state import ItemOp


def reparse(defn: NetworkDef, inactive: bool) -> NetworkDef:
    """The real round trip (raises libvirt's error when the output does not parse)."""
    return parse_network_xml(format_network(defn, inactive))


def copy_steps(defn: NetworkDef, inactive: bool) -> tuple[EditStep, ...]:
    """What libvirt's copy of ``defn`` loses, as steps (raises when the copy fails)."""
    if defn.needs_roundtrip:
        return _reparsed_steps(defn, inactive)
    if not _has_losable_parts(defn):
        return ()
    check_vlan(defn.vlan)
    return (
        *_bandwidth_steps(defn),
        *_portgroup_steps(defn),
        *pool.copy_steps(defn, inactive),
        *_bootp_steps(defn),
    )


def _has_losable_parts(defn: NetworkDef) -> bool:
    """Whether ``defn`` has any of the parts the steps below look at (the usual network has none)."""
    forward = defn.forward
    if defn.vlan is not None or defn.bandwidth is not None or defn.portgroups or forward.ifaces or forward.pfs:
        return True
    return any(ipdef.bootp is not None for ipdef in defn.ips)


def _reparsed_steps(defn: NetworkDef, inactive: bool) -> tuple[EditStep, ...]:
    """The real copy, for definitions holding values libvirt writes raw: whatever it changes
    (``a&amp;b`` comes back ``a&b``) replaces the whole definition."""
    copied = reparse(defn, inactive)
    if _comparable(copied) == _comparable(defn):
        return ()
    return (EditStep(DEFINITION, 0, ItemOp.REPLACE, 0, copied),)


def _comparable(defn: NetworkDef) -> dict:
    value = to_dict(defn)
    value.pop("needs_roundtrip", None)
    return value


def check_vlan(vlan: Optional[Vlan]) -> None:
    """The formatter writes nativeMode on every tag with the native id; the parser allows one."""
    if vlan is not None and lookup.vlan_is_unparsable(vlan):
        raise xml_error("duplicate native vlan setting", VIR_FROM_NONE)


def _bandwidth_steps(defn: NetworkDef) -> list[EditStep]:
    bandwidth = defn.bandwidth
    if bandwidth is None:
        return []
    rates = ((BANDWIDTH_INBOUND, bandwidth.inbound), (BANDWIDTH_OUTBOUND, bandwidth.outbound))
    return [
        EditStep(slot, 0, ItemOp.DELETE, 0, None)
        for slot, rate in rates
        if rate is not None and not lookup.rate_is_written(rate)
    ]


def _portgroup_steps(defn: NetworkDef) -> list[EditStep]:
    if not defn.portgroups:
        return []
    index = lookup.index_for(defn, PORTGROUP)
    return [
        EditStep(PORTGROUP, 0, ItemOp.REPLACE, index.position(portgroup), portgroup_roundtrip(defn, portgroup))
        for portgroup in index.ordered(index.lossy)
    ]


def _bootp_steps(defn: NetworkDef) -> list[EditStep]:
    return [
        EditStep(BOOTP, position, ItemOp.DELETE, 0, None)
        for position, ipdef in enumerate(defn.ips)
        if ipdef.bootp is not None and not ipdef.has_dhcp
    ]


def portgroup_roundtrip(defn: NetworkDef, portgroup: PortGroup) -> PortGroup:
    """``portgroup`` formatted and parsed again, alone in a network named like ``defn``."""
    skeleton = NetworkDef(name=defn.name, uuid=defn.uuid, portgroups=[portgroup])
    return reparse(skeleton, False).portgroups[0]


def working_copy(defn: NetworkDef, steps: Sequence[EditStep]) -> NetworkDef:
    """``defn`` as the copy steps leave it, for planning only.

    It shares every list the copy steps do not touch (and their indexes), so
    nothing but those steps may ever be applied to it.
    """
    if not steps:
        return defn
    forward = defn.forward
    work = dataclasses.replace(
        defn,
        forward=dataclasses.replace(forward, ifaces=list(forward.ifaces), pfs=list(forward.pfs)),
        portgroups=list(defn.portgroups),
        ips=[_ip_copy(ipdef) for ipdef in defn.ips],
        lookup_cache=lookup.copy_cache(defn.lookup_cache),
    )
    apply_steps(work, steps)
    return work


def _ip_copy(ipdef: IPDef) -> IPDef:
    return dataclasses.replace(ipdef, lookup_cache=lookup.copy_cache(ipdef.lookup_cache))
