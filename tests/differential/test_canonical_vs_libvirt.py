"""netstore's parser + formatter against libvirt's, on random definitions.

Each example is defined in the oracle and formatted with ``XMLDesc``; netstore
must produce the same bytes, or the same error (code, domain, message) when
libvirt refuses the definition.  ``test:///default`` runs the parser alone, as
``canonical_xml`` does; it does not know the dnsmasq namespace.  The bridge
driver (``network:///session``) adds its define-time policy and the namespace,
so it is compared on definitions that pass that policy and get nothing
generated (modes bridge, private, vepa, passthrough).
"""

from __future__ import annotations

from typing import Any

from hypothesis import given

import netstore
from netstore.model import format_network, parse_network_xml
from tests import strategies as net_st
from tests.differential.support import assert_same, libvirt_outcome, netstore_outcome, oracle_settings
from tests.helpers import scaled

INACTIVE = 1


def _define_and_format(conn: Any, xml: str, flags: int = 0) -> str:
    net = conn.networkDefineXML(xml)
    try:
        return net.XMLDesc(flags)
    finally:
        net.undefine()


@oracle_settings(scaled(500, 100))
@given(xml=net_st.networks())
def test_valid_definitions_match_test_driver(xml: str, testdriver: Any, libvirt_module: Any) -> None:
    expected = libvirt_outcome(libvirt_module, lambda: _define_and_format(testdriver, xml))
    assert_same(expected, netstore_outcome(lambda: netstore.canonical_xml(xml)), xml)


@oracle_settings(scaled(400, 80))
@given(xml=net_st.invalid_networks())
def test_invalid_definitions_match_test_driver(xml: str, testdriver: Any, libvirt_module: Any) -> None:
    expected = libvirt_outcome(libvirt_module, lambda: _define_and_format(testdriver, xml))
    assert_same(expected, netstore_outcome(lambda: netstore.canonical_xml(xml)), xml)


@oracle_settings(scaled(150, 40))
@given(xml=net_st.networks(raw_specials=True))
def test_raw_written_values_match_test_driver(xml: str, testdriver: Any, libvirt_module: Any) -> None:
    """Domain names, DHCP host fields, portgroup names, profileids are written unescaped."""
    expected = libvirt_outcome(libvirt_module, lambda: _define_and_format(testdriver, xml))
    assert_same(expected, netstore_outcome(lambda: netstore.canonical_xml(xml)), xml)


@oracle_settings(scaled(100, 30))
@given(xml=net_st.networks(dnsmasq=True))
def test_without_dnsmasq_namespace_options_are_dropped(xml: str, testdriver: Any, libvirt_module: Any) -> None:
    expected = libvirt_outcome(libvirt_module, lambda: _define_and_format(testdriver, xml))
    got = netstore_outcome(lambda: format_network(parse_network_xml(xml, dnsmasq_namespace=False)))
    assert_same(expected, got, xml)


@oracle_settings(scaled(200, 40))
@given(xml=net_st.networks(driver_valid=True, modes=("bridge", "private", "vepa", "passthrough"), dnsmasq=True))
def test_policy_valid_definitions_match_bridge_driver(xml: str, bridge_driver: Any, libvirt_module: Any) -> None:
    for flags in (0, INACTIVE):
        expected = libvirt_outcome(libvirt_module, lambda flags=flags: _define_and_format(bridge_driver, xml, flags))
        got = netstore_outcome(lambda flags=flags: netstore.canonical_xml(xml, inactive=bool(flags)))
        assert_same(expected, got, f"XMLDesc flags={flags}\n{xml}")
