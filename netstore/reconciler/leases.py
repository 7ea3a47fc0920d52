"""dnsmasq's lease file, read as libvirt's ``virNetworkGetDHCPLeases`` reports leases.

The file (``--dhcp-leasefile``) has one line per lease:
IPv4 ``EXPIRY MAC IP HOSTNAME CLIENTID``; then a ``duid SERVER-DUID`` line and
IPv6 ``EXPIRY IAID IP HOSTNAME CLIENT-DUID`` lines (``*`` = unknown; a ``T``
before the IAID marks a temporary address).  libvirt reports only leases whose
MAC is known: an IPv6 lease gets the MAC carried by its client's DUID
(DUID-LLT or DUID-LL of an Ethernet address) and is left out without one.
Expired leases are left out; expiry 0 means infinite.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Optional

from netstore.model.address import effective_prefix
from netstore.model.types import NetworkDef
from netstore.model.values import format_mac, parse_mac
from netstore.reconciler.errors import ReconcileError

VIR_IP_ADDR_TYPE_IPV4 = 0
VIR_IP_ADDR_TYPE_IPV6 = 1
UNKNOWN = "*"
DUID_LLT = 1
DUID_LL = 3
HWTYPE_ETHERNET = 1
_LEASE_FIELDS = 5


def read_leases(
    path: Path,
    *,
    mac: Optional[str] = None,
    iface: str,
    prefixes: Mapping[int, int] | None = None,
    now: Optional[float] = None,
) -> list[dict[str, Any]]:
    """The unexpired leases in ``path`` as libvirt-python's dicts; [] when there is no file.

    ``mac`` keeps only that MAC's leases; ``prefixes`` maps the address type to
    the prefix to report (from the network's ``<ip>``s); ``iface`` is the bridge.
    """
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return []
    except OSError as err:
        raise ReconcileError(f"Unable to read leases file: {path}: {err.strerror}") from err
    wanted = parse_mac(mac) if mac is not None else None
    if mac is not None and wanted is None:
        raise ReconcileError(f"invalid MAC address: {mac}")
    current = time.time() if now is None else now
    leases = []
    for line in text.splitlines():
        lease = _parse_line(line.split(), iface, prefixes or {})
        if lease is None or (wanted is not None and parse_mac(lease["mac"]) != wanted):
            continue
        if 0 < lease["expirytime"] < current:
            continue
        leases.append(lease)
    return leases


def _parse_line(fields: list[str], iface: str, prefixes: Mapping[int, int]) -> Optional[dict[str, Any]]:
    if len(fields) != _LEASE_FIELDS or not fields[0].isdigit():
        return None
    expiry, second, ipaddr, hostname, client = fields
    is_v6 = ":" in ipaddr
    kind = VIR_IP_ADDR_TYPE_IPV6 if is_v6 else VIR_IP_ADDR_TYPE_IPV4
    mac = _mac_from_duid(client) if is_v6 else _hardware_mac(second)
    if mac is None:
        return None
    return {  # libvirt-python's key order
        "iface": iface,
        "expirytime": int(expiry),
        "type": kind,
        "mac": mac,
        "ipaddr": ipaddr,
        "prefix": prefixes.get(kind, 0),
        "hostname": None if hostname == UNKNOWN else hostname,
        "clientid": None if client == UNKNOWN else client,
        "iaid": second.lstrip("T") if is_v6 else None,
    }


def _hardware_mac(field: str) -> Optional[str]:
    """The MAC of an IPv4 lease; dnsmasq writes ``TYPE-ADDRESS`` for non-Ethernet hardware."""
    if "-" in field:
        return None
    return field if parse_mac(field) is not None else None


def _mac_from_duid(duid: str) -> Optional[str]:
    """The Ethernet MAC inside a DUID-LLT or DUID-LL (RFC 8415 §11.2, §11.4), else None."""
    if duid == UNKNOWN:
        return None
    try:
        raw = bytes.fromhex(duid.replace(":", ""))
    except ValueError:
        return None
    if len(raw) < 4:
        return None
    duid_type = int.from_bytes(raw[0:2], "big")
    hw_type = int.from_bytes(raw[2:4], "big")
    offset = {DUID_LLT: 8, DUID_LL: 4}.get(duid_type)
    if offset is None or hw_type != HWTYPE_ETHERNET or len(raw) != offset + 6:
        return None
    return format_mac(raw[offset:])


def lease_prefixes(netdef: NetworkDef) -> dict[int, int]:
    """The prefix libvirt reports per address type: the first IPv4 ``<ip>``'s, the first IPv6 one's.

    Like libvirt, the IPv6 prefix is the ``prefix`` attribute as given (0 when absent).
    """
    prefixes: dict[int, int] = {}
    for ip in netdef.ips:
        kind = VIR_IP_ADDR_TYPE_IPV6 if ip.address.is_ipv6 else VIR_IP_ADDR_TYPE_IPV4
        if kind not in prefixes:
            prefixes[kind] = ip.prefix if ip.address.is_ipv6 else effective_prefix(ip.address, ip.netmask, ip.prefix)
    return prefixes
