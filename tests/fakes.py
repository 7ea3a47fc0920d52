"""Stand-ins for the store view and the host, so decisions can be tested without either (every test package)."""

from __future__ import annotations

from dataclasses import dataclass, field

from netstore.state import NetworkState


@dataclass
class FakeView:
    """Other networks, as ``{name: state}``."""

    networks: dict[str, NetworkState] = field(default_factory=dict)

    def network_with_uuid(self, uuid: str) -> str | None:
        for name, state in self.networks.items():
            defn = state.current()
            if defn is not None and defn.uuid == uuid:
                return name
        return None

    def bridges_in_use(self, exclude: str) -> set[str]:
        return {
            defn.bridge.name
            for name, state in self.networks.items()
            if name != exclude
            for defn in (state.live, state.config)
            if defn is not None and defn.bridge.name
        }


@dataclass
class FakeHost:
    """A host with exactly these network devices and SR-IOV virtual functions (none by default)."""

    devices: set[str] = field(default_factory=set)
    virtual_functions: set[str] = field(default_factory=set)

    def has_device(self, name: str) -> bool:
        return name in self.devices

    def is_virtual_function(self, sysfs_path: str) -> bool:
        return sysfs_path in self.virtual_functions
