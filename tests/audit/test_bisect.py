"""Bisect: the first event after which an XPath predicate holds, in O(log n) state reads."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netstore.audit import bisect as bisecting
from netstore.audit.export import export_jsonl
from netstore.errors import VIR_ERR_INVALID_ARG, libvirtError
from netstore.model import codec
from netstore.state import NetworkState
from netstore.store import EventStore
from tests.store import support
from tests.store.examples import ONE_DATABASE_PER_EXAMPLE

# A history of one running network: True adds the next host, False deletes the oldest present one.
steps = st.lists(st.booleans(), min_size=1, max_size=40)


def _history(store: EventStore, plan: list[bool]) -> None:
    support.running(store, "n")
    present: list[int] = []
    for number, add in enumerate(plan):
        if add or not present:
            support.add_host(store, "n", number)
            present.append(number)
        else:
            support.update(store, "n", support.Command.DELETE, support.Section.IP_DHCP_HOST,
                           support.host_xml(present.pop(0)))


def _comparable(state: NetworkState | None) -> tuple | None:
    if state is None:
        return None
    definitions = [codec.to_dict(d) if d is not None else None for d in (state.live, state.config)]
    return state.version, state.autostart, *definitions


def _linear(history: bisecting.History, predicate: bisecting.XPathPredicate) -> list[bool]:
    return [predicate.holds(history.state_at(version)) for version in range(history.head + 1)]


@settings(max_examples=25, deadline=None, suppress_health_check=ONE_DATABASE_PER_EXAMPLE)
@given(plan=steps, threshold=st.integers(min_value=1, max_value=6))
def test_bisect_finds_a_transition_with_log_n_reads(tmp_path_factory, new_db_url, plan, threshold):
    folder = tmp_path_factory.mktemp("bisect")
    with EventStore(new_db_url(), snapshot_every=5) as store:
        _history(store, plan)
        history = bisecting.StoreHistory(store, "n")
        predicate = bisecting.XPathPredicate(f"count(//host) >= {threshold}")
        holds = _linear(history, predicate)
        result = bisecting.bisect(history, predicate)
        path = folder / "n.jsonl"
        with path.open("wb") as out:
            export_jsonl(store, out, "n")
    if not holds[-1]:
        assert result.version is None
    else:
        assert result.version is not None
        assert holds[result.version] and not holds[result.version - 1]
        if holds.count(True) == len(holds) - holds.index(True):  # the predicate never flips back
            assert result.version == holds.index(True)
    assert len(result.tried) <= math.ceil(math.log2(history.head)) + 1
    assert bisecting.bisect(bisecting.FileHistory(path, "n"), predicate).version == result.version


def test_file_history_states_equal_the_store_states_across_checkpoints(db_url, tmp_path, monkeypatch):
    monkeypatch.setattr(bisecting, "CHECKPOINT_EVERY", 3)
    with EventStore(db_url, snapshot_every=4) as store:
        _history(store, [True, True, False, True, True, True, False, True, True])
        path = tmp_path / "all.jsonl"
        with path.open("wb") as out:
            export_jsonl(store, out)
        in_store = bisecting.StoreHistory(store, "n")
        in_file = bisecting.FileHistory(path, "n")
        assert in_file.head == in_store.head == 11 and sorted(in_file.checkpoints) == [3, 6, 9]
        for version in range(in_store.head + 1):
            assert _comparable(in_file.state_at(version)) == _comparable(in_store.state_at(version)), version
            if version:
                assert in_file.event_at(version) == in_store.event_at(version)


def test_inactive_evaluates_the_persistent_definition(db_url):
    with EventStore(db_url) as store:
        support.running(store, "n")
        support.add_host(store, "n", 7, flags=1)  # live only
        support.add_host(store, "n", 8, flags=2)  # persistent only
        history = bisecting.StoreHistory(store, "n")
        live = bisecting.XPathPredicate("//host[@name='h7']")
        persistent = bisecting.XPathPredicate("//host[@name='h8']", inactive=True)
        assert bisecting.bisect(history, live).version == 3
        assert bisecting.bisect(history, persistent).version == 4
        assert bisecting.bisect(history, bisecting.XPathPredicate("//host[@name='h8']")).version is None
        assert "+      <host mac='52:54:01:00:00:08'" in bisecting.change_at(history, 4, inactive=True)


@pytest.mark.parametrize("expression, state, holds", [
    ("0 div 0", NetworkState("n"), False),
    ("string(/network/name)", None, False),
])
def test_xpath_results_count_as_boolean_does(expression, state, holds):
    assert bisecting.XPathPredicate(expression).holds(state) is holds


def test_xpath_numbers_strings_and_node_sets(db_url):
    with EventStore(db_url) as store:
        support.running(store, "n")
        state = store.load("n")
    assert bisecting.XPathPredicate("string(/network/name)").holds(state)
    assert not bisecting.XPathPredicate("0 div 0").holds(state)
    assert not bisecting.XPathPredicate("//host").holds(state)
    assert bisecting.XPathPredicate("count(//range)").holds(state)


@pytest.mark.parametrize("expression", ["count(//host[", "unknown-function(1)"])
def test_bad_xpath_is_an_invalid_argument(db_url, expression):
    with pytest.raises(libvirtError) as raised:
        predicate = bisecting.XPathPredicate(expression)
        with EventStore(db_url) as store:
            support.running(store, "n")
            predicate.holds(store.load("n"))
    assert raised.value.get_error_code() == VIR_ERR_INVALID_ARG


def test_missing_file_history_line_is_refused(tmp_path):
    path = Path(tmp_path / "x.jsonl")
    path.write_text("[]\n")
    with pytest.raises(Exception, match="not an event record"):
        bisecting.FileHistory(path, "n")
