"""alembic environment for netstore.

Migrations run inside one serialised write transaction (``BEGIN IMMEDIATE`` on
SQLite, an advisory lock on PostgreSQL), so two processes opening the same
empty database do not race.  netstore passes its own connection in
``config.attributes["connection"]``; alembic's CLI gets one here from the URL.
"""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context

from netstore.store.backend import default_url
from netstore.store.schema import metadata
from netstore.store.txn import Database

config = context.config
target_metadata = metadata


def _configure(**kwargs: object) -> None:
    context.configure(target_metadata=target_metadata, render_as_batch=True, compare_type=True, **kwargs)


def run_offline() -> None:
    _configure(url=config.get_main_option("sqlalchemy.url") or default_url(), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    db = Database(config.get_main_option("sqlalchemy.url") or default_url())
    try:
        with db.migration() as conn:
            _configure(connection=conn)
            context.run_migrations()
    finally:
        db.close()


if config.config_file_name is not None and config.attributes.get("connection") is None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)

if context.is_offline_mode():
    run_offline()
else:
    run_online()
