"""The engine's API: planning never changes the definition; steps replay exactly."""

from __future__ import annotations

import dataclasses

import pytest

from netstore.constants import Command, Section
from netstore.engine import EditStep, apply_steps, apply_update, plan_update
from netstore.errors import HistoryError
from netstore.model import codec
from netstore.model.collections import (
    BANDWIDTH_OUTBOUND,
    BASE_COLLECTIONS,
    BOOTP,
    COLLECTIONS,
    DHCP_HOST,
    FORWARD_PF,
    ITEM_COLLECTIONS,
    items_of,
)
from netstore.state import ItemOp
from tests.engine.support import (
    ADD_LAST,
    IP_DHCP_HOST,
    NAT_HOSTS,
    network,
    xml_of,
)

UPDATES = [
    (Command.ADD_FIRST, Section.IP_DHCP_HOST, "<host mac='52:54:00:00:00:09' name='new' ip='192.168.122.50'/>"),
    (Command.MODIFY, Section.IP_DHCP_HOST, "<host name='a.example.com' ip='192.168.122.99'/>"),
    (Command.DELETE, Section.IP_DHCP_HOST, "<host name='b.example.com'/>"),
    (Command.ADD_LAST, Section.IP_DHCP_RANGE, "<range start='192.168.122.2' end='192.168.122.9'/>"),
    (Command.ADD_LAST, Section.PORTGROUP, "<portgroup name='p' default='yes'/>"),
    (Command.ADD_FIRST, Section.DNS_TXT, "<txt name='t' value='v'/>"),
    (Command.ADD_LAST, Section.DNS_HOST, "<host ip='10.0.0.1'><hostname>h</hostname></host>"),
    (Command.ADD_LAST, Section.DNS_SRV, "<srv service='s' protocol='tcp'/>"),
    (Command.DELETE, Section.DNS_TXT, "<txt name='t'/>"),
]


def test_plan_does_not_change_the_definition() -> None:
    defn = network(NAT_HOSTS)
    before = codec.to_dict(defn)
    for command, section, xml in UPDATES[:-1]:  # the last one deletes what an earlier one adds
        plan_update(defn, command, section, -1, xml)
    assert codec.to_dict(defn) == before


def test_apply_update_leaves_its_input_alone() -> None:
    defn = network(NAT_HOSTS)
    before = xml_of(defn)
    result = apply_update(defn, ADD_LAST, IP_DHCP_HOST, -1, "<host name='n' ip='192.168.122.77'/>")
    assert xml_of(defn) == before
    assert "name='n'" in xml_of(result) and result is not defn


def test_replaying_steps_on_a_copy_gives_the_same_definition() -> None:
    """What the projector does: apply the stored steps (through the codec) to another copy."""
    live = network(NAT_HOSTS)
    replica = codec.copy_definition(live)
    for command, section, xml in UPDATES:
        steps = plan_update(live, command, section, -1, xml)
        apply_steps(live, steps)
        stored = [dataclasses.replace(s, item=None if s.item is None else
                                      codec.item_from_dict(s.collection, codec.item_to_dict(s.collection, s.item)))
                  for s in steps]
        apply_steps(replica, stored)
        assert codec.to_dict(replica) == codec.to_dict(live)


def test_ints_and_enums_are_the_same_request() -> None:
    defn = network(NAT_HOSTS)
    xml = "<host name='n' ip='192.168.122.77'/>"
    assert xml_of(apply_update(defn, Command.ADD_LAST, Section.IP_DHCP_HOST, -1, xml)) == xml_of(
        apply_update(defn, 3, 4, -1, xml))


def test_bytes_xml_is_accepted() -> None:
    defn = apply_update(network(NAT_HOSTS), ADD_LAST, IP_DHCP_HOST, -1, b"<host name='n' ip='192.168.122.77'/>")
    assert defn.ips[0].hosts[-1].name == "n"


def test_edit_step_is_frozen() -> None:
    step = EditStep(DHCP_HOST, 0, ItemOp.DELETE, 0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        step.index = 1  # type: ignore[misc]


def test_steps_that_do_not_fit_are_refused() -> None:
    defn = network(NAT_HOSTS)
    with pytest.raises(HistoryError):
        apply_steps(defn, [EditStep(DHCP_HOST, 0, ItemOp.DELETE, 2)])
    with pytest.raises(HistoryError):
        apply_steps(defn, [EditStep(DHCP_HOST, 0, ItemOp.INSERT, 3, object())])
    with pytest.raises(HistoryError):
        apply_steps(defn, [EditStep(BOOTP, 0, ItemOp.DELETE, 0)])
    with pytest.raises(HistoryError):
        apply_steps(defn, [EditStep(DHCP_HOST, 0, ItemOp.REPLACE, 0, None)])
    assert len(defn.ips[0].hosts) == 2


def test_items_of_names_every_list() -> None:
    defn = network(NAT_HOSTS + "<dns><txt name='t' value='v'/></dns>")
    assert items_of(defn, DHCP_HOST, 0) is defn.ips[0].hosts
    assert items_of(defn, "dhcp-range", 0) is defn.ips[0].ranges
    assert items_of(defn, "forward-interface") is defn.forward.ifaces
    assert items_of(defn, FORWARD_PF) is defn.forward.pfs
    assert items_of(defn, "portgroup") is defn.portgroups
    assert items_of(defn, "dns-host") is defn.dns.hosts
    assert items_of(defn, "dns-txt") is defn.dns.txts
    assert items_of(defn, "dns-srv") is defn.dns.srvs
    assert items_of(defn, BOOTP, 0) == [] and items_of(defn, BANDWIDTH_OUTBOUND) == []
    assert set(COLLECTIONS) == set(ITEM_COLLECTIONS) | BASE_COLLECTIONS
    with pytest.raises(KeyError):
        items_of(defn, "bogus")


def test_inactive_selects_the_copy() -> None:
    """A pf network's pool survives the live copy (the pf does not) and not the INACTIVE one."""
    defn = network("<forward mode='passthrough'><pf dev='eth0'/></forward>")
    defn = apply_update(defn, ADD_LAST, Section.FORWARD_INTERFACE, -1, "<interface dev='eth1'/>")
    live = plan_update(defn, ADD_LAST, Section.PORTGROUP, -1, "<portgroup name='x'/>")
    config = plan_update(defn, ADD_LAST, Section.PORTGROUP, -1, "<portgroup name='x'/>", inactive=True)
    assert [(s.collection, s.op) for s in live[:-1]] == [(FORWARD_PF, ItemOp.DELETE)]
    assert [(s.collection, s.op) for s in config[:-1]] == [("forward-interface", ItemOp.DELETE)]
