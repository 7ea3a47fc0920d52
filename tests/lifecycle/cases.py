"""Definitions the bridge driver's networkValidate refuses, with libvirt 9.0.0's error.

Shared by the unit tests (netstore alone) and the oracle test (the same XML
defined in libvirt's real bridge driver must fail with the same error).
"""

from __future__ import annotations

from netstore.errors import (
    VIR_ERR_CONFIG_UNSUPPORTED,
    VIR_ERR_XML_DETAIL,
    VIR_FROM_NETWORK,
    VIR_FROM_XML,
)

BW = "<bandwidth><inbound average='1000'/></bandwidth>"
OVS = "<virtualport type='openvswitch'/>"
VLAN = "<vlan><tag id='42'/></vlan>"
PCI = "<address type='pci' domain='0x0000' bus='0x04' slot='0x00' function='0x1'/>"
PCI_PATH = "/sys/bus/pci/devices/0000:04:00.1"
LO = "<forward mode='bridge'/><bridge name='lo'/>"
PRIVATE = "<forward mode='private' dev='eth0'/>"
V4_DHCP = "<ip address='10.0.0.1' prefix='24'><dhcp><range start='10.0.0.2' end='10.0.0.9'/></dhcp></ip>"
V6_DHCP = "<ip family='ipv6' address='fd00::1' prefix='64'><dhcp><range start='fd00::2' end='fd00::9'/></dhcp></ip>"


def network(name: str, body: str) -> str:
    return f"<network><name>{name}</name>{body}</network>"


def unsupported(detail: str) -> tuple[int, int, str]:
    return VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_NETWORK, "unsupported configuration: " + detail


# (id, xml, (code, domain, message))
REJECTED = [
    ("lf-in-name", network("v\nlf", LO),
     (VIR_ERR_XML_DETAIL, VIR_FROM_XML, "invalid char in name: \n")),
    ("mac-in-bridge-mode", network("vmac", f"{LO}<mac address='52:54:00:00:00:01'/>"),
     unsupported("Unsupported <mac> element in network vmac with forward mode='bridge'")),
    ("mac-before-ip", network("vmacip", f"{LO}<mac address='52:54:00:00:00:01'/><ip address='10.0.0.1' prefix='24'/>"),
     unsupported("Unsupported <mac> element in network vmacip with forward mode='bridge'")),
    ("ip-in-private-mode", network("vip", "<forward mode='private' dev='eth0'/><ip address='10.0.0.1' prefix='24'/>"),
     unsupported("Unsupported <ip> element in network vip with forward mode='private'")),
    ("dns-txt-in-vepa-mode", network("vdns", "<forward mode='vepa' dev='eth0'/><dns><txt name='a' value='b'/></dns>"),
     unsupported("Unsupported <dns> element in network vdns with forward mode='vepa'")),
    ("domain-in-passthrough", network("vdom", "<forward mode='passthrough' dev='eth0'/><domain name='example.com'/>"),
     unsupported("Unsupported <domain> element in network vdom with forward mode='passthrough'")),
    ("bandwidth-bridge-without-name", network("vbw", f"<forward mode='bridge' dev='eth0'/>{BW}"),
     unsupported("Unsupported network-wide <bandwidth> element in network vbw with forward mode='bridge'")),
    ("bandwidth-private", network("vbw2", f"<forward mode='private' dev='eth0'/>{BW}"),
     unsupported("Unsupported network-wide <bandwidth> element in network vbw2 with forward mode='private'")),
    ("hostdev-netdev-pool", network("vhd", "<forward mode='hostdev'><interface dev='eth1'/></forward>"),
     unsupported("hostdev network 'vhd' lists 'eth1' in the device pool, but hostdev networks require all "
                 "devices to be listed by PCI address, not network device name")),
    ("pci-pool-in-passthrough", network("vpt", f"<forward mode='passthrough'>{PCI}</forward>"),
     unsupported("network 'vpt' has forward mode 'passthrough'  but lists a device by PCI address in the "
                 "device pool. This is only supported for networks with forward mode 'hostdev'")),
    ("hostdev-not-a-vf", network("vvf", f"<forward mode='hostdev' managed='yes'>{PCI}</forward>"),
     unsupported(f"device '{PCI_PATH}' in network 'vvf' is not an SR-IOV Virtual Function")),
    ("two-ipv4-dhcp",
     network("vd4", f"{V4_DHCP}<ip address='10.1.0.1' prefix='24'><dhcp><host mac='00:11:22:33:44:55' "
                    "ip='10.1.0.5'/></dhcp></ip>"),
     unsupported("Multiple IPv4 dhcp sections found -- dhcp is supported only for a single IPv4 address "
                 "on each network")),
    ("two-ipv6-dhcp",
     network("vd6", f"{V6_DHCP}<ip family='ipv6' address='fd01::1' prefix='64'><dhcp>"
                    "<range start='fd01::2' end='fd01::9'/></dhcp></ip>"),
     unsupported("Multiple IPv6 dhcp sections found -- dhcp is supported only for a single IPv6 address "
                 "on each network")),
    ("two-default-portgroups",
     network("vpg", f"{LO}<portgroup name='a' default='yes'/><portgroup name='b' default='yes'/>"),
     unsupported("network 'vpg' has multiple default <portgroup> elements (a and b), "
                 "but only one default is allowed")),
    ("duplicate-portgroup", network("vdup", f"{LO}<portgroup name='a'/><portgroup name='a'/>"),
     unsupported("multiple <portgroup> elements with the same name (a) in network 'vdup'")),
    ("duplicate-portgroup-before-its-bandwidth",
     network("vdupbw", f"{PRIVATE}<portgroup name='a'>{BW}</portgroup><portgroup name='a'/>"),
     unsupported("multiple <portgroup> elements with the same name (a) in network 'vdupbw'")),
    ("portgroup-bandwidth-private", network("vpgbw", f"{PRIVATE}<portgroup name='a'>{BW}</portgroup>"),
     unsupported("Unsupported <bandwidth> element in network 'vpgbw' in portgroup 'a' with forward mode='private'")),
    ("vlan-in-nat", network("vvl", f"<forward mode='nat'/><ip address='10.0.0.1' prefix='24'/>{VLAN}"),
     unsupported("<vlan> element specified for network vvl, whose type doesn't support vlan configuration")),
    ("vlan-portgroup-without-ovs", network("vvl2", f"{LO}<portgroup name='a'>{VLAN}</portgroup>"),
     unsupported("<vlan> element specified for network vvl2, whose type doesn't support vlan configuration")),
    ("vlan-typeless-portgroup-virtualport",
     network("vvl3", f"{LO}{OVS}{VLAN}<portgroup name='a'><virtualport/></portgroup>"),
     unsupported("<vlan> element specified for network vvl3, whose type doesn't support vlan configuration")),
]

# Definitions the bridge driver accepts although they look close to a rejected one.
ACCEPTED = [
    ("dns-forwarder-in-bridge-mode", network("vok1", f"{LO}<dns><forwarder addr='8.8.8.8'/></dns>")),
    ("bandwidth-bridge-with-name", network("vok2", f"{LO}{BW}")),
    ("vlan-bridge-ovs", network("vok3", f"{LO}{OVS}{VLAN}")),
    ("vlan-with-default-ovs-portgroup",
     network("vok4", f"{LO}{VLAN}<portgroup name='a' default='yes'>{OVS}</portgroup>")),
    ("vlan-hostdev-pool", network("vok5", f"<forward mode='passthrough' dev='eth0'/>{VLAN}")),
    ("one-dhcp-per-family", network("vok6", f"{V4_DHCP}<ip address='10.1.0.1' prefix='24'/>{V6_DHCP}")),
    ("given-bridge-name-of-a-host-device", network("vok7", "<bridge name='lo'/>")),
]
