"""libvirt's real bridge network driver as a test oracle, run without privileges.

``network:///session`` is the bridge driver inside a per-user libvirtd.  Unlike
the test driver it keeps def/newDef apart, supports ``XMLDesc(INACTIVE)``,
turns an undefined running network transient and runs ``networkValidate`` at
define time (update-semantics.md §5, §9).  Unprivileged it can still define
every network and start the ones that need no host setup: forward modes
bridge (``<bridge name='lo'/>`` or a pool interface), private, vepa and
passthrough with a netdev pool.  Modes none/nat/route/open fail to start
(creating the bridge needs CAP_NET_ADMIN).

:class:`SessionDaemon` starts ``libvirtd --timeout=120`` with a private HOME
and XDG_RUNTIME_DIR in a temporary folder.  As root, the daemon runs as uid
and gid 65534 (nobody) through ``setpriv``, and this process (root) talks to
it directly over its UNIX socket (``network:///session?socket=...``): root may
open the 0700 socket, and the session daemon authenticates nobody.  So the
tests use a genuine libvirt connection object - the same API as netstore's -
and no helper process or home-made RPC is needed.  (A helper process running
as nobody would not work on this machine anyway: the Python interpreter lives
under /root, which nobody cannot enter.)
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import stat
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any, Optional

LIBVIRTD = "/usr/sbin/libvirtd"
NETWORK_DRIVER_GLOB = "libvirt/connection-driver/libvirt_driver_network.so"
NOBODY = 65534
IDLE_EXIT_SECONDS = 120
START_TIMEOUT = 30.0


def _network_driver_present() -> bool:
    for libdir in ("/usr/lib64", "/usr/lib", *Path("/usr/lib").glob("*-linux-gnu")):
        if (Path(libdir) / NETWORK_DRIVER_GLOB).is_file():
            return True
    return False


def _traversable_by_others(path: Path) -> bool:
    """True when every ancestor of ``path`` can be entered by an unrelated user."""
    return all(os.stat(parent).st_mode & stat.S_IXOTH for parent in [path, *path.parents])


def _scratch_parent() -> Path:
    for candidate in (Path(tempfile.gettempdir()), Path("/tmp"), Path("/var/tmp")):
        if candidate.is_dir() and _traversable_by_others(candidate):
            return candidate
    raise RuntimeError("no temporary folder that uid 65534 can enter")


def _signal_group(pgid: int, signum: int) -> None:
    """Signal the process group the daemon was started in (its own session)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signum)


class SessionDaemon:
    """One private libvirtd; :meth:`connect` gives ``network:///session`` connections."""

    def __init__(self, idle_exit: int = IDLE_EXIT_SECONDS, start_timeout: float = START_TIMEOUT) -> None:
        self.idle_exit = idle_exit
        self.start_timeout = start_timeout
        self.base: Optional[Path] = None
        self.process: Optional[subprocess.Popen[bytes]] = None

    @staticmethod
    def available() -> tuple[bool, str]:
        """Whether this machine can run the oracle, and why not."""
        if not os.access(LIBVIRTD, os.X_OK):
            return False, f"{LIBVIRTD} is missing (apt-get install libvirt-daemon)"
        if not _network_driver_present():
            return False, "libvirt's network driver module is missing (apt-get install libvirt-daemon)"
        if os.geteuid() == 0 and shutil.which("setpriv") is None:
            return False, "setpriv is missing (apt-get install util-linux)"
        return True, ""

    @property
    def socket_path(self) -> Path:
        assert self.base is not None
        return self.base / "run" / "libvirt" / "libvirt-sock"

    @property
    def uri(self) -> str:
        return f"network:///session?socket={self.socket_path}"

    @property
    def log_path(self) -> Path:
        assert self.base is not None
        return self.base / "libvirtd.log"

    def start(self) -> None:
        """Start the daemon and wait until it accepts connections."""
        self.base = Path(tempfile.mkdtemp(prefix="netstore-session-", dir=_scratch_parent()))
        home, run = self.base / "home", self.base / "run"
        home.mkdir()
        run.mkdir(mode=0o700)
        env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": str(home), "XDG_RUNTIME_DIR": str(run),
               "XDG_CONFIG_HOME": str(home / ".config"), "XDG_CACHE_HOME": str(home / ".cache"),
               "LC_ALL": "C"}
        command = [LIBVIRTD, f"--timeout={self.idle_exit}"]
        if os.geteuid() == 0:
            for path in (self.base, home, run):
                os.chown(path, NOBODY, NOBODY)
            command = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *command]
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(command, env=env, cwd=self.base, stdin=subprocess.DEVNULL,
                                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self._wait_ready()

    def _wait_ready(self) -> None:
        import libvirt

        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"libvirtd exited with {self.process.returncode}: {self.log_tail()}")
            if self.socket_path.exists():
                try:
                    libvirt.open(self.uri).close()
                    return
                except libvirt.libvirtError:
                    pass
            time.sleep(0.05)
        raise RuntimeError(f"libvirtd not ready after {self.start_timeout}s: {self.log_tail()}")

    def connect(self) -> Any:
        """A new libvirt connection to the daemon's bridge network driver."""
        import libvirt

        if self.process is not None and self.process.poll() == 0:
            self.stop()  # it left after idle_exit seconds without a client: a long stretch of other tests
            self.start()
        if self.process is None or self.process.poll() is not None:
            raise RuntimeError(f"the session libvirtd is not running: {self.log_tail()}")
        return libvirt.open(self.uri)

    def log_tail(self, size: int = 2000) -> str:
        if self.base is None or not self.log_path.exists():
            return ""
        return self.log_path.read_bytes()[-size:].decode(errors="replace")

    def stop(self) -> None:
        """Stop the daemon this object started (its own process group) and remove its files."""
        process, self.process = self.process, None
        if process is not None:
            _signal_group(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                _signal_group(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
            _signal_group(process.pid, signal.SIGKILL)  # helpers it forked during shutdown
        base, self.base = self.base, None
        if base is not None:
            shutil.rmtree(base, ignore_errors=True)

    def __enter__(self) -> SessionDaemon:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
