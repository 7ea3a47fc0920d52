"""``netstore history NAME``: a network's events, oldest first, filtered; with ``--diff`` the change each made."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import click

from netstore.audit.changes import EventDiff
from netstore.audit.query import DEFAULT_LIMIT, HistoryFilter
from netstore.audit.records import describe, event_record
from netstore.cli.common import connection, failures, table, usage_error
from netstore.cli.diffstyle import echo_diff
from netstore.constants import COMMAND_NAMES, SECTION_NAMES
from netstore.events import Event


@click.command("history")
@click.argument("network")
@click.option("--since", help="Only events at or after this ISO time.")
@click.option("--until", help="Only events at or before this ISO time.")
@click.option("--actor", help="Only events recorded with this actor.")
@click.option("--section", help="Only updates of this section (virsh name, e.g. ip-dhcp-host).")
@click.option("--command", "command_name", help="Only updates with this command (add-last, add-first, delete, modify).")
@click.option("--after", "after_version", type=click.IntRange(min=0), default=0,
              help="Only events after this version (the next page).")
@click.option("--limit", type=click.IntRange(min=1), default=DEFAULT_LIMIT, show_default=True,
              help="At most this many events.")
@click.option("--diff", "with_diff", is_flag=True, help="Show the unified diff each event made (live, persistent).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def history(ctx: click.Context, network: str, since: str | None, until: str | None, actor: str | None,
            section: str | None, command_name: str | None, after_version: int, limit: int, with_diff: bool,
            as_json: bool) -> None:
    """List a network's events: version, time, type, section/command, actor, reason.

    Example: netstore history default --actor deploy-bot --since 2026-12-01 --diff
    """
    wanted = HistoryFilter(since=_moment(since, "--since"), until=_moment(until, "--until"), actor=actor,
                           section=_named(SECTION_NAMES, section, "section"),
                           command=_named(COMMAND_NAMES, command_name, "command"),
                           after_version=after_version, limit=limit + 1)
    conn = connection(ctx)
    with failures():
        selected = conn.history(network, wanted)
        more = len(selected) > limit
        selected = selected[:limit]
        diffs = conn.history_diffs(network, selected) if with_diff else {}
    if more:
        click.echo(f"note: more events follow; the next page: --after {selected[-1].version}", err=True)
    if as_json:
        records = [event_record(e, diffs.get(e.version)) for e in selected]
        click.echo(json.dumps(records, indent=2))
        return
    _print_table(selected, diffs)


def _print_table(selected: list[Event], diffs: dict[int, EventDiff]) -> None:
    header = ("Version", "Time", "Event", "Change", "Actor", "Reason")
    rows = [(str(e.version), _time(e.recorded_at), e.type.value, describe(e), e.actor or "-", e.reason or "-")
            for e in selected]
    if not diffs:
        click.echo(table(header, rows))
        return
    lines = table(header, rows).splitlines()
    click.echo("\n".join(lines[:2]))
    for row, event in zip(lines[2:], selected, strict=True):
        click.echo(row)
        diff = diffs[event.version]
        echo_diff(diff.live + diff.config)


def _named(names: dict[str, int], text: str | None, what: str) -> int | None:
    if text is None:
        return None
    value = names.get(text)
    if not value:
        usage_error(f"unrecognized {what} name '{text}'")
    return value


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
