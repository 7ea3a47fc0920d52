"""The library's error boundary: whatever goes wrong below, callers see a :class:`libvirtError`.

libvirt-python raises nothing but ``libvirtError`` from its network calls, and
clients written for it catch only that.  Each public call of the library is
wrapped by :func:`libvirt_call`, which passes libvirt errors through and turns
everything else into one, with libvirt's code for the kind of failure:

=====================================  ======================================
closed connection                      VIR_ERR_INVALID_CONN (6)
a store failure (database unavailable,  VIR_ERR_OPERATION_FAILED (9)
refused write, schema mismatch)
a damaged or inconsistent history      VIR_ERR_INTERNAL_ERROR (1)
an operating-system error               VIR_ERR_SYSTEM_ERROR (38)
an argument of the wrong type           VIR_ERR_INVALID_ARG (8)
anything else                           VIR_ERR_INTERNAL_ERROR (1)
=====================================  ======================================

Messages carry no library internals: a database driver's text is reduced to
its first line without the driver's class name.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from netstore.api.constants import (
    VIR_ERR_INTERNAL_ERROR,
    VIR_ERR_INVALID_ARG,
    VIR_ERR_INVALID_CONN,
    VIR_ERR_OPERATION_FAILED,
    VIR_ERR_SYSTEM_ERROR,
)
from netstore.errors import HistoryError, IntegrityError, NetstoreError, StoreError, libvirtError

P = ParamSpec("P")
R = TypeVar("R")

_DRIVER_CLASS = re.compile(r"\((?:\w+\.)+\w+\) ")


class ConnectionClosedError(NetstoreError):
    """A call on a connection after :meth:`Connection.close`."""


def libvirt_call(function: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Wrap a public call named ``function`` in libvirt's C API (e.g. ``virNetworkUpdate``)."""

    def wrap(call: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(call)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return call(*args, **kwargs)
            except libvirtError:
                raise
            except Exception as err:
                raise as_libvirt_error(err, function) from err

        return wrapped

    return wrap


def as_libvirt_error(err: Exception, function: str) -> libvirtError:
    """The libvirtError reporting ``err``, raised by libvirt's ``function``."""
    if isinstance(err, libvirtError):
        return err
    if isinstance(err, ConnectionClosedError):
        return libvirtError(VIR_ERR_INVALID_CONN, f"invalid connection pointer in {function}")
    if isinstance(err, IntegrityError | HistoryError):
        return libvirtError(VIR_ERR_INTERNAL_ERROR, f"stored history is damaged: {plain_text(err)}")
    if isinstance(err, StoreError):
        return libvirtError(VIR_ERR_OPERATION_FAILED, plain_text(err))
    if isinstance(err, OSError):
        return libvirtError(VIR_ERR_SYSTEM_ERROR, plain_text(err))
    if isinstance(err, TypeError | ValueError):
        return libvirtError(VIR_ERR_INVALID_ARG, f"invalid argument in {function}: {plain_text(err)}")
    return libvirtError(VIR_ERR_INTERNAL_ERROR, f"unexpected failure in {function}: {plain_text(err)}")


def plain_text(err: BaseException) -> str:
    """An error's first line, without a database driver's ``(module.Class)`` prefix."""
    lines = str(err).strip().splitlines()
    first = lines[0] if lines else type(err).__name__
    return _DRIVER_CLASS.sub("", first)

