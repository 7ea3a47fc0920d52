"""The ``netstore`` command group and its entry point.

Exit codes (contract §5): 0 success, 1 the operation failed or a check found
damage, 2 usage error.  Every error, click's usage errors included, is one
``error: <message>`` line on stderr.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import click

from netstore.cli import admin, blame, diff, edit, event, fleet, history, info, network, reconcile, rollback
from netstore.cli.common import EXIT_FAILED, example
from netstore.cli.examples import add_examples


class NetstoreGroup(click.Group):
    """A click group whose errors read ``error: <message>`` and exit 1 (2 for usage errors)."""

    def main(  # type: ignore[override]
        self, args: Sequence[str] | None = None, prog_name: str | None = None, **extra: Any
    ) -> Any:
        standalone = extra.pop("standalone_mode", True)
        try:
            outcome = super().main(args, prog_name, standalone_mode=False, **extra)
        except click.ClickException as err:
            click.echo(f"error: {err.format_message()}", err=True)
            outcome = err.exit_code
        except click.Abort:
            click.echo("error: aborted", err=True)
            outcome = EXIT_FAILED
        code = outcome if isinstance(outcome, int) else 0
        if not standalone:
            return code
        sys.exit(code)


@click.group(
    cls=NetstoreGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=example("netstore net-list --all", "netstore --db sqlite:////var/lib/netstore/netstore.db net-info default"),
)
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


for _command in (
    *network.COMMANDS,
    *info.COMMANDS,
    *edit.COMMANDS,
    *event.COMMANDS,
    history.history,
    blame.blame,
    diff.diff,
    rollback.rollback,
    fleet.net_assign,
    *admin.COMMANDS,
    reconcile.reconcile,
):
    add_examples(_command)
    cli.add_command(_command)


def main(args: list[str] | None = None) -> None:
    """Console script entry point."""
    cli.main(args=args, prog_name="netstore")
