"""The fold's item edits: its direct list edits equal the engine's apply_steps, whatever the effects.

``apply_change`` edits a list itself when the engine keeps no match index for
it (every replay) and leaves the edit to ``apply_steps`` otherwise (the append
path, after the engine planned on the same definition).  Both must give the
state, deltas and errors of the reference fold -- each scope's effects turned
into EditSteps and applied with ``apply_steps`` -- and ``apply_update`` must
return exactly the edits ``apply_change`` reports as deltas.
"""

from __future__ import annotations

import copy
from typing import Any, Optional

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netstore.engine import EditStep, apply_steps, lookup
from netstore.errors import HistoryError
from netstore.events import Change, EventType
from netstore.model.codec import item_from_dict, to_dict
from netstore.model.collections import items_of
from netstore.projector.fold import apply_change, apply_update
from netstore.state import ItemDelta, ItemOp, NetworkState, Scope

UUID = "6d1c2b33-5b2d-4a47-9a0f-3c5a1e0b7a11"
XML = (f"<network><name>n</name><uuid>{UUID}</uuid><bridge name='virbr5'/><mac address='52:54:00:01:02:03'/>"
       "<dns>" + "".join(f"<txt name='t{n}' value='v'/>" for n in range(4)) + "</dns>"
       + "".join(f"<portgroup name='p{n}'/>" for n in range(4))
       + "<ip address='10.0.0.1' prefix='24'><dhcp>"
       + "".join(f"<range start='10.0.0.{2 + 2 * n}' end='10.0.0.{3 + 2 * n}'/>" for n in range(4))
       + "".join(f"<host mac='00:00:00:00:00:0{n}' ip='10.0.0.{30 + n}'/>" for n in range(4))
       + "</dhcp></ip></network>")
LISTS = (("dhcp-host", 0), ("dhcp-range", 0), ("portgroup", 0), ("dns-txt", 0))

# A few item dicts per collection, so equal items turn up in both scopes and twice in one scope.
ITEMS = {
    "dhcp-host": [{"mac": f"00:00:00:00:01:0{n}", "mac_key": f"00000000010{n}", "ip": f"10.0.0.{20 + n}"}
                  for n in range(3)],
    "dhcp-range": [{"start": f"10.0.0.{100 + n}", "end": f"10.0.0.{110 + n}"} for n in range(3)],
    "portgroup": [{"name": f"g{n}"} for n in range(3)],
    "dns-txt": [{"name": f"t{n}", "value": "x"} for n in range(3)],
}

effects_strategy = st.lists(
    st.builds(
        lambda scope, listed, op, index, pick: {
            "scope": scope, "collection": listed[0], "ip_index": listed[1], "op": op, "index": index,
            "item": None if op == "delete" else dict(ITEMS[listed[0]][pick % len(ITEMS[listed[0]])]),
        },
        st.sampled_from(["live", "config", "both"]),
        st.sampled_from(LISTS),
        st.sampled_from(["insert", "delete", "replace"]),
        st.sampled_from([0, 0, 0, 1, 1, 1, 2, 2, 3, -1, 9]),  # mostly positions that fit
        st.integers(0, 2),
    ),
    min_size=1, max_size=3,
)


def _started() -> NetworkState:
    state = NetworkState("n")
    apply_change(state, Change(EventType.DEFINE, "n", xml=XML))
    apply_change(state, Change(EventType.START, "n"))
    return state


def _indexed(state: NetworkState) -> NetworkState:
    """``state`` with the engine's match index built for every list (as after planning)."""
    for defn in (state.live, state.config):
        for collection, ip_index in LISTS:
            lookup.index_for(defn, collection, ip_index)
    return state


def _reference(state: NetworkState, effects: list[dict]) -> list[ItemDelta]:
    """The fold as the engine's steps: per scope, every EditStep built first, then applied in order."""
    deltas = []
    for scope in (Scope.LIVE, Scope.CONFIG):
        mine = [effect for effect in effects if effect["scope"] in (scope.value, "both")]
        if mine:
            defn = state.definition(scope)
            if defn is None:
                raise ValueError(f"update event cannot apply to network 'n' at version {state.version}")
            steps = [EditStep(effect["collection"], effect["ip_index"], ItemOp(effect["op"]), effect["index"],
                              None if effect["item"] is None else item_from_dict(effect["collection"],
                                                                                 effect["item"]))
                     for effect in mine]
            apply_steps(defn, steps)
        deltas.extend(ItemDelta(scope, e["collection"], e["ip_index"], ItemOp(e["op"]), e["index"]) for e in mine)
    state.version += 1
    return deltas


def _outcome(fold: Any, state: NetworkState, effects: list[dict]) -> tuple[Any, Optional[tuple[type, str]]]:
    try:
        return fold(state, copy.deepcopy(effects)), None
    except (IndexError, ValueError) as exc:
        return None, (type(exc), str(exc))


def _update(state: NetworkState, effects: list[dict]) -> list:
    return apply_change(state, Change(EventType.UPDATE, "n", xml="<x/>", command=3, section=4, parent_index=-1,
                                      flags=3, affects_live=True, affects_config=True, effects=tuple(effects)))


def _snapshot(state: NetworkState) -> tuple:
    return (state.version, to_dict(state.live) if state.live else None, to_dict(state.config) if state.config else None)


def _distinct_items(state: NetworkState) -> bool:
    for defn in (state.live, state.config):
        for collection, ip_index in LISTS:
            items = items_of(defn, collection, ip_index)
            if len({id(item) for item in items}) != len(items):
                return False
    return True


def _indexes_in_step(state: NetworkState) -> bool:
    for defn in (state.live, state.config):
        for collection, ip_index in LISTS:
            items = items_of(defn, collection, ip_index)
            index = lookup.existing_index(defn, collection, ip_index, items)
            if index is not None and [index.position(item) for item in items] != list(range(len(items))):
                return False
    return True


@settings(max_examples=300)
@given(st.lists(effects_strategy, min_size=1, max_size=6))
def test_direct_edits_equal_the_engine_steps(events):
    reference, direct, indexed, bare = _started(), _started(), _indexed(_started()), _started()
    for effects in events:
        expected, error = _outcome(_reference, reference, effects)
        assert _outcome(_update, direct, effects) == (expected, error)
        assert _outcome(_update, indexed, effects) == (expected, error)
        applied, bare_error = _outcome(apply_update, bare, effects)
        assert bare_error == error
        if error is not None:
            return  # a refused event leaves a state nobody uses (the store drops it)
        live, config = applied
        assert [ItemDelta(scope, e["collection"], e["ip_index"], ItemOp(e["op"]), e["index"])
                for scope, applied_effects in ((Scope.LIVE, live), (Scope.CONFIG, config))
                for e in applied_effects] == expected
        assert _snapshot(direct) == _snapshot(indexed) == _snapshot(bare) == _snapshot(reference)
        assert _distinct_items(direct) and _distinct_items(indexed) and _indexes_in_step(indexed)


def test_a_live_and_config_insert_of_equal_items_share_one_object():
    state = _started()
    host = {"mac": "00:00:00:00:01:05", "mac_key": "000000000105", "ip": "10.0.0.50"}
    effects = [{"scope": scope, "collection": "dhcp-host", "ip_index": 0, "op": "insert", "index": 2, "item": host}
               for scope in ("live", "config")]
    apply_update(state, effects)
    assert state.live.ips[0].hosts[2] is state.config.ips[0].hosts[2]


def test_an_effect_on_both_scopes_equals_a_live_and_a_config_one():
    host = {"mac": "00:00:00:00:01:05", "mac_key": "000000000105", "ip": "10.0.0.50"}
    edit = {"collection": "dhcp-host", "ip_index": 0, "op": "insert", "index": 2, "item": host}
    shared, paired = _started(), _started()
    _update(shared, [{"scope": "both", **edit}])
    _update(paired, [{"scope": "live", **edit}, {"scope": "config", **edit}])
    assert _snapshot(shared) == _snapshot(paired)
    assert shared.live.ips[0].hosts[2] is shared.config.ips[0].hosts[2]


@pytest.mark.parametrize("op, index", [("insert", 2), ("delete", 1), ("replace", 3), ("delete", 4)])
def test_one_effect_on_both_copies_equals_it_as_two_effects(op, index):
    """The common update's shortcut (one "both" effect) folds as the general path does, or raises as it does."""
    effect = {"scope": "both", "collection": "dns-txt", "ip_index": 0, "op": op, "index": index,
              "item": None if op == "delete" else {"name": "new", "value": "x"}}
    shortcut, general = _started(), _started()
    expected = _outcome(apply_update, general, [effect, {**effect, "scope": "other"}])  # two effects: no shortcut
    applied, error = _outcome(apply_update, shortcut, [effect])
    assert error == expected[1]
    if error is None:
        assert applied == expected[0] and applied[0] is applied[1]  # one list: SortKeys.follow takes one pass
        assert _snapshot(shortcut) == _snapshot(general)


def test_equal_items_in_one_scope_stay_distinct_objects():
    state = _started()
    pg = {"name": "same"}
    effects = [{"scope": scope, "collection": "portgroup", "ip_index": 0, "op": "insert", "index": index, "item": pg}
               for scope, index in (("live", 0), ("config", 0), ("config", 1))]
    apply_update(state, effects)
    first, second = state.config.portgroups[:2]
    assert first is not second and state.live.portgroups[0] in (first, second)


def test_an_edit_that_does_not_fit_raises_the_engines_error():
    state = _started()
    effect = {"scope": "live", "collection": "dhcp-host", "ip_index": 0, "op": "delete", "index": 7, "item": None}
    with pytest.raises(HistoryError, match="delete at 7 does not fit dhcp-host"):
        apply_update(state, [effect])
