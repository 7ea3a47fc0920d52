"""``<dns>`` and the DNS record parsers (network-xml-format.md §3.11, update-semantics.md §4.5-4.7).

Every expected error was read from libvirt 9.0.0 (``test:///default``); the
``*_oracle`` tests re-check the tables against the live oracle: whole ``<dns>``
elements through define, records through ``virNetworkUpdate`` (ADD is
``partialOkay = false``, DELETE ``true``).
"""

from __future__ import annotations

from typing import Any, Optional

import pytest

from netstore.model.format import format_network
from netstore.model.parse_dns import parse_dns_def, parse_dns_host, parse_dns_srv, parse_dns_txt
from netstore.model.types import NetworkDef
from netstore.model.xmlinput import DEFINITION_URL, UPDATE_URL, parse_document
from tests.helpers import unique_name
from tests.model.parse_oracle import error_of, libvirt_outcome

NET = "u"
UUID = "11111111-2222-3333-4444-555555555556"
ADD, DELETE = 3, 2
SECTION = {"host": 10, "txt": 11, "srv": 12}
PARSERS = {"host": parse_dns_host, "txt": parse_dns_txt, "srv": parse_dns_srv}


def fragment(xml: str) -> Any:
    return parse_document(xml, UPDATE_URL)


# --- records --------------------------------------------------------------------------------------

# (element xml, partial_ok, expected error or None)
RECORD_CASES: list[tuple[str, bool, Optional[str]]] = [
    ("<host ip='1.2'><hostname>a</hostname><hostname/><hostname> b </hostname></host>", False, None),
    ("<host/>", False, "Missing IP address in network 'u' DNS HOST record"),
    ("<host><hostname>a</hostname></host>", False, "Missing IP address in network 'u' DNS HOST record"),
    ("<host ip='1.2.3.4'/>", False, "Missing hostname in network 'u' DNS HOST record"),
    ("<host ip='1.2.3.4'><hostname/></host>", False, "Missing hostname in network 'u' DNS HOST record"),
    ("<host ip='1.2.3.4'><hostname><b/></hostname></host>", False, "Missing hostname in network 'u' DNS HOST record"),
    ("<host ip='1.2.3.4'><hostname><!--c--></hostname></host>", False,
     "Missing hostname in network 'u' DNS HOST record"),
    ("<host ip=''/>", True, "Invalid IP address in network 'u' DNS HOST record"),
    ("<host ip='zz'><hostname><b/></hostname></host>", True, "Invalid IP address in network 'u' DNS HOST record"),
    ("<host/>", True, "Missing ip and hostname in network 'u' DNS HOST record"),
    ("<host><hostname/></host>", True, "Missing ip and hostname in network 'u' DNS HOST record"),
    ("<host><hostname><b/></hostname></host>", True, "Missing hostname in network 'u' DNS HOST record"),
    ("<host><hostname>x</hostname></host>", True, None),
    ("<host ip='9.9.9.9'/>", True, None),
    ("<txt/>", True, "missing required name attribute in DNS TXT record of network u"),
    ("<txt name='a b'/>", True, "prohibited character in DNS TXT record name 'a b' of network u"),
    ("<txt name='x,y' value='v'/>", False, "prohibited character in DNS TXT record name 'x,y' of network u"),
    ("<txt name=''/>", False, "missing required value attribute in DNS TXT record named '' of network u"),
    ("<txt name='a'/>", True, None),
    ("<txt name='z' value=''/>", False, None),
    ("<srv protocol='tcp'/>", False, "missing required service attribute in DNS SRV record of network 'u'"),
    ("<srv service='q'/>", False, "missing required protocol attribute in DNS SRV record 'q' of network 'u'"),
    ("<srv service='a.b' protocol='tc.p'/>", False,
     "invalid character in service attribute 'a.b' in DNS SRV record of network 'u'"),
    ("<srv service='" + "s" * 483 + "' protocol='tcp'/>", False,
     "service attribute '" + "s" * 483 + "' in network 'u' is too long, limit is 482 bytes"),
    ("<srv protocol='tc.p'/>", True, "invalid character in protocol attribute 'tc.p' in DNS SRV record of network 'u'"),
    ("<srv port='5'/>", True,
     "DNS SRV port attribute not permitted without target for service '(null)' in network 'u'"),
    ("<srv protocol='tcp' port='x'/>", True, "invalid DNS SRV port attribute for service '(null)' in network 'u'"),
    ("<srv service='q' protocol='udp' port='+5'/>", False,
     "DNS SRV port attribute not permitted without target for service 'q' in network 'u'"),
    ("<srv service='q' protocol='udp' target='' port='0'/>", False,
     "invalid DNS SRV port attribute for service 'q' in network 'u'"),
    ("<srv service='q' protocol='udp' target='t' priority='65536'/>", False,
     "Invalid DNS SRV priority attribute for service 'q' in network 'u'"),
    ("<srv service='q' protocol='udp' weight='1'/>", False,
     "DNS SRV weight attribute not permitted without target for service 'q' in network 'u'"),
    ("<srv service='q' protocol='udp' target='t' priority=' +0' weight='65536'/>", False,
     "invalid DNS SRV weight attribute for service 'q' in network 'u'"),
    ("<srv service='q' protocol='udp' target='t' weight='-1'/>", False,
     "invalid DNS SRV weight attribute for service 'q' in network 'u'"),
    ("<srv service='q' protocol='udp' target='' priority='' port=' 65535'/>", False, None),
    ("<srv/>", True, None),
]


@pytest.mark.parametrize(("xml", "partial_ok", "expected"), RECORD_CASES)
def test_record(xml: str, partial_ok: bool, expected: Optional[str]) -> None:
    node = fragment(xml)
    parser = PARSERS[node.tag]
    if expected is None:
        parser(node, NET, partial_ok)
    else:
        assert error_of(lambda: parser(node, NET, partial_ok)) == (35, 19, expected)


def test_host_values() -> None:
    host = parse_dns_host(
        fragment("<host ip='::ffff:c0a8:101'><hostname>a<b>c</b>d</hostname><hostname/>"
                 "<x:hostname xmlns:x='urn:x'> q </x:hostname><hostname><![CDATA[e]]></hostname></host>"),
        NET, False)
    assert host.ip is not None and host.ip.text == "::ffff:192.168.1.1"
    assert host.hostnames == ["acd", " q ", "e"]


def test_srv_values() -> None:
    srv = parse_dns_srv(fragment("<srv service='_x' protocol='tcp' domain='d' target='' port='010' weight='7'/>"),
                        NET, False)
    assert (srv.service, srv.protocol, srv.domain, srv.target) == ("_x", "tcp", "d", "")
    assert (srv.port, srv.priority, srv.weight) == (10, 0, 7)
    partial = parse_dns_srv(fragment("<srv domain='d'/>"), NET, True)
    assert (partial.service, partial.protocol, partial.domain) == (None, None, "d")


def test_namespaced_attributes_count_like_libvirt() -> None:
    """virXMLPropString matches any namespace; XPath-read srv numbers only the plain one."""
    txt = parse_dns_txt(fragment("<txt xmlns:q='urn:q' q:name='x' value='v'/>"), NET, False)
    assert (txt.name, txt.value) == ("x", "v")
    srv = parse_dns_srv(fragment("<srv xmlns:q='urn:q' service='s' protocol='p' q:port='5'/>"), NET, False)
    assert srv.port == 0


@pytest.mark.parametrize(("xml", "partial_ok", "expected"), RECORD_CASES)
def test_record_errors_match_oracle(xml: str, partial_ok: bool, expected: Optional[str], testdriver: Any,
                                   libvirt_module: Any) -> None:
    name = unique_name("dns")
    base = ("<dns><host ip='9.9.9.9'><hostname>z</hostname></host><txt name='a' value='1'/>"
            "<srv service='b' protocol='tcp'/></dns>")
    network = testdriver.networkDefineXML(f"<network><name>{name}</name><uuid>{UUID}</uuid>{base}</network>")
    section = SECTION[fragment(xml).tag]
    try:
        network.update(DELETE if partial_ok else ADD, section, -1, xml, 0)
        libvirt_error = None
    except libvirt_module.libvirtError as exc:
        libvirt_error = (exc.get_error_code(), exc.get_error_domain(), exc.get_error_message())
    finally:
        network.undefine()
    if expected is None:
        assert libvirt_error is None or libvirt_error[0] != 35
    else:
        assert libvirt_error == (35, 19, expected.replace(f"network '{NET}'", f"network '{name}'")
                                 .replace(f"network {NET}", f"network {name}"))


# --- the whole <dns> element ----------------------------------------------------------------------

DNS_CASES: list[tuple[str, Optional[tuple[int, int, str]]]] = [
    ("<dns/>", None),
    ("<dns enable='no'/>", None),
    ("<dns enable='yes' forwardPlainNames='no'><host ip='1.1.1.1'><hostname>a</hostname></host>"
     "<srv service='s' protocol='p'/><txt name='t' value='v'/><forwarder addr='8.8.8.8'/>"
     "<forwarder domain='' /><forwarder addr='1.2' domain='a&amp;'/></dns>", None),
    ("<dns><x:host xmlns:x='urn:x' ip='bad'/><host ip='1.2.3.4'><hostname>h</hostname></host></dns>", None),
    ("<dns enable='No'/>", (27, 5, "XML error: Invalid value for attribute 'enable' in element 'dns': 'No'.")),
    ("<dns forwardPlainNames=''/>",
     (27, 5, "XML error: Invalid value for attribute 'forwardPlainNames' in element 'dns': ''.")),
    ("<dns><forwarder/></dns>",
     (27, 19, "XML error: Invalid forwarder element, must contain at least one of addr or domain")),
    ("<dns><forwarder addr=''/></dns>", (27, 19, "XML error: Invalid forwarder IP address '' in network 't'")),
    ("<dns enable='no'><forwarder addr='zz'/></dns>",
     (27, 19, "XML error: Invalid forwarder IP address 'zz' in network 't'")),
    ("<dns enable='no'><forwarder domain='x'/></dns>", (27, 19, "XML error: Extra data in disabled network 't'")),
    ("<dns><txt name='a b'/><srv/><host/><forwarder/></dns>",
     (27, 19, "XML error: Invalid forwarder element, must contain at least one of addr or domain")),
    ("<dns><txt name='a b'/><srv/><host/></dns>", (35, 19, "Missing IP address in network 't' DNS HOST record")),
    ("<dns><txt name='a b'/><srv/></dns>",
     (35, 19, "missing required service attribute in DNS SRV record of network 't'")),
    ("<dns enable='no'><txt name='a b'/></dns>",
     (35, 19, "prohibited character in DNS TXT record name 'a b' of network t")),
]


@pytest.mark.parametrize(("xml", "expected"), DNS_CASES)
def test_dns_def(xml: str, expected: Optional[tuple[int, int, str]]) -> None:
    node = parse_document(xml, DEFINITION_URL)
    if expected is None:
        parse_dns_def(node, "t")
    else:
        assert error_of(lambda: parse_dns_def(node, "t")) == expected


def test_dns_def_keeps_order_within_each_kind() -> None:
    dns = parse_dns_def(parse_document(
        "<dns><txt name='b' value='2'/><host ip='2.2.2.2'><hostname>h2</hostname></host><txt name='a' value='1'/>"
        "<host ip='1.1.1.1'><hostname>h1</hostname></host><forwarder domain='f'/></dns>", DEFINITION_URL), "t")
    assert [t.name for t in dns.txts] == ["b", "a"]
    assert [h.hostnames for h in dns.hosts] == [["h2"], ["h1"]]
    assert [f.domain for f in dns.forwarders] == ["f"]


@pytest.mark.parametrize(("xml", "expected"), DNS_CASES)
def test_dns_def_matches_oracle(xml: str, expected: Optional[tuple[int, int, str]], testdriver: Any) -> None:
    name = unique_name("dnsdef")
    outcome = libvirt_outcome(testdriver, f"<network><name>{name}</name><uuid>{UUID}</uuid>{xml}</network>")
    if isinstance(outcome, tuple):
        assert expected is not None
        message = expected[2].replace("network 't'", f"network '{name}'").replace("network t", f"network {name}")
        assert outcome == expected[:2] + (message,)
        return
    assert expected is None
    defn = NetworkDef(name=name, uuid=UUID, dns=parse_dns_def(parse_document(xml, DEFINITION_URL), name))
    assert format_network(defn) == outcome
