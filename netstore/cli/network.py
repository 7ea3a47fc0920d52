"""virsh's network commands (tools/virsh-network.c): names, arguments and messages."""

from __future__ import annotations

import json
import re

import click

from netstore.api import Network
from netstore.api.constants import (
    VIR_CONNECT_LIST_NETWORKS_ACTIVE,
    VIR_CONNECT_LIST_NETWORKS_INACTIVE,
    VIR_NETWORK_XML_INACTIVE,
)
from netstore.cli.common import connection, failures, lookup, read_file, say, table, usage_error, yes_no
from netstore.cli.leases import net_dhcp_leases
from netstore.constants import COMMAND_NAMES, SECTION_NAMES, UpdateFlags

INT_MIN, INT_MAX = -(2**31), 2**31 - 1
_C_INT = re.compile(r"[ \t\n\v\f\r]*[+-]?[0-9]+")


def _from_file_command(name: str, summary: str, call: str, verb: str) -> click.Command:
    """A virsh command that reads network XML from a file and passes it to one connection method."""

    @click.command(name, help=summary)
    @click.argument("file")
    @click.option("--host", help="The fleet host whose reconciler serves it (default: $NETSTORE_HOST_ID, else every host).")
    @click.pass_context
    def command(ctx: click.Context, file: str, host: str | None) -> None:
        xml = read_file(file)
        with failures(f"Failed to {verb} network from {file}"):
            network = getattr(connection(ctx), call)(xml, host=host)
        say(f"Network {network.name()} {verb}d from {file}")

    return command


net_define = _from_file_command(
    "net-define", "Define a persistent network from an XML file.", "networkDefineXML", "define"
)
net_create = _from_file_command(
    "net-create",
    "Create and start a network from an XML file (transient unless defined).",
    "networkCreateXML",
    "create",
)


def _lifecycle_command(name: str, summary: str, call: str, failed: str, done: str) -> click.Command:
    """A virsh command that looks a network up by name and calls one method on it."""

    @click.command(name, help=summary)
    @click.argument("network")
    @click.pass_context
    def command(ctx: click.Context, network: str) -> None:
        net = lookup(connection(ctx), network)
        with failures(failed.format(network)):
            getattr(net, call)()
        say(done.format(network))

    return command


net_start = _lifecycle_command(
    "net-start", "Start a defined network.", "create", "Failed to start network {}", "Network {} started"
)
net_destroy = _lifecycle_command(
    "net-destroy", "Stop a network.", "destroy", "Failed to destroy network {}", "Network {} destroyed"
)
net_undefine = _lifecycle_command(
    "net-undefine",
    "Remove a network's persistent definition.",
    "undefine",
    "Failed to undefine network {}",
    "Network {} has been undefined",
)


@click.command("net-autostart")
@click.argument("network")
@click.option("--disable", is_flag=True, help="Turn autostart off.")
@click.pass_context
def net_autostart(ctx: click.Context, network: str, disable: bool) -> None:
    """Mark (or with --disable unmark) a network as autostarted."""
    net = lookup(connection(ctx), network)
    verb = "unmark" if disable else "mark"
    with failures(f"failed to {verb} network {network} as autostarted"):
        net.setAutostart(0 if disable else 1)
    say(f"Network {network} {verb}ed as autostarted")


@click.command("net-list")
@click.option("--all", "show_all", is_flag=True, help="Active and inactive networks.")
@click.option("--inactive", is_flag=True, help="Inactive networks only.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def net_list(ctx: click.Context, show_all: bool, inactive: bool, as_json: bool) -> None:
    """List networks (active ones unless --all or --inactive)."""
    flags = 0 if show_all else VIR_CONNECT_LIST_NETWORKS_INACTIVE if inactive else VIR_CONNECT_LIST_NETWORKS_ACTIVE
    with failures():
        networks = sorted(connection(ctx).listAllNetworks(flags), key=lambda n: n.name().lower())
        rows = [_summary(net) for net in networks]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    header = ("Name", "State", "Autostart", "Persistent")
    cells = [
        (r["name"], "active" if r["active"] else "inactive", yes_no(r["autostart"]), yes_no(r["persistent"]))
        for r in rows
    ]
    click.echo(table(header, cells))


@click.command("net-dumpxml")
@click.argument("network")
@click.option("--inactive", is_flag=True, help="The persistent definition (the one the next start uses).")
@click.option("--as-of", "as_of", metavar="VERSION|ISO-TIME", help="The XML as it was at this version or time.")
@click.pass_context
def net_dumpxml(ctx: click.Context, network: str, inactive: bool, as_of: str | None) -> None:
    """Print a network's XML (with --as-of, as it was then, even if it has since been removed)."""
    net = lookup(connection(ctx), network, removed_too=as_of is not None)
    flags = VIR_NETWORK_XML_INACTIVE if inactive else 0
    with failures():
        xml = net.XMLDesc(flags) if as_of is None else net.XMLDescAsOf(as_of, flags)
    click.echo(xml)


@click.command("net-update")
@click.argument("network")
@click.argument("command")
@click.argument("section")
@click.argument("xml")
@click.option("--parent-index", default="-1", help="Index of the <ip> for ip-dhcp-host/range (default -1: auto).")
@click.option("--live", is_flag=True, help="Change the running network.")
@click.option("--config", is_flag=True, help="Change the persistent config.")
@click.option("--current", is_flag=True, help="Change the running network if active, else the config.")
@click.option("--actor", help="Who makes the change (recorded with the event).")
@click.option("--reason", help="Why (recorded with the event).")
@click.pass_context
def net_update(
    ctx: click.Context,
    network: str,
    command: str,
    section: str,
    xml: str,
    parent_index: str,
    live: bool,
    config: bool,
    current: bool,
    actor: str | None,
    reason: str | None,
) -> None:
    """Update one part of a network's definition (virsh net-update)."""
    for other, given in (("live", live), ("config", config)):
        if current and given:
            usage_error(f"Options --current and --{other} are mutually exclusive")
    net = lookup(connection(ctx), network)
    command_value = _named(COMMAND_NAMES, "command", "add-last" if command == "add" else command, command)
    section_value = _named(SECTION_NAMES, "section", section, section)
    index = _parent_index(parent_index)
    text = xml if xml.startswith("<") else read_file(xml)
    flags = (UpdateFlags.AFFECT_CONFIG if config else 0) | (UpdateFlags.AFFECT_LIVE if live else 0)
    with failures(f"Failed to update network {net.name()}"):
        net.update(command_value, section_value, index, text, int(flags), actor=actor, reason=reason)
    click.echo(f"Updated network {net.name()} {_updated_part(net, live, config)}")


def _updated_part(net: Network, live: bool, config: bool) -> str:
    """What virsh says it updated; for --current it asks whether the network is active."""
    if config:
        return "persistent config and live state" if live else "persistent config"
    if live:
        return "live state"
    with failures():
        return "live state" if net.isActive() else "persistent config"


def _named(names: dict[str, int], kind: str, key: str, given: str) -> int:
    value = names.get(key, 0)
    if value <= 0:
        usage_error(f"unrecognized {kind} name '{given}'")
    return value


def _parent_index(text: str) -> int:
    """virsh's VSH_OT_INT parsing (virStrToLong_i): base 10, leading blanks, no trailing garbage."""
    if _C_INT.fullmatch(text) and INT_MIN <= int(text) <= INT_MAX:
        return int(text)
    usage_error(f"Numeric value '{text}' for <parent-index> option is malformed or out of range")


def _summary(net: Network) -> dict:
    return {
        "name": net.name(),
        "uuid": net.UUIDString(),
        "active": bool(net.isActive()),
        "persistent": bool(net.isPersistent()),
        "autostart": bool(net.autostart()),
    }


COMMANDS = (
    net_define,
    net_create,
    net_start,
    net_destroy,
    net_undefine,
    net_autostart,
    net_list,
    net_dumpxml,
    net_update,
    net_dhcp_leases,
)
