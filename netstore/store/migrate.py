"""Schema management through alembic: locate the shipped migrations, upgrade, report.

The migrations live in the repository's top-level ``migrations/`` folder and
are installed with the package as ``netstore._migrations``.  Opening a store
on an empty database applies them; a database at an older revision must be
upgraded explicitly (``netstore db upgrade``).  alembic is imported only when
a migration actually runs, so opening an up-to-date store stays cheap.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from netstore.errors import SchemaMismatchError
from netstore.store.backend import default_url
from netstore.store.txn import Database

HEAD_REVISION = "0006"  # the newest revision in migrations/versions (a test keeps them equal)
VERSION_TABLE = "alembic_version"


def script_location() -> Path:
    """The migrations folder: the installed ``netstore._migrations``, else the checkout's."""
    spec = importlib.util.find_spec("netstore._migrations")
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return Path(__file__).resolve().parents[2] / "migrations"


def alembic_config(connection: Optional[Connection] = None, url: Optional[str] = None) -> Any:
    """An alembic ``Config`` for the shipped migrations, bound to ``connection``."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(script_location()))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["connection"] = connection
    return config


def revision(conn: Connection) -> Optional[str]:
    """The database's alembic revision (None: never migrated)."""
    if not conn.dialect.has_table(conn, VERSION_TABLE):
        return None
    return conn.exec_driver_sql(f"SELECT version_num FROM {VERSION_TABLE}").scalar()


def ensure_schema(db: Database) -> None:
    """Migrate an empty database to head; refuse one at another revision."""
    with db.read() as conn:
        found = revision(conn)
    if found == HEAD_REVISION:
        return
    if found is not None:
        raise SchemaMismatchError(f"database schema is at revision {found}, this netstore needs {HEAD_REVISION}: "
                         "run `netstore db upgrade`")
    with db.migration() as conn:
        found = revision(conn)
        if found is None:
            tables = sa.inspect(conn).get_table_names()
            if tables:
                raise SchemaMismatchError(f"database has tables ({', '.join(sorted(tables))}) but no netstore schema")
            _run(conn, "upgrade", "head")


def upgrade(url: Optional[str] = None, target: str = "head") -> Optional[str]:
    """Upgrade the database at ``url`` to ``target``; return the revision reached."""
    return _migrate(url, "upgrade", target)


def downgrade(url: Optional[str], target: str) -> Optional[str]:
    """Downgrade the database at ``url`` to ``target`` ("base": no tables); return the revision reached."""
    return _migrate(url, "downgrade", target)


def current(url: Optional[str] = None) -> Optional[str]:
    """The revision of the database at ``url`` (None: not migrated yet)."""
    db = Database(url or default_url())
    try:
        with db.read() as conn:
            return revision(conn)
    finally:
        db.close()


def _migrate(url: Optional[str], direction: str, target: str) -> Optional[str]:
    db = Database(url or default_url())
    try:
        with db.migration() as conn:
            _run(conn, direction, target)
            return revision(conn)
    finally:
        db.close()


def _run(conn: Connection, direction: str, target: str) -> None:
    from alembic import command
    from alembic.util import CommandError

    try:
        getattr(command, direction)(alembic_config(conn), target)
    except CommandError as exc:
        raise SchemaMismatchError(f"cannot {direction} the database to {target!r}: {exc}") from exc
