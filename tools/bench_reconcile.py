"""Benchmark the reconciler against its targets (run as root from a checkout: it uses network namespaces).

    python tools/bench_reconcile.py [--dir DIR] [--samples N] [--networks N]

(a) commit -> SIGHUP: a real dnsmasq on a real bridge in a namespace, the
    reconciler (`netstore reconcile --watch`) as its own process; each sample
    adds a DHCP host through the library and waits for the reconciler's log
    line that reports the SIGHUP (its timestamp, ms resolution, minus the wall
    time at which ``update()`` returned).  Samples are spaced by the pacing
    interval + 0.1 s (an isolated update is signalled at once; a burst is
    paced, see netstore.reconciler.pacing).  Target p50 <= 20 ms.
    Baseline: the ``update()`` call itself (the commit), same run.
(b) a burst of 1,000 updates as fast as the store takes them (the database is
    in --dir, tmpfs by default, so the burst takes about a second on an idle
    machine; the time it took is printed), then the SIGHUPs and restarts the
    reconciler sent for it (target <= 5) and whether the hosts file on disk
    equals the render of the final definition.
(c) the cost of one wake (``Reconciler.step()``, in-process, acting in a
    namespace) that follows one update on one network, with 10 and with 1,000
    networks running.  "Running" here: every network is active in the store and
    was reconciled at start-up; the updated network has its real bridge and
    dnsmasq, the others are forward-mode "bridge" networks, to which libvirt gives
    no bridge and no daemon (1,000 real dnsmasqs would not fit on this machine).
    Target: p50 at 1,000 <= 1.5x p50 at 10.
(d) `netstore reconcile --once --dry-run` over 1,000 active NAT networks of 10
    DHCP hosts each, wall seconds of the whole process (twice); baseline:
    `netstore net-list` on the same database, same run.
Prints each figure with its target and PASS/FAIL; exits 1 when a target fails.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import netstore
from netstore.reconciler.loop import Options, Reconciler
from netstore.reconciler.pacing import SIGNAL_INTERVAL
from netstore.reconciler.paths import Paths
from netstore.render import render_dnsmasq
from tests.reconciler import netns as harness

PREFIX = "nsr"
NETSTORE = Path(sys.executable).with_name("netstore")
ADD_LAST = netstore.VIR_NETWORK_UPDATE_COMMAND_ADD_LAST
DHCP_HOST = netstore.VIR_NETWORK_SECTION_IP_DHCP_HOST
LIVE = netstore.VIR_NETWORK_UPDATE_AFFECT_LIVE
SIGNAL_LINE = re.compile(r"^(\S+) INFO network bench: .*(SIGHUP dnsmasq|restarted dnsmasq)")
results: list[bool] = []


def report(label: str, figure: str, ok: bool) -> None:
    results.append(ok)
    print(f"{label:<58} {figure:<52} {'PASS' if ok else 'FAIL'}")


def nat_xml(name: str, bridge: str, second: int, hosts: int = 0) -> str:
    """A NAT network on 10.SECOND.0.0/16 with ``hosts`` static DHCP hosts."""
    lines = "".join(host_xml(second, i) for i in range(hosts))
    return (f"<network><name>{name}</name><forward mode='nat'/><bridge name='{bridge}'/>"
            f"<ip address='10.{second}.0.1' netmask='255.255.0.0'><dhcp>"
            f"<range start='10.{second}.250.1' end='10.{second}.250.200'/>{lines}</dhcp></ip></network>")


def host_xml(second: int, i: int) -> str:
    return f"<host mac='52:54:{second:02x}:{i >> 16 & 255:02x}:{i >> 8 & 255:02x}:{i & 255:02x}' " \
           f"ip='10.{second}.{i // 250 + 1}.{i % 250 + 2}'/>"


def bridged_xml(name: str) -> str:
    return f"<network><name>{name}</name><forward mode='bridge'/><bridge name='br-{name}'/></network>"


@contextmanager
def workdir(base: str) -> Iterator[Path]:
    """A directory dnsmasq can read after dropping root; removed afterwards."""
    path = Path(tempfile.mkdtemp(prefix=f"{PREFIX}-bench-", dir=base))
    path.chmod(0o755)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


class LogTail:
    """The reconciler's stderr, read by a thread: its lines with the time each arrived."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        assert process.stderr is not None
        self._thread = threading.Thread(target=self._read, args=(process.stderr,), daemon=True)
        self._thread.start()

    def _read(self, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            self.lines.append(line.rstrip("\n"))

    def signals(self) -> list[float]:
        """Wall times (s since the epoch) of the SIGHUPs/restarts of the bench network's dnsmasq."""
        found = []
        for line in list(self.lines):
            match = SIGNAL_LINE.match(line)
            if match:
                found.append(datetime.strptime(match.group(1), "%Y-%m-%dT%H:%M:%S.%f").timestamp())
        return found

    def wait_for(self, text: str, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(text in line for line in list(self.lines)):
                return True
            time.sleep(0.01)
        return False


def bench_watch(base: str, samples: int) -> None:
    """(a) and (b): one network, a real dnsmasq, the reconciler as a process."""
    with workdir(base) as work, harness.namespace("h") as ns:
        url = _url(work)
        conn = netstore.open(url)
        conn.networkCreateXML(nat_xml("bench", f"{PREFIX}bb{ns[-6:]}", 41))
        net = conn.networkLookupByName("bench")
        argv = ["ip", "netns", "exec", ns, str(NETSTORE), "--db", url, "reconcile", "--watch",
                "--state-dir", str(work / "state"), "--run-dir", str(work / "run")]
        process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            log = LogTail(process)
            if not log.wait_for("watching", 30):
                raise SystemExit("reconciler did not start:\n" + "\n".join(log.lines))
            _commit_to_sighup(net, log, samples)
            _burst(net, log, work, samples)
        finally:
            process.terminate()
            process.wait(10)
            conn.close()


def _commit_to_sighup(net: netstore.Network, log: LogTail, samples: int) -> None:
    latencies, commits = [], []
    for i in range(samples):
        time.sleep(SIGNAL_INTERVAL + 0.1)
        before = len(log.signals())
        started = time.time()
        net.update(ADD_LAST, DHCP_HOST, -1, host_xml(41, i), LIVE)
        committed = time.time()
        commits.append((committed - started) * 1000)
        deadline = time.monotonic() + 5
        while len(log.signals()) == before and time.monotonic() < deadline:
            time.sleep(0.001)
        signals = log.signals()
        if len(signals) > before:
            latencies.append((signals[before] - committed) * 1000)
    p50, p95 = _percentile(latencies, 50), _percentile(latencies, 95)
    report("(a) commit -> SIGHUP dnsmasq, watch mode (ms)",
           f"p50 {p50:.1f} p95 {p95:.1f} (n={len(latencies)}/{samples}); commit alone p50 "
           f"{_percentile(commits, 50):.1f}", p50 <= 20 and len(latencies) == samples)


def _burst(net: netstore.Network, log: LogTail, work: Path, samples: int) -> None:
    time.sleep(1.0)
    before = len(log.signals())
    started = time.monotonic()
    for i in range(samples, samples + 1000):
        net.update(ADD_LAST, DHCP_HOST, -1, host_xml(41, i), LIVE)
    took = time.monotonic() - started
    while True:  # until the reconciler is quiet for 1.5 s
        seen = len(log.signals())
        time.sleep(1.5)
        if len(log.signals()) == seen:
            break
    sent = len(log.signals()) - before
    with netstore.open(_url(work)) as conn:
        live = conn.store.load("bench").live
    assert live is not None
    expected = render_dnsmasq(live, state_dir=str(work / "state")).hostsfile
    exact = (work / "state" / "bench.hostsfile").read_text() == expected
    report("(b) signals for 1,000 updates in a burst",
           f"{sent} signals, burst took {took:.2f} s, hostsfile {'exact' if exact else 'WRONG'}",
           sent <= 5 and exact)


def _url(work: Path) -> str:
    return f"sqlite:///{work}/netstore.db"


def _percentile(values: list[float], p: int) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def wake_cost(base: str, networks: int, samples: int) -> float:
    """(c): p50 ms of the wake after one update, with ``networks`` running."""
    with workdir(base) as work, harness.namespace("h") as ns:
        url = _url(work)
        with netstore.open(url) as conn:
            conn.networkCreateXML(nat_xml("bench", f"{PREFIX}bc{ns[-6:]}", 42))
            for i in range(networks - 1):
                conn.networkCreateXML(bridged_xml(f"idle{i}"))
        options = Options(url=url, paths=Paths(work / "state", work / "run"), host_id="bench",
                          netns=ns, poll_interval=0.0, signal_interval=0.0)
        reconciler = Reconciler(options)
        costs = []
        try:
            reconciler.start_up()
            with netstore.open(url) as conn:
                net = conn.networkLookupByName("bench")
                for i in range(samples):
                    net.update(ADD_LAST, DHCP_HOST, -1, host_xml(42, i), LIVE)
                    started = time.perf_counter()
                    while "bench" not in reconciler.step():
                        pass
                    costs.append((time.perf_counter() - started) * 1000)
        finally:
            reconciler.close()
        return statistics.median(costs)


def bench_wake(base: str, samples: int, many: int) -> None:
    few = wake_cost(base, 10, samples)
    lots = wake_cost(base, many, samples)
    report(f"(c) wake after one update: 10 vs {many:,} networks (ms p50)",
           f"{few:.2f} vs {lots:.2f} ({lots / few:.2f}x)", lots <= 1.5 * few)


def bench_dry_run(base: str, networks: int) -> None:
    """(d): --once --dry-run over ``networks`` NAT networks of 10 hosts each."""
    with workdir(base) as work:
        url = _url(work)
        with netstore.open(url) as conn:
            for i in range(networks):
                conn.networkCreateXML(nat_xml(f"n{i}", f"{PREFIX}d{i}", 100 + i % 100, hosts=10))
        base_times = [_timed([str(NETSTORE), "--db", url, "net-list"]) for _ in range(2)]
        dry = [_timed([str(NETSTORE), "--db", url, "reconcile", "--once", "--dry-run",
                       "--state-dir", str(work / "state"), "--run-dir", str(work / "run")]) for _ in range(2)]
        report(f"(d) reconcile --once --dry-run, {networks:,} networks x 10 hosts (s)",
               f"{dry[0]:.2f} / {dry[1]:.2f}; net-list {base_times[0]:.2f} / {base_times[1]:.2f}",
               not (work / "state").exists())


def _timed(argv: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", default="/dev/shm", help="where databases and daemon files go (default tmpfs)")
    parser.add_argument("--samples", type=int, default=30)
    parser.add_argument("--networks", type=int, default=1000)
    args = parser.parse_args()
    if not harness.can_use_namespaces():
        raise SystemExit("needs root, nsenter, dnsmasq (network namespaces)")
    harness.PREFIX = PREFIX
    bench_watch(args.dir, args.samples)
    bench_wake(args.dir, args.samples, args.networks)
    bench_dry_run(args.dir, args.networks)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
