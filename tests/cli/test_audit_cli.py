"""The audit commands: history filters and --diff, blame, diff, net-dumpxml --as-of, rollback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import HOST, NAT, Netstore, failed, ok

OTHER_HOST = "<host mac='00:11:22:33:44:66' ip='10.4.0.6'/>"


@pytest.fixture
def ns(db_url: str, tmp_path: Path) -> Netstore:
    return Netstore(db_url, tmp_path)


def _network_with_two_hosts(ns: Netstore) -> None:
    ok(ns("net-define", ns.file("nat.xml", NAT)))
    ok(ns("net-start", "nat"))
    ok(ns("net-update", "nat", "add-last", "ip-dhcp-host", HOST, "--live", "--config",
          "--actor", "alice", "--reason", "ticket 7: fixed address for db1"))
    ok(ns("net-update", "nat", "add-last", "ip-dhcp-host", OTHER_HOST, "--config", "--actor", "bob"))


def test_who_added_a_mac_when_why_and_the_network_just_before(ns: Netstore) -> None:
    _network_with_two_hosts(ns)
    entries = json.loads(ok(ns("blame", "nat", "--inactive", "--json")))
    [entry] = [e for e in entries if e["keys"].get("mac") == "00:11:22:33:44:55"]
    assert (entry["actor"], entry["reason"], entry["version"]) == ("alice", "ticket 7: fixed address for db1", 3)
    [event] = json.loads(ok(ns("history", "nat", "--json", "--diff", "--after", "2", "--limit", "1")))
    assert event["recorded_at"] == entry["recorded_at"] and event["actor"] == "alice"
    assert "+      <host mac='00:11:22:33:44:55' ip='10.4.0.5'/>" in event["diff"]["config"].splitlines()
    before = ok(ns("net-dumpxml", "nat", "--inactive", "--as-of", str(entry["version"] - 1)))
    assert "00:11:22:33:44:55" not in before and "<range start='10.4.0.2' end='10.4.0.9'/>" in before


def test_history_filters_by_actor_command_section_and_time(ns: Netstore) -> None:
    _network_with_two_hosts(ns)
    by_bob = json.loads(ok(ns("history", "nat", "--json", "--actor", "bob")))
    assert [e["version"] for e in by_bob] == [4]
    adds = json.loads(ok(ns("history", "nat", "--json", "--command", "add-last", "--section", "ip-dhcp-host")))
    assert [e["version"] for e in adds] == [3, 4]
    assert json.loads(ok(ns("history", "nat", "--json", "--command", "delete"))) == []
    assert json.loads(ok(ns("history", "nat", "--json", "--since", "2999-01-01"))) == []
    page = ns("history", "nat", "--json", "--since", "2000-01-01", "--limit", "2")
    assert [e["version"] for e in json.loads(ok(page))] == [1, 2]
    assert page.stderr == "note: more events follow; the next page: --after 2\n"
    last = ns("history", "nat", "--json", "--after", "2", "--limit", "2")
    assert [e["version"] for e in json.loads(ok(last))] == [3, 4] and last.stderr == ""
    assert failed(ns("history", "nat", "--command", "bogus"), code=2) == "error: unrecognized command name 'bogus'\n"


def test_history_diff_is_plain_when_piped(ns: Netstore) -> None:
    _network_with_two_hosts(ns)
    text = ok(ns("history", "nat", "--diff"))
    assert "\x1b[" not in text
    assert "+      <host mac='00:11:22:33:44:66' ip='10.4.0.6'/>" in text.splitlines()


def test_diff_exits_0_when_equal_1_when_different_2_on_trouble(ns: Netstore) -> None:
    _network_with_two_hosts(ns)
    assert ok(ns("diff", "nat", "3", "4")) == ""  # bob changed only the persistent config
    result = ns("diff", "nat", "3", "4", "--inactive")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:2] == ["--- nat@3", "+++ nat@4"]
    assert failed(ns("diff", "nat", "1", "99"), code=2) == "error: network 'nat' has no version 99 (versions 1 to 4)\n"
    assert failed(ns("diff", "nat", "yesterday", "4"), code=2).endswith(
        "'yesterday' is neither a version nor an ISO date/time\n")


def test_rollback_dry_run_appends_nothing_and_rollback_is_audited(ns: Netstore) -> None:
    _network_with_two_hosts(ns)
    dry = ok(ns("rollback", "nat", "--to", "2", "--dry-run"))
    assert "-      <host mac='00:11:22:33:44:66' ip='10.4.0.6'/>" in dry.splitlines()
    assert len(json.loads(ok(ns("history", "nat", "--json")))) == 4
    ok(ns("rollback", "nat", "--to", "2", "--actor", "carol", "--reason", "undo 7"))
    last = json.loads(ok(ns("history", "nat", "--json")))[-1]
    assert (last["type"], last["rolled_back_to"], last["actor"], last["reason"]) == ("rollback", 2, "carol", "undo 7")
    assert ok(ns("net-dumpxml", "nat")) == ok(ns("net-dumpxml", "nat", "--as-of", "2"))
    assert ok(ns("net-dumpxml", "nat", "--inactive")) == ok(ns("net-dumpxml", "nat", "--inactive", "--as-of", "2"))
    ok(ns("rollback", "nat", "--to", "4"))
    assert ok(ns("net-dumpxml", "nat", "--inactive")) == ok(ns("net-dumpxml", "nat", "--inactive", "--as-of", "4"))
    assert ok(ns("verify")).startswith("ok: 6 events checked")


def test_rollback_says_what_it_cannot_restore(ns: Netstore) -> None:
    _network_with_two_hosts(ns)
    ok(ns("net-destroy", "nat"))
    result = ns("rollback", "nat", "--to", "3")
    assert result.exit_code == 0
    assert "note: live state not restored: the network is not running now (it was at version 3)" in result.stderr
    stderr = failed(ns("rollback", "nat", "--to", "0"))
    assert "did not exist at version 0" in stderr
    assert len(json.loads(ok(ns("history", "nat", "--json")))) == 6
