"""verify(): the hash chain is intact and the projection equals a replay from scratch."""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from netstore.errors import HistoryError, IntegrityError, libvirtError
from netstore.events import PER_NETWORK_CHAIN, SCHEMA_VERSION, EventType
from netstore.model import codec
from netstore.store import chain_helper, projection, records, snapshots
from netstore.store.backend import backend_of
from netstore.store.driver import Prepared, batches
from netstore.store.schema import events, networks
from netstore.store.schema import snapshots as snapshot_rows
from netstore.store.tracked import Tracked

# What folding a damaged stored event raises: the fold's HistoryError, libvirt's error for stored
# XML that no longer parses, and what decoding damaged columns raises (unknown type, bad JSON,
# an edit at an index its list lacks).
_DAMAGED_EVENT = (HistoryError, libvirtError, LookupError, TypeError, ValueError)

# Every event row as the driver returns it: the hashed columns in hash order, then the hash.
_COLUMNS = (*(events.c[c] for c in records.HASHED_COLUMNS), events.c.hash)
_ROWS = Prepared(sa.select(*_COLUMNS).order_by(events.c.position))
_ROWS_UPTO = Prepared(sa.select(*_COLUMNS).where(events.c.position <= sa.bindparam("b_upto"))
                      .order_by(events.c.position))
_COLUMN = {column: index for index, column in enumerate(records.HASHED_COLUMNS)}
_HASH, _PREV_HASH, _NETWORK = len(records.HASHED_COLUMNS), _COLUMN["prev_hash"], _COLUMN["network"]
_TYPE, _SCHEMA_VERSION, _EFFECTS = _COLUMN["type"], _COLUMN["schema_version"], _COLUMN["effects"]
_change_values = operator.itemgetter(*(_COLUMN[c] for c in records.CHANGE_COLUMNS))
_UPDATE = EventType.UPDATE.value


@dataclass
class VerifyReport:
    """The outcome of :func:`verify`: ``ok``, the first damaged position, and what is wrong."""

    ok: bool
    first_bad_position: Optional[int]
    problems: list[str] = field(default_factory=list)
    events_checked: int = 0

    def raise_for_damage(self) -> None:
        """Raise :class:`IntegrityError` naming the first damaged position, if any."""
        if not self.ok:
            raise IntegrityError(self.first_bad_position or 0, self.problems[0])


def verify(conn: Connection, progress: Optional[Callable[[int], None]] = None, *,
           url: Optional[str] = None) -> VerifyReport:
    """Check the log and the projection; report every problem, first position first.

    With the database's ``url``, a long log's hash chain is checked by a helper process
    (:mod:`netstore.store.chain_helper`) while this one folds: the two halves of the work
    run on two cores.  Either way every check below is made.

    * on SQLite, positions run 1, 2, 3, ... without gaps (a deleted row is reported at its
      position; PostgreSQL's sequence leaves gaps where an append rolled back);
    * every row's hash matches its contents, and its ``prev_hash`` the hash of the previous
      event of its network (schema version 3 on) or of the log (older rows, among themselves);
    * every network's registry keeps the hash of its last event (a deleted last event shows);
    * every network's versions run 1, 2, 3, ... and the fold accepts every event;
    * every usable snapshot equals the replay at its version;
    * every network's registry row, definitions, flags and item sort keys equal a
      replay of its events from scratch (reported at its last event's position).
    """
    check = _Verification(conn)
    upto = conn.execute(sa.select(sa.func.max(events.c.position))).scalar() or 0
    helper = chain_helper.start(url, upto, check.chain.gapless) if url is not None else None
    folded = 0
    for batch in batches(_ROWS.execute(conn, {})):
        if helper is None:
            check.chain.rows(batch)
        check.fold(batch)
        folded += len(batch)
        if progress is not None:
            progress(folded)
    if helper is not None:
        check.chain = helper.result() or _checked_here(conn, check.chain.gapless)
    check.projections()
    return check.report()


def chain_of(conn: Connection, upto: int, gapless: bool) -> _ChainCheck:
    """The chain check of every row up to position ``upto`` (what a helper process runs)."""
    chain = _ChainCheck(gapless)
    for batch in batches(_ROWS_UPTO.execute(conn, {"b_upto": upto})):
        chain.rows(batch)
    return chain


def _checked_here(conn: Connection, gapless: bool) -> _ChainCheck:
    """The chain check in this process, when the helper could not do it."""
    chain = _ChainCheck(gapless)
    for batch in batches(_ROWS.execute(conn, {})):
        chain.rows(batch)
    return chain


@dataclass
class _ChainCheck:
    """The hash chain of the log, row by row: positions, each row's hash, its link."""

    gapless: bool
    expected: int = 1
    prev_hash: str = records.GENESIS_HASH
    checked: int = 0
    network_hash: dict[str, str] = field(default_factory=dict)  # each network's last hash: its chain's head
    findings: list[tuple[int, str]] = field(default_factory=list)

    def add(self, position: int, message: str) -> None:
        self.findings.append((position, message))

    def rows(self, batch: Sequence[Sequence[Any]]) -> None:
        """Check the positions, hashes and links of consecutive rows (:data:`_ROWS`' columns)."""
        for row in batch:
            position = row[0]
            if self.gapless and position != self.expected:
                self.add(self.expected, f"event missing (next stored position is {position})")
            self._link(row, position)
            if records.values_hash(row[:_HASH]) != row[_HASH]:
                self.add(position, "hash does not match the event's contents")
            self.expected = position + 1
            self.network_hash[row[_NETWORK]] = row[_HASH]
        self.checked += len(batch)

    def _link(self, row: Sequence[Any], position: int) -> None:
        """``prev_hash`` by the rule of the row's schema version."""
        version, name = row[_SCHEMA_VERSION], row[_NETWORK]
        if not 1 <= version <= SCHEMA_VERSION:
            self.add(position, f"unknown event schema version {version}")
        elif version >= PER_NETWORK_CHAIN:
            if row[_PREV_HASH] != self.network_hash.get(name, records.GENESIS_HASH):
                self.add(position, f"prev_hash does not match the hash of {name!r}'s previous event")
        elif row[_PREV_HASH] != self.prev_hash and (not self.gapless or position == self.expected):
            self.add(position, "prev_hash does not match the previous event's hash")
        if version < PER_NETWORK_CHAIN:
            self.prev_hash = row[_HASH]



class _Verification:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.findings: list[tuple[int, str]] = []
        self.replay: dict[str, Tracked] = {}
        self.last_position: dict[str, int] = {}
        self.broken: set[str] = set()
        self.chain = _ChainCheck(backend_of(conn).gapless)
        usable = snapshot_rows.c.projector_version == snapshots.PROJECTOR_VERSION
        self.snapshots = {(r.network, r.version): r.state for r in conn.execute(sa.select(snapshot_rows).where(usable))}

    def add(self, position: int, message: str) -> None:
        self.findings.append((position, message))

    def fold(self, batch: Sequence[Sequence[Any]]) -> None:
        """Replay the rows into each network's state, checking versions and snapshots."""
        replay, last_position, broken, loads = self.replay, self.last_position, self.broken, records.loads_effects
        for row in batch:
            position, name, version = row[0], row[1], row[2]
            tracked = replay.get(name)
            if tracked is None:
                tracked = replay[name] = Tracked.empty(name)
            if tracked.state.version + 1 != version:
                self.add(position, f"{name!r} version {version} follows {tracked.state.version}")
            last_position[name] = position
            if name in broken:
                continue
            try:
                if row[_TYPE] == _UPDATE:
                    tracked.follow_update(loads(row[_EFFECTS]), version)
                else:
                    tracked.follow(records.change_from_values(*_change_values(row)), version)
            except _DAMAGED_EVENT as exc:
                self.add(position, f"the fold refuses the event: {exc}")
                broken.add(name)
                continue
            if (name, version) in self.snapshots:
                self._snapshot(tracked, position)

    def _snapshot(self, tracked: Tracked, position: int) -> None:
        name, version = tracked.state.name, tracked.state.version
        if snapshots.encode(tracked.state, tracked.keys) != self.snapshots[name, version]:
            self.add(position, f"snapshot of {name!r} at version {version} differs from the replay")

    def projections(self) -> None:
        registry = {row.name: row for row in self.conn.execute(sa.select(networks))}
        for name, row in registry.items():
            if name not in self.replay:
                self.add(row.head_position, f"network {name!r} is registered but has no events")
            elif row.head_position >= self.chain.expected:
                self.add(self.chain.expected,
                         f"event missing: {name!r} was last changed at position {row.head_position}")
            elif row.head_hash is not None and row.head_hash != self.chain.network_hash[name]:
                self.add(row.head_position, f"{name!r}'s registry holds another hash than its last event's"
                                            " (last event deleted or changed)")
        for name, tracked in self.replay.items():
            entry, position = registry.get(name), self.last_position[name]
            if entry is None:
                self.add(position, f"network {name!r} has events but no registry row")
            elif name not in self.broken:
                for problem in _differences(self.conn, entry, tracked, position):
                    self.add(max(position, entry.head_position),
                             f"projection of {name!r} differs from the replay: {problem}")

    def report(self) -> VerifyReport:
        ordered = sorted(self.chain.findings + self.findings, key=lambda finding: finding[0])
        problems = [f"position {position}: {message}" for position, message in ordered]
        return VerifyReport(not ordered, ordered[0][0] if ordered else None, problems, self.chain.checked)


def _differences(conn: Connection, row: Any, tracked: Tracked, position: int) -> list[str]:
    expected = projection.registry_values(tracked.state, position)
    stored = row._mapping
    problems = [f"registry {key} is {stored[key]!r}, the replay gives {value!r}"
                for key, value in expected.items() if stored[key] != value]
    state, keys = projection.read_state(conn, row)
    for scope in ("live", "config"):
        if _as_dict(getattr(state, scope)) != _as_dict(getattr(tracked.state, scope)):
            problems.append(f"{scope} definition")
    if _nonempty(keys.lists) != _nonempty(tracked.keys.lists):
        problems.append("item row sort keys")
    return problems


def _as_dict(definition: Any) -> Optional[dict]:
    return codec.to_dict(definition) if definition is not None else None


def _nonempty(lists: dict) -> dict:
    return {lk: keys for lk, keys in lists.items() if keys}
