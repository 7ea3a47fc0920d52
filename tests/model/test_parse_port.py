"""``<vlan>``, ``<bandwidth>``, ``<virtualport>`` and ``<portgroup>`` (network-xml-format.md §3.12-3.18).

Expected errors are libvirt 9.0.0's (code, domain, message); the
``*_oracle`` test defines each case in ``test:///default`` and compares the
error, or on success the formatted network built from netstore's parse.
"""

from __future__ import annotations

from typing import Any, Optional

import pytest

from netstore.model.format import format_network
from netstore.model.parse_port import parse_bandwidth, parse_portgroup, parse_virtualport, parse_vlan
from netstore.model.types import NetworkDef, VirtualPort, Vlan
from netstore.model.xmlinput import DEFINITION_URL, parse_document
from tests.helpers import unique_name
from tests.model.parse_oracle import error_of, libvirt_outcome

UUID = "11111111-2222-3333-4444-555555555557"
IID = "11111111-2222-3333-4444-555555555555"
Error = Optional[tuple[int, int, str]]


def element(xml: str) -> Any:
    return parse_document(xml, DEFINITION_URL)


def _network_with(xml: str, name: str) -> NetworkDef:
    """A network holding the parsed element where libvirt keeps it."""
    node = element(xml)
    defn = NetworkDef(name=name, uuid=UUID)
    if node.tag == "vlan":
        defn.vlan = parse_vlan(node)
    elif node.tag == "bandwidth":
        defn.bandwidth = parse_bandwidth(node)
    elif node.tag == "virtualport":
        defn.virtualport = parse_virtualport(node, require_type=True)
    else:
        defn.portgroups = [parse_portgroup(node, name)]
    return defn


CASES: list[tuple[str, Error]] = [
    # vlan
    ("<vlan><tag id=' +7'/></vlan>", None),
    ("<vlan><tag id='5' nativeMode='tagged'/><tag id='5'/></vlan>", None),
    ("<vlan trunk='No'><tag id='5'/></vlan>", None),
    ("<vlan trunk=''><tag id='5'/><tag id='6'/></vlan>", None),
    ("<vlan trunk='YES'><tag id='0' nativeMode='untagged'/></vlan>", None),
    ("<vlan xmlns:q='urn:q'><tag q:id='5'/><q:tag id='6'/></vlan>", None),
    ("<vlan/>", (27, 0, "XML error: missing tag id - each <vlan> must have at least one <tag id='n'/> subelement")),
    ("<vlan><tag/></vlan>", (27, 5, "XML error: Missing required attribute 'id' in element 'tag'")),
    ("<vlan><tag id=''/></vlan>", (27, 5, "XML error: Invalid value for attribute 'id' in element 'tag': ''. "
                                          "Expected non-negative integer value")),
    ("<vlan><tag id='-1'/></vlan>", (27, 5, "XML error: Invalid value for attribute 'id' in element 'tag': '-1'. "
                                            "Expected non-negative integer value")),
    ("<vlan><tag id='4096'/></vlan>", (27, 0, "XML error: vlan tag id 4096 too large (maximum 4095)")),
    ("<vlan><tag id='5' nativeMode='default'/></vlan>",
     (27, 5, "XML error: Invalid value for attribute 'nativeMode' in element 'tag': 'default'.")),
    ("<vlan><tag id='5' nativeMode='tagged'/><tag id='6' nativeMode='untagged'/></vlan>",
     (27, 0, "XML error: duplicate native vlan setting")),
    ("<vlan trunk='no'><tag id='5' nativeMode='tagged'/></vlan>",
     (27, 0, "XML error: invalid configuration in <vlan> - \"trunk='no'\" is not allowed with a native vlan id")),
    ("<vlan trunk='x'><tag id='5'/></vlan>", (27, 0, "XML error: invalid \"trunk='x'\" in <vlan> - must be yes or no")),
    ("<vlan trunk='x'><tag id='5'/><tag id='6'/></vlan>",
     (27, 0, "XML error: invalid \"trunk='x'\" in <vlan> - trunk='yes' is required for more than one vlan tag")),
    # bandwidth
    ("<bandwidth><inbound average='0' peak='5'/><outbound average=' +3' peak='0' burst='2'/></bandwidth>", None),
    ("<bandwidth><inbound floor='0'/></bandwidth>", None),
    ("<bandwidth><outbound average='1' floor='0'/><x:inbound xmlns:x='urn:x' average='9'/></bandwidth>", None),
    ("<bandwidth><foo/></bandwidth>", None),
    ("<bandwidth><inbound floor='5'/></bandwidth>",
     (67, 0, "unsupported configuration: floor attribute is not supported for this config")),
    ("<bandwidth><outbound floor='5' average='1'/></bandwidth>",
     (67, 0, "unsupported configuration: 'floor' attribute allowed only in <inbound> element")),
    ("<bandwidth><inbound peak='5'/></bandwidth>", (35, 0, "Missing mandatory average or floor attributes")),
    ("<bandwidth><inbound floor='1' peak='5'/></bandwidth>",
     (67, 0, "unsupported configuration: 'peak' and 'burst' require 'average' attribute")),
    ("<bandwidth><inbound average='x' peak='5'/></bandwidth>",
     (67, 0, "unsupported configuration: could not convert bandwidth average value 'x'")),
    ("<bandwidth><inbound average='1' peak='-1'/></bandwidth>",
     (67, 0, "unsupported configuration: could not convert bandwidth peak value '-1'")),
    ("<bandwidth><outbound average='1' floor='x'/></bandwidth>",
     (67, 0, "unsupported configuration: could not convert bandwidth floor value 'x'")),
    ("<bandwidth classID='3'/>", (35, 0, "classID attribute not supported on <bandwidth> in this usage context")),
    ("<bandwidth><inbound average='1'/><inbound average='1'/></bandwidth>",
     (35, 0, "Only one child <inbound> element allowed")),
    # virtualport (network level: type required)
    ("<virtualport type='midonet'><parameters managerid='1' profileid='ab'/></virtualport>", None),
    ("<virtualport type='802.1Qbg'><parameters managerid='0x10' typeid='077' typeidversion=' +3' "
     f"instanceid='{IID.upper()}'/><parameters managerid='1'/></virtualport>", None),
    (f"<virtualport type='openvswitch'><x:parameters xmlns:x='urn:x' interfaceid='{IID}' profileid='p&amp;'/>"
     "</virtualport>", None),
    ("<virtualport/>", (27, 0, "XML error: missing required virtualport type")),
    ("<virtualport type=''/>", (67, 0, "unsupported configuration: unknown virtualport type ")),
    ("<virtualport type='none'/>", (67, 0, "unsupported configuration: unknown virtualport type none")),
    ("<virtualport type='openvswitch'><parameters managerid='-1'/></virtualport>",
     (27, 0, "XML error: value of managerid out of range")),
    ("<virtualport type='802.1Qbg'><parameters managerid=''/></virtualport>",
     (27, 0, "XML error: cannot parse value of managerid parameter")),
    ("<virtualport type='802.1Qbg'><parameters typeid='0x1000000'/></virtualport>",
     (27, 0, "XML error: value for typeid out of range")),
    ("<virtualport type='802.1Qbg'><parameters typeidversion='256'/></virtualport>",
     (27, 0, "XML error: value of typeidversion out of range")),
    ("<virtualport type='802.1Qbg'><parameters instanceid='x'/></virtualport>",
     (27, 0, "XML error: cannot parse instanceid parameter as a uuid")),
    ("<virtualport type='openvswitch'><parameters interfaceid='x'/></virtualport>",
     (27, 0, "XML error: cannot parse interfaceid parameter as a uuid")),
    ("<virtualport type='802.1Qbh'><parameters profileid='" + "p" * 40 + "'/></virtualport>",
     (27, 0, "XML error: profileid parameter too long")),
    (f"<virtualport type='openvswitch'><parameters managerid='1' instanceid='{IID}'/></virtualport>",
     (27, 11, "XML error: extra managerid unsupported in <virtualport type='openvswitch'>")),
    (f"<virtualport type='802.1Qbh'><parameters interfaceid='{IID}' instanceid='{IID}'/></virtualport>",
     (27, 11, "XML error: extra instanceid unsupported in <virtualport type='802.1Qbh'>")),
    (f"<virtualport type='802.1Qbg'><parameters profileid='x' interfaceid='{IID}'/></virtualport>",
     (27, 11, "XML error: extra profileid unsupported in <virtualport type='802.1Qbg'>")),
    # portgroup
    (f"<portgroup name=\"a'&amp;\" default='YeS' trustGuestRxFilters='no'><bandwidth><outbound average='5'/>"
     f"</bandwidth><virtualport><parameters managerid='1' interfaceid='{IID}' profileid='p'/></virtualport>"
     "<vlan><tag id='3'/></vlan></portgroup>", None),
    ("<portgroup name='p' default='no'><virtualport/><bandwidth><inbound average='0'/></bandwidth></portgroup>",
     None),
    ("<portgroup xmlns:q='urn:q' q:name='x' name='y' q:trustGuestRxFilters='yes'/>", None),
    ("<portgroup name='' default='YES' trustGuestRxFilters='x'/>",
     (27, 19, "XML error: Missing required name attribute in portgroup")),
    ("<portgroup name='a' trustGuestRxFilters='x'><vlan/><virtualport type='q'/></portgroup>",
     (27, 5, "XML error: Invalid value for attribute 'trustGuestRxFilters' in element 'portgroup': 'x'.")),
    ("<portgroup name='a'><vlan/><bandwidth><inbound/></bandwidth><virtualport type='q'/></portgroup>",
     (67, 0, "unsupported configuration: unknown virtualport type q")),
    ("<portgroup name='a'><vlan/><bandwidth><inbound/></bandwidth></portgroup>",
     (35, 0, "Missing mandatory average or floor attributes")),
    ("<portgroup name='a'><vlan/></portgroup>",
     (27, 0, "XML error: missing tag id - each <vlan> must have at least one <tag id='n'/> subelement")),
]


@pytest.mark.parametrize(("xml", "expected"), CASES)
def test_parse(xml: str, expected: Error) -> None:
    if expected is None:
        _network_with(xml, "t")
    else:
        assert error_of(lambda: _network_with(xml, "t")) == expected


def test_vlan_values() -> None:
    vlan = parse_vlan(element("<vlan><tag id='7' nativeMode='untagged'/><tag id='7'/><tag id='9'/></vlan>"))
    assert (vlan.tags, vlan.trunk, vlan.native_mode, vlan.native_tag) == ([7, 7, 9], True, "untagged", 7)
    single = parse_vlan(element("<vlan trunk='no'><tag id='0'/></vlan>"))
    assert (single.tags, single.trunk, single.native_mode) == ([0], False, None)


def test_bandwidth_values() -> None:
    assert parse_bandwidth(element("<bandwidth><foo/></bandwidth>")) is None
    bandwidth = parse_bandwidth(element(
        "<bandwidth><outbound average='18446744073709551615' burst='2'/><inbound average='0'/></bandwidth>"))
    assert bandwidth is not None and bandwidth.inbound is not None and bandwidth.outbound is not None
    assert (bandwidth.inbound.average, bandwidth.outbound.average, bandwidth.outbound.burst) == (0, 2**64 - 1, 2)


def test_virtualport_values() -> None:
    vport = parse_virtualport(element(
        f"<virtualport type='802.1Qbg'><parameters managerid='0x10' typeid='077' typeidversion='3'"
        f" instanceid=' {IID.upper()} '/></virtualport>"), require_type=True)
    assert (vport.type, vport.managerid, vport.typeid, vport.typeidversion, vport.instanceid) == (
        "802.1Qbg", 16, 63, 3, IID)
    typeless = parse_virtualport(element("<virtualport><parameters profileid=''/></virtualport>"), False)
    assert (typeless.type, typeless.profileid) == (None, None)


def test_portgroup_values() -> None:
    pg = parse_portgroup(element("<portgroup name='x' default='YES'><vlan><tag id='1'/></vlan>"
                                 "<virtualport type='802.1Qbh'/><virtualport type='midonet'/></portgroup>"), "t")
    assert (pg.name, pg.is_default, pg.trust_guest_rx_filters) == ("x", True, None)
    assert isinstance(pg.vlan, Vlan) and isinstance(pg.virtualport, VirtualPort)
    assert pg.virtualport.type == "802.1Qbh" and pg.bandwidth is None


@pytest.mark.parametrize(("xml", "expected"), CASES)
def test_matches_oracle(xml: str, expected: Error, testdriver: Any) -> None:
    name = unique_name("port")
    outcome = libvirt_outcome(testdriver, f"<network><name>{name}</name><uuid>{UUID}</uuid>{xml}</network>")
    if isinstance(outcome, tuple):
        assert outcome == expected
        return
    assert expected is None
    assert format_network(_network_with(xml, name)) == outcome
