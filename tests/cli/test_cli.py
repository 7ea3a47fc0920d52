"""The ``netstore`` CLI: virsh's words, layouts and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

import netstore
from netstore.cli.main import cli
from tests.cli.support import Netstore, failed, ok

UUID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
OTHER_UUID = "11111111-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
BRIDGED = (f"<network><name>br</name><uuid>{UUID}</uuid><forward mode='bridge'/><bridge name='lo'/>"
           "</network>")
NAT = ("<network><name>nat</name><ip address='10.4.0.1' prefix='24'><dhcp><range start='10.4.0.2' "
       "end='10.4.0.9'/></dhcp></ip></network>")
HOST = "<host mac='00:11:22:33:44:55' ip='10.4.0.5'/>"


@pytest.fixture
def ns(db_url: str, tmp_path: Path) -> Netstore:
    return Netstore(db_url, tmp_path)


def test_define_start_destroy_undefine_messages(ns: Netstore) -> None:
    path = ns.file("br.xml", BRIDGED)
    assert ok(ns("net-define", path)) == f"Network br defined from {path}\n\n"
    assert ok(ns("net-start", "br")) == "Network br started\n\n"
    assert ok(ns("net-autostart", "br")) == "Network br marked as autostarted\n\n"
    assert ok(ns("net-autostart", "br", "--disable")) == "Network br unmarked as autostarted\n\n"
    assert ok(ns("net-destroy", "br")) == "Network br destroyed\n\n"
    assert ok(ns("net-undefine", "br")) == "Network br has been undefined\n\n"
    assert ok(ns("net-create", path)) == f"Network br created from {path}\n\n"


def test_a_network_can_be_named_by_uuid(ns: Netstore) -> None:
    ok(ns("net-define", ns.file("br.xml", BRIDGED)))
    assert ok(ns("net-start", UUID)) == f"Network {UUID} started\n\n"


def test_failures_say_what_failed_then_why(ns: Netstore) -> None:
    path = ns.file("br.xml", BRIDGED)
    ok(ns("net-define", path))
    assert failed(ns("net-destroy", "br")) == (
        "error: Failed to destroy network br\n"
        "error: Requested operation is not valid: network 'br' is not active\n")
    assert failed(ns("net-start", "nope")) == (
        "error: failed to get network 'nope'\n"
        "error: Network not found: no network with matching name 'nope'\n")
    bad = ns.file("bad.xml", "<network><name>x</name><uuid>1</uuid></network>")
    assert failed(ns("net-define", bad)) == (
        f"error: Failed to define network from {bad}\nerror: internal error: malformed uuid element\n")
    stranger = ns.file("stranger.xml", BRIDGED.replace(UUID, OTHER_UUID))
    assert failed(ns("net-create", stranger)) == (
        f"error: Failed to create network from {stranger}\n"
        f"error: operation failed: network 'br' already exists with uuid {UUID}\n")
    missing = str(ns.folder / "missing.xml")
    assert failed(ns("net-define", missing)) == (
        f"error: Failed to open file '{missing}': No such file or directory\n")


def test_net_list_tables(ns: Netstore) -> None:
    ok(ns("net-define", ns.file("br.xml", BRIDGED)))
    ok(ns("net-create", ns.file("t.xml", BRIDGED.replace(">br<", ">transient-net<").replace(UUID, OTHER_UUID))))
    assert ok(ns("net-list")) == (
        " Name            State    Autostart   Persistent\n"
        "--------------------------------------------------\n"
        " transient-net   active   no          no\n\n")
    assert ok(ns("net-list", "--inactive")) == (
        " Name   State      Autostart   Persistent\n"
        "-------------------------------------------\n"
        " br     inactive   no          yes\n\n")
    assert ok(ns("net-list", "--all")).splitlines()[2:4] == [
        " br              inactive   no          yes",
        " transient-net   active     no          no",
    ]
    rows = json.loads(ok(ns("net-list", "--all", "--json")))
    assert rows == [
        {"name": "br", "uuid": UUID, "active": False, "persistent": True, "autostart": False},
        {"name": "transient-net", "uuid": OTHER_UUID, "active": True, "persistent": False,
         "autostart": False},
    ]


def test_empty_net_list(ns: Netstore) -> None:
    assert ok(ns("net-list")) == (
        " Name   State   Autostart   Persistent\n"
        "----------------------------------------\n\n")


def test_net_dumpxml_adds_one_newline(ns: Netstore) -> None:
    ok(ns("net-define", ns.file("br.xml", BRIDGED)))
    xml = (f"<network>\n  <name>br</name>\n  <uuid>{UUID}</uuid>\n  <forward mode='bridge'/>\n"
           "  <bridge name='lo'/>\n</network>\n")
    assert ok(ns("net-dumpxml", "br")) == xml + "\n"
    assert ok(ns("net-dumpxml", "br", "--inactive")) == xml + "\n"


@pytest.mark.parametrize(
    "flags, message",
    [
        ((), "Updated network nat persistent config"),
        (("--config",), "Updated network nat persistent config"),
        (("--current",), "Updated network nat persistent config"),
    ],
)
def test_net_update_on_an_inactive_network(ns: Netstore, flags: tuple[str, ...], message: str) -> None:
    ok(ns("net-define", ns.file("nat.xml", NAT)))
    assert ok(ns("net-update", "nat", "add", "ip-dhcp-host", HOST, *flags)) == message + "\n"
    assert HOST in ok(ns("net-dumpxml", "nat", "--inactive"))


@pytest.mark.parametrize(
    "flags, message",
    [
        ((), "Updated network br live state"),
        (("--live",), "Updated network br live state"),
        (("--config",), "Updated network br persistent config"),
        (("--live", "--config"), "Updated network br persistent config and live state"),
    ],
)
def test_net_update_on_a_running_network(ns: Netstore, flags: tuple[str, ...], message: str) -> None:
    ok(ns("net-define", ns.file("br.xml", BRIDGED)))
    ok(ns("net-start", "br"))
    assert ok(ns("net-update", "br", "add-last", "portgroup", "<portgroup name='pg'/>", *flags)) == message + "\n"


def test_net_update_reads_a_file_when_the_xml_does_not_start_with_lt(ns: Netstore) -> None:
    ok(ns("net-define", ns.file("nat.xml", NAT)))
    path = ns.file("host.xml", HOST)
    ok(ns("net-update", "nat", "add-first", "ip-dhcp-host", path, "--parent-index", "0"))
    assert HOST in ok(ns("net-dumpxml", "nat"))
    assert failed(ns("net-update", "nat", "add", "ip-dhcp-host", " " + HOST)) == (
        f"error: Failed to open file ' {HOST}': No such file or directory\n")


@pytest.mark.parametrize(
    "args, message",
    [
        (("bogus", "ip-dhcp-host", HOST), "unrecognized command name 'bogus'"),
        (("none", "ip-dhcp-host", HOST), "unrecognized command name 'none'"),
        (("Add", "ip-dhcp-host", HOST), "unrecognized command name 'Add'"),
        (("add", "none", HOST), "unrecognized section name 'none'"),
        (("add", "dhcp-host", HOST), "unrecognized section name 'dhcp-host'"),
        (("add", "ip-dhcp-host", HOST, "--current", "--live"), "Options --current and --live are mutually exclusive"),
        (("add", "ip-dhcp-host", HOST, "--current", "--config"),
         "Options --current and --config are mutually exclusive"),
        (("add", "ip-dhcp-host", HOST, "--parent-index", "0x1"),
         "Numeric value '0x1' for <parent-index> option is malformed or out of range"),
        (("add", "ip-dhcp-host", HOST, "--parent-index", "99999999999"),
         "Numeric value '99999999999' for <parent-index> option is malformed or out of range"),
    ],
)
def test_net_update_usage_errors(ns: Netstore, args: tuple[str, ...], message: str) -> None:
    ok(ns("net-define", ns.file("nat.xml", NAT)))
    assert failed(ns("net-update", "nat", *args), code=2) == f"error: {message}\n"


def test_net_update_accepts_what_virsh_accepts_as_an_int(ns: Netstore) -> None:
    ok(ns("net-define", ns.file("nat.xml", NAT)))
    for index in ("+0", " 0", "-5"):
        ok(ns("net-update", "nat", "add", "ip-dhcp-host", HOST, "--parent-index", index))
        ok(ns("net-update", "nat", "delete", "ip-dhcp-host", HOST))


def test_net_update_failure(ns: Netstore) -> None:
    ok(ns("net-define", ns.file("nat.xml", NAT)))
    assert failed(ns("net-update", "nat", "add", "ip-dhcp-host", HOST, "--live")) == (
        "error: Failed to update network nat\n"
        "error: Requested operation is not valid: network is not running\n")


def test_history_lists_the_events(ns: Netstore) -> None:
    ok(ns("net-define", ns.file("nat.xml", NAT)))
    ok(ns("net-update", "nat", "add", "ip-dhcp-host", HOST, "--actor", "alice", "--reason", "new printer"))
    ok(ns("net-autostart", "nat"))
    lines = ok(ns("history", "nat")).splitlines()
    assert lines[0].split() == ["Version", "Time", "Event", "Change", "Actor", "Reason"]
    assert [line.split()[0] for line in lines[2:] if line] == ["1", "2", "3"]
    assert "add-last ip-dhcp-host (config)" in lines[3] and "alice" in lines[3] and "new printer" in lines[3]
    events = json.loads(ok(ns("history", "nat", "--json")))
    assert [(e["version"], e["type"]) for e in events] == [(1, "define"), (2, "update"), (3, "autostart")]
    assert (events[1]["command"], events[1]["section"], events[1]["actor"], events[1]["reason"]) == (
        "add-last", "ip-dhcp-host", "alice", "new printer")
    filtered = json.loads(ok(ns("history", "nat", "--json", "--section", "ip-dhcp-host", "--actor", "alice")))
    assert [e["version"] for e in filtered] == [2]
    assert json.loads(ok(ns("history", "nat", "--json", "--until", "2000-01-01"))) == []
    assert failed(ns("history", "nat", "--section", "bogus"), code=2) == "error: unrecognized section name 'bogus'\n"


def test_history_of_an_unknown_network(ns: Netstore) -> None:
    assert failed(ns("history", "nope")) == "error: Network not found: no network with matching name 'nope'\n"


def test_verify_reports_the_first_damaged_position(ns: Netstore) -> None:
    ok(ns("net-define", ns.file("nat.xml", NAT)))
    ok(ns("net-autostart", "nat"))
    assert ok(ns("verify")).startswith("ok: 2 events checked")
    second = json.loads(ok(ns("history", "nat", "--json")))[1]["position"]  # PostgreSQL positions may have gaps
    engine = sa.create_engine(ns.url)
    with engine.begin() as db:
        db.execute(sa.text("UPDATE events SET actor = 'mallory' WHERE position = :p"), {"p": second})
    engine.dispose()
    stderr = failed(ns("verify"))
    assert stderr.splitlines()[-1] == f"error: history damaged at position {second}"


def test_db_commands(ns: Netstore) -> None:
    assert ok(ns("db", "current")) == "none (not migrated)\n"
    assert ok(ns("db", "upgrade")).startswith("database at revision ")
    revision = ok(ns("db", "current")).strip()
    assert revision and revision != "none (not migrated)"


def test_the_database_defaults_to_netstore_db(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETSTORE_DB", db_url)
    path = tmp_path / "nat.xml"
    path.write_text(NAT)
    ok(CliRunner().invoke(cli, ["net-define", str(path)]))
    with netstore.open(db_url) as conn:
        assert conn.listDefinedNetworks() == ["nat"]


def test_click_usage_errors_exit_2(ns: Netstore) -> None:
    assert ns("net-start").exit_code == 2
    assert ns("net-list", "--bogus").exit_code == 2
