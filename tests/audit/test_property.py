"""Properties of time travel, rollback and blame over random histories.

The histories are random sequences of lifecycle calls and updates on two
networks (tests/store/test_property.py's requests, through the real decide
functions); refused requests append nothing.
"""

from __future__ import annotations

import contextlib
import difflib
from typing import Any, Optional

from hypothesis import given, settings
from hypothesis import strategies as st

from netstore.audit import changes
from netstore.audit.blame import blame
from netstore.audit.rollback import rollback
from netstore.errors import libvirtError
from netstore.events import BOTH_SCOPES, EventType
from netstore.model import codec
from netstore.model.format import format_network
from netstore.projector.fold import apply_change
from netstore.state import NetworkState, Scope
from netstore.store import EventStore
from netstore.store.records import encode_effects
from tests.store.examples import ONE_DATABASE_PER_EXAMPLE
from tests.store.test_property import NAMES, _apply, requests

histories = st.lists(requests, min_size=1, max_size=25)


def _history(store: EventStore, sequence: list[tuple]) -> None:
    for request in sequence:
        with contextlib.suppress(libvirtError):
            _apply(store, request)


def _definitions(state: Optional[NetworkState]) -> tuple[Optional[dict], Optional[dict]]:
    if state is None:
        return None, None
    return (codec.to_dict(state.live) if state.live is not None else None,
            codec.to_dict(state.config) if state.config is not None else None)


def _xml(state: Optional[NetworkState], scope: Scope) -> Optional[str]:
    defn = state.definition(scope) if state is not None else None
    return format_network(defn, inactive=scope is Scope.CONFIG) if defn is not None else None


def _store(url: str) -> EventStore:
    return EventStore(url, snapshot_every=3)


@settings(max_examples=30, deadline=None, suppress_health_check=ONE_DATABASE_PER_EXAMPLE)
@given(histories)
def test_the_state_as_of_v_is_the_fold_of_the_events_up_to_v(new_db_url, sequence):
    with _store(new_db_url()) as store:
        _history(store, sequence)
        for name in NAMES:
            folded = NetworkState(name)
            for event in store.read_stream(name):
                apply_change(folded, event.change)
                assert _definitions(store.state_at(name, event.version)) == _definitions(folded)


@settings(max_examples=30, deadline=None, suppress_health_check=ONE_DATABASE_PER_EXAMPLE)
@given(histories, st.data())
def test_rollback_restores_the_target_and_rolling_it_back_restores_the_head(new_db_url, sequence, data):
    url = new_db_url()
    with _store(url) as store:
        _history(store, sequence)
        name = data.draw(st.sampled_from(NAMES))
        head = store.load(name)
        if head is None:
            return
        before = store.head_version(name)
        target_version = data.draw(st.integers(1, before))
        target = store.state_at(name, target_version)
        try:
            result = rollback(store, name, target_version, actor="prop")
        except libvirtError:  # the network did not exist then, or had another uuid
            assert store.head_version(name) == before
            return
        after = store.load(name)
        assert after is not None and target is not None
        assert after.active == head.active
        for scope in (Scope.LIVE, Scope.CONFIG):
            restorable = target.definition(scope) is not None and head.definition(scope) is not None
            if restorable and (scope.value in result.restored or _xml(target, scope) == _xml(head, scope)):
                assert _xml(after, scope) == _xml(target, scope)
        assert store.verify().ok
        if result.event is None:
            assert store.head_version(name) == before
            return
        assert result.event.change.effects[0]["to_version"] == target_version
        undo = rollback(store, name, before, actor="prop")
        again = store.load(name)
        for scope in (Scope.LIVE, Scope.CONFIG):
            if head.definition(scope) is not None:
                assert _xml(again, scope) == _xml(head, scope)
        assert undo.event is not None
        assert store.verify().ok
        with _store(url) as fresh:
            fresh.rebuild(use_snapshots=False)
            assert _definitions(fresh.load(name)) == _definitions(again)


@settings(max_examples=30, deadline=None, suppress_health_check=ONE_DATABASE_PER_EXAMPLE)
@given(histories)
def test_blame_names_the_event_whose_effects_added_each_item(new_db_url, sequence):
    with _store(new_db_url()) as store:
        _history(store, sequence)
        for name in NAMES:
            if store.load(name) is not None:
                for inactive in (False, True):
                    _check_blame(store, name, inactive, None)


@settings(max_examples=20, deadline=None, suppress_health_check=ONE_DATABASE_PER_EXAMPLE)
@given(histories)
def test_blame_as_of_a_version_names_the_events_as_they_stood_then(new_db_url, sequence):
    with _store(new_db_url()) as store:
        _history(store, sequence)
        for name in NAMES:
            for version in range(1, store.head_version(name) + 1):
                if store.state_at(name, version) is not None:
                    _check_blame(store, name, False, version)


def _check_blame(store: EventStore, name: str, inactive: bool, at: Optional[int]) -> None:
    """Every entry ``blame`` gives (as of version ``at``; None: now) names the event the brute-force oracle finds."""
    events = {event.version: event for event in store.read_stream(name)}
    upto = max(events) if at is None else at
    states = {v: store.state_at(name, v) for v in range(0, upto + 1)}
    for entry in blame(store, name, inactive, at):
        content = encode_effects((entry.item,))
        place = (entry.scope, entry.collection, entry.ip_index)
        expected = _introduced(states, events, place, content, upto)
        assert entry.event.version == expected, (upto, entry, expected)


def _contents(state: Optional[NetworkState], place: tuple[str, str, int]) -> list[str]:
    from netstore.model.collections import items_of

    scope, collection, ip_index = place
    defn = state.definition(Scope(scope)) if state is not None else None
    if defn is None or (collection.startswith("dhcp") and ip_index >= len(defn.ips)):
        return []
    return [encode_effects((codec.item_to_dict(collection, item),)) for item in items_of(defn, collection, ip_index)]


def _adds(event: Any, place: tuple[str, str, int], content: str) -> bool:
    """An update whose stored edits insert or replace exactly this item in this list."""
    if event.type is not EventType.UPDATE:
        return False
    scope, collection, ip_index = place
    return any(effect["scope"] in (scope, BOTH_SCOPES) and effect["collection"] == collection
               and effect["ip_index"] == ip_index and effect["op"] in ("insert", "replace")
               and effect["item"] is not None and encode_effects((effect["item"],)) == content
               for effect in event.change.effects)


def _introduced(states: dict, events: dict, place: tuple[str, str, int], content: str, upto: int) -> int:
    """The latest event (at or before ``upto``) that made ``content`` appear in the list ``place``.

    Starting a network copies the config: a live item it brought keeps the config item's event.
    """
    for version in range(upto, 0, -1):
        present = content in _contents(states[version], place)
        assert present, (place, content, version)
        if content not in _contents(states[version - 1], place) or _adds(events[version], place, content):
            event = events[version]
            config_place = (Scope.CONFIG.value, place[1], place[2])
            if (event.type is EventType.START and place[0] == Scope.LIVE.value
                    and content in _contents(states[version - 1], config_place)):
                return _introduced(states, events, config_place, content, version - 1)
            return version
    raise AssertionError("an item present since before the first event")


@settings(max_examples=25, deadline=None, suppress_health_check=ONE_DATABASE_PER_EXAMPLE)
@given(histories, st.data())
def test_each_event_diff_is_the_diff_of_the_states_around_it(new_db_url, sequence, data):
    with _store(new_db_url()) as store:
        _history(store, sequence)
        for name in NAMES:
            events = list(store.read_stream(name))
            picked = [e for e in events if data.draw(st.booleans())]
            jump = data.draw(st.integers(0, 3))
            original, changes.JUMP = changes.JUMP, jump
            try:
                diffs = changes.event_diffs(store, name, picked)
            finally:
                changes.JUMP = original
            for event in picked:
                before, after = store.state_at(name, event.version - 1), store.state_at(name, event.version)
                for scope, text in ((Scope.LIVE, diffs[event.version].live), (Scope.CONFIG, diffs[event.version].config)):
                    old, new = _xml(before, scope) or "", _xml(after, scope) or ""
                    assert (text == "") == (old == new)
                    added = [line[1:] for line in text.splitlines()[2:] if line.startswith("+")]
                    assert added == _added(old, new)


def _added(old: str, new: str) -> list[str]:
    return [line[1:] for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="")
            if line.startswith("+") and not line.startswith("+++")]
