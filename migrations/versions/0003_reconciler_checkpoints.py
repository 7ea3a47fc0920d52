"""Reconciler checkpoints: how far each reconciler host has applied the log, and its boot.

One row per reconciler host id: the position of the last event whose effects
are in step on that host, and the kernel boot id seen when it was written (a
different boot id at start-up means the host rebooted).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reconciler_checkpoints",
        sa.Column("host", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("boot_id", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("position >= 0", name=op.f("ck_reconciler_checkpoints_position")),
        sa.PrimaryKeyConstraint("host", name=op.f("pk_reconciler_checkpoints")),
    )


def downgrade() -> None:
    op.drop_table("reconciler_checkpoints")
