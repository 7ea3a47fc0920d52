"""The real dnsmasq and radvd accept every rendered file of the corpus (research: daemon-config.md §8)."""

from __future__ import annotations

import pytest

import netstore
from netstore.render import RA_MODES
from tests.helpers import require
from tests.render.corpus import BOGUS_OPTION_CASE, case_names, network_xml
from tests.render.daemons import binary, conf_with_hosts, dnsmasq_test, radvd_configtest

SYNTAX_CASES = [case for case in case_names() if case != BOGUS_OPTION_CASE]
IPV6_CASES = [case for case in case_names() if netstore.radvd_conf(network_xml(case)) is not None]


@pytest.fixture
def dnsmasq() -> None:
    require(binary("dnsmasq") is not None, "dnsmasq binary (Debian package dnsmasq-base)")


@pytest.fixture
def radvd() -> None:
    require(binary("radvd") is not None, "radvd binary (Debian package radvd)")


@pytest.mark.usefixtures("dnsmasq")
@pytest.mark.parametrize("ra", RA_MODES)
@pytest.mark.parametrize("case", SYNTAX_CASES)
def test_dnsmasq_accepts_conf_and_host_lines(case: str, ra: str) -> None:
    files = netstore.dnsmasq_files(network_xml(case), pid_file=f"/run/libvirt/network/{case}.pid", ra=ra)
    status, stderr = dnsmasq_test(conf_with_hosts(files))
    assert (status, stderr.strip()) == (0, "dnsmasq: syntax check OK.")


@pytest.mark.usefixtures("dnsmasq")
def test_dnsmasq_refuses_only_the_bogus_option_of_libvirts_own_case() -> None:
    files = netstore.dnsmasq_files(network_xml(BOGUS_OPTION_CASE))
    status, stderr = dnsmasq_test(files.conf)
    assert status == 1 and "bad option" in stderr
    without_option = files.conf.replace("foo=bar\n", "")
    assert without_option != files.conf
    assert dnsmasq_test(without_option)[0] == 0


def test_ipv6_cases_exist() -> None:
    require(bool(case_names()), "libvirt's networkxml2confdata corpus")
    assert len(IPV6_CASES) >= 5


@pytest.mark.usefixtures("radvd")
@pytest.mark.parametrize("case", IPV6_CASES)
def test_radvd_accepts_config(case: str) -> None:
    conf = netstore.radvd_conf(network_xml(case))
    assert conf is not None
    status, stderr = radvd_configtest(conf)
    assert status == 0 and "syntax ok" in stderr, stderr


@pytest.mark.usefixtures("dnsmasq")
def test_dnsmasq_check_catches_an_injected_bad_host_line() -> None:
    files = netstore.dnsmasq_files(network_xml("nat-network"))
    status, stderr = dnsmasq_test(files.conf + "dhcp-host=52:54:00:00:00:01 trailing,10.0.0.1\n")
    assert status == 1 and "line" in stderr


@pytest.mark.usefixtures("radvd")
def test_radvd_check_catches_a_broken_file() -> None:
    conf = netstore.radvd_conf(network_xml("nat-network"))
    assert conf is not None
    status, stderr = radvd_configtest(conf.replace("AdvSendAdvert on;", "AdvSendAdvert on"))
    assert status == 1 and "error" in stderr


@pytest.mark.usefixtures("dnsmasq")
def test_libvirt_writes_dhcp6_on_a_short_prefix_and_dnsmasq_refuses_it() -> None:
    xml = ("<network><name>p48</name><bridge name='virbr1'/><ip family='ipv6' address='2001:db8::1' prefix='48'>"
           "<dhcp><host id='0:1' ip='2001:db8::9'/></dhcp></ip></network>")
    files = netstore.dnsmasq_files(xml)
    assert "dhcp-range=2001:db8::1,static,48\n" in files.conf
    status, stderr = dnsmasq_test(files.conf)
    assert status == 1 and "prefix length must be at least 64" in stderr
