"""The event store: the append transaction, the state cache and the reads.

Every accepted change goes through :meth:`EventStore.append`, which in ONE
serialised write transaction loads the network's current state, lets the
caller ``decide`` the change against exactly that state, folds it, appends
the hashed event and writes the few projection rows the fold touched.  A
``decide`` (or fold) that raises leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any, NamedTuple, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from netstore.decision import Decide
from netstore.errors import HistoryError, StoreError
from netstore.events import Change, Event, EventType
from netstore.state import NetworkState
from netstore.store import notices, projection, records, replay, snapshots, transfer
from netstore.store.backend import BACKENDS, default_url
from netstore.store.driver import Prepared
from netstore.store.migrate import ensure_schema
from netstore.store.schema import events, networks
from netstore.store.tracked import Tracked
from netstore.store.txn import Database
from netstore.store.verify import VerifyReport, verify
from netstore.store.view import RegistryView

PAGE_SIZE = 1000
CATCH_UP_LIMIT = 1000  # fold at most this many missed events; beyond, reload the rows
SNAPSHOT_EVERY = 1000  # events of one network between two snapshots

_E = events.c
_N = networks.c
_EXISTS = sa.or_(_N.active, _N.persistent)
# One statement opens every append: the network's registry row (NULLs if new) with its chain's head
# (the hash in the registry, the time of the event at the head version) and the backend's position
# counter (SQLite: the highest position ever used, so a position is never reused).
_HEAD_SQL = (
    "SELECT n.name, n.uuid, n.head_version, n.head_position, n.active, n.persistent, n.autostart,"
    " n.live_bridge, n.config_bridge, n.epoch, n.head_hash, n.host, last.recorded_at, {sequence}"
    " FROM (SELECT 1 AS anchor) AS anchor LEFT JOIN networks AS n ON n.name = :b_name"
    " LEFT JOIN events AS last ON last.network = n.name AND last.version = n.head_version"
)
_HEAD = {backend: Prepared(sa.text(_HEAD_SQL.format(sequence=backend.position_counter)))
         for backend in BACKENDS.values()}


class _Head(NamedTuple):
    """The row :data:`_HEAD` reads: the registry columns (all None for a new network), then the counter."""

    name: Optional[str]
    uuid: Optional[str]
    head_version: int
    head_position: int
    active: Any
    persistent: Any
    autostart: Any
    live_bridge: Optional[str]
    config_bridge: Optional[str]
    epoch: int
    head_hash: Optional[str]
    host: Optional[str]
    last_recorded_at: Any  # the driver's value: a datetime, or SQLite's text
    sequence: Optional[int]


class _Chain(NamedTuple):
    """Where the next event of a network goes: its position, the chain's head hash and time, the writer's txid."""

    position: int
    prev_hash: str
    last_time: Optional[datetime]
    txid: Optional[int]


_INSERT_EVENT = Prepared(events.insert())
_BY_KEY = sa.select(events).where(_E.network == sa.bindparam("b_network"),
                                  _E.idempotency_key == sa.bindparam("b_key"))


class EventStore:
    """netstore's event log and current projection, on one database URL."""

    def __init__(self, url: Optional[str] = None, *, snapshot_every: int = SNAPSHOT_EVERY) -> None:
        self.url = url or default_url()
        self._db = Database(self.url)
        try:
            ensure_schema(self._db)
        except BaseException:
            self._db.close()
            raise
        self._cache: dict[str, Tracked] = {}
        self._snapshot_every = snapshot_every
        self._followable = sa.text(self._db.backend.followable)

    def close(self) -> None:
        self._cache.clear()
        self._db.close()

    def __enter__(self) -> EventStore:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- current state -------------------------------------------------------------------

    def load(self, name: str) -> Optional[NetworkState]:
        """The current state of ``name``; None if it never existed or was removed.

        The state is shared with the store's cache: treat it as read-only; a later
        append to the same network updates it in place.
        """
        with self._db.read() as conn:
            tracked = self._current(conn, name, projection.read_registry(conn, name))
        return tracked.state if tracked is not None and tracked.state.exists else None

    def list_states(self) -> list[NetworkState]:
        """Every existing network's current state, by name."""
        with self._db.read() as conn:
            rows = conn.execute(sa.select(networks).where(_EXISTS).order_by(_N.name)).all()
            current = [self._current(conn, row.name, row) for row in rows]
        return [tracked.state for tracked in current if tracked is not None]

    def head_version(self, name: str) -> int:
        """The version of the last event of ``name`` (0: none)."""
        with self._db.read() as conn:
            return conn.execute(sa.select(_N.head_version).where(_N.name == name)).scalar() or 0

    def head_position(self) -> int:
        """The position of the last event a follower may read (0: none).

        On SQLite, the last event.  On PostgreSQL, the last of the events
        :meth:`read_all` returns now: an event of a still-running append may
        later commit below a visible one, so a follower resuming from here
        misses nothing.
        """
        query = sa.select(sa.func.max(_E.position)).where(self._followable)
        with self._db.read() as conn:
            return conn.execute(query).scalar() or 0

    # -- the append path -----------------------------------------------------------------

    def append(self, name: str, decide: Decide, *, actor: Optional[str] = None,
               reason: Optional[str] = None, idempotency_key: Optional[str] = None) -> Event:
        """Decide, fold, append and project one change atomically; return its event.

        ``decide(state, view)`` sees the state the change will be applied to (a fresh
        ``NetworkState(name)`` for an unknown network) and returns the Change; if it
        (or the fold) raises, nothing is written and the exception propagates.  A
        repeated ``idempotency_key`` of the same network returns the original event.
        """
        return self._append(name, (decide,), actor, reason, idempotency_key)[0]

    def append_all(self, name: str, decides: Iterable[Decide], *, actor: Optional[str] = None,
                   reason: Optional[str] = None, idempotency_key: Optional[str] = None) -> list[Event]:
        """Like :meth:`append` for several changes of one network, in ONE transaction.

        Each ``decide`` sees the state left by the previous one; if any raises,
        none of them is appended.  (Imports and bulk loads; one fsync for all.)
        ``idempotency_key`` is recorded on the first event: a repeat returns that one.
        """
        return self._append(name, decides, actor, reason, idempotency_key)

    def _append(self, name: str, decides: Iterable[Decide], actor: Optional[str], reason: Optional[str],
                key: Optional[str]) -> list[Event]:
        decides = tuple(decides)
        backend = self._db.backend
        folded = False
        appended: list[Event] = []
        try:
            with self._db.write(name) as conn:
                row = _HEAD[backend].first(conn, {"b_name": name})
                assert row is not None  # the anchor makes the statement return one row
                head = _Head._make(row)
                registry = head if head.name is not None else None
                if key is not None:
                    original = self._by_key(conn, name, key)
                    if original is not None:
                        return [original]
                tracked = self._current(conn, name, registry) or Tracked.empty(name)
                served_before = notices.serving_channels(tracked.state)
                txid, places = backend.take_positions(conn, len(decides), (head.sequence or 0) + 1)
                chain = _chain_head(head, txid)
                epoch = registry.epoch if registry is not None else 0
                stored: Optional[Mapping[Any, Any]] = registry._asdict() if registry is not None else None
                view = RegistryView(conn, backend.registry_lock)
                for decide, position in zip(decides, places, strict=True):
                    change = decide(tracked.state, view)
                    _check_change(change, name)
                    folded = True
                    plan = tracked.fold(change, tracked.state.version + 1)
                    event_row = self._row(tracked, change, chain._replace(position=position), actor, reason,
                                          None if appended else key)
                    stored = projection.write_registry(conn, tracked.state, position, event_row["hash"],
                                                       stored=stored, epoch=epoch)
                    event = self._record(conn, event_row, change)
                    projection.write_plan(conn, tracked.state, tracked.keys, plan)
                    if self._snapshot_every and event.version % self._snapshot_every == 0:
                        snapshots.write(conn, tracked.state, tracked.keys, event.position)
                    chain = chain._replace(prev_hash=event.hash, last_time=event.recorded_at)
                    appended.append(event)
                if appended and backend.commit_notice is not None:
                    for channel in sorted(served_before | notices.serving_channels(tracked.state)):
                        conn.execute(sa.text(backend.commit_notice), {"b_channel": channel, "b_network": name})
        except BaseException:
            if folded:
                self._cache.pop(name, None)
            raise
        if appended:
            self._cache[name] = tracked
        return appended

    @staticmethod
    def _row(tracked: Tracked, change: Change, chain: _Chain, actor: Optional[str], reason: Optional[str],
             key: Optional[str]) -> dict[str, Any]:
        """The hashed event row of ``change`` (folded into ``tracked``) at ``chain``'s place."""
        recorded_at = datetime.now(UTC)
        if chain.last_time is not None and recorded_at < chain.last_time:
            recorded_at = chain.last_time  # keep recorded_at monotonic in the network's version order
        row = records.new_row(change, position=chain.position, version=tracked.state.version,
                              recorded_at=recorded_at, actor=actor, reason=reason,
                              idempotency_key=key, prev_hash=chain.prev_hash, txid=chain.txid)
        return row

    @staticmethod
    def _record(conn: Connection, row: dict[str, Any], change: Change) -> Event:
        """Insert the event row of ``change`` (after its network's registry row is written)."""
        _INSERT_EVENT.execute(conn, row)
        return Event(change=change, version=row["version"], position=row["position"],
                     recorded_at=row["recorded_at"], actor=row["actor"], reason=row["reason"],
                     idempotency_key=row["idempotency_key"], schema_version=row["schema_version"],
                     prev_hash=row["prev_hash"], hash=row["hash"])

    def _by_key(self, conn: Connection, name: str, key: str) -> Optional[Event]:
        row = conn.execute(_BY_KEY, {"b_network": name, "b_key": key}).first()
        return records.event_from_row(row._mapping) if row is not None else None

    # -- the cache ------------------------------------------------------------------------

    def _current(self, conn: Connection, name: str, registry: Any) -> Optional[Tracked]:
        """The cached state of ``name`` brought up to the registry's head version."""
        if registry is None:
            self._cache.pop(name, None)
            return None
        tracked = self._cache.get(name)
        head = registry.head_version
        if tracked is not None and tracked.epoch == registry.epoch and tracked.state.version == head:
            return tracked
        if (tracked is None or tracked.epoch != registry.epoch or tracked.state.version > head
                or head - tracked.state.version > CATCH_UP_LIMIT or not self._catch_up(conn, tracked, head)):
            state, keys = projection.read_state(conn, registry)
            tracked = Tracked(state, keys, registry.epoch)
        self._cache[name] = tracked
        return tracked

    def _catch_up(self, conn: Connection, tracked: Tracked, head: int) -> bool:
        """Fold the events another process appended since the cached version."""
        try:
            replay.fold_stream(conn, tracked, head)
        except HistoryError:  # the cache does not fit the log: read the projection rows instead
            return False
        return tracked.state.version == head

    # -- reads ----------------------------------------------------------------------------

    def read_stream(self, name: str, after_version: int = 0,
                    upto_version: Optional[int] = None) -> Iterator[Event]:
        """The events of ``name`` with after_version < version <= upto_version, in order."""
        while True:
            query = sa.select(events).where(_E.network == name, _E.version > after_version)
            if upto_version is not None:
                query = query.where(_E.version <= upto_version)
            page = self._page(query.order_by(_E.version))
            yield from page
            if len(page) < PAGE_SIZE:
                return
            after_version = page[-1].version

    def read_all(self, after_position: int = 0) -> Iterator[Event]:
        """Every event after ``after_position`` that a follower may read, in position order.

        Once an event is returned, no event below its position commits later, so a
        follower that resumes after the last position it read never skips one
        (SQLite: every event; PostgreSQL: see :mod:`netstore.store.positions`).
        """
        while True:
            query = sa.select(events).where(_E.position > after_position, self._followable)
            page = self._page(query.order_by(_E.position))
            yield from page
            if len(page) < PAGE_SIZE:
                return
            after_position = page[-1].position

    def _page(self, query: sa.Select) -> list[Event]:
        with self._db.read() as conn:
            return [records.event_from_row(row._mapping) for row in conn.execute(query.limit(PAGE_SIZE))]

    def select_events(self, query: sa.Select) -> list[Event]:
        """The events a ``select(events)`` query returns, in one read transaction (audit queries)."""
        with self._db.read() as conn:
            return [records.event_from_row(row._mapping) for row in conn.execute(query)]

    def select_scalar(self, query: sa.Select) -> Any:
        """The first column of the first row ``query`` returns (None: no row)."""
        with self._db.read() as conn:
            return conn.execute(query).scalar()

    def version_at(self, name: str, when: datetime) -> int:
        """The version ``name`` had at time ``when`` (0: none yet)."""
        moment = records.utc(when)
        query = sa.select(sa.func.max(_E.version)).where(_E.network == name, _E.recorded_at <= moment)
        with self._db.read() as conn:
            return conn.execute(query).scalar() or 0

    def state_at(self, name: str, version: int) -> Optional[NetworkState]:
        """A fresh copy of ``name``'s state as of ``version`` (None: it did not exist then)."""
        with self._db.read() as conn:
            tracked = replay.replay_network(conn, name, version)
        return tracked.state if tracked.state.exists else None

    # -- maintenance ----------------------------------------------------------------------

    def verify(self, progress: Optional[Callable[[int], None]] = None) -> VerifyReport:
        """Check the hash chain and that the projection equals a replay from scratch.

        ``progress(n)`` is called as the events are checked (``n``: checked so far).
        """
        with self._db.read() as conn:
            return verify(conn, progress, url=self.url)

    def export_records(self, network: Optional[str] = None, after_position: int = 0,
                       limit: int = PAGE_SIZE) -> list[dict[str, Any]]:
        """Up to ``limit`` event records (see :mod:`netstore.store.transfer`) after ``after_position``."""
        with self._db.read() as conn:
            return transfer.read_records(conn, network, after_position, limit, self._followable)

    def import_records(self, records_in: Iterable[Mapping[str, Any]],
                       progress: Optional[Callable[[int], None]] = None) -> int:
        """Write an exported whole log into this empty store, in one transaction; return the events written.

        Refuses (writing nothing) a store that holds anything and records whose chain does not verify.
        """
        self._cache.clear()
        with self._db.log_write() as conn:
            written = transfer.import_records(conn, records_in, snapshot_every=self._snapshot_every,
                                              progress=progress)
            if self._db.backend.resync_positions is not None:
                conn.exec_driver_sql(self._db.backend.resync_positions)
            return written

    def rebuild(self, *, use_snapshots: bool = True) -> int:
        """Recompute every projection from the log; return the number of events folded."""
        self._cache.clear()
        with self._db.log_write() as conn:
            return replay.rebuild(conn, use_snapshots=use_snapshots)


def _chain_head(head: _Head, txid: Optional[int]) -> _Chain:
    """The network's chain head (genesis for a new network) from the head row; the position comes later."""
    if head.head_hash is None:
        return _Chain(0, records.GENESIS_HASH, None, txid)
    last_time = records.stored_time(head.last_recorded_at) if head.last_recorded_at is not None else None
    return _Chain(0, head.head_hash, last_time, txid)


def _check_change(change: Any, name: str) -> None:
    if not isinstance(change, Change) or not isinstance(change.type, EventType):
        raise StoreError(f"decide returned {change!r}, not a Change")
    if change.network != name:
        raise StoreError(f"decide returned a change of network {change.network!r}, not {name!r}")
