"""Deciding what to do for one network: desired state + what is on the host -> actions (pure).

The gentlest action that brings each daemon in step, chosen as libvirt
chooses it (:func:`netstore.render.dnsmasq_action`, :func:`~netstore.render.radvd_action`,
comparing what is on disk with the new render): only the hosts files changed
-> SIGHUP dnsmasq; its configuration changed -> restart it; radvd's
configuration changed -> SIGHUP radvd; a needed daemon that is not running
-> start it; one no longer needed -> stop it.  A network that is not active
gets its daemons stopped and its bridge removed (if ours); one that no longer
exists also loses its files.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from netstore.reconciler.actions import (
    Action,
    EnsureBridge,
    ReloadDaemon,
    RemoveBridge,
    RemoveFile,
    RestartDaemon,
    StartDaemon,
    StopDaemon,
    WriteFile,
)
from netstore.reconciler.bridge import BridgeSpec
from netstore.reconciler.daemons import DaemonSpec
from netstore.reconciler.paths import Paths
from netstore.render import DaemonAction, DnsmasqFiles, dnsmasq_action, hosts_summary, radvd_action

CONF = "conf"
HOSTSFILE = "hostsfile"
ADDNHOSTS = "addnhosts"
RADVD_CONF = "radvd conf"
LEASES = "leases"
HOSTS_FILES = frozenset((HOSTSFILE, ADDNHOSTS))
CONFIG_MODE = 0o600
HOSTS_MODE = 0o644


@dataclass(frozen=True)
class DesiredFile:
    """One daemon file as it must be on disk; ``content`` None: it must not exist."""

    what: str
    path: Path
    content: Optional[str]
    mode: int


@dataclass(frozen=True)
class Desired:
    """What one network needs on this host: no bridge and no daemons unless it is active."""

    name: str
    active: bool
    exists: bool
    paths: Paths
    dnsmasq: DaemonSpec
    radvd: DaemonSpec
    bridge: Optional[BridgeSpec] = None
    dnsmasq_files: Optional[DnsmasqFiles] = None  # None: no dnsmasq
    radvd_conf: Optional[str] = None  # None: no radvd

    def files(self) -> tuple[DesiredFile, ...]:
        """Every file of the network, with the content it must have (None: absent)."""
        dnsmasq = self.dnsmasq_files
        paths, name = self.paths, self.name
        return (
            DesiredFile(CONF, paths.conf(name), dnsmasq.conf if dnsmasq else None, CONFIG_MODE),
            DesiredFile(HOSTSFILE, paths.hostsfile(name), _hostsfile(dnsmasq), HOSTS_MODE),
            DesiredFile(ADDNHOSTS, paths.addnhosts(name), dnsmasq.addnhosts if dnsmasq else None, HOSTS_MODE),
            DesiredFile(RADVD_CONF, paths.radvd_conf(name), self.radvd_conf, CONFIG_MODE),
        )

    def all_paths(self) -> tuple[DesiredFile, ...]:
        """:meth:`files` and dnsmasq's lease file (removed only with the network)."""
        return (*self.files(), DesiredFile(LEASES, self.paths.leases(self.name), None, HOSTS_MODE))


def _hostsfile(files: Optional[DnsmasqFiles]) -> Optional[str]:
    """The hosts file's content; empty (not absent) when the conf names one but no host has a line."""
    if files is None:
        return None
    if files.hostsfile is None:
        return "" if "\ndhcp-hostsfile=" in files.conf else None
    return files.hostsfile


@dataclass(frozen=True)
class Observed:
    """What is on the host for one network.

    ``files``: the content of each file path (None: absent).  ``stale``: the
    files (by ``what``) written after their running daemon started, so it may
    not have read them (a daemon adopted after a crash between a write and its
    signal).  ``bridge``: the bridge this network had when it was last active,
    to remove (if ours) once it is not.
    """

    files: Mapping[Path, Optional[str]]
    dnsmasq_pid: Optional[int] = None
    radvd_pid: Optional[int] = None
    stale: frozenset[str] = field(default_factory=frozenset)
    bridge: Optional[str] = None


def plan(desired: Desired, observed: Observed) -> list[Action]:
    """The actions that bring the host in step with ``desired``, in the order to run them."""
    if desired.active:
        return _plan_active(desired, observed)
    return _plan_inactive(desired, observed)


def _plan_active(desired: Desired, observed: Observed) -> list[Action]:
    actions: list[Action] = []
    if desired.bridge is not None:
        actions.append(EnsureBridge(desired.bridge))
    if desired.dnsmasq_files is None and observed.dnsmasq_pid is not None:
        actions.append(StopDaemon(desired.dnsmasq, observed.dnsmasq_pid))
    if desired.radvd_conf is None and observed.radvd_pid is not None:
        actions.append(StopDaemon(desired.radvd, observed.radvd_pid))
    actions.extend(_file_actions(desired, observed))
    if desired.dnsmasq_files is not None:
        actions.extend(_dnsmasq_actions(desired, observed))
    if desired.radvd_conf is not None:
        actions.extend(_radvd_actions(desired, observed))
    return actions


def _plan_inactive(desired: Desired, observed: Observed) -> list[Action]:
    actions: list[Action] = []
    if observed.dnsmasq_pid is not None:
        actions.append(StopDaemon(desired.dnsmasq, observed.dnsmasq_pid))
    if observed.radvd_pid is not None:
        actions.append(StopDaemon(desired.radvd, observed.radvd_pid))
    if observed.bridge is not None:
        actions.append(RemoveBridge(observed.bridge))
    if not desired.exists:
        actions.extend(RemoveFile(f.path, f.what) for f in desired.all_paths()
                       if observed.files.get(f.path) is not None)
    return actions


def _file_actions(desired: Desired, observed: Observed) -> list[Action]:
    actions: list[Action] = []
    summarised = False  # the summary covers both hosts files: said once
    for wanted in desired.files():
        current = observed.files.get(wanted.path)
        if wanted.content is None:
            if current is not None:
                actions.append(RemoveFile(wanted.path, wanted.what))
        elif wanted.content != current:
            said = ""
            if wanted.what in HOSTS_FILES and not summarised:
                said = hosts_summary(_on_disk(desired, observed), desired.dnsmasq_files)
                summarised = True
            actions.append(WriteFile(wanted.path, wanted.content, wanted.mode, wanted.what, said))
    return actions


def _on_disk(desired: Desired, observed: Observed) -> Optional[DnsmasqFiles]:
    """dnsmasq's files as they are on disk (None: no configuration there)."""
    def read(path: Path) -> Optional[str]:
        return observed.files.get(path)

    paths, name = desired.paths, desired.name
    conf = read(paths.conf(name))
    if conf is None:
        return None
    return DnsmasqFiles(conf, read(paths.hostsfile(name)) or None, read(paths.addnhosts(name)))


def _dnsmasq_actions(desired: Desired, observed: Observed) -> list[Action]:
    pid = observed.dnsmasq_pid
    if pid is None:
        return [StartDaemon(desired.dnsmasq)]
    change = dnsmasq_action(_on_disk(desired, observed), desired.dnsmasq_files)
    if change in (DaemonAction.RESTART, DaemonAction.START) or CONF in observed.stale:
        return [RestartDaemon(desired.dnsmasq, pid)]
    if change is DaemonAction.RELOAD or observed.stale & HOSTS_FILES:
        return [ReloadDaemon(desired.dnsmasq, pid)]
    return []


def _radvd_actions(desired: Desired, observed: Observed) -> list[Action]:
    pid = observed.radvd_pid
    if pid is None:
        return [StartDaemon(desired.radvd)]
    change = radvd_action(observed.files.get(desired.paths.radvd_conf(desired.name)), desired.radvd_conf)
    if change is not DaemonAction.NOTHING or RADVD_CONF in observed.stale:
        return [ReloadDaemon(desired.radvd, pid)]
    return []
