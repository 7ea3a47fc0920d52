"""dnsmasq and radvd for real, on a bridge in a private namespace: start, reload, stop, untrusted pid files."""

from __future__ import annotations

import dataclasses
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from netstore.reconciler import daemons
from netstore.reconciler.bridge import Bridges, BridgeSpec
from netstore.reconciler.daemons import DaemonSpec
from netstore.reconciler.errors import ReconcileError
from netstore.reconciler.files import CONFIG_MODE, HOSTS_MODE, write_if_changed
from netstore.reconciler.leases import read_leases
from netstore.reconciler.paths import Paths
from tests.helpers import require
from tests.reconciler import netns as harness
from tests.reconciler.netns import (
    attach_guest,
    can_use_namespaces,
    dhcp_lease,
    dns_query,
    guest_netns,
    host_netns,
    random_name,
    router_advert,
)

NETWORK = "nsknet"


@dataclasses.dataclass
class Site:
    """A host namespace with a bridge, and state/run directories the daemons (running as nobody) can read."""

    netns: str
    bridge: str
    paths: Paths


@pytest.fixture
def site() -> Iterator[Site]:
    require(can_use_namespaces(), "needs root, network namespaces and nsenter/busybox/rdisc6/dnsmasq/radvd")
    top = Path(tempfile.mkdtemp(prefix=f"{harness.PREFIX}-daemons-"))
    top.chmod(0o755)
    try:
        with host_netns() as netns, Bridges(netns=netns) as bridges:
            bridge = random_name("br")
            spec = BridgeSpec(bridge, None, (("192.168.150.1", 24), ("fd00:150::1", 64)), False, 0, None, NETWORK)
            bridges.ensure(spec)
            yield Site(netns, bridge, Paths(top / "state", top / "run"))
    finally:
        shutil.rmtree(top)


def write_dnsmasq_files(site: Site, extra: str = "") -> None:
    paths = site.paths
    conf = (
        "strict-order\n"
        f"pid-file={paths.dnsmasq_pid(NETWORK)}\n"
        "except-interface=lo\nbind-dynamic\n"
        f"interface={site.bridge}\n"
        "no-resolv\n"
        "dhcp-range=192.168.150.100,192.168.150.200,255.255.255.0\n"
        "dhcp-no-override\ndhcp-authoritative\ndhcp-lease-max=101\n"
        f"dhcp-hostsfile={paths.hostsfile(NETWORK)}\n"
        f"addn-hosts={paths.addnhosts(NETWORK)}\n"
        f"{extra}"
    )
    write_if_changed(paths.conf(NETWORK), conf, CONFIG_MODE)
    write_if_changed(paths.hostsfile(NETWORK), "52:54:00:00:00:10,192.168.150.10,vm1\n", HOSTS_MODE)
    write_if_changed(paths.addnhosts(NETWORK), "192.168.150.1\tgateway\t\n", HOSTS_MODE)


def write_radvd_conf(site: Site) -> None:
    conf = (
        f"interface {site.bridge}\n{{\n  AdvSendAdvert on;\n  IgnoreIfMissing on;\n  AdvManagedFlag off;\n"
        "  AdvOtherConfigFlag off;\n\n  prefix fd00:150::1/64\n  {\n    AdvOnLink on;\n    AdvAutonomous on;\n"
        "    AdvRouterAddr off;\n  };\n};\n"
    )
    write_if_changed(site.paths.radvd_conf(NETWORK), conf, CONFIG_MODE)


@pytest.fixture
def sleeper() -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(["sleep", "60"])
    try:
        yield process
    finally:
        process.kill()
        process.wait()


def test_specs_use_libvirt_names_and_dnsmasqs_own_lease_file() -> None:
    paths = Paths(Path("/s"), Path("/r"))
    dnsmasq = daemons.dnsmasq_spec("default", paths)
    assert dnsmasq.argv[1:] == ("--conf-file=/s/default.conf", "--dhcp-leasefile=/s/default.leases")
    assert (dnsmasq.pid_file, dnsmasq.config_path) == (Path("/r/default.pid"), Path("/s/default.conf"))
    radvd = daemons.radvd_spec("default", paths)
    assert radvd.argv[1:] == ("--config", "/s/default-radvd.conf", "--pidfile", "/r/default-radvd.pid")
    assert Path(dnsmasq.argv[0]).name == "dnsmasq" and Path(radvd.argv[0]).name == "radvd"


def test_dnsmasq_start_reload_stop(site: Site) -> None:
    write_dnsmasq_files(site)
    spec = daemons.dnsmasq_spec(NETWORK, site.paths, netns=site.netns)
    pid = daemons.start(spec)
    try:
        assert daemons.running_pid(spec) == pid
        assert Path(psutil.Process(pid).exe()).name == "dnsmasq"
        with pytest.raises(ReconcileError, match=f"dnsmasq is already running \\(pid {pid}\\)"):
            daemons.start(spec)
        daemons.reload(spec, pid)
        assert daemons.running_pid(spec) == pid
    finally:
        stopped = daemons.stop(spec)
    assert stopped is True
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    assert not spec.pid_file.exists()
    assert daemons.running_pid(spec) is None


def test_dnsmasq_with_a_bad_config_fails_with_its_message(site: Site) -> None:
    write_dnsmasq_files(site, extra="no-such-option=1\n")
    spec = daemons.dnsmasq_spec(NETWORK, site.paths, netns=site.netns)
    with pytest.raises(ReconcileError, match="dnsmasq failed to start .*bad option"):
        daemons.start(spec)
    assert daemons.running_pid(spec) is None


def test_radvd_start_reload_stop(site: Site) -> None:
    write_radvd_conf(site)
    spec = daemons.radvd_spec(NETWORK, site.paths, netns=site.netns)
    pid = daemons.start(spec)
    try:
        assert daemons.running_pid(spec) == pid
        daemons.reload(spec, pid)
        assert daemons.running_pid(spec) == pid
    finally:
        assert daemons.stop(spec) is True
    assert daemons.running_pid(spec) is None and not spec.pid_file.exists()


def test_a_daemon_for_another_config_is_not_trusted(site: Site) -> None:
    write_dnsmasq_files(site)
    spec = daemons.dnsmasq_spec(NETWORK, site.paths, netns=site.netns)
    pid = daemons.start(spec)
    try:
        other = dataclasses.replace(spec, config_path=site.paths.conf("other"))
        assert daemons.running_pid(other) is None
        with pytest.raises(ReconcileError):
            daemons.reload(other, pid)
        assert daemons.stop(spec, pid + 1) is False  # not the pid the pid file names: left running
        assert daemons.running_pid(spec) == pid
    finally:
        daemons.stop(spec)


def test_a_pid_file_naming_an_unrelated_process_is_never_trusted_or_signalled(
    tmp_path: Path, sleeper: subprocess.Popen[bytes]
) -> None:
    spec = _fake_spec(tmp_path)
    spec.pid_file.write_text(f"{sleeper.pid}\n")
    assert daemons.running_pid(spec) is None
    with pytest.raises(ReconcileError, match="not running; not signalled"):
        daemons.reload(spec, sleeper.pid)
    assert daemons.stop(spec, sleeper.pid) is False
    assert sleeper.poll() is None  # still alive: never signalled
    assert not spec.pid_file.exists()


def test_a_dead_daemons_stale_pid_file_is_detected(tmp_path: Path) -> None:
    spec = _fake_spec(tmp_path)
    dead = _dead_pid()
    spec.pid_file.write_text(f"{dead}\n")
    assert daemons.running_pid(spec) is None
    assert daemons.stop(spec) is False
    assert not spec.pid_file.exists()


def test_garbage_in_the_pid_file_is_not_a_pid(tmp_path: Path) -> None:
    spec = _fake_spec(tmp_path)
    for text in ("", "abc\n", "-1\n", "0\n"):
        spec.pid_file.write_text(text)
        assert daemons.running_pid(spec) is None


def test_catches_reads_the_signal_handlers_of_a_process(sleeper: subprocess.Popen[bytes]) -> None:
    previous = signal.signal(signal.SIGUSR1, lambda signum, frame: None)
    try:
        assert daemons.catches(os.getpid(), signal.SIGUSR1) is True
    finally:
        signal.signal(signal.SIGUSR1, previous)
    assert daemons.catches(sleeper.pid, signal.SIGHUP) is False
    assert daemons.catches(_dead_pid(), signal.SIGHUP) is False


def _fake_spec(tmp_path: Path) -> DaemonSpec:
    paths = Paths(tmp_path / "state", tmp_path / "run")
    paths.run_dir.mkdir()
    return daemons.dnsmasq_spec(NETWORK, paths)


def _dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    assert not psutil.pid_exists(process.pid)
    return process.pid


def test_harness_guest_gets_a_lease_a_dns_answer_and_a_router_advert(site: Site) -> None:
    write_dnsmasq_files(site)
    write_radvd_conf(site)
    dnsmasq = daemons.dnsmasq_spec(NETWORK, site.paths, netns=site.netns)
    radvd = daemons.radvd_spec(NETWORK, site.paths, netns=site.netns)
    with guest_netns() as guest:
        iface = attach_guest(site.netns, site.bridge, guest, "52:54:00:00:00:10")
        with Bridges(netns=site.netns) as bridges:
            bridges.wait_dad(site.bridge, timeout=10)
        daemons.start(dnsmasq)
        daemons.start(radvd)
        try:
            assert dhcp_lease(guest, iface) == "192.168.150.10"  # the hosts file's fixed address
            assert dns_query(guest, "192.168.150.1", "gateway") == ["192.168.150.1"]
            advert = router_advert(guest, iface)
            assert "Prefix                   : fd00:150::1/64" in advert, advert  # radvd's, host bits kept
            (lease,) = read_leases(site.paths.leases(NETWORK), iface=site.bridge)
            assert (lease["mac"], lease["ipaddr"], lease["hostname"]) == ("52:54:00:00:00:10", "192.168.150.10", "vm1")
        finally:
            daemons.stop(radvd)
            daemons.stop(dnsmasq)
