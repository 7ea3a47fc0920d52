"""Events as people and scripts read them: a one-line description and a JSON-able record."""

from __future__ import annotations

from typing import Any, Optional

from netstore.audit.changes import EventDiff
from netstore.constants import COMMAND_NAMES, SECTION_NAMES
from netstore.events import Event, EventType, assigned_host

COMMAND_TEXT = {value: name for name, value in COMMAND_NAMES.items()}
SECTION_TEXT = {value: name for name, value in SECTION_NAMES.items()}


def describe(event: Event) -> str:
    """What an event changed, in a few words ("add-last ip-dhcp-host (live+config)")."""
    change = event.change
    if change.type is EventType.UPDATE:
        command = COMMAND_TEXT.get(change.command or 0, str(change.command))
        section = SECTION_TEXT.get(change.section or 0, str(change.section))
        return f"{command} {section} ({_targets(event)})"
    if change.type is EventType.AUTOSTART:
        return "on" if change.autostart else "off"
    if change.type is EventType.ROLLBACK:
        return f"to version {rolled_back_to(event)} ({_targets(event)})"
    if change.type is EventType.ASSIGN:
        return f"to host {assigned_host(change)}"
    return "-"


def _targets(event: Event) -> str:
    scopes = (("live", event.change.affects_live), ("config", event.change.affects_config))
    return "+".join(name for name, affected in scopes if affected)


def rolled_back_to(event: Event) -> Optional[int]:
    """The version a rollback event restored (None for any other event)."""
    if event.type is not EventType.ROLLBACK or not event.change.effects:
        return None
    return int(event.change.effects[0]["to_version"])


def event_record(event: Event, diff: Optional[EventDiff] = None) -> dict[str, Any]:
    """An event as the JSON object ``history --json`` prints (with ``diff`` when given)."""
    change = event.change
    record: dict[str, Any] = {
        "version": event.version,
        "position": event.position,
        "recorded_at": event.recorded_at.isoformat(),
        "type": event.type.value,
        "command": COMMAND_TEXT.get(change.command) if change.command is not None else None,
        "section": SECTION_TEXT.get(change.section) if change.section is not None else None,
        "parent_index": change.parent_index,
        "flags": change.flags,
        "affects_live": change.affects_live,
        "affects_config": change.affects_config,
        "autostart": change.autostart,
        "xml": change.xml,
        "rolled_back_to": rolled_back_to(event),
        "actor": event.actor,
        "reason": event.reason,
        "idempotency_key": event.idempotency_key,
        "hash": event.hash,
    }
    if diff is not None:
        record["diff"] = {"live": diff.live, "config": diff.config}
    return record
