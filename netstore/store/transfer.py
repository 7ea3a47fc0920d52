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
from netstore.events import PER_NETWORK_CHAIN
from netstore.store import projection, records, replay, snapshots
from netstore.store.backend import backend_of
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
_EVERY_EVENT = sa.text("1 = 1")


def record_from_row(row: Any) -> dict[str, Any]:
    """The record of an ``events`` row (its columns in :data:`RECORD_KEYS` order)."""
    values = records.hashed_array(row[:-1])[1:]
    return {**dict(zip(records.HASHED_COLUMNS, values, strict=True)), "hash": row[-1]}


def record_hash(record: Mapping[str, Any]) -> str:
    """The hash ``record``'s values give (equal to its ``hash`` when intact)."""
    return records.values_hash([record[column] for column in records.HASHED_COLUMNS])


def read_records(conn: Connection, network: Optional[str], after_position: int, limit: int,
                 followable: sa.TextClause = _EVERY_EVENT) -> list[dict[str, Any]]:
    """Up to ``limit`` records after ``after_position`` (of ``network``, or of every network).

    ``followable``: the backend's condition for events a follower may read (so that paging
    through a live log by position never skips an event that commits later).
    """
    query = sa.select(*_COLUMNS).where(_E.position > after_position, followable)
    if network is not None:
        query = query.where(_E.network == network)
    return [record_from_row(row) for row in conn.execute(query.order_by(_E.position).limit(limit))]


class ChainCheck:
    """Checks records in position order; raises :class:`IntegrityError` at the first bad one.

    Each record's link is checked by the rule of its schema version: from version 3 on,
    ``prev_hash`` is the hash of the previous event of its network (the genesis hash for
    its first); older records chain to the record at the previous position of the log.
    ``whole``: the records are a whole log (every network from its first event; the older
    records at positions 1, 2, 3, ..., and every record so when ``gapless``: the log goes
    into SQLite, whose positions have no gaps); else one network's events, whose older links
    are checked where positions are consecutive.  Every record's own hash and every network's
    versions (1, 2, 3, ...) are checked.  (A whole-log export does not hold the registry's
    chain heads: a file cut after some network's last event still checks.)
    """

    def __init__(self, whole: bool, gapless: bool = False) -> None:
        self.whole, self.gapless = whole, gapless
        self.position, self.hash = 0, records.GENESIS_HASH
        self.versions: dict[str, int] = {}
        self.heads: dict[str, str] = {}  # each network's last hash so far

    def check(self, record: Mapping[str, Any]) -> None:
        position = record.get("position")
        if record.keys() != _KEYS or not isinstance(position, int):
            raise IntegrityError(self.position + 1, f"not an event record (keys must be {', '.join(RECORD_KEYS)})")
        per_network = record["schema_version"] >= PER_NETWORK_CHAIN
        if self.whole and (self.gapless or not per_network) and position != self.position + 1:
            raise IntegrityError(self.position + 1, f"event missing (next record is position {position})")
        if position <= self.position:
            raise IntegrityError(self.position + 1, f"event out of order (next record is position {position})")
        self._link(record, position, per_network)
        if record_hash(record) != record["hash"]:
            raise IntegrityError(position, "hash does not match the event's contents")
        name, version = record["network"], record["version"]
        if version != self.versions.get(name, 0) + 1:
            raise IntegrityError(position, f"{name!r} version {version} follows {self.versions.get(name, 0)}")
        self.position, self.versions[name], self.heads[name] = position, version, record["hash"]
        if not per_network:
            self.hash = record["hash"]

    def _link(self, record: Mapping[str, Any], position: int, per_network: bool) -> None:
        name = record["network"]
        if per_network:
            if (self.whole or name in self.heads) and \
                    record["prev_hash"] != self.heads.get(name, records.GENESIS_HASH):
                raise IntegrityError(position, f"prev_hash does not match the hash of {name!r}'s previous event")
        elif position == self.position + 1 and record["prev_hash"] != self.hash:
            raise IntegrityError(position, "prev_hash does not match the previous event's hash")


def checked(records_in: Iterable[Mapping[str, Any]], whole: bool,
            gapless: bool = False) -> Iterator[Mapping[str, Any]]:
    """``records_in``, each passed through a :class:`ChainCheck` before it is yielded."""
    check = ChainCheck(whole, gapless)
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
    heads: dict[str, str] = {}
    batch: list[dict[str, Any]] = []
    written = 0
    for record in checked(records_in, whole=True, gapless=backend_of(conn).gapless):
        name, position = record["network"], record["position"]
        new = name not in replayed
        tracked = fold_record(replayed, record)
        if new:
            projection.write_registry(conn, tracked.state, position, record["hash"], stored=None, epoch=0)
        if snapshot_every and record["version"] % snapshot_every == 0:
            snapshots.write(conn, tracked.state, tracked.keys, position)
        batch.append(row_of(record))
        last[name], heads[name] = position, record["hash"]
        if len(batch) >= INSERT_BATCH:
            written += _flush(conn, batch)
            if progress is not None:
                progress(written)
    written += _flush(conn, batch)
    for name, tracked in replayed.items():
        replay.write_network(conn, tracked, last[name], heads[name])
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
