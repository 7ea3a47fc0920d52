"""The README's examples run as written and print what the README shows (they cannot drift)."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.helpers import REPO_ROOT, ci, require

QUICK_START = re.compile(r"## Quick start.*?```sh\n(.*?)\n```", re.DOTALL)
MAIN_JOB_OUTPUT = re.compile(r"The main job prints.*?```\n(.*?)```", re.DOTALL)
QUICK_START_TIMEOUT = 1800


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("readme_examples", REPO_ROOT / "tools" / "readme_examples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def tool() -> ModuleType:
    return _tool()


def test_the_readme_has_examples_for_every_virsh_command(tool: ModuleType) -> None:
    commands = " ".join(e.command for e in tool.examples(tool.README.read_text()))
    for name in ("net-define", "net-create", "net-start", "net-destroy", "net-undefine", "net-autostart",
                 "net-list", "net-info", "net-uuid", "net-name", "net-dumpxml", "net-update", "net-edit",
                 "net-event", "history", "verify", "db upgrade", "db current"):
        assert f"netstore {name}" in commands, name


def test_the_readme_examples_print_what_the_readme_shows(tool: ModuleType) -> None:
    folder = tool.scratch_directory()
    try:
        problems = tool.mismatches(tool.README.read_text(), folder)
    finally:
        shutil.rmtree(folder)
    assert not problems, "\n\n".join(problems)


def test_a_wrong_expectation_is_caught(tool: ModuleType, tmp_path: Path) -> None:
    text = "```console\n$ echo 'uuid 458ec25b-5297-4752-9b2f-eb93162f5bc1'\nuuid elsewhere\n```\n"
    assert len(tool.mismatches(text, tmp_path)) == 1
    same = "```console\n$ echo 'uuid 458ec25b-5297-4752-9b2f-eb93162f5bc1'\nuuid 11111111-2222-4333-8444-555555555555\n```\n"
    assert tool.mismatches(same, tmp_path) == []


def test_the_quick_start_in_a_fresh_clone(tmp_path: Path, tool: ModuleType) -> None:
    """Issue 11 item 5: the README's first command, as written, in an empty directory with a clone."""
    has_checkout = shutil.which("git") is not None and (REPO_ROOT / ".git").exists()
    if not ci():
        require(has_checkout, "no git checkout to clone")
    clone = tmp_path / "nsxclone"
    subprocess.run(["git", "clone", "-q", str(REPO_ROOT), str(clone)], check=True, timeout=300)
    readme = (clone / "README.md").read_text()
    command = QUICK_START.search(readme)
    shown = MAIN_JOB_OUTPUT.search(readme)
    assert command is not None and shown is not None
    env = {key: value for key, value in os.environ.items() if key not in ("NETSTORE_DB", "VIRTUAL_ENV")}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if ".venv" not in p)
    done = subprocess.run(["bash", "-c", command.group(1)], cwd=clone, env=env, capture_output=True, text=True,
                          timeout=QUICK_START_TIMEOUT, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    # stderr holds pip's notes about this machine; the README leaves out the final blank line
    assert tool.masked(done.stdout).rstrip() == tool.masked(shown.group(1)).rstrip()
