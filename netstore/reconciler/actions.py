"""The steps a plan is made of: each says what it will do to the host, in words and in data.

Plans are pure data (:mod:`netstore.reconciler.plan` builds them); the applier
(:mod:`netstore.reconciler.apply`) carries them out; ``--dry-run`` prints them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Union

from netstore.reconciler.bridge import BridgeSpec
from netstore.reconciler.daemons import DaemonSpec


@dataclass(frozen=True)
class EnsureBridge:
    """Create or adopt the bridge, set its MAC and addresses, bring it up, wait for IPv6 DAD."""

    spec: BridgeSpec

    def describe(self) -> str:
        return f"ensure bridge {self.spec.name}"


@dataclass(frozen=True)
class RemoveBridge:
    """Remove the bridge, only if this reconciler created it."""

    name: str

    def describe(self) -> str:
        return f"remove bridge {self.name}"


@dataclass(frozen=True)
class WriteFile:
    """Write a daemon file atomically; ``what`` names it in logs (``conf``, ``hostsfile``...)."""

    path: Path
    content: str
    mode: int
    what: str
    summary: str = ""  # e.g. "3 hosts added"

    def change(self) -> str:
        """``"hostsfile changed (3 hosts added)"``."""
        detail = f" ({self.summary})" if self.summary else ""
        return f"{self.what} changed{detail}"

    def describe(self) -> str:
        detail = f" ({self.summary})" if self.summary else ""
        return f"write {self.what} {self.path}{detail}"


@dataclass(frozen=True)
class RemoveFile:
    path: Path
    what: str

    def describe(self) -> str:
        return f"remove {self.what} {self.path}"


@dataclass(frozen=True)
class StartDaemon:
    spec: DaemonSpec

    def describe(self) -> str:
        return f"start {self.spec.kind}: {' '.join(self.spec.argv)}"


@dataclass(frozen=True)
class ReloadDaemon:
    """SIGHUP: dnsmasq re-reads its hosts files, radvd its whole configuration."""

    spec: DaemonSpec
    pid: int

    def describe(self) -> str:
        return f"SIGHUP {self.spec.kind} pid {self.pid}"


@dataclass(frozen=True)
class RestartDaemon:
    spec: DaemonSpec
    pid: int

    def describe(self) -> str:
        return f"restart {self.spec.kind} pid {self.pid}"


@dataclass(frozen=True)
class StopDaemon:
    spec: DaemonSpec
    pid: Optional[int]

    def describe(self) -> str:
        return f"stop {self.spec.kind} pid {self.pid}"


Action = Union[EnsureBridge, RemoveBridge, WriteFile, RemoveFile, StartDaemon, ReloadDaemon, RestartDaemon,
               StopDaemon]
