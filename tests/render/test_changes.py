"""SIGHUP or restart between two renders, and the one-line summary of host changes."""

from __future__ import annotations

from typing import Optional

import pytest

import netstore
from netstore.render import DaemonAction, DnsmasqFiles, dnsmasq_action, hosts_summary, radvd_action

BASE = """<network><name>c</name><forward mode='nat'/><bridge name='virbr3'/>
  <ip address='10.3.0.1' prefix='24'><dhcp><range start='10.3.0.100' end='10.3.0.200'/>{hosts}</dhcp></ip>
  <dns>{dns}</dns>
</network>"""


def host(n: int) -> str:
    return f"<host mac='52:54:00:00:03:{n:02x}' name='vm{n}' ip='10.3.0.{n}'/>"


def files(hosts: str = "", dns: str = "", extra: str = "") -> DnsmasqFiles:
    xml = BASE.format(hosts=hosts, dns=dns).replace("</network>", f"{extra}</network>")
    return netstore.dnsmasq_files(xml)


def test_same_render_needs_nothing() -> None:
    assert dnsmasq_action(files(host(5)), files(host(5))) is DaemonAction.NOTHING


def test_a_dhcp_host_change_is_a_reload() -> None:
    assert dnsmasq_action(files(host(5)), files(host(5) + host(6))) is DaemonAction.RELOAD


def test_a_dns_host_change_is_a_reload() -> None:
    dns = "<host ip='10.3.0.9'><hostname>nine</hostname></host>"
    assert dnsmasq_action(files(), files(dns=dns)) is DaemonAction.RELOAD


def test_the_first_dhcp_host_of_a_range_network_is_a_reload_because_the_conf_names_the_file() -> None:
    before, after = files(), files(host(5))
    assert before.conf == after.conf and before.hostsfile is None
    assert dnsmasq_action(before, after) is DaemonAction.RELOAD


@pytest.mark.parametrize(
    "change",
    [
        {"dns": "<txt name='t' value='v'/>"},
        {"dns": "<srv service='s' protocol='tcp'/>"},
        {"extra": "<domain name='example.com'/>"},
        {"extra": "<mtu size='9000'/>"},
    ],
)
def test_a_conf_change_is_a_restart(change: dict[str, str]) -> None:
    assert dnsmasq_action(files(), files(**change)) is DaemonAction.RESTART


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [(None, "x", DaemonAction.START), ("x", None, DaemonAction.STOP), (None, None, DaemonAction.NOTHING)],
)
def test_presence(before: Optional[str], after: Optional[str], expected: DaemonAction) -> None:
    as_files = {None: None, "x": files()}
    assert dnsmasq_action(as_files[before], as_files[after]) is expected
    assert radvd_action(before, after) is expected


def test_radvd_rereads_its_whole_config_on_sighup() -> None:
    assert radvd_action("a", "b") is DaemonAction.RELOAD
    assert radvd_action("a", "a") is DaemonAction.NOTHING


def test_summary_counts_added_and_removed_hosts() -> None:
    before = files(host(5) + host(6) + host(7))
    after = files(host(6) + host(8) + host(9) + host(10))
    assert hosts_summary(before, after) == "3 DHCP hosts added, 2 removed"


def test_summary_of_a_changed_host_is_one_added_one_removed() -> None:
    changed = host(5).replace("vm5", "vm5b")
    assert hosts_summary(files(host(5)), files(changed)) == "1 DHCP host added, 1 removed"


def test_summary_counts_dns_names_per_address() -> None:
    before = files(dns="<host ip='10.3.0.9'><hostname>a</hostname></host>")
    after = files(dns="<host ip='10.3.0.9'><hostname>a</hostname><hostname>b</hostname></host>"
                      "<host ip='10.3.0.8'><hostname>c</hostname></host>")
    assert hosts_summary(before, after) == "2 DNS names added, 0 removed"


def test_summary_of_both_and_of_nothing() -> None:
    dns = "<host ip='10.3.0.9'><hostname>a</hostname></host>"
    assert hosts_summary(files(), files(host(5), dns)) == "1 DHCP host added, 0 removed; 1 DNS name added, 0 removed"
    assert hosts_summary(files(host(5)), files(host(5))) == "no host changed"
    assert hosts_summary(None, files(host(5))) == "1 DHCP host added, 0 removed"


def test_a_new_dhcp_range_is_a_restart() -> None:
    wider = BASE.format(hosts="", dns="").replace(
        "</dhcp>", "<range start='10.3.0.210' end='10.3.0.220'/></dhcp>")
    assert dnsmasq_action(files(), netstore.dnsmasq_files(wider)) is DaemonAction.RESTART


STATIC_ONLY = """<network><name>s</name><forward mode='nat'/><bridge name='virbr4'/>
  <ip address='10.4.0.1' prefix='24'>{dhcp}</ip>
  <ip family='ipv6' address='2001:db8:4::1' prefix='64'>{dhcp6}</ip>
</network>"""


def static(dhcp: str = "", dhcp6: str = "") -> DnsmasqFiles:
    return netstore.dnsmasq_files(STATIC_ONLY.format(dhcp=dhcp, dhcp6=dhcp6))


def test_switching_ipv4_dhcp_on_with_a_first_host_is_a_restart_as_in_libvirt() -> None:
    first = "<dhcp><host mac='52:54:00:00:04:05' ip='10.4.0.5'/></dhcp>"
    second = "<dhcp><host mac='52:54:00:00:04:05' ip='10.4.0.5'/><host mac='52:54:00:00:04:06' ip='10.4.0.6'/></dhcp>"
    assert dnsmasq_action(static(), static(first)) is DaemonAction.RESTART
    assert dnsmasq_action(static(first), static(second)) is DaemonAction.RELOAD


def test_the_first_dhcpv6_host_is_a_restart_where_libvirt_only_sends_sighup() -> None:
    before, after = static(), static(dhcp6="<dhcp><host id='0:4' ip='2001:db8:4::5'/></dhcp>")
    assert "dhcp-range=2001:db8:4::1,ra-only\n" in before.conf
    assert "dhcp-range=2001:db8:4::1,static,64\n" in after.conf and "enable-ra\n" in after.conf
    assert dnsmasq_action(before, after) is DaemonAction.RESTART
