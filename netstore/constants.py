"""libvirt's network API enums, with the values of libvirt-network.h (9.0.0)."""

from __future__ import annotations

import enum


class Command(enum.IntEnum):
    """virNetworkUpdateCommand."""

    NONE = 0
    MODIFY = 1
    DELETE = 2
    ADD_LAST = 3
    ADD_FIRST = 4


class Section(enum.IntEnum):
    """virNetworkUpdateSection."""

    NONE = 0
    BRIDGE = 1
    DOMAIN = 2
    IP = 3
    IP_DHCP_HOST = 4
    IP_DHCP_RANGE = 5
    FORWARD = 6
    FORWARD_INTERFACE = 7
    FORWARD_PF = 8
    PORTGROUP = 9
    DNS_HOST = 10
    DNS_TXT = 11
    DNS_SRV = 12


class UpdateFlags(enum.IntFlag):
    """virNetworkUpdateFlags."""

    AFFECT_CURRENT = 0
    AFFECT_LIVE = 1
    AFFECT_CONFIG = 2


# virsh names (tools/virsh-network.c); "add" is virsh's alias of add-last.
COMMAND_NAMES = {"none": 0, "modify": 1, "delete": 2, "add-last": 3, "add-first": 4}
SECTION_NAMES = {
    "none": 0,
    "bridge": 1,
    "domain": 2,
    "ip": 3,
    "ip-dhcp-host": 4,
    "ip-dhcp-range": 5,
    "forward": 6,
    "forward-interface": 7,
    "forward-pf": 8,
    "portgroup": 9,
    "dns-host": 10,
    "dns-txt": 11,
    "dns-srv": 12,
}

VIR_NETWORK_XML_INACTIVE = 1

VIR_CONNECT_LIST_NETWORKS_INACTIVE = 1 << 0
VIR_CONNECT_LIST_NETWORKS_ACTIVE = 1 << 1
VIR_CONNECT_LIST_NETWORKS_PERSISTENT = 1 << 2
VIR_CONNECT_LIST_NETWORKS_TRANSIENT = 1 << 3
VIR_CONNECT_LIST_NETWORKS_AUTOSTART = 1 << 4
VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART = 1 << 5
