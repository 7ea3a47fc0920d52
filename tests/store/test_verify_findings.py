"""verify() names each kind of damage on its own, with its exact text.

Each test does one tampering that only one check can see, and expects that
check's problem and nothing else (the history fixture: two running networks,
'a' last changed at position 7 and 'b' at position 8).
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from netstore.events import SCHEMA_VERSION
from netstore.store import EventStore, records
from netstore.store.schema import events
from tests.store import support


@pytest.fixture
def history(url: str) -> str:
    with EventStore(url) as store:
        support.running(store, "a")
        support.running(store, "b")
        for n in range(4):
            support.add_host(store, "ab"[n % 2], n)
    return url


def _problems(url: str) -> list[str]:
    with EventStore(url) as store:
        return store.verify().problems


@pytest.mark.parametrize("version", [0, SCHEMA_VERSION + 1])
def test_unknown_schema_version_in_a_rehashed_row(history: str, version: int) -> None:
    engine = sa.create_engine(history)
    with engine.begin() as conn:
        row = dict(conn.execute(sa.select(events).where(events.c.position == 8)).mappings().one())
        row["schema_version"] = version
        conn.execute(sa.text("UPDATE events SET schema_version = :v, hash = :h WHERE position = 8"),
                     {"v": version, "h": records.row_hash(row)})
    engine.dispose()
    assert _problems(history) == [f"position 8: unknown event schema version {version}",  # and so a new hash:
                                  "position 8: 'b''s registry holds another hash than its last event's"
                                  " (last event deleted or changed)"]


def test_sort_keys_changed_but_still_in_order(history: str) -> None:
    support.execute_sql(history, "UPDATE projection_items SET sort_key = sort_key + 1000 WHERE network = 'b'")
    assert _problems(history) == ["position 8: projection of 'b' differs from the replay: item row sort keys"]


def test_truncated_tail_is_an_event_missing(history: str) -> None:
    support.execute_sql(history, "DELETE FROM events WHERE position = 8")
    problems = _problems(history)
    assert problems[0] == "position 8: event missing: 'b' was last changed at position 8"
    assert all(problem.startswith("position 8: ") for problem in problems)
