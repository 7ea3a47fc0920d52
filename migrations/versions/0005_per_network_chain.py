"""Parallel writers: a hash chain per network, the writing transaction's id, a real sequence.

* ``networks.head_hash``: the hash of the network's last event.  Events of
  schema version 3 chain to the previous event *of the same network*, so
  writers of different networks never read one shared chain head; the
  registry keeps each chain's head so that deleting a network's last event
  is detected.  Filled here from each network's event at its head version.
* ``events.txid``: on PostgreSQL, the id (``xid8``) of the transaction that
  wrote the event; followers read only the events of transactions older than
  every running one (see ``netstore.store.backend``).  NULL on SQLite and for
  the rows written before this revision (all committed long ago).
* PostgreSQL positions now come from the ``events`` sequence, which older
  revisions never advanced: it is moved past the highest position (never
  back: a log downgraded and upgraded again keeps the positions it handed out).

Rows already stored keep their schema version and so their global chain:
verify checks each row by the rule of its version.  A downgrade refuses a log
that holds schema-3 events (the older verify would call them damaged).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_FILL_HEAD_HASH = (
    "UPDATE networks SET head_hash = (SELECT e.hash FROM events AS e"
    " WHERE e.network = networks.name AND e.version = networks.head_version)"
)
_HIGHEST_POSITION = "(SELECT max(position) FROM events)"
_LAST_HANDED_OUT = ("(SELECT last_value FROM pg_sequences"  # NULL: the sequence was never used
                    " WHERE (quote_ident(schemaname) || '.' || quote_ident(sequencename))::regclass"
                    " = pg_get_serial_sequence('events', 'position')::regclass)")
_ADVANCE_SEQUENCE = (
    "SELECT setval(pg_get_serial_sequence('events', 'position'),"
    f" greatest({_HIGHEST_POSITION}, {_LAST_HANDED_OUT}, 1),"
    f" coalesce({_HIGHEST_POSITION}, {_LAST_HANDED_OUT}) IS NOT NULL)"
)


def upgrade() -> None:
    op.add_column("networks", sa.Column("head_hash", sa.Text(), nullable=True))
    op.add_column("events", sa.Column("txid", sa.BigInteger(), nullable=True))
    bind = op.get_bind()
    bind.exec_driver_sql(_FILL_HEAD_HASH)
    if bind.dialect.name == "postgresql":
        bind.exec_driver_sql(_ADVANCE_SEQUENCE)


def downgrade() -> None:
    bind = op.get_bind()
    newer = bind.exec_driver_sql("SELECT count(*) FROM events WHERE schema_version >= 3").scalar()
    if newer:
        raise RuntimeError(f"cannot downgrade below 0005: {newer} events chain per network (schema version 3)")
    op.drop_column("events", "txid")  # SQLite >= 3.35 drops an unindexed column in place
    op.drop_column("networks", "head_hash")
