"""Benchmark parallel writers on PostgreSQL: durable updates per second.

    python tools/bench_scale.py [--url ADMIN_URL] [--seconds S] [--rounds N] [--no-table-lock]

Each writer is a process with its own ``netstore.open(url)`` connection doing
``update(ADD_LAST, IP_DHCP_HOST, CONFIG)`` on a defined network as fast as it
can for ``--seconds``; every scenario gets a fresh database.  Printed, side by
side, in updates per second (median of the rounds, with min-max):

* 1 writer on 1 network (the baseline);
* 4 writers on 4 different networks (target: >= 1.6x the baseline);
* 4 writers on 4 networks with the old ``LOCK TABLE events IN EXCLUSIVE MODE``
  forced on every append (what the per-network lock replaced; <= 1x expected);
* 4 writers on 1 network (they queue behind its lock), with the check that no
  acknowledged update is lost (the network holds exactly the hosts the
  writers were told they added).

And the wake figure (:func:`wake_report`, the fleet half): the p50/p95 time from
a commit on one host to the other host's reconciler waking on LISTEN/NOTIFY
(target p50 <= 20 ms), beside the commit itself.  Host A is this process: it
updates a network assigned to host B through the library (one DHCP host per
sample, samples spaced 50 ms) and notes the wall time at which ``update()``
returned; host B is a reconciler in its own process (``Reconciler.step()`` in
a loop, --dry-run so it needs no root) that prints the wall time at which each
step that saw the network returned -- reading the log and planning included,
an upper bound of the wake itself.  A third host's reconciler follows too: it
serves no network of these commits, so it is not notified and reads the log
only at its safety poll; the count of its reads is printed beside the commits.

Without ``--url`` (an admin URL such as
``postgresql+psycopg://postgres@/postgres?host=/run/postgresql``) a throwaway
cluster with ``fsync=on`` is started in a temporary ``nss-pg-*`` folder and
removed afterwards.  The summary line ends the output.
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import netstore
from netstore.constants import Command, Section
from tests.store.postgres import PostgresServer

CONFIG = 2  # VIR_NETWORK_UPDATE_AFFECT_CONFIG: a defined network, no daemon involved
HOSTS_PER_WRITER = 200_000
TABLE_LOCK = "LOCK TABLE events IN EXCLUSIVE MODE"


@dataclass(frozen=True)
class Scenario:
    label: str
    writers: int
    networks: int
    table_lock: bool = False


SCENARIOS = (
    Scenario("1 writer, 1 network", 1, 1),
    Scenario("4 writers, 4 networks", 4, 4),
    Scenario("4 writers, 4 networks, table lock (old)", 4, 4, table_lock=True),
    Scenario("4 writers, 1 network", 4, 1),
)


def network_xml(index: int) -> str:
    return (f"<network><name>nss-net{index}</name><forward mode='nat'/><bridge name='nssbr{index}'/>"
            "<ip address='10.0.0.1' prefix='8'><dhcp><range start='10.0.0.2' end='10.0.0.254'/>"
            "</dhcp></ip></network>")


def host_xml(n: int) -> str:
    mac = f"52:54:01:{(n >> 16) & 255:02x}:{(n >> 8) & 255:02x}:{n & 255:02x}"
    return f"<host mac='{mac}' name='h{n}' ip='10.{1 + n // 65536}.{(n // 256) % 256}.{n % 256}'/>"


def writer(url: str, network: str, first_host: int, seconds: float, table_lock: bool,
           start: multiprocessing.synchronize.Barrier, results: multiprocessing.queues.Queue) -> None:
    """Update ``network`` for ``seconds`` after the barrier; put the number of acknowledged updates."""
    if table_lock:
        from netstore.store import backend

        object.__setattr__(backend.POSTGRESQL, "network_lock", TABLE_LOCK)
    conn = netstore.open(url)
    net = conn.networkLookupByName(network)
    xmls = [host_xml(first_host + n) for n in range(HOSTS_PER_WRITER)]
    start.wait()
    deadline = time.perf_counter() + seconds
    done = 0
    while time.perf_counter() < deadline:
        net.update(Command.ADD_LAST, Section.IP_DHCP_HOST, -1, xmls[done], CONFIG)
        done += 1
    conn.close()
    results.put(done)


def run_scenario(server: PostgresServer, scenario: Scenario, seconds: float) -> float:
    """Updates per second of one run; raises if an acknowledged update is missing."""
    url = server.new_database()
    conn = netstore.open(url)
    for index in range(scenario.networks):
        conn.networkDefineXML(network_xml(index))
    conn.close()
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(scenario.writers + 1), context.Queue()
    processes = [context.Process(target=writer, args=(url, f"nss-net{w % scenario.networks}",
                                                      w * HOSTS_PER_WRITER, seconds, scenario.table_lock,
                                                      start, results))
                 for w in range(scenario.writers)]
    for process in processes:
        process.start()
    start.wait()
    counts = [results.get(timeout=seconds + 120) for _ in processes]
    for process in processes:
        process.join()
    _check_nothing_lost(url, scenario, sum(counts))
    return sum(counts) / seconds


def _check_nothing_lost(url: str, scenario: Scenario, acknowledged: int) -> None:
    conn = netstore.open(url)
    stored = sum(conn.networkLookupByName(f"nss-net{index}").XMLDesc(1).count("<host ")  # INACTIVE
                 for index in range(scenario.networks))
    conn.close()
    if stored != acknowledged:
        raise SystemExit(f"{scenario.label}: {acknowledged} updates acknowledged, {stored} stored")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="admin URL of a PostgreSQL server (default: a throwaway fsync=on cluster)")
    parser.add_argument("--seconds", type=float, default=5.0, help="how long each scenario's writers run")
    parser.add_argument("--rounds", type=int, default=3, help="runs of every scenario (alternating)")
    parser.add_argument("--no-table-lock", action="store_true", help="skip the old table-lock scenario")
    parser.add_argument("--wake-samples", type=int, default=200, help="commits timed for the wake figure")
    args = parser.parse_args()
    scenarios = [s for s in SCENARIOS if not (args.no_table_lock and s.table_lock)]
    server = PostgresServer(args.url) if args.url else PostgresServer.from_environment(durable=True, prefix="nss-pg-")
    if server.admin_url is None:
        raise SystemExit(server.unavailable)
    try:
        rates: dict[str, list[float]] = {s.label: [] for s in scenarios}
        for _ in range(args.rounds):
            for scenario in scenarios:
                rates[scenario.label].append(run_scenario(server, scenario, args.seconds))
        woke = wake_report(server.new_database(), args.wake_samples)
    finally:
        server.stop()
    return report(scenarios, rates) or woke


def report(scenarios: list[Scenario], rates: dict[str, list[float]]) -> int:
    base = statistics.median(rates[scenarios[0].label])
    for scenario in scenarios:
        values = rates[scenario.label]
        median = statistics.median(values)
        print(f"{scenario.label:<42} {median:8.0f}/s  (x{median / base:4.2f})  "
              f"runs {min(values):.0f}-{max(values):.0f}/s", flush=True)
    parallel = statistics.median(rates["4 writers, 4 networks"]) / base
    verdict = "PASS" if parallel >= 1.6 else "FAIL"
    one_network = statistics.median(rates["4 writers, 1 network"])
    print(f"summary: 1 writer {base:.0f}/s; 4 writers on 4 networks x{parallel:.2f} (target >= 1.6x) {verdict};"
          f" 4 writers on 1 network {one_network:.0f}/s, 0 lost updates")
    return 0 if parallel >= 1.6 else 1


# -- the wake figure (fleet) -------------------------------------------------------------------

WAKE_TARGET_MS = 20.0
WAKE_HOST = "nsf-bench-b"  # the host the woken reconciler serves
BYSTANDER = "nsf-bench-c"  # a host that does not serve the network: not woken by its commits
WAKE_NETWORK = "nsfwake"
WAKE_XML = (f"<network><name>{WAKE_NETWORK}</name><bridge name='nsfwake0'/>"
            "<ip address='10.82.0.1' netmask='255.255.0.0'><dhcp><range start='10.82.0.10' end='10.82.0.20'/>"
            "</dhcp></ip></network>")


def follow(url: str, host: str, folder: Path) -> None:
    """Host B: reconcile (dry run, state in ``folder``) and print the wall time of every step that saw a network."""
    from netstore.reconciler.loop import Options, Reconciler
    from netstore.reconciler.paths import Paths

    reconciler = Reconciler(Options(url, Paths(folder / "state", folder / "run"), dry_run=True, host_id=host),
                            out=io.StringIO())
    reconciler.start_up()
    print("ready", flush=True)
    while True:
        if reconciler.step():
            print(f"{time.time():.6f}", flush=True)
            reconciler.out = io.StringIO()


def wake_figure(url: str, samples: int) -> dict[str, float]:
    """p50/p95 (ms) of commit -> wake of the other host's reconciler, and of the commit itself."""
    with netstore.open(url) as conn:
        conn.networkCreateXML(WAKE_XML, host=WAKE_HOST)
    folder = tempfile.mkdtemp(prefix="nsf-bench-")
    follower, bystander = (subprocess.Popen([sys.executable, __file__, "follow", url, host, f"{folder}/{host}"],
                                            stdout=subprocess.PIPE, text=True) for host in (WAKE_HOST, BYSTANDER))
    wakes, commits = [], []
    try:
        assert follower.stdout is not None and bystander.stdout is not None
        if follower.stdout.readline().strip() != "ready" or bystander.stdout.readline().strip() != "ready":
            raise SystemExit("a reconciler did not start")
        with netstore.open(url) as conn:
            net = conn.networkLookupByName(WAKE_NETWORK)
            for index in range(samples):
                item = (f"<host mac='52:54:00:82:{index // 256:02x}:{index % 256:02x}'"
                        f" ip='10.82.{1 + index // 250}.{1 + index % 250}'/>")
                started = time.time()
                net.update(Command.ADD_LAST, Section.IP_DHCP_HOST, -1, item, 1)  # 1: AFFECT_LIVE
                acked = time.time()
                woke = float(follower.stdout.readline())
                commits.append((acked - started) * 1000)
                wakes.append((woke - acked) * 1000)
                time.sleep(0.05)
    finally:
        for process in (follower, bystander):
            process.kill()
        follower.wait()
        bystander_reads = len(bystander.communicate()[0].splitlines())
        shutil.rmtree(folder, ignore_errors=True)
    return {"wake_p50": _percentile(wakes, 50), "wake_p95": _percentile(wakes, 95),
            "commit_p50": _percentile(commits, 50), "commit_p95": _percentile(commits, 95),
            "bystander_reads": bystander_reads, "samples": len(wakes)}


def _percentile(values: list[float], pct: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1] if len(values) > 1 else values[0]


def wake_report(url: str, samples: int) -> int:
    """Print the wake figure beside its baseline; 0 if it meets its target, else 1."""
    from netstore.reconciler.wake import SAFETY_POLL

    figures = wake_figure(url, samples)
    ok = figures["wake_p50"] <= WAKE_TARGET_MS
    print(f"wake: commit on one host -> the other host's reconciler awake, {samples} samples: "
          f"p50 {figures['wake_p50']:.1f} ms, p95 {figures['wake_p95']:.1f} ms "
          f"(target p50 <= {WAKE_TARGET_MS:.0f} ms) {'PASS' if ok else 'FAIL'}; baseline, same run: the commit"
          f" (update() call) p50 {figures['commit_p50']:.1f} ms, p95 {figures['commit_p95']:.1f} ms; without"
          f" notices a reconciler waits up to its {SAFETY_POLL * 1000:.0f} ms safety poll", flush=True)
    print(f"wake: during the {figures['samples']} commits the serving host's reconciler read the log"
          f" {figures['samples']} times, a third host's (not serving the network, so not notified)"
          f" {figures['bystander_reads']} times: its {SAFETY_POLL * 1000:.0f} ms safety poll", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "follow":
        follow(sys.argv[2], sys.argv[3], Path(sys.argv[4]))
    sys.exit(main())
