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

from alembic import op

from netstore.store.migration_steps import replace_type_check

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


def upgrade() -> None:
    replace_type_check(_TYPES + ("rollback",))
    for name, columns in _INDEXES.items():
        op.create_index(name, "events", columns)


def downgrade() -> None:
    for name in _INDEXES:
        op.drop_index(name, table_name="events")
    replace_type_check(_TYPES)
