"""Benchmark the event store on a file database, against its targets.

    python tools/bench_store.py [--dir DIR] [--updates N] [--history N]

(a) durable ``update(ADD_LAST, IP_DHCP_HOST, LIVE|CONFIG)`` calls per second
    through ``netstore.open(url)``, next to bare SQLAlchemy Core single-row
    inserts per second (WAL + synchronous=FULL, one row per transaction, a row
    the size of an update's event row); target: at least 1/3 of the bare rate.
    Only the calls are timed (their XML is built beforehand).  The same pair
    measured in ``--fast-dir`` (storage cost ~0) is printed beside it.
(b) p50 latency of that update on a network with 10,000 DHCP hosts against
    one with 0; target: <= 1.5x and <= 1 ms at 10,000.  With synchronous=FULL
    every update waits for one fsync, so on a disk whose fsync alone takes
    longer than 1 ms the target is measured on a database in tmpfs
    (``--fast-dir``, default /dev/shm: same code and pragmas, storage cost
    ~0), and the on-disk figures are printed beside it.
(c) rebuilding every projection from the log by a replay from scratch
    (``EventStore.rebuild(use_snapshots=False)``, the replay verify does), in
    events folded per second; target: >= 100,000/s.  The snapshot-bounded
    ``rebuild()`` (each network from its newest valid snapshot -- one per 1,000
    events -- then the rest), in events of the log per second, is printed beside it.
(d) opening a network in a fresh process (EventStore(url) + load(name)) whose
    history holds 100,000 events; target: < 20 ms (median of 5 processes;
    imports are not timed).

Seeding uses the store's own append path (``EventStore.append_all``: valid
events, one transaction per 1,000); the 10,000-host network is defined with
its hosts in one define event.  Prints each figure with its target and
PASS/FAIL; exits 1 when any target fails.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

import netstore
from netstore.constants import Command, Section
from netstore.lifecycle import decide as lifecycle
from netstore.lifecycle.decide import NetworkRef
from netstore.lifecycle.request import parse_request
from netstore.store import EventStore

LIVE_CONFIG = 3
BATCH = 1000
EVENT_ROW_BYTES = 600  # the text an ADD_LAST update's event row holds (effects, xml, hashes, ...)
OPEN_SCRIPT = """
import sys, time
from netstore.store import EventStore
start = time.perf_counter()
store = EventStore(sys.argv[1])
state = store.load(sys.argv[2])
elapsed = time.perf_counter() - start
assert state is not None and state.version == int(sys.argv[3]), state
print(elapsed)
"""


def network_xml(name: str, bridge: str, hosts: int = 0) -> str:
    entries = "".join(host_xml(n) for n in range(hosts))
    return (f"<network><name>{name}</name><forward mode='nat'/><bridge name='{bridge}'/>"
            "<ip address='10.0.0.1' prefix='8'><dhcp><range start='10.0.0.2' end='10.0.0.254'/>"
            f"{entries}</dhcp></ip></network>")


def host_xml(n: int) -> str:
    mac = f"52:54:01:{(n >> 16) & 255:02x}:{(n >> 8) & 255:02x}:{n & 255:02x}"
    return f"<host mac='{mac}' name='h{n}' ip='10.{1 + n // 65536}.{(n // 256) % 256}.{n % 256}'/>"


class Results:
    def __init__(self) -> None:
        self.failed = False

    def report(self, label: str, figure: str, target: str, ok: bool | None) -> None:
        verdict = "" if ok is None else ("PASS" if ok else "FAIL")
        self.failed |= ok is False
        print(f"{label:<58} {figure:>22}   target {target:<18} {verdict}", flush=True)


def bare_inserts_per_second(folder: Path, count: int) -> float:
    """SQLAlchemy Core, one event-sized row per transaction, WAL + synchronous=FULL."""
    engine = sa.create_engine(f"sqlite:///{folder / 'bare.db'}")

    @sa.event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        dbapi_connection.execute("PRAGMA journal_mode = WAL")
        dbapi_connection.execute("PRAGMA synchronous = FULL")

    table = sa.Table("rows", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("stream", sa.Text), sa.Column("version", sa.Integer), sa.Column("data", sa.Text))
    table.metadata.create_all(engine)
    rows = [{"stream": "net", "version": i, "data": (host_xml(i) * 12)[:EVENT_ROW_BYTES]} for i in range(count)]
    start = time.perf_counter()
    for row in rows:
        with engine.begin() as conn:
            conn.execute(table.insert(), row)
    elapsed = time.perf_counter() - start
    engine.dispose()
    return count / elapsed


def api_updates(url: str, count: int) -> tuple[float, list[float], list[float]]:
    """(updates/s on an empty network, latencies at 0 hosts, latencies at 10,000 hosts)."""
    with netstore.open(url) as conn:
        small = conn.networkDefineXML(network_xml("small", "nsbsmall"))
        small.create()
        large = conn.networkDefineXML(network_xml("large", "nsblarge", 10_000))
        large.create()
        for net, n in ((small, 50_000), (large, 60_000)):  # warm caches and indexes
            net.update(Command.ADD_LAST, Section.IP_DHCP_HOST, -1, host_xml(n), LIVE_CONFIG)
        hosts = [host_xml(100_000 + i) for i in range(count)]
        start = time.perf_counter()
        for xml in hosts:
            small.update(Command.ADD_LAST, Section.IP_DHCP_HOST, -1, xml, LIVE_CONFIG)
        rate = count / (time.perf_counter() - start)
        at_zero, at_large = [], []
        pairs = [((small, at_zero, host_xml(200_000 + i)), (large, at_large, host_xml(300_000 + i)))
                 for i in range(count)]
        for pair in pairs:
            for net, sink, xml in pair:
                begin = time.perf_counter()
                net.update(Command.ADD_LAST, Section.IP_DHCP_HOST, -1, xml, LIVE_CONFIG)
                sink.append(time.perf_counter() - begin)
    return rate, at_zero, at_large


def seed_history(store: EventStore, name: str, events: int) -> None:
    """``events`` events on one network: define, start, then hosts added and removed (~50 stay)."""
    store.append(name, lifecycle.define(parse_request(network_xml(name, "nsbhist"))))
    ref = NetworkRef(name, store.load(name).config.uuid)
    store.append(name, lifecycle.start(ref))
    steps = _churn(ref)
    done = 2
    while done < events:
        batch = [next(steps) for _ in range(min(BATCH, events - done))]
        store.append_all(name, batch)
        done += len(batch)


def _churn(ref: NetworkRef):
    for n in itertools.count():
        yield lifecycle.update(ref, Command.ADD_LAST, Section.IP_DHCP_HOST, -1, host_xml(n), LIVE_CONFIG)
        if n >= 50:
            yield lifecycle.update(ref, Command.DELETE, Section.IP_DHCP_HOST, -1, host_xml(n - 50), LIVE_CONFIG)


def fsync_ms(folder: Path, rounds: int = 50) -> float:
    """The time one small write + fsync takes in ``folder``."""
    path = folder / "fsync.probe"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        start = time.perf_counter()
        for _ in range(rounds):
            os.write(fd, b"x" * 4096)
            os.fsync(fd)
        return (time.perf_counter() - start) / rounds * 1e3
    finally:
        os.close(fd)
        path.unlink()


def open_times(url: str, name: str, version: int, runs: int = 5) -> list[float]:
    times = []
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", OPEN_SCRIPT, url, name, str(version)],
                              capture_output=True, text=True, check=True)
        times.append(float(done.stdout.strip()))
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, help="folder for the database files (default: a temporary one)")
    parser.add_argument("--updates", type=int, default=1000, help="updates timed in (a) and (b)")
    parser.add_argument("--history", type=int, default=100_000, help="events in the history of (c) and (d)")
    parser.add_argument("--fast-dir", type=Path, default=Path("/dev/shm"),
                        help="tmpfs folder for the latency target of (b) (default: /dev/shm)")
    args = parser.parse_args()
    if args.dir is not None:
        args.dir.mkdir(parents=True, exist_ok=True)
        return run(args, args.dir)
    with tempfile.TemporaryDirectory(prefix="bench-store-") as folder:
        return run(args, Path(folder))


def run(args: argparse.Namespace, folder: Path) -> int:
    """Every measurement, with the databases in ``folder``; 1 when a target is missed."""
    results = Results()
    print(f"databases in {folder}", flush=True)

    print(f"fsync on {folder}: {fsync_ms(folder):.2f} ms", flush=True)
    bare = bare_inserts_per_second(folder, args.updates)
    rate, at_zero, at_large = api_updates(f"sqlite:///{folder / 'api.db'}", args.updates)
    results.report("(a) bare SQLAlchemy Core inserts (WAL, FULL)", f"{bare:,.0f}/s", "", None)
    results.report("(a) durable updates via netstore.open", f"{rate:,.0f}/s (x{rate / bare:.2f})",
                   ">= 1/3 of bare", rate >= bare / 3)
    p0, p10k = statistics.median(at_zero) * 1e3, statistics.median(at_large) * 1e3
    results.report("(b) p50 update latency on disk, 0 hosts", f"{p0:.3f} ms", "", None)
    results.report("(b) p50 update latency on disk, 10,000 hosts", f"{p10k:.3f} ms (x{p10k / p0:.2f})", "", None)
    fast = Path(tempfile.mkdtemp(prefix="bench-store-", dir=args.fast_dir))
    try:
        fast_bare = bare_inserts_per_second(fast, args.updates)
        fast_rate, at_zero, at_large = api_updates(f"sqlite:///{fast / 'api.db'}", args.updates)
    finally:
        shutil.rmtree(fast, ignore_errors=True)
    results.report(f"(a) in {args.fast_dir}: bare inserts / durable updates",
                   f"{fast_bare:,.0f} / {fast_rate:,.0f}/s (x{fast_rate / fast_bare:.2f})", "", None)
    p0, p10k = statistics.median(at_zero) * 1e3, statistics.median(at_large) * 1e3
    results.report(f"(b) p50 update latency in {args.fast_dir}, 0 hosts", f"{p0:.3f} ms", "", None)
    results.report(f"(b) p50 update latency in {args.fast_dir}, 10,000 hosts", f"{p10k:.3f} ms (x{p10k / p0:.2f})",
                   "<= 1.5x and <= 1 ms", p10k <= 1.5 * p0 and p10k <= 1.0)

    url = f"sqlite:///{folder / 'history.db'}"
    with EventStore(url) as store:
        begin = time.perf_counter()
        seed_history(store, "hist", args.history)
        seeding = time.perf_counter() - begin
        print(f"    seeded {args.history:,} events in {seeding:.1f} s", flush=True)
        begin = time.perf_counter()
        tail = store.rebuild()
        bounded = store.head_position() / (time.perf_counter() - begin)
        begin = time.perf_counter()
        folded = store.rebuild(use_snapshots=False)
        scratch = folded / (time.perf_counter() - begin)
        version = store.head_version("hist")
    results.report(f"(c) rebuild from scratch ({folded:,} events folded)", f"{scratch:,.0f} ev/s",
                   ">= 100,000 ev/s", scratch >= 100_000)
    results.report(f"(c) rebuild() from snapshots ({tail:,} events folded after them)", f"{bounded:,.0f} ev/s",
                   "", None)
    opens = open_times(url, "hist", version)
    median_open = statistics.median(opens) * 1e3
    results.report(f"(d) open + load, {version:,} events of history", f"{median_open:.2f} ms", "< 20 ms",
                   median_open < 20)
    print(json.dumps({"bare_inserts_per_s": bare, "updates_per_s": rate,
                      "fast_bare_inserts_per_s": fast_bare, "fast_updates_per_s": fast_rate,
                      "p50_ms_0": p0, "p50_ms_10k": p10k,
                      "rebuild_ev_per_s": bounded, "replay_from_scratch_ev_per_s": scratch,
                      "open_ms": median_open}))
    return 1 if results.failed else 0


if __name__ == "__main__":
    sys.exit(main())
