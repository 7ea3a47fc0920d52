"""The event log, the current projection and snapshots.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_UPDATE_SHAPE = (
    "(type = 'update' AND xml IS NOT NULL AND command IS NOT NULL AND section IS NOT NULL"
    " AND parent_index IS NOT NULL AND flags IS NOT NULL)"
    " OR (type <> 'update' AND command IS NULL AND section IS NULL AND parent_index IS NULL AND flags IS NULL)"
)
_AUTOSTART_SHAPE = "(type = 'autostart' AND autostart IS NOT NULL) OR (type <> 'autostart' AND autostart IS NULL)"
_EVENT_TYPES = "type IN ('define', 'create', 'start', 'destroy', 'undefine', 'autostart', 'update')"
_COLLECTIONS = (
    "collection IN ('dhcp-host', 'dhcp-range', 'forward-interface', 'portgroup', 'dns-host', 'dns-txt', 'dns-srv')"
)
_SCOPES = "scope IN ('live', 'config')"


def upgrade() -> None:
    op.create_table(
        "networks",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("uuid", sa.Text(), nullable=True),
        sa.Column("head_version", sa.Integer(), nullable=False),
        sa.Column("head_position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("persistent", sa.Boolean(), nullable=False),
        sa.Column("autostart", sa.Boolean(), nullable=False),
        sa.Column("live_bridge", sa.Text(), nullable=True),
        sa.Column("config_bridge", sa.Text(), nullable=True),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_networks")),
        sqlite_with_rowid=False,
    )
    op.create_index(op.f("ix_networks_uuid"), "networks", ["uuid"], unique=False)

    op.create_table(
        "events",
        sa.Column("position", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("network", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("type", sa.Text(), nullable=False),
        sa.Column("schema_version", sa.Integer(), nullable=False),
        sa.Column("command", sa.Integer(), nullable=True),
        sa.Column("section", sa.Integer(), nullable=True),
        sa.Column("parent_index", sa.Integer(), nullable=True),
        sa.Column("flags", sa.Integer(), nullable=True),
        sa.Column("xml", sa.Text(), nullable=True),
        sa.Column("affects_live", sa.Boolean(), nullable=False),
        sa.Column("affects_config", sa.Boolean(), nullable=False),
        sa.Column("autostart", sa.Boolean(), nullable=True),
        sa.Column("effects", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("idempotency_key", sa.Text(), nullable=True),
        sa.Column("prev_hash", sa.Text(), nullable=False),
        sa.Column("hash", sa.Text(), nullable=False),
        sa.CheckConstraint(_EVENT_TYPES, name=op.f("ck_events_type")),
        sa.CheckConstraint("command IS NULL OR command IN (1, 2, 3, 4)", name=op.f("ck_events_command")),
        sa.CheckConstraint("section IS NULL OR section IN (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)",
                           name=op.f("ck_events_section")),
        sa.CheckConstraint("flags IS NULL OR flags IN (0, 1, 2, 3)", name=op.f("ck_events_flags")),
        sa.CheckConstraint(_UPDATE_SHAPE, name=op.f("ck_events_update_shape")),
        sa.CheckConstraint(_AUTOSTART_SHAPE, name=op.f("ck_events_autostart_shape")),
        sa.CheckConstraint("type NOT IN ('define', 'create') OR xml IS NOT NULL", name=op.f("ck_events_xml_shape")),
        sa.CheckConstraint("version >= 1", name=op.f("ck_events_version")),
        sa.ForeignKeyConstraint(["network"], ["networks.name"], name=op.f("fk_events_network_networks")),
        sa.PrimaryKeyConstraint("position", name=op.f("pk_events")),
        sa.UniqueConstraint("network", "version", name=op.f("uq_events_network_version")),
        sa.UniqueConstraint("network", "idempotency_key", name=op.f("uq_events_network_idempotency_key")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_events_recorded_at"), "events", ["recorded_at"], unique=False)

    op.create_table(
        "projection_bases",
        sa.Column("network", sa.Text(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("base", sa.Text(), nullable=False),
        sa.CheckConstraint(_SCOPES, name=op.f("ck_projection_bases_scope")),
        sa.ForeignKeyConstraint(["network"], ["networks.name"], name=op.f("fk_projection_bases_network_networks")),
        sa.PrimaryKeyConstraint("network", "scope", name=op.f("pk_projection_bases")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "projection_items",
        sa.Column("network", sa.Text(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("collection", sa.Text(), nullable=False),
        sa.Column("ip_index", sa.Integer(), nullable=False),
        sa.Column("sort_key", sa.Integer(), nullable=False),
        sa.Column("item", sa.Text(), nullable=False),
        sa.CheckConstraint(_SCOPES, name=op.f("ck_projection_items_scope")),
        sa.CheckConstraint(_COLLECTIONS, name=op.f("ck_projection_items_collection")),
        sa.ForeignKeyConstraint(["network", "scope"], ["projection_bases.network", "projection_bases.scope"],
                                name=op.f("fk_projection_items_network_scope_projection_bases")),
        sa.PrimaryKeyConstraint("network", "scope", "collection", "ip_index", "sort_key",
                                name=op.f("pk_projection_items")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "snapshots",
        sa.Column("network", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("projector_version", sa.Integer(), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["network"], ["networks.name"], name=op.f("fk_snapshots_network_networks")),
        sa.PrimaryKeyConstraint("network", "version", name=op.f("pk_snapshots")),
    )


def downgrade() -> None:
    op.drop_table("snapshots")
    op.drop_table("projection_items")
    op.drop_table("projection_bases")
    op.drop_index(op.f("ix_events_recorded_at"), table_name="events")
    op.drop_table("events")
    op.drop_index(op.f("ix_networks_uuid"), table_name="networks")
    op.drop_table("networks")
