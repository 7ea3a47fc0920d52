"""The libvirt-python–compatible library over a real store (SQLite, or PostgreSQL in its pass)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import netstore
from netstore.api import constants
from netstore.api.connection import Connection
from netstore.errors import (
    VIR_ERR_INTERNAL_ERROR,
    VIR_ERR_INVALID_ARG,
    VIR_ERR_NO_NETWORK,
    VIR_ERR_OPERATION_INVALID,
    VIR_FROM_NETWORK,
)
from netstore.events import EventType
from netstore.lifecycle.host import LOCAL_HOST

UUID = "5b0f1c7e-2d4a-4e8b-9c3f-7a6d5e4c3b2a"
HOST = "<host mac='00:11:22:33:44:55' ip='10.3.0.5'/>"


def bridged(name: str = "br", uuid: str = UUID, extra: str = "") -> str:
    return (f"<network><name>{name}</name><uuid>{uuid}</uuid><forward mode='bridge'/><bridge name='lo'/>"
            f"{extra}</network>")


def nat(name: str = "nat") -> str:
    return (f"<network><name>{name}</name><ip address='10.3.0.1' prefix='24'><dhcp>"
            "<range start='10.3.0.2' end='10.3.0.9'/></dhcp></ip></network>")


@pytest.fixture
def url(db_url: str) -> str:
    return db_url


@pytest.fixture
def conn(url: str) -> Iterator[Connection]:
    with netstore.open(url) as connection:
        yield connection


def error_of(call: Any) -> tuple[int, int, str]:
    with pytest.raises(netstore.libvirtError) as caught:
        call()
    err = caught.value
    return err.get_error_code(), err.get_error_domain(), err.get_error_message()


def event_types(conn: Connection, name: str) -> list[EventType]:
    return [event.type for event in conn.store.read_stream(name)]


@pytest.mark.sqlite_only("the default store is the SQLite file netstore.db in the current directory")
def test_open_defaults_to_netstore_db_in_the_current_directory(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NETSTORE_DB", raising=False)
    with netstore.open() as conn:
        assert conn.getURI() == "sqlite:///netstore.db"
        conn.networkDefineXML(bridged())
    assert (tmp_path / "netstore.db").is_file()


def test_open_uses_netstore_db(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.setenv("NETSTORE_DB", db_url)
    with netstore.open() as conn:
        assert conn.getURI() == db_url
        conn.networkDefineXML(bridged())
    with netstore.open(db_url) as conn:
        assert conn.listDefinedNetworks() == ["br"]
    assert list(elsewhere.iterdir()) == []


def test_define_and_inspect(conn: Connection) -> None:
    net = conn.networkDefineXML(bridged())
    assert (net.name(), net.UUIDString(), net.UUID()) == ("br", UUID, bytes.fromhex(UUID.replace("-", "")))
    assert (net.isActive(), net.isPersistent(), net.autostart()) == (0, 1, 0)
    assert net.connect() is conn
    assert net.bridgeName() == "lo"
    assert net.XMLDesc() == net.XMLDesc(netstore.VIR_NETWORK_XML_INACTIVE) == (
        f"<network>\n  <name>br</name>\n  <uuid>{UUID}</uuid>\n  <forward mode='bridge'/>\n"
        "  <bridge name='lo'/>\n</network>\n")


def test_generated_values_are_stable(conn: Connection) -> None:
    free = [name for name in (f"virbr{i}" for i in range(258)) if not LOCAL_HOST.has_device(name)]
    net = conn.networkDefineXML(nat())
    assert net.bridgeName() == free[0]
    assert conn.networkDefineXML(nat("nat2")).bridgeName() == free[1]
    first = net.XMLDesc()
    assert net.XMLDesc() == first and "<mac address='52:54:00:" in first


def test_lookups(conn: Connection) -> None:
    conn.networkDefineXML(bridged())
    assert conn.networkLookupByName("br").UUIDString() == UUID
    assert conn.networkLookupByUUIDString(UUID.upper()).name() == "br"
    assert error_of(lambda: conn.networkLookupByName("nope")) == (
        VIR_ERR_NO_NETWORK, VIR_FROM_NETWORK, "Network not found: no network with matching name 'nope'")
    assert error_of(lambda: conn.networkLookupByUUIDString("11111111-2222-3333-4444-555555555555")) == (
        VIR_ERR_NO_NETWORK, VIR_FROM_NETWORK,
        "Network not found: no network with matching uuid '11111111-2222-3333-4444-555555555555'")
    assert error_of(lambda: conn.networkLookupByUUIDString("zz")) == (
        VIR_ERR_INVALID_ARG, VIR_FROM_NETWORK, "uuidstr in virNetworkLookupByUUIDString must be a valid UUID")


def test_lists_and_filters(conn: Connection) -> None:
    conn.networkDefineXML(bridged("p-off", "00000000-0000-4000-8000-000000000001"))
    auto = conn.networkDefineXML(bridged("p-auto", "00000000-0000-4000-8000-000000000002"))
    auto.setAutostart(1)
    running = conn.networkDefineXML(bridged("p-run", "00000000-0000-4000-8000-000000000003"))
    running.create()
    conn.networkCreateXML(bridged("t-run", "00000000-0000-4000-8000-000000000004"))
    assert conn.listNetworks() == ["p-run", "t-run"] and conn.numOfNetworks() == 2
    assert conn.listDefinedNetworks() == ["p-auto", "p-off"] and conn.numOfDefinedNetworks() == 2

    def names(flags: int) -> list[str]:
        return [net.name() for net in conn.listAllNetworks(flags)]

    assert names(0) == ["p-auto", "p-off", "p-run", "t-run"]
    assert names(constants.VIR_CONNECT_LIST_NETWORKS_ACTIVE) == ["p-run", "t-run"]
    assert names(constants.VIR_CONNECT_LIST_NETWORKS_INACTIVE) == ["p-auto", "p-off"]
    assert names(constants.VIR_CONNECT_LIST_NETWORKS_TRANSIENT) == ["t-run"]
    assert names(constants.VIR_CONNECT_LIST_NETWORKS_PERSISTENT | constants.VIR_CONNECT_LIST_NETWORKS_ACTIVE) == [
        "p-run"]
    assert names(constants.VIR_CONNECT_LIST_NETWORKS_AUTOSTART) == ["p-auto"]
    assert names(constants.VIR_CONNECT_LIST_NETWORKS_AUTOSTART | constants.VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART) == [
        "p-auto", "p-off", "p-run", "t-run"]
    assert error_of(lambda: conn.listAllNetworks(0x40)) == (
        VIR_ERR_INVALID_ARG, VIR_FROM_NETWORK, "unsupported flags (0x40) in function networkConnectListAllNetworks")


def test_xmldesc_shows_live_and_pending_config(conn: Connection) -> None:
    net = conn.networkDefineXML(nat())
    net.create()
    net.update(netstore.VIR_NETWORK_UPDATE_COMMAND_ADD_LAST, netstore.VIR_NETWORK_SECTION_IP_DHCP_HOST, -1, HOST,
               netstore.VIR_NETWORK_UPDATE_AFFECT_CONFIG)
    assert HOST not in net.XMLDesc(0) and HOST in net.XMLDesc(netstore.VIR_NETWORK_XML_INACTIVE)
    net.destroy()
    assert HOST in net.XMLDesc(0)
    assert error_of(lambda: net.XMLDesc(2)) == (
        VIR_ERR_INVALID_ARG, VIR_FROM_NETWORK, "unsupported flags (0x2) in function networkGetXMLDesc")


def test_a_handle_reads_the_current_state_of_another_connection(conn: Connection, url: str) -> None:
    net = conn.networkDefineXML(bridged())
    with netstore.open(url) as other:
        other.networkLookupByName("br").create()
    assert net.isActive() == 1


def test_a_stale_handle_is_not_found(conn: Connection) -> None:
    net = conn.networkCreateXML(bridged())
    net.destroy()
    expected = (VIR_ERR_NO_NETWORK, VIR_FROM_NETWORK, f"Network not found: no network with matching uuid '{UUID}' (br)")
    for call in (net.isActive, net.XMLDesc, net.create, net.undefine, lambda: net.update(3, 9, -1, "<x/>", 0)):
        assert error_of(call) == expected
    conn.networkDefineXML(bridged(uuid="00000000-0000-4000-8000-00000000000f"))
    assert error_of(net.isActive) == expected


def test_a_network_without_a_bridge_name(conn: Connection) -> None:
    net = conn.networkDefineXML("<network><name>nb</name><forward mode='private' dev='eth0'/></network>")
    assert error_of(net.bridgeName) == (
        VIR_ERR_INTERNAL_ERROR, VIR_FROM_NETWORK, "internal error: network 'nb' does not have a bridge name.")


def test_update_records_actor_reason_and_idempotency_key(conn: Connection) -> None:
    net = conn.networkDefineXML(nat())
    assert net.update(3, 4, -1, HOST, 0, actor="alice", reason="new host", idempotency_key="k1") == 0
    assert net.update(3, 4, -1, HOST, 0, actor="alice", reason="new host", idempotency_key="k1") == 0
    events = list(conn.store.read_stream("nat"))
    assert [e.type for e in events] == [EventType.DEFINE, EventType.UPDATE]
    assert (events[1].actor, events[1].reason, events[1].idempotency_key) == ("alice", "new host", "k1")
    assert (events[1].change.affects_live, events[1].change.affects_config) == (False, True)


def test_a_refused_call_appends_nothing(conn: Connection) -> None:
    net = conn.networkDefineXML(nat())
    assert error_of(lambda: net.update(3, 4, -1, HOST, 1))[0] == VIR_ERR_OPERATION_INVALID
    assert error_of(net.destroy)[0] == VIR_ERR_OPERATION_INVALID
    assert error_of(lambda: conn.networkDefineXML(bridged("nat")))[2].startswith("operation failed")
    assert event_types(conn, "nat") == [EventType.DEFINE]


def test_setting_autostart_to_its_value_records_nothing(conn: Connection) -> None:
    net = conn.networkDefineXML(bridged())
    assert net.setAutostart(0) == 0
    assert net.setAutostart(1) == 0 and net.setAutostart(1) == 0
    assert event_types(conn, "br") == [EventType.DEFINE, EventType.AUTOSTART]
    net.undefine()
    assert error_of(lambda: net.setAutostart(1))[0] == VIR_ERR_NO_NETWORK


def test_the_lifecycle_through_the_library(conn: Connection) -> None:
    net = conn.networkDefineXML(bridged())
    net.setAutostart(1)
    assert net.create() == 0 and net.isActive() == 1
    assert net.undefine() == 0
    assert (net.isActive(), net.isPersistent(), net.autostart()) == (1, 0, 0)
    assert net.destroy() == 0
    assert conn.listAllNetworks() == []
    assert conn.store.verify().ok


def test_module_constants_have_libvirts_values() -> None:
    assert (netstore.VIR_NETWORK_UPDATE_COMMAND_MODIFY, netstore.VIR_NETWORK_UPDATE_COMMAND_DELETE,
            netstore.VIR_NETWORK_UPDATE_COMMAND_ADD_LAST, netstore.VIR_NETWORK_UPDATE_COMMAND_ADD_FIRST) == (1, 2, 3, 4)
    assert (netstore.VIR_NETWORK_SECTION_BRIDGE, netstore.VIR_NETWORK_SECTION_DNS_SRV) == (1, 12)
    assert (netstore.VIR_NETWORK_UPDATE_AFFECT_CURRENT, netstore.VIR_NETWORK_UPDATE_AFFECT_LIVE,
            netstore.VIR_NETWORK_UPDATE_AFFECT_CONFIG, netstore.VIR_NETWORK_XML_INACTIVE) == (0, 1, 2, 1)
    assert netstore.VIR_ERR_NO_NETWORK == 43 and netstore.VIR_ERR_OPERATION_INVALID == 55


def test_constants_match_libvirt_python(libvirt_module: Any) -> None:
    prefixes = ("VIR_NETWORK_UPDATE_", "VIR_NETWORK_SECTION_", "VIR_NETWORK_XML_", "VIR_CONNECT_LIST_NETWORKS_")
    theirs = {name: getattr(libvirt_module, name) for name in dir(libvirt_module) if name.startswith(prefixes)}
    ours = {name: getattr(constants, name) for name in constants.__all__ if name.startswith(prefixes)}
    assert ours == theirs
    for name in constants.__all__:
        if name.startswith(("VIR_ERR_", "VIR_FROM_")):
            assert getattr(constants, name) == getattr(libvirt_module, name), name


def test_a_created_network_without_uuid_gets_one(conn: Connection) -> None:
    net = conn.networkCreateXML("<network><name>t</name><forward mode='bridge'/><bridge name='lo'/></network>")
    assert f"<uuid>{net.UUIDString()}</uuid>" in net.XMLDesc()
    assert (net.isActive(), net.isPersistent()) == (1, 0)
