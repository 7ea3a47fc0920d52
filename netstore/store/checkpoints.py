"""Reconciler checkpoints and the database's cheap change signal.

A reconciler host records the position of the last event it has brought in
step, with the kernel boot id it saw then (table ``reconciler_checkpoints``,
migration 0003).  :meth:`CheckpointStore.change_token` is what a follower
polls to learn that someone committed: SQLite's ``PRAGMA data_version`` (a
per-connection counter that moves when another connection commits, no table
read), or the log's head position elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Optional

import sqlalchemy as sa

from netstore.store.backend import default_url
from netstore.store.migrate import ensure_schema
from netstore.store.schema import reconciler_checkpoints
from netstore.store.txn import Database

_C = reconciler_checkpoints.c


@dataclass(frozen=True)
class Checkpoint:
    """How far one reconciler host got: a log position and the boot it was in."""

    host: str
    position: int
    boot_id: Optional[str]


class CheckpointStore:
    """Reads and writes reconciler checkpoints on one database URL."""

    def __init__(self, url: Optional[str] = None) -> None:
        self._db = Database(url or default_url())
        try:
            ensure_schema(self._db)
        except BaseException:
            self._db.close()
            raise

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> CheckpointStore:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def get(self, host: str) -> Optional[Checkpoint]:
        """The stored checkpoint of ``host``; None before its first one."""
        with self._db.read() as conn:
            row = conn.execute(sa.select(reconciler_checkpoints).where(_C.host == host)).first()
        return Checkpoint(row.host, row.position, row.boot_id) if row is not None else None

    def put(self, checkpoint: Checkpoint) -> None:
        """Store ``checkpoint`` (replacing the host's previous one) in one write transaction."""
        values = {"position": checkpoint.position, "boot_id": checkpoint.boot_id,
                  "updated_at": datetime.now(UTC)}
        with self._db.write(f"reconciler checkpoint {checkpoint.host}") as conn:
            updated = conn.execute(sa.update(reconciler_checkpoints).where(_C.host == checkpoint.host)
                                   .values(**values))
            if updated.rowcount == 0:
                conn.execute(sa.insert(reconciler_checkpoints).values(host=checkpoint.host, **values))

    def change_token(self) -> int:
        """A number that differs from its previous value once another connection has committed."""
        with self._db.read() as conn:
            return int(conn.exec_driver_sql(self._db.backend.change_token).scalar() or 0)
