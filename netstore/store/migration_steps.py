"""Steps the migrations in ``migrations/versions`` share (imported by them only).

SQLite cannot alter a table's constraints: alembic's batch mode copies the
table into a new one, and a copy of ``events`` would reset its AUTOINCREMENT
counter to the highest stored position, so positions once handed out (to rows
since deleted or rolled back) would be handed out again.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Optional

from alembic import op

TYPE_CHECK = "ck_events_type"


@contextmanager
def rebuilding_events() -> Iterator[Any]:
    """``op.batch_alter_table("events")`` that keeps SQLite's AUTOINCREMENT counter across the rebuild."""
    sequence = _sqlite_sequence()
    with op.batch_alter_table("events", table_kwargs={"sqlite_autoincrement": True}) as batch:
        yield batch
    _restore_sqlite_sequence(sequence)


def replace_type_check(types: tuple[str, ...]) -> None:
    """The events table's ``type`` CHECK allows exactly ``types`` from now on."""
    with rebuilding_events() as batch:
        batch.drop_constraint(op.f(TYPE_CHECK), type_="check")
        batch.create_check_constraint(op.f(TYPE_CHECK), "type IN (" + ", ".join(f"'{t}'" for t in types) + ")")


def _sqlite_sequence() -> Optional[int]:
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
