"""Which live definitions get a bridge, a dnsmasq and a radvd."""

from __future__ import annotations

import pytest

from netstore.errors import libvirtError
from netstore.model import parse_network_xml
from netstore.model.types import NetworkDef
from netstore.render import needs_bridge, needs_dnsmasq, needs_radvd


def defn(body: str, forward: str = "", bridge: str = "<bridge name='virbr5'/>") -> NetworkDef:
    return parse_network_xml(f"<network><name>p</name>{forward}{bridge}{body}</network>")


V4 = "<ip address='10.5.0.1' prefix='24'/>"
V4_DHCP = "<ip address='10.5.0.1' prefix='24'><dhcp><range start='10.5.0.2' end='10.5.0.9'/></dhcp></ip>"
V4_TFTP = "<ip address='10.5.0.1' prefix='24'><tftp root='/srv/tftp'/></ip>"
V6 = "<ip family='ipv6' address='2001:db8:5::1' prefix='64'/>"
NO_DNS = "<dns enable='no'/>"


@pytest.mark.parametrize(
    ("forward", "expected"),
    [
        ("", True),
        ("<forward mode='none'/>", True),
        ("<forward mode='nat'/>", True),
        ("<forward mode='route'/>", True),
        ("<forward mode='open'/>", True),
        ("<forward mode='bridge'/>", False),
        ("<forward mode='private'><interface dev='eth9'/></forward>", False),
    ],
)
def test_bridge_for_l3_modes_only(forward: str, expected: bool) -> None:
    parsed = defn(V4, forward) if expected else defn("", forward, bridge="")
    assert needs_bridge(parsed) is expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (V4, True),  # DNS is on by default
        (V4 + NO_DNS, False),
        (V4_DHCP + NO_DNS, True),
        (V4_TFTP + NO_DNS, True),
        (V6 + NO_DNS, False),  # RA alone does not start dnsmasq (libvirt's needDnsmasq)
        (V6, True),
    ],
)
def test_dnsmasq_as_network_start_dhcp_daemon_decides(body: str, expected: bool) -> None:
    assert needs_dnsmasq(defn(body, "<forward mode='nat'/>")) is expected


def test_no_ip_no_dnsmasq() -> None:
    assert needs_dnsmasq(defn("")) is False



@pytest.mark.parametrize(
    ("body", "ra", "expected"),
    [(V6, "radvd", True), (V6, "dnsmasq", False), (V4, "radvd", False), (V4 + V6 + NO_DNS, "radvd", True)],
)
def test_radvd_only_when_it_does_ra_and_there_is_ipv6(body: str, ra: str, expected: bool) -> None:
    assert needs_radvd(defn(body, "<forward mode='nat'/>"), ra) is expected


def test_radvd_mode_is_checked() -> None:
    with pytest.raises(libvirtError):
        needs_radvd(defn(V6), "none")
