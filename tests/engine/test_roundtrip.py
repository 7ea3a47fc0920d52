"""libvirt's format-and-parse copies around an edit, emulated as steps.

Each scenario is a base network and a sequence of updates.  The expected
outcomes (and XML) are libvirt 9.0.0's: ``test_scenario`` checks netstore
against the outcomes written here, ``test_scenario_matches_libvirt`` replays
the scenario in the test driver and compares every step (a *defined*,
inactive network edits the persistent definition, copied with
VIR_NETWORK_XML_INACTIVE: ``inactive=True``; a *created* network edits the
live one, copied with flags 0).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

import pytest

from netstore.constants import Command, Section
from netstore.engine import apply_steps, apply_update, plan_update
from netstore.errors import libvirtError
from netstore.model.collections import BANDWIDTH_INBOUND, BOOTP, FORWARD_PF
from netstore.model.parse_network import parse_network_xml
from netstore.state import ItemOp
from tests.engine.support import (
    ADD_FIRST,
    ADD_LAST,
    DELETE,
    FORWARD_INTERFACE,
    IP_DHCP_HOST,
    IP_DHCP_RANGE,
    MODIFY,
    PORTGROUP,
    error_of,
    network,
    network_xml,
    xml_of,
)
from tests.helpers import unique_name

PG_X = "<portgroup name='x'/>"
PG_Y = "<portgroup name='y'/>"


@dataclass(frozen=True)
class Step:
    command: int
    section: int
    xml: str
    error: Optional[int] = None  # the expected error code, None for success
    contains: tuple[str, ...] = ()  # expected in the XML afterwards
    lacks: tuple[str, ...] = ()  # expected not to be in the XML afterwards


@dataclass(frozen=True)
class Scenario:
    id: str
    base: str
    live: bool  # created (live definition) or defined (persistent definition)
    steps: tuple[Step, ...]


SCENARIOS = [
    Scenario("pf-pool-live-drops-pf", "<forward mode='passthrough'><pf dev='eth0'/></forward>", True, (
        Step(ADD_LAST, FORWARD_INTERFACE, "<interface dev='eth1'/>", contains=("<pf dev='eth0'/>",)),
        Step(ADD_LAST, PORTGROUP, PG_X, contains=("<forward dev='eth1' mode='passthrough'>",), lacks=("<pf",)),
    )),
    Scenario("pf-pool-config-drops-pool", "<forward mode='passthrough'><pf dev='eth0'/></forward>", False, (
        Step(ADD_LAST, FORWARD_INTERFACE, "<interface dev='eth1'/>", contains=("<interface dev='eth1'/>",)),
        Step(ADD_LAST, PORTGROUP, PG_X, contains=("<pf dev='eth0'/>",), lacks=("<interface",)),
        Step(DELETE, FORWARD_INTERFACE, "<interface dev='eth1'/>", error=55),
    )),
    Scenario("hostdev-netdev-first-fails-last-drops-pci", (
        "<forward mode='hostdev' managed='yes'>"
        "<address type='pci' domain='0' bus='1' slot='0' function='1'/></forward>"), False, (
        Step(ADD_FIRST, FORWARD_INTERFACE, "<interface dev='eth1'/>", error=27),
        Step(ADD_LAST, FORWARD_INTERFACE, "<interface dev='eth1'/>", contains=("<address type='pci'",)),
        Step(ADD_LAST, PORTGROUP, PG_X, contains=("<forward dev='eth1' mode='hostdev' managed='yes'>",),
             lacks=("<address",)),
    )),
    Scenario("isolated-interfaces-never-survive", "<ip address='10.1.0.1' prefix='24'/>", False, (
        Step(ADD_LAST, FORWARD_INTERFACE, "<interface dev='eth1'/>", lacks=("<forward",)),
        Step(ADD_LAST, FORWARD_INTERFACE, "<interface dev='eth1'/>"),
        Step(DELETE, FORWARD_INTERFACE, "<interface dev='eth1'/>", error=55),
    )),
    Scenario("bootp-dropped-with-dhcp", (
        "<ip address='10.2.0.1' prefix='24'><dhcp><range start='10.2.0.10' end='10.2.0.20'/>"
        "<bootp file='pxe' server='10.2.0.1'/></dhcp></ip>"), False, (
        Step(DELETE, IP_DHCP_RANGE, "<range start='10.2.0.10' end='10.2.0.20'/>", lacks=("<dhcp>",)),
        Step(ADD_LAST, PORTGROUP, PG_X),
        Step(ADD_LAST, IP_DHCP_HOST, "<host mac='52:54:00:00:00:01' ip='10.2.0.5'/>", lacks=("<bootp",)),
    )),
    Scenario("bootp-kept-while-dhcp-lasts", (
        "<ip address='10.3.0.1' prefix='24'><dhcp><range start='10.3.0.10' end='10.3.0.20'/>"
        "<bootp file='pxe'/></dhcp></ip>"), True, (
        Step(ADD_LAST, IP_DHCP_HOST, "<host name='a' ip='10.3.0.5'/>", contains=("<bootp file='pxe'/>",)),
        Step(DELETE, IP_DHCP_RANGE, "<range start='10.3.0.10' end='10.3.0.20'/>", contains=("<bootp",)),
    )),
    Scenario("network-bandwidth-zero-average", (
        "<forward mode='nat'/><bandwidth><inbound average='0' peak='5'/><outbound average='10'/></bandwidth>"
        "<ip address='10.4.0.1' prefix='24'/>"), True, (
        Step(ADD_LAST, PORTGROUP, PG_X, contains=("<outbound average='10'/>",), lacks=("<inbound",)),
    )),
    Scenario("network-bandwidth-all-zero", (
        "<forward mode='nat'/><bandwidth><inbound average='0'/></bandwidth><ip address='10.4.0.1' prefix='24'/>"),
        True, (Step(ADD_LAST, PORTGROUP, PG_X, lacks=("<bandwidth>",)),)),
    Scenario("portgroup-empty-bandwidth-shown-once", "<forward mode='bridge'/><bridge name='br0'/>", False, (
        Step(ADD_LAST, PORTGROUP, "<portgroup name='bw'><bandwidth><inbound average='0' peak='5'/></bandwidth>"
             "</portgroup>", contains=("<bandwidth>\n    </bandwidth>",)),
        Step(ADD_LAST, PORTGROUP, PG_Y, lacks=("<bandwidth>",)),
    )),
    Scenario("portgroup-name-line-feed-becomes-space", "<forward mode='bridge'/><bridge name='br0'/>", False, (
        Step(ADD_LAST, PORTGROUP, "<portgroup name='a&#10;b'/>", contains=("<portgroup name='a\nb'>",)),
        Step(MODIFY, PORTGROUP, "<portgroup name='a b' default='yes'/>",
             contains=("<portgroup name='a b' default='yes'>",)),
    )),
    Scenario("interface-dev-tab-becomes-space", "<forward mode='bridge'/>", True, (
        Step(ADD_LAST, FORWARD_INTERFACE, "<interface dev='a&#9;b'/>", contains=("<interface dev='a\tb'/>",)),
        Step(ADD_LAST, FORWARD_INTERFACE, "<interface dev='c'/>", contains=("<interface dev='a b'/>",)),
        Step(DELETE, FORWARD_INTERFACE, "<interface dev='a b'/>", lacks=("dev='a",)),
    )),
    Scenario("network-vlan-duplicate-native-cannot-be-copied", (
        "<forward mode='bridge'/><bridge name='br0'/>"
        "<vlan trunk='yes'><tag id='5' nativeMode='untagged'/><tag id='5'/></vlan>"), False, (
        Step(ADD_LAST, PORTGROUP, "<bogus", error=27),
    )),
    Scenario("raw-host-name-fails-the-reparse", (
        "<ip address='10.9.0.1' prefix='24'><dhcp><host mac='52:54:00:00:00:01' ip='10.9.0.2'/></dhcp></ip>"),
        False, (
        Step(ADD_LAST, IP_DHCP_HOST, "<host name=\"a'b\" ip='10.9.0.3'/>", error=35),
        Step(ADD_LAST, IP_DHCP_HOST, "<host name='a&amp;b' ip='10.9.0.3'/>", error=35),
        Step(ADD_LAST, IP_DHCP_HOST, "<host name='a&gt;b' ip='10.9.0.3'/>", contains=("name='a>b'",)),
    )),
]


def _netstore_step(defn: Any, scenario: Scenario, step: Step) -> tuple[Any, Optional[tuple]]:
    steps: list = []
    error = error_of(lambda: steps.extend(
        plan_update(defn, step.command, step.section, -1, step.xml, inactive=not scenario.live)))
    if error is None:
        apply_steps(defn, steps)
    return defn, error


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.id for s in SCENARIOS])
def test_scenario(scenario: Scenario) -> None:
    defn = network(scenario.base)
    for number, step in enumerate(scenario.steps):
        before = xml_of(defn)
        defn, error = _netstore_step(defn, scenario, step)
        after = xml_of(defn)
        assert (error[0] if error else None) == step.error, (number, error)
        if error:
            assert after == before
        for text in step.contains:
            assert text in after, (number, after)
        for text in step.lacks:
            assert text not in after, (number, after)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.id for s in SCENARIOS])
def test_scenario_matches_libvirt(scenario: Scenario, testdriver: Any, libvirt_module: Any) -> None:
    name = unique_name("rt")
    xml = network_xml(scenario.base, name, uuid=None)
    net = testdriver.networkCreateXML(xml) if scenario.live else testdriver.networkDefineXML(xml)
    defn = network(scenario.base, name)
    try:
        for number, step in enumerate(scenario.steps):
            expected = error_of(
                lambda step=step: net.update(step.command, step.section, -1, step.xml, 0), libvirt_module.libvirtError)
            defn, got = _netstore_step(defn, scenario, step)
            assert got == expected, number
            assert xml_of(defn).replace(f"<uuid>{defn.uuid}</uuid>", "") == net.XMLDesc(0).replace(
                f"<uuid>{net.UUIDString()}</uuid>", ""), number
    finally:
        net.destroy() if scenario.live else net.undefine()


def test_copy_losses_are_steps_the_projector_replays() -> None:
    """What the copy drops is part of the planned steps, so replaying them gives the same definition."""
    defn = network(
        "<forward mode='passthrough'><pf dev='eth0'/><interface dev='eth1'/></forward>"
        "<bandwidth><inbound average='0'/><outbound average='5'/></bandwidth>"
        "<ip address='10.2.0.1' prefix='24'><dhcp><range start='10.2.0.10' end='10.2.0.20'/>"
        "<bootp file='pxe'/></dhcp></ip>"
    )
    defn.forward.pfs.append("eth0")
    defn.ips[0].ranges.clear()
    steps = plan_update(defn, ADD_LAST, PORTGROUP, -1, PG_X)
    kinds = [(s.collection, s.op) for s in steps]
    assert (FORWARD_PF, ItemOp.DELETE) in kinds
    assert (BANDWIDTH_INBOUND, ItemOp.DELETE) in kinds
    assert (BOOTP, ItemOp.DELETE) in kinds
    assert kinds[-1] == ("portgroup", ItemOp.INSERT)
    apply_steps(defn, steps)
    assert defn.forward.pfs == [] and defn.ips[0].bootp is None
    assert defn.bandwidth.inbound is None and defn.bandwidth.outbound.average == 5


def test_no_copy_steps_for_a_plain_network() -> None:
    defn = network("<forward mode='nat'/><ip address='10.2.0.1' prefix='24'/>")
    steps = plan_update(defn, ADD_LAST, IP_DHCP_HOST, -1, "<host name='a' ip='10.2.0.5'/>")
    assert [(s.collection, s.op, s.index) for s in steps] == [("dhcp-host", ItemOp.INSERT, 0)]


RAW_PORTGROUP_NET = (
    "<network><name>raw</name><uuid>81ff0d90-c91e-6742-64da-4a736edb9a9b</uuid>"
    "<ip address='10.0.0.1' prefix='24'/>"
    "<portgroup name=\"{name}\" default='yes'/></network>"
)
HOST = "<host mac='52:54:00:00:00:01' ip='10.0.0.5'/>"


def test_raw_value_that_reparses_differently_replaces_the_definition() -> None:
    """libvirt edits a format-and-parse copy: name='a'>b' comes back as a plain 'a'."""
    defn = parse_network_xml(RAW_PORTGROUP_NET.format(name="a'>b"))
    steps = plan_update(defn, Command.ADD_LAST, Section.IP_DHCP_HOST, -1, HOST)
    assert steps[0].collection == "definition"
    updated = apply_update(defn, Command.ADD_LAST, Section.IP_DHCP_HOST, -1, HOST)
    assert [(pg.name, pg.is_default) for pg in updated.portgroups] == [("a", False)]
    assert [pg.name for pg in defn.portgroups] == ["a'>b"]


def test_raw_value_that_stops_parsing_after_the_copy_refuses_the_update() -> None:
    """a&amp;b is written raw, read back as a&b, which the re-parse after the edit refuses."""
    defn = parse_network_xml(RAW_PORTGROUP_NET.format(name="a&amp;amp;b"))
    with pytest.raises(libvirtError) as err:
        apply_update(defn, Command.ADD_LAST, Section.IP_DHCP_HOST, -1, HOST)
    assert err.value.get_error_code() == 35
    assert "EntityRef: expecting ';'" in err.value.get_error_message()
