"""``netstore net-assign``: give a network to the fleet host whose reconciler serves it."""

from __future__ import annotations

import click

from netstore.cli.common import connection, example, failures, lookup, say


@click.command("net-assign", epilog=example("netstore net-assign default hv2 --reason 'drain hv1'"))
@click.argument("network")
@click.argument("host")
@click.option("--actor", help="Who makes the change (recorded with the event).")
@click.option("--reason", help="Why (recorded with the event).")
@click.pass_context
def net_assign(ctx: click.Context, network: str, host: str, actor: str | None, reason: str | None) -> None:
    """Assign a network to a fleet host: its reconciler starts serving it, the old host's stops."""
    net = lookup(connection(ctx), network)
    with failures(f"Failed to assign network {network}"):
        net.setHost(host, actor=actor, reason=reason)
    say(f"Network {network} assigned to host {host}")
