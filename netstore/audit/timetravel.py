"""Time travel: a network's definitions as of a version or a moment, and the diff between two.

A point in a network's history is named by its version (an integer) or by an
ISO 8601 time (the version the network had then: its last event at or before
that moment; a time without a zone is UTC).
"""

from __future__ import annotations

import difflib
from datetime import UTC, datetime
from typing import Optional, Union

from netstore.errors import VIR_ERR_INVALID_ARG, VIR_ERR_NO_NETWORK, libvirtError
from netstore.model.format import format_network
from netstore.state import NetworkState
from netstore.store import EventStore

Moment = Union[int, str, datetime]  # a version, its text, or a time (ISO text or datetime)


def resolve_version(store: EventStore, name: str, at: Moment) -> int:
    """The version ``at`` names (0: before the network's first event); refuses one past the head."""
    head = store.head_version(name)
    if head == 0:
        raise libvirtError(VIR_ERR_NO_NETWORK, f"no network with matching name '{name}'")
    version = _version(store, name, at)
    if not 0 <= version <= head:
        raise libvirtError(VIR_ERR_INVALID_ARG, f"network '{name}' has no version {version} (versions 1 to {head})")
    return version


def _version(store: EventStore, name: str, at: Moment) -> int:
    if isinstance(at, bool):
        raise libvirtError(VIR_ERR_INVALID_ARG, f"'{at}' is neither a version nor an ISO date/time")
    if isinstance(at, int):
        return at
    if isinstance(at, datetime):
        return store.version_at(name, _aware(at))
    text = at.strip()
    if text.lstrip("-").isdigit():
        return int(text)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise libvirtError(VIR_ERR_INVALID_ARG, f"'{at}' is neither a version nor an ISO date/time") from None
    return store.version_at(name, _aware(moment))


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def state_as_of(store: EventStore, name: str, at: Moment) -> tuple[int, Optional[NetworkState]]:
    """The version ``at`` names and the network's state then (None: it did not exist)."""
    version = resolve_version(store, name, at)
    return version, store.state_at(name, version) if version else None


def definition_xml(state: Optional[NetworkState], inactive: bool = False) -> str:
    """What XMLDesc printed for ``state`` (``""``: no network)."""
    defn = state.current(inactive) if state is not None else None
    return format_network(defn, inactive=inactive) if defn is not None else ""


def xml_as_of(store: EventStore, name: str, at: Moment, inactive: bool = False) -> str:
    """XMLDesc of ``name`` as it was at ``at``; refuses a point where the network did not exist."""
    version, state = state_as_of(store, name, at)
    if state is None:
        raise libvirtError(VIR_ERR_NO_NETWORK, f"network '{name}' did not exist at version {version}")
    return definition_xml(state, inactive)


def unified_diff(before: str, after: str, before_label: str, after_label: str) -> str:
    """A unified diff of two XML texts (``""`` when they are equal)."""
    lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                 before_label, after_label)
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def diff_as_of(store: EventStore, name: str, start: Moment, end: Moment, inactive: bool = False) -> str:
    """The unified diff of XMLDesc between two points of ``name``'s history (``""``: equal)."""
    first, before = state_as_of(store, name, start)
    second, after = state_as_of(store, name, end)
    return unified_diff(definition_xml(before, inactive), definition_xml(after, inactive),
                        f"{name}@{first}", f"{name}@{second}")
