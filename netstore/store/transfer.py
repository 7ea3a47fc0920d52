"""Event records for export and import: each event's hashed values and its hash, as plain data.

A record is a dict of :data:`~netstore.store.records.HASHED_COLUMNS` then ``hash``, holding
exactly the values the hash is computed over (booleans as booleans, ``recorded_at`` as
``YYYY-MM-DDTHH:MM:SS.ffffffZ``, ``effects`` as its stored text), so a record can be checked
on its own: :func:`record_hash` of an intact record is its ``hash``.

:func:`import_records` writes a whole log into an empty database in one transaction: the
rows as they were (positions, times and hashes kept), the projection folded from them and a
snapshot every ``snapshot_every`` versions, as the append path writes them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from netstore.errors import HistoryError, IntegrityError, StoreError, libvirtError
from netstore.store import projection, records, replay, snapshots
from netstore.store.schema import events, networks
from netstore.store.tracked import Tracked

RECORD_KEYS = (*records.HASHED_COLUMNS, "hash")
# What folding a damaged event raises: the fold's HistoryError, libvirt's error for XML that does
# not parse, and what decoding damaged values raises (unknown type, bad JSON, a bad index).
DAMAGED_EVENT = (HistoryError, libvirtError, LookupError, TypeError, ValueError)
INSERT_BATCH = 1000

_E = events.c
_COLUMNS = [_E[column] for column in RECORD_KEYS]
_KEYS = frozenset(RECORD_KEYS)


def record_from_row(row: Any) -> dict[str, Any]:
    """The record of an ``events`` row (its columns in :data:`RECORD_KEYS` order)."""
    values = records.hashed_array(row[:-1])[1:]
    return {**dict(zip(records.HASHED_COLUMNS, values, strict=True)), "hash": row[-1]}


def record_hash(record: Mapping[str, Any]) -> str:
    """The hash ``record``'s values give (equal to its ``hash`` when intact)."""
    return records.values_hash([record[column] for column in records.HASHED_COLUMNS])


def read_records(conn: Connection, network: Optional[str], after_position: int, limit: int) -> list[dict[str, Any]]:
    """Up to ``limit`` records after ``after_position`` (of ``network``, or of every network)."""
    query = sa.select(*_COLUMNS).where(_E.position > after_position)
    if network is not None:
        query = query.where(_E.network == network)
    return [record_from_row(row) for row in conn.execute(query.order_by(_E.position).limit(limit))]


class ChainCheck:
    """Checks records in position order; raises :class:`IntegrityError` at the first bad one.

    ``whole``: the records are a whole log (positions 1, 2, 3, ... from the genesis hash);
    else one network's events, whose links are checked where positions are consecutive.
    Every record's own hash and every network's versions (1, 2, 3, ...) are checked.
    """

    def __init__(self, whole: bool) -> None:
        self.whole = whole
        self.position, self.hash = 0, records.GENESIS_HASH
        self.versions: dict[str, int] = {}

    def check(self, record: Mapping[str, Any]) -> None:
        position = record.get("position")
        if record.keys() != _KEYS or not isinstance(position, int):
            raise IntegrityError(self.position + 1, f"not an event record (keys must be {', '.join(RECORD_KEYS)})")
        if self.whole and self.position == 0 and position != 1:
            raise IntegrityError(1, f"not a whole-log export: its first event is at position {position}, not 1")
        if position <= self.position or (self.whole and position != self.position + 1):
            raise IntegrityError(self.position + 1, f"event missing or out of order (next record is position {position})")
        if position == self.position + 1 and record["prev_hash"] != self.hash:
            raise IntegrityError(position, "prev_hash does not match the previous event's hash")
        if record_hash(record) != record["hash"]:
            raise IntegrityError(position, "hash does not match the event's contents")
        name, version = record["network"], record["version"]
        if version != self.versions.get(name, 0) + 1:
            raise IntegrityError(position, f"{name!r} version {version} follows {self.versions.get(name, 0)}")
        self.position, self.hash, self.versions[name] = position, record["hash"], version


def checked(records_in: Iterable[Mapping[str, Any]], whole: bool) -> Iterator[Mapping[str, Any]]:
    """``records_in``, each passed through a :class:`ChainCheck` before it is yielded."""
    check = ChainCheck(whole)
    for record in records_in:
        check.check(record)
        yield record


def change_of(record: Mapping[str, Any]) -> Any:
    """The Change a record carries."""
    return records.change_from_values(*(record[column] for column in records.CHANGE_COLUMNS))


def row_of(record: Mapping[str, Any]) -> dict[str, Any]:
    """The ``events`` row a record is stored as."""
    return {**record, "recorded_at": records.stored_time(record["recorded_at"])}


def import_records(conn: Connection, records_in: Iterable[Mapping[str, Any]], *, snapshot_every: int,
                   progress: Optional[Callable[[int], None]] = None) -> int:
    """Write a whole log into the empty database of ``conn`` (in the caller's transaction).

    Refuses a database holding any network or event, and a chain that does not verify
    (:class:`IntegrityError` at its first bad record) or that the fold refuses.  Returns
    the number of events written.  ``progress(n)`` is called after every batch written.
    """
    if conn.execute(sa.select(sa.func.count()).select_from(networks)).scalar() or \
            conn.execute(sa.select(sa.func.count()).select_from(events)).scalar():
        raise StoreError("the target database is not empty: import writes only into an empty database")
    replayed: dict[str, Tracked] = {}
    last: dict[str, int] = {}
    batch: list[dict[str, Any]] = []
    written = 0
    for record in checked(records_in, whole=True):
        name, position = record["network"], record["position"]
        new = name not in replayed
        tracked = fold_record(replayed, record)
        if new:
            projection.write_registry(conn, tracked.state, position, stored=None, epoch=0)
        if snapshot_every and record["version"] % snapshot_every == 0:
            snapshots.write(conn, tracked.state, tracked.keys, position)
        batch.append(row_of(record))
        last[name] = position
        if len(batch) >= INSERT_BATCH:
            written += _flush(conn, batch)
            if progress is not None:
                progress(written)
    written += _flush(conn, batch)
    for name, tracked in replayed.items():
        replay.write_network(conn, tracked, last[name])
    return written


def fold_record(replayed: dict[str, Tracked], record: Mapping[str, Any]) -> Tracked:
    """Fold ``record`` into its network's entry of ``replayed``; :class:`IntegrityError` if the fold refuses it."""
    name = record["network"]
    tracked = replayed.setdefault(name, Tracked.empty(name))
    try:
        tracked.follow(change_of(record), record["version"])
    except DAMAGED_EVENT as exc:
        raise IntegrityError(record["position"], f"the fold refuses the event: {exc}") from exc
    return tracked


def _flush(conn: Connection, batch: list[dict[str, Any]]) -> int:
    if batch:
        conn.execute(events.insert(), batch)
    count = len(batch)
    batch.clear()
    return count
