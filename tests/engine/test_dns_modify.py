"""MODIFY of dns-host, dns-txt and dns-srv: netstore's deliberate difference from libvirt 9.0.0.

libvirt 9.0.0 refuses these (84 "... records cannot be modified"); netstore
implements newer libvirt's MODIFY (update-semantics.md §4.5-§4.7), with two
refinements: a dns-host MODIFY whose IP matches no record is "not found" even
when a hostname matches (upstream would write ``hosts[-1]``), and a record the
re-parse could not read back (no hostname, no TXT value, no SRV protocol)
fails cleanly instead of being stored.
"""

from __future__ import annotations

from netstore.engine import plan_update
from netstore.state import ItemOp
from tests.engine.support import (
    ADD_LAST,
    DNS_HOST,
    DNS_RECORDS,
    DNS_SRV,
    DNS_TXT,
    MODIFY,
    network,
    update_error,
    updated,
    xml_of,
)

NOT_FOUND_HOST = "Requested operation is not valid: couldn't locate a matching DNS HOST record in network net1"


def _hosts(defn):
    return [(h.ip.text, h.hostnames) for h in defn.dns.hosts]


def test_dns_host_modify_replaces_the_whole_record() -> None:
    defn = updated(network(DNS_RECORDS), MODIFY, DNS_HOST,
                   "<host ip='192.168.122.2'><hostname>Another</hostname><hostname>decent</hostname></host>")
    assert _hosts(defn) == [("192.168.122.1", ["host", "gateway"]), ("192.168.122.2", ["Another", "decent"])]
    assert "<hostname>Another</hostname>\n      <hostname>decent</hostname>" in xml_of(defn)


def test_dns_host_modify_targets_the_last_record_with_the_ip() -> None:
    defn = network(DNS_RECORDS.replace("<host ip='192.168.122.2'>", "<host ip='192.168.122.1'>"))
    steps = plan_update(defn, MODIFY, DNS_HOST, -1, "<host ip='192.168.122.1'><hostname>x</hostname></host>")
    assert [(s.op, s.index) for s in steps] == [(ItemOp.REPLACE, 1)]


def test_dns_host_modify_hostname_only_match_is_not_found() -> None:
    defn = network(DNS_RECORDS)
    error = update_error(defn, MODIFY, DNS_HOST, "<host ip='192.168.122.9'><hostname>gateway</hostname></host>")
    assert error == (55, 19, NOT_FOUND_HOST)
    assert update_error(defn, MODIFY, DNS_HOST, "<host><hostname>gateway</hostname></host>") == (55, 19, NOT_FOUND_HOST)


def test_dns_host_modify_needs_a_hostname() -> None:
    error = update_error(network(DNS_RECORDS), MODIFY, DNS_HOST, "<host ip='192.168.122.1'/>")
    assert error == (35, 19, "Missing hostname in network 'net1' DNS HOST record")


def test_dns_host_modify_parses_like_delete() -> None:
    error = update_error(network(DNS_RECORDS), MODIFY, DNS_HOST, "<host protocol='x'/>")
    assert error == (35, 19, "Missing ip and hostname in network 'net1' DNS HOST record")


def test_dns_txt_modify_replaces_only_the_value() -> None:
    defn = updated(network(DNS_RECORDS), MODIFY, DNS_TXT, "<txt name='example' value='modified example'/>")
    assert [(t.name, t.value) for t in defn.dns.txts] == [("example", "modified example")]
    defn = updated(defn, MODIFY, DNS_TXT, "<txt name='example' value=''/>")
    assert "<txt name='example' value=''/>" in xml_of(defn)


def test_dns_txt_modify_without_value_fails_cleanly() -> None:
    defn = network(DNS_RECORDS)
    before = xml_of(defn)
    error = update_error(defn, MODIFY, DNS_TXT, "<txt name='example'/>")
    assert error == (35, 19, "missing required value attribute in DNS TXT record named 'example' of network net1")
    assert xml_of(defn) == before


def test_dns_txt_modify_of_a_missing_name() -> None:
    error = update_error(network(DNS_RECORDS), MODIFY, DNS_TXT, "<txt name='notexisted' value='x'/>")
    assert error == (
        55, 19, "Requested operation is not valid: couldn't locate a matching DNS TXT record in network net1")


def test_dns_srv_modify_replaces_the_one_match() -> None:
    defn = updated(network(DNS_RECORDS), MODIFY, DNS_SRV,
                   "<srv service='name' protocol='tcp' domain='test-domain-name' target='.' port='1221' "
                   "priority='42' weight='69'/>")
    assert "<srv service='name' protocol='tcp' domain='test-domain-name' target='.' port='1221' priority='42' " \
           "weight='69'/>" in xml_of(defn)
    assert len(defn.dns.srvs) == 2


def test_dns_srv_modify_drops_what_the_request_omits() -> None:
    """The match uses the given fields, so they stay; the others are replaced by nothing."""
    defn = updated(network(DNS_RECORDS), MODIFY, DNS_SRV, "<srv service='name' protocol='tcp' domain='donkey'/>")
    assert [(s.service, s.protocol, s.domain, s.target, s.port) for s in defn.dns.srvs][1] == (
        "name", "tcp", "donkey", None, 0)


def test_dns_srv_modify_needs_exactly_one_match() -> None:
    defn = network(DNS_RECORDS)
    assert update_error(defn, MODIFY, DNS_SRV, "<srv service='name' protocol='tcp' domain='unknown-domain'/>") == (
        55, 19, "Requested operation is not valid: couldn't locate a matching DNS SRV record in network net1")
    assert update_error(defn, MODIFY, DNS_SRV, "<srv service='name'/>")[0] == 55


def test_dns_srv_modify_to_an_incomplete_record_fails_cleanly() -> None:
    error = update_error(network(DNS_RECORDS), MODIFY, DNS_SRV, "<srv protocol='tcp' domain='donkey'/>")
    assert error == (35, 19, "missing required service attribute in DNS SRV record of network 'net1'")


def test_modify_then_add_keeps_the_indexes_right() -> None:
    defn = updated(network(DNS_RECORDS), MODIFY, DNS_HOST, "<host ip='192.168.122.2'><hostname>n</hostname></host>")
    assert update_error(defn, ADD_LAST, DNS_HOST, "<host ip='192.168.122.2'><hostname>z</hostname></host>")[0] == 55
    defn = updated(defn, MODIFY, DNS_TXT, "<txt name='example' value='v2'/>")
    assert update_error(defn, ADD_LAST, DNS_TXT, "<txt name='example' value='v3'/>")[0] == 55
