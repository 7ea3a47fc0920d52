"""The lint and type gate: ruff, mypy and the import-linter layer contract, run by the test suite.

Each tool is the one installed next to the interpreter running the tests (the
``test`` extra installs all three); their configuration is in pyproject.toml.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import REPO_ROOT, require

BIN = Path(sys.executable).parent
CHECKS = {
    "ruff": ["check", "netstore", "tests", "tools", "migrations"],
    "mypy": [],
    "lint-imports": [],
}


@pytest.mark.parametrize("tool", sorted(CHECKS))
def test_tool_finds_nothing(tool: str) -> None:
    executable = BIN / tool
    require(executable.exists(), f"{tool} is not installed next to {sys.executable} (pip install -e '.[test]')")
    result = subprocess.run([str(executable), *CHECKS[tool]], cwd=REPO_ROOT, capture_output=True, text=True,
                            timeout=900, check=False)
    assert result.returncode == 0, f"{tool} reported:\n{result.stdout}{result.stderr}"
