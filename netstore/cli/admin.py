"""The store's own maintenance commands: ``db upgrade``, ``db current``, ``verify``."""

from __future__ import annotations

import click

from netstore import store
from netstore.cli.common import EXIT_FAILED, connection, fail, failures


@click.group("db")
def db() -> None:
    """Database schema (alembic migrations)."""


@db.command("upgrade")
@click.pass_context
def db_upgrade(ctx: click.Context) -> None:
    """Upgrade the database schema to the newest revision."""
    with failures():
        reached = store.upgrade(ctx.find_root().obj.get("db"))
    click.echo(f"database at revision {reached}")


@db.command("current")
@click.pass_context
def db_current(ctx: click.Context) -> None:
    """Print the database's schema revision."""
    with failures():
        found = store.current(ctx.find_root().obj.get("db"))
    click.echo(found if found is not None else "none (not migrated)")


@click.command("verify")
@click.pass_context
def verify(ctx: click.Context) -> None:
    """Check the hash chain and that the projection equals a replay; exit 1 on damage."""
    with failures():
        report = connection(ctx).verify()
    if report.ok:
        click.echo(f"ok: {report.events_checked} events checked")
        return
    for problem in report.problems:
        click.echo(problem, err=True)
    fail(f"history damaged at position {report.first_bad_position}", code=EXIT_FAILED)


COMMANDS = (db, verify)
