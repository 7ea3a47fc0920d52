"""History queries: filters, paging, time bounds, the indexes they use, networks that are gone."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from netstore.audit.query import HistoryFilter, has_history, page_query, select_history
from netstore.constants import Command, Section
from netstore.store import EventStore
from tests.store import support


def _history(store: EventStore) -> None:
    support.running(store, "n")
    for n in range(6):
        support.add_host(store, "n", n, actor=f"a{n % 2}", reason=f"r{n}")
    support.update(store, "n", Command.DELETE, Section.IP_DHCP_HOST, support.host_xml(0), actor="a1")
    support.define(store, "other", actor="a1")


def _versions(store: EventStore, **wanted: Any) -> list[int]:
    return [event.version for event in select_history(store, "n", HistoryFilter(**wanted))]


def test_filters_combine_and_keep_version_order(store):
    _history(store)
    assert _versions(store) == list(range(1, 10))
    assert _versions(store, actor="a1") == [4, 6, 8, 9]
    assert _versions(store, actor="a0", section=int(Section.IP_DHCP_HOST)) == [3, 5, 7]
    assert _versions(store, command=int(Command.DELETE)) == [9]
    assert _versions(store, actor="nobody") == []
    assert [e.reason for e in select_history(store, "n", HistoryFilter(actor="a0"))] == ["r0", "r2", "r4"]


def test_pages_follow_each_other(store):
    _history(store)
    first = _versions(store, actor="a1", limit=2)
    second = _versions(store, actor="a1", limit=2, after_version=first[-1])
    assert (first, second) == ([4, 6], [8, 9])
    assert _versions(store, limit=None, after_version=9) == []


def test_time_bounds_are_inclusive(store):
    _history(store)
    events = list(store.read_stream("n"))
    middle = events[4].recorded_at
    assert _versions(store, since=middle) == [e.version for e in events if e.recorded_at >= middle]
    assert _versions(store, until=middle) == [e.version for e in events if e.recorded_at <= middle]
    assert _versions(store, since=events[-1].recorded_at + timedelta(seconds=1)) == []
    assert _versions(store, until=events[0].recorded_at - timedelta(seconds=1)) == []
    assert _versions(store, since=middle, until=middle, actor=events[4].actor) == [
        e.version for e in events if e.recorded_at == middle and e.actor == events[4].actor]


def test_a_removed_network_keeps_its_history(store):
    support.define(store, "gone")
    support.undefine(store, "gone")
    assert store.load("gone") is None
    assert has_history(store, "gone") and not has_history(store, "never")
    assert [e.type.value for e in select_history(store, "gone", HistoryFilter())] == ["define", "undefine"]


def _explained(url: str, sql: str, explain: str, *first: str) -> list[str]:
    """The lines of the plan ``explain`` (SQLite's or PostgreSQL's EXPLAIN) gives for ``sql``, ``first`` run before."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        for statement in first:
            conn.exec_driver_sql(statement)
        plan = [str(row[-1]) for row in conn.exec_driver_sql(f"{explain} {sql}")]
    engine.dispose()
    return plan


def _page_sql(url: str, wanted: HistoryFilter) -> str:
    engine = sa.create_engine(url)
    sql = str(page_query("n", wanted, 1, 9).compile(engine, compile_kwargs={"literal_binds": True}))
    engine.dispose()
    return sql


TIME_BOUND = ("SELECT version FROM events WHERE network = 'n' AND recorded_at >= '2000-01-01' "
              "ORDER BY recorded_at, position LIMIT 1")


def _sqlite_plan(url: str, sql: str) -> str:
    return " ".join(_explained(url, sql, "EXPLAIN QUERY PLAN"))


@pytest.mark.sqlite_only("SQLite's query planner (PostgreSQL's: the _postgresql_ counterparts below)")
@pytest.mark.parametrize(("wanted", "index"), [
    (HistoryFilter(actor="a1", limit=50), "ix_events_network_actor_version"),
    (HistoryFilter(section=4, limit=50), "ix_events_network_section_version"),
    (HistoryFilter(command=2, limit=50), "sqlite_autoindex_events_1"),  # the unique (network, version)
])
def test_filtered_pages_are_read_through_an_index(sqlite_url, wanted, index):
    with EventStore(sqlite_url) as store:
        _history(store)
    plan = _sqlite_plan(sqlite_url, _page_sql(sqlite_url, wanted))
    assert index in plan and "TEMP B-TREE" not in plan, plan


@pytest.mark.sqlite_only("SQLite's query planner (PostgreSQL's: the _postgresql_ counterparts below)")
def test_time_bounds_are_found_through_the_network_time_index(sqlite_url):
    with EventStore(sqlite_url) as store:
        _history(store)
    plan = _sqlite_plan(sqlite_url, TIME_BOUND)
    assert "ix_events_network_recorded_at" in plan and "TEMP B-TREE" not in plan, plan


def _postgresql_nodes(url: str, sql: str) -> list[str]:
    """The plan nodes PostgreSQL picks for ``sql`` once the table is too big for a sequential scan.

    The test history has a dozen rows, where reading the whole table is rightly cheapest;
    ``enable_seqscan = off`` makes the planner choose as it would on a long log.
    """
    with EventStore(url) as store:
        _history(store)
    lines = _explained(url, sql, "EXPLAIN", "ANALYZE events", "SET enable_seqscan = off")
    return [line.strip().removeprefix("->").strip().split("  (cost=")[0] for line in lines if "(cost=" in line]


@pytest.mark.parametrize(("wanted", "index"), [
    (HistoryFilter(actor="a1", limit=50), "ix_events_network_actor_version"),
    (HistoryFilter(section=4, limit=50), "ix_events_network_section_version"),
    (HistoryFilter(command=2, limit=50), "uq_events_network_version"),
])
def test_postgresql_reads_filtered_pages_through_an_index(postgres_url, wanted, index):
    nodes = _postgresql_nodes(postgres_url, _page_sql(postgres_url, wanted))
    assert nodes == ["Limit", f"Index Scan using {index} on events"], nodes


def test_postgresql_finds_time_bounds_through_the_network_time_index(postgres_url):
    """The index is on (network, recorded_at) and, unlike SQLite's, does not end with the position
    (SQLite's rowid): PostgreSQL sorts only the events of one same instant by position (an
    incremental sort on the presorted recorded_at), never the network's whole history."""
    nodes = _postgresql_nodes(postgres_url, TIME_BOUND)
    assert nodes == ["Limit", "Incremental Sort", "Index Scan using ix_events_network_recorded_at on events"], nodes
