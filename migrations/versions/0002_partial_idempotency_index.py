"""Idempotency keys: a partial unique index over the events that have one.

The unique constraint on ``(network, idempotency_key)`` gave every event an
entry in its index, keyless ones included: one more B-tree page written and
fsynced by every append.  A unique index ``WHERE idempotency_key IS NOT NULL``
enforces the same rule (NULLs never collided) and costs keyless appends
nothing.  SQLite cannot drop a table constraint, so there the events table is
rebuilt (same columns, CHECKs, AUTOINCREMENT and sequence; the rows, and so
the hash chain, copied unchanged).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

from typing import Optional

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_NAME = "uq_events_network_idempotency_key"
_KEYED = "idempotency_key IS NOT NULL"


def upgrade() -> None:
    sequence = _sqlite_sequence()
    with op.batch_alter_table("events", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.drop_constraint(_NAME, type_="unique")
    _restore_sqlite_sequence(sequence)
    op.create_index(_NAME, "events", ["network", "idempotency_key"], unique=True,
                    sqlite_where=sa.text(_KEYED), postgresql_where=sa.text(_KEYED))


def downgrade() -> None:
    op.drop_index(_NAME, table_name="events")
    sequence = _sqlite_sequence()
    with op.batch_alter_table("events", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.create_unique_constraint(_NAME, ["network", "idempotency_key"])
    _restore_sqlite_sequence(sequence)


def _sqlite_sequence() -> Optional[int]:
    """The events table's AUTOINCREMENT counter on SQLite (a rebuild would reset it to the highest position)."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return None
    return bind.exec_driver_sql("SELECT seq FROM sqlite_sequence WHERE name = 'events'").scalar()


def _restore_sqlite_sequence(sequence: Optional[int]) -> None:
    if sequence is not None:
        bind = op.get_bind()
        bind.exec_driver_sql("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'events'", (sequence,))
        bind.exec_driver_sql("INSERT INTO sqlite_sequence (name, seq) SELECT 'events', ?"
                             " WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'events')", (sequence,))
