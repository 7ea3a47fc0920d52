"""net-edit's failure paths and net-event following the log."""

from __future__ import annotations

import json
import re
import shlex
import sys
import threading
from pathlib import Path

import pytest

import netstore
from netstore.api.connection import Connection
from netstore.api.events import LifecycleFollower
from netstore.cli import event as event_command
from tests.cli.support import Netstore, editor_script, failed, ok

XML = "<network><name>nsxb</name><forward mode='bridge'/><bridge name='lo'/></network>"


@pytest.fixture
def ns(db_url: str, tmp_path: Path) -> Netstore:
    ns = Netstore(db_url, tmp_path)
    ok(ns("net-define", ns.file("b.xml", XML)))
    return ns


def _positions(ns: Netstore) -> list[int]:
    return [e["position"] for e in json.loads(ok(ns("history", "nsxb", "--json")))]


def test_a_refused_edit_keeps_the_file_and_changes_nothing(ns: Netstore, tmp_path: Path) -> None:
    editor = editor_script(tmp_path, "nsxbad.sh", "echo '<network><name>nsxb</name><bogus' > \"$1\"")
    before = _positions(ns)
    stderr = failed(ns("net-edit", "nsxb", env={"EDITOR": editor, "VISUAL": None}))
    first, second = stderr.splitlines()[:2]
    kept = Path(first.removeprefix("error: Failed to define network from "))
    assert kept.read_text() == "<network><name>nsxb</name><bogus\n"
    assert second.startswith("error: ") and "Traceback" not in stderr
    kept.unlink()
    assert _positions(ns) == before


def test_a_failing_editor_changes_nothing(ns: Netstore, tmp_path: Path) -> None:
    editor = editor_script(tmp_path, "nsxfail.sh", "echo '<network/>' > \"$1\"; exit 3")
    before = _positions(ns)
    assert failed(ns("net-edit", "nsxb", env={"EDITOR": editor, "VISUAL": None})) == (
        f"error: editor '{editor}' failed with exit status 3; nothing changed\n")
    assert _positions(ns) == before


def test_visual_wins_over_editor_and_the_edit_is_recorded(ns: Netstore, tmp_path: Path) -> None:
    visual = editor_script(tmp_path, "nsxvisual.sh", "sed -i 's|</network>|<portgroup name=\"pg\"/></network>|' \"$1\"")
    editor = editor_script(tmp_path, "nsxnever.sh", "exit 9")
    env = {"EDITOR": editor, "VISUAL": visual}
    assert ok(ns("net-edit", "nsxb", "--reason", "a portgroup", env=env)) == "Network nsxb XML configuration edited.\n\n"
    assert "<portgroup name='pg'>" in ok(ns("net-dumpxml", "nsxb", "--inactive"))
    last = json.loads(ok(ns("history", "nsxb", "--json")))[-1]
    assert (last["type"], last["reason"]) == ("define", "a portgroup")


def test_an_edit_raced_by_another_writer_is_refused(ns: Netstore, tmp_path: Path) -> None:
    script = (f"{Path(sys.executable).parent / 'netstore'} --db {shlex.quote(ns.url)} net-update nsxb add portgroup "
              "\"<portgroup name='pg'/>\" --config >/dev/null; echo '<!-- edited -->' >> \"$1\"")
    editor = editor_script(tmp_path, "nsxrace.sh", script)
    before = _positions(ns)
    stderr = failed(ns("net-edit", "nsxb", env={"EDITOR": editor, "VISUAL": None}))
    said, kept = stderr.splitlines()
    assert said == "error: The XML configuration was changed by another user."
    Path(kept.removeprefix("error: Your edit is kept in ")).unlink()
    assert len(_positions(ns)) == len(before) + 1  # the other writer's change only


class _Signalling(LifecycleFollower):
    """A follower that says when it has taken its starting position."""

    ready = threading.Event()

    def __init__(self, conn: Connection, network: str | None = None) -> None:
        super().__init__(conn, network)
        type(self).ready.set()


def _while_following(ns: Netstore, monkeypatch: pytest.MonkeyPatch, changes: list[str], *args: str) -> str:
    """net-event's output while another connection makes ``changes`` (Network method names)."""
    _Signalling.ready = threading.Event()
    monkeypatch.setattr(event_command, "LifecycleFollower", _Signalling)

    def writer() -> None:
        assert _Signalling.ready.wait(30)
        with netstore.open(ns.url) as conn:
            conn.networkDefineXML(XML.replace("nsxb", "nsxother"))
            net = conn.networkLookupByName("nsxb")
            for change in changes:
                getattr(net, change)()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        return ok(ns("net-event", *args))
    finally:
        thread.join()


def test_net_event_prints_the_first_event_of_the_network(ns: Netstore, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _while_following(ns, monkeypatch, ["create"], "nsxb", "--timeout", "30") == (
        "event 'lifecycle' for network nsxb: Started\nevents received: 1\n\n")


def test_net_event_loop_until_timeout(ns: Netstore, monkeypatch: pytest.MonkeyPatch) -> None:
    out = _while_following(ns, monkeypatch, ["create", "destroy", "undefine"], "--loop", "--timeout", "3")
    assert out == (
        "event 'lifecycle' for network nsxother: Defined\n"
        "event 'lifecycle' for network nsxb: Started\n"
        "event 'lifecycle' for network nsxb: Stopped\n"
        "event 'lifecycle' for network nsxb: Undefined\n"
        "event loop timed out\nevents received: 4\n\n")


def test_net_event_json_lines(ns: Netstore, monkeypatch: pytest.MonkeyPatch) -> None:
    out = _while_following(ns, monkeypatch, ["create"], "--network", "nsxb", "--json", "--timeout", "30")
    (record,) = [json.loads(line) for line in out.splitlines()]
    assert (record["network"], record["event"]) == ("nsxb", "Started")


def test_net_event_without_events_times_out(ns: Netstore) -> None:
    assert ok(ns("net-event", "--timeout", "1")) == "event loop timed out\nevents received: 0\n\n"
    assert ok(ns("net-event", "--list")) == "lifecycle\n"


def test_net_event_usage_errors(ns: Netstore) -> None:
    assert failed(ns("net-event", "--event", "reboot"), code=2) == "error: unknown event type reboot\n"
    assert failed(ns("net-event", "--timeout", "0"), code=2).startswith("error: Invalid value for '--timeout'")
    assert failed(ns("net-event", "nope")) == (
        "error: failed to get network 'nope'\nerror: Network not found: no network with matching name 'nope'\n")


def test_net_event_timestamps_as_virsh(ns: Netstore, monkeypatch: pytest.MonkeyPatch) -> None:
    out = _while_following(ns, monkeypatch, ["create"], "nsxb", "--timestamp", "--timeout", "30")
    first = out.splitlines()[0]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\+0000: event 'lifecycle' for network nsxb: Started",
                        first), first
