"""Audit queries: indexes for history filters, and the ``rollback`` event type.

``netstore history`` filters one network's events by actor, time or section and
pages through them in version order; these indexes let it read a page without
scanning the network's whole history.  The ``rollback`` event (compensating
events that restore whole definitions) joins the event types the ``type``
CHECK allows; SQLite cannot alter a CHECK, so there the events table is
rebuilt (same columns, CHECKs, AUTOINCREMENT and sequence; rows, and so the
hash chain, copied unchanged).  A downgrade refuses a log that holds rollback
events (the older CHECK rejects them): history is never dropped silently.

Revision ID: 0004
Revises: 0002
Create Date: 2026-12-06
"""

from __future__ import annotations

from typing import Optional

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_INDEXES = {
    "ix_events_network_actor_version": ["network", "actor", "version"],
    "ix_events_network_recorded_at": ["network", "recorded_at"],
    "ix_events_network_section_version": ["network", "section", "version"],
}
_TYPES = ("define", "create", "start", "destroy", "undefine", "autostart", "update")
_CHECK = "ck_events_type"


def _types_check(types: tuple[str, ...]) -> str:
    return "type IN (" + ", ".join(f"'{t}'" for t in types) + ")"


def upgrade() -> None:
    _replace_type_check(_TYPES + ("rollback",))
    for name, columns in _INDEXES.items():
        op.create_index(name, "events", columns)


def downgrade() -> None:
    for name in _INDEXES:
        op.drop_index(name, table_name="events")
    _replace_type_check(_TYPES)


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
