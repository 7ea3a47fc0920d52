"""The CLI as a whole: --help with an example everywhere, exit codes, clean errors, --json listings."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from netstore.cli.main import cli
from tests.api.missing_database import missing_database
from tests.cli.support import Netstore, failed, ok

XML = "<network><name>nsxj</name><forward mode='bridge'/><bridge name='lo'/></network>"
LISTINGS = [("net-list", "--all"), ("history", "nsxj")]
BAD_DATABASE_COMMANDS = [("net-list",), ("net-info", "x"), ("history", "x"), ("verify",), ("net-event", "--timeout", "1")]


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for name, command in group.commands.items():
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))


@pytest.mark.parametrize("path", [(), *_commands(cli)], ids=lambda p: " ".join(p) or "netstore")
def test_every_command_has_help_with_an_example(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0
    assert "Example:\n    netstore " in result.stdout, result.stdout


@pytest.mark.parametrize("args", LISTINGS)
def test_listings_print_json(db_url: str, tmp_path: Path, args: tuple[str, ...]) -> None:
    ns = Netstore(db_url, tmp_path)
    ok(ns("net-define", ns.file("j.xml", XML)))
    parsed = json.loads(ok(ns(*args, "--json")))
    assert isinstance(parsed, list) and parsed


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("net-info", "nsxj"), 0),
        (("net-info", "nope"), 1),
        (("net-start", "nsxj", "extra"), 2),
        (("net-info",), 2),
        (("no-such-command",), 2),
        (("net-list", "--bogus"), 2),
    ],
)
def test_exit_codes(db_url: str, tmp_path: Path, args: tuple[str, ...], code: int) -> None:
    ns = Netstore(db_url, tmp_path)
    ok(ns("net-define", ns.file("j.xml", XML)))
    result = ns(*args)
    assert result.exit_code == code, result.output
    if code:
        assert result.stderr.startswith("error: ") and "Usage:" not in result.stderr


@pytest.mark.sqlite_only("a file that is not a SQLite database")
@pytest.mark.parametrize("command", BAD_DATABASE_COMMANDS)
def test_a_file_that_is_not_a_database_is_one_clean_line(tmp_path: Path, command: tuple[str, ...]) -> None:
    junk = tmp_path / "junk.db"
    junk.write_text("not a database\n")
    result = CliRunner().invoke(cli, ["--db", f"sqlite:///{junk}", *command])
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: cannot open database sqlite:///{junk}: database error: file is not a database\n")
    assert junk.read_text() == "not a database\n"


@pytest.mark.parametrize("command", BAD_DATABASE_COMMANDS)
def test_a_database_that_does_not_exist_is_one_clean_line(db_url: str, command: tuple[str, ...]) -> None:
    missing = missing_database(db_url)
    result = CliRunner().invoke(cli, ["--db", missing.url, *command])
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("error: ") and missing.is_the_message(line[len("error: "):]), line
    assert not missing.exists()


def test_an_unknown_database_scheme() -> None:
    result = CliRunner().invoke(cli, ["--db", "mysql://h/db", "net-list"])
    assert failed(result) == "error: no connection driver available for mysql://h/db\n"


def test_the_console_script_exits_as_documented(db_url: str) -> None:
    script = Path(sys.executable).parent / "netstore"
    done = subprocess.run([str(script), "--db", db_url, "net-info", "nope"],
                          capture_output=True, text=True, check=False, timeout=60)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == "error: failed to get network 'nope'\nerror: Network not found: no network with matching name 'nope'\n"
    usage = subprocess.run([str(script), "net-info"], capture_output=True, text=True, check=False, timeout=60)
    assert (usage.returncode, usage.stderr) == (2, "error: Missing argument 'NETWORK'.\n")
