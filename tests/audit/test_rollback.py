"""Rollback: one compensating event through the append path; refusals append nothing."""

from __future__ import annotations

import pytest

from netstore.audit.rollback import rollback
from netstore.audit.timetravel import xml_as_of
from netstore.constants import UpdateFlags
from netstore.errors import libvirtError
from netstore.events import EventType
from netstore.model.format import format_network
from netstore.store import EventStore
from tests.store import support


def _xml(store: EventStore, name: str, inactive: bool = False) -> str:
    state = store.load(name)
    return format_network(state.current(inactive), inactive=inactive)


def test_rollback_appends_one_event_and_replays(store):
    support.running(store, "n")
    for n in range(3):
        support.add_host(store, "n", n)
    support.add_host(store, "n", 9, int(UpdateFlags.AFFECT_CONFIG))
    result = rollback(store, "n", 3, actor="ops", reason="bad hosts")
    assert result.restored == ("live", "config") and result.not_restored == ()
    event = result.event
    assert (event.type, event.version, event.actor, event.reason) == (EventType.ROLLBACK, 7, "ops", "bad hosts")
    assert [effect["to_version"] for effect in event.change.effects] == [3, 3]
    assert _xml(store, "n") == xml_as_of(store, "n", 3)
    assert _xml(store, "n", True) == xml_as_of(store, "n", 3, True)
    assert store.verify().ok
    store.rebuild(use_snapshots=False)
    assert _xml(store, "n") == xml_as_of(store, "n", 3) and store.verify().ok


def test_rollback_to_the_present_appends_nothing(store):
    support.running(store, "n")
    support.add_host(store, "n", 1)
    result = rollback(store, "n", 3)
    assert result.event is None and result.restored == () and result.diff == ""
    assert store.head_version("n") == 3


def test_dry_run_reports_the_diff_and_appends_nothing(store):
    support.running(store, "n")
    support.add_host(store, "n", 1)
    result = rollback(store, "n", 2, dry_run=True)
    assert result.event is None and result.restored == ("live", "config")
    assert "-      <host mac='52:54:01:00:00:01' name='h1' ip='10.1.0.1'/>" in result.diff.splitlines()
    assert store.head_version("n") == 3


def test_live_state_of_a_stopped_network_is_not_restored_and_said(store):
    support.running(store, "n")
    support.add_host(store, "n", 1)
    support.destroy(store, "n")
    result = rollback(store, "n", 2)
    assert result.restored == ("config",)
    assert result.not_restored == ("live state not restored: the network is not running now (it was at version 2)",)
    assert store.load("n").live is None


def test_a_transient_network_is_not_undefined(store):
    support.create(store, "t")
    support.define(store, "t")
    result = rollback(store, "t", 1)
    assert result.restored == () and result.event is None
    assert result.not_restored[0].startswith("persistent config not restored: the network was transient at version 1")
    assert store.load("t").persistent


def test_a_transient_network_is_not_defined(store):
    support.define(store, "t")
    support.start(store, "t")
    support.undefine(store, "t")
    result = rollback(store, "t", 1)
    assert result.restored == () and result.event is None
    assert result.not_restored == (
        "live state not restored: the network was not running at version 1 (a rollback does not stop it)",
        "persistent config not restored: the network is transient now (it was persistent at version 1; "
        "a rollback does not define it)")
    assert not store.load("t").persistent


@pytest.mark.parametrize("target", [0, 99, "yesterday"])
def test_targets_that_name_no_state_are_refused(store, target):
    support.define(store, "n")
    with pytest.raises(libvirtError):
        rollback(store, "n", target)
    assert store.head_version("n") == 1


def test_a_network_defined_anew_is_not_rolled_back_to_its_predecessor(store):
    support.define(store, "n")
    support.undefine(store, "n")
    _define(store, support.network_xml("n", "6b1a7e1c-0d5e-4c8e-9d3a-2f1e0d9c8b7a"))
    with pytest.raises(libvirtError, match="had uuid .* at version 1, not its current uuid"):
        rollback(store, "n", 1)
    assert store.head_version("n") == 3


def test_a_bridge_taken_since_is_refused(store):
    support.define(store, "n")
    taken = store.load("n").config.bridge.name
    _define(store, _with_bridge("n", "nsa-moved"))
    _define(store, _with_bridge("o", taken))
    with pytest.raises(libvirtError, match=f"bridge name '{taken}' already in use"):
        rollback(store, "n", 1)
    assert store.head_version("n") == 2


def _define(store: EventStore, xml: str) -> None:
    request = support.parse_request(xml)
    store.append(request.name, support.lifecycle.define(request, support.HOST))


def _with_bridge(name: str, bridge: str) -> str:
    xml = support.network_xml(name)
    current = xml.split("<bridge name='")[1].split("'")[0]
    return xml.replace(f"<bridge name='{current}'/>", f"<bridge name='{bridge}'/>")


def test_a_repeated_idempotency_key_returns_the_original_rollback(store):
    support.running(store, "n")
    support.add_host(store, "n", 1)
    first = rollback(store, "n", 2, idempotency_key="undo-1")
    support.add_host(store, "n", 2)
    again = rollback(store, "n", 2, idempotency_key="undo-1")
    assert again.event == first.event and again.restored == first.restored and again.target_version == 2
    assert store.head_version("n") == 5
