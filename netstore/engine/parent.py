"""Which ``<ip>`` a DHCP update edits (parentIndex), and the one-DHCP-per-family rule.

virNetworkIPDefByIndex: a non-negative parentIndex counts every ``<ip>`` of
both families in document order; any negative value picks the "most
appropriate" one: the first ``<ip>`` that already has DHCP ranges or hosts,
else the first IPv4 ``<ip>``, else the first IPv6 one.
"""

from __future__ import annotations

from typing import Optional

from netstore.errors import libvirtError, operation_invalid
from netstore.model.types import IPDef, NetworkDef


def find_ip(defn: NetworkDef, parent_index: int) -> Optional[int]:
    """The index in ``defn.ips`` that ``parent_index`` selects, or None."""
    ips = defn.ips
    if parent_index >= 0:
        return parent_index if parent_index < len(ips) else None
    for position, ipdef in enumerate(ips):
        if ipdef.has_dhcp:
            return position
    for want_ipv6 in (False, True):
        for position, ipdef in enumerate(ips):
            if ipdef.is_ipv6 == want_ipv6:
                return position
    return None


def missing_ip(defn: NetworkDef, parent_index: int) -> libvirtError:
    """The error when :func:`find_ip` found nothing (its text says "dhcp host" for ranges too)."""
    if parent_index >= 0:
        return operation_invalid(
            "couldn't update dhcp host entry - no <ip> element found at index "
            f"{parent_index} in network '{defn.name}'"
        )
    return operation_invalid(
        f"couldn't update dhcp host entry - no <ip> element found in network '{defn.name}'"
    )


def check_single_dhcp(defn: NetworkDef, ipdef: IPDef) -> None:
    """virNetworkDefUpdateCheckMultiDHCP (ADD only): no other ``<ip>`` of the family has DHCP."""
    for other in defn.ips:
        if other is not ipdef and other.is_ipv6 == ipdef.is_ipv6 and other.has_dhcp:
            family = "IPv6" if ipdef.is_ipv6 else "IPv4"
            raise operation_invalid(f"dhcp is supported only for a single {family} address on each network")
