"""A watching reconciler started while PostgreSQL is down waits for it, then serves.

A host often boots before its database server, and a fleet reconciler may start
just as the server restarts; ``netstore reconcile --watch`` must then wait with
backoff (one log line for the whole outage), not exit.  A one-shot
``reconcile --once`` still fails at once, with the store's error.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import netstore
from netstore.store.checkpoints import CheckpointStore
from tests.store.postgres import PostgresServer

NETSTORE = Path(sys.executable).with_name("netstore")
HOST = "nsf-hv9"
# The reconciler's retries wait 0.05, 0.1, 0.2 ... 1.6 s (3.15 s in all), then 3.2 s: SIGTERM comes in that wait.
BACKOFF_GROWN, BACKOFF_NOW = 3.5, 3.2
XML = "<network><name>{}</name><bridge name='nsfs{}'/></network>"


def _until(condition: Callable[[], bool], seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _reconcile(url: str, folder: Path, *mode: str) -> list[str]:
    return [str(NETSTORE), "--db", url, "reconcile", *mode, "--state-dir", str(folder / "state"),
            "--run-dir", str(folder / "run"), "--host-id", HOST]


def test_a_watching_reconciler_waits_for_the_database_at_start_up(postgres_server: PostgresServer,
                                                                     tmp_path: Path) -> None:
    url = postgres_server.new_database()
    with netstore.open(url) as conn:
        conn.networkDefineXML(XML.format("s1", 1), host=HOST)
    log = tmp_path / "reconcile.log"
    postgres_server.pause()
    try:
        process = subprocess.Popen(_reconcile(url, tmp_path, "--watch"), stdout=subprocess.DEVNULL,
                                   stderr=log.open("w"))
        waiting = _until(lambda: "retrying with backoff" in log.read_text())
        time.sleep(1.0)  # several retries fail meanwhile
        still_running = process.poll() is None
    finally:
        postgres_server.resume()
    try:
        assert waiting and still_running, log.read_text()
        assert _until(lambda: "watching" in log.read_text()), log.read_text()
        with netstore.open(url) as conn:
            conn.networkDefineXML(XML.format("s2", 2), host=HOST)
            head = conn.store.head_position()
        with CheckpointStore(url) as checkpoints:
            assert _until(lambda: (checkpoints.get(HOST) or _NONE).position == head), log.read_text()
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(30)
    said = log.read_text()
    assert code == 0, said
    assert said.count("retrying with backoff") == 1, said
    assert said.count("database back after") == 1, said


def test_sigterm_stops_a_reconciler_waiting_for_the_database_without_sitting_out_its_backoff(
        postgres_server: PostgresServer, tmp_path: Path) -> None:
    url = postgres_server.new_database()
    log = tmp_path / "reconcile.log"
    postgres_server.pause()
    try:
        process = subprocess.Popen(_reconcile(url, tmp_path, "--watch"), stdout=subprocess.DEVNULL,
                                   stderr=log.open("w"))
        assert _until(lambda: "retrying with backoff" in log.read_text()), log.read_text()
        time.sleep(BACKOFF_GROWN)
        process.send_signal(signal.SIGTERM)
        signalled = time.monotonic()
        code = process.wait(30)
        took = time.monotonic() - signalled
    finally:
        postgres_server.resume()
    assert code == 0, log.read_text()
    assert took < BACKOFF_NOW / 2, f"stopped {took:.1f} s after SIGTERM, in a backoff of {BACKOFF_NOW} s"


def test_a_one_shot_reconcile_fails_at_once_without_the_database(postgres_server: PostgresServer,
                                                                  tmp_path: Path) -> None:
    url = postgres_server.new_database()
    postgres_server.pause()
    try:
        done = subprocess.run(_reconcile(url, tmp_path, "--once"), capture_output=True, text=True, timeout=60)
    finally:
        postgres_server.resume()
    assert done.returncode == 1
    assert done.stderr.startswith("error: operation failed: database unavailable: "), done.stderr


class _NoCheckpoint:
    position = -1


_NONE = _NoCheckpoint()
