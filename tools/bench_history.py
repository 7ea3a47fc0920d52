"""Benchmark the audit queries against their targets (part (h) of tools/bench_audit.py).

    python tools/bench_history.py [--dir DIR] [--events N] [--rounds R]

``bench_history_first_page``: the first page (50 events) of a filtered
``history`` of one network whose log holds 100,000 events, through the
library call the CLI makes (``Connection.history``); target < 100 ms for each
filter (by actor, by time, by actor and section, by command and time).
Printed beside it, measured in the same run: the first page of the
unfiltered history (the plain version-order read).  Each figure is the median
of 20 calls; the whole measurement is repeated ``--rounds`` times and the
spread (min-max of the medians) printed.  Seeding uses the store's append
path (``EventStore.append_all``, 1,000 events per transaction; ten actors
taking turns per transaction).  Exits 1 when a target fails.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import netstore
from netstore.audit.query import HistoryFilter
from netstore.constants import Command, Section
from netstore.lifecycle import decide as lifecycle
from netstore.lifecycle.decide import NetworkRef
from netstore.lifecycle.request import parse_request
from netstore.store import EventStore

TARGET_MS = 100.0
PAGE = 50
BATCH = 1000
ACTORS = 10
CALLS = 20
LIVE_CONFIG = 3
NAME = "audited"


def _network_xml() -> str:
    return (f"<network><name>{NAME}</name><bridge name='nsabench0'/><ip address='10.9.0.1' prefix='16'>"
            "<dhcp><range start='10.9.0.2' end='10.9.0.9'/></dhcp></ip></network>")


def _host_xml(n: int) -> str:
    slot = n % 62_500  # at most 50 hosts live at once: addresses repeat far apart
    return (f"<host mac='52:54:00:{n >> 16 & 255:02x}:{n >> 8 & 255:02x}:{n & 255:02x}'"
            f" ip='10.9.{slot // 250 + 1}.{slot % 250 + 2}'/>")


def _churn(ref: NetworkRef) -> Iterator[Callable]:
    n = 0
    while True:
        yield lifecycle.update(ref, Command.ADD_LAST, Section.IP_DHCP_HOST, -1, _host_xml(n), LIVE_CONFIG)
        if n >= 50:
            yield lifecycle.update(ref, Command.DELETE, Section.IP_DHCP_HOST, -1, _host_xml(n - 50), LIVE_CONFIG)
        n += 1


def seed(url: str, events: int) -> None:
    """``events`` events on one network: define, start, then DHCP hosts added and removed, by ten actors."""
    with EventStore(url) as store:
        store.append(NAME, lifecycle.define(parse_request(_network_xml())), actor="actor-0")
        state = store.load(NAME)
        assert state is not None and state.config is not None
        ref = NetworkRef(NAME, state.config.uuid)
        store.append(NAME, lifecycle.start(ref), actor="actor-0")
        steps = _churn(ref)
        done, turn = 2, 0
        while done < events:
            batch = [next(steps) for _ in range(min(BATCH, events - done))]
            store.append_all(NAME, batch, actor=f"actor-{turn % ACTORS}")
            done, turn = done + len(batch), turn + 1


def _median_ms(call: Callable[[], list]) -> float:
    times = []
    for _ in range(CALLS):
        start = time.perf_counter()
        page = call()
        times.append((time.perf_counter() - start) * 1000)
        assert page, "an empty page measures nothing"
    return statistics.median(times)


def bench_history_first_page(url: str, rounds: int) -> bool:
    """Print the filtered first-page times (median, spread over rounds) beside the unfiltered one."""
    with netstore.open(url) as conn:
        events = conn.history(NAME, HistoryFilter(limit=None))
        late = events[len(events) * 9 // 10].recorded_at
        filters = {
            "unfiltered (baseline)": HistoryFilter(limit=PAGE),
            "--actor actor-1": HistoryFilter(actor="actor-1", limit=PAGE),
            "--since <90% of the history>": HistoryFilter(since=late, limit=PAGE),
            "--actor actor-3 --section ip-dhcp-host": HistoryFilter(actor="actor-3", section=4, limit=PAGE),
            "--command delete --since <90%>": HistoryFilter(command=2, since=late, limit=PAGE),
        }
        medians: dict[str, list[float]] = {label: [] for label in filters}
        for _ in range(rounds):
            for label, wanted in filters.items():
                medians[label].append(_median_ms(partial(conn.history, NAME, wanted)))
    print(f"history first page ({PAGE} events) of a {len(events):,}-event history, median of {CALLS} calls,"
          f" {rounds} rounds (min / median / max of the round medians):")
    passed = True
    for label, figures in medians.items():
        worst = max(figures)
        judged = not label.startswith("unfiltered")
        verdict = ("PASS" if worst < TARGET_MS else "FAIL") if judged else "    "
        passed = passed and (worst < TARGET_MS or not judged)
        print(f"  {verdict}  {label:42s} {min(figures):7.2f} / {statistics.median(figures):7.2f} / {worst:7.2f} ms"
              + (f"   target < {TARGET_MS:.0f} ms" if judged else ""))
    return passed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, help="Where to put the database (default: a new temp dir).")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="nsa-bench-", dir=args.dir))
    try:
        url = f"sqlite:///{folder / 'audit.db'}"
        start = time.perf_counter()
        seed(url, args.events)
        print(f"seeded {args.events:,} events in {time.perf_counter() - start:.1f} s")
        return 0 if bench_history_first_page(url, args.rounds) else 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
