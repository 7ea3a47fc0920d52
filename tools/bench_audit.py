"""Benchmark the uses of the event log on a 100,000-event history, against their targets.

    python tools/bench_audit.py [--dir DIR] [--history N] [--runs N]

(e) bisect (``tools/replay.py bisect``'s library call) for the first event after which
    ``count(//host[@name=H]) > 0`` holds, H a host added near the end of the history
    (so every version is searched); target: < 2 s.  Each read is a state as of a
    version, folded from the nearest snapshot (one per 1,000 events).
(f) a step-through of 10,000 events (each event and its unified XML diffs, written
    to /dev/null) in a fresh process; target: peak RSS growth < 50 MB.  Beside it,
    the growth of the same process merely holding the same 10,000 events in a list.
(g) ``verify`` (hash chain, fold, projection == replay), in events per second;
    target: >= 100,000/s.  Beside it, the plain rebuild from scratch
    (``rebuild(use_snapshots=False)``: the same fold, no hashing) in the same run.
(h) the first page of a filtered ``history`` (by actor, time, actor and section, command
    and time) on a second 100,000-event history with ten actors; target: < 100 ms each,
    beside the unfiltered first page (tools/bench_history.py, which also runs alone).

Each timed figure is measured ``--runs`` times; the median is judged and the
spread (min-max) printed.  The history is one network's define, start, then hosts
added and removed (as tools/bench_store.py seeds it); with ``--dir`` an existing
history.db of the right size is reused.  Exits 1 when any target fails.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench_history import bench_history_first_page
from bench_history import seed as seed_with_actors
from bench_store import Results, python_loop_ns, seed_history

from netstore.audit import bisect as bisecting
from netstore.store import EventStore

NETWORK = "hist"
STEPS = 10_000
STEP_SCRIPT = """
import itertools, os, resource, sys
from netstore.audit import replay
from netstore.store import EventStore
store = EventStore(sys.argv[1])
def peak_kb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
events = replay.store_events(store, sys.argv[2], int(sys.argv[3]))
before = peak_kb()
if sys.argv[4] == "step":
    with open(os.devnull, "w") as sink:
        for step in replay.step_through(sys.argv[2], events):
            sink.write(f"{step.event.version} {step.event.type.value}\\n{step.live_diff}{step.config_diff}")
else:
    held = list(events)
print((peak_kb() - before) / 1024)
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, help="folder for history.db (default: a temporary one)")
    parser.add_argument("--history", type=int, default=100_000, help="events in the history")
    parser.add_argument("--runs", type=int, default=3, help="measurements of each timed figure")
    args = parser.parse_args()
    if args.dir is not None:
        args.dir.mkdir(parents=True, exist_ok=True)
        return run(args, args.dir)
    with tempfile.TemporaryDirectory(prefix="nsp-bench-audit-") as folder:
        return run(args, Path(folder))


def run(args: argparse.Namespace, folder: Path) -> int:
    results = Results()
    url = f"sqlite:///{folder / 'history.db'}"
    prepare_history(url, args.history)
    print(f"Python loop: {python_loop_ns():.0f} ns/iteration", flush=True)
    bench_bisect(results, url, args.runs)
    bench_step_through(results, url)
    bench_verify(results, url, args.runs)
    bench_history(results, f"sqlite:///{folder / 'audit.db'}", args.history, args.runs)
    return 1 if results.failed else 0


def bench_history(results: Results, url: str, events: int, runs: int) -> None:
    """(h) the first page of a filtered history (tools/bench_history.py), on a history with ten actors."""
    seed_with_actors(url, events)
    print(f"(h) filtered history, first page of 50 of {events:,} events (min / median / max of {runs} rounds):")
    results.report("(h) every filter under its target", "see above", "< 100 ms",
                   bench_history_first_page(url, runs))


def prepare_history(url: str, events: int) -> None:
    with EventStore(url) as store:
        if store.head_position() not in (0, events):
            raise SystemExit(f"{url} holds {store.head_position()} events, not {events}: use another --dir")
        if store.head_position() == 0:
            begin = time.perf_counter()
            seed_history(store, NETWORK, events)
            print(f"    seeded {events:,} events in {time.perf_counter() - begin:.1f} s", flush=True)


def timed(action: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        begin = time.perf_counter()
        action()
        times.append(time.perf_counter() - begin)
    return times


def spread(values: list[float], unit: str, scale: float = 1.0) -> str:
    low, middle, high = min(values) * scale, statistics.median(values) * scale, max(values) * scale
    return f"{middle:,.2f} {unit} ({low:,.2f}-{high:,.2f})"


def bench_bisect(results: Results, url: str, runs: int) -> None:
    with EventStore(url) as store:
        head = store.load(NETWORK)
        assert head is not None and head.live is not None
        newest = head.live.ips[0].hosts[-1].name
        history = bisecting.StoreHistory(store, NETWORK)
        predicate = bisecting.XPathPredicate(f"count(//host[@name='{newest}']) > 0")
        found: list[bisecting.BisectResult] = []
        times = timed(lambda: found.append(bisecting.bisect(history, predicate)), runs)
    result = found[-1]
    assert result.version is not None and result.version > history.head - 100, result
    results.report(f"(e) bisect, {history.head:,} versions ({len(result.tried)} states read)", spread(times, "s"),
                   "< 2 s", statistics.median(times) < 2.0)


def bench_step_through(results: Results, url: str) -> None:
    with EventStore(url) as store:
        upto = min(STEPS, store.head_version(NETWORK))
    begin = time.perf_counter()
    growth = _peak_growth(url, upto, "step")
    elapsed = time.perf_counter() - begin
    held = _peak_growth(url, upto, "hold")
    results.report(f"(f) step-through of {upto:,} events: peak RSS growth", f"{growth:,.1f} MB",
                   "< 50 MB", growth < 50)
    results.report(f"(f) holding the same {upto:,} events in a list", f"{held:,.1f} MB", "", None)
    results.report("(f) step-through time, process included", f"{elapsed:,.1f} s", "", None)


def _peak_growth(url: str, upto: int, mode: str) -> float:
    done = subprocess.run([sys.executable, "-c", STEP_SCRIPT, url, NETWORK, str(upto), mode],
                          capture_output=True, text=True, check=True, env={**os.environ, "PYTHONHASHSEED": "0"})
    return float(done.stdout.strip())


def bench_verify(results: Results, url: str, runs: int) -> None:
    with EventStore(url) as store:
        events = store.head_position()
        verify_times = timed(lambda: _verified(store), runs)
        rebuild_times = timed(lambda: store.rebuild(use_snapshots=False), runs)
    verify_rates = [events / seconds for seconds in verify_times]
    rebuild_rates = [events / seconds for seconds in rebuild_times]
    median = statistics.median(verify_rates)
    ratio = median / statistics.median(rebuild_rates)
    results.report("(g) verify", spread(verify_rates, "ev/s"), ">= 100,000 ev/s", median >= 100_000)
    results.report("(g) baseline: rebuild from scratch", spread(rebuild_rates, "ev/s"), "", None)
    results.report("(g) verify / rebuild", f"{ratio:.2f}", "", None)


def _verified(store: EventStore) -> None:
    report = store.verify()
    assert report.ok, report.problems[:3]


if __name__ == "__main__":
    sys.exit(main())
