"""PostgreSQL's parallel writers: the per-network lock, and the global lock of decisions that read other networks."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from netstore.errors import libvirtError
from netstore.lifecycle import decide as lifecycle
from netstore.lifecycle.request import parse_request
from netstore.store import EventStore
from tests.store import support


def _same_bridge(name: str, uuid: str) -> str:
    return (f"<network><name>{name}</name><uuid>{uuid}</uuid><forward mode='nat'/><bridge name='nssdup0'/>"
            "<ip address='10.0.0.1' prefix='8'/></network>")


def test_two_defines_claiming_one_bridge_at_once_accept_only_the_first(postgres_url):
    """The first define holds its transaction open after looking at the bridges; the second must wait and refuse."""
    looked, release = threading.Event(), threading.Event()
    first = lifecycle.define(parse_request(_same_bridge("nss-x", "00000000-0000-4000-8000-0000000000a1")),
                             support.HOST)

    def slow_define(state: Any, view: Any) -> Any:
        change = first(state, view)
        looked.set()
        release.wait(30)
        return change

    outcome: dict[str, Any] = {}

    def second_define() -> None:
        decide = lifecycle.define(parse_request(_same_bridge("nss-y", "00000000-0000-4000-8000-0000000000a2")),
                                  support.HOST)
        with EventStore(postgres_url) as store:
            try:
                outcome["second"] = store.append("nss-y", decide)
            except libvirtError as exc:
                outcome["second"] = exc

    with EventStore(postgres_url) as store:
        holder = threading.Thread(target=lambda: store.append("nss-x", slow_define))
        holder.start()
        assert looked.wait(30)
        other = threading.Thread(target=second_define)
        other.start()
        time.sleep(0.5)  # the second define is waiting for the registry lock by now (or refused already)
        assert "second" not in outcome
        release.set()
        holder.join(30)
        other.join(30)
        assert isinstance(outcome["second"], libvirtError) and "nssdup0" in str(outcome["second"])
        assert [state.name for state in store.list_states()] == ["nss-x"]


def test_writers_of_different_networks_do_not_wait_for_each_other(postgres_url):
    """A transaction held open on one network does not stop an append to another."""
    holding, release = threading.Event(), threading.Event()
    with EventStore(postgres_url) as store:
        support.define(store, "nss-a")
        support.define(store, "nss-b")
        inner = lifecycle.set_autostart(support.ref(store, "nss-a"), 1)

    def held(state: Any, view: Any) -> Any:
        holding.set()
        release.wait(30)
        return inner(state, view)

    def hold() -> None:
        with EventStore(postgres_url) as store:
            store.append("nss-a", held)

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert holding.wait(30)
        with EventStore(postgres_url) as store:
            started = time.monotonic()
            support.autostart(store, "nss-b", True)
            assert time.monotonic() - started < 5  # not queued behind nss-a's open transaction
    finally:
        release.set()
        thread.join(30)


def test_a_refused_append_leaves_a_gap_in_the_positions_that_verify_accepts(postgres_url):
    """PostgreSQL positions come from a sequence: a refused append's position is dropped, never reused."""
    with EventStore(postgres_url) as store:
        support.define(store, "nss-a")
        with pytest.raises(ValueError, match="refused on purpose"):
            store.append("nss-a", _refused)
        support.autostart(store, "nss-a", True)
        assert [event.position for event in store.read_all()] == [1, 3]
        assert store.head_position() == 3 and store.verify().ok


def _refused(state: Any, view: Any) -> Any:
    raise ValueError("refused on purpose")
