"""Running the CLI and virsh side by side."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

from click.testing import CliRunner, Result

from netstore.cli.main import cli
from tests.helpers import require


class Netstore:
    """Runs the CLI against the database ``url``; input files go to ``folder``."""

    def __init__(self, url: str, folder: Path) -> None:
        self.url = url
        self.folder = folder

    def __call__(self, *args: str, env: Mapping[str, str | None] | None = None) -> Result:
        return CliRunner().invoke(cli, ["--db", self.url, *args], env=env)

    def file(self, name: str, text: str) -> str:
        path = self.folder / name
        path.write_text(text)
        return str(path)


def ok(result: Result) -> str:
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result.stdout


def failed(result: Result, code: int = 1) -> str:
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result.stderr


def virsh(*commands: str, env: Mapping[str, str | None] | None = None) -> tuple[str, str]:
    """stdout and stderr of one virsh session on test:///default running ``commands`` in turn.

    ``env`` adds variables to the environment (None: removes one).
    """
    environment = {**os.environ, **(env or {})}
    require(shutil.which("virsh") is not None, "virsh (libvirt-clients) is not installed")
    done = subprocess.run(
        ["virsh", "-c", "test:///default", " ; ".join(commands)],
        capture_output=True,
        text=True,
        env={key: value for key, value in environment.items() if value is not None},
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )
    return done.stdout, done.stderr


def editor_script(folder: Path, name: str, body: str) -> str:
    """An executable shell script to use as $EDITOR; ``$1`` is the file to edit."""
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)
    return str(path)
