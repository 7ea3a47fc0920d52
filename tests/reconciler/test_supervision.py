"""Retry delays, pidfd liveness and sd_notify: the loop's small parts."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

import pytest

from netstore.reconciler.backoff import FIRST_DELAY, MAX_DELAY, Backoff
from netstore.reconciler.liveness import Liveness
from netstore.reconciler.pacing import Pacer
from netstore.reconciler.service import sd_notify


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_backoff_doubles_up_to_a_ceiling_and_forgets_on_success() -> None:
    clock = Clock()
    backoff = Backoff(clock)
    delays = [backoff.failed("n") for _ in range(10)]
    assert delays[:3] == [FIRST_DELAY, FIRST_DELAY * 2, FIRST_DELAY * 4] and delays[-1] == MAX_DELAY
    assert backoff.due() == set() and "n" in backoff
    clock.now += MAX_DELAY
    assert backoff.due() == {"n"}
    backoff.succeeded("n")
    assert "n" not in backoff and backoff.due() == set()
    assert backoff.failed("n") == FIRST_DELAY


def test_liveness_reports_the_network_whose_daemon_exited() -> None:
    alive = subprocess.Popen(["sleep", "30"])
    dying = subprocess.Popen(["sleep", "30"])
    liveness = Liveness()
    try:
        liveness.watch("a", "dnsmasq", alive.pid)
        liveness.watch("b", "radvd", dying.pid)
        assert liveness.wait(0.05) == set()
        dying.kill()
        dying.wait()
        assert liveness.wait(1.0) == {"b"}
        assert liveness.wait(0.05) == set()  # reported once
    finally:
        liveness.close()
        alive.kill()
        alive.wait()


def test_sd_notify_sends_ready_to_the_notify_socket(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    address = str(tmp_path / "notify")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as server:
        server.bind(address)
        monkeypatch.setenv("NOTIFY_SOCKET", address)
        assert sd_notify("READY=1")
        assert server.recv(64) == b"READY=1"
    monkeypatch.delenv("NOTIFY_SOCKET")
    assert not sd_notify("READY=1")


def test_pacing_holds_a_network_acted_on_moments_ago_then_releases_it() -> None:
    clock = Clock()
    pacer = Pacer(0.5, clock)
    assert pacer.admit({"a", "b"}) == {"a", "b"}  # isolated changes go at once
    pacer.acted("a")
    clock.now += 0.1
    assert pacer.admit({"a", "b"}) == {"b"}
    assert pacer.due() == set()
    clock.now += 0.4
    assert pacer.due() == {"a"}
    assert pacer.due() == set()
