"""Writers in several processes are serialised: no update is lost, none sees a spurious conflict."""

from __future__ import annotations

import multiprocessing

from netstore.store import EventStore
from tests.store import support

PROCESSES = 4
HOSTS_EACH = 25


def _writer(url: str, index: int, barrier) -> None:
    with EventStore(url) as store:
        store.load("shared")
        barrier.wait()
        for n in range(index * 1000, index * 1000 + HOSTS_EACH):
            support.add_host(store, "shared", n)


def test_concurrent_writers_lose_no_host(url):
    with EventStore(url) as store:
        support.running(store, "shared")
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(PROCESSES)
    writers = [context.Process(target=_writer, args=(url, i, barrier)) for i in range(PROCESSES)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(120)
    assert [w.exitcode for w in writers] == [0] * PROCESSES
    expected = {f"h{i * 1000 + n}" for i in range(PROCESSES) for n in range(HOSTS_EACH)}
    with EventStore(url) as store:
        state = store.load("shared")
        assert {h.name for h in state.live.ips[0].hosts} == expected
        assert {h.name for h in state.config.ips[0].hosts} == expected
        assert [e.version for e in store.read_stream("shared")] == list(range(1, 3 + PROCESSES * HOSTS_EACH))
        assert store.verify().ok
