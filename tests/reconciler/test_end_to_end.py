"""End to end, as root in network namespaces: `netstore reconcile --watch` serving a guest.

A "host" namespace runs the reconciler as its own process (it creates the
bridge, writes the files, starts dnsmasq and radvd); a "guest" namespace on a
veth attached to that bridge gets its static lease, resolves a name, sees the
router advertisement.  Then updates, kills, a reconciler restart and a destroy.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import psutil
import pytest

from tests.helpers import require
from tests.reconciler import netns as harness
from tests.reconciler.reconcile_support import bridge_name, daemon_dir, nat_network, nsr_prefix, read_pid, wait_for

__all__ = ["daemon_dir", "nsr_prefix"]

NETSTORE = Path(sys.executable).with_name("netstore")
MAC_1, MAC_2 = "52:54:00:5e:00:01", "52:54:00:5e:00:02"
SUBNET = 213
NAME = "e2e"


@dataclass
class Host:
    ns: str
    guest: str
    bridge: str
    db: str
    state: Path
    run: Path

    def netstore(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "NETSTORE_STATE_DIR": str(self.state), "NETSTORE_RUN_DIR": str(self.run)}
        return subprocess.run([str(NETSTORE), "--db", self.db, *args], capture_output=True, text=True, env=env,
                              timeout=60, check=True)

    def start_reconciler(self) -> subprocess.Popen[str]:
        argv = ["ip", "netns", "exec", self.ns, str(NETSTORE), "--db", self.db, "reconcile", "--watch",
                "--state-dir", str(self.state), "--run-dir", str(self.run)]
        return subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def pid(self, kind: str) -> int | None:
        path = self.run / (f"{NAME}.pid" if kind == "dnsmasq" else f"{NAME}-radvd.pid")
        pid = read_pid(path)
        return pid if pid is not None and psutil.pid_exists(pid) and _named(pid, kind) else None

    def bridge_exists(self) -> bool:
        return harness.run_in(self.ns, ["ip", "link", "show", self.bridge]).returncode == 0


def _named(pid: int, kind: str) -> bool:
    try:
        return psutil.Process(pid).name() == kind
    except psutil.Error:
        return False


def _replaced(host: Host, kind: str, old: int) -> bool:
    return host.pid(kind) not in (None, old)


def stop(process: subprocess.Popen[str]) -> str:
    """SIGTERM the reconciler, wait for it; its log."""
    process.send_signal(signal.SIGTERM)
    try:
        _, err = process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        _, err = process.communicate()
    return err


@pytest.fixture
def host(nsr_prefix: None, daemon_dir: Path, db_url: str) -> Iterator[Host]:
    require(harness.can_use_namespaces(), "needs root, nsenter, busybox, rdisc6, dnsmasq and radvd")
    with harness.host_netns() as host_ns, harness.guest_netns() as guest_ns:
        yield Host(host_ns, guest_ns, bridge_name(), db_url, daemon_dir / "state", daemon_dir / "run")


def test_reconcile_watch_serves_a_guest_end_to_end(host: Host) -> None:
    static = f"<host mac='{MAC_1}' ip='192.168.{SUBNET}.10'/>"
    (host.state.parent / "net.xml").write_text(nat_network(NAME, host.bridge, SUBNET, static))
    host.netstore("net-create", str(host.state.parent / "net.xml"))
    reconciler = host.start_reconciler()
    try:
        _serves_and_follows_updates(host)
        _restarts_killed_daemons(host)
        log = stop(reconciler)
        assert reconciler.returncode == 0 and "daemons left running" in log, log  # a clean SIGTERM
        pids = (host.pid("dnsmasq"), host.pid("radvd"))
        assert all(pids), log
        reconciler = host.start_reconciler()
        assert _ready(reconciler)
        assert (host.pid("dnsmasq"), host.pid("radvd")) == pids  # adopted, not restarted
        host.netstore("net-destroy", NAME)
        assert wait_for(lambda: host.pid("dnsmasq") is None and host.pid("radvd") is None
                        and not host.bridge_exists(), 10)
        assert not psutil.pid_exists(pids[0]) and not psutil.pid_exists(pids[1])
    finally:
        stop(reconciler)


def _ready(reconciler: subprocess.Popen[str]) -> bool:
    """Wait until the reconciler logged that it watches (its first full reconcile is done)."""
    assert reconciler.stderr is not None
    return any("watching" in line for line in reconciler.stderr)


def _serves_and_follows_updates(host: Host) -> None:
    assert wait_for(lambda: host.bridge_exists() and host.pid("dnsmasq") and host.pid("radvd"), 15)
    iface_1 = harness.attach_guest(host.ns, host.bridge, host.guest, MAC_1)
    # the first lease waits for the new bridge port to forward (STP: listening, learning)
    assert wait_for(lambda: harness.dhcp_lease(host.guest, iface_1) == f"192.168.{SUBNET}.10", 20)
    dnsmasq = host.pid("dnsmasq")

    host.netstore("net-update", NAME, "add-last", "ip-dhcp-host", f"<host mac='{MAC_2}' ip='192.168.{SUBNET}.11'/>")
    hostsfile = host.state / f"{NAME}.hostsfile"
    assert wait_for(lambda: MAC_2 in hostsfile.read_text(), 5)
    iface_2 = harness.attach_guest(host.ns, host.bridge, host.guest, MAC_2)
    assert wait_for(lambda: harness.dhcp_lease(host.guest, iface_2) == f"192.168.{SUBNET}.11", 20)
    assert host.pid("dnsmasq") == dnsmasq  # SIGHUP, not a restart

    host.netstore("net-update", NAME, "add-last", "dns-host",
                  f"<host ip='192.168.{SUBNET}.77'><hostname>web-e2e</hostname></host>")
    harness.run_in(host.guest, ["ip", "addr", "add", f"192.168.{SUBNET}.10/24", "dev", iface_1])
    server = f"192.168.{SUBNET}.1"
    assert wait_for(lambda: harness.dns_query(host.guest, server, "web-e2e") == [f"192.168.{SUBNET}.77"], 10)
    assert host.pid("dnsmasq") == dnsmasq

    assert wait_for(lambda: f"fd00:{SUBNET}::" in harness.router_advert(host.guest, iface_1), 20)

    leases = host.netstore("net-dhcp-leases", NAME).stdout
    assert MAC_1 in leases and f"192.168.{SUBNET}.10/24" in leases


def _restarts_killed_daemons(host: Host) -> None:
    iface = harness.attach_guest(host.ns, host.bridge, host.guest, MAC_1)
    for kind in ("dnsmasq", "radvd"):
        old = host.pid(kind)
        assert old is not None
        os.kill(old, signal.SIGKILL)
        assert wait_for(partial(_replaced, host, kind, old), 2.0), f"{kind} not back within 2 s"
    assert wait_for(lambda: harness.dhcp_lease(host.guest, iface) == f"192.168.{SUBNET}.10", 20)
    assert wait_for(lambda: f"fd00:{SUBNET}::" in harness.router_advert(host.guest, iface), 20)
