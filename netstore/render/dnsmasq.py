"""dnsmasq's three files for one network: libvirt 9.0.0's ``networkDnsmasqConfContents``.

With ``ra="dnsmasq"`` (libvirt 9.0.0) dnsmasq also sends IPv6 router
advertisements (``enable-ra``, ``ra-param``, ``dhcp-range=ADDR,ra-only``);
with ``ra="radvd"`` those lines are left out and radvd does it
(:mod:`netstore.render.radvd`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from netstore.errors import VIR_ERR_INVALID_ARG, internal_error, libvirtError
from netstore.model.types import NetworkDef
from netstore.render.conf_dhcp import DhcpPlan, dhcp_lines, lease_max_lines, plan_dhcp
from netstore.render.conf_dns import record_lines, resolver_lines
from netstore.render.hostsfiles import addnhosts_text, dhcp_host_lines, hostsfile_text
from netstore.render.naming import DNSMASQ_STATE_DIR, addnhosts_file, hostsfile_file, in_dir

RA_DNSMASQ = "dnsmasq"
RA_RADVD = "radvd"
RA_MODES = (RA_DNSMASQ, RA_RADVD)

_HEADER = (
    "##WARNING:  THIS IS AN AUTO-GENERATED FILE. CHANGES TO IT ARE LIKELY TO BE\n"
    "##OVERWRITTEN AND LOST.  Changes to this configuration should be made using:\n"
    "##    virsh net-edit {name}\n"
    "## or other application using the libvirt API.\n"
    "##\n"
    "## dnsmasq conf file created by libvirt\n"
    "strict-order\n"
)


@dataclass(frozen=True, slots=True)
class DnsmasqFiles:
    """The contents of ``NAME.conf``, ``NAME.hostsfile`` and ``NAME.addnhosts``.

    ``hostsfile`` is None when there is no DHCP host line (libvirt then still
    writes an empty file if the conf names one); ``addnhosts`` is None when DNS
    is disabled (the conf names no addn-hosts file).
    """

    conf: str
    hostsfile: Optional[str]
    addnhosts: Optional[str]


def check_ra(ra: str) -> None:
    """Refuse an unknown router-advertisement mode."""
    if ra not in RA_MODES:
        raise libvirtError(VIR_ERR_INVALID_ARG, f"ra must be one of {', '.join(RA_MODES)}, not '{ra}'")


def render_dnsmasq(
    defn: NetworkDef,
    *,
    state_dir: str = DNSMASQ_STATE_DIR,
    pid_file: Optional[str] = None,
    ra: str = RA_DNSMASQ,
) -> DnsmasqFiles:
    """dnsmasq's files for a parsed (live) definition; libvirt's start-time errors as libvirtError."""
    check_ra(ra)
    want_dns = defn.dns.enable is not False
    lines = resolver_lines(defn, want_dns)
    if pid_file is not None:
        lines.append(f"pid-file={pid_file}")
    lines.extend(interface_lines(defn, ra))
    if want_dns:
        lines.extend(record_lines(defn))
    plan = plan_dhcp(defn)
    lines.extend(plan.tftp_lines)
    lines.extend(dhcp_section(plan, defn.bridge.name))
    lines.extend(hosts_file_lines(defn.name, state_dir, plan, want_dns))
    lines.extend(trailing_lines(defn, plan, ra))
    conf = _HEADER.format(name=defn.name) + "".join(f"{line}\n" for line in lines)
    hosts = hostsfile_text(dhcp_host_lines((plan.ipv4, plan.ipv6)))
    return DnsmasqFiles(conf, hosts, addnhosts_text(defn.dns.hosts) if want_dns else None)


def interface_lines(defn: NetworkDef, ra: str) -> list[str]:
    """Listen on the bridge only; an isolated network gets no default route and no resolv.conf."""
    if defn.bridge.name is None:
        raise internal_error(f"network '{defn.name}' has no bridge name to give dnsmasq")
    lines = ["except-interface=lo", "bind-dynamic", f"interface={defn.bridge.name}"]
    if defn.forward.mode == "none":
        lines.extend(("dhcp-option=3", "no-resolv"))
        if ra == RA_DNSMASQ:
            lines.append("ra-param=*,0,0")
    return lines


def dhcp_section(plan: DhcpPlan, bridge: Optional[str]) -> list[str]:
    """The IPv4 DHCP lines, the IPv6 DHCP lines, then ``dhcp-lease-max``."""
    ipv4_lines, ipv4_leases = dhcp_lines(plan.ipv4, bridge)
    ipv6_lines, ipv6_leases = dhcp_lines(plan.ipv6, bridge)
    return ipv4_lines + ipv6_lines + lease_max_lines(ipv4_leases + ipv6_leases)


def hosts_file_lines(name: str, state_dir: str, plan: DhcpPlan, want_dns: bool) -> list[str]:
    """``dhcp-hostsfile=`` with DHCP (even with no host yet), ``addn-hosts=`` with DNS (even if empty)."""
    lines = []
    if plan.ipv4 is not None or plan.ipv6 is not None:
        lines.append(f"dhcp-hostsfile={in_dir(state_dir, hostsfile_file(name))}")
    if want_dns:
        lines.append(f"addn-hosts={in_dir(state_dir, addnhosts_file(name))}")
    return lines


def trailing_lines(defn: NetworkDef, plan: DhcpPlan, ra: str) -> list[str]:
    """The MTU option, dnsmasq's router advertisements (``ra="dnsmasq"``), the pass-through options."""
    lines = [f"dhcp-option=option:mtu,{defn.mtu}"] if defn.mtu > 0 else []
    if ra == RA_DNSMASQ:
        lines.extend(router_advert_lines(defn, plan))
    lines.extend(defn.dnsmasq_options)
    return lines


def router_advert_lines(defn: NetworkDef, plan: DhcpPlan) -> list[str]:
    """``enable-ra`` with DHCPv6, else ``dhcp-range=ADDR,ra-only`` per IPv6 ``<ip>``."""
    if plan.ipv6 is not None:
        return ["enable-ra"]
    return [f"dhcp-range={ipdef.address.text},ra-only" for ipdef in defn.ips if ipdef.is_ipv6]
