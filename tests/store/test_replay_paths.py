"""The replay's shortcuts agree with the append path's fold, keys and rows.

Replays fold update events with ``Tracked.follow_update`` (no Change, no
deltas, no row plan) and read rows through prepared driver statements; the
append path folds with ``Tracked.fold``.  These tests hold the two to the
same keys and states, and the shortcuts to what they replace.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from netstore.constants import Command, Section
from netstore.events import Change, EventType
from netstore.lifecycle import decide as lifecycle
from netstore.lifecycle.request import parse_request
from netstore.model.codec import to_dict
from netstore.model.parse_network import parse_network_xml
from netstore.projector.fold import apply_change, apply_update
from netstore.state import NetworkState
from netstore.store import EventStore, records, replay
from netstore.store.driver import Prepared
from netstore.store.keys import SortKeys
from netstore.store.schema import events
from netstore.store.tracked import Tracked
from tests.store import support

XML = ("<network><name>n</name><uuid>6d1c2b33-5b2d-4a47-9a0f-3c5a1e0b7a11</uuid><bridge name='virbr5'/>"
       "<mac address='52:54:00:01:02:03'/>" + "".join(f"<portgroup name='p{n}'/>" for n in range(3))
       + "<ip address='10.0.0.1' prefix='24'><dhcp>"
       + "".join(f"<host mac='00:00:00:00:00:0{n}' ip='10.0.0.{30 + n}'/>" for n in range(3))
       + "<bootp file='pxe.0'/></dhcp></ip></network>")
SMALLER = to_dict(parse_network_xml(XML.replace("<portgroup name='p2'/>", "")))
LISTS = (("dhcp-host", {"mac": "00:00:00:00:01:01", "ip": "10.0.0.99"}), ("portgroup", {"name": "g"}),
         ("bootp", None), ("definition", SMALLER))

edits = st.lists(
    st.tuples(st.sampled_from(["live", "config", "both"]), st.sampled_from(LISTS),
              st.sampled_from(["insert", "delete", "replace"]), st.integers(0, 3)),
    min_size=1, max_size=3,
)


def _effects(drawn: list[tuple]) -> list[dict]:
    """Effects from drawn tuples (a slot, bootp, is only ever deleted; a definition only replaced; both at 0)."""
    effects = []
    for scope, (collection, item), op, index in drawn:
        if collection == "bootp":
            op, index = "delete", 0
        elif collection == "definition":
            op, index = "replace", 0
        effects.append({"scope": scope, "collection": collection, "ip_index": 0, "op": op, "index": index,
                        "item": None if op == "delete" else dict(item)})
    return effects


def _started(keys_gap: int) -> tuple[NetworkState, SortKeys]:
    state = NetworkState("n")
    apply_change(state, Change(EventType.DEFINE, "n", xml=XML))
    apply_change(state, Change(EventType.START, "n"))
    keys = SortKeys()
    for scope in ("live", "config"):
        keys.reset_scope(state, scope)
    for lk in keys.lists:  # gaps between keys (or none: a middle insert renumbers the list)
        keys.lists[lk] = [key * keys_gap for key in keys.lists[lk]]
    return state, keys


@settings(max_examples=200)
@given(st.integers(1, 3), st.lists(edits, min_size=1, max_size=8))
def test_follow_leaves_the_keys_apply_leaves(gap, events_drawn):
    (planned, planned_keys), (followed, followed_keys) = _started(gap), _started(gap)
    for drawn in events_drawn:
        effects = _effects(drawn)
        try:
            deltas = apply_change(planned, Change(EventType.UPDATE, "n", xml="<x/>", command=3, section=4,
                                                  parent_index=-1, flags=3, effects=tuple(effects)))
        except (IndexError, ValueError):
            return
        planned_keys.apply(deltas, planned)
        live, config = apply_update(followed, effects)
        followed_keys.follow(live, config, followed)
        assert followed_keys.lists == planned_keys.lists
        assert to_dict(followed.live) == to_dict(planned.live) and to_dict(followed.config) == to_dict(planned.config)


def _history(store: EventStore) -> None:
    support.running(store, "n")
    for n in range(6):
        support.add_host(store, "n", n)
    support.update(store, "n", Command.ADD_FIRST, Section.IP_DHCP_HOST, support.host_xml(50))
    support.update(store, "n", Command.DELETE, Section.IP_DHCP_HOST, support.host_xml(2))
    support.update(store, "n", Command.MODIFY, Section.IP_DHCP_HOST,
                   support.host_xml(3).replace("name='h3'", "name='renamed'"))
    support.update(store, "n", Command.ADD_LAST, Section.PORTGROUP, "<portgroup name='pg'/>", flags=1)
    support.autostart(store, "n", True)
    support.destroy(store, "n")
    support.add_host(store, "n", 60, flags=2)
    support.start(store, "n")
    support.add_host(store, "n", 61)


def test_fold_stream_equals_folding_every_event(store):
    _history(store)
    expected = Tracked.empty("n")
    for event in store.read_stream("n"):
        expected.fold(event.change, event.version)
    with store._db.read() as conn:
        streamed = Tracked.empty("n")
        count, last = replay.fold_stream(conn, streamed)
        partial = Tracked.empty("n")
        assert replay.fold_stream(conn, partial, 9)[0] == 9 and partial.state.version == 9
        assert replay.fold_stream(conn, partial)[0] == count - 9
    assert (count, last) == (store.head_version("n"), store.head_position())
    for tracked in (streamed, partial):
        assert tracked.keys.lists == expected.keys.lists
        assert (tracked.state.version, tracked.state.autostart) == (expected.state.version, expected.state.autostart)
        for scope in ("live", "config"):
            assert to_dict(getattr(tracked.state, scope)) == to_dict(getattr(expected.state, scope))


def test_rebuild_from_scratch_rewrites_the_same_rows(store):
    _history(store)
    with store._db.read() as conn:
        before = [_rows(conn, table) for table in ("projection_bases", "projection_items")]
    assert store.rebuild(use_snapshots=False) == store.head_position()
    with store._db.read() as conn:
        assert [_rows(conn, table) for table in ("projection_bases", "projection_items")] == before
    assert store.verify().ok


def _rows(conn: sa.Connection, table: str) -> list[tuple]:
    return sorted(tuple(row) for row in conn.exec_driver_sql(f"SELECT * FROM {table}"))


def test_prepared_insert_stores_what_a_core_insert_stores(store):
    """Bind processing (datetimes, booleans) is SQLAlchemy's own on both paths."""
    support.define(store, "n")
    recorded = datetime(2030, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
    change = Change(EventType.AUTOSTART, "n", autostart=True)
    rows = [records.new_row(change, position=100 + n, version=100 + n, recorded_at=recorded, actor="a",
                            reason=None, idempotency_key=None, prev_hash="0" * 64) for n in range(2)]
    with store._db.log_write() as conn:
        conn.execute(events.insert(), rows[0])
        Prepared(events.insert()).execute(conn, rows[1])
        result = conn.exec_driver_sql("SELECT * FROM events WHERE position >= 100 ORDER BY position")
        names = [column[0] for column in result.cursor.description]
        core, prepared = ({k: v for k, v in zip(names, row, strict=True) if k not in ("position", "version", "hash")}
                           for row in result)
    assert prepared == core and core["recorded_at"] is not None


@pytest.mark.parametrize("text", [
    '[{"a":1,"b":[true,null,"x"]}]', "[]", ' [ {"a" : 1} ] ', '[1]\n', '[1.5,-0.0,1e400,NaN,-Infinity]',
    "[9223372036854775807,-9223372036854775808,18446744073709551615]",
    "[18446744073709551616,-9223372036854775809,123456789012345678901234567890]",
    '["1234567890123456789012",1]', '["\\ud800","\\u00e9","é"]', b'[1]',
])
def test_loads_effects_is_json_loads(text):
    assert repr(records.loads_effects(text)) == repr(json.loads(text))  # repr: 2**64 == 2.0**64


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.integers(-2 ** 70, 2 ** 70) | st.floats() | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300)
@given(json_values, st.booleans())
def test_loads_effects_reads_any_json_text_as_json_loads(value, canonical):
    text = records.encode_effects((value,)) if canonical else json.dumps([value], ensure_ascii=False, indent=1)
    assert repr(records.loads_effects(text)) == repr(json.loads(text))


@pytest.mark.parametrize("text", ["[1] x", "", "[1,", '{"a"}', "[12345678901234567890,", '["é"', "[NaN"])
def test_loads_effects_refuses_what_json_refuses(text):
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)
    with pytest.raises(json.JSONDecodeError):
        records.loads_effects(text)


@pytest.mark.parametrize("value", [
    datetime(2026, 11, 26, 9, 27, 59, 566104), datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    datetime(2026, 1, 2, 3, 4, 5, 7, tzinfo=timezone(timedelta(hours=5))), datetime(999, 1, 1),
])
def test_format_time_is_the_hashed_strftime(value):
    assert records.format_time(value) == records.utc(value).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


RAW_NET = ("<network><name>raw</name><uuid>81ff0d90-c91e-6742-64da-4a736edb9a9b</uuid><bridge name='virbr9'/>"
           "<ip address='10.0.0.1' prefix='24'/><portgroup name=\"a'>b\" default='yes'/>"
           "<portgroup name='p2'/></network>")


def test_an_update_replacing_the_whole_definition_is_stored_and_replayed(store):
    """The engine replaces a definition whose libvirt copy differs (raw-written values) before the edit."""
    store.append("raw", lifecycle.define(parse_request(RAW_NET), support.HOST))
    store.append("raw", lifecycle.start(support.ref(store, "raw")))
    event = support.update(store, "raw", Command.ADD_LAST, Section.IP_DHCP_HOST,
                           "<host mac='52:54:00:00:00:01' ip='10.0.0.5'/>")
    assert [(e["scope"], e["collection"]) for e in event.change.effects][:1] == [("live", "definition")]
    state = store.load("raw")
    assert [pg.name for pg in state.live.portgroups] == ["a", "p2"] and len(state.live.ips[0].hosts) == 1
    with store._db.read() as conn:
        before = [_rows(conn, table) for table in ("projection_bases", "projection_items")]
    assert store.verify().ok
    store.rebuild(use_snapshots=False)
    with store._db.read() as conn:
        assert [_rows(conn, table) for table in ("projection_bases", "projection_items")] == before
    with EventStore(store.url) as fresh:
        assert to_dict(fresh.load("raw").live) == to_dict(state.live)
