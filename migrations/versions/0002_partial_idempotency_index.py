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

import sqlalchemy as sa
from alembic import op

from netstore.store.migration_steps import rebuilding_events

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_NAME = "uq_events_network_idempotency_key"
_KEYED = "idempotency_key IS NOT NULL"


def upgrade() -> None:
    with rebuilding_events() as batch:
        batch.drop_constraint(_NAME, type_="unique")
    op.create_index(_NAME, "events", ["network", "idempotency_key"], unique=True,
                    sqlite_where=sa.text(_KEYED), postgresql_where=sa.text(_KEYED))


def downgrade() -> None:
    op.drop_index(_NAME, table_name="events")
    with rebuilding_events() as batch:
        batch.create_unique_constraint(_NAME, ["network", "idempotency_key"])
