"""Fleet: each network is assigned to the host whose reconciler serves it.

The registry gains a nullable ``host`` column (indexed: a reconciler lists its
own networks), and the ``assign`` event (its host id in ``effects``) joins the
event types the ``type`` CHECK allows; SQLite cannot alter a CHECK, so there
the events table is rebuilt (same columns, CHECKs, AUTOINCREMENT and
sequence; rows, and so the hash chain, copied unchanged).  Networks that
exist before this revision stay unassigned (NULL): every reconciler serves
them, as before, until ``netstore net-assign`` gives them a host.  A downgrade
refuses a log that holds assign events (the older CHECK rejects them).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from __future__ import annotations

from typing import Optional

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_TYPES = ("define", "create", "start", "destroy", "undefine", "autostart", "update", "rollback")
_CHECK = "ck_events_type"
_INDEX = "ix_networks_host"


def upgrade() -> None:
    _replace_type_check(_TYPES + ("assign",))
    op.add_column("networks", sa.Column("host", sa.Text(), nullable=True))  # no rebuild: events refer to it
    op.create_index(_INDEX, "networks", ["host"])


def downgrade() -> None:
    op.drop_index(_INDEX, table_name="networks")
    op.drop_column("networks", "host")
    _replace_type_check(_TYPES)


def _types_check(types: tuple[str, ...]) -> str:
    return "type IN (" + ", ".join(f"'{t}'" for t in types) + ")"


def _replace_type_check(types: tuple[str, ...]) -> None:
    sequence = _sqlite_sequence()
    with op.batch_alter_table("events", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.drop_constraint(op.f(_CHECK), type_="check")
        batch.create_check_constraint(op.f(_CHECK), _types_check(types))
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
