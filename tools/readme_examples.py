"""Run the README's examples and compare their output with what the README shows.

A fenced block whose info string is ``console`` is an example: each line starting
with ``$ `` is a command (run by bash in one scratch directory, in README order, so
later examples see what earlier ones did), and the lines up to the next command
are its expected output (stdout and stderr together, as on a terminal).  Uuids, MACs and times vary from
run to run and are masked before comparing.

    python tools/readme_examples.py            # run them; exit 1 and print a diff on a mismatch
    python tools/readme_examples.py --update   # write the real output into README.md
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
FENCE = re.compile(r"^```console\n(.*?)^```\n", re.MULTILINE | re.DOTALL)
PROMPT = "$ "
COMMAND_TIMEOUT = 120
MASKS = (
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "<uuid>"),
    (re.compile(r"52:54:00(:[0-9a-f]{2}){3}"), "<mac>"),
    (re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?(\+00:00|\+0000|Z)?"), "<time>"),
    (re.compile(r"/tmp/netstore\w+\.xml"), "<tmpfile>"),
    (re.compile(r"-{10,}"), "----------"),
    (re.compile(r" {2,}"), "  "),
)


@dataclass(frozen=True)
class Example:
    """One ``$ command`` of the README, its expected output, and where its block starts."""

    command: str
    expected: str
    line: int


def examples(text: str) -> Iterator[Example]:
    """The examples of a README text, in order."""
    for block in FENCE.finditer(text):
        line = text.count("\n", 0, block.start()) + 1
        command: str | None = None
        output: list[str] = []
        for row in block.group(1).splitlines():
            if row.startswith(PROMPT):
                if command is not None:
                    yield Example(command, _joined(output), line)
                command, output = row[len(PROMPT):], []
            else:
                output.append(row)
        if command is not None:
            yield Example(command, _joined(output), line)


def _joined(rows: list[str]) -> str:
    return "".join(f"{row}\n" for row in rows)


def masked(text: str) -> str:
    """``text`` with what varies between runs replaced by placeholders."""
    for pattern, placeholder in MASKS:
        text = pattern.sub(placeholder, text)
    return "\n".join(line.rstrip() for line in text.splitlines())


def scratch_directory() -> Path:
    """An empty directory holding a copy of the repository's examples/ (the README's files)."""
    folder = Path(tempfile.mkdtemp(prefix="nsxreadme"))
    shutil.copytree(REPO / "examples", folder / "examples")
    return folder


def run(example: Example, folder: Path) -> str:
    """What ``example.command`` prints (stdout and stderr, as a terminal shows them), run by bash in ``folder``."""
    env = {key: value for key, value in os.environ.items() if key not in ("NETSTORE_DB", "VISUAL")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    done = subprocess.run(
        ["bash", "-c", example.command], cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, timeout=COMMAND_TIMEOUT, check=False, stdin=subprocess.DEVNULL,
    )
    return done.stdout


def mismatches(text: str, folder: Path) -> list[str]:
    """A unified diff for each example whose masked output differs from the README's."""
    found = []
    for example in examples(text):
        expected, actual = masked(example.expected), masked(run(example, folder))
        if expected != actual:
            diff = difflib.unified_diff(expected.splitlines(), actual.splitlines(), "README", "actual", lineterm="")
            found.append(f"README.md:{example.line}: $ {example.command}\n" + "\n".join(diff))
    return found


def updated(text: str, folder: Path) -> str:
    """``text`` with each example's output replaced by what it prints now."""
    def block(match: re.Match[str]) -> str:
        parts = []
        for example in examples(match.group(0)):
            parts.append(f"{PROMPT}{example.command}\n{run(example, folder)}")
        return "```console\n" + "".join(parts) + "```\n"

    return FENCE.sub(block, text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="write the real output into README.md")
    args = parser.parse_args(argv)
    folder = scratch_directory()
    try:
        text = README.read_text(encoding="utf-8")
        if args.update:
            README.write_text(updated(text, folder), encoding="utf-8")
            return 0
        problems = mismatches(text, folder)
    finally:
        shutil.rmtree(folder)
    print("\n\n".join(problems) if problems else f"{len(list(examples(text)))} README examples ok")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
