"""netstore: libvirt's virNetworkUpdate on an event-sourced store.

The public surface is libvirt-python's network API (``netstore.open`` and the
objects it returns, the ``VIR_*`` constants, :class:`libvirtError`) plus a few
pure functions on network XML.  Layers, top first; a module imports only from
layers below its own (``|``: siblings that do not import each other; the
import-linter contract in pyproject.toml enforces this list)::

    cli                      the virsh-style command line
    api                      the libvirt-python-compatible library (netstore.open)
    reconciler | audit       daemons from live definitions | history queries, rollback
    store | fleet            the event log, the projection, the hash chain | host ids, assignment
    projector | lifecycle    the one fold of events | flags, state errors, driver policy
    engine | render          virNetworkUpdate's sections, O(1) | daemon files (pure)
    decision                 what a decide function is (StoreView, Decide)
    state                    a network's live and persistent definitions, item edits
    model                    parse / validate / format network XML exactly as libvirt 9.0.0
    events | errors | constants

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
