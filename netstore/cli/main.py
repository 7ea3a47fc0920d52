"""The ``netstore`` command group and its entry point."""

from __future__ import annotations

import click

from netstore.cli import admin, history, network, reconcile


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "db_url",
    metavar="URL",
    help="SQLAlchemy database URL (default: $NETSTORE_DB, else sqlite:///netstore.db).",
)
@click.pass_context
def cli(ctx: click.Context, db_url: str | None) -> None:
    """netstore: libvirt networks on an event-sourced store (virsh-style commands)."""
    ctx.ensure_object(dict)["db"] = db_url


for _command in (*network.COMMANDS, history.history, *admin.COMMANDS, reconcile.reconcile):
    cli.add_command(_command)


def main(args: list[str] | None = None) -> None:
    """Console script entry point."""
    cli.main(args=args, prog_name="netstore")
