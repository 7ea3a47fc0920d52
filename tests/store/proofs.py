"""The store's reliability proofs, sized by the caller: small in the tests, large in tools/reliability.py.

Each proof runs real writer processes (``spawn``: a fresh interpreter each,
as separate hosts would be) against one database URL and returns a summary
whose ``problems`` list is empty when the guarantee held:

* :func:`concurrent_writers`: writers on one network or on many, a follower
  polling ``read_all`` meanwhile: no acknowledged update lost, every
  network's versions 1..N, the follower saw every position of the log exactly
  once, in increasing order;
* :func:`killed_writers`: writers SIGKILLed in the middle of bursts: every
  acknowledged update stored with the hash it was acknowledged with, no
  partial event, verify clean (hash chains, projections equal to a replay);
* :func:`out_of_order_commit`: an append holds its position open (its decide
  waits on a barrier) while another network's later position commits; a
  follower polling meanwhile still sees every event exactly once.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from netstore.store import EventStore
from tests.store import support

HOSTS_PER_WRITER = 100_000
_SPAWN = multiprocessing.get_context("spawn")


@dataclass
class Summary:
    """What one proof saw; ``problems`` is empty when its guarantee held."""

    name: str
    figures: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        figures = ", ".join(f"{key} {value}" for key, value in self.figures.items())
        verdict = "PASS" if not self.problems else f"FAIL ({len(self.problems)} problems: {self.problems[0]})"
        return f"{self.name}: {figures}; {verdict}"


def _write_burst(url: str, network: str, first_host: int, count: int, acks: str) -> None:
    """Append ``count`` host updates to ``network``; record each acknowledged one as a line of ``acks``."""
    with EventStore(url) as store, open(acks, "a", buffering=1) as out:
        for n in range(first_host, first_host + count):
            event = support.add_host(store, network, n)
            out.write(f"{network} {event.version} {event.position} {event.hash}\n")


def _acknowledged(folder: Path) -> list[tuple[str, int, int, str]]:
    acks = []
    for path in sorted(folder.glob("acks-*")):
        for line in path.read_text().splitlines():
            parts = line.split()
            if len(parts) == 4 and len(parts[3]) == 64:  # a line cut by SIGKILL acknowledges nothing
                acks.append((parts[0], int(parts[1]), int(parts[2]), parts[3]))
    return acks


def _prepare(url: str, networks: int) -> list[str]:
    names = [f"nss-proof{index}" for index in range(networks)]
    with EventStore(url) as store:
        for name in names:
            support.running(store, name)
    return names


def _start_writers(url: str, names: list[str], writers: int, count: int, folder: Path,
                   offset: int = 0) -> list[Any]:
    """``writers`` processes adding ``count`` hosts each (host numbers from ``offset`` in each writer's range)."""
    processes = [_SPAWN.Process(target=_write_burst,
                                args=(url, names[w % len(names)], w * HOSTS_PER_WRITER + offset, count,
                                      str(folder / f"acks-{w}")))
                 for w in range(writers)]
    for process in processes:
        process.start()
    return processes


class _Follower(threading.Thread):
    """Polls ``read_all`` from its cursor until stopped, then reads once more; keeps every position seen."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.store = EventStore(url)
        self.seen: list[int] = []
        self.polls = 0
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            self.poll()
        self.poll()

    def poll(self) -> None:
        cursor = self.seen[-1] if self.seen else 0
        self.seen.extend(event.position for event in self.store.read_all(cursor))
        self.polls += 1

    def finish(self) -> list[int]:
        """Stop polling (a follower polled by hand reads once more) and close its store."""
        self.stopping.set()
        if self.ident is not None:
            self.join()
        else:
            self.poll()
        self.store.close()
        return self.seen


def _check_log(url: str, acks: list[tuple[str, int, int, str]], seen: list[int] | None,
               summary: Summary) -> None:
    """Acknowledged events stored as acknowledged, versions gapless, verify clean, the follower exact."""
    with EventStore(url) as store:
        log = list(store.read_all())
        report = store.verify()
    stored = {(event.change.network, event.version): (event.position, event.hash) for event in log}
    lost = [ack for ack in acks if stored.get((ack[0], ack[1])) != (ack[2], ack[3])]
    summary.problems += [f"acknowledged {ack[0]} version {ack[1]} not stored as acknowledged" for ack in lost[:3]]
    versions: dict[str, list[int]] = {}
    for event in log:
        versions.setdefault(event.change.network, []).append(event.version)
    summary.problems += [f"{name} versions are not 1..{len(found)}" for name, found in versions.items()
                         if sorted(found) != list(range(1, len(found) + 1))]
    summary.problems += report.problems[:3]
    summary.figures.update(acknowledged=len(acks), events=len(log), lost=len(lost))
    if seen is not None:
        positions = [event.position for event in log]
        duplicates = len(seen) - len(set(seen))
        skipped = len(set(positions) - set(seen))
        unordered = sum(1 for a, b in zip(seen, seen[1:], strict=False) if b <= a)
        summary.figures.update(followed=len(seen), duplicates=duplicates, skipped=skipped)
        if duplicates or skipped or unordered or set(seen) - set(positions):
            summary.problems.append(f"follower: {duplicates} duplicates, {skipped} skipped, {unordered} out of order")


def concurrent_writers(url: str, folder: Path, *, writers: int, networks: int, count: int) -> Summary:
    """``writers`` processes, ``count`` updates each, spread over ``networks`` networks, a follower polling."""
    names = _prepare(url, networks)
    follower = _Follower(url)
    follower.start()
    processes = _start_writers(url, names, writers, count, folder)
    failed = _join(processes)
    seen = follower.finish()
    summary = Summary(f"{writers} writers on {networks} network{'s' if networks > 1 else ''}")
    summary.problems += [f"writer exited with {code}" for code in failed]
    _check_log(url, _acknowledged(folder), seen, summary)
    summary.figures["follower polls"] = follower.polls
    return summary


def killed_writers(url: str, folder: Path, *, writers: int, bursts: int, count: int, seed: int = 0) -> Summary:
    """``bursts`` rounds of ``writers`` processes, each SIGKILLed at a random moment of its burst."""
    names = _prepare(url, writers)
    chance = random.Random(seed)
    killed = 0
    failed: list[int] = []
    for burst in range(bursts):
        burst_folder = folder / f"burst-{burst}"
        burst_folder.mkdir()
        processes = _start_writers(url, names, writers, count, burst_folder, offset=burst * count)
        _wait_for_acks(burst_folder, writers, processes)
        time.sleep(chance.uniform(0.0, 0.5))  # a random moment of the burst
        for process in processes:
            if process.is_alive() and process.pid is not None:
                os.kill(process.pid, signal.SIGKILL)
                killed += 1
        failed += _join(processes)
    summary = Summary("SIGKILLed writers")
    summary.problems += [f"writer exited with {code}" for code in failed]
    acks = [ack for burst in range(bursts) for ack in _acknowledged(folder / f"burst-{burst}")]
    _check_log(url, acks, None, summary)
    summary.figures.update(bursts=bursts, killed=killed)
    return summary


def _wait_for_acks(folder: Path, wanted: int, processes: list[Any], timeout: float = 120.0) -> None:
    """Until ``wanted`` updates are acknowledged (the writers are past start-up) or all writers ended."""
    deadline = time.monotonic() + timeout
    while (len(_acknowledged(folder)) < wanted and time.monotonic() < deadline
           and any(process.is_alive() for process in processes)):
        time.sleep(0.02)


def out_of_order_commit(url: str) -> Summary:
    """An append takes position p and waits; another network's p+1 commits; a follower polls, then both commit."""
    names = _prepare(url, 2)
    summary = Summary("out-of-order commit")
    follower = _Follower(url)
    follower.poll()
    holding, release = threading.Event(), threading.Event()
    held: dict[str, Any] = {}

    def slow_writer() -> None:
        with EventStore(url) as store:
            decide = _held_decide(store, names[0], holding, release)
            held["event"] = store.append(names[0], decide)

    thread = threading.Thread(target=slow_writer)
    thread.start()
    holding.wait(30)
    with EventStore(url) as store:
        later = support.add_host(store, names[1], 1)
    for _ in range(5):
        follower.poll()
    early = held.get("event")
    shown_early = list(follower.seen)
    release.set()
    thread.join()
    seen = follower.finish()
    first = held["event"]
    summary.figures.update(held=first.position, committed_first=later.position,
                           visible_while_held=len(shown_early))
    if early is not None or first.position >= later.position:
        summary.problems.append("the held append did not take the earlier position")
    _check_log(url, [], seen, summary)
    return summary


def _held_decide(store: EventStore, name: str, holding: threading.Event,
                 release: threading.Event) -> Callable[..., Any]:
    """The decide of a host update that signals ``holding`` and waits for ``release`` before deciding."""
    from netstore.constants import Command, Section
    from netstore.lifecycle import decide as lifecycle

    inner = lifecycle.update(support.ref(store, name), Command.ADD_LAST, Section.IP_DHCP_HOST, -1,
                             support.host_xml(0), support.LIVE_CONFIG)

    def decide(state: Any, view: Any) -> Any:
        holding.set()
        release.wait(30)
        return inner(state, view)

    return decide


def _join(processes: list[Any]) -> list[int]:
    for process in processes:
        process.join(300)
    return [process.exitcode for process in processes if process.exitcode not in (0, -signal.SIGKILL)]
