"""What the bridge driver's checks ask the host, as a protocol (easy to fake in tests), and the real host."""

from __future__ import annotations

import os
import socket
from typing import Protocol


class Host(Protocol):
    """The host facts the bridge driver consults when it validates a definition."""

    def has_device(self, name: str) -> bool:
        """A network device of this name exists (virNetDevExists)."""

    def is_virtual_function(self, sysfs_path: str) -> bool:
        """The PCI device at this sysfs path is an SR-IOV VF (virPCIIsVirtualFunction)."""


class LocalHost:
    """The machine netstore runs on."""

    def has_device(self, name: str) -> bool:
        try:
            socket.if_nametoindex(name)
        except (OSError, ValueError):
            return False
        return True

    def is_virtual_function(self, sysfs_path: str) -> bool:
        return os.path.exists(os.path.join(sysfs_path, "physfn"))


LOCAL_HOST = LocalHost()
