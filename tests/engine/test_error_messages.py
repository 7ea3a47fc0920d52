"""Every error an update can raise: code, domain and exact message.

One table covers every message of update-semantics.md §2-§4 (fragment parse
errors, unknown and unsupported sections, element names, unknown commands,
parentIndex, the one-DHCP-per-family rule, each section's parse and match
errors) and the errors of the re-parse libvirt makes after an edit.  Each
case names its network ``{net}``.

``test_message`` checks netstore; ``test_message_matches_libvirt`` replays the
libvirt 9.0.0 cases through the test driver (an inactive network, so
AFFECT_CURRENT edits the persistent definition, as ``inactive=True`` does
here) and asserts that libvirt says exactly the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import pytest

import netstore.engine as engine
from netstore.model.parse_network import parse_network_xml
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
    error_of,
    network_xml,
    update_error,
)
from tests.helpers import unique_name

V6_HOSTS = (
    "<forward mode='route'/>"
    "<ip family='ipv6' address='2001:db8:ac10:fd01::1' prefix='64'><dhcp>"
    "<host id='0:4:7e:7d:f0:7d:a8:bc:c5:d2:13:32:11:ed:16:ea:84:63' name='h6' ip='2001:db8:ac10:fd01::20'/>"
    "</dhcp></ip>"
)
ISOLATED = "<ip address='10.1.0.1' prefix='24'/>"
NO_IP = "<bridge name='virbr9'/>"
ROUTE_DEV = "<forward mode='route' dev='eth0'/><ip address='10.6.0.1' prefix='24'/>"
OPEN = "<forward mode='open'/><ip address='10.5.0.1' prefix='24'/>"
BRIDGE = "<forward mode='bridge'/><bridge name='br0'/>"
HOSTDEV = (
    "<forward mode='hostdev' managed='yes'>"
    "<address type='pci' domain='0' bus='1' slot='0' function='1'/></forward>"
)
PORTGROUPS = (
    "<forward mode='bridge'/><bridge name='br0'/>"
    "<portgroup name='engineering' default='yes'/><portgroup name='sales'/>"
)
DNS_OFF = "<dns enable='no'/><ip address='10.4.0.1' prefix='24'/>"
TWO_V4 = (
    "<ip address='10.7.0.1' prefix='24'><dhcp><range start='10.7.0.10' end='10.7.0.20'/></dhcp></ip>"
    "<ip address='10.8.0.1' prefix='24'/>"
    "<ip family='ipv6' address='2001:db8::1' prefix='64'>"
    "<dhcp><range start='2001:db8::10' end='2001:db8::20'/></dhcp></ip>"
    "<ip family='ipv6' address='2001:db9::1' prefix='64'/>"
)
BAD_DELAY = "<bridge name='br9' delay='18446744073709551615'/><ip address='10.9.0.1' prefix='24'/>"
RAW_DOMAIN = "<domain name='a&amp;b'/><ip address='10.9.0.1' prefix='24'/>"
SRV = "<srv service='name' protocol='tcp'"
LONG_SERVICE = "s" * 483
# Two SRV records that share no compared field: a request can match each on one field, neither on all.
SRV_SPLIT = (
    "<dns><srv service='a' protocol='tcp' domain='d1' target='t1'/>"
    "<srv service='b' protocol='udp' domain='d2' target='t2'/></dns><ip address='10.3.0.1' prefix='24'/>"
)


@dataclass(frozen=True)
class Case:
    id: str
    base: str
    command: int
    section: int
    xml: Optional[str]
    code: int
    domain: int
    message: str
    parent_index: int = -1
    libvirt: bool = True  # the test driver can show it (False: netstore's difference, or no way to set it up)
    connections: int = 0  # guests using the first forward interface (only a running bridge driver has any)


CASES = [
    # --- the call and the fragment (§2, §3)
    Case("xml-null", NAT_HOSTS, ADD_LAST, IP_DHCP_HOST, None, 8, 19,
         "xml in virNetworkUpdate must not be NULL", libvirt=False),
    Case("fragment-unterminated", NAT_HOSTS, ADD_LAST, IP_DHCP_HOST, "<bogus", 35, 19,
         "network_update_xml:1: Couldn't find end of Start Tag bogus line 1\n<bogus\n------^"),
    Case("fragment-empty", NAT_HOSTS, ADD_LAST, IP_DHCP_HOST, "", 35, 19,
         "network_update_xml:1: Document is empty\n(null)\n^"),
    Case("fragment-two-roots", NAT_HOSTS, ADD_LAST, IP_DHCP_HOST, "<host/><host/>", 35, 19,
         "network_update_xml:1: Extra content at the end of the document\n<host/><host/>\n-------^"),
    Case("fragment-error-before-unsupported-section", NAT_HOSTS, ADD_LAST, 1, "<bogus", 35, 19,
         "network_update_xml:1: Couldn't find end of Start Tag bogus line 1\n<bogus\n------^"),
    Case("section-0", NAT_HOSTS, ADD_LAST, 0, "<host/>", 84, 19,
         "Operation not supported: can't update unrecognized section of network"),
    Case("section-13", NAT_HOSTS, ADD_LAST, 13, "<host/>", 84, 19,
         "Operation not supported: can't update unrecognized section of network"),
    Case("section-bridge", NAT_HOSTS, ADD_LAST, 1, "<bridge name='x'/>", 84, 19,
         "Operation not supported: can't update 'bridge' section of network '{net}'"),
    Case("section-domain", NAT_HOSTS, MODIFY, 2, "<bogus/>", 84, 19,
         "Operation not supported: can't update 'domain' section of network '{net}'"),
    Case("section-ip", NAT_HOSTS, DELETE, 3, "<ip/>", 84, 19,
         "Operation not supported: can't update 'ip' section of network '{net}'"),
    Case("section-forward", NAT_HOSTS, 0, 6, "<forward/>", 84, 19,
         "Operation not supported: can't update 'forward' section of network '{net}'"),
    Case("section-forward-pf", NAT_HOSTS, ADD_FIRST, 8, "<pf dev='eth0'/>", 84, 19,
         "Operation not supported: can't update 'forward pf' section of network '{net}'"),
    Case("element-host", NAT_HOSTS, ADD_LAST, IP_DHCP_HOST, "<Host/>", 27, 19,
         "XML error: unexpected element <Host>, expecting <host>, while updating network '{net}'"),
    Case("element-range", NAT_HOSTS, MODIFY, IP_DHCP_RANGE, "<bogus/>", 27, 19,
         "XML error: unexpected element <bogus>, expecting <range>, while updating network '{net}'"),
    Case("element-interface", NAT_HOSTS, MODIFY, FORWARD_INTERFACE, "<iface/>", 27, 19,
         "XML error: unexpected element <iface>, expecting <interface>, while updating network '{net}'"),
    Case("element-portgroup", NAT_HOSTS, ADD_LAST, PORTGROUP, "<group/>", 27, 19,
         "XML error: unexpected element <group>, expecting <portgroup>, while updating network '{net}'"),
    Case("element-dns-host", NAT_HOSTS, DELETE, DNS_HOST, "<hostname/>", 27, 19,
         "XML error: unexpected element <hostname>, expecting <host>, while updating network '{net}'"),
    Case("element-txt", NAT_HOSTS, ADD_LAST, DNS_TXT, "<TXT/>", 27, 19,
         "XML error: unexpected element <TXT>, expecting <txt>, while updating network '{net}'"),
    Case("element-srv", NAT_HOSTS, ADD_LAST, DNS_SRV, "<x:SRV xmlns:x='urn:x'/>", 27, 19,
         "XML error: unexpected element <SRV>, expecting <srv>, while updating network '{net}'"),
    Case("command-0", NAT_HOSTS, 0, IP_DHCP_HOST, "<host mac='52:54:00:00:00:05' ip='192.168.122.9'/>", 84, 19,
         "Operation not supported: unrecognized network update command code 0"),
    Case("command-negative", NAT_HOSTS, -1, IP_DHCP_HOST, "<host mac='52:54:00:00:00:05' ip='192.168.122.9'/>",
         84, 19, "Operation not supported: unrecognized network update command code -1"),
    Case("command-2**31", NAT_HOSTS, 2**31, DNS_TXT, "<txt name='x'/>", 84, 19,
         "Operation not supported: unrecognized network update command code -2147483648"),
    Case("command-7-portgroup", PORTGROUPS, 7, PORTGROUP, "<portgroup name='x'/>", 84, 19,
         "Operation not supported: unrecognized network update command code 7"),
    Case("command-7-default-conflict-first", PORTGROUPS, 7, PORTGROUP, "<portgroup name='x' default='yes'/>",
         55, 19, "Requested operation is not valid: a different portgroup entry in network '{net}' is already "
         "set as the default. Only one default is allowed."),
    Case("command-5-range", NAT_HOSTS, 5, IP_DHCP_RANGE, "<range start='192.168.122.2' end='192.168.122.254'/>",
         84, 19, "Operation not supported: unrecognized network update command code 5"),
    Case("command-0-interface", NAT_HOSTS, 0, FORWARD_INTERFACE, "<interface dev='x'/>", 84, 19,
         "Operation not supported: unrecognized network update command code 0"),
    Case("command-0-dns-host", NAT_HOSTS, 0, DNS_HOST, "<host ip='10.0.0.1'/>", 84, 19,
         "Operation not supported: unrecognized network update command code 0"),
    Case("command-0-srv", NAT_HOSTS, 0, DNS_SRV, "<srv/>", 84, 19,
         "Operation not supported: unrecognized network update command code 0"),
    Case("parent-index-out-of-range", NAT_HOSTS, ADD_LAST, IP_DHCP_HOST, "<host/>", 55, 19,
         "Requested operation is not valid: couldn't update dhcp host entry - no <ip> element found "
         "at index 5 in network '{net}'", parent_index=5),
    Case("parent-index-range-out-of-range", DUAL, DELETE, IP_DHCP_RANGE, "<range/>", 55, 19,
         "Requested operation is not valid: couldn't update dhcp host entry - no <ip> element found "
         "at index 2 in network '{net}'", parent_index=2),
    Case("parent-index-no-ip", NO_IP, ADD_LAST, IP_DHCP_HOST, "<host/>", 55, 19,
         "Requested operation is not valid: couldn't update dhcp host entry - no <ip> element found "
         "in network '{net}'", parent_index=-2),
    Case("parent-index-error-loses-to-element-error", NO_IP, ADD_LAST, IP_DHCP_RANGE, "<bogus/>", 27, 19,
         "XML error: unexpected element <bogus>, expecting <range>, while updating network '{net}'"),
    Case("parent-index-error-before-range-modify", DUAL, MODIFY, IP_DHCP_RANGE, "<range/>", 55, 19,
         "Requested operation is not valid: couldn't update dhcp host entry - no <ip> element found "
         "at index 7 in network '{net}'", parent_index=7),
    Case("multi-dhcp-ipv4-host", TWO_V4, ADD_LAST, IP_DHCP_HOST, "<host name='x' ip='10.8.0.5'/>", 55, 19,
         "Requested operation is not valid: dhcp is supported only for a single IPv4 address on each network",
         parent_index=1),
    Case("multi-dhcp-ipv6-range", TWO_V4, ADD_FIRST, IP_DHCP_RANGE,
         "<range start='2001:db9::10' end='2001:db9::20'/>", 55, 19,
         "Requested operation is not valid: dhcp is supported only for a single IPv6 address on each network",
         parent_index=3),
    # --- ip-dhcp-host (§4.1)
    Case("host-mac-on-ipv6", V6_HOSTS, DELETE, IP_DHCP_HOST, "<host mac='52:54:00:00:00:01'/>", 27, 19,
         "XML error: Invalid to specify MAC address '52:54:00:00:00:01' in network '{net}' IPv6 static host "
         "definition"),
    Case("host-bad-mac", NAT_HOSTS, ADD_LAST, IP_DHCP_HOST, "<host mac='52-54-00-00-00-01' ip='192.168.122.5'/>",
         27, 19, "XML error: Cannot parse MAC address '52-54-00-00-00-01' in network '{net}'"),
    Case("host-multicast-mac", NAT_HOSTS, ADD_LAST, IP_DHCP_HOST, "<host mac='01:00:5e:00:00:01' ip='192.168.122.5'/>",
         27, 19, "XML error: expected unicast mac address, found multicast '01:00:5e:00:00:01' in network '{net}'"),
    Case("host-bad-id", V6_HOSTS, ADD_LAST, IP_DHCP_HOST, "<host id='0:1:zz' ip='2001:db8:ac10:fd01::21'/>",
         27, 19, "XML error: Invalid character 'z' in id '0:1:zz' of network '{net}'"),
    Case("host-bad-name", NAT_HOSTS, ADD_LAST, IP_DHCP_HOST, "<host name='-x' ip='192.168.122.5'/>", 27, 19,
         "XML error: Cannot use host name '-x' in network '{net}'"),
    Case("host-bad-ip", NAT_HOSTS, ADD_LAST, IP_DHCP_HOST, "<host name='x' ip=' 192.168.122.5'/>", 27, 19,
         "XML error: Invalid IP address in static host definition for network '{net}'"),
    Case("host-delete-without-keys", NAT_HOSTS, DELETE, IP_DHCP_HOST, "<host id='01'/>", 27, 19,
         "XML error: At least one of name, mac, or ip attribute must be specified for static host definition "
         "in network '{net}' "),
    Case("host-v6-needs-id-or-name", V6_HOSTS, ADD_LAST, IP_DHCP_HOST, "<host ip='2001:db8:ac10:fd01::21'/>",
         27, 19, "XML error: Static host definition in IPv6 network '{net}' must have id or name attribute"),
    Case("host-v4-needs-mac-or-name", NAT_HOSTS, MODIFY, IP_DHCP_HOST, "<host id='01' ip='192.168.122.5'/>",
         27, 19, "XML error: Static host definition in IPv4 network '{net}' must have mac or name attribute"),
    Case("host-missing-ip", NAT_HOSTS, ADD_LAST, IP_DHCP_HOST, "<host mac='00:16:3e:77:e2:ed'/>", 27, 19,
         "XML error: Missing IP address in static host definition for network '{net}'"),
    Case("host-short-lease", NAT_HOSTS, ADD_LAST, IP_DHCP_HOST,
         "<host name='x' ip='192.168.122.5'><lease expiry='60' unit='seconds'/></host>", 67, 19,
         "unsupported configuration: The minimum lease time should be greater than 2 minutes"),
    Case("host-family-mismatch", NAT_HOSTS, ADD_LAST, IP_DHCP_HOST, "<host name='x' ip='2001:db8::5'/>", 55, 19,
         "Requested operation is not valid: the address family of a host entry IP must match the address "
         "family of the dhcp element's parent"),
    Case("host-modify-family-mismatch", NAT_HOSTS, MODIFY, IP_DHCP_HOST,
         "<host mac='00:16:3e:77:e2:ed' ip='2001:db8::5'/>", 55, 19,
         "Requested operation is not valid: the address family of a host entry IP must match the address "
         "family of the dhcp element's parent"),
    # DELETE skips the family check: an address of the other family simply matches no host
    Case("host-delete-other-family", NAT_HOSTS, DELETE, IP_DHCP_HOST, "<host ip='2001:db8::5'/>", 55, 19,
         "Requested operation is not valid: couldn't locate a matching dhcp host entry in network '{net}'"),
    Case("host-delete-mac-and-other-family", NAT_HOSTS, DELETE, IP_DHCP_HOST,
         "<host mac='00:16:3e:77:e2:ed' ip='2001:db8::5'/>", 55, 19,
         "Requested operation is not valid: couldn't locate a matching dhcp host entry in network '{net}'"),
    Case("host-duplicate", NAT_HOSTS, ADD_LAST, IP_DHCP_HOST, "<host mac='00:16:3E:77:E2:ED' ip='192.168.122.99'/>",
         55, 19, "Requested operation is not valid: there is an existing dhcp host entry in network '{net}' "
         "that matches \"<host mac='00:16:3E:77:E2:ED' name='(null)' ip='192.168.122.99'/>\""),
    Case("host-duplicate-no-mac", NAT_HOSTS, ADD_FIRST, IP_DHCP_HOST,
         "<host name='b.example.com' ip='192.168.122.99'/>", 55, 19,
         "Requested operation is not valid: there is an existing dhcp host entry in network '{net}' "
         "that matches \"<host mac='unknown' name='b.example.com' ip='192.168.122.99'/>\""),
    Case("host-modify-missing", NAT_HOSTS, MODIFY, IP_DHCP_HOST, "<host name='zz' ip='192.168.122.99'/>", 55, 19,
         "Requested operation is not valid: couldn't locate an existing dhcp host entry with \"mac='unknown'\" "
         "\"name='zz'\" \"ip='192.168.122.99'\" in network '{net}'"),
    Case("host-delete-missing", NAT_HOSTS, DELETE, IP_DHCP_HOST,
         "<host mac='00:16:3e:77:e2:ed' name='b.example.com'/>", 55, 19,
         "Requested operation is not valid: couldn't locate a matching dhcp host entry in network '{net}'"),
    # --- ip-dhcp-range (§4.2)
    Case("range-modify", NAT_HOSTS, MODIFY, IP_DHCP_RANGE, "<range start='192.168.122.2' end='192.168.122.254'/>",
         84, 19, "Operation not supported: dhcp ranges cannot be modified, only added or deleted"),
    Case("range-missing-start", NAT_HOSTS, DELETE, IP_DHCP_RANGE, "<range end='192.168.122.9'/>", 27, 19,
         "XML error: Missing 'start' attribute in dhcp range for network '{net}'"),
    Case("range-missing-end", NAT_HOSTS, ADD_LAST, IP_DHCP_RANGE, "<range start='192.168.122.9'/>", 27, 19,
         "XML error: Missing 'end' attribute in dhcp range for network '{net}'"),
    Case("range-bad-address", NAT_HOSTS, ADD_LAST, IP_DHCP_RANGE, "<range start='x' end='192.168.122.9'/>",
         38, 0, "Cannot parse socket address 'x': Name or service not known"),
    Case("range-family-start-end", NAT_HOSTS, ADD_LAST, IP_DHCP_RANGE, "<range start='192.168.122.9' end='::9'/>",
         1, 0, "internal error: mismatch of address family in range 192.168.122.9 - ::9"),
    Case("range-family-network", NAT_HOSTS, ADD_LAST, IP_DHCP_RANGE, "<range start='::8' end='::9'/>", 1, 0,
         "internal error: mismatch of address family in range ::8 - ::9 for network 192.168.122.1"),
    Case("range-outside", NAT_HOSTS, DELETE, IP_DHCP_RANGE, "<range start='10.0.0.10' end='10.0.0.100'/>", 1, 0,
         "internal error: range 10.0.0.10 - 10.0.0.100 is not entirely within network 192.168.122.1/24"),
    Case("range-network-address", NAT_HOSTS, ADD_LAST, IP_DHCP_RANGE,
         "<range start='192.168.122.0' end='192.168.122.9'/>", 1, 0,
         "internal error: start of range 192.168.122.0 - 192.168.122.9 in network 192.168.122.1/24 is the "
         "network address"),
    Case("range-broadcast", NAT_HOSTS, ADD_LAST, IP_DHCP_RANGE,
         "<range start='192.168.122.9' end='192.168.122.255'/>", 1, 0,
         "internal error: end of range 192.168.122.9 - 192.168.122.255 in network 192.168.122.1/24 is the "
         "broadcast address"),
    Case("range-too-large", "<ip address='10.0.0.1' prefix='8'/>", ADD_LAST, IP_DHCP_RANGE,
         "<range start='10.0.0.9' end='10.1.0.9'/>", 1, 0,
         "internal error: range 10.0.0.9 - 10.1.0.9 is too large (> 65535)"),
    Case("range-reversed", NAT_HOSTS, ADD_LAST, IP_DHCP_RANGE, "<range start='192.168.122.9' end='192.168.122.3'/>",
         1, 0, "internal error: range 192.168.122.9 - 192.168.122.3 is reversed "),
    Case("range-v6-reversed", DUAL, ADD_LAST, IP_DHCP_RANGE,
         "<range start='2001:db8:ac10:fd01::9' end='2001:db8:ac10:fd01::3'/>", 1, 0,
         "internal error: range 2001:db8:ac10:fd01::9 - 2001:db8:ac10:fd01::3 start larger than end", parent_index=1),
    Case("range-duplicate", NAT_HOSTS, ADD_LAST, IP_DHCP_RANGE, "<range start='192.168.122.2' end='192.168.122.254'/>",
         55, 19, "Requested operation is not valid: there is an existing dhcp range entry in network '{net}' "
         "that matches \"<range start='192.168.122.2' end='192.168.122.254'/>\""),
    Case("range-delete-missing", NAT_HOSTS, DELETE, IP_DHCP_RANGE, "<range start='192.168.122.2' end='192.168.122.9'/>",
         55, 19, "Requested operation is not valid: couldn't locate a matching dhcp range entry in network '{net}'"),
    # --- forward-interface (§4.3 and the re-parse)
    Case("interface-modify", ROUTE_DEV, MODIFY, FORWARD_INTERFACE, "<interface dev='eth0'/>", 84, 19,
         "Operation not supported: forward interface entries cannot be modified, only added or deleted"),
    Case("interface-no-dev", ROUTE_DEV, ADD_LAST, FORWARD_INTERFACE, "<interface name='eth1'/>", 27, 19,
         "XML error: missing dev attribute in <interface> element"),
    Case("interface-duplicate", ROUTE_DEV, ADD_FIRST, FORWARD_INTERFACE, "<interface dev='eth0'/>", 55, 19,
         "Requested operation is not valid: there is an existing interface entry in network '{net}' that "
         "matches \"<interface dev='eth0'>\""),
    Case("interface-delete-missing", ROUTE_DEV, DELETE, FORWARD_INTERFACE, "<interface dev='eth1'/>", 55, 19,
         "Requested operation is not valid: couldn't find an interface entry in network '{net}' matching "
         "<interface dev='eth1'>"),
    Case("interface-in-use", ROUTE_DEV, DELETE, FORWARD_INTERFACE, "<interface dev='eth0'/>", 55, 19,
         "Requested operation is not valid: unable to delete interface 'eth0' in network '{net}'. It is "
         "currently being used by 3 domains.", connections=3, libvirt=False),
    Case("interface-second-on-route", ROUTE_DEV, ADD_LAST, FORWARD_INTERFACE, "<interface dev='eth1'/>", 27, 19,
         "XML error: multiple forwarding interfaces specified for network '{net}', only one is supported"),
    Case("interface-on-open", OPEN, ADD_LAST, FORWARD_INTERFACE, "<interface dev='eth1'/>", 27, 19,
         "XML error: forward dev not allowed for network '{net}' with forward mode='open'"),
    Case("interface-with-bridge-name", BRIDGE, ADD_LAST, FORWARD_INTERFACE, "<interface dev='eth1'/>", 27, 19,
         "XML error: A network with forward mode='bridge' can specify a bridge name or a forward dev, but not "
         "both (network '{net}')"),
    Case("interface-first-before-pci", HOSTDEV, ADD_FIRST, FORWARD_INTERFACE, "<interface dev='eth1'/>", 27, 19,
         "XML error: the <forward> 'dev' attribute cannot be used when <address> or <pf> sub-elements are "
         "present in network %s"),
    # --- portgroup (§4.4)
    Case("portgroup-no-name", PORTGROUPS, ADD_LAST, PORTGROUP, "<portgroup name=''/>", 27, 19,
         "XML error: Missing required name attribute in portgroup"),
    Case("portgroup-bad-vlan", PORTGROUPS, DELETE, PORTGROUP,
         "<portgroup name='sales'><vlan><tag id='x'/></vlan></portgroup>", 27, 5,
         "XML error: Invalid value for attribute 'id' in element 'tag': 'x'. Expected non-negative integer value"),
    Case("portgroup-duplicate", PORTGROUPS, ADD_FIRST, PORTGROUP, "<portgroup name='sales'/>", 55, 19,
         "Requested operation is not valid: there is an existing portgroup entry in network '{net}' that "
         "matches \"<portgroup name='sales'>\""),
    Case("portgroup-modify-missing", PORTGROUPS, MODIFY, PORTGROUP, "<portgroup name='Sales'/>", 55, 19,
         "Requested operation is not valid: couldn't find a portgroup entry in network '{net}' matching "
         "<portgroup name='Sales'>"),
    Case("portgroup-delete-missing", PORTGROUPS, DELETE, PORTGROUP, "<portgroup name='x'/>", 55, 19,
         "Requested operation is not valid: couldn't find a portgroup entry in network '{net}' matching "
         "<portgroup name='x'>"),
    Case("portgroup-second-default", PORTGROUPS, MODIFY, PORTGROUP, "<portgroup name='sales' default='YES'/>",
         55, 19, "Requested operation is not valid: a different portgroup entry in network '{net}' is already "
         "set as the default. Only one default is allowed."),
    Case("portgroup-raw-name", PORTGROUPS, ADD_LAST, PORTGROUP, "<portgroup name=\"a'b\"/>", 35, 19,
         "(network_definition):10: attributes construct error\n  <portgroup name='a'b'>\n---------------------^"),
    Case("portgroup-duplicate-native-vlan", PORTGROUPS, ADD_LAST, PORTGROUP,
         "<portgroup name='v'><vlan trunk='yes'><tag id='5' nativeMode='untagged'/><tag id='5'/></vlan></portgroup>",
         27, 0, "XML error: duplicate native vlan setting"),
    # --- dns-host (§4.5)
    Case("dns-host-modify-9.0.0", DNS_RECORDS, MODIFY, DNS_HOST, "<bogus/>", 27, 19,
         "XML error: unexpected element <bogus>, expecting <host>, while updating network '{net}'", libvirt=False),
    Case("dns-host-only-empty-hostname", DNS_RECORDS, ADD_LAST, DNS_HOST,
         "<host ip='192.168.122.9'><hostname></hostname></host>", 35, 19,
         "Missing hostname in network '{net}' DNS HOST record"),
    Case("dns-host-no-hostname", DNS_RECORDS, ADD_LAST, DNS_HOST, "<host ip='192.168.122.9'/>", 35, 19,
         "Missing hostname in network '{net}' DNS HOST record"),
    Case("dns-host-bad-ip", DNS_RECORDS, DELETE, DNS_HOST, "<host ip='192.168.122.333'/>", 35, 19,
         "Invalid IP address in network '{net}' DNS HOST record"),
    Case("dns-host-no-ip", DNS_RECORDS, ADD_FIRST, DNS_HOST, "<host><hostname>gateway</hostname></host>", 35, 19,
         "Missing IP address in network '{net}' DNS HOST record"),
    Case("dns-host-no-ip-no-name", DNS_RECORDS, DELETE, DNS_HOST, "<host protocol='name'/>", 35, 19,
         "Missing ip and hostname in network '{net}' DNS HOST record"),
    Case("dns-host-duplicate-ip", DNS_RECORDS, ADD_LAST, DNS_HOST,
         "<host ip='192.168.122.1'><hostname>new</hostname></host>", 55, 19,
         "Requested operation is not valid: there is already at least one DNS HOST record with a matching field "
         "in network {net}"),
    Case("dns-host-delete-missing", DNS_RECORDS, DELETE, DNS_HOST, "<host ip='192.168.122.9'/>", 55, 19,
         "Requested operation is not valid: couldn't locate a matching DNS HOST record in network {net}"),
    Case("dns-host-delete-ambiguous", DNS_RECORDS, DELETE, DNS_HOST,
         "<host ip='192.168.122.2'><hostname>gateway</hostname></host>", 55, 19,
         "Requested operation is not valid: multiple matching DNS HOST records were found in network {net}"),
    Case("dns-host-disabled", DNS_OFF, ADD_LAST, DNS_HOST, "<host ip='10.4.0.5'><hostname>a</hostname></host>",
         27, 19, "XML error: Extra data in disabled network '{net}'"),
    Case("dns-host-modify-not-found", DNS_RECORDS, MODIFY, DNS_HOST,
         "<host ip='192.168.122.9'><hostname>host</hostname></host>", 55, 19,
         "Requested operation is not valid: couldn't locate a matching DNS HOST record in network {net}",
         libvirt=False),
    Case("dns-host-modify-without-hostname", DNS_RECORDS, MODIFY, DNS_HOST, "<host ip='192.168.122.2'/>", 35, 19,
         "Missing hostname in network '{net}' DNS HOST record", libvirt=False),
    # --- dns-txt (§4.6)
    Case("txt-no-name", DNS_RECORDS, DELETE, DNS_TXT, "<txt value='x'/>", 35, 19,
         "missing required name attribute in DNS TXT record of network {net}"),
    Case("txt-bad-name", DNS_RECORDS, ADD_LAST, DNS_TXT, "<txt name='a,b' value='x'/>", 35, 19,
         "prohibited character in DNS TXT record name 'a,b' of network {net}"),
    Case("txt-no-value", DNS_RECORDS, ADD_LAST, DNS_TXT, "<txt name='new'/>", 35, 19,
         "missing required value attribute in DNS TXT record named 'new' of network {net}"),
    Case("txt-name-line-feed-fails-the-reparse", DNS_RECORDS, ADD_LAST, DNS_TXT, "<txt name='a&#10;b' value='v'/>",
         35, 19, "prohibited character in DNS TXT record name 'a b' of network {net}"),
    Case("txt-duplicate", DNS_RECORDS, ADD_FIRST, DNS_TXT, "<txt name='example' value='other'/>", 55, 19,
         "Requested operation is not valid: there is already a DNS TXT record with name 'example' in network {net}"),
    Case("txt-delete-missing", DNS_RECORDS, DELETE, DNS_TXT, "<txt name='snowman'/>", 55, 19,
         "Requested operation is not valid: couldn't locate a matching DNS TXT record in network {net}"),
    Case("txt-disabled", DNS_OFF, ADD_LAST, DNS_TXT, "<txt name='a' value='b'/>", 27, 19,
         "XML error: Extra data in disabled network '{net}'"),
    Case("txt-modify-missing", DNS_RECORDS, MODIFY, DNS_TXT, "<txt name='notexisted' value='x'/>", 55, 19,
         "Requested operation is not valid: couldn't locate a matching DNS TXT record in network {net}",
         libvirt=False),
    Case("txt-modify-without-value", DNS_RECORDS, MODIFY, DNS_TXT, "<txt name='example'/>", 35, 19,
         "missing required value attribute in DNS TXT record named 'example' of network {net}", libvirt=False),
    # --- dns-srv (§4.7)
    Case("srv-no-service", DNS_RECORDS, ADD_LAST, DNS_SRV, "<srv protocol='tcp'/>", 35, 19,
         "missing required service attribute in DNS SRV record of network '{net}'"),
    Case("srv-long-service", DNS_RECORDS, DELETE, DNS_SRV, f"<srv service='{LONG_SERVICE}'/>", 35, 19,
         f"service attribute '{LONG_SERVICE}' in network '{{net}}' is too long, limit is 482 bytes"),
    Case("srv-bad-service", DNS_RECORDS, DELETE, DNS_SRV, "<srv service='a.b'/>", 35, 19,
         "invalid character in service attribute 'a.b' in DNS SRV record of network '{net}'"),
    Case("srv-no-protocol", DNS_RECORDS, ADD_LAST, DNS_SRV, "<srv service='x'/>", 35, 19,
         "missing required protocol attribute in DNS SRV record 'x' of network '{net}'"),
    Case("srv-bad-protocol", DNS_RECORDS, ADD_LAST, DNS_SRV, "<srv service='x' protocol='t_p'/>", 35, 19,
         "invalid character in protocol attribute 't_p' in DNS SRV record of network '{net}'"),
    Case("srv-port-without-target", DNS_RECORDS, DELETE, DNS_SRV, f"{SRV} port='5'/>", 35, 19,
         "DNS SRV port attribute not permitted without target for service 'name' in network '{net}'"),
    Case("srv-bad-port", DNS_RECORDS, ADD_LAST, DNS_SRV, f"{SRV} target='t' port='0'/>", 35, 19,
         "invalid DNS SRV port attribute for service 'name' in network '{net}'"),
    Case("srv-priority-without-target", DNS_RECORDS, ADD_LAST, DNS_SRV, f"{SRV} priority='5'/>", 35, 19,
         "DNS SRV priority attribute not permitted without target for service 'name' in network '{net}'"),
    Case("srv-bad-priority", DNS_RECORDS, ADD_LAST, DNS_SRV, f"{SRV} target='t' priority='65536'/>", 35, 19,
         "Invalid DNS SRV priority attribute for service 'name' in network '{net}'"),
    Case("srv-weight-without-target", DNS_RECORDS, ADD_LAST, DNS_SRV, f"{SRV} weight='5'/>", 35, 19,
         "DNS SRV weight attribute not permitted without target for service 'name' in network '{net}'"),
    Case("srv-bad-weight", DNS_RECORDS, ADD_LAST, DNS_SRV, f"{SRV} target='t' weight='x'/>", 35, 19,
         "invalid DNS SRV weight attribute for service 'name' in network '{net}'"),
    Case("srv-duplicate", DNS_RECORDS, ADD_LAST, DNS_SRV, f"{SRV}/>", 55, 19,
         "Requested operation is not valid: there is already at least one DNS SRV record matching all specified "
         "fields in network {net}"),
    Case("srv-delete-missing", DNS_RECORDS, DELETE, DNS_SRV, "<srv protocol='udp'/>", 55, 19,
         "Requested operation is not valid: couldn't locate a matching DNS SRV record in network {net}"),
    Case("srv-delete-ambiguous", DNS_RECORDS, DELETE, DNS_SRV, "<srv/>", 55, 19,
         "Requested operation is not valid: multiple DNS SRV records matching all specified fields were found "
         "in network {net}"),
    Case("srv-disabled", DNS_OFF, ADD_LAST, DNS_SRV, f"{SRV}/>", 27, 19,
         "XML error: Extra data in disabled network '{net}'"),
    Case("srv-modify-ambiguous", DNS_RECORDS, MODIFY, DNS_SRV, f"{SRV}/>", 55, 19,
         "Requested operation is not valid: multiple DNS SRV records matching all specified fields were found "
         "in network {net}", libvirt=False),
    Case("srv-modify-without-protocol", DNS_RECORDS, MODIFY, DNS_SRV, "<srv service='name' domain='donkey'/>",
         35, 19, "missing required protocol attribute in DNS SRV record 'name' of network '{net}'", libvirt=False),
    Case("srv-delete-fields-match-different-records", SRV_SPLIT, DELETE, DNS_SRV,
         "<srv service='a' protocol='udp' domain='d2' target='t1'/>", 55, 19,
         "Requested operation is not valid: couldn't locate a matching DNS SRV record in network {net}"),
    Case("srv-modify-fields-match-different-records", SRV_SPLIT, MODIFY, DNS_SRV,
         "<srv service='b' protocol='tcp' domain='d1' target='t2'/>", 55, 19,
         "Requested operation is not valid: couldn't locate a matching DNS SRV record in network {net}",
         libvirt=False),
    # --- definitions libvirt cannot copy (the copy fails before the fragment is read)
    Case("copy-fails-delay", BAD_DELAY, ADD_LAST, IP_DHCP_HOST, "<bogus", 27, 19,
         "XML error: Invalid delay value in network '{net}'"),
    Case("copy-fails-raw-domain", RAW_DOMAIN, ADD_LAST, 99, "<bogus/>", 35, 19,
         "(network_definition):5: EntityRef: expecting ';'\n  <domain name='a&b'/>\n-------------------^"),
    # --- netstore's injection safety (libvirt accepts these)
    Case("safety-host-name-comma", NAT_HOSTS, ADD_LAST, IP_DHCP_HOST, "<host name='vm1,ignore' ip='192.168.122.5'/>",
         27, 19, "XML error: DHCP <host> attribute 'name' ('vm1,ignore') in network '{net}' contains a comma, "
         "which would add a field to the dnsmasq hosts file", libvirt=False),
    Case("safety-host-mac-tail", NAT_HOSTS, MODIFY, IP_DHCP_HOST,
         "<host mac='00:16:3e:77:e2:ed xyz' ip='192.168.122.10'/>", 27, 19,
         "XML error: DHCP <host> attribute 'mac' ('00:16:3e:77:e2:ed xyz') in network '{net}' is not only a MAC "
         "address: the rest would be written to the dnsmasq hosts file", libvirt=False),
    Case("safety-dns-hostname-newline", DNS_RECORDS, ADD_LAST, DNS_HOST,
         "<host ip='192.168.122.7'><hostname>h1\n10.0.0.1 evil</hostname></host>", 27, 19,
         "XML error: DNS <host> <hostname> ('h1\\n10.0.0.1 evil') in network '{net}' contains a control "
         "character (U+000A), which would add a line to the dnsmasq addn-hosts file", libvirt=False),
    Case("safety-txt-value-cr", DNS_RECORDS, MODIFY, DNS_TXT, "<txt name='example' value='x&#13;dhcp-script=/x'/>",
         27, 19, "XML error: DNS <txt> attribute 'value' ('x\\rdhcp-script=/x') in network '{net}' contains a "
         "control character (U+000D), which would add a line to the dnsmasq configuration", libvirt=False),
    Case("safety-srv-target-space", DNS_RECORDS, ADD_LAST, DNS_SRV,
         "<srv service='new' protocol='tcp' target='a b'/>", 27, 19,
         "XML error: DNS <srv> attribute 'target' ('a b') in network '{net}' contains whitespace, which would "
         "add a field to the dnsmasq configuration", libvirt=False),
]


def _run(case: Case, name: str) -> Optional[tuple[int, int, str]]:
    defn = parse_network_xml(network_xml(case.base, name))
    if case.connections:
        defn.forward.ifaces[0].connections = case.connections
    return update_error(defn, case.command, case.section, case.xml, case.parent_index, inactive=True)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_message(case: Case) -> None:
    expected = (case.code, case.domain, case.message.format(net="net1"))
    assert _run(case, "net1") == expected


ORACLE_CASES = [case for case in CASES if case.libvirt]


@pytest.mark.parametrize("case", ORACLE_CASES, ids=[case.id for case in ORACLE_CASES])
def test_message_matches_libvirt(case: Case, testdriver: Any, libvirt_module: Any) -> None:
    name = unique_name("em")
    net = testdriver.networkDefineXML(network_xml(case.base, name, uuid=None))
    try:
        got = error_of(lambda: net.update(case.command, case.section, case.parent_index, case.xml, 0),
                       libvirt_module.libvirtError)
    finally:
        net.undefine()
    assert got == (case.code, case.domain, case.message.format(net=name))
    assert _run(case, name) == got


# The range parser already refuses a range of the other family (1/0 "mismatch of
# address family ... for network"), so libvirt's own check after it never fires.
UNREACHABLE = {"the address family of a dhcp range must match the address family "}


def test_every_section_message_is_covered() -> None:
    """The table reaches every error message the engine itself words."""
    texts = " ".join(case.message for case in CASES)
    sources = "".join(path.read_text() for path in Path(engine.__file__).parent.glob("*.py"))
    raisers = r"(?:operation_invalid|operation_unsupported|xml_error|xml_detail)"
    literals = re.findall(raisers + r'\(\s*f?"([^"{]{12,})', sources)
    assert len(literals) > 40
    for literal in literals:
        assert literal in texts or literal in UNREACHABLE, literal
