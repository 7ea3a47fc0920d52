"""What ``netstore.open(uri)`` opens: a SQLAlchemy URL, or the default store for libvirt's URIs.

libvirt clients name their hypervisor connection (``qemu:///system`` and
friends); netstore has one store per database, so those URIs are aliases of the
default store (``$NETSTORE_DB``, else ``sqlite:///netstore.db``).  Any other
text must be a SQLAlchemy URL of a backend netstore supports.
"""

from __future__ import annotations

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from netstore.api.boundary import plain_text
from netstore.api.constants import VIR_ERR_NO_CONNECT, VIR_ERR_SYSTEM_ERROR, VIR_FROM_NONE
from netstore.errors import libvirtError
from netstore.store import EventStore
from netstore.store.backend import default_url

LIBVIRT_URIS = frozenset(
    {"qemu:///system", "qemu:///session", "network:///system", "network:///session", "test:///default"}
)
BACKENDS = frozenset({"sqlite", "postgresql"})


def store_url(uri: str | None) -> URL:
    """The database URL ``uri`` names; a libvirt error when it names none netstore can open."""
    if uri is None or uri in LIBVIRT_URIS:
        return make_url(default_url())
    if not isinstance(uri, str):
        raise libvirtError(VIR_ERR_NO_CONNECT, f"no connection driver available for {uri!r}", VIR_FROM_NONE)
    try:
        url = make_url(uri)
    except ArgumentError:
        url = None
    if url is None or url.get_backend_name() not in BACKENDS:
        raise libvirtError(VIR_ERR_NO_CONNECT, f"no connection driver available for {uri}", VIR_FROM_NONE)
    return url


def open_store(uri: str | None) -> EventStore:
    """The event store ``uri`` names, opened (and migrated when empty)."""
    url = store_url(uri)
    try:
        return EventStore(url.render_as_string(hide_password=False))
    except Exception as err:
        shown = url.render_as_string(hide_password=True)
        raise libvirtError(
            VIR_ERR_SYSTEM_ERROR, f"cannot open database {shown}: {plain_text(err)}", VIR_FROM_NONE
        ) from err
