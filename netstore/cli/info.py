"""virsh's ``net-info``, ``net-uuid`` and ``net-name``: what a network is called and its state."""

from __future__ import annotations

import json

import click

from netstore.api import Network
from netstore.cli.common import connection, example, failures, lookup, lookup_by_name, lookup_by_uuid, yes_no
from netstore.errors import libvirtError

LABEL_WIDTH = 15  # virsh prints "%-15s %s"


@click.command("net-info", epilog=example("netstore net-info default", "netstore net-info default --json"))
@click.argument("network")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def net_info(ctx: click.Context, network: str, as_json: bool) -> None:
    """Show a network's name, uuid, state, autostart and bridge (by name or uuid)."""
    net = lookup(connection(ctx), network)
    with failures():
        facts = info_of(net)
    if as_json:
        click.echo(json.dumps(facts, indent=2))
        return
    labels = {"name": "Name:", "uuid": "UUID:", "active": "Active:", "persistent": "Persistent:"}
    labels |= {"autostart": "Autostart:", "bridge": "Bridge:"}
    for key, label in labels.items():
        value = facts[key]
        if value is not None:
            click.echo(f"{label:<{LABEL_WIDTH}} {yes_no(value) if isinstance(value, bool) else value}")
    click.echo("")


def info_of(net: Network) -> dict[str, str | bool | None]:
    """net-info's facts; ``bridge`` is None for a network without a bridge (virsh omits the line)."""
    try:
        bridge: str | None = net.bridgeName()
    except libvirtError:
        bridge = None
    return {
        "name": net.name(),
        "uuid": net.UUIDString(),
        "active": bool(net.isActive()),
        "persistent": bool(net.isPersistent()),
        "autostart": bool(net.autostart()),
        "bridge": bridge,
    }


@click.command("net-uuid", epilog=example("netstore net-uuid default"))
@click.argument("network")
@click.pass_context
def net_uuid(ctx: click.Context, network: str) -> None:
    """Print the uuid of the network with this name."""
    click.echo(lookup_by_name(connection(ctx), network).UUIDString())
    click.echo("")


@click.command("net-name", epilog=example("netstore net-name 458ec25b-5297-4752-9b2f-eb93162f5bc1"))
@click.argument("uuid")
@click.pass_context
def net_name(ctx: click.Context, uuid: str) -> None:
    """Print the name of the network with this uuid."""
    click.echo(lookup_by_uuid(connection(ctx), uuid).name())
    click.echo("")


COMMANDS = (net_info, net_uuid, net_name)
