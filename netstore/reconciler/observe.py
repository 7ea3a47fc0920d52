"""What is on the host for one network: its files, its trusted daemon pids, and staleness."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Optional

import psutil

from netstore.reconciler.daemons import DaemonSpec, running_pid
from netstore.reconciler.plan import CONF, HOSTS_FILES, RADVD_CONF, Desired, Observed

_FILES_READ_BY = {"dnsmasq": (CONF, *HOSTS_FILES), "radvd": (RADVD_CONF,)}
# A process's start time is known to a clock tick and the boot time it is counted from
# is rounded: a file counts as newer than its daemon only beyond this margin.
START_TIME_MARGIN = 1.0


def observe(desired: Desired, *, bridge: Optional[str] = None, check_stale: bool = False,
            known: Optional[Mapping[str, Optional[int]]] = None) -> Observed:
    """Read ``desired``'s files and find its daemons; ``check_stale`` when adopting daemons after a restart.

    ``known``: pids by daemon kind already known to be that very daemon (a live
    pidfd); the others are looked up through their pid files.
    """
    known = known or {}
    files = {f.path: read_text(f.path) for f in desired.all_paths()}
    dnsmasq_pid = known.get("dnsmasq") or running_pid(desired.dnsmasq)
    radvd_pid = known.get("radvd") or running_pid(desired.radvd)
    stale: set[str] = set()
    if check_stale:
        stale |= _stale_files(desired, desired.dnsmasq, dnsmasq_pid)
        stale |= _stale_files(desired, desired.radvd, radvd_pid)
    return Observed(files=files, dnsmasq_pid=dnsmasq_pid, radvd_pid=radvd_pid, stale=frozenset(stale),
                    bridge=bridge)


def read_text(path: Path) -> Optional[str]:
    """The file's content; None if it does not exist or cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _stale_files(desired: Desired, spec: DaemonSpec, pid: Optional[int]) -> set[str]:
    """The files of ``spec``'s daemon modified after it started (it may not have read them)."""
    if pid is None:
        return set()
    try:
        started = psutil.Process(pid).create_time()
    except psutil.Error:
        return set()
    kinds = _FILES_READ_BY[spec.kind]
    return {f.what for f in desired.files() if f.what in kinds and _mtime(f.path) > started + START_TIME_MARGIN}


def _mtime(path: Path) -> float:
    try:
        return os.stat(path).st_mtime
    except OSError:
        return 0.0
