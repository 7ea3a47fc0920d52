"""Known-answer vectors for the event hash's documented canonical form, and times given in other zones.

The expected bytes below are written from the canonical form documented in
:mod:`netstore.store.records` (not produced by it), and the digests are their SHA-256.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from netstore.store import EventStore, records
from tests.store import support

PLUS_ONE = timezone(timedelta(hours=1))

UPDATE_ROW = {
    "position": 8, "network": "n\u00e9t", "version": 3, "type": "update", "schema_version": 1,
    "command": 1, "section": 4, "parent_index": -1, "flags": 3, "xml": "<host mac='52:54:00:00:00:01'/>",
    "affects_live": 1, "affects_config": 0, "autostart": None, "effects": '[{"a":1}]',
    "recorded_at": datetime(2026, 1, 2, 4, 4, 5, 123456, tzinfo=PLUS_ONE),  # 03:04:05.123456 UTC
    "actor": "alice", "reason": None, "idempotency_key": None, "prev_hash": "ab" * 32,
}
UPDATE_CANONICAL = (
    b'["netstore-event",8,"n\\u00e9t",3,"update",1,1,4,-1,3,"<host mac=\'52:54:00:00:00:01\'/>",true,false,null,'
    b'"[{\\"a\\":1}]","2026-01-02T03:04:05.123456Z","alice",null,null,"' + b"ab" * 32 + b'"]'
)
UPDATE_HASH = "b5bc62b82ab3d2de8f2914caf20cfd830b0f79f682793e455df3216b92699d2c"

DEFINE_ROW = {
    "position": 1, "network": "n", "version": 1, "type": "define", "schema_version": 1,
    "command": None, "section": None, "parent_index": None, "flags": None, "xml": "<network/>",
    "affects_live": False, "affects_config": True, "autostart": 1, "effects": "[]",
    # a year below 1000 in UTC: the form is strftime's, which writes the year without padding
    "recorded_at": datetime(1000, 1, 1, 0, 59, 59, tzinfo=PLUS_ONE),
    "actor": None, "reason": None, "idempotency_key": "k", "prev_hash": records.GENESIS_HASH,
}
DEFINE_CANONICAL = (
    b'["netstore-event",1,"n",1,"define",1,null,null,null,null,"<network/>",false,true,true,"[]",'
    b'"999-12-31T23:59:59.000000Z",null,null,"k","' + b"0" * 64 + b'"]'
)
DEFINE_HASH = "deaa9579627a6cd5d470b8631dcbfc060253d135033c5c5046f4da29159f4f13"


@pytest.mark.parametrize("row, canonical, digest", [
    (UPDATE_ROW, UPDATE_CANONICAL, UPDATE_HASH),
    (DEFINE_ROW, DEFINE_CANONICAL, DEFINE_HASH),
], ids=["update-null-autostart", "define-year-999"])
def test_known_answer(row: dict, canonical: bytes, digest: str) -> None:
    assert records.canonical(row) == canonical
    assert records.row_hash(row) == digest


def test_naive_time_is_taken_as_utc() -> None:
    naive = dict(UPDATE_ROW, recorded_at=datetime(2026, 1, 2, 3, 4, 5, 123456))
    assert records.row_hash(naive) == UPDATE_HASH


@pytest.mark.parametrize("hours", [5, -5])
def test_version_at_converts_a_non_utc_time(store: EventStore, hours: int) -> None:
    support.define(store, "n1")
    second = support.start(store, "n1")
    support.autostart(store, "n1", True)
    zone = timezone(timedelta(hours=hours))
    at_second = second.recorded_at.astimezone(zone)
    assert store.version_at("n1", at_second) == 2
    assert store.version_at("n1", at_second - timedelta(microseconds=1)) == 1
