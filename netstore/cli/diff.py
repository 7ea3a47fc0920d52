"""``netstore diff NAME FROM TO``: the unified diff of a network's XML between two versions or times."""

from __future__ import annotations

import click

from netstore.cli.common import EXIT_FAILED, EXIT_USAGE, connection, fail, lookup
from netstore.cli.diffstyle import echo_diff
from netstore.constants import VIR_NETWORK_XML_INACTIVE
from netstore.errors import libvirtError


@click.command("diff")
@click.argument("network")
@click.argument("start", metavar="FROM")
@click.argument("end", metavar="TO")
@click.option("--inactive", is_flag=True, help="Compare the persistent definitions.")
@click.pass_context
def diff(ctx: click.Context, network: str, start: str, end: str, inactive: bool) -> None:
    """Diff XMLDesc at FROM and at TO (each a version or an ISO time).

    Exit 0 when equal, 1 when they differ, 2 on trouble (as diff does).  A network since
    removed is found in the log.

    Example: netstore diff default 3 2026-12-06T20:00:00
    """
    net = lookup(connection(ctx), network, removed_too=True)
    try:
        text = net.diff(start, end, VIR_NETWORK_XML_INACTIVE if inactive else 0)
    except libvirtError as err:
        fail(err.get_error_message(), code=EXIT_USAGE)
    echo_diff(text)
    if text:
        raise click.exceptions.Exit(EXIT_FAILED)
