"""radvd's configuration: libvirt's radvd-era template (8.x ``networkRadvdConfContents``).

libvirt 9.0.0 has no radvd code; this is the shape its last radvd-capable
versions wrote (research: daemon-config.md §6).  With DHCPv6 on any IPv6
``<ip>`` the router announces managed addresses and no autonomous prefixes.
"""

from __future__ import annotations

from typing import Optional

from netstore.errors import internal_error
from netstore.model.types import IPDef, NetworkDef
from netstore.render.addressing import checked_prefix

_SLAAC_PREFIX = "    AdvOnLink on;\n    AdvAutonomous on;\n    AdvRouterAddr off;\n"
_DHCP6_PREFIX = "    AdvAutonomous off;\n"


def render_radvd(defn: NetworkDef) -> Optional[str]:
    """radvd's config for a parsed (live) definition; None without an IPv6 ``<ip>``."""
    ipv6_ips = [ipdef for ipdef in defn.ips if ipdef.is_ipv6]
    if not ipv6_ips:
        return None
    bridge = defn.bridge.name
    if bridge is None:
        raise internal_error(f"network '{defn.name}' has no bridge name to give radvd")
    dhcp6 = any(ipdef.has_dhcp for ipdef in ipv6_ips)
    flags = "  AdvManagedFlag on;\n\n" if dhcp6 else "  AdvManagedFlag off;\n  AdvOtherConfigFlag off;\n\n"
    body = "".join(_prefix_block(ipdef, bridge, dhcp6) for ipdef in ipv6_ips)
    return f"interface {bridge}\n{{\n  AdvSendAdvert on;\n  IgnoreIfMissing on;\n{flags}{body}}};\n"


def _prefix_block(ipdef: IPDef, bridge: str, dhcp6: bool) -> str:
    prefix = checked_prefix(ipdef, bridge)
    options = _DHCP6_PREFIX if dhcp6 else _SLAAC_PREFIX
    return f"  prefix {ipdef.address.text}/{prefix}\n  {{\n{options}  }};\n"
