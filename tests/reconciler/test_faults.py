"""Faults, as root in a network namespace: one broken network, untrusted pid files, dry runs, checkpoints."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest
from pyroute2 import IPRoute

import netstore
from netstore.reconciler.loop import Options, Reconciler
from netstore.reconciler.paths import Paths
from netstore.store.checkpoints import CheckpointStore
from tests.helpers import require
from tests.reconciler import netns as harness
from tests.reconciler.reconcile_support import bridge_name, daemon_dir, nat_network, nsr_prefix, read_pid, wait_for

__all__ = ["daemon_dir", "nsr_prefix"]

NETSTORE = Path(sys.executable).with_name("netstore")
HOST_ID = "nsr-test-host"
ADD_LAST = netstore.VIR_NETWORK_UPDATE_COMMAND_ADD_LAST
DHCP_HOST = netstore.VIR_NETWORK_SECTION_IP_DHCP_HOST


@dataclass
class Setup:
    ns: str
    url: str
    paths: Paths
    boot_file: Path

    def define(self, name: str, subnet: int, hosts: str = "") -> None:
        with netstore.open(self.url) as conn:
            conn.networkCreateXML(nat_network(name, bridge_name(), subnet, hosts, ipv6=False))

    def reconciler(self, dry_run: bool = False) -> Reconciler:
        return Reconciler(Options(url=self.url, paths=self.paths, dry_run=dry_run, host_id=HOST_ID,
                                  boot_id_file=self.boot_file, netns=self.ns))

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        argv = ["ip", "netns", "exec", self.ns, str(NETSTORE), "--db", self.url, "reconcile",
                "--state-dir", str(self.paths.state_dir), "--run-dir", str(self.paths.run_dir),
                "--host-id", HOST_ID, *args]
        env = {**os.environ, "NETSTORE_BOOT_ID_FILE": str(self.boot_file)}
        return subprocess.run(argv, capture_output=True, text=True, timeout=60, env=env, check=False)

    def checkpoint(self) -> int:
        with CheckpointStore(self.url) as store:
            found = store.get(HOST_ID)
        assert found is not None
        return found.position

    def head(self) -> int:
        with netstore.open(self.url) as conn:
            return conn.store.head_position()


@pytest.fixture
def setup(nsr_prefix: None, daemon_dir: Path, db_url: str) -> Iterator[Setup]:
    require(harness.can_use_namespaces(), "needs root, nsenter and dnsmasq")
    boot_file = daemon_dir / "boot_id"
    boot_file.write_text("nsr-boot-1\n")
    with harness.host_netns() as ns:
        yield Setup(ns, db_url, Paths(daemon_dir / "state", daemon_dir / "run"), boot_file)


def snapshot(*directories: Path) -> dict[str, tuple[bytes, int, float]]:
    """Every file under ``directories``: content, mode, mtime."""
    found = {}
    for directory in directories:
        for path in sorted(directory.rglob("*")) if directory.exists() else []:
            if path.is_file():
                info = path.stat()
                found[str(path)] = (path.read_bytes(), info.st_mode, info.st_mtime)
    return found


def test_a_network_that_cannot_be_written_fails_alone_and_once_exits_1(setup: Setup) -> None:
    setup.define("bad", 221)
    setup.define("good", 222)
    setup.paths.conf("bad").mkdir(parents=True)  # its config file cannot be written
    done = setup.cli("--once")
    assert done.returncode == 1
    assert "network 'bad':" in done.stderr and "retry in" in done.stderr
    assert read_pid(setup.paths.dnsmasq_pid("good")) is not None
    assert read_pid(setup.paths.dnsmasq_pid("bad")) is None


def test_a_pid_file_naming_an_unrelated_process_is_never_signalled(setup: Setup) -> None:
    setup.define("pids", 223)
    sleeper = subprocess.Popen(["sleep", "60"])
    try:
        setup.paths.run_dir.mkdir(parents=True)
        setup.paths.dnsmasq_pid("pids").write_text(f"{sleeper.pid}\n")
        assert setup.cli("--once").returncode == 0
        dnsmasq = read_pid(setup.paths.dnsmasq_pid("pids"))
        assert dnsmasq is not None and dnsmasq != sleeper.pid
        with netstore.open(setup.url) as conn:
            conn.networkLookupByName("pids").destroy()
        setup.paths.dnsmasq_pid("pids").write_text(f"{sleeper.pid}\n")  # as if the pid were reused
        assert setup.cli("--once").returncode == 0
        assert sleeper.poll() is None and psutil.Process(sleeper.pid).status() != psutil.STATUS_ZOMBIE
    finally:
        sleeper.kill()
        sleeper.wait()


def test_dry_run_changes_nothing_on_disk_or_in_any_process(setup: Setup) -> None:
    setup.define("dry", 224, "<host mac='52:54:00:00:00:01' ip='192.168.224.10'/>")
    assert setup.cli("--once").returncode == 0
    dnsmasq = read_pid(setup.paths.dnsmasq_pid("dry"))
    with netstore.open(setup.url) as conn:
        conn.networkLookupByName("dry").update(ADD_LAST, DHCP_HOST, -1, "<host mac='52:54:00:00:00:02' ip='192.168.224.11'/>", 0)
        conn.networkCreateXML(nat_network("fresh", "nsrbfresh0", 225, ipv6=False))
    before = snapshot(setup.paths.state_dir, setup.paths.run_dir)
    checkpoint = setup.checkpoint()
    done = setup.cli("--once", "--dry-run")
    assert done.returncode == 0, done.stderr
    assert f"would SIGHUP dnsmasq pid {dnsmasq}" in done.stdout
    assert "+52:54:00:00:00:02,192.168.224.11" in done.stdout
    assert "would ensure bridge nsrbfresh0" in done.stdout and "would start dnsmasq" in done.stdout
    assert snapshot(setup.paths.state_dir, setup.paths.run_dir) == before
    assert setup.checkpoint() == checkpoint
    assert read_pid(setup.paths.dnsmasq_pid("dry")) == dnsmasq
    assert harness.run_in(setup.ns, ["ip", "link", "show", "nsrbfresh0"]).returncode != 0
    dnsmasqs = [p for p in psutil.process_iter(["name", "cmdline"]) if p.info["name"] == "dnsmasq"
                and any(str(setup.paths.state_dir) in arg for arg in p.info["cmdline"] or [])]
    assert [p.pid for p in dnsmasqs] == [dnsmasq]


def test_the_checkpoint_moves_only_once_the_network_is_in_step(setup: Setup) -> None:
    setup.define("cp", 226)
    reconciler = setup.reconciler()
    try:
        assert reconciler.start_up()
        in_step = setup.checkpoint()
        assert in_step == setup.head()
        hostsfile = setup.paths.hostsfile("cp")
        hostsfile.unlink()
        hostsfile.mkdir()  # the next write of the hosts file fails
        with netstore.open(setup.url) as conn:
            conn.networkLookupByName("cp").update(ADD_LAST, DHCP_HOST, -1, "<host mac='52:54:00:00:00:09' ip='192.168.226.9'/>", 0)
        wait_for(lambda: "cp" in reconciler.step(), 2)
        assert "cp" in reconciler.backoff
        assert setup.checkpoint() == in_step
        hostsfile.rmdir()
        assert wait_for(lambda: "cp" in reconciler.step() and "cp" not in reconciler.backoff, 5)
        assert setup.checkpoint() == setup.head()
        assert "52:54:00:00:00:09" in hostsfile.read_text()
    finally:
        reconciler.close()


def test_a_crash_between_apply_and_checkpoint_reapplies_idempotently(setup: Setup,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    setup.define("crash", 227)
    first = setup.reconciler()
    try:
        assert first.start_up()
        before = setup.checkpoint()
        dnsmasq = read_pid(setup.paths.dnsmasq_pid("crash"))
        with netstore.open(setup.url) as conn:
            conn.networkLookupByName("crash").update(ADD_LAST, DHCP_HOST, -1, "<host mac='52:54:00:00:00:07' ip='192.168.227.7'/>", 0)

        def crash(*args: object) -> None:
            raise SystemExit("crashed before the checkpoint")

        monkeypatch.setattr(first.checkpoints, "put", crash)
        with pytest.raises(SystemExit):
            wait_for(lambda: first.step() and False, 2)
    finally:
        first.close()
    assert setup.checkpoint() == before
    assert "52:54:00:00:00:07" in setup.paths.hostsfile("crash").read_text()

    second = setup.reconciler()
    try:
        assert second.start_up()
    finally:
        second.close()
    assert setup.checkpoint() == setup.head()
    assert read_pid(setup.paths.dnsmasq_pid("crash")) == dnsmasq  # applied again, gently: same daemon
    assert setup.paths.hostsfile("crash").read_text().count("52:54:00:00:00:07") == 1


def test_an_adopted_bridge_survives_destroy_and_a_name_taken_by_a_non_bridge_fails_that_network(
        setup: Setup) -> None:
    adopted, taken = bridge_name(), bridge_name()
    with IPRoute(netns=setup.ns) as ipr:
        ipr.link("add", ifname=adopted, kind="bridge")
        ipr.link("add", ifname=taken, kind="veth", peer=f"{taken}p")  # a device that is not a bridge
    with netstore.open(setup.url) as conn:
        conn.networkCreateXML(nat_network("adopt", adopted, 228, ipv6=False))
        conn.networkCreateXML(nat_network("clash", taken, 229, ipv6=False))
    done = setup.cli("--once")
    assert done.returncode == 1 and "network 'clash':" in done.stderr
    assert read_pid(setup.paths.dnsmasq_pid("adopt")) is not None
    with netstore.open(setup.url) as conn:
        conn.networkLookupByName("adopt").destroy()
        conn.networkLookupByName("clash").destroy()
    assert setup.cli("--once").returncode == 0
    assert read_pid(setup.paths.dnsmasq_pid("adopt")) is None
    for name in (adopted, taken):  # neither was created by the reconciler: both stay
        assert harness.run_in(setup.ns, ["ip", "link", "show", name]).returncode == 0
