"""Every definition string that reaches a daemon file (research: daemon-config.md §7) is refused.

Through the library, on a real store (SQLite, or PostgreSQL in its pass): define and create refuse a
network carrying a line feed, carriage return or field separator in any such
field, update refuses such an item in every section that can carry one; the
refusal is libvirt code 27 (XML error), domain 19, and nothing is appended.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

import netstore
from netstore.api.connection import Connection
from netstore.errors import VIR_ERR_XML_DETAIL, VIR_ERR_XML_ERROR, VIR_FROM_NETWORK

NAME = "inj"
IP = ("<ip address='192.168.77.1' netmask='255.255.255.0'>{tftp}<dhcp>"
      "<range start='192.168.77.100' end='192.168.77.200'/>{host}{bootp}</dhcp></ip>")
SAFE = {
    "name": NAME,
    "bridge": "<bridge name='nsdbr0'/>",
    "domain": "<domain name='example.com'/>",
    "dns": "<dns><forwarder domain='corp.example' addr='10.0.0.53'/><txt name='t' value='v'/>"
           "<srv service='s' protocol='tcp' domain='d.example' target='t.example' port='1'/>"
           "<host ip='192.168.77.9'><hostname>h</hostname></host></dns>",
    "tftp": "<tftp root='/srv/tftp'/>",
    "host": "<host mac='52:54:00:77:00:01' name='vm1' ip='192.168.77.10'/>",
    "bootp": "<bootp file='pxelinux.0'/>",
    "options": "",
}
TEMPLATE = ("<network xmlns:dnsmasq='http://libvirt.org/schemas/network/dnsmasq/1.0'>"
            "<name>{name}</name><forward mode='nat'/>{bridge}{domain}{dns}" + IP + "{options}</network>")

LF = "&#10;dhcp-script=/tmp/nsd-evil"
CR = "&#13;"

# (case id, part of SAFE replaced, replacement) - one per field and separator
DEFINE_CASES = [
    ("name-cr", "name", f"inj{CR}x"),
    ("name-comma", "name", "inj,x"),
    ("bridge-lf", "bridge", f"<bridge name='nsdbr0{LF}'/>"),
    ("bridge-space", "bridge", "<bridge name='nsd br0'/>"),
    ("domain-lf", "domain", f"<domain name='example.com{LF}'/>"),
    ("domain-slash", "domain", "<domain name='example.com/#'/>"),
    ("forwarder-domain-lf", "dns", f"<dns><forwarder domain='corp{LF}' addr='10.0.0.53'/></dns>"),
    ("forwarder-domain-slash", "dns", "<dns><forwarder domain='a/b' addr='10.0.0.53'/></dns>"),
    ("txt-name-lf", "dns", f"<dns><txt name='t{LF}' value='v'/></dns>"),
    ("txt-value-lf", "dns", f"<dns><txt name='t' value='v{LF}'/></dns>"),
    ("txt-value-comma", "dns", "<dns><txt name='t' value='v,w'/></dns>"),
    ("srv-domain-lf", "dns", f"<dns><srv service='s' protocol='tcp' domain='d{LF}'/></dns>"),
    ("srv-target-lf", "dns", f"<dns><srv service='s' protocol='tcp' target='t{LF}' port='1'/></dns>"),
    ("srv-target-comma", "dns", "<dns><srv service='s' protocol='tcp' target='t,9' port='1'/></dns>"),
    ("dns-hostname-lf", "dns", "<dns><host ip='192.168.77.9'><hostname>h\n10.0.0.1 evil</hostname></host></dns>"),
    ("dns-hostname-space", "dns", "<dns><host ip='192.168.77.9'><hostname>h evil</hostname></host></dns>"),
    ("tftp-root-lf", "tftp", f"<tftp root='/srv/tftp{LF}'/>"),
    ("tftp-root-comma", "tftp", "<tftp root='/srv/a,b'/>"),
    ("bootp-file-lf", "bootp", f"<bootp file='pxelinux.0{LF}'/>"),
    ("bootp-file-comma", "bootp", "<bootp file='pxe,linux.0'/>"),
    ("host-mac-trailing", "host", "<host mac='52:54:00:77:00:01 x' name='vm1' ip='192.168.77.10'/>"),
    ("host-mac-lf", "host", f"<host mac='52:54:00:77:00:01{LF}' name='vm1' ip='192.168.77.10'/>"),
    ("host-name-lf", "host", f"<host mac='52:54:00:77:00:01' name='vm1{LF}' ip='192.168.77.10'/>"),
    ("host-name-comma", "host", "<host mac='52:54:00:77:00:01' name='vm1,ignore' ip='192.168.77.10'/>"),
    ("host-name-cr", "host", f"<host mac='52:54:00:77:00:01' name='vm1{CR}' ip='192.168.77.10'/>"),
    ("dnsmasq-option-lf", "options",
     f"<dnsmasq:options><dnsmasq:option value='cache-size=0{LF}'/></dnsmasq:options>"),
]

UPDATE_CASES = [
    ("dhcp-host-mac-trailing", netstore.VIR_NETWORK_SECTION_IP_DHCP_HOST,
     "<host mac='52:54:00:77:00:02 x' ip='192.168.77.11'/>"),
    ("dhcp-host-mac-lf", netstore.VIR_NETWORK_SECTION_IP_DHCP_HOST,
     f"<host mac='52:54:00:77:00:02{LF}' ip='192.168.77.11'/>"),
    ("dhcp-host-name-lf", netstore.VIR_NETWORK_SECTION_IP_DHCP_HOST,
     f"<host mac='52:54:00:77:00:02' name='vm2{LF}' ip='192.168.77.11'/>"),
    ("dhcp-host-name-comma", netstore.VIR_NETWORK_SECTION_IP_DHCP_HOST,
     "<host mac='52:54:00:77:00:02' name='vm2,ignore' ip='192.168.77.11'/>"),
    ("dhcp-host-name-space", netstore.VIR_NETWORK_SECTION_IP_DHCP_HOST,
     "<host mac='52:54:00:77:00:02' name='vm2 x' ip='192.168.77.11'/>"),
    ("dns-hostname-lf", netstore.VIR_NETWORK_SECTION_DNS_HOST,
     "<host ip='192.168.77.12'><hostname>a\n10.0.0.1 evil</hostname></host>"),
    ("dns-hostname-tab", netstore.VIR_NETWORK_SECTION_DNS_HOST,
     "<host ip='192.168.77.12'><hostname>a\tb</hostname></host>"),
    ("dns-hostname-comma", netstore.VIR_NETWORK_SECTION_DNS_HOST,
     "<host ip='192.168.77.12'><hostname>a,b</hostname></host>"),
    ("txt-value-lf", netstore.VIR_NETWORK_SECTION_DNS_TXT, f"<txt name='n' value='v{LF}'/>"),
    ("txt-value-comma", netstore.VIR_NETWORK_SECTION_DNS_TXT, "<txt name='n' value='v,w'/>"),
    ("srv-domain-lf", netstore.VIR_NETWORK_SECTION_DNS_SRV, f"<srv service='s2' protocol='tcp' domain='d{LF}'/>"),
    ("srv-domain-comma", netstore.VIR_NETWORK_SECTION_DNS_SRV, "<srv service='s2' protocol='tcp' domain='d,x'/>"),
    ("srv-target-lf", netstore.VIR_NETWORK_SECTION_DNS_SRV,
     f"<srv service='s2' protocol='tcp' target='t{LF}' port='1'/>"),
    ("srv-target-space", netstore.VIR_NETWORK_SECTION_DNS_SRV,
     "<srv service='s2' protocol='tcp' target='t x' port='1'/>"),
]

BOTH = netstore.VIR_NETWORK_UPDATE_AFFECT_LIVE | netstore.VIR_NETWORK_UPDATE_AFFECT_CONFIG


def network_xml(**parts: str) -> str:
    return TEMPLATE.format(**{**SAFE, **parts})


@pytest.fixture
def conn(db_url: str) -> Iterator[Connection]:
    with netstore.open(db_url) as connection:
        yield connection


def refusal(call: Callable[[], Any]) -> tuple[int, int, str]:
    with pytest.raises(netstore.libvirtError) as caught:
        call()
    err = caught.value
    return err.get_error_code(), err.get_error_domain(), err.get_error_message()


def event_count(conn: Connection) -> int:
    return sum(1 for name in conn.listDefinedNetworks() + conn.listNetworks()
               for _ in conn.store.read_stream(name))


def test_the_safe_network_is_accepted_and_renders(conn: Connection) -> None:
    net = conn.networkDefineXML(network_xml())
    net.create()
    assert "dhcp-script" not in netstore.dnsmasq_files(net.XMLDesc(0)).conf


@pytest.mark.parametrize(("part", "value"), [case[1:] for case in DEFINE_CASES], ids=[c[0] for c in DEFINE_CASES])
@pytest.mark.parametrize("how", ["define", "create"])
def test_define_and_create_refuse(conn: Connection, how: str, part: str, value: str) -> None:
    xml = network_xml(**{part: value})
    call = conn.networkDefineXML if how == "define" else conn.networkCreateXML
    code, domain, message = refusal(lambda: call(xml))
    assert (code, domain) == (VIR_ERR_XML_ERROR, VIR_FROM_NETWORK), message
    assert "would add a" in message or "is not only a MAC address" in message
    assert conn.listDefinedNetworks() == [] and conn.listNetworks() == []


def test_a_line_feed_in_the_name_is_libvirts_own_refusal(conn: Connection) -> None:
    code, domain, message = refusal(lambda: conn.networkDefineXML(network_xml(name="inj\nx")))
    assert (code, domain, message) == (VIR_ERR_XML_DETAIL, 5, "invalid char in name: \n")
    assert conn.listDefinedNetworks() == []


@pytest.mark.parametrize(("section", "item"), [case[1:] for case in UPDATE_CASES], ids=[c[0] for c in UPDATE_CASES])
@pytest.mark.parametrize("command", [netstore.VIR_NETWORK_UPDATE_COMMAND_ADD_LAST,
                                     netstore.VIR_NETWORK_UPDATE_COMMAND_ADD_FIRST], ids=["add-last", "add-first"])
def test_update_refuses(conn: Connection, command: int, section: int, item: str) -> None:
    net = conn.networkDefineXML(network_xml())
    net.create()
    before = (event_count(conn), net.XMLDesc(0), net.XMLDesc(netstore.VIR_NETWORK_XML_INACTIVE))
    code, domain, message = refusal(lambda: net.update(command, section, -1, item, BOTH))
    assert (code, domain) == (VIR_ERR_XML_ERROR, VIR_FROM_NETWORK), message
    assert (event_count(conn), net.XMLDesc(0), net.XMLDesc(netstore.VIR_NETWORK_XML_INACTIVE)) == before


@pytest.mark.parametrize("bad", [LF, ",", " "], ids=["lf", "comma", "space"])
def test_update_txt_name_is_libvirts_own_refusal(conn: Connection, bad: str) -> None:
    net = conn.networkDefineXML(network_xml())
    before = event_count(conn)
    code, domain, message = refusal(lambda: net.update(
        netstore.VIR_NETWORK_UPDATE_COMMAND_ADD_LAST, netstore.VIR_NETWORK_SECTION_DNS_TXT, -1,
        f"<txt name='n{bad}' value='v'/>", netstore.VIR_NETWORK_UPDATE_AFFECT_CONFIG))
    assert (code, domain) == (VIR_ERR_XML_DETAIL, VIR_FROM_NETWORK)
    assert message.startswith("prohibited character in DNS TXT record name")
    assert event_count(conn) == before


@pytest.mark.parametrize(
    ("section", "item"),
    [
        (netstore.VIR_NETWORK_SECTION_IP_DHCP_HOST, "<host mac='52:54:00:77:00:01' name='vm1,x' ip='192.168.77.10'/>"),
        (netstore.VIR_NETWORK_SECTION_DNS_HOST, "<host ip='192.168.77.9'><hostname>h x</hostname></host>"),
    ],
    ids=["dhcp-host", "dns-host"],
)
def test_modify_refuses(conn: Connection, section: int, item: str) -> None:
    net = conn.networkDefineXML(network_xml())
    before = event_count(conn)
    code, domain, _ = refusal(lambda: net.update(
        netstore.VIR_NETWORK_UPDATE_COMMAND_MODIFY, section, -1, item, netstore.VIR_NETWORK_UPDATE_AFFECT_CONFIG))
    assert (code, domain) == (VIR_ERR_XML_ERROR, VIR_FROM_NETWORK)
    assert event_count(conn) == before


@pytest.mark.parametrize(
    ("section", "item"),
    [
        (netstore.VIR_NETWORK_SECTION_BRIDGE, f"<bridge name='nsdbr0{LF}'/>"),
        (netstore.VIR_NETWORK_SECTION_DOMAIN, f"<domain name='example.com{LF}'/>"),
        (netstore.VIR_NETWORK_SECTION_IP,
         f"<ip address='192.168.77.1' netmask='255.255.255.0'><tftp root='/x{LF}'/></ip>"),
    ],
    ids=["bridge", "domain", "ip"],
)
def test_sections_libvirt_never_updates_refuse_too(conn: Connection, section: int, item: str) -> None:
    net = conn.networkDefineXML(network_xml())
    before = event_count(conn)
    refusal(lambda: net.update(netstore.VIR_NETWORK_UPDATE_COMMAND_MODIFY, section, -1, item,
                               netstore.VIR_NETWORK_UPDATE_AFFECT_CONFIG))
    assert event_count(conn) == before


@pytest.mark.parametrize("name", ["victim.pid #x", "victim.hostsfile\u0020#", "a #b"])
def test_a_name_that_would_start_a_dnsmasq_comment_inside_a_path_is_refused(conn: Connection, name: str) -> None:
    """dnsmasq cuts a line at '#' after whitespace: ``pid-file=/run/.../victim.pid #x.pid`` would
    make this network's dnsmasq write another network's pid file."""
    code, domain, message = refusal(lambda: conn.networkDefineXML(network_xml(name=name)))
    assert (code, domain) == (VIR_ERR_XML_ERROR, VIR_FROM_NETWORK)
    assert "'#' after whitespace" in message
    assert conn.listDefinedNetworks() == []


def test_a_hash_without_whitespace_before_it_is_a_plain_character(conn: Connection) -> None:
    net = conn.networkDefineXML(network_xml(name="net#1"))
    assert net.name() == "net#1"


@pytest.mark.parametrize(
    ("part", "value"),
    [
        ("dns", "<dns><txt name='t' value='a #b'/></dns>"),
        ("tftp", "<tftp root='/srv/a #b'/>"),
        ("bootp", "<bootp file='pxe #b'/>"),
    ],
    ids=["txt-value", "tftp-root", "bootp-file"],
)
def test_a_configuration_string_that_would_start_a_dnsmasq_comment_is_refused(
    conn: Connection, part: str, value: str
) -> None:
    """``txt-record=t,a #b`` would be cut to ``a``: refused like a line feed, nothing defined."""
    code, _, message = refusal(lambda: conn.networkDefineXML(network_xml(**{part: value})))
    assert code == VIR_ERR_XML_ERROR and "'#' after whitespace" in message
    assert conn.listDefinedNetworks() == []


def test_a_name_too_long_for_its_file_names_is_refused(conn: Connection) -> None:
    longest = "n" * (255 - len("-radvd.conf"))  # NAME-radvd.conf has exactly 255 bytes
    conn.networkDefineXML(network_xml(name=longest)).undefine()
    code, _, message = refusal(lambda: conn.networkDefineXML(network_xml(name=longest + "n")))
    assert code == VIR_ERR_XML_ERROR and "more than the 255 a file name may have" in message
    escaped = "&amp;" * 49  # '&' is written '&amp;' in NAME.hostsfile: 245 + 10 bytes
    conn.networkDefineXML(network_xml(name=escaped)).undefine()
    assert refusal(lambda: conn.networkDefineXML(network_xml(name=escaped + "&amp;")))[0] == VIR_ERR_XML_ERROR
