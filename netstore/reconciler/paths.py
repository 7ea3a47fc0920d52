"""Where the reconciler keeps daemon files: libvirt's file names under netstore's own directories.

Names follow libvirt 9.0.0 (research daemon-config.md §1, built by
:mod:`netstore.render.naming`): ``STATE/NAME.conf``, ``STATE/NAME.hostsfile``,
``STATE/NAME.addnhosts``, ``STATE/NAME-radvd.conf``, ``STATE/NAME.leases``,
``RUN/NAME.pid`` and ``RUN/NAME-radvd.pid`` (hosts files and pid files with the
XML-escaped name, as libvirt escapes them).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from netstore.render import naming

STATE_DIR_ENV = "NETSTORE_STATE_DIR"
RUN_DIR_ENV = "NETSTORE_RUN_DIR"
ROOT_STATE_DIR = Path("/var/lib/netstore")
ROOT_RUN_DIR = Path("/run/netstore")


@dataclass(frozen=True)
class Paths:
    """The state directory (daemon configuration, leases) and the run directory (pid files)."""

    state_dir: Path
    run_dir: Path

    def conf(self, network: str) -> Path:
        return self.state_dir / naming.conf_file(network)

    def hostsfile(self, network: str) -> Path:
        return self.state_dir / naming.hostsfile_file(network)

    def addnhosts(self, network: str) -> Path:
        return self.state_dir / naming.addnhosts_file(network)

    def radvd_conf(self, network: str) -> Path:
        return self.state_dir / naming.radvd_conf_file(network)

    def leases(self, network: str) -> Path:
        """dnsmasq's own lease file (``--dhcp-leasefile``), read by ``net-dhcp-leases``."""
        return self.state_dir / f"{network}.leases"

    def dnsmasq_pid(self, network: str) -> Path:
        return self.run_dir / naming.pid_file(network)

    def radvd_pid(self, network: str) -> Path:
        return self.run_dir / naming.radvd_pid_file(network)


def default_paths(state_dir: Optional[Path] = None, run_dir: Optional[Path] = None) -> Paths:
    """Explicit argument, else ``$NETSTORE_STATE_DIR``/``$NETSTORE_RUN_DIR``, else the default for the user.

    root: ``/var/lib/netstore`` and ``/run/netstore``; others:
    ``$XDG_STATE_HOME/netstore`` (default ``~/.local/state/netstore``) and
    ``$XDG_RUNTIME_DIR/netstore`` (without it, ``STATE/run``).
    """
    state = state_dir or _from_env(STATE_DIR_ENV) or _default_state_dir()
    run = run_dir or _from_env(RUN_DIR_ENV) or _default_run_dir(state)
    return Paths(state_dir=state, run_dir=run)


def _from_env(variable: str) -> Optional[Path]:
    value = os.environ.get(variable)
    return Path(value) if value else None


def _default_state_dir() -> Path:
    if os.geteuid() == 0:
        return ROOT_STATE_DIR
    xdg_state = os.environ.get("XDG_STATE_HOME")
    base = Path(xdg_state) if xdg_state else Path.home() / ".local" / "state"
    return base / "netstore"


def _default_run_dir(state_dir: Path) -> Path:
    if os.geteuid() == 0:
        return ROOT_RUN_DIR
    xdg_runtime = os.environ.get("XDG_RUNTIME_DIR")
    return Path(xdg_runtime) / "netstore" if xdg_runtime else state_dir / "run"
