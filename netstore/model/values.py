"""Scalar value parsers with libvirt's exact acceptance rules.

MAC addresses (virmacaddr.c), UUIDs (viruuid.c), C ``strtoul``-style integers
(virstring.c) and the yes/no parsers (virxml.c).  Each returns ``None`` for
input libvirt refuses; callers raise the element-specific error.
"""

from __future__ import annotations

import re
import uuid as _uuid
from typing import Optional

_HEX = "0123456789abcdefABCDEF"
_SPACE = " \t\n\v\f\r"
ULONG_MAX = (1 << 64) - 1
UINT_MAX = (1 << 32) - 1


_MAC = re.compile(rb"([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2}):"
                  rb"([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})")
_TWO_DIGIT_MAC_LENGTH = len("00:00:00:00:00:00")


def parse_mac(text: str) -> Optional[bytes]:
    """virMacAddrParse: six 1-2 digit hex groups; after them end of string or a byte <= 0x20
    read as a signed char (so whitespace, control characters and any non-ASCII)."""
    data = text.encode("utf-8", "surrogateescape")
    match = _MAC.match(data)
    if match is None:
        return None
    end = match.end()
    if len(data) > end and 0x20 < data[end] < 0x80:
        return None
    if end == _TWO_DIGIT_MAC_LENGTH:  # every group has two digits (the usual spelling)
        return bytes.fromhex(text[:end].replace(":", ""))
    return bytes(int(group, 16) for group in match.groups())


def format_mac(mac: bytes) -> str:
    return ":".join(f"{b:02x}" for b in mac)


def is_multicast_mac(mac: bytes) -> bool:
    return bool(mac[0] & 1)


def parse_uuid(text: str) -> Optional[str]:
    """virUUIDParse: optional leading blanks, 16 two-digit hex bytes each optionally preceded
    by '-' or ' ', then only whitespace.  Returns the canonical lower-case form."""
    pos = 0
    n = len(text)
    while pos < n and text[pos] in _SPACE:
        pos += 1
    raw = bytearray()
    while len(raw) < 16:
        while pos < n and text[pos] in "- ":
            pos += 1
        if pos + 1 >= n or text[pos] not in _HEX or text[pos + 1] not in _HEX:
            return None
        raw.append(int(text[pos : pos + 2], 16))
        pos += 2
    if text[pos:].strip(_SPACE):
        return None
    return str(_uuid.UUID(bytes=bytes(raw)))


def generate_uuid() -> str:
    """A random RFC 4122 version-4 UUID, as virUUIDGenerate makes."""
    return str(_uuid.uuid4())


def _strtoul_digits(text: str, base: int) -> Optional[tuple[bool, int]]:
    """C strtoul on the whole string: (negative, magnitude) or None when not fully consumed."""
    s = text.lstrip(_SPACE)
    negative = False
    if s[:1] in ("+", "-"):
        negative = s[0] == "-"
        s = s[1:]
    if base == 0:
        if s[:2].lower() == "0x" and len(s) > 2 and s[2] in _HEX:
            base, s = 16, s[2:]
        elif s[:1] == "0":
            base = 8
        else:
            base = 10
    elif base == 16 and s[:2].lower() == "0x" and len(s) > 2 and s[2] in _HEX:
        s = s[2:]
    if not s:
        return None
    digits = "0123456789abcdef"[:base]
    if any(c.lower() not in digits for c in s):
        return None
    return negative, int(s, base)


def parse_unsigned(text: str, base: int = 10, limit: int = UINT_MAX) -> Optional[int]:
    """virStrToLong_uip/_ulp/_ullp: no sign other than '+', value <= limit."""
    parsed = _strtoul_digits(text, base)
    if parsed is None or parsed[0] or parsed[1] > limit:
        return None
    return parsed[1]


def parse_unsigned_wrapping(text: str, base: int = 10) -> Optional[int]:
    """virStrToLong_ui: a '-' is accepted and wraps like C (``-1`` gives UINT_MAX)."""
    parsed = _strtoul_digits(text, base)
    if parsed is None or parsed[1] > ULONG_MAX:
        return None
    negative, value = parsed
    if negative:
        return None if value > UINT_MAX else (-value) & UINT_MAX
    return None if value > UINT_MAX else value


def parse_tristate(text: str) -> Optional[bool]:
    """virTristateBool from its string: exactly 'yes' or 'no'; anything else is None (invalid)."""
    if text == "yes":
        return True
    if text == "no":
        return False
    return None


def is_yes_nocase(text: Optional[str]) -> bool:
    """libvirt's STRCASEEQ(value, "yes") checks."""
    return text is not None and text.lower() == "yes"

