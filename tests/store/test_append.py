"""The append path: events, versions, positions, idempotency, refusals, reads."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from netstore.constants import Command, Section
from netstore.errors import HistoryError, StoreError, WriteRefusedError, libvirtError
from netstore.events import Change, EventType
from netstore.lifecycle import decide as lifecycle
from netstore.store import EventStore, eventstore
from tests.store import support


def test_first_event_of_a_network(store):
    event = support.define(store, "n1", actor="alice", reason="setup")
    assert (event.position, event.version, event.type) == (1, 1, EventType.DEFINE)
    assert (event.actor, event.reason) == ("alice", "setup")
    assert event.recorded_at.tzinfo is UTC
    assert len(event.hash) == 64 and event.prev_hash == "0" * 64
    state = store.load("n1")
    assert state.persistent and not state.active and state.version == 1


def test_update_event_stores_the_request_as_given(store):
    support.running(store, "n1")
    event = support.add_host(store, "n1", 7, flags=0)  # CURRENT on a running network: live only
    (stored,) = list(store.read_stream("n1", after_version=2))
    change = stored.change
    assert (change.command, change.section, change.parent_index, change.flags) == (3, 4, -1, 0)
    assert change.xml == support.host_xml(7)
    assert (change.affects_live, change.affects_config) == (True, False)
    assert [e["scope"] for e in change.effects] == ["live"]
    assert stored == event
    assert support.host_count(store, "n1", "live") == 1
    assert support.host_count(store, "n1", "config") == 0


def test_positions_and_versions_are_gap_free(store):
    for name in ("a", "b"):
        support.running(store, name)
    for n in range(6):
        support.add_host(store, "ab"[n % 2], n)
    events = list(store.read_all())
    assert [e.position for e in events] == list(range(1, 11))
    for name in ("a", "b"):
        stream = list(store.read_stream(name))
        assert [e.version for e in stream] == list(range(1, 6))
        assert stream[0].prev_hash == "0" * 64
        assert all(e.prev_hash == p.hash for p, e in itertools.pairwise(stream))  # a chain per network
    assert store.head_position() == 10 and store.head_version("a") == 5


def test_reads_page_through_long_histories(store, monkeypatch):
    monkeypatch.setattr(eventstore, "PAGE_SIZE", 3)
    support.running(store, "n1")
    for n in range(8):
        support.add_host(store, "n1", n)
    assert [e.version for e in store.read_stream("n1")] == list(range(1, 11))
    assert [e.version for e in store.read_stream("n1", after_version=4, upto_version=8)] == [5, 6, 7, 8]
    assert [e.position for e in store.read_all(after_position=7)] == [8, 9, 10]


def test_repeated_idempotency_key_returns_the_original_event(store):
    support.running(store, "n1")
    first = support.add_host(store, "n1", 1, idempotency_key="req-1")
    again = support.add_host(store, "n1", 2, idempotency_key="req-1")
    assert again == first
    assert store.head_position() == 3
    assert support.host_count(store, "n1") == 1
    other = support.add_host(store, "n1", 2, idempotency_key="req-2")
    assert other.version == 4


def test_idempotency_keys_are_per_network(store):
    support.running(store, "a")
    support.running(store, "b")
    first = support.add_host(store, "a", 1, idempotency_key="k")
    second = support.add_host(store, "b", 1, idempotency_key="k")
    assert (first.network, second.network) == ("a", "b")


def test_refused_change_appends_nothing(store):
    support.define(store, "n1")
    with pytest.raises(libvirtError) as refused:
        support.add_host(store, "n1", 1, flags=1)  # LIVE on an inactive network
    assert refused.value.get_error_code() == 55
    support.add_host(store, "n1", 1, flags=2)
    with pytest.raises(libvirtError):  # the same host again: a duplicate
        support.add_host(store, "n1", 1, flags=2)
    assert [e.version for e in store.read_stream("n1")] == [1, 2]
    assert support.host_count(store, "n1", "config") == 1
    assert store.verify().ok


def test_decide_sees_the_state_and_a_store_view(store):
    support.running(store, "a")
    seen = {}

    def decide(state, view):
        seen.update(version=state.version, hosts=len(state.live.ips[0].hosts),
                    uuid_owner=view.network_with_uuid(state.live.uuid),
                    bridges=view.bridges_in_use("b"), others=view.bridges_in_use("a"))
        raise libvirtError(55, "nope")

    with pytest.raises(libvirtError):
        store.append("a", decide)
    bridge = store.load("a").live.bridge.name
    assert seen == {"version": 2, "hosts": 0, "uuid_owner": "a", "bridges": {bridge}, "others": set()}


def test_unknown_network_gets_a_fresh_state(store):
    def decide(state, view):
        assert (state.name, state.version, state.exists) == ("new", 0, False)
        raise libvirtError(43, "Network not found")

    with pytest.raises(libvirtError):
        store.append("new", decide)
    assert store.load("new") is None and store.head_position() == 0


def test_decide_must_return_a_change_of_that_network(store):
    support.define(store, "n1")
    with pytest.raises(StoreError):
        store.append("n1", lambda state, view: Change(EventType.START, "other"))
    with pytest.raises(StoreError):
        store.append("n1", lambda state, view: "start")
    assert store.head_position() == 1


def test_a_failing_fold_leaves_no_trace(store):
    support.define(store, "n1")
    bad = Change(EventType.DESTROY, "n1")  # the network is not running: the fold refuses
    with pytest.raises(HistoryError):
        store.append("n1", lambda state, view: bad)
    assert store.head_position() == 1
    assert store.load("n1").persistent and not store.load("n1").active
    assert store.verify().ok


def test_removed_network_keeps_its_history(store):
    support.define(store, "n1")
    support.undefine(store, "n1")
    assert store.load("n1") is None and store.list_states() == []
    event = support.define(store, "n1")
    assert event.version == 3
    assert [s.name for s in store.list_states()] == ["n1"]


def test_recorded_at_is_utc_and_monotonic(store, monkeypatch):
    support.define(store, "n1")
    future = datetime.now(UTC) + timedelta(days=1)

    class Clock(datetime):
        @classmethod
        def now(cls, tz=None):
            return future

    monkeypatch.setattr(eventstore, "datetime", Clock)
    assert support.autostart(store, "n1", True).recorded_at == future
    monkeypatch.setattr(eventstore, "datetime", datetime)
    later = support.autostart(store, "n1", False)
    assert later.recorded_at == future  # the clock went back: time never decreases along positions
    assert store.version_at("n1", future - timedelta(seconds=1)) == 1
    assert store.version_at("n1", future) == 3


def test_update_columns_are_enum_checked(store):
    support.running(store, "n1")
    with pytest.raises(WriteRefusedError):
        store.append("n1", lambda state, view: Change(
            EventType.UPDATE, "n1", xml="<host/>", command=7, section=Section.IP_DHCP_HOST,
            parent_index=-1, flags=0, affects_live=True))
    with pytest.raises(WriteRefusedError):
        store.append("n1", lambda state, view: Change(
            EventType.UPDATE, "n1", xml="<host/>", command=Command.ADD_LAST, section=13,
            parent_index=-1, flags=0, affects_live=True))
    assert store.head_position() == 2 and store.verify().ok


def test_state_at_a_version(store):
    support.running(store, "n1")
    for n in range(3):
        support.add_host(store, "n1", n)
    assert len(store.state_at("n1", 3).live.ips[0].hosts) == 1
    assert store.state_at("n1", 1).active is False
    assert store.state_at("n1", 0) is None
    assert store.state_at("n1", 3) is not store.load("n1")


def test_another_store_sees_the_same_history(url):
    with EventStore(url) as one, EventStore(url) as two:
        support.running(one, "n1")
        assert two.load("n1").active
        support.add_host(two, "n1", 1)
        support.add_host(one, "n1", 2)  # one's cache must notice two's write first
        assert support.host_count(one, "n1") == support.host_count(two, "n1") == 2
        assert [e.version for e in one.read_stream("n1")] == [1, 2, 3, 4]
        assert one.verify().ok


def test_append_all_is_one_transaction(store):
    support.running(store, "n1")
    ref = support.ref(store, "n1")
    decides = [lifecycle.update(ref, Command.ADD_LAST, Section.IP_DHCP_HOST, -1, support.host_xml(n), 3)
               for n in range(3)]
    appended = store.append_all("n1", decides, actor="import")
    assert [e.version for e in appended] == [3, 4, 5] and {e.actor for e in appended} == {"import"}
    assert support.host_count(store, "n1") == 3
    duplicate = lifecycle.update(ref, Command.ADD_LAST, Section.IP_DHCP_HOST, -1, support.host_xml(0), 3)
    fresh = lifecycle.update(ref, Command.ADD_LAST, Section.IP_DHCP_HOST, -1, support.host_xml(9), 3)
    with pytest.raises(libvirtError):
        store.append_all("n1", [fresh, duplicate])
    assert store.head_position() == 5 and support.host_count(store, "n1") == 3
    assert store.verify().ok
