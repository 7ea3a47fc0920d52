"""radvd's configuration (libvirt 8.x template) and the dnsmasq conf without its RA lines."""

from __future__ import annotations

import pytest

import netstore
from netstore.errors import libvirtError
from tests.helpers import require
from tests.render.corpus import case_names, network_xml

SLAAC_ONLY = """<network><name>six</name><forward mode='nat'/><bridge name='virbr9'/>
  <ip address='192.168.9.1' netmask='255.255.255.0'><dhcp><range start='192.168.9.2' end='192.168.9.9'/></dhcp></ip>
  <ip family='ipv6' address='2001:db8:9::1' prefix='64'/>
</network>"""

DHCP6 = """<network><name>six</name><forward mode='route'/><bridge name='virbr9'/>
  <ip family='ipv6' address='2001:db8:9::1' prefix='64'>
    <dhcp><range start='2001:db8:9::100' end='2001:db8:9::1ff'/></dhcp>
  </ip>
</network>"""

SEVERAL = """<network><name>six</name><bridge name='virbr9'/>
  <ip family='ipv6' address='2001:db8:9::1' prefix='64'/>
  <ip family='ipv6' address='fd00:9:8:7::1' prefix='48'/>
  <ip family='ipv6' address='2001:db8:a::1'/>
</network>"""


def test_slaac_only_template() -> None:
    assert netstore.radvd_conf(SLAAC_ONLY) == (
        "interface virbr9\n{\n  AdvSendAdvert on;\n  IgnoreIfMissing on;\n"
        "  AdvManagedFlag off;\n  AdvOtherConfigFlag off;\n\n"
        "  prefix 2001:db8:9::1/64\n  {\n    AdvOnLink on;\n    AdvAutonomous on;\n    AdvRouterAddr off;\n  };\n"
        "};\n"
    )


def test_dhcp6_template_is_managed_without_autonomous_prefixes() -> None:
    assert netstore.radvd_conf(DHCP6) == (
        "interface virbr9\n{\n  AdvSendAdvert on;\n  IgnoreIfMissing on;\n  AdvManagedFlag on;\n\n"
        "  prefix 2001:db8:9::1/64\n  {\n    AdvAutonomous off;\n  };\n"
        "};\n"
    )


def test_several_prefixes_in_document_order_with_their_lengths() -> None:
    conf = netstore.radvd_conf(SEVERAL)
    assert conf is not None
    prefixes = [line.strip() for line in conf.splitlines() if line.startswith("  prefix ")]
    assert prefixes == ["prefix 2001:db8:9::1/64", "prefix fd00:9:8:7::1/48", "prefix 2001:db8:a::1/64"]
    assert conf.count("AdvAutonomous on;") == 3


def test_dhcp_on_one_ipv6_ip_makes_every_prefix_managed() -> None:
    xml = DHCP6.replace("</network>", "<ip family='ipv6' address='fd00:1::1' prefix='64'/></network>")
    conf = netstore.radvd_conf(xml)
    assert conf is not None
    assert conf.count("AdvAutonomous off;") == 2 and "AdvOnLink" not in conf


def test_no_ipv6_no_radvd() -> None:
    assert netstore.radvd_conf(network_xml("netboot-network")) is None


def test_matches_the_research_example_for_libvirts_nat_network() -> None:
    conf = netstore.radvd_conf(network_xml("nat-network"))
    assert conf is not None and conf.startswith("interface virbr0\n")
    assert "  prefix 2001:db8:ac10:fe01::1/64\n" in conf and "  prefix 2001:db8:ac10:fd01::1/64\n" in conf


def test_ipv6_prefix_128_is_written_as_is() -> None:
    conf = netstore.radvd_conf(SLAAC_ONLY.replace("prefix='64'", "prefix='128'"))
    assert conf is not None and "prefix 2001:db8:9::1/128" in conf


RA_LINE_PREFIXES = ("enable-ra", "ra-param=")


def _is_ra_line(line: str) -> bool:
    return line.startswith(RA_LINE_PREFIXES) or (line.startswith("dhcp-range=") and line.endswith(",ra-only"))


@pytest.mark.parametrize("case", case_names())
def test_radvd_mode_leaves_out_exactly_the_ra_lines(case: str) -> None:
    xml = network_xml(case)
    with_ra = netstore.dnsmasq_files(xml).conf.splitlines()
    without_ra = netstore.dnsmasq_files(xml, ra="radvd")
    assert without_ra.conf.splitlines() == [line for line in with_ra if not _is_ra_line(line)]
    assert without_ra.hostsfile == netstore.dnsmasq_files(xml).hostsfile


def test_the_corpus_has_each_kind_of_ra_line() -> None:
    require(bool(case_names()), "libvirt's networkxml2confdata corpus")
    every = "".join(netstore.dnsmasq_files(network_xml(case)).conf for case in case_names())
    assert "enable-ra\n" in every and "ra-param=*,0,0\n" in every and ",ra-only\n" in every


def test_unknown_ra_mode_is_refused() -> None:
    with pytest.raises(libvirtError) as caught:
        netstore.dnsmasq_files(SLAAC_ONLY, ra="kernel")
    assert caught.value.get_error_code() == 8
