"""``<forward>`` as libvirt 9.0.0 parses it: mode, managed, driver, ``<nat>`` and the
device pool (interfaces beat PCI addresses, which beat ``<pf>``).  Expected
errors come from libvirt's test driver and are re-checked against it when
libvirt-python is installed."""

from __future__ import annotations

import pytest
from lxml import etree

from netstore.model.parse_forward import parse_forward, parse_pci_address
from netstore.model.parse_network import parse_network_xml
from netstore.model.types import Forward
from tests.model.parse_oracle import error_of, libvirt_outcome, netstore_outcome

ERRORS = [
    ('mode-unknown', "<network><name>t</name><forward mode='NAT'/></network>", (67, 19, "unsupported configuration: unknown forwarding type 'NAT'")),
    ('mode-unknown-before-nat', "<network><name>t</name><forward mode='bogus'><nat/></forward></network>", (67, 19, "unsupported configuration: unknown forwarding type 'bogus'")),
    ('driver-default', "<network><name>t</name><forward mode='hostdev'><driver name='default'/></forward></network>", (67, 19, "unsupported configuration: Unknown forward <driver name='default'/> in network t")),
    ('driver-case', "<network><name>t</name><forward mode='hostdev'><driver name='KVM'/></forward></network>", (67, 19, "unsupported configuration: Unknown forward <driver name='KVM'/> in network t")),
    ('driver-before-nat', "<network><name>t</name><forward><driver name='x'/><nat/><nat/></forward></network>", (67, 19, "unsupported configuration: Unknown forward <driver name='x'/> in network t")),
    ('nat-twice', '<network><name>t</name><forward><nat/><nat/></forward></network>', (27, 19, 'XML error: Only one <nat> element is allowed in <forward> of network t')),
    ('nat-not-nat-mode', "<network><name>t</name><forward mode='route'><nat/></forward></network>", (27, 19, "XML error: The <nat> element can only be used when <forward> 'mode' is 'nat' in network t")),
    ('nat-bad-ipv6', "<network><name>t</name><forward mode='nat'><nat ipv6='1'></nat></forward><ip address='10.0.0.1' prefix='24'/></network>", (27, 5, "XML error: Invalid value for attribute 'ipv6' in element 'nat': '1'.")),
    ('nat-two-addresses', "<network><name>t</name><forward mode='nat'><nat><address start='1.2.3.4' end='1.2.3.5'/><address start='1.2.3.4' end='1.2.3.5'/></nat></forward><ip address='10.0.0.1' prefix='24'/></network>", (27, 19, 'XML error: Only one <address> element is allowed in <nat> in <forward> in network t')),
    ('nat-address-no-start', "<network><name>t</name><forward mode='nat'><nat><address end='1.2.3.4'/></nat></forward><ip address='10.0.0.1' prefix='24'/></network>", (27, 19, "XML error: missing 'start' attribute in <address> element in <nat> in <forward> in network t")),
    ('nat-address-no-end', "<network><name>t</name><forward mode='nat'><nat><address start='1.2.3.4'/></nat></forward><ip address='10.0.0.1' prefix='24'/></network>", (27, 19, "XML error: missing 'end' attribute in <address> element in <nat> in <forward> in network t")),
    ('nat-address-missing-before-bad', "<network><name>t</name><forward mode='nat'><nat><address start='bogus'/></nat></forward><ip address='10.0.0.1' prefix='24'/></network>", (27, 19, "XML error: missing 'end' attribute in <address> element in <nat> in <forward> in network t")),
    ('nat-address-empty-start', "<network><name>t</name><forward mode='nat'><nat><address start='' end=''/></nat></forward><ip address='10.0.0.1' prefix='24'/></network>", (27, 19, "XML error: Bad ipv4 start address '' in <nat> in <forward> in network 't'")),
    ('nat-address-v6-start', "<network><name>t</name><forward mode='nat'><nat><address start='::1' end='1.2.3.4'/></nat></forward><ip address='10.0.0.1' prefix='24'/></network>", (27, 19, "XML error: Bad ipv4 start address '::1' in <nat> in <forward> in network 't'")),
    ('nat-address-bad-end', "<network><name>t</name><forward mode='nat'><nat><address start='1.2.3.4' end='bogus'/></nat></forward><ip address='10.0.0.1' prefix='24'/></network>", (27, 19, "XML error: Bad ipv4 end address 'bogus' in <nat> in <forward> in network 't'")),
    ('nat-address-reversed', "<network><name>t</name><forward mode='nat'><nat><address start='1.2.3.9' end='1.2.3.4'/></nat></forward><ip address='10.0.0.1' prefix='24'/></network>", (1, 0, 'internal error: range 1.2.3.9 - 1.2.3.4 is reversed ')),
    ('nat-address-too-large', "<network><name>t</name><forward mode='nat'><nat><address start='1.2.3.4' end='1.3.3.4'/></nat></forward><ip address='10.0.0.1' prefix='24'/></network>", (1, 0, 'internal error: range 1.2.3.4 - 1.3.3.4 is too large (> 65535)')),
    ('nat-two-ports', "<network><name>t</name><forward mode='nat'><nat><port start='1' end='2'/><port start='1' end='2'/></nat></forward><ip address='10.0.0.1' prefix='24'/></network>", (27, 19, 'XML error: Only one <port> element is allowed in <nat> in <forward> in network t')),
    ('nat-port-reversed', "<network><name>t</name><forward mode='nat'><nat><port start='5' end='4'/></nat></forward><ip address='10.0.0.1' prefix='24'/></network>", (35, 19, "Missing or invalid 'end' attribute in <port> in <nat> in <forward> in network t")),
    ('nat-port-no-end', "<network><name>t</name><forward mode='nat'><nat><port start='5'/></nat></forward><ip address='10.0.0.1' prefix='24'/></network>", (35, 19, "Missing or invalid 'end' attribute in <port> in <nat> in <forward> in network t")),
    ('nat-port-no-start', "<network><name>t</name><forward mode='nat'><nat><port end='5'/></nat></forward><ip address='10.0.0.1' prefix='24'/></network>", (35, 19, "Missing or invalid 'start' attribute in <port> in <nat> in <forward> in network t")),
    ('nat-port-empty-start', "<network><name>t</name><forward mode='nat'><nat><port start='' end='6'/></nat></forward><ip address='10.0.0.1' prefix='24'/></network>", (35, 19, "Missing or invalid 'start' attribute in <port> in <nat> in <forward> in network t")),
    ('nat-port-minus-zero', "<network><name>t</name><forward mode='nat'><nat><port start='-0' end='5'/></nat></forward><ip address='10.0.0.1' prefix='24'/></network>", (35, 19, "Missing or invalid 'start' attribute in <port> in <nat> in <forward> in network t")),
    ('nat-port-start-too-big', "<network><name>t</name><forward mode='nat'><nat><port start='65536' end='65536'/></nat></forward><ip address='10.0.0.1' prefix='24'/></network>", (35, 19, "Missing or invalid 'start' attribute in <port> in <nat> in <forward> in network t")),
    ('nat-port-end-too-big', "<network><name>t</name><forward mode='nat'><nat><port start='0' end='65536'/></nat></forward><ip address='10.0.0.1' prefix='24'/></network>", (35, 19, "Missing or invalid 'end' attribute in <port> in <nat> in <forward> in network t")),
    ('nat-before-dev-check', "<network><name>t</name><forward dev='a'><nat><address start='x'/></nat><pf dev='p'/></forward></network>", (27, 19, "XML error: missing 'end' attribute in <address> element in <nat> in <forward> in network t")),
    ('dev-with-address', "<network><name>t</name><forward mode='bridge' dev='eth0'><address type='pci' bus='1'/></forward></network>", (27, 19, "XML error: the <forward> 'dev' attribute cannot be used when <address> or <pf> sub-elements are present in network %s")),
    ('dev-with-pf', "<network><name>t</name><forward mode='bridge' dev='eth0'><pf dev='x'/></forward></network>", (27, 19, "XML error: the <forward> 'dev' attribute cannot be used when <address> or <pf> sub-elements are present in network %s")),
    ('dev-mismatch', "<network><name>t</name><forward mode='bridge' dev='eth0'><interface dev='eth1'/></forward></network>", (27, 19, "XML error: <forward dev='eth0'> must match first <interface dev='eth1'/> in network t")),
    ('interface-no-dev', "<network><name>t</name><forward mode='bridge'><interface/></forward></network>", (27, 19, 'XML error: Missing required dev attribute in <forward> <interface> element of network t')),
    ('interface-duplicate', "<network><name>t</name><forward mode='passthrough'><interface dev='a'/><interface dev='b'/><interface dev='a'/></forward></network>", (27, 19, "XML error: interface 'a' can only be listed once in network t")),
    ('interface-duplicate-of-dev', "<network><name>t</name><forward mode='bridge' dev='eth0'><interface dev='eth0'/><interface dev='eth0'/></forward></network>", (27, 19, "XML error: interface 'eth0' can only be listed once in network t")),
    ('interface-no-dev-after-good', "<network><name>t</name><forward mode='bridge'><interface dev='a'/><interface/></forward></network>", (27, 19, 'XML error: Missing required dev attribute in <forward> <interface> element of network t')),
    ('address-no-type', "<network><name>t</name><forward mode='hostdev'><address/></forward></network>", (27, 19, 'XML error: missing address type in network t')),
    ('address-empty-type', "<network><name>t</name><forward mode='hostdev'><address type=''/></forward></network>", (67, 19, "unsupported configuration: unknown address type '' in network t")),
    ('address-unknown-type', "<network><name>t</name><forward mode='hostdev'><address type='usb'/></forward></network>", (67, 19, "unsupported configuration: unknown address type 'usb' in network t")),
    ('address-type-case', "<network><name>t</name><forward mode='hostdev'><address type='PCI'/></forward></network>", (67, 19, "unsupported configuration: unknown address type 'PCI' in network t")),
    ('address-netdev', "<network><name>t</name><forward mode='hostdev'><address type='netdev'/></forward></network>", (27, 19, "XML error: unsupported address type 'netdev' in network t")),
    ('address-none', "<network><name>t</name><forward mode='hostdev'><address type='none'/></forward></network>", (27, 19, "XML error: unsupported address type 'none' in network t")),
    ('pci-duplicate', "<network><name>t</name><forward mode='hostdev'><address type='pci' domain='0' bus='1' slot='2' function='3'/><address type='pci' domain='0x0' bus='0x1' slot='0x2' function='0x3'/></forward></network>", (27, 19, "XML error: PCI device '0000:01:02.3' can only be listed once in network t")),
    ('pci-bus', "<network><name>t</name><forward mode='hostdev'><address type='pci' bus='0x100'/></forward></network>", (27, 0, "XML error: Invalid PCI address bus='0x100', must be <= 0xFF")),
    ('pci-slot', "<network><name>t</name><forward mode='hostdev'><address type='pci' bus='1' slot='0x20'/></forward></network>", (27, 0, "XML error: Invalid PCI address slot='0x20', must be <= 0x1F")),
    ('pci-function', "<network><name>t</name><forward mode='hostdev'><address type='pci' bus='1' function='8'/></forward></network>", (27, 0, 'XML error: Invalid PCI address function=0x8, must be <= 7')),
    ('pci-bad-number', "<network><name>t</name><forward mode='hostdev'><address type='pci' bus='x'/></forward></network>", (27, 5, "XML error: Invalid value for attribute 'bus' in element 'address': 'x'. Expected non-negative integer value")),
    ('pci-empty-number', "<network><name>t</name><forward mode='hostdev'><address type='pci' bus=''/></forward></network>", (27, 5, "XML error: Invalid value for attribute 'bus' in element 'address': ''. Expected non-negative integer value")),
    ('pci-negative', "<network><name>t</name><forward mode='hostdev'><address type='pci' domain='-1' bus='1'/></forward></network>", (27, 5, "XML error: Invalid value for attribute 'domain' in element 'address': '-1'. Expected non-negative integer value")),
    ('pci-multifunction', "<network><name>t</name><forward mode='hostdev'><address type='pci' bus='1' multifunction='yes'/></forward></network>", (27, 5, "XML error: Invalid value for attribute 'multifunction' in element 'address': 'yes'.")),
    ('pci-multifunction-empty', "<network><name>t</name><forward mode='hostdev'><address type='pci' multifunction=''/></forward></network>", (27, 5, "XML error: Invalid value for attribute 'multifunction' in element 'address': ''.")),
    ('pci-zpci-bad', "<network><name>t</name><forward mode='hostdev'><address type='pci' bus='1'><zpci uid='x'/></address></forward></network>", (27, 5, "XML error: Invalid value for attribute 'uid' in element 'zpci': 'x'. Expected non-negative integer value")),
    ('pf-two', "<network><name>t</name><forward mode='passthrough'><pf dev='a'/><pf dev='b'/></forward></network>", (27, 19, 'XML error: Only one <pf> element is allowed in <forward> of network t')),
    ('pf-no-dev', "<network><name>t</name><forward mode='passthrough'><pf/></forward></network>", (27, 19, "XML error: Missing required dev attribute in <pf> element of network 't'")),
]

ACCEPTED = [
    ('mode-missing-is-nat', "<network><name>t</name><forward/><ip address='10.0.0.1' prefix='24'/></network>"),
    ('mode-empty-is-nat', "<network><name>t</name><forward mode=''/><ip address='10.0.0.1' prefix='24'/></network>"),
    ('modes', "<network><name>t</name><forward mode='vepa'/></network>"),
    ('managed-hostdev', "<network><name>t</name><forward mode='hostdev' managed='YES'></forward></network>"),
    ('managed-garbage', "<network><name>t</name><forward mode='hostdev' managed='garbage'></forward></network>"),
    ('managed-other-mode', "<network><name>t</name><forward mode='passthrough' managed='yes'/></network>"),
    ('driver-first-with-name', "<network><name>t</name><forward mode='hostdev'><driver/><driver name='vfio'/><driver name='kvm'/></forward></network>"),
    ('driver-empty-is-absent', "<network><name>t</name><forward mode='hostdev'><driver name=''/><driver name='vfio'/></forward></network>"),
    ('driver-any-mode', "<network><name>t</name><forward><driver name='kvm'/></forward><ip address='10.0.0.1' prefix='24'/></network>"),
    ('nat-full', "<network><name>t</name><forward mode='nat'><nat ipv6='no'><address start='10.1' end='10.0.0.5'/><port start=' +1024' end='65535'/></nat></forward><ip address='10.0.0.1' prefix='24'/></network>"),
    ('nat-zero-port-dropped', "<network><name>t</name><forward mode='nat'><nat><port start='0' end='0'/></nat></forward><ip address='10.0.0.1' prefix='24'/></network>"),
    ('nat-port-start-zero', "<network><name>t</name><forward mode='nat'><nat><port start='0' end='7'/></nat></forward><ip address='10.0.0.1' prefix='24'/></network>"),
    ('nat-ipv6-only', "<network><name>t</name><forward mode='nat'><nat ipv6='yes'></nat></forward><ip address='10.0.0.1' prefix='24'/></network>"),
    ('dev-only', "<network><name>t</name><forward dev='eth0'/><ip address='10.0.0.1' prefix='24'/></network>"),
    ('dev-and-interface', "<network><name>t</name><forward mode='bridge' dev='eth0'><interface dev='eth0'/><interface dev='eth1'/></forward></network>"),
    ('empty-dev-attribute', "<network><name>t</name><forward mode='passthrough' dev=''><interface dev='a'/></forward></network>"),
    ('empty-interface-dev', "<network><name>t</name><forward mode='passthrough'><interface dev=''/></forward></network>"),
    ('empty-pf-dev', "<network><name>t</name><forward mode='passthrough'><pf dev=''/></forward></network>"),
    ('interfaces-beat-pf', "<network><name>t</name><forward mode='bridge'><pf dev='a'/><pf dev='b'/><interface dev='b'/></forward></network>"),
    ('interfaces-beat-addresses', "<network><name>t</name><forward mode='bridge'><interface dev='a'/><address type='bogus'/></forward></network>"),
    ('addresses-beat-pf', "<network><name>t</name><forward mode='hostdev'><pf dev='a'/><pf/><address type='pci' bus='1'/></forward></network>"),
    ('pci-function-alone-unchecked', "<network><name>t</name><forward mode='hostdev'><address type='pci' function='0x9'/></forward></network>"),
    ('pci-all-zero', "<network><name>t</name><forward mode='hostdev'><address type='pci'/></forward></network>"),
    ('pci-base-0', "<network><name>t</name><forward mode='hostdev'><address type='pci' domain='0x12345' bus='0X1f' slot='037' function='7' multifunction='on'/></forward></network>"),
    ('pci-zpci', "<network><name>t</name><forward mode='hostdev'><address type='pci' bus='1'><zpci uid='0x10000' fid='0x1'/></address></forward></network>"),
    ('pci-in-route-mode', "<network><name>t</name><forward mode='route'><address type='pci' bus='1'/></forward><ip address='10.0.0.1' prefix='24'/></network>"),
    ('second-forward-ignored', "<network><name>t</name><forward mode='passthrough'/><forward mode='bogus'/></network>"),
    ('namespaced-mode-ignored', "<network><name>t</name><forward xmlns:q='u' q:mode='route'/><ip address='10.0.0.1' prefix='24'/></network>"),
]


@pytest.mark.parametrize(("xml", "expected"), [c[1:] for c in ERRORS], ids=[c[0] for c in ERRORS])
def test_error(xml: str, expected: tuple[int, int, str]) -> None:
    assert error_of(lambda: parse_network_xml(xml)) == expected


@pytest.mark.parametrize("xml", [c[1] for c in ERRORS + ACCEPTED], ids=[c[0] for c in ERRORS + ACCEPTED])
def test_agrees_with_libvirt(xml: str, testdriver) -> None:
    assert netstore_outcome(xml) == libvirt_outcome(testdriver, xml)


def forward(xml: str) -> Forward:
    return parse_forward(etree.fromstring(xml), "n")


def test_mode_managed_and_driver() -> None:
    assert forward("<forward/>").mode == "nat"
    assert forward("<forward mode=''/>").mode == "nat"
    hostdev = forward("<forward mode='hostdev' managed='YES'><driver/><driver name='vfio'/></forward>")
    assert (hostdev.mode, hostdev.managed, hostdev.driver) == ("hostdev", True, "vfio")
    assert forward("<forward mode='hostdev' managed='no'><driver name=''/></forward>").driver is None
    assert forward("<forward managed='garbage'/>").managed is False


def test_nat_values() -> None:
    nat = forward(
        "<forward><nat ipv6='no'><address start='10.1' end='10.0.0.5'/>"
        "<port start=' +1024' end='65535'/></nat></forward>"
    ).nat
    assert (nat.ipv6, nat.address_start.text, nat.address_end.text) == (False, "10.0.0.1", "10.0.0.5")
    assert (nat.port_start, nat.port_end) == (1024, 65535)
    assert forward("<forward/>").nat is None


def test_dev_becomes_the_first_interface() -> None:
    pool = forward("<forward mode='bridge' dev='eth0'><interface dev='eth0'/><interface dev='eth1'/></forward>")
    assert [iface.dev for iface in pool.ifaces] == ["eth0", "eth1"]
    assert [iface.dev for iface in forward("<forward dev='eth0'/>").ifaces] == ["eth0"]
    assert forward("<forward mode='passthrough' dev=''/>").ifaces == []


def test_pool_precedence() -> None:
    interfaces = forward("<forward mode='bridge'><pf dev='a'/><pf dev='b'/><interface dev='c'/></forward>")
    assert ([i.dev for i in interfaces.ifaces], interfaces.pfs) == (["c"], [])
    addresses = forward("<forward mode='hostdev'><pf/><address type='pci' bus='1'/></forward>")
    assert (len(addresses.ifaces), addresses.ifaces[0].is_netdev, addresses.pfs) == (1, False, [])
    assert forward("<forward mode='passthrough'><pf dev=''/></forward>").pfs == [""]


def test_pci_address_fields() -> None:
    pci = parse_pci_address(etree.fromstring(
        "<address type='pci' domain='0x12345' bus='0X1f' slot='037' function='7'/>"
    ))
    assert (pci.domain, pci.bus, pci.slot, pci.function) == (0x12345, 0x1F, 0o37, 7)
    unchecked = parse_pci_address(etree.fromstring("<address type='pci' function='0x9'/>"))
    assert (unchecked.domain, unchecked.bus, unchecked.slot, unchecked.function) == (0, 0, 0, 9)
