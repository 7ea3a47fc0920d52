"""``<ip>``, ``<dhcp>`` (range, host, lease, bootp) and ``<route>`` as libvirt 9.0.0
parses them.  Expected errors come from libvirt's test driver and are
re-checked against it when libvirt-python is installed."""

from __future__ import annotations

import pytest
from lxml import etree

import netstore
from netstore.errors import libvirtError
from netstore.model.address import parse_address
from netstore.model.parse_ip import ip_prefix, parse_dhcp_host, parse_dhcp_range, parse_route
from netstore.model.parse_network import parse_network_xml
from netstore.model.types import IPDef
from tests.model.parse_oracle import error_of, libvirt_outcome, netstore_outcome

ERRORS = [
    ('range-in-v4-32', "<network><name>t</name><ip address='10.0.0.1' prefix='32'><dhcp><range start='10.0.0.1' end='10.0.0.1'/></dhcp></ip></network>", (1, 0, "internal error: start of range 10.0.0.1 - 10.0.0.1 in network 10.0.0.1/32 is the network address")),
    ('range-in-v4-31-start', "<network><name>t</name><ip address='10.0.0.1' prefix='31'><dhcp><range start='10.0.0.0' end='10.0.0.1'/></dhcp></ip></network>", (1, 0, "internal error: start of range 10.0.0.0 - 10.0.0.1 in network 10.0.0.1/31 is the network address")),
    ('ip-no-address', "<network><name>t</name><ip prefix='24'/></network>", (27, 19, "XML error: Missing required address attribute in network 't'")),
    ('ip-empty-address', "<network><name>t</name><ip address=''/></network>", (27, 19, "XML error: Missing required address attribute in network 't'")),
    ('ip-bad-address', "<network><name>t</name><ip address='10.0.0.256'/></network>", (27, 19, "XML error: Invalid address '10.0.0.256' in network 't'")),
    ('ip-space-address', "<network><name>t</name><ip address=' 10.0.0.1'/></network>", (27, 19, "XML error: Invalid address ' 10.0.0.1' in network 't'")),
    ('ip-bad-netmask', "<network><name>t</name><ip address='10.0.0.1' netmask='bogus'/></network>", (27, 19, "XML error: Invalid netmask 'bogus' in network 't'")),
    ('ip-bad-prefix', "<network><name>t</name><ip address='10.0.0.1' prefix='-1'/></network>", (27, 5, "XML error: Invalid value for attribute 'prefix' in element 'ip': '-1'. Expected non-negative integer value")),
    ('ip-empty-prefix', "<network><name>t</name><ip address='10.0.0.1' prefix=''/></network>", (27, 5, "XML error: Invalid value for attribute 'prefix' in element 'ip': ''. Expected non-negative integer value")),
    ('ip-bad-localptr', "<network><name>t</name><ip address='10.0.0.1' localPtr='maybe'/></network>", (27, 5, "XML error: Invalid value for attribute 'localPtr' in element 'ip': 'maybe'.")),
    ('ip-v6-without-family', "<network><name>t</name><ip address='2001:db8::1'/></network>", (67, 19, "unsupported configuration: no family specified for non-IPv4 address '2001:db8::1' in network 't'")),
    ('ip-v6-with-family-ipv4', "<network><name>t</name><ip family='ipv4' address='2001:db8::1'/></network>", (67, 19, "unsupported configuration: ipv4 family specified for non-IPv4 address '2001:db8::1' in network 't'")),
    ('ip-v6-netmask', "<network><name>t</name><ip address='10.0.0.1' netmask='ffff::'/></network>", (67, 19, "unsupported configuration: Invalid netmask 'ffff::' for address '10.0.0.1' in network 't' (both must be IPv4)")),
    ('ip-netmask-and-prefix', "<network><name>t</name><ip address='10.0.0.1' netmask='255.0.0.0' prefix='8'/></network>", (67, 19, "unsupported configuration: Network 't' IP address cannot have both a prefix and a netmask")),
    ('ip-v4-prefix-33', "<network><name>t</name><ip address='10.0.0.1' prefix='33'/></network>", (67, 19, "unsupported configuration: Invalid IPv4 prefix '33' in network 't'")),
    ('ip-ipv6-family-v4-address', "<network><name>t</name><ip family='ipv6' address='10.0.0.1'/></network>", (67, 19, "unsupported configuration: Family 'ipv6' specified for non-IPv6 address '10.0.0.1' in network 't'")),
    ('ip-ipv6-netmask', "<network><name>t</name><ip family='ipv6' address='2001:db8::1' netmask='255.0.0.0'/></network>", (67, 19, "unsupported configuration: netmask not allowed for IPv6 address '2001:db8::1' in network 't'")),
    ('ip-v6-prefix-129', "<network><name>t</name><ip family='ipv6' address='2001:db8::1' prefix='129'/></network>", (67, 19, "unsupported configuration: Invalid IPv6 prefix '129' in network 't'")),
    ('ip-family-case', "<network><name>t</name><ip family='IPv4' address='10.0.0.1'/></network>", (27, 19, "XML error: Unrecognized family 'IPv4' in network 't'")),
    ('ip-tftp-v6', "<network><name>t</name><ip family='ipv6' address='2001:db8::1' prefix='64'><tftp/></ip></network>", (67, 19, "unsupported configuration: Unsupported <tftp> element in an IPv6 element in network 't'")),
    ('ip-dhcp-before-tftp', "<network><name>t</name><ip family='ipv6' address='2001:db8::1' prefix='64'><tftp/><dhcp><range start='x'/></dhcp></ip></network>", (38, 0, "Cannot parse socket address 'x': Name or service not known")),
    ('range-no-start', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><range end='10.0.0.9'/></dhcp></ip></network>", (27, 19, "XML error: Missing 'start' attribute in dhcp range for network 't'")),
    ('range-empty-start', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><range start='' end='10.0.0.9'/></dhcp></ip></network>", (38, 0, "Cannot parse socket address '': Name or service not known")),
    ('range-bad-start-before-missing-end', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><range start='bogus'/></dhcp></ip></network>", (38, 0, "Cannot parse socket address 'bogus': Name or service not known")),
    ('range-no-end', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><range start='10.0.0.2'/></dhcp></ip></network>", (27, 19, "XML error: Missing 'end' attribute in dhcp range for network 't'")),
    ('range-bad-end', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><range start='10.0.0.2' end='bogus'/></dhcp></ip></network>", (38, 0, "Cannot parse socket address 'bogus': Name or service not known")),
    ('range-family-mismatch', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><range start='10.0.0.2' end='2001:db8::2'/></dhcp></ip></network>", (1, 0, 'internal error: mismatch of address family in range 10.0.0.2 - 2001:db8::2')),
    ('range-network-family', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><range start='2001:db8::2' end='2001:db8::3'/></dhcp></ip></network>", (1, 0, 'internal error: mismatch of address family in range 2001:db8::2 - 2001:db8::3 for network 10.0.0.1')),
    ('range-bad-prefix-class-d', "<network><name>t</name><ip address='224.0.0.1'><dhcp><range start='224.0.0.2' end='224.0.0.3'/></dhcp></ip></network>", (1, 0, 'internal error: bad prefix -1 for network 224.0.0.1 when  checking range 224.0.0.2 - 224.0.0.3')),
    ('range-bad-prefix-netmask', "<network><name>t</name><ip address='10.0.0.1' netmask='255.0.255.0'><dhcp><range start='10.0.0.2' end='10.0.0.3'/></dhcp></ip></network>", (1, 0, 'internal error: bad prefix -1 for network 10.0.0.1 when  checking range 10.0.0.2 - 10.0.0.3')),
    ('range-outside', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><range start='10.0.1.2' end='10.0.1.3'/></dhcp></ip></network>", (1, 0, 'internal error: range 10.0.1.2 - 10.0.1.3 is not entirely within network 10.0.0.1/24')),
    ('range-network-address', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><range start='10.0.0.0' end='10.0.0.5'/></dhcp></ip></network>", (1, 0, 'internal error: start of range 10.0.0.0 - 10.0.0.5 in network 10.0.0.1/24 is the network address')),
    ('range-broadcast', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><range start='10.0.0.2' end='10.0.0.255'/></dhcp></ip></network>", (1, 0, 'internal error: end of range 10.0.0.2 - 10.0.0.255 in network 10.0.0.1/24 is the broadcast address')),
    ('range-reversed', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><range start='10.0.0.9' end='10.0.0.2'/></dhcp></ip></network>", (1, 0, 'internal error: range 10.0.0.9 - 10.0.0.2 is reversed ')),
    ('range-too-large', "<network><name>t</name><ip address='10.0.0.1' prefix='8'><dhcp><range start='10.0.0.2' end='10.1.0.2'/></dhcp></ip></network>", (1, 0, 'internal error: range 10.0.0.2 - 10.1.0.2 is too large (> 65535)')),
    ('range-v6-too-large', "<network><name>t</name><ip family='ipv6' address='2001:db8::1' prefix='64'><dhcp><range start='2001:db8::' end='2001:db8::1:0'/></dhcp></ip></network>", (1, 0, 'internal error: range 2001:db8:: - 2001:db8::1:0 is too large (> 65535)')),
    ('range-v6-reversed', "<network><name>t</name><ip family='ipv6' address='2001:db8::1' prefix='64'><dhcp><range start='2001:db8::9' end='2001:db8::2'/></dhcp></ip></network>", (1, 0, 'internal error: range 2001:db8::9 - 2001:db8::2 start larger than end')),
    ('range-classful-default', "<network><name>t</name><ip address='10.0.0.1'><dhcp><range start='11.0.0.2' end='11.0.0.3'/></dhcp></ip></network>", (1, 0, 'internal error: range 11.0.0.2 - 11.0.0.3 is not entirely within network 10.0.0.1/8')),
    ('range-before-lease', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><range start='10.0.0.2' end='10.0.1.9'><lease expiry='1' unit='seconds'/></range></dhcp></ip></network>", (1, 0, 'internal error: range 10.0.0.2 - 10.0.1.9 is not entirely within network 10.0.0.1/24')),
    ('lease-too-short-minutes', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><range start='10.0.0.2' end='10.0.0.9'><lease expiry='1'/></range></dhcp></ip></network>", (67, 19, 'unsupported configuration: The minimum lease time should be greater than 2 minutes')),
    ('lease-too-short-seconds', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><range start='10.0.0.2' end='10.0.0.9'><lease expiry='119' unit='seconds'/></range></dhcp></ip></network>", (67, 19, 'unsupported configuration: The minimum lease time should be greater than 2 minutes')),
    ('lease-bad-unit', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><range start='10.0.0.2' end='10.0.0.9'><lease expiry='5' unit='Hours'/></range></dhcp></ip></network>", (27, 5, "XML error: Invalid value for attribute 'unit' in element 'lease': 'Hours'.")),
    ('lease-empty-unit', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><range start='10.0.0.2' end='10.0.0.9'><lease expiry='5' unit=''/></range></dhcp></ip></network>", (27, 5, "XML error: Invalid value for attribute 'unit' in element 'lease': ''.")),
    ('lease-empty-expiry', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><range start='10.0.0.2' end='10.0.0.9'><lease expiry=''/></range></dhcp></ip></network>", (27, 5, "XML error: Invalid value for attribute 'expiry' in element 'lease': ''. Expected non-negative integer value")),
    ('lease-negative', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><range start='10.0.0.2' end='10.0.0.9'><lease expiry='-1'/></range></dhcp></ip></network>", (27, 5, "XML error: Invalid value for attribute 'expiry' in element 'lease': '-1'. Expected non-negative integer value")),
    ('lease-overflow', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><range start='10.0.0.2' end='10.0.0.9'><lease expiry='18446744073709551616' unit='hours'/></range></dhcp></ip></network>", (27, 5, "XML error: Invalid value for attribute 'expiry' in element 'lease': '18446744073709551616'. Expected non-negative integer value")),
    ('lease-first-bad-wins', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><range start='10.0.0.2' end='10.0.0.9'><lease expiry='1' unit='seconds'/><lease expiry='x'/></range></dhcp></ip></network>", (67, 19, 'unsupported configuration: The minimum lease time should be greater than 2 minutes')),
    ('host-mac-in-v6', "<network><name>t</name><ip family='ipv6' address='2001:db8::1' prefix='64'><dhcp><host mac='00:16:3e:77:e2:ed' ip='2001:db8::3'/></dhcp></ip></network>", (27, 19, "XML error: Invalid to specify MAC address '00:16:3e:77:e2:ed' in network 't' IPv6 static host definition")),
    ('host-bad-mac', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><host mac='00:16:3e:77:e2' ip='10.0.0.3'/></dhcp></ip></network>", (27, 19, "XML error: Cannot parse MAC address '00:16:3e:77:e2' in network 't'")),
    ('host-empty-mac', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><host mac='' ip='10.0.0.3'/></dhcp></ip></network>", (27, 19, "XML error: Cannot parse MAC address '' in network 't'")),
    ('host-multicast-mac', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><host mac='01:16:3e:77:e2:ed' ip='10.0.0.3'/></dhcp></ip></network>", (27, 19, "XML error: expected unicast mac address, found multicast '01:16:3e:77:e2:ed' in network 't'")),
    ('host-bad-id', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><host id='0:1:g' name='x' ip='10.0.0.3'/></dhcp></ip></network>", (27, 19, "XML error: Invalid character 'g' in id '0:1:g' of network 't'")),
    ('host-empty-name', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><host name='' ip='10.0.0.3'/></dhcp></ip></network>", (27, 19, "XML error: Cannot use host name '' in network 't'")),
    ('host-name-dash', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><host name='-x' ip='10.0.0.3'/></dhcp></ip></network>", (27, 19, "XML error: Cannot use host name '-x' in network 't'")),
    ('host-name-non-ascii', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><host name='é' ip='10.0.0.3'/></dhcp></ip></network>", (27, 19, "XML error: Cannot use host name 'é' in network 't'")),
    ('host-bad-ip', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><host name='x' ip='bogus'/></dhcp></ip></network>", (27, 19, "XML error: Invalid IP address in static host definition for network 't'")),
    ('host-empty-ip', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><host name='x' ip=''/></dhcp></ip></network>", (27, 19, "XML error: Invalid IP address in static host definition for network 't'")),
    ('host-no-ip', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><host name='x'/></dhcp></ip></network>", (27, 19, "XML error: Missing IP address in static host definition for network 't'")),
    ('host-v4-needs-mac-or-name', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><host id='01' ip='10.0.0.3'/></dhcp></ip></network>", (27, 19, "XML error: Static host definition in IPv4 network 't' must have mac or name attribute")),
    ('host-v6-needs-id-or-name', "<network><name>t</name><ip family='ipv6' address='2001:db8::1' prefix='64'><dhcp><host ip='2001:db8::3'/></dhcp></ip></network>", (27, 19, "XML error: Static host definition in IPv6 network 't' must have id or name attribute")),
    ('host-check-order', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><host mac='bogus' name='-' ip='x'/></dhcp></ip></network>", (27, 19, "XML error: Cannot parse MAC address 'bogus' in network 't'")),
    ('host-lease', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><host name='x' ip='10.0.0.3'><lease expiry='1'/></host></dhcp></ip></network>", (67, 19, 'unsupported configuration: The minimum lease time should be greater than 2 minutes')),
    ('dhcp-document-order', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><host name='-x' ip='10.0.0.3'/><range start='10.0.0.2' end='10.0.1.9'/></dhcp></ip></network>", (27, 19, "XML error: Cannot use host name '-x' in network 't'")),
    ('bootp-bad-server', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><bootp file='a' server='bogus'/></dhcp></ip></network>", (38, 0, "Cannot parse socket address 'bogus': Name or service not known")),
    ('bootp-empty-server', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><range start='10.0.0.2' end='10.0.0.9'/><bootp file='a' server=''/></dhcp></ip></network>", (38, 0, "Cannot parse socket address '': Name or service not known")),
    ('route-no-address', "<network><name>t</name><ip address='10.0.0.1' prefix='24'/><ip family='ipv6' address='2001:db8::1' prefix='64'/><route prefix='16' gateway='10.0.0.2'/></network>", (27, 19, 'XML error: t: Missing required address attribute in route definition')),
    ('route-no-gateway', "<network><name>t</name><ip address='10.0.0.1' prefix='24'/><ip family='ipv6' address='2001:db8::1' prefix='64'/><route address='10.1.0.0' prefix='16'/></network>", (27, 19, 'XML error: t: Missing required gateway attribute in route definition')),
    ('route-bad-address', "<network><name>t</name><ip address='10.0.0.1' prefix='24'/><ip family='ipv6' address='2001:db8::1' prefix='64'/><route address='bogus' prefix='16' gateway='10.0.0.2'/></network>", (27, 19, "XML error: t: Bad network address 'bogus' in route definition")),
    ('route-bad-gateway', "<network><name>t</name><ip address='10.0.0.1' prefix='24'/><ip family='ipv6' address='2001:db8::1' prefix='64'/><route address='10.1.0.0' prefix='16' gateway='bogus'/></network>", (27, 19, "XML error: t: Bad gateway address 'bogus' in route definition")),
    ('route-v6-address-no-family', "<network><name>t</name><ip address='10.0.0.1' prefix='24'/><ip family='ipv6' address='2001:db8::1' prefix='64'/><route address='2001:db9::' prefix='64' gateway='10.0.0.2'/></network>", (27, 19, "XML error: t: No family specified for non-IPv4 address '2001:db9::' in route definition")),
    ('route-v6-gateway-no-family', "<network><name>t</name><ip address='10.0.0.1' prefix='24'/><ip family='ipv6' address='2001:db8::1' prefix='64'/><route address='10.1.0.0' prefix='16' gateway='2001:db8::2'/></network>", (27, 19, "XML error: t: No family specified for non-IPv4 gateway '10.1.0.0' in route definition")),
    ('route-v6-address-ipv4-family', "<network><name>t</name><ip address='10.0.0.1' prefix='24'/><ip family='ipv6' address='2001:db8::1' prefix='64'/><route family='ipv4' address='2001:db9::' prefix='64' gateway='10.0.0.2'/></network>", (27, 19, "XML error: t: IPv4 family specified for non-IPv4 address '2001:db9::' in route definition")),
    ('route-v6-gateway-ipv4-family', "<network><name>t</name><ip address='10.0.0.1' prefix='24'/><ip family='ipv6' address='2001:db8::1' prefix='64'/><route family='ipv4' address='10.1.0.0' prefix='16' gateway='2001:db8::2'/></network>", (27, 19, "XML error: t: IPv4 family specified for non-IPv4 gateway '10.1.0.0' in route definition")),
    ('route-bad-netmask', "<network><name>t</name><ip address='10.0.0.1' prefix='24'/><ip family='ipv6' address='2001:db8::1' prefix='64'/><route address='10.1.0.0' netmask='bogus' gateway='10.0.0.2'/></network>", (27, 19, "XML error: t: Bad netmask address 'bogus' in route definition")),
    ('route-empty-netmask', "<network><name>t</name><ip address='10.0.0.1' prefix='24'/><ip family='ipv6' address='2001:db8::1' prefix='64'/><route address='10.1.0.0' netmask='' gateway='10.0.0.2'/></network>", (27, 19, "XML error: t: Bad netmask address '' in route definition")),
    ('route-v6-netmask', "<network><name>t</name><ip address='10.0.0.1' prefix='24'/><ip family='ipv6' address='2001:db8::1' prefix='64'/><route address='10.1.0.0' netmask='::' gateway='10.0.0.2'/></network>", (27, 19, "XML error: t: Invalid netmask '::' for address '10.1.0.0' (both must be IPv4)")),
    ('route-netmask-and-prefix-0', "<network><name>t</name><ip address='10.0.0.1' prefix='24'/><ip family='ipv6' address='2001:db8::1' prefix='64'/><route address='10.1.0.0' netmask='255.255.0.0' prefix='0' gateway='10.0.0.2'/></network>", (27, 19, 'XML error: t: Route definition cannot have both a prefix and a netmask')),
    ('route-prefix-33', "<network><name>t</name><ip address='10.0.0.1' prefix='24'/><ip family='ipv6' address='2001:db8::1' prefix='64'/><route address='10.1.0.0' prefix='33' gateway='10.0.0.2'/></network>", (27, 19, 'XML error: t: Invalid prefix 33 specified in route definition, must be 0 - 32')),
    ('route-ipv6-family-v4-address', "<network><name>t</name><ip address='10.0.0.1' prefix='24'/><ip family='ipv6' address='2001:db8::1' prefix='64'/><route family='ipv6' address='10.1.0.0' prefix='64' gateway='2001:db8::2'/></network>", (27, 19, "XML error: t: ipv6 family specified for non-IPv6 address '10.1.0.0' in route definition")),
    ('route-ipv6-netmask', "<network><name>t</name><ip address='10.0.0.1' prefix='24'/><ip family='ipv6' address='2001:db8::1' prefix='64'/><route family='ipv6' address='2001:db9::' netmask='255.0.0.0' gateway='2001:db8::2'/></network>", (27, 19, "XML error: t: Specifying netmask invalid for IPv6 address '2001:db9::' in route definition")),
    ('route-ipv6-v4-gateway', "<network><name>t</name><ip address='10.0.0.1' prefix='24'/><ip family='ipv6' address='2001:db8::1' prefix='64'/><route family='ipv6' address='2001:db9::' prefix='64' gateway='10.0.0.2'/></network>", (27, 19, "XML error: t: ipv6 specified for non-IPv6 gateway address '10.0.0.2' in route definition")),
    ('route-prefix-129', "<network><name>t</name><ip address='10.0.0.1' prefix='24'/><ip family='ipv6' address='2001:db8::1' prefix='64'/><route family='ipv6' address='2001:db9::' prefix='129' gateway='2001:db8::2'/></network>", (27, 19, 'XML error: t: Invalid prefix 129 specified in route definition, must be 0 - 128')),
    ('route-empty-family', "<network><name>t</name><ip address='10.0.0.1' prefix='24'/><ip family='ipv6' address='2001:db8::1' prefix='64'/><route family='' address='10.1.0.0' prefix='16' gateway='10.0.0.2'/></network>", (27, 19, "XML error: t: Unrecognized family '' in route definition")),
    ('route-family-case', "<network><name>t</name><ip address='10.0.0.1' prefix='24'/><ip family='ipv6' address='2001:db8::1' prefix='64'/><route family='IPV6' address='2001:db9::' gateway='2001:db8::2'/></network>", (27, 19, "XML error: t: Unrecognized family 'IPV6' in route definition")),
    ('route-host-bits', "<network><name>t</name><ip address='10.0.0.1' prefix='24'/><ip family='ipv6' address='2001:db8::1' prefix='64'/><route address='10.1' prefix='16' gateway='10.0.0.2'/></network>", (27, 19, "XML error: t: Address '10.1' in route definition is not a network address")),
    ('route-no-prefix-is-zero', "<network><name>t</name><ip address='10.0.0.1' prefix='24'/><ip family='ipv6' address='2001:db8::1' prefix='64'/><route address='10.0.0.0' gateway='10.0.0.2'/></network>", (27, 19, "XML error: t: Address '10.0.0.0' in route definition is not a network address")),
    ('route-v6-host-bits', "<network><name>t</name><ip address='10.0.0.1' prefix='24'/><ip family='ipv6' address='2001:db8::1' prefix='64'/><route family='ipv6' address='2001:db9::1' prefix='64' gateway='2001:db8::2'/></network>", (27, 19, "XML error: t: Address '2001:db9::1' in route definition is not a network address")),
    ('route-metric-zero', "<network><name>t</name><ip address='10.0.0.1' prefix='24'/><ip family='ipv6' address='2001:db8::1' prefix='64'/><route address='10.1.0.0' prefix='16' gateway='10.0.0.2' metric='0'/></network>", (27, 5, "XML error: Invalid value for attribute 'metric' in element 'route': Zero is not permitted")),
    ('route-metric-bad', "<network><name>t</name><ip address='10.0.0.1' prefix='24'/><ip family='ipv6' address='2001:db8::1' prefix='64'/><route address='10.1.0.0' prefix='16' gateway='10.0.0.2' metric='x'/></network>", (27, 5, "XML error: Invalid value for attribute 'metric' in element 'route': 'x'. Expected non-negative integer value")),
    ('route-prefix-empty', "<network><name>t</name><ip address='10.0.0.1' prefix='24'/><ip family='ipv6' address='2001:db8::1' prefix='64'/><route address='10.1.0.0' prefix='' gateway='10.0.0.2'/></network>", (27, 5, "XML error: Invalid value for attribute 'prefix' in element 'route': ''. Expected non-negative integer value")),
    ('route-prefix-before-address', "<network><name>t</name><ip address='10.0.0.1' prefix='24'/><ip family='ipv6' address='2001:db8::1' prefix='64'/><route prefix='x'/></network>", (27, 5, "XML error: Invalid value for attribute 'prefix' in element 'route': 'x'. Expected non-negative integer value")),
    ('route-unreachable', "<network><name>t</name><ip address='10.0.0.1' prefix='24'/><ip family='ipv6' address='2001:db8::1' prefix='64'/><route address='10.1.0.0' prefix='16' gateway='10.9.0.2'/></network>", (67, 19, "unsupported configuration: unreachable static route gateway '10.9.0.2' specified for network 't'")),
    ('route-unreachable-v6', "<network><name>t</name><ip address='10.0.0.1' prefix='24'/><ip family='ipv6' address='2001:db8::1' prefix='64'/><route family='ipv6' address='2001:db9::' prefix='64' gateway='2001:db7::2'/></network>", (67, 19, "unsupported configuration: unreachable static route gateway '2001:db7::2' specified for network 't'")),
    ('route-no-ip', "<network><name>t</name><route address='10.1.0.0' prefix='16' gateway='10.0.0.2'/></network>", (67, 19, "unsupported configuration: unreachable static route gateway '10.0.0.2' specified for network 't'")),
    ('route-ip-bad-netmask', "<network><name>t</name><ip address='10.0.0.1' netmask='255.0.255.0'/><route address='10.1.0.0' prefix='16' gateway='10.0.0.2'/></network>", (67, 19, "unsupported configuration: unreachable static route gateway '10.0.0.2' specified for network 't'")),
    ('route-ip-class-d', "<network><name>t</name><ip address='224.0.0.1'/><route address='10.1.0.0' prefix='16' gateway='10.0.0.2'/></network>", (67, 19, "unsupported configuration: unreachable static route gateway '10.0.0.2' specified for network 't'")),
    ('route-all-parsed-before-gateways', "<network><name>t</name><ip address='10.0.0.1' prefix='24'/><ip family='ipv6' address='2001:db8::1' prefix='64'/><route address='10.1.0.0' prefix='16' gateway='10.9.0.2'/><route address='10.1.0.1' prefix='16' gateway='10.0.0.2'/></network>", (27, 19, "XML error: t: Address '10.1.0.1' in route definition is not a network address")),
]

ACCEPTED = [
    ('ip-v4-prefix-31', "<network><name>t</name><ip address='10.0.0.1' prefix='31'/></network>"),
    ('ip-v4-prefix-32', "<network><name>t</name><ip address='10.0.0.1' prefix='32'/></network>"),
    ('ip-v4-netmask-32', "<network><name>t</name><ip address='10.0.0.1' netmask='255.255.255.255'/></network>"),
    ('ip-v6-prefix-128', "<network><name>t</name><ip family='ipv6' address='2001:db8::1' prefix='128'/></network>"),
    ('ip-v4-short-forms', "<network><name>t</name><ip address='10.1' netmask='255.255.255'/></network>"),
    ('ip-netmask-prefix-0', "<network><name>t</name><ip address='10.0.0.1' netmask='255.0.0.0' prefix='0'/></network>"),
    ('ip-prefix-plus', "<network><name>t</name><ip address='10.0.0.1' prefix=' +8'/></network>"),
    ('ip-non-contiguous-netmask', "<network><name>t</name><ip address='10.0.0.1' netmask='255.0.255.0'/></network>"),
    ('ip-class-d', "<network><name>t</name><ip address='224.0.0.1'/></network>"),
    ('ip-empty-family', "<network><name>t</name><ip family='' address='10.0.0.1'/></network>"),
    ('ip-embedded-v4', "<network><name>t</name><ip family='ipv6' address='::c0a8:101'/></network>"),
    ('ip-tftp', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><tftp root='/srv'/><tftp root='/other'/></ip></network>"),
    ('ip-tftp-empty', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><tftp root=''/></ip></network>"),
    ('ip-localptr', "<network><name>t</name><ip address='10.0.0.1' localPtr='no'></ip></network>"),
    ('ip-namespaced-dhcp-ignored', "<network><name>t</name><ip address='10.0.0.1' xmlns:x='u'><x:dhcp><range start='x'/></x:dhcp></ip></network>"),
    ('dhcp-namespaced-children', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><x:range xmlns:x='u' start='10.0.0.2' end='10.0.0.9'/></dhcp></ip></network>"),
    ('dhcp-second-ignored', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><range start='10.0.0.2' end='10.0.0.9'/></dhcp><dhcp><range start='bogus'/></dhcp></ip></network>"),
    ('dhcp-only-bootp', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><bootp file='pxe'/></dhcp></ip></network>"),
    ('dhcp-v6-network-start', "<network><name>t</name><ip family='ipv6' address='2001:db8::1' prefix='64'><dhcp><range start='2001:db8::' end='2001:db8::ffff'/></dhcp></ip></network>"),
    ('dhcp-overlap', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><range start='10.0.0.2' end='10.0.0.9'/><range start='10.0.0.5' end='10.0.0.20'/><range start='10.0.0.2' end='10.0.0.9'/></dhcp></ip></network>"),
    ('range-single', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><range start='10.0.0.2' end='10.0.0.2'/></dhcp></ip></network>"),
    ('range-classful', "<network><name>t</name><ip address='10.0.0.1'><dhcp><range start='10.1.0.2' end='10.1.0.3'/></dhcp></ip></network>"),
    ('lease-hex-expiry', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><range start='10.0.0.2' end='10.0.0.9'><lease expiry='0x10' unit='hours'/></range></dhcp></ip></network>"),
    ('lease-zero-drops-unit', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><range start='10.0.0.2' end='10.0.0.9'><lease expiry='0' unit='hours'/></range></dhcp></ip></network>"),
    ('lease-default-unit', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><range start='10.0.0.2' end='10.0.0.9'><lease expiry='5'/></range></dhcp></ip></network>"),
    ('lease-last-with-expiry-wins', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><range start='10.0.0.2' end='10.0.0.9'><lease expiry='5' unit='hours'/><lease unit='bogus'/></range></dhcp></ip></network>"),
    ('lease-last-wins', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><range start='10.0.0.2' end='10.0.0.9'><lease expiry='5' unit='hours'/><lease expiry='7'/></range></dhcp></ip></network>"),
    ('lease-namespaced', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><range start='10.0.0.2' end='10.0.0.9'><x:lease xmlns:x='u' expiry='10' unit='hours'/></range></dhcp></ip></network>"),
    ('lease-120-seconds', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><range start='10.0.0.2' end='10.0.0.9'><lease expiry='120' unit='seconds'/></range></dhcp></ip></network>"),
    ('lease-1-hour', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><host name='x' ip='10.0.0.3'><lease expiry='1' unit='hours'/></host></dhcp></ip></network>"),
    ('host-verbatim', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><host mac='0:16:3E:7:e2:ed  junk' id='AB:01' name='9x.example' ip='172.16.0.5'/></dhcp></ip></network>"),
    ('host-v6-id', "<network><name>t</name><ip family='ipv6' address='2001:db8::1' prefix='64'><dhcp><host id='0:1:2' ip='2001:db8::3'/></dhcp></ip></network>"),
    ('host-v6-name-v4-ip', "<network><name>t</name><ip family='ipv6' address='2001:db8::1' prefix='64'><dhcp><host name='x' ip='10.0.0.3'/></dhcp></ip></network>"),
    ('host-unknown-parts', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><host mac='00:16:3e:77:e2:ed' bogus='1' ip='10.0.0.3'><junk/></host></dhcp></ip></network>"),
    ('bootp-last-wins', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><range start='10.0.0.2' end='10.0.0.9'/><bootp file='a' server='10.0.0.1'/><bootp file='b'/></dhcp></ip></network>"),
    ('bootp-without-file-ignored', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><range start='10.0.0.2' end='10.0.0.9'/><bootp file='a' server='10.0.0.1'/><bootp server='bogus'/></dhcp></ip></network>"),
    ('bootp-v6-ignored', "<network><name>t</name><ip family='ipv6' address='2001:db8::1' prefix='64'><dhcp><range start='2001:db8::2' end='2001:db8::9'/><bootp file='a' server='bogus'/></dhcp></ip></network>"),
    ('bootp-any-family-server', "<network><name>t</name><ip address='10.0.0.1' prefix='24'><dhcp><range start='10.0.0.2' end='10.0.0.9'/><bootp file='' server='::1'/></dhcp></ip></network>"),
    ('route-prefix-zero-kept', "<network><name>t</name><ip address='10.0.0.1' prefix='24'/><ip family='ipv6' address='2001:db8::1' prefix='64'/><route address='0.0.0.0' prefix='0' gateway='10.0.0.2' metric='+5'/></network>"),
    ('route-netmask', "<network><name>t</name><ip address='10.0.0.1' prefix='24'/><ip family='ipv6' address='2001:db8::1' prefix='64'/><route address='10.1.0.0' netmask='255.255.0.0' gateway='10.0.0.2'/></network>"),
    ('route-non-contiguous-netmask', "<network><name>t</name><ip address='10.0.0.1' prefix='24'/><ip family='ipv6' address='2001:db8::1' prefix='64'/><route address='10.0.5.0' netmask='255.0.255.0' gateway='10.0.0.2'/></network>"),
    ('route-v6', "<network><name>t</name><ip address='10.0.0.1' prefix='24'/><ip family='ipv6' address='2001:db8::1' prefix='64'/><route family='ipv6' address='2001:db9::' prefix='64' gateway='2001:db8::2'/></network>"),
    ('route-gateway-classful', "<network><name>t</name><ip address='10.0.0.1'/><route address='10.1.0.0' prefix='16' gateway='10.200.0.2'/></network>"),
    ('route-gateway-wildcard-ip', "<network><name>t</name><ip address='0.0.0.0'/><route address='10.1.0.0' prefix='16' gateway='99.0.0.2'/></network>"),
]


@pytest.mark.parametrize(("xml", "expected"), [c[1:] for c in ERRORS], ids=[c[0] for c in ERRORS])
def test_error(xml: str, expected: tuple[int, int, str]) -> None:
    assert error_of(lambda: parse_network_xml(xml)) == expected


@pytest.mark.parametrize("xml", [c[1] for c in ERRORS + ACCEPTED], ids=[c[0] for c in ERRORS + ACCEPTED])
def test_agrees_with_libvirt(xml: str, testdriver) -> None:
    assert netstore_outcome(xml) == libvirt_outcome(testdriver, xml)


def _ips(body: str) -> list[IPDef]:
    return parse_network_xml(f"<network><name>t</name>{body}</network>").ips


@pytest.mark.parametrize("prefix", [31, 32])
def test_ipv4_prefix_31_and_32_are_accepted(prefix: int) -> None:
    xml = f"<network><name>t</name><ip address='10.0.0.1' prefix='{prefix}'/></network>"
    assert f"<ip address='10.0.0.1' prefix='{prefix}'>" in netstore.canonical_xml(xml).replace("/>", ">")


def test_ip_attributes_are_kept_as_given() -> None:
    ipdef = _ips("<ip family='ipv4' address='10.1' netmask='255.255.255' localPtr='no'/>")[0]
    assert (ipdef.family, ipdef.address.text, ipdef.netmask.text) == ("ipv4", "10.0.0.1", "255.255.0.255")
    assert (ipdef.prefix, ipdef.local_ptr) == (0, False)
    assert _ips("<ip family='' address='10.0.0.1' prefix=' +8'/>")[0].family is None
    assert _ips("<ip address='10.0.0.1' prefix=' +8'/>")[0].prefix == 8


def test_effective_prefix_is_classful_without_prefix_or_netmask() -> None:
    prefixes = [ip_prefix(ipdef) for ipdef in _ips(
        "<ip address='10.0.0.1'/><ip address='172.16.0.1'/><ip address='192.168.0.1'/>"
        "<ip address='224.0.0.1'/><ip address='10.0.0.1' netmask='255.0.255.0'/>"
        "<ip family='ipv6' address='2001:db8::1'/>"
    )]
    assert prefixes == [8, 16, 24, -1, -1, 64]


def test_tftp_first_element_and_empty_root() -> None:
    assert _ips("<ip address='10.0.0.1'><tftp root='/a'/><tftp root='/b'/></ip>")[0].tftp_root == "/a"
    assert _ips("<ip address='10.0.0.1'><tftp root=''/></ip>")[0].tftp_root is None


def test_dhcp_contents() -> None:
    ipdef = _ips(
        "<ip address='10.0.0.1' prefix='24'><dhcp>"
        "<host mac='0:16:3E:7:e2:ed  junk' id='AB:01' name='9x' ip='172.16.0.5'/>"
        "<range start='10.0.0.2' end='10.0.0.9'><lease expiry='0x10' unit='hours'/></range>"
        "<bootp file='a' server='10.0.0.1'/><bootp file='b'/><bootp server='x'/>"
        "</dhcp></ip>"
    )[0]
    host = ipdef.hosts[0]
    assert (host.mac, host.id, host.name, host.ip.text) == ("0:16:3E:7:e2:ed  junk", "AB:01", "9x", "172.16.0.5")
    assert host.mac_key == bytes([0, 0x16, 0x3E, 7, 0xE2, 0xED])
    assert (ipdef.ranges[0].lease.expiry, ipdef.ranges[0].lease.unit) == (16, "hours")
    assert (ipdef.bootp.file, ipdef.bootp.server) == ("b", None)


def test_last_lease_with_an_expiry_wins() -> None:
    ipdef = _ips(
        "<ip address='10.0.0.1' prefix='24'><dhcp><host name='x' ip='10.0.0.3'>"
        "<lease expiry='5' unit='hours'/><lease unit='bogus'/></host>"
        "<host name='y' ip='10.0.0.4'><lease expiry='5' unit='hours'/><lease expiry='7'/></host>"
        "</dhcp></ip>"
    )[0]
    assert [(h.lease.expiry, h.lease.unit) for h in ipdef.hosts] == [(5, "hours"), (7, "minutes")]


def test_bootp_is_ignored_in_ipv6() -> None:
    ipdef = _ips(
        "<ip family='ipv6' address='2001:db8::1' prefix='64'><dhcp>"
        "<bootp file='a' server='bogus'/></dhcp></ip>"
    )[0]
    assert ipdef.bootp is None


def test_route_values() -> None:
    routes = parse_network_xml(
        "<network><name>t</name><ip address='10.0.0.1' prefix='24'/>"
        "<route address='0.0.0.0' prefix='0' gateway='10.0.0.2' metric='+5'/>"
        "<route address='10.0.5.0' netmask='255.0.255.0' gateway='10.0.0.3'/></network>"
    ).routes
    assert [(r.family, r.address.text, r.prefix, r.gateway.text, r.metric) for r in routes] == [
        (None, "0.0.0.0", 0, "10.0.0.2", 5),
        (None, "10.0.5.0", None, "10.0.0.3", None),
    ]
    assert routes[1].netmask.text == "255.0.255.0"


def test_parse_route_alone() -> None:
    node = etree.fromstring("<route family='ipv6' address='2001:db9::' prefix='64' gateway='2001:db8::2'/>")
    route = parse_route(node, "n")
    assert (route.family, route.address.text, route.prefix) == ("ipv6", "2001:db9::", 64)


# ----------------------------------------------- element parsers used by updates

V4 = IPDef(address=parse_address("10.0.0.1"), prefix=24)
V6 = IPDef(address=parse_address("2001:db8::1"), family="ipv6", prefix=64)

# (ip, fragment, partial_ok, expected error) for the DELETE (partialOkay) path,
# as libvirt's virNetworkUpdate reported them (test driver, 9.0.0).
HOST_KEYS = [
    (V4, "<host/>", True, "XML error: At least one of name, mac, or ip attribute must be "
     "specified for static host definition in network 'n' "),
    (V4, "<host id='01'/>", True, "XML error: At least one of name, mac, or ip attribute must "
     "be specified for static host definition in network 'n' "),
    (V4, "<host id='zz'/>", True, "XML error: Invalid character 'z' in id 'zz' of network 'n'"),
    (V6, "<host mac='bogus'/>", True, "XML error: Invalid to specify MAC address 'bogus' in "
     "network 'n' IPv6 static host definition"),
    (V4, "<host mac='bogus'/>", True, "XML error: Cannot parse MAC address 'bogus' in network 'n'"),
    (V4, "<host ip='x'/>", True, "XML error: Invalid IP address in static host definition for network 'n'"),
    (V4, "<host mac='00:11:22:33:44:55'><lease expiry='1'/></host>", True,
     "unsupported configuration: The minimum lease time should be greater than 2 minutes"),
    (V4, "<host ip='10.0.0.9'/>", False, "XML error: Static host definition in IPv4 network 'n' "
     "must have mac or name attribute"),
    (V6, "<host name='x'/>", False, "XML error: Missing IP address in static host definition "
     "for network 'n'"),
]


@pytest.mark.parametrize(("ipdef", "fragment", "partial", "message"), HOST_KEYS)
def test_dhcp_host_errors(ipdef: IPDef, fragment: str, partial: bool, message: str) -> None:
    with pytest.raises(libvirtError) as caught:
        parse_dhcp_host(etree.fromstring(fragment), ipdef, "n", partial)
    assert caught.value.message == message


def test_partial_dhcp_host_needs_only_one_key() -> None:
    host = parse_dhcp_host(etree.fromstring("<host name='x'/>"), V6, "n", True)
    assert (host.name, host.ip, host.mac, host.mac_key) == ("x", None, None, None)
    host = parse_dhcp_host(etree.fromstring("<host mac='00:11:22:33:44:55'/>"), V4, "n", True)
    assert host.mac_key == bytes.fromhex("001122334455")


def test_dhcp_range_uses_the_ip_prefix() -> None:
    rng = parse_dhcp_range(etree.fromstring("<range start='10.0.0.2' end='10.0.0.9'/>"), V4, "n")
    assert (rng.start.text, rng.end.text, rng.lease) == ("10.0.0.2", "10.0.0.9", None)
    with pytest.raises(libvirtError) as caught:
        parse_dhcp_range(etree.fromstring("<range start='10.0.1.2' end='10.0.1.9'/>"), V4, "n")
    assert (caught.value.code, caught.value.domain) == (1, 0)
    assert caught.value.message == (
        "internal error: range 10.0.1.2 - 10.0.1.9 is not entirely within network 10.0.0.1/24"
    )
