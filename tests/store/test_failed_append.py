"""An append that fails part-way leaves the store's own reads equal to a fresh store's.

The append folds the change into the cached state in place before it inserts
the event and writes the projection rows; whichever of the three fails, the
transaction is rolled back and ``load()`` in the same process must not show
anything of the change.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, Optional

import pytest

from netstore.constants import Command, Section
from netstore.decision import Decide, StoreView
from netstore.errors import HistoryError, WriteRefusedError
from netstore.events import Change
from netstore.lifecycle import decide as lifecycle
from netstore.model import codec
from netstore.state import NetworkState
from netstore.store import EventStore, projection
from tests.store import support

NAME = "n1"
HOSTS = 3
BAD_DELETE = {"scope": "live", "collection": "dhcp-host", "ip_index": 0, "op": "delete", "index": 99, "item": None}


def _host_update(store: EventStore, edit: Callable[[Change], Change]) -> Decide:
    """A real ADD_LAST of a DHCP host (live and config), its Change passed through ``edit``."""
    real = lifecycle.update(support.ref(store, NAME), Command.ADD_LAST, Section.IP_DHCP_HOST, -1,
                            support.host_xml(HOSTS), support.LIVE_CONFIG)

    def decide(state: NetworkState, view: StoreView) -> Change:
        return edit(real(state, view))

    return decide


def _snapshot(state: Optional[NetworkState]) -> Any:
    if state is None:
        return None
    return (state.version, state.autostart,
            *(codec.to_dict(defn) if defn is not None else None for defn in (state.live, state.config)))


@pytest.fixture
def busy(store: EventStore) -> EventStore:
    """A running network with a few hosts, its state cached by ``store``."""
    support.running(store, NAME)
    for number in range(HOSTS):
        support.add_host(store, NAME, number)
    store.load(NAME)
    return store


def _assert_untouched(store: EventStore, before: Any, head: int) -> None:
    with EventStore(store.url) as fresh:
        assert _snapshot(store.load(NAME)) == _snapshot(fresh.load(NAME)) == before
    assert store.head_position() == head and store.verify().ok
    support.add_host(store, NAME, HOSTS + 1)  # and the next append starts from the stored state
    with EventStore(store.url) as fresh:
        assert _snapshot(store.load(NAME)) == _snapshot(fresh.load(NAME))


def test_fold_fails_after_a_first_edit(busy: EventStore) -> None:
    before, head = _snapshot(busy.load(NAME)), busy.head_position()
    decide = _host_update(busy, lambda change: dataclasses.replace(change, effects=(*change.effects, BAD_DELETE)))
    with pytest.raises(HistoryError):
        busy.append(NAME, decide)
    _assert_untouched(busy, before, head)


def test_insert_refused_after_the_fold(busy: EventStore) -> None:
    before, head = _snapshot(busy.load(NAME)), busy.head_position()
    decide = _host_update(busy, lambda change: dataclasses.replace(change, command=7))  # the CHECK refuses it
    with pytest.raises(WriteRefusedError):
        busy.append(NAME, decide)
    _assert_untouched(busy, before, head)


def test_projection_write_fails_after_writing(busy: EventStore, monkeypatch: pytest.MonkeyPatch) -> None:
    before, head = _snapshot(busy.load(NAME)), busy.head_position()
    write_plan = projection.write_plan

    def write_then_fail(*args: Any) -> None:
        write_plan(*args)
        raise WriteRefusedError("the projection write failed after its rows")

    monkeypatch.setattr(projection, "write_plan", write_then_fail)
    with pytest.raises(WriteRefusedError):
        busy.append(NAME, _host_update(busy, lambda change: change))
    monkeypatch.undo()
    _assert_untouched(busy, before, head)
