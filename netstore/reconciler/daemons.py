"""dnsmasq and radvd processes: start, find, reload and stop them by their pid files.

Both daemons fork into the background themselves and write their own pid file
(dnsmasq from the ``pid-file=`` line of its configuration, radvd from
``--pidfile``).  A pid read from a pid file is trusted only when that process
runs the daemon's binary with the network's configuration file on its command
line, so a pid the kernel has since given to another process is never signalled.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Optional

import psutil

from netstore.reconciler.errors import ReconcileError
from netstore.reconciler.paths import Paths

POLL_SECONDS = 0.02
PID_FILE_READS = 3
NETNS_DIR = Path("/run/netns")
_FALLBACK_BINARIES = {"dnsmasq": "/usr/sbin/dnsmasq", "radvd": "/usr/sbin/radvd"}


@dataclass(frozen=True)
class DaemonSpec:
    """How one daemon of one network is run; ``netns`` runs it inside that named network namespace."""

    kind: str  # "dnsmasq" | "radvd"
    network: str
    argv: tuple[str, ...]
    pid_file: Path
    config_path: Path
    env: Mapping[str, str] = field(default_factory=dict)
    netns: Optional[str] = None


def dnsmasq_spec(network: str, paths: Paths, netns: Optional[str] = None) -> DaemonSpec:
    """dnsmasq with the network's configuration and its own lease file under the state directory.

    Like libvirt's command line (daemon-config §4) but with ``--dhcp-leasefile``
    instead of ``--leasefile-ro`` and the leases helper: dnsmasq keeps the leases
    itself and ``net-dhcp-leases`` reads its file.  The pid file is the
    configuration's ``pid-file=`` line, which must name ``paths.dnsmasq_pid``.
    """
    conf = paths.conf(network)
    argv = (_binary("dnsmasq"), f"--conf-file={conf}", f"--dhcp-leasefile={paths.leases(network)}")
    return DaemonSpec("dnsmasq", network, argv, paths.dnsmasq_pid(network), conf, {}, netns)


def radvd_spec(network: str, paths: Paths, netns: Optional[str] = None) -> DaemonSpec:
    """radvd with the network's configuration; it daemonises and writes ``--pidfile`` itself."""
    conf = paths.radvd_conf(network)
    pid_file = paths.radvd_pid(network)
    argv = (_binary("radvd"), "--config", str(conf), "--pidfile", str(pid_file))
    return DaemonSpec("radvd", network, argv, pid_file, conf, {}, netns)


def running_pid(spec: DaemonSpec) -> Optional[int]:
    """The daemon's pid, when its pid file names a live process that is this very daemon."""
    pid = _read_pid(spec.pid_file)
    if pid is None:
        return None
    return pid if _is_our_daemon(pid, spec) else None


def start(spec: DaemonSpec, timeout: float = 5.0) -> int:
    """Start the daemon and return its pid once its pid file names it; ReconcileError with its stderr.

    Refuses (ReconcileError) while the pid file names a running instance, so a daemon is never doubled.
    """
    running = running_pid(spec)
    if running is not None:
        raise ReconcileError(f"{spec.kind} is already running (pid {running})", spec.network)
    spec.pid_file.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
    with tempfile.TemporaryFile() as stderr:
        status = _launch(spec, stderr, timeout)
        stderr.seek(0)
        message = stderr.read().decode("utf-8", errors="replace").strip()
    if status != 0:
        raise ReconcileError(f"{spec.kind} failed to start (exit status {status}): {message}", spec.network)
    deadline = time.monotonic() + timeout
    while (pid := running_pid(spec)) is None or not catches(pid, signal.SIGHUP):
        if time.monotonic() >= deadline:
            detail = f": {message}" if message else ""
            raise ReconcileError(f"{spec.kind} did not become ready (pid file {spec.pid_file}){detail}", spec.network)
        time.sleep(POLL_SECONDS)
    return pid


def catches(pid: int, signum: int) -> bool:
    """True when process ``pid`` has a handler for ``signum`` (``SigCgt`` in /proc/PID/status).

    A daemon may write its pid file before it installs its handlers, and a
    SIGHUP in between terminates it; so a daemon counts as started only once it
    catches SIGHUP, and is reloaded only then.
    """
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    for line in status.splitlines():
        if line.startswith("SigCgt:"):
            return bool(int(line.split()[1], 16) >> (signum - 1) & 1)
    return False


def reload(spec: DaemonSpec, pid: int) -> None:
    """SIGHUP the daemon (dnsmasq re-reads its hosts files, radvd its configuration)."""
    if running_pid(spec) != pid:
        raise ReconcileError(f"{spec.kind} pid {pid} is not running; not signalled", spec.network)
    if not catches(pid, signal.SIGHUP):
        raise ReconcileError(f"{spec.kind} pid {pid} does not handle SIGHUP yet; not signalled", spec.network)
    try:
        os.kill(pid, signal.SIGHUP)
    except ProcessLookupError as err:
        raise ReconcileError(f"{spec.kind} pid {pid} exited before it could be reloaded", spec.network) from err


def stop(spec: DaemonSpec, pid: Optional[int] = None, timeout: float = 5.0) -> bool:
    """SIGTERM the daemon, wait, SIGKILL if it is still alive; remove its pid file.

    ``pid`` (if given) is signalled only when it is the daemon the pid file names;
    when the pid file names another live instance of the daemon, nothing is done.
    A stale pid file is removed.  True when a process was stopped.
    """
    trusted = running_pid(spec)
    if trusted is not None and pid is not None and pid != trusted:
        return False
    stopped = _terminate(trusted, timeout) if trusted is not None else False
    spec.pid_file.unlink(missing_ok=True)
    return stopped


def _binary(name: str) -> str:
    return shutil.which(name, path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin") or _FALLBACK_BINARIES[name]


def _command(spec: DaemonSpec) -> list[str]:
    if spec.netns is None:
        return list(spec.argv)
    return ["nsenter", f"--net={NETNS_DIR / spec.netns}", "--", *spec.argv]


def _launch(spec: DaemonSpec, stderr: IO[bytes], timeout: float) -> int:
    env = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL": "C", **spec.env}
    try:
        done = subprocess.run(
            _command(spec),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env=env,
            timeout=timeout,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        raise ReconcileError(f"cannot run {spec.kind}: {err}", spec.network) from err
    return done.returncode


def _read_pid(pid_file: Path) -> Optional[int]:
    """The pid in ``pid_file``; an empty or unfinished file is read again a few times first.

    A daemon rewriting its pid file (truncate, then write) must not look like a
    stale one, or stop() would drop the pid file of a daemon that still runs.
    """
    for attempt in range(PID_FILE_READS):
        try:
            text = pid_file.read_text(encoding="ascii", errors="replace")
        except OSError:
            return None
        if text.endswith("\n") and text.strip().isdigit():
            return int(text) if int(text) > 0 else None
        if attempt < PID_FILE_READS - 1:
            time.sleep(POLL_SECONDS)
    stripped = text.strip()
    return int(stripped) if stripped.isdigit() and int(stripped) > 0 else None


def _is_our_daemon(pid: int, spec: DaemonSpec) -> bool:
    try:
        process = psutil.Process(pid)
        if process.status() == psutil.STATUS_ZOMBIE:
            return False
        exe = process.exe()
        cmdline = process.cmdline()
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return False
    if os.path.realpath(exe) != os.path.realpath(spec.argv[0]):
        return False
    config = str(spec.config_path)
    return any(arg == config or arg.endswith("=" + config) for arg in cmdline)


def _terminate(pid: int, timeout: float) -> bool:
    try:
        process = psutil.Process(pid)
        process.terminate()
        try:
            process.wait(timeout)
        except psutil.TimeoutExpired:
            process.kill()
            process.wait(timeout)
    except psutil.NoSuchProcess:
        pass
    return True
