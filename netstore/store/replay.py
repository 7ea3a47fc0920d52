"""Folding stored events: catching up, time travel and rebuilding the projection.

Every replay folds with :class:`~netstore.store.tracked.Tracked`, exactly as
the append path does, so it reproduces the projection -- definitions, flags
and the sort keys of every item row.
"""

from __future__ import annotations

from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from netstore.events import Change, EventType
from netstore.store import projection, records, snapshots
from netstore.store.driver import Prepared, batches
from netstore.store.schema import events, networks, projection_bases, projection_items
from netstore.store.tracked import Tracked

_E = events.c
_UPDATE = EventType.UPDATE.value
# A stream reads only what an update's fold needs; any other event's columns are read by position.
_STREAM = sa.select(_E.position, _E.version, _E.type, _E.effects).where(
    _E.network == sa.bindparam("b_network"), _E.version > sa.bindparam("b_after"))
_FOLD = {
    False: Prepared(_STREAM.order_by(_E.version)),
    True: Prepared(_STREAM.where(_E.version <= sa.bindparam("b_upto")).order_by(_E.version)),
}
_CHANGE_AT = sa.select(*(_E[c] for c in records.CHANGE_COLUMNS)).where(_E.position == sa.bindparam("b_position"))


def fold_stream(conn: Connection, tracked: Tracked, upto: Optional[int] = None) -> tuple[int, Optional[int]]:
    """Fold the events of ``tracked``'s network after its version (through ``upto``).

    Returns how many were folded and the position of the last one.
    """
    params = {"b_network": tracked.state.name, "b_after": tracked.state.version, "b_upto": upto}
    count, last = 0, None
    follow, follow_update, loads = tracked.follow, tracked.follow_update, records.loads_effects
    for batch in batches(_FOLD[upto is not None].execute(conn, params)):
        for position, version, type_, effects in batch:
            if type_ == _UPDATE:
                follow_update(loads(effects), version)
            else:
                follow(_change_at(conn, position), version)
        count, last = count + len(batch), batch[-1][0]
    return count, last


def _change_at(conn: Connection, position: int) -> Change:
    row = conn.execute(_CHANGE_AT, {"b_position": position}).one()
    return records.change_from_values(*row)


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
            write_network(conn, tracked, head)
    return folded


def _start(name: str, snap: Optional[sa.Row]) -> Tracked:
    return Tracked(*snapshots.decode(name, snap.version, snap.state)) if snap is not None else Tracked.empty(name)


def write_network(conn: Connection, tracked: Tracked, head_position: int, head_hash: Optional[str] = None) -> None:
    """Write ``tracked``'s registry row (bumping its epoch; ``head_hash``: its chain's new head) and its rows."""
    values: dict[str, Any] = projection.registry_values(tracked.state, head_position)
    if head_hash is not None:
        values["head_hash"] = head_hash
    conn.execute(networks.update().where(networks.c.name == tracked.state.name)
                 .values(epoch=networks.c.epoch + 1, **values))
    for scope in ("live", "config"):
        projection.write_scope(conn, tracked.state, tracked.keys, scope)
