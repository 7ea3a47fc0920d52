"""Address arithmetic the daemon files need: prefixes, netmasks, PTR zones, lease times."""

from __future__ import annotations

import socket
from functools import cache
from typing import Optional

from netstore.errors import config_unsupported, internal_error
from netstore.model.address import Address, effective_prefix, from_int
from netstore.model.types import IPDef, Lease

_UINT_MASK = 0xFFFFFFFF


def ip_prefix(ipdef: IPDef) -> int:
    """``virNetworkIPDefPrefix``: the prefix of an ``<ip>``, -1 when it has none."""
    return effective_prefix(ipdef.address, ipdef.netmask, ipdef.prefix)


def checked_prefix(ipdef: IPDef, bridge: Optional[str]) -> int:
    """The prefix of a DHCP ``<ip>``; libvirt's start-time error when it is invalid."""
    prefix = ip_prefix(ipdef)
    if prefix < 0:
        raise internal_error(f"bridge '{bridge}' has an invalid prefix")
    return prefix


@cache
def ipv4_netmask(prefix: int) -> str:
    """The dotted-quad netmask of an IPv4 prefix (``virSocketAddrPrefixToNetmask``)."""
    value = (0xFFFFFFFF << (32 - prefix)) & 0xFFFFFFFF
    return from_int(socket.AF_INET, value).text


def ptr_domain(address: Address, prefix: int) -> str:
    """``virSocketAddrPTRDomain``: the reverse zone of address/prefix, or libvirt's error."""
    unsigned = prefix & _UINT_MASK  # libvirt passes the prefix as an unsigned int
    step, width, arpa = (4, 128, "ip6.arpa") if address.is_ipv6 else (8, 32, "in-addr.arpa")
    if unsigned == 0 or unsigned >= width or unsigned % step:
        family = "IPv6" if address.is_ipv6 else "IPv4"
        raise config_unsupported(
            f"PTR domain for {family} network with prefix {unsigned} cannot be automatically created"
        )
    count = unsigned // step
    digits = [(address.value >> (width - step * (i + 1))) & ((1 << step) - 1) for i in range(count)]
    spelled = (f"{d:x}" if address.is_ipv6 else str(d) for d in reversed(digits))
    return ".".join([*spelled, arpa])


_UNIT_LETTER = {"seconds": "s", "minutes": "m", "hours": "h"}


def lease_text(lease: Optional[Lease]) -> Optional[str]:
    """``networkBuildDnsmasqLeaseTime``: ``infinite``, ``120s``, ``10m``, ``1h``; None without a lease."""
    if lease is None:
        return None
    if lease.expiry == 0:
        return "infinite"
    return f"{lease.expiry}{_UNIT_LETTER[lease.unit]}"
