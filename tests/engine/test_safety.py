"""Injection safety: netstore refuses what would add a line or a field to a daemon file.

libvirt 9.0.0 accepts every update below (``test_only_the_safety_check_refuses_them``);
netstore refuses them with 27/19 and a message naming the attribute and the
network, and leaves the definition untouched.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from netstore.errors import libvirtError
from netstore.model import parse_network_xml, safety
from tests.engine.support import (
    ADD_LAST,
    DNS_HOST,
    DNS_RECORDS,
    DNS_SRV,
    DNS_TXT,
    IP_DHCP_HOST,
    MODIFY,
    NAT_HOSTS,
    network,
    network_xml,
    update_error,
    updated,
    xml_of,
)
from tests.helpers import unique_name

INJECTIONS = [
    ("host-name-newline", NAT_HOSTS, ADD_LAST, IP_DHCP_HOST, "<host name='vm&#10;x' ip='192.168.122.5'/>", "line"),
    ("host-name-comma", NAT_HOSTS, ADD_LAST, IP_DHCP_HOST, "<host name='vm,ignore' ip='192.168.122.5'/>", "field"),
    ("host-name-space", NAT_HOSTS, ADD_LAST, IP_DHCP_HOST, "<host name='vm x' ip='192.168.122.5'/>", "field"),
    ("host-name-quote", NAT_HOSTS, ADD_LAST, IP_DHCP_HOST, "<host name='vm\"x' ip='192.168.122.5'/>", "field"),
    ("host-mac-trailing", NAT_HOSTS, ADD_LAST, IP_DHCP_HOST,
     "<host mac='52:54:00:ab:cd:ef xyz' ip='192.168.122.5'/>", "MAC"),
    ("host-mac-newline-line", NAT_HOSTS, ADD_LAST, IP_DHCP_HOST,
     "<host mac='52:54:00:ab:cd:ef&#10;52:54:00:00:00:09,10.0.0.9' ip='192.168.122.5'/>", "MAC"),
    ("host-mac-non-ascii", NAT_HOSTS, ADD_LAST, IP_DHCP_HOST, "<host mac='52:54:00:ab:cd:efé' ip='192.168.122.5'/>",
     "MAC"),
    ("host-modify-name", NAT_HOSTS, MODIFY, IP_DHCP_HOST, "<host name='a.example.com&#13;' ip='192.168.122.10'/>",
     "line"),
    ("dns-hostname-newline", DNS_RECORDS, ADD_LAST, DNS_HOST,
     "<host ip='192.168.122.7'><hostname>h1\n10.0.0.1 evil</hostname></host>", "line"),
    ("dns-hostname-space", DNS_RECORDS, ADD_LAST, DNS_HOST, "<host ip='192.168.122.7'><hostname>a b</hostname></host>",
     "field"),
    ("dns-hostname-blank", DNS_RECORDS, ADD_LAST, DNS_HOST, "<host ip='192.168.122.7'><hostname> </hostname></host>",
     "field"),
    ("dns-hostname-comma", DNS_RECORDS, ADD_LAST, DNS_HOST, "<host ip='192.168.122.7'><hostname>a,b</hostname></host>",
     "field"),
    ("txt-value-newline", DNS_RECORDS, ADD_LAST, DNS_TXT, "<txt name='inj' value='x&#10;dhcp-script=/tmp/evil'/>",
     "line"),
    ("txt-value-comma", DNS_RECORDS, ADD_LAST, DNS_TXT, "<txt name='inj' value='a,b'/>", "field"),
    ("srv-target-newline", DNS_RECORDS, ADD_LAST, DNS_SRV,
     "<srv service='inj' protocol='tcp' target='t&#10;conf-file=/x' port='1'/>", "line"),
    ("srv-domain-comma", DNS_RECORDS, ADD_LAST, DNS_SRV, "<srv service='inj' protocol='tcp' domain='d,x'/>", "field"),
]
IDS = [case[0] for case in INJECTIONS]


@pytest.mark.parametrize("case", INJECTIONS, ids=IDS)
def test_update_is_refused(case: tuple) -> None:
    _, base, command, section, xml, kind = case
    defn = network(base)
    before = xml_of(defn)
    code, domain, message = update_error(defn, command, section, xml)
    assert (code, domain) == (27, 19)
    assert message.startswith("XML error: ") and "in network 'net1'" in message
    if kind == "MAC":
        assert "is not only a MAC address" in message
    else:
        assert f"which would add a {kind} to the dnsmasq" in message
    assert xml_of(defn) == before


@pytest.mark.parametrize("case", INJECTIONS, ids=IDS)
def test_only_the_safety_check_refuses_them(case: tuple, testdriver: Any, libvirt_module: Any,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """libvirt accepts each update, and netstore without its safety check makes exactly libvirt's edit."""
    _, base, command, section, xml, _ = case
    name = unique_name("inj")
    definition = network_xml(base, name, uuid=str(uuid.uuid4()))
    net = testdriver.networkDefineXML(definition)
    try:
        net.update(command, section, -1, xml, 0)  # an inactive network: CURRENT is its config
        expected = net.XMLDesc(0)
    finally:
        net.undefine()
    monkeypatch.setattr(safety, "check_item", lambda collection, item, netname: None)
    defn = parse_network_xml(definition)
    assert xml_of(updated(defn, command, section, xml, inactive=True)) == expected


def test_libvirt_refusal_comes_first() -> None:
    """A TXT name with a line feed re-parses with a space, which libvirt itself refuses."""
    error = update_error(network(DNS_RECORDS), ADD_LAST, DNS_TXT, "<txt name='a&#10;b' value='v'/>")
    assert error == (35, 19, "prohibited character in DNS TXT record name 'a b' of network net1")


def test_message_names_value_attribute_and_network() -> None:
    error = update_error(network(NAT_HOSTS), ADD_LAST, IP_DHCP_HOST, "<host name='vm&#10;x' ip='192.168.122.5'/>")
    assert error == (27, 19, "XML error: DHCP <host> attribute 'name' ('vm\\nx') in network 'net1' contains a "
                             "control character (U+000A), which would add a line to the dnsmasq hosts file")


def test_safe_values_pass() -> None:
    defn = updated(network(NAT_HOSTS), ADD_LAST, IP_DHCP_HOST, "<host mac='52:54:0:AB:cd:1' name='vm-1.x_y' "
                                                               "ip='192.168.122.5'/>")
    defn = updated(defn, ADD_LAST, DNS_TXT, "<txt name='spf' value='v=spf1 a mx -all'/>")
    defn = updated(defn, ADD_LAST, DNS_HOST, "<host ip='10.0.0.1'><hostname>é.example</hostname></host>")
    assert len(defn.dns.txts) == 1


def test_deletes_are_not_checked() -> None:
    """A DELETE stores nothing, so a matching key with odd characters is fine."""
    defn = network(DNS_RECORDS)
    assert update_error(defn, 2, DNS_TXT, "<txt name='example' value='a&#10;b'/>") is None


# --- check_network (called when a network is defined)

NETWORK_CASES = [
    ("name", "<forward mode='nat'/><ip address='10.0.0.1' prefix='24'/>", "a&#13;b", "network <name>"),
    ("bridge", "<bridge name='br0,br1'/>", "n", "<bridge> attribute 'name'"),
    ("domain", "<domain name='example.com&#10;dhcp-script=/x'/>", "n", "<domain> attribute 'name'"),
    ("domain-slash", "<domain name='a/b'/>", "n", "<domain> attribute 'name'"),
    ("forwarder", "<dns><forwarder domain='#' addr='8.8.8.8'/></dns>", "n", "DNS <forwarder> attribute 'domain'"),
    ("tftp", "<ip address='10.0.0.1' prefix='24'><tftp root='/srv,eth9'/></ip>", "n", "<tftp> attribute 'root'"),
    ("bootp", "<ip address='10.0.0.1' prefix='24'><dhcp><range start='10.0.0.2' end='10.0.0.9'/>"
              "<bootp file='pxe&#10;x'/></dhcp></ip>", "n", "<bootp> attribute 'file'"),
    ("dhcp-host", "<ip address='10.0.0.1' prefix='24'><dhcp><host name='a b' ip='10.0.0.5'/></dhcp></ip>", "n",
     "DHCP <host> attribute 'name'"),
    ("dhcp-mac", "<ip address='10.0.0.1' prefix='24'><dhcp><host mac='52:54:00:00:00:01 x' ip='10.0.0.5'/>"
                 "</dhcp></ip>", "n", "DHCP <host> attribute 'mac'"),
    ("txt", "<dns><txt name='t' value='a&#10;b'/></dns>", "n", "DNS <txt> attribute 'value'"),
    ("srv", "<dns><srv service='s' protocol='tcp' target='a b'/></dns>", "n", "DNS <srv> attribute 'target'"),
    ("dns-host", "<dns><host ip='10.0.0.1'><hostname>a\tb</hostname></host></dns>", "n", "DNS <host> <hostname>"),
]


@pytest.mark.parametrize("case", NETWORK_CASES, ids=[c[0] for c in NETWORK_CASES])
def test_check_network_refuses(case: tuple) -> None:
    _, body, name, what = case
    defn = parse_network_xml(f"<network><name>{name}</name>{body}</network>")
    with pytest.raises(libvirtError) as raised:
        safety.check_network(defn)
    assert (raised.value.code, raised.value.domain) == (27, 19)
    assert raised.value.detail.startswith(what)


def test_check_network_refuses_dnsmasq_option_lines() -> None:
    defn = network(NAT_HOSTS)
    defn.dnsmasq_options = ["dhcp-option=3", "a\nconf-file=/tmp/x"]
    with pytest.raises(libvirtError, match="dnsmasq:option"):
        safety.check_network(defn)


def test_check_network_accepts_ordinary_networks() -> None:
    safety.check_network(network(NAT_HOSTS))
    safety.check_network(network(DNS_RECORDS.replace("<dns>", "<dns><forwarder domain='example.com' addr='8.8.8.8'/>")))
