"""The DHCP and TFTP lines of dnsmasq's configuration (``networkDnsmasqConfContents``, steps 12-14)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from netstore.errors import config_unsupported
from netstore.model.address import check_range
from netstore.model.types import IPDef, NetworkDef
from netstore.render.addressing import checked_prefix, ipv4_netmask, lease_text


@dataclass(slots=True)
class DhcpPlan:
    """The first IPv4 and IPv6 ``<ip>`` with DHCP, and the TFTP lines met on the way."""

    ipv4: Optional[IPDef] = None
    ipv6: Optional[IPDef] = None
    tftp_lines: list[str] = field(default_factory=list)


def plan_dhcp(defn: NetworkDef) -> DhcpPlan:
    """Walk the ``<ip>``s in order; a second DHCP ``<ip>`` of one family is libvirt's error."""
    plan = DhcpPlan()
    for ipdef in defn.ips:
        if ipdef.is_ipv6:
            if ipdef.has_dhcp:
                if plan.ipv6 is not None:
                    raise config_unsupported("For IPv6, multiple DHCP definitions cannot be specified.")
                plan.ipv6 = ipdef
            continue
        if ipdef.has_dhcp:
            if plan.ipv4 is not None:
                raise config_unsupported("For IPv4, multiple DHCP definitions cannot be specified.")
            plan.ipv4 = ipdef
        if ipdef.tftp_root is not None:
            if not plan.tftp_lines:
                plan.tftp_lines.append("enable-tftp")
            plan.tftp_lines.append(f"tftp-root={ipdef.tftp_root}")
    return plan


def dhcp_lines(ipdef: Optional[IPDef], bridge: Optional[str]) -> tuple[list[str], int]:
    """The lines of one DHCP ``<ip>`` and the number of leases its ranges hold."""
    if ipdef is None:
        return [], 0
    prefix = checked_prefix(ipdef, bridge)
    lines, leases = range_lines(ipdef, prefix)
    if not ipdef.ranges and ipdef.hosts:
        static = f"dhcp-range={ipdef.address.text},static"
        lines.append(f"{static},{prefix}" if ipdef.is_ipv6 else static)
    if not ipdef.is_ipv6:
        lines.extend(ipv4_option_lines(ipdef))
    return lines, leases


def range_lines(ipdef: IPDef, prefix: int) -> tuple[list[str], int]:
    """``dhcp-range=START,END,MASK[,LEASE]`` per range (the mask is a prefix for IPv6)."""
    mask = str(prefix) if ipdef.is_ipv6 else ipv4_netmask(prefix)
    lines: list[str] = []
    leases = 0
    for dhcp_range in ipdef.ranges:
        line = f"dhcp-range={dhcp_range.start.text},{dhcp_range.end.text},{mask}"
        lease = lease_text(dhcp_range.lease)
        lines.append(line if lease is None else f"{line},{lease}")
        leases += check_range(dhcp_range.start, dhcp_range.end, ipdef.address, prefix)
    return lines, leases


def ipv4_option_lines(ipdef: IPDef) -> list[str]:
    """``dhcp-no-override``, ``dhcp-authoritative`` and ``dhcp-boot=`` of an IPv4 DHCP ``<ip>``."""
    lines = ["dhcp-no-override", "dhcp-authoritative"] if ipdef.has_dhcp else []
    bootp = ipdef.bootp
    if bootp is not None:
        server = f",,{bootp.server.text}" if bootp.server is not None else ""
        lines.append(f"dhcp-boot={bootp.file}{server}")
    return lines


def lease_max_lines(leases: int) -> list[str]:
    """``dhcp-lease-max=N`` when the ranges hold any lease."""
    return [f"dhcp-lease-max={leases}"] if leases > 0 else []
