"""virsh's ``net-edit``: a network's persistent definition in an editor, defined again when changed."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

import click

from netstore.api.constants import VIR_NETWORK_XML_INACTIVE
from netstore.cli.common import connection, example, fail, failures, lookup, read_file, say

DEFAULT_EDITOR = "vi"


@click.command(
    "net-edit",
    epilog=example("netstore net-edit default", "EDITOR=nano netstore net-edit default --reason 'widen the range'"),
)
@click.argument("network")
@click.option("--actor", help="Who makes the change (recorded with the event).")
@click.option("--reason", help="Why (recorded with the event).")
@click.pass_context
def net_edit(ctx: click.Context, network: str, actor: str | None, reason: str | None) -> None:
    """Edit a network's persistent definition in $VISUAL, else $EDITOR, else vi.

    When the file is saved changed, it is defined (over a running network it becomes the
    config the next start uses).  If the definition is refused, the edited file is kept
    and named, so it can be fixed and passed to net-define.
    """
    conn = connection(ctx)
    net = lookup(conn, network)
    with failures():
        original = net.XMLDesc(VIR_NETWORK_XML_INACTIVE)
    path = _write_temporary(original)
    edited = _edit(path)
    if edited == original:
        path.unlink()
        say(f"Network {net.name()} XML configuration not changed.")
        return
    with failures():
        current = net.XMLDesc(VIR_NETWORK_XML_INACTIVE)
    if current != original:
        fail("The XML configuration was changed by another user.", f"Your edit is kept in {path}")
    with failures(f"Failed to define network from {path}"):
        defined = conn.networkDefineXML(edited, actor=actor, reason=reason)
    path.unlink()
    say(f"Network {defined.name()} XML configuration edited.")


def _write_temporary(text: str) -> Path:
    handle, name = tempfile.mkstemp(prefix="netstore", suffix=".xml")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    return Path(name)


def _edit(path: Path) -> str:
    """Run the user's editor on ``path`` (a shell command, as virsh runs it) and read the result."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or DEFAULT_EDITOR
    try:
        status = subprocess.run(["sh", "-c", f'{editor} "$1"', "netstore-edit", str(path)], check=False).returncode
    except OSError as err:
        path.unlink()
        fail(f"cannot run editor '{editor}': {err.strerror}")
    if status != 0:
        path.unlink()
        fail(f"editor '{editor}' failed with exit status {status}; nothing changed")
    return read_file(str(path))


COMMANDS = (net_edit,)
