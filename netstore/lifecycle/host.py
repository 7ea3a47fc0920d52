"""What decisions may ask the store and the host, as protocols (easy to fake in tests)."""

from __future__ import annotations

import os
import socket
from typing import Protocol


class StoreView(Protocol):
    """Cross-network facts, read inside the append transaction."""

    def network_with_uuid(self, uuid: str) -> str | None:
        """The name of the existing network with this uuid, if any."""

    def bridges_in_use(self, exclude: str) -> set[str]:
        """Bridge names of every other network's live and persistent definitions."""


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
