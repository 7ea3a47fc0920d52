"""``netstore rollback NAME --to VERSION|TIME``: restore past definitions with a compensating event."""

from __future__ import annotations

import click

from netstore.cli.common import connection, failures, lookup
from netstore.cli.diffstyle import echo_diff


@click.command("rollback")
@click.argument("network")
@click.option("--to", "target", required=True, metavar="VERSION|ISO-TIME", help="The version (or time) to restore.")
@click.option("--actor", help="Who rolls back (recorded with the event).")
@click.option("--reason", help="Why (recorded with the event).")
@click.option("--dry-run", is_flag=True, help="Print the diff the rollback would make; append nothing.")
@click.pass_context
def rollback(ctx: click.Context, network: str, target: str, actor: str | None, reason: str | None,
             dry_run: bool) -> None:
    """Make the live and persistent definitions equal their state at --to, as one new event.

    History is kept: the rollback is appended (and can itself be rolled back).
    The live definition is restored only while the network runs; what cannot be
    restored is listed.

    Example: netstore rollback default --to 3 --reason "undo ticket 42"
    """
    net = lookup(connection(ctx), network)
    with failures(f"Failed to roll back network {network}"):
        result = net.rollback(target, actor=actor, reason=reason, dry_run=dry_run)
    echo_diff(result.diff)
    for sentence in result.not_restored:
        click.echo(f"note: {sentence}", err=True)
    if not result.restored:
        click.echo(f"Network {network} already equals version {result.target_version}; nothing appended")
    elif result.event is None:
        click.echo(f"Dry run: would restore {' and '.join(result.restored)} of network {network} "
                   f"to version {result.target_version}")
    else:
        click.echo(f"Network {network} rolled back to version {result.target_version} "
                   f"({' and '.join(result.restored)}) as version {result.event.version}")
    click.echo("")
