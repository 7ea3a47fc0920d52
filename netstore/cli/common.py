"""What every command shares: the connection, virsh-style errors and tables.

Exit codes: 0 success, 1 the operation failed (or a check found damage),
2 usage error.  Errors go to stderr as ``error: <message>``; like virsh, a
failed call is reported as a line saying what failed, then libvirt's message.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import NoReturn

import click

from netstore.api import Connection, Network
from netstore.api import open as open_connection
from netstore.api.boundary import as_libvirt_error
from netstore.errors import NetstoreError

EXIT_FAILED = 1
EXIT_USAGE = 2
UUID_TEXT_LENGTH = 36


def connection(ctx: click.Context) -> Connection:
    """The command's connection, opened on first use and closed when the command ends."""
    state = ctx.find_root().ensure_object(dict)
    if "connection" not in state:
        with failures():
            state["connection"] = open_connection(state.get("db"))
        ctx.find_root().call_on_close(state["connection"].close)
    return state["connection"]


def fail(*lines: str, code: int = EXIT_FAILED) -> NoReturn:
    for line in lines:
        click.echo(f"error: {line}", err=True)
    raise click.exceptions.Exit(code)


def usage_error(message: str) -> NoReturn:
    fail(message, code=EXIT_USAGE)


@contextmanager
def failures(what: str | None = None) -> Iterator[None]:
    """Report a refusal as virsh does (``what`` failed, then why) and exit 1.

    Store and operating-system failures are reported as the library reports them
    (libvirt's wording, no database driver internals).
    """
    try:
        yield
    except (NetstoreError, OSError) as err:
        fail(*([what] if what else []), as_libvirt_error(err, "netstore").get_error_message())


def lookup(conn: Connection, name: str, *, removed_too: bool = False) -> Network:
    """virsh's network argument: a uuid (when it looks like one) or a name.

    ``removed_too``: a name may also be that of a network since removed (the audit commands;
    see ``Connection.networkLookupInHistory``).
    """
    if len(name) == UUID_TEXT_LENGTH:
        try:
            return conn.networkLookupByUUIDString(name)
        except NetstoreError:
            pass
    with failures(f"failed to get network '{name}'"):
        return conn.networkLookupInHistory(name) if removed_too else conn.networkLookupByName(name)


def lookup_by_uuid(conn: Connection, uuid: str) -> Network:
    """virsh's VSH_BYUUID lookup: only a uuid-shaped argument is looked up."""
    if len(uuid) != UUID_TEXT_LENGTH:
        fail(f"failed to get network '{uuid}'")
    with failures(f"failed to get network '{uuid}'"):
        return conn.networkLookupByUUIDString(uuid)


def lookup_by_name(conn: Connection, name: str) -> Network:
    """virsh's VSH_BYNAME lookup."""
    with failures(f"failed to get network '{name}'"):
        return conn.networkLookupByName(name)


def read_file(path: str) -> str:
    """A file argument's contents (virFileReadAll's error text on failure)."""
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except OSError as err:
        fail(f"Failed to open file '{path}': {err.strerror}")
    except UnicodeDecodeError as err:
        fail(f"Failed to read file '{path}': {err.reason}")


def example(*commands: str) -> str:
    """A command's ``--help`` epilog: the example invocations, kept as written."""
    lines = "\n".join(f"  {command}" for command in commands)
    return f"\b\nExample:\n{lines}"


def yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def say(message: str) -> None:
    """A virsh success message: the text, then the blank line virsh ends each command with."""
    click.echo(message)
    click.echo("")


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """virsh's table layout: a leading space, columns three spaces apart, dashes under the header."""
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [_table_row(header, widths), "-" * (sum(widths) + 3 * len(widths))]
    lines.extend(_table_row(row, widths) for row in rows)
    return "\n".join(lines) + "\n"


def _table_row(cells: Sequence[str], widths: Sequence[int]) -> str:
    padded = [cell.ljust(width) for cell, width in zip(cells[:-1], widths[:-1], strict=True)]
    return " " + "   ".join([*padded, cells[-1]])
