"""Benchmark: the cost of one ip-dhcp-host ADD_LAST as a network grows.

netstore's engine (plan_update + apply_steps, in memory) applies 10,000
consecutive ADD_LAST updates to one network; the cost per update is the mean
over a window of updates around 100 existing hosts and over the last window
before 10,000.  libvirt's test driver (``test:///default``, libvirt-python)
is measured in the same run, on a started network updated with
AFFECT_CURRENT: each window starts from a network defined with the hosts
already in it (its per-update cost depends only on the size of the network;
adding all 10,000 one by one would take minutes), so every figure is
measured at the host count it is reported for.

Targets: netstore at 10,000 hosts costs at most 1.5x what it costs at 100,
and at least 10x less than libvirt at 10,000.  Exit status 1 when a target
is missed (a missing libvirt-python leaves the second target unchecked).

Usage: python tools/bench_engine.py [--hosts N] [--window W]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Optional

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from netstore.constants import Command, Section
from netstore.engine import apply_steps, plan_update
from netstore.model import parse_network_xml

NAME = "bench-engine"
MAX_GROWTH = 1.5
MIN_SPEEDUP = 10.0


def host_xml(number: int) -> str:
    """The ``number``-th host: a unique mac, name and address in 10.0.0.0/16."""
    mac = f"52:54:00:{number >> 16 & 0xFF:02x}:{number >> 8 & 0xFF:02x}:{number & 0xFF:02x}"
    return f"<host mac='{mac}' name='vm{number}' ip='10.0.{(number + 2) >> 8}.{(number + 2) & 0xFF}'/>"


def network_xml(hosts: int) -> str:
    body = "".join(host_xml(n) for n in range(hosts))
    return (
        f"<network><name>{NAME}</name><forward mode='nat'/><bridge name='vbench0'/>"
        f"<ip address='10.0.0.1' prefix='16'><dhcp>{body}</dhcp></ip></network>"
    )


def mean_ms(samples: list[float]) -> float:
    return statistics.fmean(samples) * 1000


def run_netstore(total: int) -> list[float]:
    """Seconds taken by each of ``total`` consecutive ADD_LAST updates, from an empty network."""
    defn = parse_network_xml(network_xml(0))
    timings = []
    clock = time.perf_counter
    for number in range(total):
        xml = host_xml(number)
        start = clock()
        apply_steps(defn, plan_update(defn, Command.ADD_LAST, Section.IP_DHCP_HOST, -1, xml))
        timings.append(clock() - start)
    assert len(defn.ips[0].hosts) == total
    return timings


def window(timings: list[float], center: int, width: int) -> list[float]:
    """The updates made while the network held about ``center`` hosts."""
    start = max(0, min(center - width // 2, len(timings) - width))
    return timings[start : start + width]


def libvirt_window(conn: Any, existing: int, updates: int) -> list[float]:
    """Seconds per ADD_LAST on a started test-driver network that holds ``existing`` hosts."""
    net = conn.networkDefineXML(network_xml(existing))
    try:
        net.create()
        timings = []
        for number in range(existing, existing + updates):
            xml = host_xml(number)
            start = time.perf_counter()
            net.update(Command.ADD_LAST, Section.IP_DHCP_HOST, -1, xml, 0)
            timings.append(time.perf_counter() - start)
        return timings
    finally:
        if net.isActive():
            net.destroy()
        net.undefine()


def open_libvirt() -> Optional[Any]:
    try:
        import libvirt
    except ImportError:
        return None
    libvirt.registerErrorHandler(lambda _ctx, _err: None, None)
    return libvirt.open("test:///default")


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def report(rows: list[tuple[str, str, str]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=10_000, help="consecutive updates (default 10000)")
    parser.add_argument("--window", type=int, default=200, help="updates averaged per figure (default 200)")
    args = parser.parse_args(argv)
    small, large, width = 100, args.hosts, args.window

    timings = run_netstore(large)
    ours_small = mean_ms(window(timings, small, width))
    ours_large = mean_ms(window(timings, large, width))
    rows = [("hosts in network", "netstore ms/update", "libvirt test driver ms/update")]
    theirs: dict[int, float] = {}
    conn = open_libvirt()
    if conn is not None:
        for existing in (small, large // 2, large):
            updates = max(20, width // 10) if existing > small else width
            theirs[existing] = mean_ms(libvirt_window(conn, existing - updates // 2, updates))
    for count, ours in ((small, ours_small), (large // 2, mean_ms(window(timings, large // 2, width))),
                        (large, ours_large)):
        rows.append((f"{count:,}", f"{ours:.4f}", f"{theirs[count]:.3f}" if count in theirs else "n/a"))
    print(f"ip-dhcp-host ADD_LAST, {large:,} consecutive updates (netstore windows: {width} updates)\n")
    report(rows)

    growth = ours_large / ours_small
    checks = [(f"netstore at {large:,} <= {MAX_GROWTH}x netstore at {small}", growth <= MAX_GROWTH,
               f"{growth:.2f}x")]
    if large in theirs:
        speedup = theirs[large] / ours_large
        checks.append((f"netstore at {large:,} >= {MIN_SPEEDUP:.0f}x below libvirt at {large:,}",
                       speedup >= MIN_SPEEDUP, f"{speedup:.0f}x"))
    print()
    for text, ok, figure in checks:
        print(f"{verdict(ok)}  {text}  ({figure})")
    if conn is None:
        print("SKIP  the libvirt comparison: libvirt-python is not installed")
    return 0 if all(ok for _, ok, _ in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
