"""Shared test helpers: capability gating, paths, unique names.

Tests that need something the machine may lack (libvirt-python, the corpus,
a daemon, root) call :func:`require`.  Normally a missing capability skips
the test; with ``NETSTORE_REQUIRE_ALL=1`` (CI and the README's test command)
it fails instead, so a broken install can never pass as "all skipped".
"""

from __future__ import annotations

import itertools
import os
import uuid
from pathlib import Path
from typing import NoReturn

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS_ENV = "NETSTORE_LIBVIRT_CORPUS"
CORPUS_CACHE = REPO_ROOT / ".cache" / "libvirt-9.0.0" / "tests"
REQUIRE_ALL_ENV = "NETSTORE_REQUIRE_ALL"

_counter = itertools.count()
_run_tag = uuid.uuid4().hex[:6]


def require_all() -> bool:
    """True when every skip must be a failure (``NETSTORE_REQUIRE_ALL=1``)."""
    return os.environ.get(REQUIRE_ALL_ENV) == "1"


def missing(reason: str) -> NoReturn:
    """Skip with ``reason``, or fail under ``NETSTORE_REQUIRE_ALL=1``."""
    if require_all():
        pytest.fail(f"{REQUIRE_ALL_ENV}=1 but a required capability is missing: {reason}", pytrace=False)
    pytest.skip(reason)


def require(condition: bool, reason: str) -> None:
    """Continue when ``condition`` holds; otherwise skip (or fail, see module doc)."""
    if not condition:
        missing(reason)


def corpus_path() -> Path:
    """libvirt 9.0.0's ``tests/`` directory (its test programs and data folders).

    ``$NETSTORE_LIBVIRT_CORPUS`` when set, else the git-ignored cache that
    ``tools/fetch_corpus.py`` fills (``tools/setup-and-test.sh`` runs it).
    """
    configured = os.environ.get(CORPUS_ENV)
    if configured:
        return Path(configured)
    return CORPUS_CACHE


def unique_name(prefix: str = "t") -> str:
    """A network name no other test in this process (or an earlier run) uses."""
    return f"{prefix}-{_run_tag}-{next(_counter)}"


def ci() -> bool:
    """True under CI (the ``CI`` environment variable is set and not false)."""
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def scaled(ci_count: int, local_count: int) -> int:
    """Pick a workload size: the full one in CI, a smaller one on a laptop.

    ``NETSTORE_FULL=1`` forces the CI size locally.
    """
    if ci() or os.environ.get("NETSTORE_FULL") == "1":
        return ci_count
    return local_count
