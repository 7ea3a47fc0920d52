"""verify(): the hash chain and projection == replay; tampering is found at its row."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from netstore.errors import IntegrityError, StoreError
from netstore.store import EventStore, chain_helper, records
from netstore.store import verify as verifying
from netstore.store.schema import events
from tests.store import support


@pytest.fixture(autouse=True, params=["in-process", "helper"])
def chain_checker(request, monkeypatch):
    """Every finding below, with the chain checked here and by verify's helper process."""
    if request.param == "in-process":
        yield
        return
    started = []
    start = chain_helper.start

    def recorded(*args):
        helper = start(*args)
        started.append(helper)
        return helper

    monkeypatch.setattr(chain_helper, "PARALLEL_FROM", 1)
    monkeypatch.setattr(chain_helper, "start", recorded)
    yield
    assert started and all(helper is not None for helper in started), "verify's helper process ran"


@pytest.fixture
def history(url):
    """Two networks, eight events; returns the URL (the store is closed)."""
    with EventStore(url) as store:
        support.running(store, "a")
        support.running(store, "b")
        for n in range(4):
            support.add_host(store, "ab"[n % 2], n, actor="ops")
        assert store.verify().ok
    return url


def _verify(url: str):
    with EventStore(url) as store:
        return store.verify()


def test_intact_history_verifies(history):
    report = _verify(history)
    assert (report.ok, report.first_bad_position, report.problems, report.events_checked) == (True, None, [], 8)
    report.raise_for_damage()


@pytest.mark.parametrize("column, value", [
    ("actor", "'mallory'"), ("reason", "'because'"), ("idempotency_key", "'k'"), ("xml", "'<host/>'"),
    ("flags", "2"), ("section", "10"), ("command", "4"), ("parent_index", "0"), ("network", "'a', version = 10"),
    ("schema_version", "2"), ("affects_live", "false"), ("effects", "'[]'"),
    ("recorded_at", "'2001-01-01 00:00:00.000000'"), ("prev_hash", "'x'"), ("hash", "'y'"), ("version", "9"),
])
def test_changing_any_column_is_found_at_that_row(history, column, value):
    if column == "recorded_at" and not history.startswith("sqlite"):
        value = "'2001-01-01 00:00:00+00'"
    support.execute_sql(history, f"UPDATE events SET {column} = {value} WHERE position = 6")
    report = _verify(history)
    assert not report.ok and report.first_bad_position == 6, report.problems
    with pytest.raises(IntegrityError) as raised:
        report.raise_for_damage()
    assert raised.value.position == 6


def test_deleting_a_row_is_found_at_that_row(history):
    support.execute_sql(history, "DELETE FROM events WHERE position = 5")
    report = _verify(history)
    if history.startswith("sqlite"):
        assert not report.ok and report.first_bad_position == 5
    else:  # PostgreSQL's positions have gaps: found at the next event of the network ('a' at 7)
        assert not report.ok and report.first_bad_position == 7
        assert any("'a' version 4 follows 2" in problem for problem in report.problems)


def test_deleting_the_last_row_is_found(history):
    support.execute_sql(history, "DELETE FROM events WHERE position = 8")
    report = _verify(history)
    assert not report.ok and report.first_bad_position == 8


def test_reordering_rows_is_found_at_the_first_moved_row(history):
    support.execute_sql(history,
            "UPDATE events SET position = 100 WHERE position = 4",
            "UPDATE events SET position = 4 WHERE position = 5",
            "UPDATE events SET position = 5 WHERE position = 100")
    report = _verify(history)
    assert not report.ok and report.first_bad_position == 4


def test_a_rehashed_change_breaks_the_link_to_the_next_row(history):
    engine = sa.create_engine(history)
    with engine.begin() as conn:
        row = dict(conn.execute(sa.select(events).where(events.c.position == 3)).mappings().one())
        row["actor"] = "mallory"
        conn.execute(sa.text("UPDATE events SET actor = :a, hash = :h WHERE position = 3"),
                     {"a": "mallory", "h": records.row_hash(row)})
    engine.dispose()
    report = _verify(history)
    assert not report.ok and report.first_bad_position == 4


def test_tampered_projection_is_found(history):
    support.execute_sql(history, "UPDATE projection_items SET item = replace(item, 'h1', 'hx') WHERE network = 'b'")
    report = _verify(history)
    assert not report.ok and report.first_bad_position == 8
    assert "projection of 'b'" in report.problems[0]


def test_tampered_registry_is_found(history):
    support.execute_sql(history, "UPDATE networks SET autostart = true WHERE name = 'a'")
    report = _verify(history)
    assert not report.ok and report.first_bad_position == 7


def test_a_failing_helper_leaves_the_chain_check_to_verify_itself(history, monkeypatch):
    def refuse(*args):
        raise StoreError("the helper's database went away")

    monkeypatch.setattr(chain_helper, "PARALLEL_FROM", 1)
    monkeypatch.setattr(verifying, "chain_of", refuse)  # in the forked helper: it answers None
    support.execute_sql(history, "UPDATE events SET actor = 'mallory' WHERE position = 6")
    report = _verify(history)
    assert not report.ok and report.first_bad_position == 6
    assert report.events_checked == 8
