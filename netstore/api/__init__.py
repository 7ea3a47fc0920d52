"""The libvirt-python–compatible library: ``netstore.open(url)`` and the objects it returns.

Names, argument order, return values and errors follow libvirt-python 9.0.0's
network API (the bridge driver's semantics); :mod:`.constants` holds the
``VIR_*`` values.
"""

from netstore.api.connection import Connection, open
from netstore.api.constants import *  # noqa: F403 - the VIR_* names, as libvirt-python exports them
from netstore.api.constants import __all__ as _constant_names
from netstore.api.network import Network
from netstore.errors import libvirtError
from netstore.store.backend import default_url

__all__ = ["Connection", "Network", "default_url", "libvirtError", "open", *_constant_names]
