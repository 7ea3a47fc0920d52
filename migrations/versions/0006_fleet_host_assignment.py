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

import sqlalchemy as sa
from alembic import op

from netstore.store.migration_steps import replace_type_check

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_TYPES = ("define", "create", "start", "destroy", "undefine", "autostart", "update", "rollback")
_INDEX = "ix_networks_host"


def upgrade() -> None:
    replace_type_check(_TYPES + ("assign",))
    op.add_column("networks", sa.Column("host", sa.Text(), nullable=True))  # no rebuild: events refer to it
    op.create_index(_INDEX, "networks", ["host"])


def downgrade() -> None:
    op.drop_index(_INDEX, table_name="networks")
    op.drop_column("networks", "host")
    replace_type_check(_TYPES)
