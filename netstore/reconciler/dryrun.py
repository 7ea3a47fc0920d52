"""``--dry-run``: a plan as text (unified diffs for files, one line per signal or process start)."""

from __future__ import annotations

from collections.abc import Sequence

from netstore.reconciler.actions import Action, RemoveFile, WriteFile
from netstore.reconciler.files import unified_diff


def plan_text(network: str, actions: Sequence[Action]) -> str:
    """What applying ``actions`` would do, without doing it."""
    parts: list[str] = []
    for action in actions:
        parts.append(f"network {network}: would {action.describe()}\n")
        if isinstance(action, WriteFile):
            parts.append(unified_diff(action.path, action.content))
        elif isinstance(action, RemoveFile):
            parts.append(unified_diff(action.path, None))
    return "".join(parts)
