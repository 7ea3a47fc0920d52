"""The hostile-input corpus (tests/fleet/hostile.py): refused with a libvirt-style error, nothing changed.

Through the library (a libvirtError with a code and a message), through the
CLI (exit status 1 or 2 and one ``error: ...`` line), with the event count
unchanged after each input; and, as root in a network namespace, with a
reconciler's state directory byte-identical before and after the corpus.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import netstore
from netstore.api.constants import VIR_ERR_NO_NETWORK
from netstore.cli.main import cli
from netstore.fleet.hosts import HOST_ID_ENV
from tests.fleet.hostile import BASE, BASE_XML, Hostile, call_library, cli_args, corpus
from tests.helpers import require
from tests.reconciler import netns as harness

NETSTORE = Path(sys.executable).with_name("netstore")
CASES = corpus()


@pytest.fixture
def base_url(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv(HOST_ID_ENV, "nsf-hostile")
    with netstore.open(db_url) as conn:
        conn.networkDefineXML(BASE_XML).create()
    return db_url


def test_the_corpus_has_at_least_500_inputs_of_every_kind() -> None:
    assert len(CASES) >= 500
    assert {case.kind for case in CASES} == {"define", "create", "update", "assign"}


def refusals_through_library(url: str, cases: list[Hostile] = CASES) -> list[str]:
    """The cases the library did not refuse properly (empty: all refused, nothing appended)."""
    wrong = []
    with netstore.open(url) as conn:
        for case in cases:
            before = conn.store.head_position()
            try:
                call_library(conn, case)
                wrong.append(f"{case.label}: accepted")
            except netstore.libvirtError as err:
                if not err.get_error_code() or not str(err):
                    wrong.append(f"{case.label}: error without code or message")
            if conn.store.head_position() != before:
                wrong.append(f"{case.label}: appended an event")
    return wrong


def refusals_through_cli(url: str, folder: Path) -> list[str]:
    wrong = []
    runner = CliRunner()
    with netstore.open(url) as conn:
        for index, case in enumerate(CASES):
            before = conn.store.head_position()
            done = runner.invoke(cli, ["--db", url, *cli_args(case, folder, index)])
            if done.exit_code not in (1, 2) or not done.output.startswith("error: "):
                wrong.append(f"{case.label}: exit {done.exit_code}, {done.output[-200:]!r}")
            if conn.store.head_position() != before:
                wrong.append(f"{case.label}: appended an event")
    return wrong


def test_every_input_is_refused_by_the_library_and_appends_nothing(base_url: str) -> None:
    assert refusals_through_library(base_url) == []


def test_every_input_is_refused_by_the_cli_and_appends_nothing(base_url: str, tmp_path: Path) -> None:
    assert refusals_through_cli(base_url, tmp_path) == []


@pytest.mark.parametrize("name", [f"{BASE}\x00", "\x00", "x\x00y"])
def test_a_name_with_a_nul_byte_is_not_found_on_either_backend(base_url: str, name: str) -> None:
    """As on SQLite, PostgreSQL's lookup is "not found" (it used to fail: text there cannot hold NUL)."""
    with netstore.open(base_url) as conn:
        for lookup in (conn.networkLookupByName, conn.networkLookupInHistory, conn.history):
            with pytest.raises(netstore.libvirtError) as missing:
                lookup(name)
            assert (missing.value.get_error_code(), missing.value.get_error_message()) == (
                VIR_ERR_NO_NETWORK, f"Network not found: no network with matching name '{name}'")


@pytest.fixture
def host_ns() -> Iterator[str]:
    require(harness.can_use_namespaces(), "namespaces, dnsmasq and root are needed to run a reconciler")
    with harness.namespace("f") as name:
        yield name


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_no_daemon_file_changes(base_url: str, host_ns: str, tmp_path: Path) -> None:
    state, run = tmp_path / "state", tmp_path / "run"
    argv = ["ip", "netns", "exec", host_ns, str(NETSTORE), "--db", base_url, "reconcile", "--once",
            "--state-dir", str(state), "--run-dir", str(run)]
    env = {**os.environ, HOST_ID_ENV: "nsf-hostile"}
    subprocess.run(argv, check=True, capture_output=True, timeout=60, env=env)
    before = _digest(state)
    assert any(name.endswith(".hostsfile") for name in before), before
    assert refusals_through_library(base_url) == []
    (tmp_path / "cli").mkdir()
    assert refusals_through_cli(base_url, tmp_path / "cli") == []
    subprocess.run(argv, check=True, capture_output=True, timeout=60, env=env)
    assert _digest(state) == before
