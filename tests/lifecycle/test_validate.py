"""networkValidate: the bridge driver's define/create rejections and generated values."""

from __future__ import annotations

import re

import pytest

from netstore.errors import VIR_ERR_INTERNAL_ERROR, VIR_FROM_NETWORK, libvirtError
from netstore.lifecycle.validate import validate_for_bridge_driver
from netstore.model.parse_network import parse_network_xml
from netstore.model.types import NetworkDef
from netstore.state import NetworkState
from tests.fakes import FakeHost, FakeView
from tests.lifecycle.cases import ACCEPTED, PCI_PATH, REJECTED, network

IP = "<ip address='10.0.0.1' prefix='24'/>"
MAC_PATTERN = re.compile(r"52:54:00(:[0-9a-f]{2}){3}")


def validated(xml: str, view: FakeView | None = None, host: FakeHost | None = None) -> NetworkDef:
    defn = parse_network_xml(xml)
    validate_for_bridge_driver(defn, view or FakeView(), host or FakeHost())
    return defn


def with_bridge(name: str, bridge: str) -> NetworkState:
    return NetworkState(name, config=parse_network_xml(network(name, f"<bridge name='{bridge}'/>")))


@pytest.mark.parametrize("xml, expected", [(xml, err) for _, xml, err in REJECTED], ids=[c[0] for c in REJECTED])
def test_rejections_have_libvirts_code_domain_and_message(xml: str, expected: tuple[int, int, str]) -> None:
    with pytest.raises(libvirtError) as caught:
        validated(xml)
    err = caught.value
    assert (err.get_error_code(), err.get_error_domain(), err.get_error_message()) == expected


@pytest.mark.parametrize("xml", [xml for _, xml in ACCEPTED], ids=[c[0] for c in ACCEPTED])
def test_near_misses_are_accepted(xml: str) -> None:
    validated(xml)


def test_a_virtual_function_in_a_hostdev_pool_is_accepted() -> None:
    xml = network("vf", "<forward mode='hostdev' managed='yes'><address type='pci' domain='0x0000' bus='0x04' "
                        "slot='0x00' function='0x1'/></forward>")
    validated(xml, host=FakeHost(virtual_functions={PCI_PATH}))


def test_l3_network_gets_the_first_free_virbr_name() -> None:
    view = FakeView({"a": with_bridge("a", "virbr0"), "b": with_bridge("b", "virbr2")})
    assert validated(network("n", ""), view).bridge.name == "virbr1"


def test_host_devices_are_skipped_when_generating() -> None:
    assert validated(network("n", ""), host=FakeHost({"virbr0", "virbr1"})).bridge.name == "virbr2"


def test_the_network_itself_does_not_hold_its_bridge_name() -> None:
    view = FakeView({"n": with_bridge("n", "virbr0")})
    assert validated(network("n", f"<forward mode='nat'/>{IP}"), view).bridge.name == "virbr0"


def test_a_pending_config_holds_its_bridge_name() -> None:
    other = NetworkState(
        "a",
        live=parse_network_xml(network("a", "<bridge name='virbr0'/>")),
        config=parse_network_xml(network("a", "<bridge name='virbr1'/>")),
    )
    assert validated(network("n", ""), FakeView({"a": other})).bridge.name == "virbr2"


@pytest.mark.parametrize(
    "given, expected",
    [("tst%d", "tst0"), ("t%d%d", "virbr0"), ("%dx", "0x"), ("virbr%d", "virbr0")],
)
def test_bridge_name_templates(given: str, expected: str) -> None:
    assert validated(network("n", f"<bridge name='{given}'/>")).bridge.name == expected


def test_a_name_without_percent_d_is_kept_literally() -> None:
    assert validated(network("n", "<bridge name='t%s'/>")).bridge.name == "t%s"


def test_a_given_name_is_checked_against_networks_not_host_devices() -> None:
    assert validated(network("n", "<bridge name='lo'/>"), host=FakeHost({"lo"})).bridge.name == "lo"
    with pytest.raises(libvirtError) as caught:
        validated(network("n", "<bridge name='br9'/>"), FakeView({"a": with_bridge("a", "br9")}))
    assert caught.value.get_error_code() == VIR_ERR_INTERNAL_ERROR
    assert caught.value.get_error_domain() == VIR_FROM_NETWORK
    assert caught.value.get_error_message() == "internal error: bridge name 'br9' already in use."


def test_bridge_generation_gives_up_after_id_256() -> None:
    host = FakeHost({f"virbr{i}" for i in range(257)})
    with pytest.raises(libvirtError) as caught:
        validated(network("n", ""), host=host)
    assert caught.value.get_error_message() == "internal error: Bridge generation exceeded max id 256"


def test_id_256_is_still_tried() -> None:
    host = FakeHost({f"virbr{i}" for i in range(256)})
    assert validated(network("n", ""), host=host).bridge.name == "virbr256"


def test_l3_network_without_mac_gets_a_random_qemu_mac() -> None:
    first = validated(network("n", f"<forward mode='route'/>{IP}")).mac
    second = validated(network("n", f"<forward mode='open'/>{IP}")).mac
    assert first and MAC_PATTERN.fullmatch(first)
    assert second and MAC_PATTERN.fullmatch(second)


def test_a_given_mac_is_kept() -> None:
    assert validated(network("n", "<mac address='52:54:00:AB:CD:EF'/>")).mac == "52:54:00:ab:cd:ef"


def test_other_modes_get_neither_bridge_nor_mac() -> None:
    defn = validated(network("n", "<forward mode='private' dev='eth0'/>"))
    assert defn.bridge.name is None and defn.mac is None
