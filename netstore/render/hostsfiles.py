"""dnsmasq's DHCP hosts file and additional hosts file (libvirt's ``virdnsmasq.c``).

Host strings are written as given in the XML (MAC case, short MAC octets, id,
name); addresses are the parsed, canonical ones.  Injection safety is the
model's job (:mod:`netstore.model.safety`): nothing is escaped here, exactly
as in libvirt.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Optional

from netstore.model.types import DHCPHost, DNSHost, IPDef
from netstore.render.addressing import lease_text


def dhcp_host_line(host: DHCPHost, ipv6: bool) -> str:
    """One ``dhcp-hostsfile`` line (``hostsfileAdd``), without its newline."""
    ip = host.ip.text if host.ip is not None else ""
    if ipv6:
        ident = f"id:{host.id}" if host.id is not None else None
        head = ",".join(part for part in (ident, host.name) if part is not None)
        line = f"{head},[{ip}]"
    elif host.name is not None and host.mac is not None:
        line = f"{host.mac},{ip},{host.name}"
    elif host.name is not None:
        line = f"{host.name},{ip}"
    else:
        line = f"{host.mac},{ip}"
    lease = lease_text(host.lease)
    return line if lease is None else f"{line},{lease}"


def dhcp_host_lines(dhcp_ips: Iterable[Optional[IPDef]]) -> list[str]:
    """The hosts-file lines of the DHCP ``<ip>``s in order; hosts without an address are skipped."""
    lines: list[str] = []
    for ipdef in dhcp_ips:
        if ipdef is None:
            continue
        ipv6 = ipdef.is_ipv6
        lines.extend(dhcp_host_line(host, ipv6) for host in ipdef.hosts if host.ip is not None)
    return lines


def hostsfile_text(lines: list[str]) -> Optional[str]:
    """The hosts file: one line per host; None when there is none (libvirt's NULL)."""
    if not lines:
        return None
    return "".join(f"{line}\n" for line in lines)


def addnhosts_text(dns_hosts: Iterable[DNSHost]) -> str:
    """The addn-hosts file: ``IP<TAB>NAME<TAB>...<TAB>`` per distinct address, first-seen order."""
    names_by_ip: dict[str, list[str]] = {}
    for host in dns_hosts:
        if host.ip is None or not host.hostnames:
            continue
        names_by_ip.setdefault(host.ip.text, []).extend(host.hostnames)
    return "".join(
        f"{ip}\t" + "".join(f"{name}\t" for name in names) + "\n" for ip, names in names_by_ip.items()
    )
