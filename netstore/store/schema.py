"""The database schema, as SQLAlchemy Core tables (alembic's ``target_metadata``).

Three kinds of tables:

``events``
    The log: one row per accepted change, every fact in a named column
    (``command`` and ``section`` separately, enum-checked), global ``position``
    (``INTEGER PRIMARY KEY AUTOINCREMENT``), per-network ``version``, the
    SHA-256 hash chain of the network and, on PostgreSQL, the writing
    transaction's id (``txid``, what followers order by safely).
``networks``, ``projection_bases``, ``projection_items``
    The current projection, written in the same transaction as each event:
    a registry row per network name (head version, flags, uuid, bridge names),
    one base row per existing definition (live/config) and one row per list
    item (DHCP host, range, DNS record, portgroup, pool interface) ordered by
    an integer sort key, so an update touching one item writes O(1) rows.
``snapshots``
    Whole-state checkpoints tagged with the projector version, used to bound
    rebuilds and time travel.  Never authoritative.

On SQLite the projection tables are ``WITHOUT ROWID`` (clustered on their
primary key), so an update's commit touches as few pages as possible.

The schema is created only by the alembic migrations in ``migrations/``; a
test proves these tables and the migrations agree.
"""

from __future__ import annotations

import sqlalchemy as sa

from netstore.constants import Command, Section
from netstore.events import EventType
from netstore.model.collections import ITEM_COLLECTIONS

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)

EVENT_TYPES = tuple(t.value for t in EventType)
COMMANDS = tuple(int(c) for c in Command if c is not Command.NONE)
SECTIONS = tuple(int(s) for s in Section if s is not Section.NONE)
FLAG_VALUES = (0, 1, 2, 3)
SCOPES = ("live", "config")
COLLECTIONS = ITEM_COLLECTIONS


def _in(column: str, values: tuple) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


_UPDATE_COLUMNS = ("command", "section", "parent_index", "flags")
_UPDATE_SHAPE = (
    "(type = 'update' AND xml IS NOT NULL AND "
    + " AND ".join(f"{c} IS NOT NULL" for c in _UPDATE_COLUMNS)
    + ") OR (type <> 'update' AND "
    + " AND ".join(f"{c} IS NULL" for c in _UPDATE_COLUMNS)
    + ")"
)
_AUTOSTART_SHAPE = "(type = 'autostart' AND autostart IS NOT NULL) OR (type <> 'autostart' AND autostart IS NULL)"
_XML_SHAPE = "type NOT IN ('define', 'create') OR xml IS NOT NULL"

networks = sa.Table(
    "networks",
    metadata,
    sa.Column("name", sa.Text, primary_key=True),
    sa.Column("uuid", sa.Text, nullable=True, index=True),
    sa.Column("head_version", sa.Integer, nullable=False),
    sa.Column("head_position", sa.Integer, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("persistent", sa.Boolean, nullable=False),
    sa.Column("autostart", sa.Boolean, nullable=False),
    sa.Column("live_bridge", sa.Text, nullable=True),
    sa.Column("config_bridge", sa.Text, nullable=True),
    sa.Column("epoch", sa.Integer, nullable=False),
    sa.Column("head_hash", sa.Text, nullable=True),  # the hash of the network's last event (its chain's head)
    sa.Column("host", sa.Text, nullable=True, index=True),  # the fleet host serving it (migration 0006)
    sqlite_with_rowid=False,
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("position", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("network", sa.Text, sa.ForeignKey("networks.name"), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("type", sa.Text, nullable=False),
    sa.Column("schema_version", sa.Integer, nullable=False),
    sa.Column("command", sa.Integer, nullable=True),
    sa.Column("section", sa.Integer, nullable=True),
    sa.Column("parent_index", sa.Integer, nullable=True),
    sa.Column("flags", sa.Integer, nullable=True),
    sa.Column("xml", sa.Text, nullable=True),
    sa.Column("affects_live", sa.Boolean, nullable=False),
    sa.Column("affects_config", sa.Boolean, nullable=False),
    sa.Column("autostart", sa.Boolean, nullable=True),
    sa.Column("effects", sa.Text, nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("actor", sa.Text, nullable=True),
    sa.Column("reason", sa.Text, nullable=True),
    sa.Column("idempotency_key", sa.Text, nullable=True),
    sa.Column("prev_hash", sa.Text, nullable=False),
    sa.Column("hash", sa.Text, nullable=False),
    sa.Column("txid", sa.BigInteger, nullable=True),  # PostgreSQL: the writing transaction's xid8
    sa.UniqueConstraint("network", "version"),
    # unique among the events that have a key (keyless appends write no entry: one page less)
    sa.Index("uq_events_network_idempotency_key", "network", "idempotency_key", unique=True,
             sqlite_where=sa.text("idempotency_key IS NOT NULL"),
             postgresql_where=sa.text("idempotency_key IS NOT NULL")),
    # the audit queries: one network's events by actor, by time, by section, in version order
    sa.Index("ix_events_network_actor_version", "network", "actor", "version"),
    sa.Index("ix_events_network_recorded_at", "network", "recorded_at"),
    sa.Index("ix_events_network_section_version", "network", "section", "version"),
    sa.CheckConstraint(_in("type", EVENT_TYPES), name="type"),
    sa.CheckConstraint(f"command IS NULL OR {_in('command', COMMANDS)}", name="command"),
    sa.CheckConstraint(f"section IS NULL OR {_in('section', SECTIONS)}", name="section"),
    sa.CheckConstraint(f"flags IS NULL OR {_in('flags', FLAG_VALUES)}", name="flags"),
    sa.CheckConstraint(_UPDATE_SHAPE, name="update_shape"),
    sa.CheckConstraint(_AUTOSTART_SHAPE, name="autostart_shape"),
    sa.CheckConstraint(_XML_SHAPE, name="xml_shape"),
    sa.CheckConstraint("version >= 1", name="version"),
    sqlite_autoincrement=True,
)

projection_bases = sa.Table(
    "projection_bases",
    metadata,
    sa.Column("network", sa.Text, sa.ForeignKey("networks.name"), primary_key=True),
    sa.Column("scope", sa.Text, primary_key=True),
    sa.Column("base", sa.Text, nullable=False),
    sa.CheckConstraint(_in("scope", SCOPES), name="scope"),
    sqlite_with_rowid=False,
)

projection_items = sa.Table(
    "projection_items",
    metadata,
    sa.Column("network", sa.Text, primary_key=True),
    sa.Column("scope", sa.Text, primary_key=True),
    sa.Column("collection", sa.Text, primary_key=True),
    sa.Column("ip_index", sa.Integer, primary_key=True),
    sa.Column("sort_key", sa.Integer, primary_key=True),
    sa.Column("item", sa.Text, nullable=False),
    sa.ForeignKeyConstraint(["network", "scope"], ["projection_bases.network", "projection_bases.scope"]),
    sa.CheckConstraint(_in("scope", SCOPES), name="scope"),
    sa.CheckConstraint(_in("collection", COLLECTIONS), name="collection"),
    sqlite_with_rowid=False,
)

snapshots = sa.Table(
    "snapshots",
    metadata,
    sa.Column("network", sa.Text, sa.ForeignKey("networks.name"), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("projector_version", sa.Integer, nullable=False),
    sa.Column("state", sa.Text, nullable=False),
)

reconciler_checkpoints = sa.Table(
    "reconciler_checkpoints",
    metadata,
    sa.Column("host", sa.Text, primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("boot_id", sa.Text, nullable=True),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("position >= 0", name="position"),
)
