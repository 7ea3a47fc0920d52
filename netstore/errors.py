"""The one error root of netstore and libvirt's error vocabulary.

Every user-facing failure is a :class:`libvirtError` carrying libvirt's error
code, error domain and message text (with the prefix libvirt adds for the
code).  Internal layers raise it through the small helpers below so the
wording lives in one place per rule, next to the code that enforces it.
"""

from __future__ import annotations

# Error codes (virErrorNumber) used by netstore.
VIR_ERR_OK = 0
VIR_ERR_INTERNAL_ERROR = 1
VIR_ERR_INVALID_ARG = 8
VIR_ERR_OPERATION_FAILED = 9
VIR_ERR_NO_NAME = 21
VIR_ERR_XML_ERROR = 27
VIR_ERR_OPERATION_DENIED = 29
VIR_ERR_XML_DETAIL = 35
VIR_ERR_SYSTEM_ERROR = 38
VIR_ERR_NO_NETWORK = 43
VIR_ERR_INVALID_MAC = 44
VIR_ERR_OPERATION_INVALID = 55
VIR_ERR_CONFIG_UNSUPPORTED = 67
VIR_ERR_OPERATION_UNSUPPORTED = 84

# Error domains (virErrorDomain).
VIR_FROM_NONE = 0
VIR_FROM_XML = 5
VIR_FROM_NET = 11
VIR_FROM_TEST = 12
VIR_FROM_NETWORK = 19

_PREFIX = {
    VIR_ERR_INTERNAL_ERROR: "internal error: ",
    VIR_ERR_OPERATION_FAILED: "operation failed: ",
    VIR_ERR_XML_ERROR: "XML error: ",
    VIR_ERR_OPERATION_DENIED: "operation forbidden: ",
    VIR_ERR_INVALID_MAC: "invalid MAC address: ",
    VIR_ERR_NO_NETWORK: "Network not found: ",
    VIR_ERR_OPERATION_INVALID: "Requested operation is not valid: ",
    VIR_ERR_CONFIG_UNSUPPORTED: "unsupported configuration: ",
    VIR_ERR_OPERATION_UNSUPPORTED: "Operation not supported: ",
}


class NetstoreError(Exception):
    """Root of every exception netstore raises on purpose."""


class libvirtError(NetstoreError):  # noqa: N801 - libvirt-python's own name
    """A failure in libvirt's terms: code, domain and message.

    ``detail`` is the text without libvirt's per-code prefix; the message
    (``str(err)`` and :meth:`get_error_message`) carries the prefix exactly
    as libvirt-python reports it.
    """

    def __init__(self, code: int, detail: str, domain: int = VIR_FROM_NETWORK) -> None:
        self.code = code
        self.domain = domain
        self.detail = detail
        if code == VIR_ERR_NO_NAME and not detail:
            message = "missing name information"
        else:
            message = _PREFIX.get(code, "") + detail
        self.message = message
        super().__init__(message)

    def get_error_code(self) -> int:
        return self.code

    def get_error_domain(self) -> int:
        return self.domain

    def get_error_message(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"libvirtError(code={self.code}, domain={self.domain}, message={self.message!r})"


class StoreError(NetstoreError):
    """The event store could not do what was asked (not a libvirt-level refusal)."""


class StoreUnavailableError(StoreError):
    """The database cannot be reached, opened or locked in time, or its backend is not supported."""


class WriteRefusedError(StoreError):
    """The database refused a write: a constraint (unique key, foreign key, CHECK) does not hold."""


class SchemaMismatchError(StoreError):
    """The database's schema is not the one this netstore uses, and opening a store will not migrate it."""


class HistoryError(StoreError, ValueError):
    """The stored history is damaged: a stored change does not fit the state it is folded into."""


class IntegrityError(HistoryError):
    """``verify`` found damage (hash chain, event positions or projection mismatch) at ``position``."""

    def __init__(self, position: int, reason: str) -> None:
        self.position, self.reason = position, reason
        super().__init__(f"position {position}: {reason}")


def xml_error(detail: str, domain: int = VIR_FROM_NETWORK) -> libvirtError:
    return libvirtError(VIR_ERR_XML_ERROR, detail, domain)


def xml_detail(detail: str, domain: int = VIR_FROM_NETWORK) -> libvirtError:
    return libvirtError(VIR_ERR_XML_DETAIL, detail, domain)


def config_unsupported(detail: str, domain: int = VIR_FROM_NETWORK) -> libvirtError:
    return libvirtError(VIR_ERR_CONFIG_UNSUPPORTED, detail, domain)


def internal_error(detail: str, domain: int = VIR_FROM_NETWORK) -> libvirtError:
    return libvirtError(VIR_ERR_INTERNAL_ERROR, detail, domain)


def operation_invalid(detail: str, domain: int = VIR_FROM_NETWORK) -> libvirtError:
    return libvirtError(VIR_ERR_OPERATION_INVALID, detail, domain)


def operation_unsupported(detail: str, domain: int = VIR_FROM_NETWORK) -> libvirtError:
    return libvirtError(VIR_ERR_OPERATION_UNSUPPORTED, detail, domain)
