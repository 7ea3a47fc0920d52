"""virCheckFlags: refuse flag bits a call does not know, in libvirt's words."""

from __future__ import annotations

from netstore.errors import VIR_ERR_INVALID_ARG, libvirtError

_UINT_MASK = 0xFFFFFFFF  # flags are a C unsigned int


def check_flags(flags: int, supported: int, function: str) -> None:
    """8 ``unsupported flags (0x..) in function <function>`` naming the unknown bits."""
    unsupported = int(flags) & _UINT_MASK & ~supported
    if unsupported:
        raise libvirtError(VIR_ERR_INVALID_ARG, f"unsupported flags (0x{unsupported:x}) in function {function}")
