"""Folding stored events: catching up, time travel and rebuilding the projection.

Every replay folds with :class:`~netstore.store.tracked.Tracked`, exactly as
the append path does, so it reproduces the projection -- definitions, flags
and the sort keys of every item row.
"""

from __future__ import annotations

from typing import Optional

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from netstore.store import projection, records, snapshots
from netstore.store.schema import events, networks, projection_bases, projection_items
from netstore.store.tracked import Tracked

_E = events.c
# position, version, then the change's columns in records.CHANGE_COLUMNS order
FOLD_COLUMNS = (_E.position, _E.version, *(_E[c] for c in records.CHANGE_COLUMNS))


def fold_stream(conn: Connection, tracked: Tracked, upto: Optional[int] = None) -> tuple[int, Optional[int]]:
    """Fold the events of ``tracked``'s network after its version (through ``upto``).

    Returns how many were folded and the position of the last one.
    """
    query = sa.select(*FOLD_COLUMNS).where(_E.network == tracked.state.name, _E.version > tracked.state.version)
    if upto is not None:
        query = query.where(_E.version <= upto)
    count, last, change_from_values = 0, None, records.change_from_values
    for position, version, *columns in conn.execute(query.order_by(_E.version)):
        tracked.fold(change_from_values(*columns), version)
        count, last = count + 1, position
    return count, last


def replay_network(conn: Connection, name: str, version: int) -> Tracked:
    """``name`` folded up to ``version`` (from the newest usable snapshot at or before it)."""
    snap = snapshots.latest(conn, name, version)
    tracked = _start(name, snap)
    fold_stream(conn, tracked, version)
    return tracked


def rebuild(conn: Connection, *, use_snapshots: bool = True) -> int:
    """Recompute every network's projection rows from the log; return the events folded.

    Networks are independent, so each is folded on its own: from its newest usable
    snapshot (``use_snapshots``) or from scratch, through the end of its stream.
    The registry epoch of every network is bumped, so other processes reload.
    """
    start = snapshots.latest_all(conn) if use_snapshots else {}
    names = conn.execute(sa.select(networks.c.name).order_by(networks.c.name)).scalars().all()
    conn.execute(projection_items.delete())
    conn.execute(projection_bases.delete())
    folded = 0
    for name in names:
        snap = start.get(name)
        tracked = _start(name, snap)
        count, last = fold_stream(conn, tracked)
        folded += count
        head = last if last is not None else (snap.position if snap is not None else None)
        if head is not None:
            _write_network(conn, tracked, head)
    return folded


def _start(name: str, snap: Optional[sa.Row]) -> Tracked:
    return Tracked(*snapshots.decode(name, snap.version, snap.state)) if snap is not None else Tracked.empty(name)


def _write_network(conn: Connection, tracked: Tracked, head_position: int) -> None:
    values = projection.registry_values(tracked.state, head_position)
    conn.execute(networks.update().where(networks.c.name == tracked.state.name)
                 .values(epoch=networks.c.epoch + 1, **values))
    for scope in ("live", "config"):
        projection.write_scope(conn, tracked.state, tracked.keys, scope)
