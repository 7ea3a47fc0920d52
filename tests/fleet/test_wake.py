"""Reconcilers wake on PostgreSQL NOTIFY and ride out a server restart (pg_ctl restart -m immediate)."""

from __future__ import annotations

import io
import logging
import select
import threading
import time
from pathlib import Path

import pytest

import netstore
from netstore.reconciler.follow import LogFollower
from netstore.reconciler.loop import Options, Reconciler
from netstore.reconciler.paths import Paths
from netstore.reconciler.wake import Wake
from netstore.store import EventStore
from netstore.store.checkpoints import CheckpointStore
from netstore.store.notices import commit_listener
from tests.store.postgres import PostgresServer

XML = "<network><name>{}</name><bridge name='nsfw{}'/></network>"


@pytest.mark.sqlite_only("SQLite has no NOTIFY: its reconcilers poll PRAGMA data_version instead")
def test_sqlite_sends_no_notices(sqlite_url: str) -> None:
    assert commit_listener(sqlite_url, "nsf-hv1") is None


def test_a_commit_makes_the_listening_socket_readable(postgres_server: PostgresServer) -> None:
    url = postgres_server.new_database()
    with EventStore(url) as store, CheckpointStore(url) as signal, netstore.open(url) as conn:
        listener = commit_listener(url, "nsf-hv1")
        assert listener is not None
        wake = Wake(LogFollower(store, signal, 0), listener, poll_interval=0.005, safety_interval=3600)
        assert wake.news()  # the first call connects and says "read from the cursor"
        assert not wake.news()
        conn.networkDefineXML(XML.format("w1", 1))
        fd = wake.fileno()
        assert fd is not None
        readable, _, _ = select.select([fd], [], [], 5)
        assert readable and wake.news()
        assert not wake.news()
        wake.close()


def test_a_reconciler_resumes_after_a_restart_and_logs_the_outage_once(
        postgres_server: PostgresServer, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    url = postgres_server.new_database()
    with netstore.open(url) as conn:
        conn.networkDefineXML(XML.format("r1", 1), host="nsf-hv1")
    reconciler = Reconciler(Options(url, Paths(tmp_path / "s", tmp_path / "r"), dry_run=True, host_id="nsf-hv1"),
                            out=io.StringIO())
    reconciler.start_up()
    stopping = threading.Event()
    watcher = threading.Thread(target=reconciler.watch, args=(stopping.is_set,))
    caplog.set_level(logging.WARNING, logger="netstore.reconciler")
    watcher.start()
    try:
        postgres_server.restart()
        with netstore.open(url) as conn:
            conn.networkDefineXML(XML.format("r2", 2), host="nsf-hv1")
            head = conn.store.head_position()
        deadline = time.monotonic() + 30
        while reconciler.follower is not None and reconciler.follower.cursor < head and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stopping.set()
        watcher.join(30)
        reconciler.close()
    assert reconciler.follower is not None and reconciler.follower.cursor == head
    assert reconciler.outage.count == 1
    assert [r.getMessage() for r in caplog.records].count(next(
        r.getMessage() for r in caplog.records if "retrying with backoff" in r.getMessage())) == 1
    assert any("database back after" in r.getMessage() for r in caplog.records)
