"""``netstore blame NAME``: which event introduced each current entry of a network."""

from __future__ import annotations

import json
from typing import Any

import click

from netstore.audit.blame import BlameEntry
from netstore.cli.common import connection, failures, lookup, table
from netstore.constants import VIR_NETWORK_XML_INACTIVE


@click.command("blame")
@click.argument("network")
@click.option("--inactive", is_flag=True, help="The persistent definition (default: the one XMLDesc shows).")
@click.option("--as-of", "as_of", metavar="VERSION|ISO-TIME",
              help="As the network was at this version or time (it may since have been removed).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def blame(ctx: click.Context, network: str, inactive: bool, as_of: str | None, as_json: bool) -> None:
    """For every DHCP host/range, DNS host/txt/srv, portgroup and forward interface: the event that added it.

    Example: netstore blame default --inactive
    """
    net = lookup(connection(ctx), network, removed_too=as_of is not None)
    with failures():
        entries = net.blame(VIR_NETWORK_XML_INACTIVE if inactive else 0, as_of)
    if as_json:
        click.echo(json.dumps([_record(entry) for entry in entries], indent=2))
        return
    header = ("Entry", "Keys", "Version", "Time", "Event", "Actor", "Reason")
    rows = [(_place(e), _keys(e), str(e.event.version), e.event.recorded_at.isoformat(timespec="seconds"),
             e.event.type.value, e.event.actor or "-", e.event.reason or "-") for e in entries]
    click.echo(table(header, rows))


def _place(entry: BlameEntry) -> str:
    return f"{entry.collection}[{entry.ip_index}]" if entry.collection.startswith("dhcp") else entry.collection


def _keys(entry: BlameEntry) -> str:
    return " ".join(f"{kind}={value}" for kind, value in entry.keys.items()) or "-"


def _record(entry: BlameEntry) -> dict[str, Any]:
    event = entry.event
    return {
        "scope": entry.scope,
        "collection": entry.collection,
        "ip_index": entry.ip_index,
        "index": entry.index,
        "keys": entry.keys,
        "item": entry.item,
        "version": event.version,
        "position": event.position,
        "recorded_at": event.recorded_at.isoformat(),
        "type": event.type.value,
        "actor": event.actor,
        "reason": event.reason,
    }
