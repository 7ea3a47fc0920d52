"""Which daemons and devices a live definition needs, as libvirt's bridge driver decides."""

from __future__ import annotations

from netstore.model.types import NetworkDef
from netstore.render.dnsmasq import RA_RADVD, check_ra


def needs_bridge(defn: NetworkDef) -> bool:
    """libvirt creates a bridge for forward modes none (isolated), nat, route and open."""
    return defn.is_l3


def needs_dnsmasq(defn: NetworkDef) -> bool:
    """``networkStartDhcpDaemon``: an ``<ip>``, and DHCP/TFTP on one of them or DNS not disabled."""
    if not defn.is_l3 or not defn.ips:
        return False
    serves_dhcp = any(ipdef.has_dhcp or ipdef.tftp_root is not None for ipdef in defn.ips)
    return serves_dhcp or defn.dns.enable is not False


def needs_radvd(defn: NetworkDef, ra: str) -> bool:
    """radvd runs when it does the router advertisements and the network has an IPv6 ``<ip>``."""
    check_ra(ra)
    return ra == RA_RADVD and defn.is_l3 and any(ipdef.is_ipv6 for ipdef in defn.ips)
