"""Where an append's positions come from, per backend.

SQLite has one writer at a time (``BEGIN IMMEDIATE``): the next positions are
the highest ever used plus 1, 2, ... so the log runs 1, 2, 3 ... without gaps.

PostgreSQL writers of different networks run in parallel, so positions come
from the ``events`` sequence and may commit out of order (a rolled-back append
leaves a gap).  Followers must never skip an event that commits after a later
position became visible.  The rule that guarantees it:

* a writer takes its transaction id (``pg_current_xact_id()``) and ALL the
  positions of its events in one step under a short session lock (held for
  one statement, not until commit: fsyncs stay parallel), so between writers
  the order of transaction ids is the order of positions;
* a follower reads only events whose ``txid`` is below the oldest transaction
  still running (``pg_snapshot_xmin``), in position order.  Those
  transactions have all ended, and any writer still running or yet to come
  holds positions above every event returned: after reading up to position
  ``p`` there is never a later commit below ``p``.
"""

from __future__ import annotations

from typing import Optional

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from netstore.store.driver import Prepared, execute_sql

# Advisory lock keys (two int4 keys, a space apart from the migration lock's one bigint key).
LOCK_SPACE = 7283548
POSITION_LOCK = f"SELECT pg_advisory_lock({LOCK_SPACE}, 0)"
POSITION_UNLOCK = f"SELECT pg_advisory_unlock({LOCK_SPACE}, 0)"
_TAKE = Prepared(sa.text(
    "SELECT pg_current_xact_id()::text::bigint, (SELECT array_agg(nextval(pg_get_serial_sequence('events',"
    " 'position')) ORDER BY step) FROM generate_series(1, :b_count) AS step)"))

Positions = tuple[Optional[int], list[int]]  # (the writer's transaction id or None, the positions in order)


def counted(_conn: Connection, count: int, next_free: int) -> Positions:
    """SQLite: ``count`` positions from ``next_free`` on, no transaction id."""
    return None, list(range(next_free, next_free + count))


def sequenced(conn: Connection, count: int, _next_free: int) -> Positions:
    """PostgreSQL: the transaction id and ``count`` sequence values, taken together under the position lock.

    If taking them fails the connection is invalidated: closing the session is
    what releases its lock when the transaction can no longer run the unlock.
    """
    execute_sql(conn, POSITION_LOCK)
    try:
        row = _TAKE.first(conn, {"b_count": count})
        execute_sql(conn, POSITION_UNLOCK)
    except BaseException:
        conn.invalidate()
        raise
    assert row is not None
    return row[0], list(row[1])
