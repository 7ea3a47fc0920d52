"""A network since removed keeps its audit trail: its history, its XML as of a version, its diffs."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import netstore
from netstore.cli.main import cli
from netstore.errors import VIR_ERR_NO_NETWORK, libvirtError

XML = "<network><name>gone</name><uuid>{}</uuid><bridge name='nsrm0'/></network>"
FIRST, SECOND = "6f0c3a4e-0000-4000-8000-000000000001", "6f0c3a4e-0000-4000-8000-000000000002"
HOST = "<host mac='52:54:00:00:00:01' name='a' ip='10.77.0.5'/>"


def _defined_then_undefined(url: str) -> None:
    with netstore.open(url) as conn:
        net = conn.networkDefineXML(XML.format(FIRST))
        net.update(netstore.VIR_NETWORK_UPDATE_COMMAND_ADD_LAST, netstore.VIR_NETWORK_SECTION_PORTGROUP, -1,
                   "<portgroup name='pg'/>", netstore.VIR_NETWORK_UPDATE_AFFECT_CONFIG)
        net.undefine()


def test_a_removed_network_is_found_in_the_log_with_its_last_uuid(db_url: str) -> None:
    _defined_then_undefined(db_url)
    with netstore.open(db_url) as conn:
        with pytest.raises(libvirtError) as missing:
            conn.networkLookupByName("gone")
        assert missing.value.get_error_code() == VIR_ERR_NO_NETWORK
        net = conn.networkLookupInHistory("gone")
        assert net.UUIDString() == FIRST
        assert "<portgroup name='pg'>" in net.XMLDescAsOf(2)
        assert net.diff(2, 3).startswith("--- gone@2\n+++ gone@3\n")
        assert [event.type.value for event in net.history()] == ["define", "update", "undefine"]
        [entry] = net.blame(netstore.VIR_NETWORK_XML_INACTIVE, at=2)
        assert (entry.collection, entry.keys, entry.event.version) == ("portgroup", {"name": "pg"}, 2)
        with pytest.raises(libvirtError) as after:
            net.blame(at=3)
        assert after.value.get_error_message() == "Network not found: network 'gone' did not exist at version 3"
        with pytest.raises(libvirtError) as gone:
            net.isActive()  # not an audit call: the network is gone
        assert gone.value.get_error_code() == VIR_ERR_NO_NETWORK
        with pytest.raises(libvirtError) as never:
            conn.networkLookupInHistory("never")
        assert (never.value.get_error_code(), never.value.get_error_message()) == (
            VIR_ERR_NO_NETWORK, "Network not found: no network with matching name 'never'")


def test_a_name_defined_again_is_the_current_network(db_url: str) -> None:
    _defined_then_undefined(db_url)
    with netstore.open(db_url) as conn:
        conn.networkDefineXML(XML.format(SECOND))
        net = conn.networkLookupInHistory("gone")
        assert net.UUIDString() == SECOND
        assert "<portgroup name='pg'>" in net.XMLDescAsOf(2)  # the earlier network's versions stay readable


def test_the_cli_shows_a_removed_network_as_of_a_version_and_its_diffs(db_url: str) -> None:
    _defined_then_undefined(db_url)
    run = CliRunner()
    dumped = run.invoke(cli, ["--db", db_url, "net-dumpxml", "gone", "--as-of", "2"])
    assert dumped.exit_code == 0, dumped.stderr
    assert "<portgroup name='pg'>" in dumped.stdout
    differs = run.invoke(cli, ["--db", db_url, "diff", "gone", "1", "2"])
    assert differs.exit_code == 1 and "+  <portgroup name='pg'>" in differs.stdout, differs.stderr
    blamed = run.invoke(cli, ["--db", db_url, "blame", "gone", "--as-of", "2", "--json"])
    assert blamed.exit_code == 0, blamed.stderr
    assert [(e["collection"], e["version"], e["type"]) for e in json.loads(blamed.stdout)] == [("portgroup", 2, "update")]
    after = run.invoke(cli, ["--db", db_url, "net-dumpxml", "gone", "--as-of", "3"])
    assert (after.exit_code, after.stderr) == (1, "error: Network not found: network 'gone' did not exist at version 3\n")
    current = run.invoke(cli, ["--db", db_url, "net-dumpxml", "gone"])  # without --as-of: virsh's lookup
    assert (current.exit_code, current.stderr) == (
        1, "error: failed to get network 'gone'\nerror: Network not found: no network with matching name 'gone'\n")
