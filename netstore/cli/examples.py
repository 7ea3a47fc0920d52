"""``--help`` examples for the commands whose modules do not give their own (``epilog``).

Commands of the contract (§5) that other modules provide are listed too, so each
command's help has an example however it is registered.
"""

from __future__ import annotations

import click

from netstore.cli.common import example

EXAMPLES = {
    "net-define": ("netstore net-define examples/default.xml",),
    "net-create": ("netstore net-create examples/default.xml",),
    "net-start": ("netstore net-start default",),
    "net-destroy": ("netstore net-destroy default",),
    "net-undefine": ("netstore net-undefine default",),
    "net-autostart": ("netstore net-autostart default", "netstore net-autostart default --disable"),
    "net-list": ("netstore net-list --all", "netstore net-list --all --json"),
    "net-dumpxml": ("netstore net-dumpxml default --inactive",),
    "net-update": (
        "netstore net-update default add-last ip-dhcp-host "
        "\"<host mac='52:54:00:00:00:01' ip='192.168.122.10'/>\" --live --config --reason 'vm1'",
    ),
    "history": ("netstore history default --actor deploy-bot --json",),
    "net-dhcp-leases": ("netstore net-dhcp-leases default", "netstore net-dhcp-leases default --json"),
    "blame": ("netstore blame default --inactive --json",),
    "diff": ("netstore diff default 3 7 --inactive",),
    "rollback": ("netstore rollback default --to 3 --reason 'undo ticket 42' --dry-run",),
    "reconcile": ("netstore reconcile --once --dry-run",),
    "verify": ("netstore verify",),
    "db": ("netstore db upgrade", "netstore db current"),
    "upgrade": ("netstore --db postgresql+psycopg://netstore@db/netstore db upgrade",),
    "current": ("netstore db current",),
}


def add_examples(command: click.Command) -> None:
    """Give ``command`` (and a group's subcommands) its example, unless it has an epilog already."""
    if command.epilog is None and command.name in EXAMPLES:
        command.epilog = example(*EXAMPLES[command.name])
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            add_examples(sub)
