"""netstore: libvirt's virNetworkUpdate on an event-sourced store.

The public surface is libvirt-python's network API (``netstore.open`` and the
objects it returns, the ``VIR_*`` constants, :class:`libvirtError`) plus a few
pure functions on network XML.  Layers, bottom of the stack first::

    model      parse / validate / format network XML exactly as libvirt 9.0.0
    engine     virNetworkUpdate's section semantics, O(1) per update
    store      the event log, the projection, snapshots, the hash chain
    projector  the one fold of events into live and persistent definitions
    api, cli   the libvirt-python-compatible library and the virsh-style CLI

The library half is imported on first use, so code that only needs the model
(``canonical_xml``, ``dnsmasq_files``, ``radvd_conf``) does not pay for SQLAlchemy.
"""

from __future__ import annotations

from typing import Any

from netstore.errors import NetstoreError, libvirtError

_API_NAMES = {"open", "Connection", "Network"}

_RENDER_NAMES = {"dnsmasq_files", "radvd_conf"}

__all__ = [
    "Connection",
    "Network",
    "NetstoreError",
    "canonical_xml",
    "dnsmasq_files",
    "libvirtError",
    "open",
    "radvd_conf",
]


def __getattr__(name: str) -> Any:
    if name == "canonical_xml":
        from netstore.model import canonical_xml

        return canonical_xml
    if name in _RENDER_NAMES:
        from netstore import render

        return getattr(render, name)
    if name in _API_NAMES:
        from netstore import api

        return getattr(api, name)
    if name.startswith("VIR_"):
        from netstore.api import constants

        if hasattr(constants, name):
            return getattr(constants, name)
    raise AttributeError(f"module 'netstore' has no attribute {name!r}")
