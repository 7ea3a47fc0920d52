"""verify's fast row hashing computes the documented canonical form, byte for byte."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from netstore.store import EventStore, records
from tests.store import support

texts = st.one_of(st.none(), st.text(), st.text(alphabet=st.characters(max_codepoint=0x80)))
integers = st.one_of(st.none(), st.integers(), st.integers(min_value=-(2**70), max_value=2**70))
moments = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31), timezones=st.just(UTC))


def _reference(values: list) -> bytes:
    """The canonical form as the module docstring defines it, with json only."""
    array = ["netstore-event", *values]
    array[15] = records.format_time(array[15])
    array[11], array[12] = bool(array[11]), bool(array[12])
    if array[13] is not None:
        array[13] = bool(array[13])
    return json.dumps(array, ensure_ascii=True, separators=(",", ":")).encode("ascii")


@given(position=st.integers(min_value=1, max_value=2**63 - 1), network=st.text(), numbers=st.lists(integers, min_size=5,
       max_size=5), strings=st.lists(texts, min_size=7, max_size=7), flags=st.lists(st.sampled_from([0, 1, True, False]),
       min_size=2, max_size=2), autostart=st.sampled_from([None, 0, 1, True, False]), moment=moments)
def test_canonical_values_equal_json(position, network, numbers, strings, flags, autostart, moment):
    version, schema, command, section, parent = numbers
    type_, xml, effects, actor, reason, key, prev = strings
    values = [position, network, version, type_, schema, command, section, parent, 3, xml, *flags, autostart,
              effects, moment, actor, reason, key, prev]
    assert records.canonical_values(values) == _reference(values)


@given(moment=moments)
def test_sqlite_time_text_hashes_as_the_datetime(moment):
    text = moment.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
    if moment.year < 1000:
        text = text.zfill(26)
    assert records._time_text(text) == records.format_time(records.stored_time(text))


@pytest.mark.parametrize("text", [
    "2026-W49-7 20:11:15.489319", "2026-12-06 20:11:15,489319", "2026-12-06 20:11:15.489319+02:00",
    "2026-12-06T20:11:15.489319", "0999-12-06 20:11:15.489319", "2026-12-06 20:11:15",
])
def test_unusual_time_texts_take_the_general_path(text):
    assert records._time_text(text) == records.format_time(records.stored_time(text))


@pytest.mark.sqlite_only("only SQLite's recorded_at column takes any text; PostgreSQL's refuses one that is not a "
                         "time (test_postgresql_refuses_a_time_that_is_not_a_time), and a changed time is found on "
                         "both backends (test_verify.py)")
def test_a_row_with_a_time_that_is_not_a_time_is_reported(sqlite_url):
    with EventStore(sqlite_url) as store:
        support.running(store, "a")
        support.add_host(store, "a", 1)
    support.execute_sql(sqlite_url, "UPDATE events SET recorded_at = 'yesterday' WHERE position = 2")
    with EventStore(sqlite_url) as store:
        report = store.verify()
    assert report.first_bad_position == 2 and "hash does not match" in report.problems[0]


def test_postgresql_refuses_a_time_that_is_not_a_time(postgres_url):
    with EventStore(postgres_url) as store:
        support.running(store, "a")
    with pytest.raises(sa.exc.DataError, match="invalid input syntax for type timestamp with time zone"):
        support.execute_sql(postgres_url, "UPDATE events SET recorded_at = 'not a time' WHERE position = 2")


def test_verify_reports_progress(db_url):
    with EventStore(db_url) as store:
        support.running(store, "a")
        seen: list[int] = []
        assert store.verify(seen.append).ok
    assert seen == [2]


def test_a_day_boundary_in_the_second_cache(tmp_path):
    base = datetime(2026, 12, 31, 23, 59, 59, 999999)
    for moment in (base, base + timedelta(microseconds=1)):
        text = moment.strftime("%Y-%m-%d %H:%M:%S.%f")
        assert records._time_text(text) == records.format_time(moment)
