"""The errors libvirt's networkDnsmasqConfContents raises at start time, code and message."""

from __future__ import annotations

import pytest

import netstore
from netstore.errors import libvirtError

V4 = "<ip address='192.168.{n}.1' netmask='255.255.255.0'>{dhcp}</ip>"
V6 = "<ip family='ipv6' address='2001:db8:{n}::1' prefix='64'>{dhcp}</ip>"
V4_RANGE = "<dhcp><range start='192.168.{n}.2' end='192.168.{n}.9'/></dhcp>"
V6_HOST = "<dhcp><host id='0:1' name='h{n}' ip='2001:db8:{n}::9'/></dhcp>"


def net(*ips: str, forward: str = "<forward mode='nat'/>", bridge: str = "<bridge name='virbr7'/>") -> str:
    return f"<network><name>errs</name>{forward}{bridge}{''.join(ips)}</network>"


def v4(n: int, dhcp: bool = True) -> str:
    return V4.format(n=n, dhcp=V4_RANGE.format(n=n) if dhcp else "")


def v6(n: int, dhcp: bool = True) -> str:
    return V6.format(n=n, dhcp=V6_HOST.format(n=n) if dhcp else "")


def refusal(xml: str) -> tuple[int, int, str]:
    with pytest.raises(libvirtError) as caught:
        netstore.dnsmasq_files(xml)
    err = caught.value
    return err.get_error_code(), err.get_error_domain(), err.get_error_message()


def test_two_ipv4_dhcp_definitions() -> None:
    assert refusal(net(v4(1), v4(2))) == (
        67, 19, "unsupported configuration: For IPv4, multiple DHCP definitions cannot be specified."
    )


def test_two_ipv6_dhcp_definitions() -> None:
    assert refusal(net(v6(1), v6(2))) == (
        67, 19, "unsupported configuration: For IPv6, multiple DHCP definitions cannot be specified."
    )


def test_one_dhcp_per_family_and_plain_ips_are_fine() -> None:
    conf = netstore.dnsmasq_files(net(v4(1), v4(2, dhcp=False), v6(1), v6(2, dhcp=False))).conf
    assert "enable-ra\n" in conf and "ra-only" not in conf


@pytest.mark.parametrize(
    ("ip", "family", "prefix"),
    [
        ("<ip address='10.1.2.1' prefix='20' localPtr='yes'/>", "IPv4", 20),
        ("<ip address='10.1.2.1' netmask='255.255.255.255' localPtr='yes'/>", "IPv4", 32),
        ("<ip family='ipv6' address='2001:db8::1' prefix='66' localPtr='yes'/>", "IPv6", 66),
        ("<ip family='ipv6' address='2001:db8::1' prefix='128' localPtr='yes'/>", "IPv6", 128),
    ],
)
def test_ptr_domain_needs_a_whole_octet_or_nibble(ip: str, family: str, prefix: int) -> None:
    assert refusal(net(ip)) == (
        67, 19,
        f"unsupported configuration: PTR domain for {family} network with prefix {prefix} "
        "cannot be automatically created",
    )


def test_ptr_domains_that_work() -> None:
    conf = netstore.dnsmasq_files(net(
        "<ip address='10.1.2.1' prefix='16' localPtr='yes'/>",
        "<ip family='ipv6' address='2001:db8:1:2::1' prefix='60' localPtr='yes'/>",
    )).conf
    assert "local=/1.10.in-addr.arpa/\n" in conf
    assert "local=/0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa/\n" in conf


def test_ptr_is_not_written_without_dns() -> None:
    xml = net("<ip address='10.1.2.1' prefix='20' localPtr='yes'/>").replace("</network>", "<dns enable='no'/></network>")
    assert "local=" not in netstore.dnsmasq_files(xml).conf


def test_dhcp_on_an_ip_without_a_prefix_is_libvirts_invalid_prefix() -> None:
    ip = "<ip address='240.0.0.1'><dhcp><host mac='52:54:00:00:00:01' ip='240.0.0.5'/></dhcp></ip>"
    assert refusal(net(ip)) == (1, 19, "internal error: bridge 'virbr7' has an invalid prefix")


def test_a_network_without_a_bridge_name_is_refused_not_rendered_with_a_blank() -> None:
    code, domain, message = refusal(net(v4(1), bridge=""))
    assert (code, domain) == (1, 19) and "no bridge name" in message


def test_refusals_are_raised_before_any_output() -> None:
    with pytest.raises(libvirtError):
        netstore.dnsmasq_files(net(v4(1), v4(2)), state_dir="/nonexistent")
