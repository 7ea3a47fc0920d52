"""The per-section match and duplicate rules (update-semantics.md §10, items 4-12)."""

from __future__ import annotations

from netstore.engine import plan_update
from netstore.state import ItemOp
from tests.engine.support import (
    ADD_FIRST,
    ADD_LAST,
    DELETE,
    DNS_HOST,
    DNS_RECORDS,
    DNS_SRV,
    DNS_TXT,
    DUAL,
    FORWARD_INTERFACE,
    IP_DHCP_HOST,
    IP_DHCP_RANGE,
    MODIFY,
    NAT_HOSTS,
    PORTGROUP,
    network,
    update_error,
    updated,
    xml_of,
)

V4_NO_DHCP_THEN_V6_DHCP = (
    "<ip address='10.0.0.1' prefix='24'/>"
    "<ip family='ipv6' address='2001:db8::1' prefix='64'><dhcp><range start='2001:db8::10' end='2001:db8::20'/>"
    "</dhcp></ip>"
)


def _hosts(defn, ip_index=0):
    return [(h.mac, h.name, h.ip.text if h.ip else None) for h in defn.ips[ip_index].hosts]


# --- parentIndex (item 4)


def test_parent_index_counts_both_families() -> None:
    defn = updated(network(DUAL), ADD_LAST, IP_DHCP_HOST, "<host name='six' ip='2001:db8:ac10:fd01::5'/>", 1)
    assert _hosts(defn, 1) == [(None, "six", "2001:db8:ac10:fd01::5")]


def test_negative_parent_index_prefers_an_ip_with_dhcp() -> None:
    defn = network(V4_NO_DHCP_THEN_V6_DHCP)
    error = update_error(defn, ADD_LAST, IP_DHCP_HOST, "<host mac='52:54:00:00:00:01' ip='10.0.0.5'/>", -2)
    assert error[0] == 27 and "IPv6 static host definition" in error[2]


def test_negative_parent_index_then_first_ipv4() -> None:
    defn = network("<ip family='ipv6' address='2001:db8::1' prefix='64'/><ip address='10.0.0.1' prefix='24'/>")
    defn = updated(defn, ADD_LAST, IP_DHCP_HOST, "<host mac='52:54:00:00:00:01' ip='10.0.0.5'/>", -1)
    assert _hosts(defn, 1) == [("52:54:00:00:00:01", None, "10.0.0.5")]


def test_negative_parent_index_then_first_ipv6() -> None:
    defn = network("<ip family='ipv6' address='2001:db8::1' prefix='64'/>")
    defn = updated(defn, ADD_LAST, IP_DHCP_RANGE, "<range start='2001:db8::10' end='2001:db8::20'/>", -7)
    assert len(defn.ips[0].ranges) == 1


def test_parent_index_is_ignored_by_other_sections() -> None:
    defn = updated(network(NAT_HOSTS), ADD_LAST, PORTGROUP, "<portgroup name='p'/>", 42)
    assert [pg.name for pg in defn.portgroups] == ["p"]


# --- DHCP hosts (items 5, 6)


def test_add_duplicate_by_any_key() -> None:
    defn = network(NAT_HOSTS)
    for xml in ("<host mac='00:16:3E:77:E2:ED' ip='192.168.122.50'/>",  # mac, other case
                "<host mac='0:16:3e:77:e2:ed' name='zz' ip='192.168.122.50'/>",  # mac, short form
                "<host name='a.example.com' ip='192.168.122.50'/>",  # name
                "<host name='zz' ip='192.168.122.11'/>"):  # ip
        assert update_error(defn, ADD_LAST, IP_DHCP_HOST, xml)[0] == 55, xml


def test_id_is_never_a_key() -> None:
    defn = network("<ip family='ipv6' address='2001:db8::1' prefix='64'><dhcp>"
                   "<host id='01:02' name='a' ip='2001:db8::5'/></dhcp></ip>")
    defn = updated(defn, ADD_LAST, IP_DHCP_HOST, "<host id='01:02' name='b' ip='2001:db8::6'/>")
    assert [h.id for h in defn.ips[0].hosts] == ["01:02", "01:02"]
    assert update_error(defn, DELETE, IP_DHCP_HOST, "<host id='01:02'/>")[0] == 27


def test_add_keeps_mac_text_and_position() -> None:
    defn = updated(network(NAT_HOSTS), ADD_FIRST, IP_DHCP_HOST, "<host mac='52:54:0:AB:cd:1' ip='192.168.122.50'/>")
    assert _hosts(defn)[0] == ("52:54:0:AB:cd:1", None, "192.168.122.50")
    defn = updated(defn, ADD_LAST, IP_DHCP_HOST, "<host name='last' ip='192.168.122.51'/>")
    assert _hosts(defn)[-1] == (None, "last", "192.168.122.51")


def test_modify_replaces_the_first_match_whole_without_duplicate_check() -> None:
    defn = network(NAT_HOSTS)
    # mac of entry 2, name of entry 1: entry 1 (first in list order) is replaced
    defn = updated(defn, MODIFY, IP_DHCP_HOST,
                   "<host mac='00:16:3e:3e:a9:1a' name='a.example.com' ip='192.168.122.60'/>")
    assert _hosts(defn) == [("00:16:3e:3e:a9:1a", "a.example.com", "192.168.122.60"),
                            ("00:16:3e:3e:a9:1a", "b.example.com", "192.168.122.11")]
    # omitted attributes are dropped
    defn = updated(defn, MODIFY, IP_DHCP_HOST, "<host name='b.example.com' ip='192.168.122.11'/>")
    assert _hosts(defn)[1] == (None, "b.example.com", "192.168.122.11")


def test_modify_matches_by_ip_alone() -> None:
    defn = updated(network(NAT_HOSTS), MODIFY, IP_DHCP_HOST, "<host name='new' ip='192.168.122.11'/>")
    assert _hosts(defn)[1] == (None, "new", "192.168.122.11")


def test_delete_needs_every_given_key() -> None:
    defn = network(NAT_HOSTS)
    assert update_error(defn, DELETE, IP_DHCP_HOST, "<host name='a.example.com' ip='192.168.122.11'/>")[0] == 55
    defn = updated(defn, DELETE, IP_DHCP_HOST, "<host mac='00:16:3E:3E:A9:1A' ip='192.168.122.11'/>")
    assert [h[1] for h in _hosts(defn)] == ["a.example.com"]


def test_delete_given_mac_matches_an_entry_without_one() -> None:
    defn = network("<ip address='10.0.0.1' prefix='24'><dhcp><host name='nomac' ip='10.0.0.5'/>"
                   "<host mac='52:54:00:00:00:02' name='other' ip='10.0.0.6'/></dhcp></ip>")
    assert _hosts(updated(defn, DELETE, IP_DHCP_HOST, "<host mac='52:54:00:00:00:09' name='nomac'/>")) == [
        ("52:54:00:00:00:02", "other", "10.0.0.6")]
    # mac alone: the first entry that has no mac or has that mac
    assert _hosts(updated(defn, DELETE, IP_DHCP_HOST, "<host mac='52:54:00:00:00:02'/>")) == [
        ("52:54:00:00:00:02", "other", "10.0.0.6")]


def test_delete_on_ipv6_skips_the_family_check() -> None:
    defn = network("<ip family='ipv6' address='2001:db8::1' prefix='64'><dhcp>"
                   "<host name='a' ip='2001:db8::5'/></dhcp></ip>")
    assert update_error(defn, DELETE, IP_DHCP_HOST, "<host name='a' ip='10.0.0.5'/>")[0] == 55
    assert _hosts(updated(defn, DELETE, IP_DHCP_HOST, "<host name='a'/>")) == []


def test_host_ip_is_not_checked_against_the_subnet() -> None:
    defn = updated(network(NAT_HOSTS), ADD_LAST, IP_DHCP_HOST, "<host name='far' ip='172.16.0.5'/>")
    assert _hosts(defn)[-1] == (None, "far", "172.16.0.5")


# --- DHCP ranges (items 7, 8)


def test_ranges_overlap_but_not_repeat() -> None:
    defn = updated(network(NAT_HOSTS), ADD_LAST, IP_DHCP_RANGE, "<range start='192.168.122.2' end='192.168.122.100'/>")
    assert len(defn.ips[0].ranges) == 2
    assert update_error(defn, ADD_FIRST, IP_DHCP_RANGE, "<range start='192.168.122.2' end='192.168.122.100'/>")[0] == 55


def test_range_delete_ignores_the_lease() -> None:
    defn = updated(network(NAT_HOSTS), DELETE, IP_DHCP_RANGE,
                   "<range start='192.168.122.2' end='192.168.122.254'><lease expiry='5' unit='hours'/></range>")
    assert defn.ips[0].ranges == []


def test_single_dhcp_rule_only_on_add() -> None:
    two = ("<ip address='10.7.0.1' prefix='24'><dhcp><host name='a' ip='10.7.0.5'/></dhcp></ip>"
           "<ip address='10.8.0.1' prefix='24'><dhcp><host name='b' ip='10.8.0.5'/></dhcp></ip>")
    defn = network(two)
    assert update_error(defn, ADD_LAST, IP_DHCP_HOST, "<host name='c' ip='10.8.0.6'/>", 1)[0] == 55
    defn = updated(defn, MODIFY, IP_DHCP_HOST, "<host name='b' ip='10.8.0.7'/>", 1)
    defn = updated(defn, DELETE, IP_DHCP_HOST, "<host name='b'/>", 1)
    assert _hosts(defn, 1) == []


def test_one_dhcp_per_family_allows_both_families() -> None:
    defn = updated(network(DUAL), ADD_LAST, IP_DHCP_HOST, "<host name='v4' ip='192.168.122.5'/>", 0)
    defn = updated(defn, ADD_LAST, IP_DHCP_HOST, "<host name='v6' ip='2001:db8:ac10:fd01::5'/>", 1)
    assert len(defn.ips[0].hosts) == len(defn.ips[1].hosts) == 1


def test_deleting_the_last_host_drops_dhcp() -> None:
    defn = network("<ip address='10.0.0.1' prefix='24'><dhcp><host name='a' ip='10.0.0.5'/></dhcp></ip>")
    assert "<dhcp>" not in xml_of(updated(defn, DELETE, IP_DHCP_HOST, "<host ip='10.0.0.5'/>"))


# --- forward interfaces


def test_interface_key_is_dev_case_sensitive() -> None:
    defn = network("<forward mode='bridge'><interface dev='eth0'/></forward>")
    defn = updated(defn, ADD_FIRST, FORWARD_INTERFACE, "<interface dev='ETH0' bogus='1'><x/></interface>")
    assert [i.dev for i in defn.forward.ifaces] == ["ETH0", "eth0"]
    assert "<forward dev='ETH0' mode='bridge'>" in xml_of(defn)


# --- DNS hosts (item 9)


def test_dns_host_add_compares_only_the_ip() -> None:
    defn = updated(network(DNS_RECORDS), ADD_LAST, DNS_HOST,
                   "<host ip='192.168.122.9'><hostname>host</hostname></host>")
    assert [h.ip.text for h in defn.dns.hosts] == ["192.168.122.1", "192.168.122.2", "192.168.122.9"]


def test_dns_host_delete_by_ip_or_any_hostname() -> None:
    defn = network(DNS_RECORDS)
    by_ip = updated(defn, DELETE, DNS_HOST, "<host ip='192.168.122.1'><hostname>nomatch</hostname></host>")
    assert [h.ip.text for h in by_ip.dns.hosts] == ["192.168.122.2"]
    by_name = updated(defn, DELETE, DNS_HOST, "<host><hostname>gateway</hostname></host>")
    assert [h.ip.text for h in by_name.dns.hosts] == ["192.168.122.2"]


def test_dns_host_delete_of_a_name_two_records_share() -> None:
    defn = updated(network(DNS_RECORDS), ADD_LAST, DNS_HOST, "<host ip='10.0.0.9'><hostname>gateway</hostname></host>")
    assert update_error(defn, DELETE, DNS_HOST, "<host><hostname>gateway</hostname></host>")[0] == 55


def test_dns_host_no_family_or_subnet_check() -> None:
    defn = updated(network(DNS_RECORDS), ADD_FIRST, DNS_HOST, "<host ip='f0:0d::f0:0d'><hostname>p</hostname></host>")
    assert defn.dns.hosts[0].ip.text == "f0:d::f0:d"


# --- DNS SRV (item 10)


def test_srv_add_refused_when_a_more_specific_record_matches() -> None:
    defn = network(DNS_RECORDS)
    assert update_error(defn, ADD_LAST, DNS_SRV, "<srv service='name' protocol='tcp'/>")[0] == 55
    assert update_error(defn, ADD_LAST, DNS_SRV, "<srv service='name' protocol='tcp' domain='donkey' "
                                                  "target='.' port='999' priority='1'/>")[0] == 55
    defn = updated(defn, ADD_LAST, DNS_SRV, "<srv service='name' protocol='udp'/>")
    assert len(defn.dns.srvs) == 3


def test_srv_delete_wildcards_and_ignores_numbers() -> None:
    defn = network(DNS_RECORDS)
    assert update_error(defn, DELETE, DNS_SRV, "<srv/>")[0] == 55
    defn = updated(defn, DELETE, DNS_SRV, "<srv domain='donkey' target='.' port='1' weight='7'/>")
    assert [s.domain for s in defn.dns.srvs] == ["test-domain-name"]
    defn = updated(defn, DELETE, DNS_SRV, "<srv/>")
    assert defn.dns.srvs == []


def test_srv_empty_string_is_a_given_field() -> None:
    defn = network(DNS_RECORDS)
    assert update_error(defn, DELETE, DNS_SRV, "<srv domain=''/>")[0] == 55


# --- DNS TXT (item 11)


def test_txt_delete_ignores_the_value() -> None:
    defn = updated(network(DNS_RECORDS), DELETE, DNS_TXT, "<txt name='example' value='something else'/>")
    assert defn.dns.txts == []


def test_txt_empty_value_is_allowed() -> None:
    defn = updated(network(DNS_RECORDS), ADD_LAST, DNS_TXT, "<txt name='empty' value=''/>")
    assert "<txt name='empty' value=''/>" in xml_of(defn)


def test_deleting_the_last_record_drops_dns() -> None:
    defn = network("<dns><txt name='a' value='b'/></dns><ip address='10.0.0.1' prefix='24'/>")
    assert "<dns" not in xml_of(updated(defn, DELETE, DNS_TXT, "<txt name='a'/>"))


# --- portgroups (item 12)


PORTGROUPS = (
    "<forward mode='bridge'/><bridge name='br0'/>"
    "<portgroup name='eng' default='yes'><vlan><tag id='4'/></vlan></portgroup>"
)


def test_portgroup_modify_is_a_full_replacement() -> None:
    defn = updated(network(PORTGROUPS), MODIFY, PORTGROUP, "<portgroup name='eng'/>")
    assert defn.portgroups[0].vlan is None and not defn.portgroups[0].is_default


def test_portgroup_default_may_be_reasserted_on_itself() -> None:
    defn = updated(network(PORTGROUPS), MODIFY, PORTGROUP, "<portgroup name='eng' default='yEs'/>")
    assert defn.portgroups[0].is_default


def test_portgroup_names_are_case_sensitive() -> None:
    defn = updated(network(PORTGROUPS), ADD_LAST, PORTGROUP, "<portgroup name='ENG'/>")
    assert [pg.name for pg in defn.portgroups] == ["eng", "ENG"]


def test_portgroup_delete_matches_by_name_only() -> None:
    defn = updated(network(PORTGROUPS), DELETE, PORTGROUP,
                   "<portgroup name='eng' default='no'><vlan><tag id='9'/></vlan></portgroup>")
    assert defn.portgroups == []


def test_portgroup_modify_picks_the_last_of_duplicate_names() -> None:
    defn = network("<forward mode='bridge'/><bridge name='br0'/><portgroup name='d'/><portgroup name='d'/>")
    steps = plan_update(defn, MODIFY, PORTGROUP, -1, "<portgroup name='d' default='yes'/>")
    assert [(s.op, s.index) for s in steps] == [(ItemOp.REPLACE, 1)]
