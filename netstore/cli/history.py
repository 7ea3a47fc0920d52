"""``netstore history NAME``: a network's events, oldest first."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import click

from netstore.cli.common import connection, fail, failures, table, usage_error
from netstore.constants import COMMAND_NAMES, SECTION_NAMES
from netstore.events import Event, EventType

_COMMAND_TEXT = {value: name for name, value in COMMAND_NAMES.items()}
_SECTION_TEXT = {value: name for name, value in SECTION_NAMES.items()}


@click.command("history")
@click.argument("network")
@click.option("--since", help="Only events at or after this ISO time.")
@click.option("--until", help="Only events at or before this ISO time.")
@click.option("--section", help="Only updates of this section (virsh name, e.g. ip-dhcp-host).")
@click.option("--actor", help="Only events recorded with this actor.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def history(
    ctx: click.Context,
    network: str,
    since: str | None,
    until: str | None,
    section: str | None,
    actor: str | None,
    as_json: bool,
) -> None:
    """List a network's events: version, time, type, section/command, actor, reason."""
    start, end = _moment(since, "--since"), _moment(until, "--until")
    section_value = SECTION_NAMES.get(section) if section is not None else None
    if section is not None and not section_value:
        usage_error(f"unrecognized section name '{section}'")
    with failures():
        found = list(connection(ctx).store.read_stream(network))
    if not found:
        fail(f"Network not found: no network with matching name '{network}'")
    selected = [
        e
        for e in found
        if (start is None or e.recorded_at >= start)
        and (end is None or e.recorded_at <= end)
        and (section_value is None or e.change.section == section_value)
        and (actor is None or e.actor == actor)
    ]
    if as_json:
        click.echo(json.dumps([event_record(e) for e in selected], indent=2))
        return
    header = ("Version", "Time", "Event", "Change", "Actor", "Reason")
    rows = [
        (str(e.version), _time(e.recorded_at), e.type.value, describe(e), e.actor or "-", e.reason or "-")
        for e in selected
    ]
    click.echo(table(header, rows))


def describe(event: Event) -> str:
    """What an event changed, in a few words ("add-last ip-dhcp-host (live+config)")."""
    change = event.change
    if change.type is EventType.UPDATE:
        scopes = (("live", change.affects_live), ("config", change.affects_config))
        targets = "+".join(name for name, affected in scopes if affected)
        command = _COMMAND_TEXT.get(change.command or 0, str(change.command))
        section = _SECTION_TEXT.get(change.section or 0, str(change.section))
        return f"{command} {section} ({targets})"
    if change.type is EventType.AUTOSTART:
        return "on" if change.autostart else "off"
    return "-"


def event_record(event: Event) -> dict:
    """An event as the JSON object ``history --json`` prints."""
    change = event.change
    return {
        "version": event.version,
        "position": event.position,
        "recorded_at": event.recorded_at.isoformat(),
        "type": event.type.value,
        "command": _COMMAND_TEXT.get(change.command) if change.command is not None else None,
        "section": _SECTION_TEXT.get(change.section) if change.section is not None else None,
        "parent_index": change.parent_index,
        "flags": change.flags,
        "affects_live": change.affects_live,
        "affects_config": change.affects_config,
        "autostart": change.autostart,
        "xml": change.xml,
        "actor": event.actor,
        "reason": event.reason,
        "idempotency_key": event.idempotency_key,
        "hash": event.hash,
    }


def _moment(text: str | None, option: str) -> datetime | None:
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        usage_error(f"{option}: '{text}' is not an ISO date/time")
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")
