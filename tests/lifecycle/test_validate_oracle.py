"""The define-time rules, checked against libvirt's real bridge driver (network:///session)."""

from __future__ import annotations

from typing import Any

import pytest

from netstore.lifecycle.decide import define
from netstore.lifecycle.host import LOCAL_HOST
from netstore.lifecycle.request import parse_request
from netstore.model.parse_network import parse_network_xml
from tests.differential.support import Outcome, assert_same, libvirt_outcome, netstore_outcome
from tests.fakes import FakeView
from tests.lifecycle.cases import ACCEPTED, REJECTED

CASES = [(case_id, xml) for case_id, xml, _ in REJECTED] + ACCEPTED


def _libvirt_define(libvirt_module: Any, conn: Any, xml: str) -> Outcome:
    def call() -> str:
        net = conn.networkDefineXML(xml)
        try:
            return net.name()
        finally:
            net.undefine()

    return libvirt_outcome(libvirt_module, call)


def _netstore_define(xml: str) -> Outcome:
    def call() -> str:
        decide = define(parse_request(xml), LOCAL_HOST)
        return decide(None, FakeView()).network

    return netstore_outcome(call)


@pytest.mark.parametrize("xml", [xml for _, xml in CASES], ids=[case_id for case_id, _ in CASES])
def test_define_outcome_matches_the_bridge_driver(libvirt_module: Any, bridge_driver: Any, xml: str) -> None:
    assert_same(_libvirt_define(libvirt_module, bridge_driver, xml), _netstore_define(xml), xml)


def test_generated_bridge_and_mac_match_libvirts_shape(libvirt_module: Any, bridge_driver: Any) -> None:
    xml = "<network><name>gen</name><ip address='10.9.0.1' prefix='24'/></network>"
    net = bridge_driver.networkDefineXML(xml)
    try:
        theirs = parse_network_xml(net.XMLDesc(0))
    finally:
        net.undefine()
    ours = parse_network_xml(define(parse_request(xml), LOCAL_HOST)(None, FakeView()).xml or "")
    assert ours.bridge.name == theirs.bridge.name
    assert ours.mac is not None and theirs.mac is not None
    assert ours.mac[:9] == theirs.mac[:9] == "52:54:00:"
