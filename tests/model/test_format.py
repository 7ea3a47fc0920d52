"""The formatter, on definitions built by hand (independent of the parser).

Expected texts are libvirt 9.0.0's own output: corpus files, or what
``test:///default`` returned for the equivalent XML (network-xml-format.md
§1-§3, §6).  ``test_matches_oracle`` re-checks the parser + formatter pair on
the edge cases against the live oracle.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from netstore.model import canonical_xml
from netstore.model.address import parse_address
from netstore.model.format import escape, format_network
from netstore.model.types import (
    NAT,
    Bandwidth,
    BandwidthRate,
    Bootp,
    Bridge,
    DHCPHost,
    DHCPRange,
    DNSForwarder,
    DNSHost,
    DNSSrv,
    DNSTxt,
    Domain,
    Forward,
    ForwardIface,
    IPDef,
    Lease,
    NetworkDef,
    PCIAddress,
    PortGroup,
    Route,
    VirtualPort,
    Vlan,
)
from tests.helpers import unique_name

UUID = "81ff0d90-c91e-6742-64da-4a736edb9a9b"
HEAD = f"<network>\n  <name>n</name>\n  <uuid>{UUID}</uuid>\n"
L3_BRIDGE = "  <bridge stp='on' delay='0'/>\n"


def net(**fields: Any) -> NetworkDef:
    return NetworkDef(name=fields.pop("name", "n"), uuid=UUID, **fields)


def body(defn: NetworkDef, inactive: bool = False) -> str:
    """The formatted XML between ``<uuid>`` and ``</network>``."""
    text = format_network(defn, inactive)
    assert text.startswith(HEAD) and text.endswith("</network>\n")
    return text[len(HEAD) : -len("</network>\n")]


# --- whole documents from the corpus ------------------------------------------------------------


def _nat_address_network() -> NetworkDef:
    defn = net(name="default")
    defn.forward = Forward(
        mode="nat",
        nat=NAT(address_start=parse_address("10.20.30.40"), address_end=parse_address("10.20.30.44"), port_start=60000, port_end=65432),
        ifaces=[ForwardIface(dev="eth1")],
    )
    defn.bridge = Bridge(name="virbr0")
    first = IPDef(parse_address("192.168.122.1"), netmask=parse_address("255.255.255.0"))
    first.ranges.append(DHCPRange(parse_address("192.168.122.2"), parse_address("192.168.122.254")))
    first.hosts += [
        DHCPHost(mac="00:16:3e:77:e2:ed", name="a.example.com", ip=parse_address("192.168.122.10")),
        DHCPHost(mac="00:16:3e:3e:a9:1a", name="b.example.com", ip=parse_address("192.168.122.11")),
    ]
    defn.ips = [
        first,
        IPDef(parse_address("192.168.123.1"), family="ipv4", netmask=parse_address("255.255.255.0")),
        IPDef(parse_address("2001:db8:ac10:fe01::1"), family="ipv6", prefix=64),
        IPDef(parse_address("2001:db8:ac10:fd01::1"), family="ipv6", prefix=64),
        IPDef(parse_address("10.24.10.1"), family="ipv4"),
    ]
    return defn


def _openvswitch_network() -> NetworkDef:
    defn = net(name="openvswitch-net")
    defn.uuid = "81ff0d90-c92e-6742-64da-4a736edb9a8b"
    defn.forward = Forward(mode="bridge")
    defn.virtualport = VirtualPort(type="openvswitch")
    defn.portgroups = [
        PortGroup("bob", is_default=True, vlan=Vlan([666], trunk=True),
                  virtualport=VirtualPort(profileid="bob-profile")),
        PortGroup("alice", vlan=Vlan([777, 888, 999], trunk=True),
                  virtualport=VirtualPort(profileid="alice-profile")),
        PortGroup("native", vlan=Vlan([123, 444], trunk=True, native_mode="tagged", native_tag=123),
                  virtualport=VirtualPort(profileid="native-profile")),
    ]
    return defn


def _hostdev_pf_network() -> NetworkDef:
    defn = net(name="hostdev")
    defn.forward = Forward(mode="hostdev", managed=True, driver="vfio", pfs=["eth2"])
    return defn


def _leasetime_hours_network() -> NetworkDef:
    defn = net(name="default")
    defn.forward = Forward(mode="nat", ifaces=[ForwardIface(dev="eth1")])
    defn.bridge = Bridge(name="virbr0")
    ipdef = IPDef(parse_address("192.168.122.1"), netmask=parse_address("255.255.255.0"))
    ipdef.ranges.append(DHCPRange(parse_address("192.168.122.2"), parse_address("192.168.122.254"), Lease(1, "hours")))
    ipdef.hosts += [
        DHCPHost(mac="00:16:3e:77:e2:ed", name="a.example.com", ip=parse_address("192.168.122.10"), lease=Lease(2, "hours")),
        DHCPHost(mac="00:16:3e:3e:a9:1a", name="b.example.com", ip=parse_address("192.168.122.11"), lease=Lease(3, "hours")),
    ]
    defn.ips = [ipdef]
    return defn


def _metadata_network() -> NetworkDef:
    defn = net(name="host-bridge-net", metadata=(
        '<metadata>\n    <app1:foo xmlns:app1="http://foo.org/">fooish</app1:foo>\n'
        '    <app2:bar xmlns:app2="http://bar.com/" maman="baz">barish</app2:bar>\n  </metadata>'))
    defn.uuid = "81ff0d90-c91e-6742-64da-4a736edb9a8e"
    defn.forward = Forward(mode="bridge")
    defn.bridge = Bridge(name="br0")
    return defn


def _dnsmasq_options_network() -> NetworkDef:
    defn = net(name="default", dnsmasq_options=["foo=bar", "cname=*.cloudapps.example.com,master.example.com"])
    defn.uuid = "81ff0d90-c91e-6742-64da-4a736edb9a9b"
    defn.forward = Forward(mode="nat", ifaces=[ForwardIface(dev="eth1")])
    defn.bridge = Bridge(name="virbr0")
    ipdef = IPDef(parse_address("192.168.122.1"), netmask=parse_address("255.255.255.0"))
    ipdef.ranges.append(DHCPRange(parse_address("192.168.122.2"), parse_address("192.168.122.254")))
    defn.ips = [ipdef]
    return defn


def _routed_dhcp6_network() -> NetworkDef:
    defn = net(name="local", mac="12:34:56:78:9a:bc")
    defn.forward = Forward(mode="route", ifaces=[ForwardIface(dev="eth1")])
    defn.bridge = Bridge(name="virbr1")
    v4 = IPDef(parse_address("192.168.122.1"), netmask=parse_address("255.255.255.0"))
    v4.hosts += [
        DHCPHost(mac="00:16:3e:77:e2:ed", name="a.example.com", ip=parse_address("192.168.122.10")),
        DHCPHost(mac="00:16:3e:3e:a9:1a", name="b.example.com", ip=parse_address("192.168.122.11")),
    ]
    v6 = IPDef(parse_address("2001:db8:ac10:fd01::1"), family="ipv6", prefix=64)
    v6.hosts += [
        DHCPHost(id="0:4:7e:7d:f0:7d:a8:bc:c5:d2:13:32:11:ed:16:ea:84:63", ip=parse_address("2001:db8:ac10:fd01::1:20")),
        DHCPHost(name="paul", ip=parse_address("2001:db8:ac10:fd01::1:21")),
        DHCPHost(id="0:3:0:1:0:16:3e:11:22:33", name="peter.xyz", ip=parse_address("2001:db8:ac10:fd01::1:22")),
        DHCPHost(id="0:3:0:1:0:16:3e:44:55:33", ip=parse_address("2001:db8:ac10:fd01::1:23")),
        DHCPHost(id="0:1:0:1:18:aa:62:fe:0:16:3e:44:55:66", name="badbob", ip=parse_address("2001:db8:ac10:fd01::1:24")),
    ]
    defn.ips = [v4, v6]
    defn.routes = [
        Route(parse_address("192.168.222.0"), parse_address("192.168.122.10"), netmask=parse_address("255.255.255.0")),
        Route(parse_address("2001:db8:ac10:fc00::"), parse_address("2001:db8:ac10:fd01::1:24"), family="ipv6", prefix=64),
    ]
    return defn


CORPUS = {
    "nat-network-forward-nat-address": _nat_address_network,
    "openvswitch-net": _openvswitch_network,
    "hostdev-pf": _hostdev_pf_network,
    "leasetime-hours": _leasetime_hours_network,
    "metadata": _metadata_network,
    "dnsmasq-options": _dnsmasq_options_network,
    "dhcp6host-routed-network": _routed_dhcp6_network,
}


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_corpus_document(name: str, corpus_dir: Path) -> None:
    expected = (corpus_dir / "networkxml2xmlout" / f"{name}.xml").read_text(encoding="utf-8")
    assert format_network(CORPUS[name]()) == expected


# --- lexical rules --------------------------------------------------------------------------------


def test_escape_rules() -> None:
    assert escape("plain é 😀") == "plain é 😀"
    assert escape("a&b<c>d\"e'f") == "a&amp;b&lt;c&gt;d&quot;e&apos;f"
    assert escape("t\tl\nc\r") == "t\tl\nc\r"
    assert escape("x\x01\x08\x0b\x1f&") == "x&amp;"


def test_document_ends_with_one_newline() -> None:
    text = format_network(net())
    assert text == HEAD + L3_BRIDGE + "</network>\n"


def test_name_is_escaped_and_raw_fields_are_not() -> None:
    defn = net(name="a'b&<", domain=Domain("d&'<"))
    ipdef = IPDef(parse_address("10.0.0.1"), prefix=8)
    ipdef.hosts.append(DHCPHost(mac="AA:bb:0:1:2:3 x&", id="<id>", name="n'&", ip=parse_address("10.0.0.2")))
    defn.ips = [ipdef]
    defn.portgroups = [PortGroup("p'&<", virtualport=VirtualPort(profileid="pr'&"))]
    text = format_network(defn)
    assert "<name>a&apos;b&amp;&lt;</name>" in text
    assert "<domain name='d&'<'/>" in text
    assert "<host mac='AA:bb:0:1:2:3 x&' id='<id>' name='n'&' ip='10.0.0.2'/>" in text
    assert "<portgroup name='p'&<'>" in text
    assert "<parameters profileid='pr'&'/>" in text


def test_root_attributes_and_connections() -> None:
    defn = net(ipv6=True, trust_guest_rx_filters=False, connections=3, dnsmasq_options=["a"])
    head = "<network xmlns:dnsmasq='http://libvirt.org/schemas/network/dnsmasq/1.0'"
    assert format_network(defn).startswith(f"{head} connections='3' ipv6='yes' trustGuestRxFilters='no'>\n")
    assert format_network(defn, inactive=True).startswith(f"{head} ipv6='yes' trustGuestRxFilters='no'>\n")


# --- forward ----------------------------------------------------------------------------------------


def test_forward_dev_comes_from_first_netdev_interface() -> None:
    defn = net(forward=Forward(mode="bridge", ifaces=[ForwardIface(dev="e&1", connections=2), ForwardIface(dev="e2")]))
    assert body(defn) == (
        "  <forward dev='e&amp;1' mode='bridge'>\n"
        "    <interface dev='e&amp;1' connections='2'/>\n"
        "    <interface dev='e2'/>\n"
        "  </forward>\n"
    )
    assert "connections" not in body(defn, inactive=True)


def test_forward_pf_hides_dev_and_inactive_drops_the_pool() -> None:
    pool = [ForwardIface(dev="vf1", connections=1), ForwardIface(dev="vf2")]
    defn = net(forward=Forward(mode="passthrough", pfs=["eth2"], ifaces=pool))
    assert body(defn) == (
        "  <forward mode='passthrough'>\n"
        "    <pf dev='eth2'/>\n"
        "    <interface dev='vf1' connections='1'/>\n"
        "    <interface dev='vf2'/>\n"
        "  </forward>\n"
    )
    assert body(defn, inactive=True) == "  <forward mode='passthrough'>\n    <pf dev='eth2'/>\n  </forward>\n"


def test_forward_pci_pool_and_managed_only_for_hostdev() -> None:
    pool = [ForwardIface(pci=PCIAddress(0x12345, 0x3, 0x1F, 7)), ForwardIface(pci=PCIAddress())]
    defn = net(forward=Forward(mode="hostdev", ifaces=pool))
    assert body(defn) == (
        "  <forward mode='hostdev' managed='no'>\n"
        "    <address type='pci' domain='0x12345' bus='0x03' slot='0x1f' function='0x7'/>\n"
        "    <address type='pci' domain='0x0000' bus='0x00' slot='0x00' function='0x0'/>\n"
        "  </forward>\n"
    )
    assert body(net(forward=Forward(mode="vepa", managed=True))) == "  <forward mode='vepa'/>\n"


@pytest.mark.parametrize(
    ("nat", "expected"),
    [
        (NAT(), "  <forward mode='nat'/>\n"),
        (NAT(ipv6=False), "  <forward mode='nat'>\n    <nat ipv6='no'/>\n  </forward>\n"),
        (NAT(ipv6=True, port_start=1024, port_end=2048),
         "  <forward mode='nat'>\n    <nat ipv6='yes'>\n      <port start='1024' end='2048'/>\n"
         "    </nat>\n  </forward>\n"),
    ],
)
def test_forward_nat_layouts(nat: NAT, expected: str) -> None:
    defn = net(forward=Forward(mode="nat", nat=nat), ips=[IPDef(parse_address("10.0.0.1"), prefix=8)])
    assert body(defn).startswith(expected)


def test_forward_driver_makes_the_element_open() -> None:
    defn = net(forward=Forward(mode="bridge", driver="kvm"))
    assert body(defn) == "  <forward mode='bridge'>\n    <driver name='kvm'/>\n  </forward>\n"


# --- bridge, mtu, mac, domain -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "bridge", "expected"),
    [
        ("none", Bridge(), L3_BRIDGE),
        ("route", Bridge(name="b&r", zone="z", stp=False, delay=(1 << 64) - 1, mac_table_manager="libvirt"),
         "  <bridge name='b&amp;r' zone='z' stp='off' delay='-1' macTableManager='libvirt'/>\n"),
        ("bridge", Bridge(), ""),
        ("bridge", Bridge(name="br0", stp=False, delay=5), "  <bridge name='br0'/>\n"),
        ("private", Bridge(mac_table_manager="kernel"), "  <bridge macTableManager='kernel'/>\n"),
    ],
)
def test_bridge(mode: str, bridge: Bridge, expected: str) -> None:
    defn = net(forward=Forward(mode=mode), bridge=bridge)
    text = body(defn)
    if mode != "none":
        text = text.split("\n", 1)[1]
    assert text == expected


def test_mtu_mac_domain() -> None:
    defn = net(mtu=4294967295, mac="52:54:00:aa:bb:cc", domain=Domain("", local_only=False))
    assert body(defn) == (
        L3_BRIDGE + "  <mtu size='4294967295'/>\n  <mac address='52:54:00:aa:bb:cc'/>\n"
        "  <domain name='' localOnly='no'/>\n"
    )


# --- dns -------------------------------------------------------------------------------------------


def test_dns_is_left_out_or_self_closed() -> None:
    defn = net()
    assert "<dns" not in body(defn)
    defn.dns.forward_plain_names = False
    defn.dns.enable = True
    assert body(defn) == L3_BRIDGE + "  <dns enable='yes' forwardPlainNames='no'/>\n"


def test_dns_children_are_grouped_by_kind() -> None:
    defn = net()
    dns = defn.dns
    dns.hosts = [DNSHost(parse_address("::1"), ["a&b", " "])]
    dns.srvs = [DNSSrv("s", "tcp", domain="d'", target="", port=1, priority=0, weight=65535),
                DNSSrv("", "")]
    dns.txts = [DNSTxt("t", "v<")]
    dns.forwarders = [DNSForwarder(domain="x&", addr=parse_address("8.8.8.8")), DNSForwarder(domain="")]
    assert body(defn) == L3_BRIDGE + (
        "  <dns>\n"
        "    <forwarder domain='x&amp;' addr='8.8.8.8'/>\n"
        "    <forwarder domain=''/>\n"
        "    <txt name='t' value='v&lt;'/>\n"
        "    <srv service='s' protocol='tcp' domain='d&apos;' target='' port='1' weight='65535'/>\n"
        "    <srv service='' protocol=''/>\n"
        "    <host ip='::1'>\n"
        "      <hostname>a&amp;b</hostname>\n"
        "      <hostname> </hostname>\n"
        "    </host>\n"
        "  </dns>\n"
    )


def test_dns_txt_without_value_is_written_like_libvirt() -> None:
    """libvirt's virBufferEscapeString writes nothing for a NULL value (an upstream bug)."""
    defn = net()
    defn.dns.txts = [DNSTxt("t")]
    assert "    <txt name='t'   </dns>\n" in format_network(defn)


# --- vlan, bandwidth, port, virtualport, portgroup ---------------------------------------------------


def test_vlan_native_mode_on_every_matching_tag() -> None:
    defn = net(vlan=Vlan([5, 5, 0], trunk=True, native_mode="untagged", native_tag=5))
    assert body(defn) == L3_BRIDGE + (
        "  <vlan trunk='yes'>\n"
        "    <tag id='5' nativeMode='untagged'/>\n"
        "    <tag id='5' nativeMode='untagged'/>\n"
        "    <tag id='0'/>\n"
        "  </vlan>\n"
    )


def test_bandwidth_rates_and_empty_form() -> None:
    defn = net(bandwidth=Bandwidth(outbound=BandwidthRate(average=3, burst=2), inbound=BandwidthRate(peak=5)))
    assert body(defn) == L3_BRIDGE + "  <bandwidth>\n    <outbound average='3' burst='2'/>\n  </bandwidth>\n"
    defn.bandwidth = Bandwidth(inbound=BandwidthRate(1, 2, 0, 3))
    assert "    <inbound average='1' peak='2' burst='3'/>\n" in body(defn)
    defn.bandwidth = Bandwidth(inbound=BandwidthRate(0))
    assert body(defn) == L3_BRIDGE + "  <bandwidth>\n  </bandwidth>\n"


def test_port_isolated() -> None:
    assert body(net(port_isolated=False)) == L3_BRIDGE + "  <port isolated='no'/>\n"


@pytest.mark.parametrize(
    ("vport", "expected"),
    [
        (VirtualPort(), ""),
        (VirtualPort(type="802.1Qbh"), "  <virtualport type='802.1Qbh'/>\n"),
        (VirtualPort(type="midonet", managerid=1),
         "  <virtualport type='midonet'>\n    <parameters/>\n  </virtualport>\n"),
        (VirtualPort(type="802.1Qbg", managerid=0, typeid=63, typeidversion=3,
                     instanceid="11111111-2222-3333-4444-555555555555"),
         "  <virtualport type='802.1Qbg'>\n    <parameters managerid='0' typeid='63' typeidversion='3'"
         " instanceid='11111111-2222-3333-4444-555555555555'/>\n  </virtualport>\n"),
        (VirtualPort(type="openvswitch", interfaceid="11111111-2222-3333-4444-555555555555", profileid="p"),
         "  <virtualport type='openvswitch'>\n    <parameters"
         " interfaceid='11111111-2222-3333-4444-555555555555' profileid='p'/>\n  </virtualport>\n"),
    ],
)
def test_virtualport(vport: VirtualPort, expected: str) -> None:
    assert body(net(virtualport=vport)) == L3_BRIDGE + expected


def test_portgroup_never_self_closed_and_children_in_fixed_order() -> None:
    defn = net()
    defn.portgroups = [
        PortGroup("empty"),
        PortGroup("full", is_default=True, trust_guest_rx_filters=True,
                  bandwidth=Bandwidth(inbound=BandwidthRate(1)), virtualport=VirtualPort(type="802.1Qbg"),
                  vlan=Vlan([3])),
    ]
    assert body(defn) == L3_BRIDGE + (
        "  <portgroup name='empty'>\n  </portgroup>\n"
        "  <portgroup name='full' default='yes' trustGuestRxFilters='yes'>\n"
        "    <vlan>\n      <tag id='3'/>\n    </vlan>\n"
        "    <virtualport type='802.1Qbg'/>\n"
        "    <bandwidth>\n      <inbound average='1'/>\n    </bandwidth>\n"
        "  </portgroup>\n"
    )


# --- ip, dhcp, routes ---------------------------------------------------------------------------------


def test_ip_never_self_closed_and_dhcp_needs_a_range_or_host() -> None:
    ipdef = IPDef(parse_address("192.168.1.1"), family="ipv4", netmask=parse_address("255.0.255.0"), local_ptr=True,
                  tftp_root="/t&", bootp=Bootp("f'", parse_address("::1")))
    assert body(net(ips=[ipdef])) == L3_BRIDGE + (
        "  <ip family='ipv4' address='192.168.1.1' netmask='255.0.255.0' localPtr='yes'>\n"
        "    <tftp root='/t&amp;'/>\n"
        "  </ip>\n"
    )
    ipdef.hosts.append(DHCPHost(name="h", ip=parse_address("192.168.1.9"), lease=Lease(0, "hours")))
    ipdef.ranges.append(DHCPRange(parse_address("192.168.1.2"), parse_address("192.168.1.3"), Lease(120, "seconds")))
    assert body(net(ips=[ipdef])).endswith(
        "    <dhcp>\n"
        "      <range start='192.168.1.2' end='192.168.1.3'>\n"
        "        <lease expiry='120' unit='seconds'/>\n"
        "      </range>\n"
        "      <host name='h' ip='192.168.1.9'>\n"
        "        <lease expiry='0'/>\n"
        "      </host>\n"
        "      <bootp file='f&apos;' server='::1'/>\n"
        "    </dhcp>\n"
        "  </ip>\n"
    )


def test_ip_prefix_zero_dropped_route_prefix_zero_kept() -> None:
    defn = net(ips=[IPDef(parse_address("10.0.0.1"), prefix=0)])
    defn.routes = [Route(parse_address("0.0.0.0"), parse_address("10.0.0.2"), family="ipv4", prefix=0, metric=7)]
    assert body(defn) == L3_BRIDGE + (
        "  <ip address='10.0.0.1'>\n  </ip>\n"
        "  <route family='ipv4' address='0.0.0.0' prefix='0' gateway='10.0.0.2' metric='7'/>\n"
    )


# --- against the live oracle ---------------------------------------------------------------------------

ORACLE_CASES = [
    "<name>a&amp;'\"é</name><domain name='a&amp;b&lt;' localOnly='yes'/>",
    "<forward mode='route'/><bridge name='b&#9;r' zone='z' stp='no' delay='18446744073709551615'/>"
    "<ip address='10.1' prefix='8'/>",
    "<forward mode='nat'><nat ipv6='yes'><address start='10.0.0.5' end='10.0.0.9'/><port start='1' end='2'/>"
    "</nat></forward><ip address='10.0.0.1' prefix='8'/>",
    "<forward mode='hostdev' managed='YES'><driver name='vfio'/><address type='pci' domain='0x12345' bus='3'"
    " slot='037' function='7'/><address type='pci'/></forward>",
    "<forward mode='bridge'><pf dev='x'/><interface dev='eth0'/><interface dev='e&amp;1'/></forward>",
    "<dns enable='yes'><host ip='1.1.1.1'><hostname>a</hostname><hostname/></host><srv service='s' protocol='p'"
    " target='' port='+5' priority='0'/><txt name='t' value='a&#10;b'/><forwarder addr='1.2'/></dns>",
    "<vlan trunk='YES'><tag id='0' nativeMode='untagged'/><tag id='0'/></vlan>"
    "<bandwidth><outbound average='0' peak='5'/></bandwidth><port isolated='no'/>",
    "<virtualport type='midonet'><parameters managerid='0x10' interfaceid='11111111-2222-3333-4444-555555555555'/>"
    "</virtualport><portgroup name=\"a'b\" default='yes'/>",
    "<ip address='192.168.1.1' netmask='255.255.255.0' localPtr='no'><tftp root='/x'/><dhcp>"
    "<bootp file='f'/><host mac='AA:BB:cc:0:1:2' name='h' ip='192.168.1.5'><lease expiry='0' unit='hours'/>"
    "</host><range start='192.168.1.10' end='192.168.1.20'><lease expiry='5'/></range></dhcp></ip>"
    "<route address='192.168.2.0' prefix='24' gateway='192.168.1.2' metric='3'/>",
    "<ip address='10.0.0.1' prefix='8'/><route family='ipv4' address='0.0.0.0' prefix='0' gateway='10.0.0.2'"
    " metric='7'/><route address='192.168.0.0' netmask='255.255.0.0' gateway='10.0.0.3'/>",
]


@pytest.mark.parametrize("inner", ORACLE_CASES)
def test_matches_oracle(inner: str, testdriver: Any) -> None:
    name = unique_name("fmt")
    if inner.startswith("<name>"):
        name_part, inner = inner.split("</name>", 1)
        xml = f"<network>{name_part}</name><uuid>{UUID}</uuid>{inner}</network>"
    else:
        xml = f"<network><name>{name}</name><uuid>{UUID}</uuid>{inner}</network>"
    network = testdriver.networkDefineXML(xml)
    try:
        expected = network.XMLDesc(0)
    finally:
        network.undefine()
    assert canonical_xml(xml) == expected
