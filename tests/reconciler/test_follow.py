"""Following the log: networks changed after a cursor, the change token, checkpoints in the database."""

from __future__ import annotations

import netstore
from netstore.reconciler.follow import LogFollower
from netstore.store import EventStore
from netstore.store.checkpoints import Checkpoint, CheckpointStore


def bridged(name: str) -> str:
    return f"<network><name>{name}</name><forward mode='bridge'/><bridge name='nsr-{name}'/></network>"


def test_reads_only_the_networks_changed_after_its_cursor(db_url: str) -> None:
    with netstore.open(db_url) as conn, EventStore(db_url) as store, CheckpointStore(db_url) as signal:
        conn.networkDefineXML(bridged("a"))
        follower = LogFollower(store, signal, store.head_position())
        assert not follower.news()
        conn.networkDefineXML(bridged("b"))
        conn.networkLookupByName("b").create()
        conn.networkLookupByName("a").setAutostart(1)
        assert follower.news()
        changes = follower.read()
        assert set(changes.first_position) == {"a", "b"}
        b_defined = next(store.read_stream("b")).position  # not always after + 1: PostgreSQL's log has gaps
        assert changes.first_position["b"] == b_defined > changes.after
        assert changes.upto == store.head_position() == follower.cursor
        assert follower.read().first_position == {}
        assert not follower.news()


def test_checkpoints_are_kept_per_host(db_url: str) -> None:
    with CheckpointStore(db_url) as store:
        assert store.get("h1") is None
        store.put(Checkpoint("h1", 4, "boot-a"))
        store.put(Checkpoint("h2", 9, None))
        store.put(Checkpoint("h1", 7, "boot-b"))
    with CheckpointStore(db_url) as store:
        assert store.get("h1") == Checkpoint("h1", 7, "boot-b")
        assert store.get("h2") == Checkpoint("h2", 9, None)
