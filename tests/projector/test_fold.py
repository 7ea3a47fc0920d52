"""The fold: the bridge driver's def/newDef lifecycle as live/config, and stored update edits."""

from __future__ import annotations

import pytest

from netstore.engine import EditStep
from netstore.errors import HistoryError
from netstore.events import Change, EventType
from netstore.lifecycle.update import effect_dict
from netstore.model.address import parse_address_or_raise
from netstore.model.codec import to_dict
from netstore.model.types import DHCPHost, NetworkDef, PortGroup
from netstore.model.values import parse_mac
from netstore.projector.fold import apply_change, fold_changes
from netstore.state import FlagsDelta, ItemDelta, ItemOp, NetworkState, Scope, ScopeDelta

UUID = "6d1c2b33-5b2d-4a47-9a0f-3c5a1e0b7a11"


def xml(body: str = "", name: str = "n") -> str:
    return (f"<network><name>{name}</name><uuid>{UUID}</uuid><forward mode='bridge'/><bridge name='lo'/>"
            f"{body}</network>")


def nat_xml(body: str = "") -> str:
    return (f"<network><name>n</name><uuid>{UUID}</uuid><bridge name='virbr5'/><mac address='52:54:00:01:02:03'/>"
            f"<ip address='10.0.0.1' prefix='24'><dhcp><range start='10.0.0.2' end='10.0.0.9'/>{body}</dhcp></ip>"
            "</network>")


def change(kind: EventType, **fields: object) -> Change:
    return Change(kind, "n", **fields)  # type: ignore[arg-type]


def defined(body: str = "") -> NetworkState:
    state = NetworkState("n")
    apply_change(state, change(EventType.DEFINE, xml=xml(body)))
    return state


def same(a: NetworkDef | None, b: NetworkDef | None) -> bool:
    assert a is not None and b is not None
    return to_dict(a) == to_dict(b)


def test_define_new_sets_the_config_only() -> None:
    state = NetworkState("n")
    deltas = apply_change(state, change(EventType.DEFINE, xml=xml()))
    assert deltas == [ScopeDelta(Scope.CONFIG)]
    assert state.live is None and state.config is not None
    assert (state.exists, state.active, state.persistent, state.version) == (True, False, True, 1)


def test_define_over_an_active_network_only_sets_the_pending_config() -> None:
    state = defined()
    apply_change(state, change(EventType.START))
    live = state.live
    apply_change(state, change(EventType.DEFINE, xml=xml("<portgroup name='new'/>")))
    assert state.live is live and not state.live.portgroups
    assert [pg.name for pg in state.config.portgroups] == ["new"]


def test_create_new_is_transient_and_running() -> None:
    state = NetworkState("n")
    assert apply_change(state, change(EventType.CREATE, xml=xml())) == [ScopeDelta(Scope.LIVE)]
    assert (state.active, state.persistent) == (True, False)


def test_create_over_an_inactive_persistent_network_keeps_its_config() -> None:
    state = defined("<portgroup name='cfg'/>")
    apply_change(state, change(EventType.CREATE, xml=xml("<portgroup name='live'/>")))
    assert [pg.name for pg in state.live.portgroups] == ["live"]
    assert [pg.name for pg in state.config.portgroups] == ["cfg"]


def test_start_copies_the_config_into_an_independent_live_definition() -> None:
    state = defined("<portgroup name='a'/>")
    assert apply_change(state, change(EventType.START)) == [ScopeDelta(Scope.LIVE)]
    assert same(state.live, state.config)
    assert state.live is not state.config
    assert state.live.portgroups[0] is not state.config.portgroups[0]


def test_destroy_restores_the_pending_config() -> None:
    state = defined()
    apply_change(state, change(EventType.START))
    apply_change(state, change(EventType.DEFINE, xml=xml("<portgroup name='pending'/>")))
    assert apply_change(state, change(EventType.DESTROY)) == [ScopeDelta(Scope.LIVE)]
    assert (state.active, state.persistent) == (False, True)
    assert [pg.name for pg in state.current().portgroups] == ["pending"]


def test_destroying_a_transient_network_removes_it() -> None:
    state = NetworkState("n")
    apply_change(state, change(EventType.CREATE, xml=xml()))
    apply_change(state, change(EventType.DESTROY))
    assert not state.exists and state.version == 2


def test_undefine_inactive_removes_and_clears_autostart() -> None:
    state = defined()
    apply_change(state, change(EventType.AUTOSTART, autostart=True))
    assert apply_change(state, change(EventType.UNDEFINE)) == [ScopeDelta(Scope.CONFIG), FlagsDelta()]
    assert not state.exists and not state.autostart


def test_undefine_active_makes_it_transient() -> None:
    state = defined()
    apply_change(state, change(EventType.START))
    assert apply_change(state, change(EventType.UNDEFINE)) == [ScopeDelta(Scope.CONFIG)]
    assert (state.active, state.persistent) == (True, False)


def test_autostart_sets_the_flag() -> None:
    state = defined()
    assert apply_change(state, change(EventType.AUTOSTART, autostart=True)) == [FlagsDelta()]
    assert state.autostart
    apply_change(state, change(EventType.AUTOSTART, autostart=False))
    assert not state.autostart


def _host(mac: str, ip: str) -> DHCPHost:
    return DHCPHost(mac=mac, ip=parse_address_or_raise(ip), mac_key=parse_mac(mac))


def test_update_applies_the_stored_edits_to_each_scope() -> None:
    state = NetworkState("n")
    apply_change(state, change(EventType.DEFINE, xml=nat_xml()))
    apply_change(state, change(EventType.START))
    effects = (
        effect_dict(Scope.LIVE, EditStep("dhcp-host", 0, ItemOp.INSERT, 0, _host("00:11:22:33:44:55", "10.0.0.5"))),
        effect_dict(Scope.CONFIG, EditStep("dhcp-host", 0, ItemOp.INSERT, 0, _host("00:11:22:33:44:66", "10.0.0.6"))),
        effect_dict(Scope.CONFIG, EditStep("portgroup", 0, ItemOp.INSERT, 0, PortGroup("pg"))),
    )
    deltas = apply_change(state, change(EventType.UPDATE, command=3, section=4, parent_index=-1, xml="<host/>",
                                        flags=3, affects_live=True, affects_config=True, effects=effects))
    assert deltas == [
        ItemDelta(Scope.LIVE, "dhcp-host", 0, ItemOp.INSERT, 0),
        ItemDelta(Scope.CONFIG, "dhcp-host", 0, ItemOp.INSERT, 0),
        ItemDelta(Scope.CONFIG, "portgroup", 0, ItemOp.INSERT, 0),
    ]
    assert [h.mac for h in state.live.ips[0].hosts] == ["00:11:22:33:44:55"]
    assert [h.mac for h in state.config.ips[0].hosts] == ["00:11:22:33:44:66"]
    assert [pg.name for pg in state.config.portgroups] == ["pg"] and not state.live.portgroups
    assert state.live.ips[0].hosts[0].mac_key == bytes.fromhex("001122334455")


def test_update_replace_and_delete_follow_earlier_steps() -> None:
    state = NetworkState("n")
    apply_change(state, change(EventType.DEFINE, xml=nat_xml("<host mac='00:00:00:00:00:01' ip='10.0.0.3'/>"
                                                            "<host mac='00:00:00:00:00:02' ip='10.0.0.4'/>")))
    effects = (
        effect_dict(Scope.CONFIG, EditStep("dhcp-host", 0, ItemOp.DELETE, 0, None)),
        effect_dict(Scope.CONFIG, EditStep("dhcp-host", 0, ItemOp.REPLACE, 0, _host("00:00:00:00:00:09", "10.0.0.8"))),
    )
    apply_change(state, change(EventType.UPDATE, command=2, section=4, parent_index=0, xml="<host/>", flags=2,
                               affects_config=True, effects=effects))
    assert [h.mac for h in state.config.ips[0].hosts] == ["00:00:00:00:00:09"]


def test_the_fold_is_deterministic() -> None:
    changes = [
        change(EventType.DEFINE, xml=nat_xml()),
        change(EventType.START),
        change(EventType.UPDATE, command=3, section=9, parent_index=-1, xml="<portgroup name='x'/>", flags=1,
               affects_live=True, effects=(effect_dict(Scope.LIVE, EditStep("portgroup", 0, ItemOp.INSERT, 0,
                                                                            PortGroup("x"))),)),
        change(EventType.AUTOSTART, autostart=True),
    ]
    first, second = fold_changes(NetworkState("n"), changes), fold_changes(NetworkState("n"), changes)
    assert same(first.live, second.live) and same(first.config, second.config)
    assert (first.version, first.autostart) == (second.version, second.autostart) == (4, True)


def test_a_change_that_does_not_fit_the_state_is_refused() -> None:
    with pytest.raises(HistoryError):
        apply_change(NetworkState("n"), change(EventType.START))
    with pytest.raises(HistoryError):
        apply_change(defined(), change(EventType.DESTROY))


def test_start_applies_the_stored_losses_of_the_persistent_copy() -> None:
    state = NetworkState("n")
    apply_change(state, change(EventType.DEFINE, xml=xml("<portgroup name='a'/><portgroup name='b'/>")))
    effects = (effect_dict(Scope.CONFIG, EditStep("portgroup", 0, ItemOp.DELETE, 1, None)),)
    deltas = apply_change(state, change(EventType.START, effects=effects))
    assert deltas == [ScopeDelta(Scope.LIVE), ItemDelta(Scope.CONFIG, "portgroup", 0, ItemOp.DELETE, 1)]
    assert [pg.name for pg in state.live.portgroups] == ["a", "b"]
    assert [pg.name for pg in state.config.portgroups] == ["a"]
