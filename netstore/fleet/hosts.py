"""Fleet host ids: this host's, checking a given one, and whether a host serves a network."""

from __future__ import annotations

import os
import socket
from typing import Optional

from netstore.errors import VIR_ERR_INVALID_ARG, libvirtError
from netstore.state import NetworkState

HOST_ID_ENV = "NETSTORE_HOST_ID"
MAX_HOST_ID = 253  # a DNS name's length


def local_host_id() -> str:
    """``$NETSTORE_HOST_ID``, else the host name: the id this host's reconciler serves."""
    return configured_host_id() or socket.gethostname()


def configured_host_id() -> Optional[str]:
    """``$NETSTORE_HOST_ID`` if set: the host new networks are assigned to when none is named.

    Unset (a single host, or a host that did not join a fleet), new networks stay
    unassigned and every reconciler serves them, as before fleets existed.
    """
    return os.environ.get(HOST_ID_ENV) or None


def checked_host_id(host: object) -> str:
    """``host`` if it is a usable host id (printable, no blanks, 1..253 characters); else libvirtError."""
    if not isinstance(host, str) or not 0 < len(host) <= MAX_HOST_ID or not host.isprintable() \
            or any(ch.isspace() for ch in host):
        raise libvirtError(VIR_ERR_INVALID_ARG, f"host id must be 1 to {MAX_HOST_ID} printable characters"
                                                f" without blanks, not {str(host)[:80]!r}")
    return host


def serves(host_id: str, state: Optional[NetworkState]) -> bool:
    """True if ``host_id``'s reconciler serves ``state`` (unassigned networks: every host does)."""
    return state is None or state.host is None or state.host == host_id
