"""The decide functions: libvirt's errors in libvirt's order, and the changes they produce."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from netstore.constants import Command, Section
from netstore.errors import (
    VIR_ERR_INVALID_ARG,
    VIR_ERR_NO_NETWORK,
    VIR_ERR_OPERATION_FAILED,
    VIR_ERR_OPERATION_INVALID,
    VIR_ERR_XML_ERROR,
    VIR_FROM_NETWORK,
    libvirtError,
)
from netstore.events import Change, EventType
from netstore.lifecycle import decide
from netstore.lifecycle.decide import NetworkRef
from netstore.lifecycle.request import parse_request
from netstore.model.codec import to_dict
from netstore.model.parse_network import parse_network_xml
from netstore.projector.fold import apply_change
from netstore.state import NetworkState
from tests.fakes import FakeHost, FakeView

UUID = "0f3b8d4e-7a61-4c2e-9d55-2b8a1c6e4f10"
OTHER_UUID = "a1b2c3d4-0000-4000-8000-000000000001"
BRIDGED = "<forward mode='bridge'/><bridge name='lo'/>"
NAT = "<bridge name='virbr7'/><mac address='52:54:00:00:00:07'/><ip address='10.7.0.1' prefix='24'><dhcp>" \
      "<range start='10.7.0.2' end='10.7.0.9'/></dhcp></ip>"
HOST = "<host mac='00:11:22:33:44:55' ip='10.7.0.5'/>"


def xml(body: str = BRIDGED, name: str = "n", uuid: str | None = UUID) -> str:
    uuid_element = f"<uuid>{uuid}</uuid>" if uuid else ""
    return f"<network><name>{name}</name>{uuid_element}{body}</network>"


def run(factory: Callable[..., decide.Decide], arg: object, state: NetworkState | None,
        view: FakeView | None = None) -> Change:
    return factory(arg)(state, view or FakeView())


def define_change(body: str = BRIDGED, state: NetworkState | None = None, view: FakeView | None = None,
                  **kw: str | None) -> Change:
    request = parse_request(xml(body, **kw))
    return decide.define(request, FakeHost())(state, view or FakeView())


def create_change(body: str = BRIDGED, state: NetworkState | None = None, view: FakeView | None = None,
                  **kw: str | None) -> Change:
    request = parse_request(xml(body, **kw))
    return decide.create(request, FakeHost())(state, view or FakeView())


def folded(*changes: Change, state: NetworkState | None = None) -> NetworkState:
    state = state or NetworkState("n")
    for change in changes:
        apply_change(state, change)
    return state


def inactive(body: str = BRIDGED) -> NetworkState:
    return folded(define_change(body))


def active(body: str = BRIDGED) -> NetworkState:
    state = inactive(body)
    return folded(decide.start(REF)(state, FakeView()), state=state)


def transient(body: str = BRIDGED) -> NetworkState:
    return folded(create_change(body))


REF = NetworkRef("n", UUID)


def refused(call: Callable[..., object], *args: object, **kwargs: object) -> tuple[int, int, str]:
    with pytest.raises(libvirtError) as caught:
        call(*args, **kwargs)
    err = caught.value
    return err.get_error_code(), err.get_error_domain(), err.get_error_message()


def update_change(state: NetworkState, flags: int, command: int = Command.ADD_LAST,
                  section: int = Section.IP_DHCP_HOST, payload: str = HOST) -> Change:
    return decide.update(REF, command, section, -1, payload, flags)(state, FakeView())


# ------------------------------------------------------------------ define / create


def test_define_records_the_canonical_inactive_xml_with_generated_values() -> None:
    change = define_change("<ip address='10.0.0.1' prefix='24'/>", uuid=None)
    assert change.type is EventType.DEFINE and change.network == "n"
    defn = parse_network_xml(change.xml or "")
    assert defn.bridge.name == "virbr0" and defn.mac is not None and defn.mac.startswith("52:54:00:")
    assert change.xml == (
        f"<network>\n  <name>n</name>\n  <uuid>{defn.uuid}</uuid>\n  <bridge name='virbr0' stp='on' delay='0'/>\n"
        f"  <mac address='{defn.mac}'/>\n  <ip address='10.0.0.1' prefix='24'>\n  </ip>\n</network>\n"
    )


def test_a_definition_libvirt_cannot_reformat_is_recorded_as_given() -> None:
    body = "<bridge delay='18446744073709551615'/><ip address='10.0.0.1' prefix='24'/>"
    change = define_change(body)
    assert "18446744073709551615" in (change.xml or "")
    defn = parse_network_xml(change.xml or "")
    assert (defn.bridge.delay, defn.bridge.name, defn.uuid) == (2**64 - 1, "virbr0", UUID)


def test_a_value_lost_by_reformatting_survives_in_the_event() -> None:
    body = "<ip address='10.0.0.1' prefix='24'><dhcp><bootp file='pxe.0'/></dhcp></ip>"
    state = folded(define_change(body))
    assert state.config is not None and state.config.ips[0].bootp is not None
    assert state.config.ips[0].bootp.file == "pxe.0"


def test_redefine_needs_the_same_uuid() -> None:
    state = inactive()
    assert refused(lambda: define_change(state=state, uuid=OTHER_UUID)) == (
        VIR_ERR_OPERATION_FAILED, VIR_FROM_NETWORK, f"operation failed: network 'n' already exists with uuid {UUID}")
    assert refused(lambda: define_change(state=state, uuid=None))[2].endswith(f"already exists with uuid {UUID}")
    assert define_change(state=state).type is EventType.DEFINE


def test_a_uuid_belongs_to_one_name() -> None:
    view = FakeView({"other": inactive()})
    assert refused(lambda: define_change(view=view, name="n2")) == (
        VIR_ERR_OPERATION_FAILED, VIR_FROM_NETWORK,
        f"operation failed: network 'other' is already defined with uuid {UUID}")


def test_driver_validation_comes_before_the_conflict_checks() -> None:
    state = inactive()
    code, _, message = refused(lambda: define_change(BRIDGED + "<mac address='52:54:00:00:00:01'/>", state=state,
                                                     uuid=OTHER_UUID))
    assert message.startswith("unsupported configuration: Unsupported <mac> element")


def test_injection_safety_refuses_after_driver_validation() -> None:
    code, domain, _ = refused(lambda: define_change(
        "<ip address='10.0.0.1' prefix='24'><dhcp><host mac='00:11:22:33:44:55' name='a,b' ip='10.0.0.5'/>"
        "</dhcp></ip>"))
    assert (code, domain) == (VIR_ERR_XML_ERROR, VIR_FROM_NETWORK)


def test_define_over_an_active_network_is_a_define() -> None:
    state = active()
    change = define_change(BRIDGED + "<portgroup name='next'/>", state=state)
    folded(change, state=state)
    assert not state.live.portgroups and [pg.name for pg in state.config.portgroups] == ["next"]


def test_create_refuses_an_active_network() -> None:
    for state in (active(), transient()):
        assert refused(create_change, state=state) == (
            VIR_ERR_OPERATION_INVALID, VIR_FROM_NETWORK,
            "Requested operation is not valid: network is already active as 'n'")


def test_create_over_an_inactive_persistent_network() -> None:
    state = inactive(BRIDGED + "<portgroup name='cfg'/>")
    folded(create_change(BRIDGED + "<portgroup name='live'/>", state=state), state=state)
    assert [pg.name for pg in state.live.portgroups] == ["live"]
    assert [pg.name for pg in state.config.portgroups] == ["cfg"]


def test_create_checks_the_name_and_uuid_like_define() -> None:
    assert refused(lambda: create_change(state=inactive(), uuid=OTHER_UUID))[0] == VIR_ERR_OPERATION_FAILED


# ------------------------------------------------------- start / destroy / undefine


def test_a_stale_handle_is_not_found_by_uuid_and_name() -> None:
    expected = (VIR_ERR_NO_NETWORK, VIR_FROM_NETWORK,
                f"Network not found: no network with matching uuid '{UUID}' (n)")
    for factory in (decide.start, decide.destroy, decide.undefine):
        assert refused(run, factory, REF, None) == expected
        assert refused(run, factory, REF, NetworkState("n")) == expected
    other = folded(define_change(uuid=OTHER_UUID))
    assert refused(lambda: run(decide.start, REF, other)) == expected


def test_start_refuses_an_active_network() -> None:
    assert refused(lambda: run(decide.start, REF, active())) == (
        VIR_ERR_OPERATION_INVALID, VIR_FROM_NETWORK, "Requested operation is not valid: network is already active")


def test_start_records_what_the_persistent_copy_loses() -> None:
    state = inactive("<forward mode='passthrough'><pf dev='eth0'/></forward>")
    iface = parse_network_xml(xml("<forward mode='passthrough'><interface dev='eth1'/></forward>")).forward.ifaces[0]
    state.config.forward.ifaces.append(iface)
    change = decide.start(REF)(state, FakeView())
    assert [(e["scope"], e["collection"], e["op"]) for e in change.effects] == [
        ("config", "forward-interface", "delete")]
    folded(change, state=state)
    assert [i.dev for i in state.live.forward.ifaces] == ["eth1"] and state.live.forward.pfs == ["eth0"]
    assert state.config.forward.ifaces == [] and state.config.forward.pfs == ["eth0"]


def test_start_fails_where_libvirts_copy_fails() -> None:
    state = inactive("<bridge delay='18446744073709551615'/><ip address='10.0.0.1' prefix='24'/>")
    assert refused(lambda: run(decide.start, REF, state)) == (
        VIR_ERR_XML_ERROR, VIR_FROM_NETWORK, "XML error: Invalid delay value in network 'n'")


def test_destroy_refuses_an_inactive_network() -> None:
    assert refused(lambda: run(decide.destroy, REF, inactive())) == (
        VIR_ERR_OPERATION_INVALID, VIR_FROM_NETWORK, "Requested operation is not valid: network 'n' is not active")


def test_undefine_refuses_a_transient_network() -> None:
    assert refused(run, decide.undefine, REF, transient()) == (
        VIR_ERR_OPERATION_INVALID, VIR_FROM_NETWORK,
        "Requested operation is not valid: can't undefine transient network")


def test_autostart_refuses_a_transient_network() -> None:
    for value in (0, 1):
        assert refused(decide.set_autostart(REF, value), transient(), FakeView()) == (
            VIR_ERR_OPERATION_INVALID, VIR_FROM_NETWORK,
            "Requested operation is not valid: cannot set autostart for transient network")
    assert decide.set_autostart(REF, 5)(inactive(), FakeView()).autostart is True


def test_lifecycle_changes() -> None:
    state = inactive()
    assert run(decide.start, REF, state).type is EventType.START
    assert run(decide.undefine, REF, state).type is EventType.UNDEFINE
    assert run(decide.destroy, REF, active()).type is EventType.DESTROY


# --------------------------------------------------------------------------- update


def test_update_argument_errors_come_before_the_lookup() -> None:
    assert refused(lambda: decide.update(REF, 3, 4, -1, None, 0)) == (
        VIR_ERR_INVALID_ARG, VIR_FROM_NETWORK, "xml in virNetworkUpdate must not be NULL")
    assert refused(lambda: decide.update(REF, 3, 4, -1, HOST, 7)) == (
        VIR_ERR_INVALID_ARG, VIR_FROM_NETWORK, "unsupported flags (0x4) in function networkUpdate")
    assert refused(lambda: decide.update(REF, 3, 4, -1, None, 4))[2].startswith("xml in virNetworkUpdate")


def test_update_of_a_missing_network() -> None:
    assert refused(lambda: update_change(NetworkState("n"), 0))[0] == VIR_ERR_NO_NETWORK


@pytest.mark.parametrize("flags, live, config", [(0, False, True), (2, False, True)])
def test_update_inactive_persistent(flags: int, live: bool, config: bool) -> None:
    change = update_change(inactive(NAT), flags)
    assert (change.affects_live, change.affects_config, change.flags) == (live, config, flags)
    assert {e["scope"] for e in change.effects} == {"config"}


@pytest.mark.parametrize("flags", [1, 3])
def test_live_update_of_an_inactive_network_fails_before_parsing(flags: int) -> None:
    assert refused(lambda: update_change(inactive(NAT), flags, payload="<bogus")) == (
        VIR_ERR_OPERATION_INVALID, VIR_FROM_NETWORK, "Requested operation is not valid: network is not running")


@pytest.mark.parametrize("flags, scopes", [(0, {"live"}), (1, {"live"}), (2, {"config"}), (3, {"both"})])
def test_update_active_persistent(flags: int, scopes: set[str]) -> None:
    change = update_change(active(NAT), flags)
    assert {e["scope"] for e in change.effects} == scopes
    assert (change.affects_live, change.affects_config) == (flags != 2, flags in (2, 3))


def test_live_and_config_edits_that_differ_are_stored_per_scope() -> None:
    state = active(NAT)
    other = "<host mac='00:11:22:33:44:66' ip='10.7.0.6'/>"
    folded(update_change(state, 2, payload=other), state=state)  # the config holds one host more
    change = update_change(state, 3)
    assert [(e["scope"], e["index"]) for e in change.effects] == [("live", 0), ("config", 1)]
    folded(change, state=state)
    assert [h.mac for h in state.live.ips[0].hosts] == ["00:11:22:33:44:55"]
    assert [h.mac for h in state.config.ips[0].hosts] == ["00:11:22:33:44:66", "00:11:22:33:44:55"]


@pytest.mark.parametrize("flags", [2, 3])
def test_config_update_of_a_transient_network_fails(flags: int) -> None:
    assert refused(lambda: update_change(transient(NAT), flags, payload="<bogus")) == (
        VIR_ERR_OPERATION_INVALID, VIR_FROM_NETWORK,
        "Requested operation is not valid: cannot change persistent config of a transient network")


def test_update_transient_current_is_live() -> None:
    change = update_change(transient(NAT), 0)
    assert (change.affects_live, change.affects_config) == (True, False)


def test_live_and_config_are_planned_independently() -> None:
    state = active(NAT)
    folded(update_change(state, 2), state=state)  # the host is now in the config only
    assert refused(lambda: update_change(state, 3))[0] == VIR_ERR_OPERATION_INVALID
    change = update_change(state, 1)
    assert [e["scope"] for e in change.effects] == ["live"]


def test_the_live_error_wins() -> None:
    state = active(BRIDGED)
    folded(define_change(NAT), state=state)  # pending config has an <ip>, the live definition has none
    code, _, message = refused(lambda: update_change(state, 3))
    assert "no <ip> element found" in message
    assert update_change(state, 2).affects_config


def test_the_update_change_keeps_the_request_as_given() -> None:
    change = update_change(active(NAT), 0, command=Command.ADD_FIRST)
    assert (change.command, change.section, change.parent_index, change.xml, change.flags) == (4, 4, -1, HOST, 0)
    assert type(change.command) is int


def test_replaying_update_effects_gives_what_the_engine_planned() -> None:
    state = active(NAT)
    folded(update_change(state, 3), state=state)
    assert [h.mac for h in state.live.ips[0].hosts] == ["00:11:22:33:44:55"]
    assert to_dict(state.live) == to_dict(state.config)


def test_an_event_recorded_as_given_carries_the_generated_uuid() -> None:
    body = "<ip address='10.0.0.1' prefix='24'><dhcp><bootp file='pxe.0'/></dhcp></ip>"
    for uuid_element in ("", "<uuid></uuid>", "<uuid><!-- none --></uuid>"):
        request = parse_request(f"<network><name>n</name>{uuid_element}{body}</network>")
        change = decide.define(request, FakeHost())(None, FakeView())
        assert "pxe.0" in (change.xml or "")
        assert parse_network_xml(change.xml or "").uuid == request.parsed.uuid
