"""IP addresses as libvirt parses and prints them (virsocketaddr.c).

Parsing goes through glibc's ``getaddrinfo(AI_NUMERICHOST)`` and printing
through ``getnameinfo(NI_NUMERICHOST)``, the calls libvirt itself makes, so the
accepted syntax (``10.1``, octal, hex) and the canonical text (``::192.168.1.1``)
match libvirt's byte for byte.  Python's ``ipaddress`` module differs on both.
"""

from __future__ import annotations

import re
import socket
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from netstore.errors import VIR_ERR_SYSTEM_ERROR, VIR_FROM_NONE, internal_error, libvirtError


@dataclass(frozen=True, slots=True)
class Address:
    """A parsed socket address.  Equality compares family and value only."""

    family: int  # socket.AF_INET or socket.AF_INET6
    value: int  # the address as an unsigned integer
    text: str  # canonical form, as libvirt prints it

    @property
    def is_ipv6(self) -> bool:
        return self.family == socket.AF_INET6

    @property
    def bits(self) -> int:
        return 128 if self.is_ipv6 else 32

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Address):
            return NotImplemented
        return self.family == other.family and self.value == other.value

    def __hash__(self) -> int:
        return hash((self.family, self.value))

    def __str__(self) -> str:
        return self.text


_DOTTED_QUAD = re.compile(r"(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])")


@lru_cache(maxsize=65536)
def _parse(text: str, family: int) -> Optional[Address]:
    if _DOTTED_QUAD.fullmatch(text):  # the common case, already canonical
        return Address(socket.AF_INET, int.from_bytes(socket.inet_aton(text), "big"), text)
    if family != socket.AF_INET and ":" in text and "%" not in text:
        return _parse_plain_ipv6(text)
    return _parse_with_libc(text, family)


def _parse_plain_ipv6(text: str) -> Optional[Address]:
    try:
        packed = socket.inet_pton(socket.AF_INET6, text)
    except (OSError, ValueError):
        return None
    return Address(socket.AF_INET6, int.from_bytes(packed, "big"), socket.inet_ntop(socket.AF_INET6, packed))


def _parse_with_libc(text: str, family: int) -> Optional[Address]:
    """getaddrinfo/getnameinfo, for the inet_aton short forms and scoped IPv6."""
    if not text or "\x00" in text:
        return None
    try:
        infos = socket.getaddrinfo(text, None, family, socket.SOCK_DGRAM, 0, socket.AI_NUMERICHOST)
        fam, _, _, _, sockaddr = infos[0]
        canonical = socket.getnameinfo(sockaddr, socket.NI_NUMERICHOST)[0]
        packed = socket.inet_pton(fam, str(sockaddr[0]).split("%", 1)[0])
    except (OSError, UnicodeError, ValueError):
        return None
    return Address(fam, int.from_bytes(packed, "big"), canonical)


def parse_address(text: str, ipv4_only: bool = False) -> Optional[Address]:
    """Parse like virSocketAddrParse; ``None`` when libvirt would refuse it."""
    return _parse(text, socket.AF_INET if ipv4_only else socket.AF_UNSPEC)


def parse_address_or_raise(text: str) -> Address:
    """Parse where libvirt keeps the generic socket-address error (38/0)."""
    addr = parse_address(text)
    if addr is None:
        raise libvirtError(
            VIR_ERR_SYSTEM_ERROR,
            f"Cannot parse socket address '{text}': Name or service not known",
            VIR_FROM_NONE,
        )
    return addr


def from_int(family: int, value: int) -> Address:
    """Build an address from its numeric value (canonical text included)."""
    size = 16 if family == socket.AF_INET6 else 4
    packed = value.to_bytes(size, "big")
    text = socket.inet_ntop(family, packed)
    return _parse(text, family) or Address(family, value, text)


def netmask_prefix(netmask: Address) -> int:
    """Bit count of a contiguous netmask, or -1 (virSocketAddrGetNumNetmaskBits)."""
    inverted = ~netmask.value & ((1 << netmask.bits) - 1)
    if inverted & (inverted + 1):
        return -1
    return netmask.bits - inverted.bit_length()


def effective_prefix(address: Address, netmask: Optional[Address], prefix: int) -> int:
    """The prefix libvirt uses for range checks (virSocketAddrGetIPPrefix)."""
    if prefix > 0:
        return prefix
    if netmask is not None:
        return netmask_prefix(netmask)
    if address.is_ipv6:
        return 0 if address.value == 0 else 64
    if address.value == 0:
        return 0
    first = address.value >> 24
    if first & 0x80 == 0:
        return 8
    if first & 0xC0 == 0x80:
        return 16
    if first & 0xE0 == 0xC0:
        return 24
    return -1


def in_network(addr: Address, network: Address, prefix: int) -> bool:
    if addr.family != network.family or prefix < 0 or prefix > addr.bits:
        return False
    shift = addr.bits - prefix
    return (addr.value >> shift) == (network.value >> shift)


def check_range(
    start: Address, end: Address, network: Optional[Address] = None, prefix: int = 0
) -> int:
    """virSocketAddrGetRange: validate a range and return its size; errors are 1/0."""
    where = f"{start.text} - {end.text}"
    if start.family != end.family:
        raise internal_error(f"mismatch of address family in range {where}", VIR_FROM_NONE)
    if network is not None:
        _check_range_in_network(start, end, network, prefix, where)
    if start.is_ipv6:
        if start.value >> 16 != end.value >> 16:
            raise internal_error(f"range {where} is too large (> 65535)", VIR_FROM_NONE)
        if end.value < start.value:
            raise internal_error(f"range {where} start larger than end", VIR_FROM_NONE)
    else:
        if start.value >> 16 != end.value >> 16:
            raise internal_error(f"range {where} is too large (> 65535)", VIR_FROM_NONE)
        if end.value < start.value:
            raise internal_error(f"range {where} is reversed ", VIR_FROM_NONE)
    return end.value - start.value + 1


def _check_range_in_network(
    start: Address, end: Address, network: Address, prefix: int, where: str
) -> None:
    net = network.text
    if start.family != network.family:
        raise internal_error(f"mismatch of address family in range {where} for network {net}", VIR_FROM_NONE)
    if prefix < 0 or prefix > start.bits:
        raise internal_error(
            f"bad prefix {prefix} for network {net} when  checking range {where}", VIR_FROM_NONE
        )
    if not (in_network(start, network, prefix) and in_network(end, network, prefix)):
        raise internal_error(f"range {where} is not entirely within network {net}/{prefix}", VIR_FROM_NONE)
    if start.is_ipv6:
        return
    host_bits = start.bits - prefix
    host_mask = (1 << host_bits) - 1
    if start.value & host_mask == 0:  # a /32 range is its network address: refused, as libvirt does
        raise internal_error(
            f"start of range {where} in network {net}/{prefix} is the network address", VIR_FROM_NONE
        )
    if end.value & host_mask == host_mask:
        raise internal_error(
            f"end of range {where} in network {net}/{prefix} is the broadcast address", VIR_FROM_NONE
        )
