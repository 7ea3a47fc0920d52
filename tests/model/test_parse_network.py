"""virNetworkDefParseXML: the root, identity, bridge/mac/mtu, the mode rules and
libvirt's parse order.  Every expectation below was taken from libvirt 9.0.0's
test driver; ``test_errors_agree_with_libvirt`` re-checks them when
libvirt-python is installed."""

from __future__ import annotations

import pytest

from netstore.errors import libvirtError
from netstore.model.format import format_network
from netstore.model.parse_network import needs_roundtrip, parse_network_xml
from tests.model.parse_oracle import error_of, libvirt_outcome, netstore_outcome

UUID = "81ff0d90-c91e-6742-64da-4a736edb9a9b"
IP = "<ip address='10.0.0.1' prefix='24'/>"


def net(body: str = "", name: str = "t", root: str = "") -> str:
    return f"<network{root}><name>{name}</name>{body}</network>"


ERRORS = [
    ('root-name', '<netwrk><name>t</name></netwrk>', (27, 5, "XML error: expecting root element of 'network', not 'netwrk'")),
    ('root-undeclared-prefix', '<x:network><name>t</name></x:network>', (27, 5, "XML error: expecting root element of 'network', not 'x:network'")),
    ('name-missing', '<network><uuid>81ff0d90-c91e-6742-64da-4a736edb9a9b</uuid></network>', (21, 19, 'missing name information')),
    ('name-empty', '<network><name></name><name>t</name></network>', (21, 19, 'missing name information')),
    ('name-default-namespace', "<network xmlns='urn:x'><name>t</name></network>", (21, 19, 'missing name information')),
    ('name-slash', '<network><name>a/b</name></network>', (35, 5, 'invalid char in name: /')),
    ('uuid-malformed', '<network><name>t</name><uuid>1111111-12222-3333-4444-555555555555</uuid></network>', (1, 19, 'internal error: malformed uuid element')),
    ('uuid-too-long', '<network><name>t</name><uuid>abcdef0123456789abcdef01234567890</uuid></network>', (1, 19, 'internal error: malformed uuid element')),
    ('ipv6-case', "<network ipv6='YES'><name>t</name></network>", (27, 19, "XML error: Invalid ipv6 setting 'YES' in network 't'")),
    ('trust-empty', "<network trustGuestRxFilters=''><name>t</name></network>", (27, 5, "XML error: Invalid value for attribute 'trustGuestRxFilters' in element 'network': ''.")),
    ('trust-default', "<network trustGuestRxFilters='default'><name>t</name></network>", (27, 5, "XML error: Invalid value for attribute 'trustGuestRxFilters' in element 'network': 'default'.")),
    ('domain-localonly', "<network><name>t</name><domain name='x' localOnly='NO'/></network>", (27, 5, "XML error: Invalid value for attribute 'localOnly' in element 'domain': 'NO'.")),
    ('port-isolated', "<network><name>t</name><port isolated=''/></network>", (27, 5, "XML error: Invalid value for attribute 'isolated' in element 'port': ''.")),
    ('bridge-delay-hex', "<network><name>t</name><bridge delay='0x10'/></network>", (27, 19, "XML error: Invalid delay value in network 't'")),
    ('bridge-delay-trailing-space', "<network><name>t</name><bridge delay='7 '/></network>", (27, 19, "XML error: Invalid delay value in network 't'")),
    ('bridge-delay-negative', "<network><name>t</name><bridge delay='-1'/></network>", (27, 19, "XML error: Invalid delay value in network 't'")),
    ('bridge-delay-overflow', "<network><name>t</name><bridge delay='18446744073709551616'/></network>", (27, 19, "XML error: Invalid delay value in network 't'")),
    ('bridge-mac-table-default', "<network><name>t</name><bridge macTableManager='default'/></network>", (27, 19, "XML error: Invalid macTableManager setting 'default' in network 't'")),
    ('mac-dashes', "<network><name>t</name><mac address='52-54-00-ab-cd-ef'/></network>", (27, 19, "XML error: Invalid bridge mac address '52-54-00-ab-cd-ef' in network 't'")),
    ('mac-leading-space', "<network><name>t</name><mac address=' 52:54:00:ab:cd:ef'/></network>", (27, 19, "XML error: Invalid bridge mac address ' 52:54:00:ab:cd:ef' in network 't'")),
    ('mac-multicast', "<network><name>t</name><mac address='01:00:00:00:00:00'/></network>", (27, 19, "XML error: Invalid multicast bridge mac address '01:00:00:00:00:00' in network 't'")),
    ('mtu-hex', "<network><name>t</name><mtu size='0x10'/></network>", (27, 19, "XML error: Invalid mtu size '0x10' in network 't'")),
    ('mtu-overflow', "<network><name>t</name><mtu size='4294967296'/></network>", (27, 19, "XML error: Invalid mtu size '4294967296' in network 't'")),
    ('mode-nat-no-ip', '<network><name>t</name><forward/></network>', (27, 19, "XML error: nat forwarding requested, but no IP address provided for network 't'")),
    ('mode-route-no-ip', "<network><name>t</name><forward mode='route'/></network>", (27, 19, "XML error: route forwarding requested, but no IP address provided for network 't'")),
    ('mode-route-two-interfaces', "<network><name>t</name><ip address='10.0.0.1' prefix='24'/><forward mode='route'><interface dev='a'/><interface dev='b'/></forward></network>", (27, 19, "XML error: multiple forwarding interfaces specified for network 't', only one is supported")),
    ('mode-open-dev', "<network><name>t</name><ip address='10.0.0.1' prefix='24'/><forward mode='open' dev='x'/></network>", (27, 19, "XML error: forward dev not allowed for network 't' with forward mode='open'")),
    ('mode-private-bridge-name', "<network><name>t</name><bridge name='br0'/><forward mode='private'/></network>", (27, 19, "XML error: bridge name not allowed in private mode (network 't')")),
    ('mode-vepa-zone', "<network><name>t</name><bridge zone='z'/><forward mode='vepa'/></network>", (27, 19, "XML error: bridge zone not allowed in vepa mode (network 't')")),
    ('mode-hostdev-mac-table', "<network><name>t</name><bridge macTableManager='kernel'/><forward mode='hostdev'/></network>", (27, 19, "XML error: bridge macTableManager setting not allowed in hostdev mode (network 't')")),
    ('mode-bridge-zone', "<network><name>t</name><bridge zone='z'/><forward mode='bridge'/></network>", (27, 19, "XML error: bridge delay/stp/zone options only allowed in route, nat, and isolated mode, not in bridge (network 't')")),
    ('mode-bridge-stp-on', "<network><name>t</name><bridge stp='on'/><forward mode='bridge'/></network>", (27, 19, "XML error: bridge delay/stp/zone options only allowed in route, nat, and isolated mode, not in bridge (network 't')")),
    ('mode-bridge-delay', "<network><name>t</name><bridge delay='1'/><forward mode='bridge'/></network>", (27, 19, "XML error: bridge delay/stp/zone options only allowed in route, nat, and isolated mode, not in bridge (network 't')")),
    ('mode-bridge-name-and-dev', "<network><name>t</name><bridge name='br0'/><forward mode='bridge'><interface dev='e'/></forward></network>", (27, 19, "XML error: A network with forward mode='bridge' can specify a bridge name or a forward dev, but not both (network 't')")),
    ('mode-passthrough-pf-and-name', "<network><name>t</name><bridge name='br0'/><forward mode='bridge'><pf dev='e'/></forward></network>", (27, 19, "XML error: A network with forward mode='bridge' can specify a bridge name or a forward dev, but not both (network 't')")),
    ('mode-bridge-mtu', "<network><name>t</name><bridge name='br0'/><mtu size='1500'/><forward mode='bridge'/></network>", (27, 19, "XML error: mtu size only allowed in open, route, nat, and isolated mode, not in bridge (network 't')")),
    ('mode-hostdev-mtu', "<network><name>t</name><mtu size='1500'/><forward mode='hostdev'/></network>", (27, 19, "XML error: mtu size only allowed in open, route, nat, and isolated mode, not in hostdev (network 't')")),
    ('order-bridge-before-domain', "<network><name>t</name><bridge delay='x'/><domain localOnly='x'/></network>", (27, 5, "XML error: Invalid value for attribute 'localOnly' in element 'domain': 'x'.")),
    ('order-port-before-bridge', "<network><name>t</name><bridge delay='x'/><port isolated='x'/></network>", (27, 5, "XML error: Invalid value for attribute 'isolated' in element 'port': 'x'.")),
    ('order-mac-before-mtu', "<network><name>t</name><mtu size='x'/><mac address='x'/></network>", (27, 19, "XML error: Invalid bridge mac address 'x' in network 't'")),
    ('order-mtu-before-dns', "<network><name>t</name><dns enable='x'/><mtu size='x'/></network>", (27, 19, "XML error: Invalid mtu size 'x' in network 't'")),
    ('order-ip-before-forward', "<network><name>t</name><forward mode='bogus'/><ip address='bogus'/></network>", (27, 19, "XML error: Invalid address 'bogus' in network 't'")),
    ('order-portgroup-before-ip', "<network><name>t</name><ip address='bogus'/><portgroup/></network>", (27, 19, 'XML error: Missing required name attribute in portgroup')),
    ('order-route-before-forward', "<network><name>t</name><forward mode='bogus'/><route address='bogus'/></network>", (27, 19, 'XML error: t: Missing required gateway attribute in route definition')),
    ('order-uuid-before-ipv6', "<network ipv6='x'><name>t</name><uuid>x</uuid></network>", (1, 19, 'internal error: malformed uuid element')),
    ('order-forward-before-mode-rules', "<network><name>t</name><forward mode='nat'><nat/><nat/></forward></network>", (27, 19, 'XML error: Only one <nat> element is allowed in <forward> of network t')),
    ('order-mode-rules-before-mtu', "<network><name>t</name><bridge zone='z'/><mtu size='1'/><forward mode='bridge'/></network>", (27, 19, "XML error: bridge delay/stp/zone options only allowed in route, nat, and isolated mode, not in bridge (network 't')")),
]


@pytest.mark.parametrize(("xml", "expected"), [c[1:] for c in ERRORS], ids=[c[0] for c in ERRORS])
def test_error(xml: str, expected: tuple[int, int, str]) -> None:
    assert error_of(lambda: parse_network_xml(xml)) == expected


@pytest.mark.parametrize("xml", [c[1] for c in ERRORS], ids=[c[0] for c in ERRORS])
def test_errors_agree_with_libvirt(xml: str, testdriver) -> None:
    assert netstore_outcome(xml) == libvirt_outcome(testdriver, xml)


ACCEPTED = [
    net("", name="  x  "),
    net("", name="a'b\"c&amp;d"),
    net("", name="a<b>c</b>d<!--c-->e"),
    net("", name="<![CDATA[a<b]]>"),
    net("", name="\u00e9\u65e5"),
    "<n:network xmlns:n='urn:n'><name>t</name></n:network>",
    net(f"<uuid>{UUID.upper().replace('-', '')}</uuid>"),
    net("<uuid>  81 ff 0d 90-c91e-6742-64da-4a736edb9a9b \n</uuid>"),
    net("<uuid></uuid>"),
    net(f"<uuid>{UUID}</uuid><uuid>bogus</uuid>"),
    net("", root=" ipv6='yes' trustGuestRxFilters='no' connections='5'"),
    net("", root=" ipv6='no'"),
    net("", root=" ipv6=''"),
    net("<domain name=''/>"),
    net("<domain localOnly='yes'/>"),
    net("<domain xmlns:q='urn:q' q:name='first' name='second' localOnly='no'/>"),
    net("<port isolated='no'/><port isolated='bogus'/>"),
    net("<port/>"),
    net("<bridge name='br0' stp='no' delay=' +7' macTableManager='libvirt'/><bridge name='x'/>"),
    net("<bridge stp='off' delay='18446744073709551615' zone='public'/>"),
    net("<bridge name='' stp='' delay='' macTableManager=''/>"),
    net("<mac address='2:4:0:A:b:c junk'/>"),
    net("<mac xmlns:q='urn:q' q:address='01:00:00:00:00:00'/>"),
    net("<mtu/><mtu size='9000'/>"),
    net("<mtu size=''/><mtu size='9000'/>"),
    net("<mtu size='-1'/>"),
    net("<mtu size='+01500'/>"),
    net("<mtu size='0'/>"),
    net("<bridge delay='0'/><forward mode='bridge'/>"),
    net("<bridge name='br0' stp=''/><forward mode='bridge'/>"),
    net("<bridge name='br0' macTableManager='kernel'/><forward mode='bridge'/>"),
    net("<forward mode='passthrough'/>" + IP + "<mac address='52:54:00:00:00:01'/><domain name='d'/>"),
    net("<mtu size='0'/><forward mode='hostdev'/>"),
    net("<forward mode='none'/>"),
    net("<title>T</title><description>D</description>"),
]


@pytest.mark.parametrize("xml", ACCEPTED)
def test_accepted_inputs_agree_with_libvirt(xml: str, testdriver) -> None:
    assert netstore_outcome(xml) == libvirt_outcome(testdriver, xml)


def test_name_takes_all_descendant_text_and_keeps_blanks() -> None:
    assert parse_network_xml(net("", name="  a<b>c</b>d<!--x-->e  ")).name == "  acde  "
    assert parse_network_xml(net("", name="   ")).name == "   "


def test_uuid_is_canonical_or_generated() -> None:
    given = parse_network_xml(net(f"<uuid>{UUID.upper().replace('-', '')}</uuid>"))
    assert given.uuid == UUID
    first, second = (parse_network_xml(net("<uuid></uuid>")).uuid for _ in range(2))
    assert first != second
    assert first[14] == "4" and first[19] in "89ab"


def test_root_attributes() -> None:
    defn = parse_network_xml(net("", root=" ipv6='yes' trustGuestRxFilters='no' connections='5'"))
    assert (defn.ipv6, defn.trust_guest_rx_filters, defn.connections) == (True, False, 0)
    assert parse_network_xml(net("", root=" ipv6=''")).ipv6 is False


def test_domain_keeps_empty_name_and_needs_a_name() -> None:
    assert parse_network_xml(net("<domain name=''/>")).domain.name == ""
    assert parse_network_xml(net("<domain localOnly='yes'/>")).domain is None
    namespaced = parse_network_xml(net("<domain xmlns:q='urn:q' q:name='a' name='b'/>"))
    assert namespaced.domain.name == "a"


def test_bridge_values() -> None:
    bridge = parse_network_xml(net("<bridge name='br0' stp='no' delay=' +7' macTableManager='libvirt'/>")).bridge
    assert (bridge.name, bridge.stp, bridge.stp_given, bridge.delay) == ("br0", True, True, 7)
    assert bridge.mac_table_manager == "libvirt"
    off = parse_network_xml(net("<bridge stp='off' zone='z'/>")).bridge
    assert (off.stp, off.zone) == (False, "z")
    empty = parse_network_xml(net("<bridge name='' stp='' delay='' macTableManager=''/>")).bridge
    assert (empty.name, empty.stp, empty.stp_given, empty.delay, empty.mac_table_manager) == (
        None, True, False, 0, None)


def test_mac_is_normalised() -> None:
    assert parse_network_xml(net("<mac address='2:4:0:A:b:c junk'/>")).mac == "02:04:00:0a:0b:0c"
    assert parse_network_xml(net("<mac xmlns:q='u' q:address='01:00:00:00:00:00'/>")).mac is None


def test_mtu_takes_first_size_and_wraps() -> None:
    assert parse_network_xml(net("<mtu/><mtu size='9000'/>")).mtu == 9000
    assert parse_network_xml(net("<mtu size=''/><mtu size='9000'/>")).mtu == 0
    assert parse_network_xml(net("<mtu size='-1'/>")).mtu == 4294967295


def test_dnsmasq_options_only_with_the_namespace() -> None:
    xml = (
        "<network xmlns:d='http://libvirt.org/schemas/network/dnsmasq/1.0'><name>t</name>"
        "<d:options><d:option value='a=1'/><d:option value=''/></d:options>"
        "<d:options><d:option value='b'/></d:options><options><option value='no'/></options>"
        "</network>"
    )
    assert parse_network_xml(xml).dnsmasq_options == ["a=1", "", "b"]
    assert parse_network_xml(xml, dnsmasq_namespace=False).dnsmasq_options == []


def test_dnsmasq_option_without_value() -> None:
    xml = (
        "<network xmlns:d='http://libvirt.org/schemas/network/dnsmasq/1.0'><name>t</name>"
        "<d:options><d:option/></d:options></network>"
    )
    with pytest.raises(libvirtError) as caught:
        parse_network_xml(xml)
    assert (caught.value.code, caught.value.domain) == (1, 19)
    assert caught.value.message == "internal error: No dnsmasq options value specified"


def test_metadata_is_captured_after_the_mode_rules() -> None:
    assert parse_network_xml(net("<metadata/>")).metadata is not None
    assert parse_network_xml(net()).metadata is None
    with pytest.raises(libvirtError):
        parse_network_xml(net("<metadata><x:a xmlns:x='u'/></metadata><forward mode='bogus'/>"))


ROUNDTRIP_SAFE = [
    net("<domain name='a\"b&gt;c'/>"),
    net("<bridge name='br0' delay='9223372036854775807'/>"),
    net("<ip address='10.0.0.1' prefix='24'><dhcp><host mac='00:16:3E:77:E2:ED  x' "
        "name='n' ip='10.0.0.2'/></dhcp></ip>"),
    net("<dns><txt name='t' value='a&amp;b&lt;c'/></dns>", name="a&amp;b"),
]

ROUNDTRIP_UNSAFE = [
    net("<domain name='a&amp;b'/>"),
    net("<domain name=\"a'b\"/>"),
    net("<domain name='a&lt;b'/>"),
    net("<bridge delay='9223372036854775808'/>"),
    net("<bridge name='a&#9;b'/>"),
    net("<forward mode='bridge' dev='a&#10;b'/>"),
    net("<ip address='10.0.0.1' prefix='24'><tftp root='a&#13;b'/></ip>"),
    net("<ip address='10.0.0.1' prefix='24'><dhcp><host mac='00:16:3e:77:e2:ed' "
        "name=\"a'b\" ip='10.0.0.2'/></dhcp></ip>"),
    net("<ip address='10.0.0.1' prefix='24'><dhcp><host id='01' name='a&amp;b' "
        "ip='10.0.0.2'/></dhcp></ip>"),
    net("<portgroup name='a&lt;b'/>"),
    net("<dns><txt name='t' value='a&#10;b'/></dns>"),
    net("<dns><host ip='1.2.3.4'><hostname>a&#13;b</hostname></host></dns>"),
    net("", name="a&#13;b"),
]


def _reparses_identically(xml: str) -> bool:
    formatted = format_network(parse_network_xml(xml))
    try:
        return format_network(parse_network_xml(formatted)) == formatted
    except libvirtError:
        return False


@pytest.mark.parametrize("xml", ROUNDTRIP_SAFE)
def test_roundtrip_safe_definitions_are_not_flagged(xml: str) -> None:
    defn = parse_network_xml(xml)
    assert not defn.needs_roundtrip
    assert _reparses_identically(xml)


@pytest.mark.parametrize("xml", ROUNDTRIP_UNSAFE)
def test_definitions_libvirt_cannot_reparse_are_flagged(xml: str) -> None:
    defn = parse_network_xml(xml)
    assert defn.needs_roundtrip and needs_roundtrip(defn)
    assert not _reparses_identically(xml)
