"""Sort keys: deterministic, ordered, and as few rows as possible per change."""

from __future__ import annotations

from netstore.model.address import parse_address
from netstore.model.types import DHCPHost, IPDef, NetworkDef
from netstore.state import ItemDelta, ItemOp, NetworkState, Scope, ScopeDelta
from netstore.store.keys import SortKeys

HOSTS = ("live", "dhcp-host", 0)


def _state(hosts: int) -> NetworkState:
    ip = IPDef(address=parse_address("10.0.0.1"), prefix=8, hosts=[DHCPHost(name=f"h{i}") for i in range(hosts)])
    return NetworkState("n", live=NetworkDef(name="n", uuid="0" * 8 + "-0000-0000-0000-" + "0" * 12, ips=[ip]))


def _insert(index: int) -> ItemDelta:
    return ItemDelta(Scope.LIVE, "dhcp-host", 0, ItemOp.INSERT, index)


def test_scope_delta_numbers_every_list():
    keys = SortKeys()
    plan = keys.apply([ScopeDelta(Scope.LIVE)], _state(3))
    assert plan.scopes == {"live"} and not plan.items
    assert keys.lists[HOSTS] == [0, 1, 2]
    assert keys.lists[("live", "portgroup", 0)] == []


def test_ends_extend_the_keys():
    state = _state(3)
    keys = SortKeys()
    keys.apply([ScopeDelta(Scope.LIVE)], state)
    plan = keys.apply([_insert(3), _insert(0)], state)
    assert keys.lists[HOSTS] == [-1, 0, 1, 2, 3]
    assert plan.items == {(HOSTS, 3): False, (HOSTS, -1): False}


def test_middle_insert_uses_a_gap_or_renumbers():
    state = _state(4)
    keys = SortKeys({HOSTS: [0, 10, 11]})
    keys.apply([_insert(1)], state)
    assert keys.lists[HOSTS] == [0, 5, 10, 11]
    plan = keys.apply([_insert(3)], state)
    assert plan.lists == {HOSTS} and not plan.items
    assert keys.lists[HOSTS] == [0, 1, 2, 3]


def test_delete_and_replace_name_existing_rows():
    state = _state(2)
    keys = SortKeys({HOSTS: [4, 7, 9]})
    plan = keys.apply([ItemDelta(Scope.LIVE, "dhcp-host", 0, ItemOp.REPLACE, 2),
                       ItemDelta(Scope.LIVE, "dhcp-host", 0, ItemOp.DELETE, 0)], state)
    assert plan.items == {(HOSTS, 9): True, (HOSTS, 4): True}
    assert keys.index_of(HOSTS, 9) == 1 and keys.index_of(HOSTS, 4) is None


def test_a_key_deleted_and_reused_in_one_change_is_an_update():
    state = _state(2)
    keys = SortKeys({HOSTS: [0, 1]})
    plan = keys.apply([ItemDelta(Scope.LIVE, "dhcp-host", 0, ItemOp.DELETE, 1), _insert(1)], state)
    assert plan.items == {(HOSTS, 1): True}
    assert keys.lists[HOSTS] == [0, 1]


def test_base_collections_rewrite_the_base_row():
    plan = SortKeys().apply([ItemDelta(Scope.CONFIG, "bootp", 0, ItemOp.DELETE, 0)], _state(0))
    assert plan.bases == {"config"} and not plan.items
