"""Port-profile elements: ``<vlan>``, ``<bandwidth>``, ``<virtualport>``, ``<portgroup>``.

libvirt 9.0.0's ``virNetDevVlanParse``, ``virNetDevBandwidthParse`` (network
flavour: no ``classID``, no ``floor``), ``virNetDevVPortProfileParse`` and
``virNetworkPortGroupParseXML``, with their checks in libvirt's order and their
exact codes, domains and messages.

Lookup rules copied from libvirt: children found through XPath (``./tag``,
``./virtualport``, ...) must be in no namespace; children found by walking the
tree (``inbound``/``outbound``, ``parameters``) match on the local name only.
Attributes read through XPath (``trunk``, portgroup ``name``/``default``) are
in no namespace and ``''`` counts as absent; the others use libvirt's
``virXMLPropString`` rules (:func:`netstore.model.xmlinput.prop`).
"""

from __future__ import annotations

from typing import Optional

from lxml import etree

from netstore.errors import (
    VIR_ERR_CONFIG_UNSUPPORTED,
    VIR_ERR_XML_DETAIL,
    VIR_FROM_NET,
    VIR_FROM_NONE,
    VIR_FROM_XML,
    libvirtError,
    xml_error,
)
from netstore.model.types import Bandwidth, BandwidthRate, PortGroup, VirtualPort, Vlan
from netstore.model.values import ULONG_MAX, is_yes_nocase, parse_unsigned, parse_unsigned_wrapping, parse_uuid
from netstore.model.xmlinput import enum_prop, local_name, prop, tristate_prop, uint_prop, xpath_attr

VPORT_TYPES = ("802.1Qbg", "802.1Qbh", "openvswitch", "midonet")
NATIVE_MODES = ("tagged", "untagged")
PROFILEID_MAX_BYTES = 39

# Parameters each virtualport type refuses (virNetDevVPortProfileCheckNoExtras), in check order.
_VPORT_EXTRAS = {
    "802.1Qbg": ("profileid", "interfaceid"),
    "802.1Qbh": ("managerid", "typeid", "typeidversion", "instanceid", "interfaceid"),
    "openvswitch": ("managerid", "typeid", "typeidversion", "instanceid"),
}


def _prop_uint_required(node: etree._Element, attr: str) -> int:
    """virXMLPropUInt(base 10, VIR_XML_PROP_REQUIRED)."""
    parsed = uint_prop(node, attr)
    if parsed is None:
        raise xml_error(f"Missing required attribute '{attr}' in element '{local_name(node)}'", VIR_FROM_XML)
    return parsed


def parse_vlan(node: etree._Element) -> Vlan:
    """virNetDevVlanParse on a ``<vlan>`` element."""
    tag_nodes = node.findall("tag")
    if not tag_nodes:
        raise xml_error(
            "missing tag id - each <vlan> must have at least one <tag id='n'/> subelement",
            VIR_FROM_NONE,
        )
    vlan = Vlan(tags=[])
    for tag_node in tag_nodes:
        _parse_vlan_tag(tag_node, vlan)
    vlan.trunk = len(vlan.tags) > 1
    trunk = xpath_attr(node, "trunk")
    if trunk is not None:
        _apply_vlan_trunk(vlan, trunk)
    return vlan


def _parse_vlan_tag(tag_node: etree._Element, vlan: Vlan) -> None:
    tag = _prop_uint_required(tag_node, "id")
    if tag > 4095:
        raise xml_error(f"vlan tag id {tag} too large (maximum 4095)", VIR_FROM_NONE)
    mode = enum_prop(tag_node, "nativeMode", NATIVE_MODES)
    if mode is not None:
        if vlan.native_mode is not None:
            raise xml_error("duplicate native vlan setting", VIR_FROM_NONE)
        vlan.native_mode = mode
        vlan.native_tag = tag
    vlan.tags.append(tag)


def _apply_vlan_trunk(vlan: Vlan, trunk: str) -> None:
    vlan.trunk = trunk.lower() == "yes"
    if vlan.trunk:
        return
    if len(vlan.tags) > 1:
        raise xml_error(
            f"invalid \"trunk='{trunk}'\" in <vlan> - trunk='yes' is required for more than one vlan tag",
            VIR_FROM_NONE,
        )
    if vlan.native_mode is not None:
        raise xml_error(
            "invalid configuration in <vlan> - \"trunk='no'\" is not allowed with a native vlan id",
            VIR_FROM_NONE,
        )
    if trunk.lower() != "no":
        raise xml_error(f"invalid \"trunk='{trunk}'\" in <vlan> - must be yes or no", VIR_FROM_NONE)


def _bandwidth_error(code: int, detail: str) -> libvirtError:
    return libvirtError(code, detail, VIR_FROM_NONE)


def _rate_value(node: etree._Element, attr: str) -> Optional[int]:
    value = prop(node, attr)
    if value is None:
        return None
    parsed = parse_unsigned(value, 10, ULONG_MAX)
    if parsed is None:
        raise _bandwidth_error(
            VIR_ERR_CONFIG_UNSUPPORTED, f"could not convert bandwidth {attr} value '{value}'"
        )
    return parsed


def _parse_rate(node: etree._Element) -> BandwidthRate:
    """virNetDevBandwidthParseRate."""
    has_average = prop(node, "average") is not None
    average = _rate_value(node, "average")
    if not has_average and prop(node, "floor") is None:
        raise _bandwidth_error(VIR_ERR_XML_DETAIL, "Missing mandatory average or floor attributes")
    if (prop(node, "peak") is not None or prop(node, "burst") is not None) and not has_average:
        raise _bandwidth_error(VIR_ERR_CONFIG_UNSUPPORTED, "'peak' and 'burst' require 'average' attribute")
    rate = BandwidthRate(average=average or 0)
    rate.peak = _rate_value(node, "peak") or 0
    rate.burst = _rate_value(node, "burst") or 0
    rate.floor = _rate_value(node, "floor") or 0
    return rate


def _bandwidth_children(node: etree._Element) -> tuple[Optional[etree._Element], Optional[etree._Element]]:
    found: dict[str, etree._Element] = {}
    for child in node:
        name = local_name(child) if isinstance(child.tag, str) else None
        if name not in ("inbound", "outbound"):
            continue
        if name in found:
            raise _bandwidth_error(VIR_ERR_XML_DETAIL, f"Only one child <{name}> element allowed")
        found[name] = child
    return found.get("inbound"), found.get("outbound")


def parse_bandwidth(node: etree._Element) -> Optional[Bandwidth]:
    """virNetDevBandwidthParse for networks and portgroups; ``None`` when neither child exists."""
    if prop(node, "classID") is not None:
        raise _bandwidth_error(
            VIR_ERR_XML_DETAIL, "classID attribute not supported on <bandwidth> in this usage context"
        )
    inbound_node, outbound_node = _bandwidth_children(node)
    bandwidth = Bandwidth()
    if inbound_node is not None:
        bandwidth.inbound = _parse_rate(inbound_node)
        if bandwidth.inbound.floor:
            raise _bandwidth_error(
                VIR_ERR_CONFIG_UNSUPPORTED, "floor attribute is not supported for this config"
            )
    if outbound_node is not None:
        bandwidth.outbound = _parse_rate(outbound_node)
        if bandwidth.outbound.floor:
            raise _bandwidth_error(
                VIR_ERR_CONFIG_UNSUPPORTED, "'floor' attribute allowed only in <inbound> element"
            )
    if bandwidth.inbound is None and bandwidth.outbound is None:
        return None
    return bandwidth


def _vport_number(value: Optional[str], name: str, limit: int, range_word: str = "of") -> Optional[int]:
    if value is None:
        return None
    parsed = parse_unsigned_wrapping(value, 0)
    if parsed is None:
        raise xml_error(f"cannot parse value of {name} parameter", VIR_FROM_NONE)
    if parsed > limit:
        raise xml_error(f"value {range_word} {name} out of range", VIR_FROM_NONE)
    return parsed


def _vport_uuid(value: Optional[str], name: str) -> Optional[str]:
    if value is None:
        return None
    parsed = parse_uuid(value)
    if parsed is None:
        raise xml_error(f"cannot parse {name} parameter as a uuid", VIR_FROM_NONE)
    return parsed


def _vport_type(node: etree._Element, require_type: bool) -> Optional[str]:
    kind = prop(node, "type")
    if kind is not None and kind not in VPORT_TYPES:
        raise libvirtError(VIR_ERR_CONFIG_UNSUPPORTED, f"unknown virtualport type {kind}", VIR_FROM_NONE)
    if kind is None and require_type:
        raise xml_error("missing required virtualport type", VIR_FROM_NONE)
    return kind


def _first_parameters(node: etree._Element) -> Optional[etree._Element]:
    for child in node:
        if isinstance(child.tag, str) and local_name(child) == "parameters":
            return child
    return None


def parse_virtualport(node: etree._Element, require_type: bool) -> VirtualPort:
    """virNetDevVPortProfileParse (no generated defaults), then the extra-parameter check."""
    vport = VirtualPort(type=_vport_type(node, require_type))
    params = _first_parameters(node)

    def get(attr: str) -> Optional[str]:
        return prop(params, attr)

    vport.managerid = _vport_number(get("managerid"), "managerid", 0xFF)
    vport.typeid = _vport_number(get("typeid"), "typeid", 0xFFFFFF, "for")
    vport.typeidversion = _vport_number(get("typeidversion"), "typeidversion", 0xFF)
    vport.instanceid = _vport_uuid(get("instanceid"), "instanceid")
    profileid = get("profileid")
    if profileid is not None and len(profileid.encode("utf-8", "surrogateescape")) > PROFILEID_MAX_BYTES:
        raise xml_error("profileid parameter too long", VIR_FROM_NONE)
    vport.profileid = profileid or None
    vport.interfaceid = _vport_uuid(get("interfaceid"), "interfaceid")
    _check_vport_extras(vport)
    return vport


def _check_vport_extras(vport: VirtualPort) -> None:
    for name in _VPORT_EXTRAS.get(vport.type or "", ()):
        if getattr(vport, name) is not None:
            raise xml_error(f"extra {name} unsupported in <virtualport type='{vport.type}'>", VIR_FROM_NET)


def parse_portgroup(node: etree._Element, netname: str) -> PortGroup:
    """virNetworkPortGroupParseXML: name, default, trustGuestRxFilters, virtualport, bandwidth, vlan.

    ``netname`` is unused by libvirt's messages here; it is taken for symmetry
    with the other element parsers the update engine calls.
    """
    name = xpath_attr(node, "name")
    if name is None:
        raise xml_error("Missing required name attribute in portgroup")
    portgroup = PortGroup(name=name, is_default=is_yes_nocase(xpath_attr(node, "default")))
    portgroup.trust_guest_rx_filters = tristate_prop(node, "trustGuestRxFilters")
    vport_node = node.find("virtualport")
    if vport_node is not None:
        portgroup.virtualport = parse_virtualport(vport_node, require_type=False)
    bandwidth_node = node.find("bandwidth")
    if bandwidth_node is not None:
        portgroup.bandwidth = parse_bandwidth(bandwidth_node)
    vlan_node = node.find("vlan")
    if vlan_node is not None:
        portgroup.vlan = parse_vlan(vlan_node)
    return portgroup
