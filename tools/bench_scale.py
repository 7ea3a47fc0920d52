"""Scale-out benchmarks on PostgreSQL (a throwaway cluster, see tests/store/postgres.py).

    python tools/bench_scale.py [--samples N]

wake: the time from a commit on one host to the other host's reconciler waking.
    Host A is this process: it updates a network assigned to host B through the
    library (one DHCP host added per sample, samples spaced 50 ms) and notes
    the wall time at which ``update()`` returned.  Host B is a reconciler in its
    own process (``Reconciler.step()`` in a loop, in --dry-run mode so it needs
    no root), woken by LISTEN/NOTIFY; it prints the wall time at which each
    step that saw the network returned (so the figure includes reading the log
    and planning the network: an upper bound of the wake itself).  Target: p50
    <= 20 ms.  Baseline, same run: the ``update()`` call itself (the commit),
    and the safety poll interval a reconciler would wait without notices.
Prints p50/p95 (ms) of each; exits 1 when the target fails.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import netstore  # noqa: E402 - after the checkout is on the path
from netstore.api.constants import (  # noqa: E402
    VIR_NETWORK_SECTION_IP_DHCP_HOST,
    VIR_NETWORK_UPDATE_AFFECT_LIVE,
    VIR_NETWORK_UPDATE_COMMAND_ADD_LAST,
)
from netstore.reconciler.wake import SAFETY_POLL  # noqa: E402

WAKE_TARGET_MS = 20.0
HOST_A, HOST_B = "nsf-bench-a", "nsf-bench-b"
NETWORK = "nsfwake"
XML = (f"<network><name>{NETWORK}</name><bridge name='nsfwake0'/><ip address='10.82.0.1' netmask='255.255.0.0'>"
       "<dhcp><range start='10.82.0.10' end='10.82.0.20'/></dhcp></ip></network>")


def follow(url: str, host: str) -> None:
    """Host B: reconcile (dry run) and print the wall time of every step that saw a network."""
    from netstore.reconciler.loop import Options, Reconciler
    from netstore.reconciler.paths import Paths

    folder = Path(tempfile.mkdtemp(prefix="nsf-bench-"))
    reconciler = Reconciler(Options(url, Paths(folder / "state", folder / "run"), dry_run=True, host_id=host),
                            out=io.StringIO())
    reconciler.start_up()
    print("ready", flush=True)
    while True:
        if reconciler.step():
            print(f"{time.time():.6f}", flush=True)
            reconciler.out = io.StringIO()


def wake_figure(url: str, samples: int) -> dict[str, float]:
    """p50/p95 of commit -> wake on the other host, and of the commit itself (ms)."""
    with netstore.open(url) as conn:
        net = conn.networkCreateXML(XML, host=HOST_B)
    follower = subprocess.Popen([sys.executable, __file__, "follow", url, HOST_B], stdout=subprocess.PIPE, text=True)
    try:
        assert follower.stdout is not None
        if follower.stdout.readline().strip() != "ready":
            raise SystemExit("the follower did not start")
        wakes, commits = [], []
        with netstore.open(url) as conn:
            net = conn.networkLookupByName(NETWORK)
            for index in range(samples):
                item = f"<host mac='52:54:00:82:{index // 256:02x}:{index % 256:02x}' ip='10.82.{1 + index // 250}.{1 + index % 250}'/>"
                started = time.time()
                net.update(VIR_NETWORK_UPDATE_COMMAND_ADD_LAST, VIR_NETWORK_SECTION_IP_DHCP_HOST, -1, item,
                           VIR_NETWORK_UPDATE_AFFECT_LIVE)
                acked = time.time()
                woke = float(follower.stdout.readline())
                commits.append((acked - started) * 1000)
                wakes.append((woke - acked) * 1000)
                time.sleep(0.05)
    finally:
        follower.kill()
        follower.wait()
    return {"wake_p50": _pct(wakes, 50), "wake_p95": _pct(wakes, 95),
            "commit_p50": _pct(commits, 50), "commit_p95": _pct(commits, 95)}


def _pct(values: list[float], pct: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1] if len(values) > 1 else values[0]


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "follow":
        follow(sys.argv[2], sys.argv[3])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=200)
    args = parser.parse_args()
    from tests.store.postgres import PostgresServer

    server = PostgresServer.from_environment()
    if server.admin_url is None:
        raise SystemExit(f"bench_scale needs PostgreSQL: {server.unavailable}")
    try:
        figures = wake_figure(server.new_database(), args.samples)
    finally:
        server.stop()
    ok = figures["wake_p50"] <= WAKE_TARGET_MS
    print(f"wake (commit on {HOST_A} -> {HOST_B}'s reconciler awake), {args.samples} samples: "
          f"p50 {figures['wake_p50']:.1f} ms, p95 {figures['wake_p95']:.1f} ms "
          f"(target p50 <= {WAKE_TARGET_MS:.0f} ms: {'PASS' if ok else 'FAIL'})")
    print(f"  baseline, same run: the commit (update() call) p50 {figures['commit_p50']:.1f} ms, "
          f"p95 {figures['commit_p95']:.1f} ms; without notices a reconciler waits up to the "
          f"{SAFETY_POLL * 1000:.0f} ms safety poll")
    print(json.dumps({k: round(v, 2) for k, v in figures.items()}))
    return 0 if ok else 1


if __name__ == "__main__":
    os.environ.setdefault("NETSTORE_HOST_ID", HOST_A)
    sys.exit(main())
