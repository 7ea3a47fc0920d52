"""Crash safety: writers killed with SIGKILL at random moments lose nothing acknowledged.

Each trial forks two writers that add DHCP hosts to one running network and
write an acknowledgement to a pipe only after ``append`` returned (the commit
is durable then); the test kills both at random moments.  Afterwards the
database must contain every acknowledged update, contain nothing partial
(the projection equals the replay of the log) and verify; a SQLite file must
also pass SQLite's integrity check.  It runs on both backends.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import sqlite3
import time

import sqlalchemy as sa

from netstore.store import EventStore
from tests.helpers import scaled
from tests.store import support

TRIALS = scaled(60, 50)
WRITERS = 2


def _writer(url: str, first: int, ack_fd: int) -> None:
    with EventStore(url) as store:
        for n in range(first, first + 10_000):
            support.add_host(store, "crash", n, idempotency_key=f"host-{n}")
            os.write(ack_fd, f"{n}\n".encode())


def _acknowledged(read_fd: int) -> set[int]:
    data = b""
    while chunk := os.read(read_fd, 65536):
        data += chunk
    return {int(line) for line in data.decode().split()}


def _trial(url: str, trial: int, rng: random.Random) -> set[int]:
    context = multiprocessing.get_context("fork")
    read_fd, write_fd = os.pipe()
    writers = [context.Process(target=_writer, args=(url, (trial * WRITERS + i) * 10_000, write_fd))
               for i in range(WRITERS)]
    for writer in writers:
        writer.start()
    os.close(write_fd)
    for writer in writers:
        time.sleep(rng.uniform(0.0, 0.3))
        assert writer.pid is not None
        os.kill(writer.pid, signal.SIGKILL)
    for writer in writers:
        writer.join()
        assert writer.exitcode == -signal.SIGKILL
    acked = _acknowledged(read_fd)
    os.close(read_fd)
    return acked


def _check_sqlite_file(url: str) -> None:
    """A SQLite file passes SQLite's integrity check (its writers died inside transactions on the file).

    PostgreSQL's writers are clients: only the server writes its files, and it rolled the killed
    writers' transactions back; there is no file of theirs to check.
    """
    parsed = sa.make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return
    assert parsed.database, url
    with sqlite3.connect(parsed.database) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def test_sigkilled_writers_lose_nothing_acknowledged(db_url):
    with EventStore(db_url) as store:
        support.running(store, "crash")
    rng = random.Random(20240601)
    acknowledged: set[int] = set()
    for trial in range(TRIALS):
        acknowledged |= _trial(db_url, trial, rng)
        _check_sqlite_file(db_url)
        with EventStore(db_url) as store:
            state = store.load("crash")
            report = store.verify()
            keys = {str(e.idempotency_key) for e in store.read_stream("crash", after_version=2)}
        assert report.ok, report.problems[:3]
        assert state is not None and state.live is not None and state.config is not None
        for scope in (state.live, state.config):
            names = {host.name for host in scope.ips[0].hosts}
            assert {f"h{n}" for n in acknowledged} <= names
            assert names == {key.replace("host-", "h") for key in keys}
    assert acknowledged, "no writer was ever acknowledged: the kills came too early"
