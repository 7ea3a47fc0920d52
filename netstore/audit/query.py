"""Audit queries: one network's events, filtered by time, actor, section and command, a page at a time.

Time bounds are turned into version bounds first (``recorded_at`` never goes
backwards in position order, so within one network it grows with the
version): two lookups on the ``(network, recorded_at)`` index.  The page itself
is then read in version order through ``(network, actor, version)``,
``(network, section, version)`` or the unique ``(network, version)``, so the
first page costs the same at 100 or 100,000 events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Optional

import sqlalchemy as sa

from netstore.events import Event
from netstore.store import EventStore
from netstore.store.records import utc
from netstore.store.schema import events

_E = events.c
DEFAULT_LIMIT = 1000


@dataclass(frozen=True, slots=True)
class HistoryFilter:
    """Which events of a network to list (every field optional); ``after_version`` pages on."""

    since: Optional[datetime] = None
    until: Optional[datetime] = None
    actor: Optional[str] = None
    section: Optional[int] = None
    command: Optional[int] = None
    after_version: int = 0
    limit: Optional[int] = DEFAULT_LIMIT


def select_history(store: EventStore, name: str, wanted: HistoryFilter) -> list[Event]:
    """The events of ``name`` that ``wanted`` selects, oldest first (at most ``wanted.limit``)."""
    first, last = _version_bounds(store, name, wanted)
    if first is None or last is None or first > last:
        return []
    return store.select_events(page_query(name, wanted, first, last))


def page_query(name: str, wanted: HistoryFilter, first: int, last: int) -> sa.Select:
    """The page of ``name``'s events ``wanted`` selects between versions ``first`` and ``last``."""
    query = sa.select(events).where(_E.network == name, _E.version > max(wanted.after_version, first - 1),
                                    _E.version <= last)
    if wanted.actor is not None:
        query = query.where(_E.actor == wanted.actor)
    if wanted.section is not None:
        query = query.where(_E.section == wanted.section)
    if wanted.command is not None:
        query = query.where(_E.command == wanted.command)
    query = query.order_by(_E.version)
    return query.limit(wanted.limit) if wanted.limit is not None else query


def has_history(store: EventStore, name: str) -> bool:
    """True when ``name`` has at least one event (it exists, or existed)."""
    return store.select_scalar(sa.select(_E.version).where(_E.network == name).limit(1)) is not None


def _version_bounds(store: EventStore, name: str, wanted: HistoryFilter) -> tuple[Optional[int], Optional[int]]:
    """The first and last version inside the time bounds (None: no such event)."""
    first: Optional[int] = 1
    last: Optional[int] = store.head_version(name)
    if wanted.since is not None:
        first = store.select_scalar(
            sa.select(_E.version).where(_E.network == name, _E.recorded_at >= utc(wanted.since))
            .order_by(_E.recorded_at, _E.position).limit(1))
    if wanted.until is not None:
        last = store.select_scalar(
            sa.select(_E.version).where(_E.network == name, _E.recorded_at <= utc(wanted.until))
            .order_by(_E.recorded_at.desc(), _E.position.desc()).limit(1))
    return first, last
