"""``net-dhcp-leases``: a network's DHCP leases, printed as virsh prints them."""

from __future__ import annotations

import json
import time
from typing import Any, Optional

import click

from netstore.cli.common import connection, failures, lookup, table

HEADER = ("Expiry Time", "MAC address", "Protocol", "IP address", "Hostname", "Client ID or DUID")
PROTOCOLS = {0: "ipv4", 1: "ipv6"}


@click.command("net-dhcp-leases")
@click.argument("network")
@click.option("--mac", metavar="MAC", help="Only the leases of this MAC address.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (libvirt-python's lease dicts).")
@click.pass_context
def net_dhcp_leases(ctx: click.Context, network: str, mac: Optional[str], as_json: bool) -> None:
    """Print the network's DHCP leases (from dnsmasq's lease file), sorted by MAC address."""
    net = lookup(connection(ctx), network)
    with failures(f"Failed to get leases info for {network}"):
        leases = sorted(net.DHCPLeases(mac), key=lambda lease: str(lease["mac"]).lower())
    if as_json:
        click.echo(json.dumps(leases, indent=2))
        return
    click.echo(table(HEADER, [lease_row(lease) for lease in leases]))


def lease_row(lease: dict[str, Any]) -> tuple[str, ...]:
    """One table row: local expiry time, MAC, protocol, address/prefix, hostname, client id ("-" when unknown)."""
    return (
        time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(lease["expirytime"])),
        lease["mac"] or "-",
        PROTOCOLS.get(lease["type"], "-"),
        f"{lease['ipaddr']}/{lease['prefix']}",
        lease["hostname"] or "-",
        lease["clientid"] or "-",
    )
