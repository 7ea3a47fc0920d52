"""tools/replay.py: step-through, stop, bisect, verify, export and import, from a database or a JSONL file."""

from __future__ import annotations

import importlib.util
import io
import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console

from netstore.audit import progress as progress_module
from netstore.audit import replay
from netstore.audit.progress import DelayedProgress
from netstore.model.format import format_network
from netstore.store import EventStore
from tests.store import support

TOOL = Path(__file__).resolve().parents[2] / "tools" / "replay.py"
MAC = "52:54:01:00:00:02"  # support.host_xml(2)


def _load_tool():
    spec = importlib.util.spec_from_file_location("replay_tool", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


tool = _load_tool()


@pytest.fixture
def url(db_url: str) -> str:
    """Network 'a': define, start, hosts 0-4 added (live+config), host 1 deleted, destroy; 'b' defined."""
    with EventStore(db_url, snapshot_every=4) as store:
        support.running(store, "a")
        support.define(store, "b")
        for n in range(5):
            support.add_host(store, "a", n, reason=f"host {n}")
        support.update(store, "a", support.Command.DELETE, support.Section.IP_DHCP_HOST, support.host_xml(1))
        support.destroy(store, "a")
    return db_url


def run(capsys, *argv: str, console: Console | None = None) -> tuple[int, str, str]:
    code = tool.main(list(argv), console=console or Console(file=io.StringIO(), force_terminal=False))
    out, err = capsys.readouterr()
    return code, out, err


def test_step_prints_every_event_with_the_diff_it_made(url, capsys):
    code, out, _ = run(capsys, "--db", url, "step", "a")
    assert code == 0
    headings = [line for line in out.splitlines() if line.startswith("== version")]
    assert len(headings) == 9 and "reason=host 2" in headings[4]
    assert f"+      <host mac='{MAC}' name='h2' ip='10.1.0.2'/>" in out
    assert "--- a live@8\n+++ a live@9\n" in out  # the destroy removes the live definition


def test_step_stops_at_a_version_and_prints_the_definitions_there(url, capsys):
    code, out, _ = run(capsys, "--db", url, "step", "a", "--to", "5")
    assert code == 0
    assert out.count("== version") == 5 and "== stopped at version 5" in out
    with EventStore(url) as store:
        state = store.state_at("a", 5)
    assert state is not None and state.live is not None and state.config is not None
    assert f"-- live:\n{format_network(state.live)}" in out
    assert f"-- persistent:\n{format_network(state.config, inactive=True)}" in out


def test_a_jsonl_export_steps_exactly_as_the_database(url, tmp_path, capsys):
    path = tmp_path / "a.jsonl"
    assert run(capsys, "--db", url, "export", "--network", "a", "-o", str(path))[0] == 0
    from_db = run(capsys, "--db", url, "step", "a", "--to", "7")
    from_file = run(capsys, "--jsonl", str(path), "step", "a", "--to", "7")
    assert from_db == from_file and from_db[0] == 0


def test_bisect_names_the_event_that_added_a_host(url, tmp_path, capsys):
    predicate = f"count(//host[@mac='{MAC}']) > 0"
    code, out, _ = run(capsys, "--db", url, "bisect", "a", predicate, "--inactive")
    assert code == 0 and "first version after which the predicate holds: 5" in out
    assert "== version 5 " in out and f"+      <host mac='{MAC}'" in out
    path = tmp_path / "all.jsonl"
    run(capsys, "--db", url, "export", "-o", str(path))
    assert run(capsys, "--jsonl", str(path), "bisect", "a", predicate, "--inactive")[1] == out


def test_bisect_reports_a_predicate_that_never_holds(url, capsys):
    code, out, _ = run(capsys, "--db", url, "bisect", "a", "count(//host[@name='nobody']) > 0")
    assert code == 1 and "does not hold" in out


def test_export_of_an_unknown_network_writes_no_file(url, tmp_path, capsys):
    path = tmp_path / "x.jsonl"
    code, _, err = run(capsys, "--db", url, "export", "--network", "nothere", "-o", str(path))
    assert code == 1 and err == "error: no events of network 'nothere'\n" and not path.exists()


def test_export_to_stdout(url, capsys):
    code, out, err = run(capsys, "--db", url, "export", "--network", "b")
    assert code == 0 and err == "exported 1 events\n" and out.count("\n") == 1 and '"network":"b"' in out


def test_bisect_and_step_refuse_an_unknown_network(url, capsys):
    for command in (("bisect", "nothere", "//host"), ("step", "nothere")):
        code, _, err = run(capsys, "--db", url, *command)
        assert code == 1 and err == "error: no events of network 'nothere'\n"


def test_bisect_refuses_a_bad_xpath(url, capsys):
    code, _, err = run(capsys, "--db", url, "bisect", "a", "count(//host[")
    assert code == 1 and err.startswith("error: ") and "invalid XPath expression" in err


def test_verify_accepts_an_intact_log_and_reports_damage(url, capsys):
    code, out, _ = run(capsys, "--db", url, "verify")
    assert code == 0 and "10 events: hash chain intact" in out
    support.execute_sql(url, "UPDATE events SET reason = 'forged' WHERE position = 6")
    code, out, _ = run(capsys, "--db", url, "verify")
    assert code == 1 and out.startswith("position 6: hash does not match")


def test_export_then_import_into_an_empty_database_verifies(url, new_db_url, tmp_path, capsys):
    path, copy = tmp_path / "all.jsonl", new_db_url()
    assert run(capsys, "--db", url, "export", "-o", str(path))[0] == 0
    code, out, _ = run(capsys, "--db", copy, "import", str(path))
    assert code == 0 and out == "imported 10 events\n"
    assert run(capsys, "--db", copy, "verify")[0] == 0
    assert run(capsys, "--jsonl", str(path), "verify")[0] == 0
    code, _, err = run(capsys, "--db", copy, "import", str(path))
    assert code == 1 and "not empty" in err


def test_a_tampered_export_fails_verify_and_import(url, new_db_url, tmp_path, capsys):
    path = tmp_path / "all.jsonl"
    run(capsys, "--db", url, "export", "-o", str(path))
    path.write_text(path.read_text().replace('"host 3"', '"host 9"'))
    code, _, err = run(capsys, "--jsonl", str(path), "verify")
    assert code == 1 and err == "error: position 7: hash does not match the event's contents\n"
    code, _, err = run(capsys, "--db", new_db_url(), "import", str(path))
    assert code == 1 and "position 7" in err


def test_export_and_import_need_a_database(tmp_path, capsys):
    with pytest.raises(SystemExit) as raised:
        run(capsys, "--jsonl", str(tmp_path / "x.jsonl"), "export")
    assert raised.value.code == 2


def test_a_missing_file_is_an_error(tmp_path, capsys):
    code, _, err = run(capsys, "--jsonl", str(tmp_path / "missing.jsonl"), "step", "a")
    assert code == 1 and err.startswith("error: ")


def test_progress_draws_on_a_terminal_only():
    for terminal, drawn in ((True, True), (False, False)):
        out = io.StringIO()
        with DelayedProgress("verify", 10, Console(file=out, force_terminal=terminal), delay=0) as progress:
            progress(5)
        assert bool(out.getvalue()) is drawn


def test_progress_waits_for_its_delay():
    out = io.StringIO()
    with DelayedProgress("verify", 10, Console(file=out, force_terminal=True), delay=60) as progress:
        progress(5)
    assert out.getvalue() == ""


def test_verify_on_a_terminal_stays_quiet_when_fast(url, capsys):
    terminal = io.StringIO()
    code, _, _ = run(capsys, "--db", url, "verify", console=Console(file=terminal, force_terminal=True))
    assert code == 0 and terminal.getvalue() == ""


@pytest.mark.parametrize("command", [("verify",), ("step", "a")])
@pytest.mark.parametrize("terminal", [True, False])
def test_long_work_draws_a_bar_on_a_terminal_only(url, capsys, monkeypatch, command, terminal):
    monkeypatch.setattr(progress_module, "SHOW_AFTER", 0.0)  # every operation counts as long
    screen = io.StringIO()
    code, out, _ = run(capsys, "--db", url, *command, console=Console(file=screen, force_terminal=terminal))
    assert code == 0 and out
    assert bool(screen.getvalue()) is terminal


def test_step_through_is_streamed(db_url):
    def events() -> Iterator:
        with EventStore(db_url) as store:
            support.running(store, "s")
            for n in range(3):
                support.add_host(store, "s", n)
            yield from store.read_stream("s")
        raise AssertionError("read past the steps taken")

    steps = list(itertools.islice(replay.step_through("s", events()), 5))
    assert [step.event.version for step in steps] == [1, 2, 3, 4, 5]
