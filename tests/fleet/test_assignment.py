"""Networks assigned to fleet hosts: at define/create, by net-assign, folded, audited, rebuilt."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import netstore
from netstore.cli.main import cli
from netstore.errors import VIR_ERR_INVALID_ARG, VIR_ERR_NO_NETWORK
from netstore.events import EventType
from netstore.fleet.hosts import HOST_ID_ENV, serves
from netstore.state import NetworkState

XML = "<network><name>f1</name><bridge name='nsfbr0'/><ip address='10.77.0.1' netmask='255.255.255.0'/></network>"


@pytest.fixture(autouse=True)
def this_host(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv(HOST_ID_ENV, "nsf-hv1")
    return "nsf-hv1"


def test_define_assigns_this_host_by_default_in_the_define_event(db_url: str) -> None:
    with netstore.open(db_url) as conn:
        net = conn.networkDefineXML(XML)
        assert net.host() == "nsf-hv1"
        events = conn.history("f1")
    assert [e.type for e in events] == [EventType.DEFINE]


def test_define_with_a_host_and_a_redefine_keeps_it(db_url: str) -> None:
    with netstore.open(db_url) as conn:
        uuid = conn.networkDefineXML(XML, host="nsf-hv2").UUIDString()
        conn.networkDefineXML(XML.replace("<name>f1</name>", f"<name>f1</name><uuid>{uuid}</uuid>"))
        assert conn.networkLookupByName("f1").host() == "nsf-hv2"


def test_set_host_appends_an_audited_assign_event_and_survives_a_rebuild(db_url: str) -> None:
    with netstore.open(db_url) as conn:
        net = conn.networkDefineXML(XML)
        net.setHost("nsf-hv2", actor="ops", reason="drain hv1")
        assert net.setHost("nsf-hv2") == 0  # already there: no event
        last = conn.history("f1")[-1]
        assert (last.type, last.actor, last.reason, last.change.effects) == (
            EventType.ASSIGN, "ops", "drain hv1", ({"host": "nsf-hv2"},))
        assert len(conn.history("f1")) == 2
        conn.store.rebuild()
        assert conn.networkLookupByName("f1").host() == "nsf-hv2"
        assert conn.verify().ok


def test_rollback_keeps_the_assignment(db_url: str) -> None:
    with netstore.open(db_url) as conn:
        net = conn.networkDefineXML(XML)
        net.setHost("nsf-hv2")
        net.rollback(1)
        assert net.host() == "nsf-hv2"


@pytest.mark.parametrize("bad", ["", "two words", "a\nb", "x" * 254, "tab\there", "\x00"])
def test_a_bad_host_id_is_refused_and_appends_nothing(db_url: str, bad: str) -> None:
    with netstore.open(db_url) as conn:
        net = conn.networkDefineXML(XML)
        with pytest.raises(netstore.libvirtError) as refused:
            net.setHost(bad)
        assert refused.value.get_error_code() == VIR_ERR_INVALID_ARG
        with pytest.raises(netstore.libvirtError):
            conn.networkDefineXML(XML.replace("f1", "f2"), host=bad)
        assert len(conn.history("f1")) == 1
        assert conn.listDefinedNetworks() == ["f1"]


def test_assigning_a_removed_network_is_refused(db_url: str) -> None:
    with netstore.open(db_url) as conn:
        net = conn.networkDefineXML(XML)
        net.undefine()
        with pytest.raises(netstore.libvirtError) as refused:
            net.setHost("nsf-hv2")
        assert refused.value.get_error_code() == VIR_ERR_NO_NETWORK


def test_cli_net_assign_and_history(db_url: str, tmp_path) -> None:
    xml = tmp_path / "f1.xml"
    xml.write_text(XML)
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", db_url, "net-define", str(xml), "--host", "nsf-hv3"]).exit_code == 0
    done = runner.invoke(cli, ["--db", db_url, "net-assign", "f1", "nsf-hv4", "--reason", "move"])
    assert (done.exit_code, done.output.strip()) == (0, "Network f1 assigned to host nsf-hv4")
    history = runner.invoke(cli, ["--db", db_url, "history", "f1"]).output
    assert "to host nsf-hv4" in history and "move" in history
    refused = runner.invoke(cli, ["--db", db_url, "net-assign", "f1", "bad host"])
    assert refused.exit_code == 1
    with netstore.open(db_url) as conn:
        assert conn.networkLookupByName("f1").host() == "nsf-hv4"


def test_unassigned_networks_are_served_by_every_host() -> None:
    assert serves("a", NetworkState("n")) and serves("a", NetworkState("n", host="a"))
    assert not serves("b", NetworkState("n", host="a"))


def test_without_a_configured_host_id_a_new_network_is_unassigned(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(HOST_ID_ENV)
    with netstore.open(db_url) as conn:
        assert conn.networkDefineXML(XML).host() is None
        assert conn.networkDefineXML(XML.replace("f1", "f2").replace("nsfbr0", "nsfbr1"), host="nsf-hv2").host() == "nsf-hv2"
