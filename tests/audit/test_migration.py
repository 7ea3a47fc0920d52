"""Migration 0004: a log written before it keeps its events, chain and sequence, and accepts rollbacks."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from netstore.audit.rollback import rollback
from netstore.errors import StoreError
from netstore.store import EventStore, current, migrate, records, upgrade
from tests.store import support


def _indexes(url: str) -> set[str | None]:
    engine = sa.create_engine(url)
    names = {index["name"] for index in sa.inspect(engine).get_indexes("events")}
    engine.dispose()
    return names


def test_upgrading_from_0002_keeps_the_log_and_allows_rollback_events(url, monkeypatch):
    # events of schema version 2 (one network: its chain is the log's, valid by either rule)
    monkeypatch.setattr(records, "SCHEMA_VERSION", 2)
    with EventStore(url) as store:
        support.running(store, "n")
        support.add_host(store, "n", 1)
        before = list(store.read_all())
    monkeypatch.undo()
    migrate.downgrade(url, "0002")
    assert "ix_events_network_actor_version" not in _indexes(url)
    assert upgrade(url) == migrate.HEAD_REVISION
    assert {"ix_events_network_actor_version", "ix_events_network_recorded_at",
            "ix_events_network_section_version"} <= _indexes(url)
    with EventStore(url) as store:
        assert list(store.read_all()) == before
        event = rollback(store, "n", 2).event
        assert event is not None and event.position == before[-1].position + 1
        assert store.verify().ok


def test_a_downgrade_refuses_a_log_with_rollback_events_and_keeps_it(url, monkeypatch):
    monkeypatch.setattr(records, "SCHEMA_VERSION", 2)  # below 0005's own refusal (see test_migrations)
    with EventStore(url) as store:
        support.running(store, "n")
        support.add_host(store, "n", 1)
        rollback(store, "n", 2)
    monkeypatch.undo()
    with pytest.raises(StoreError, match="ck_events_type"):
        migrate.downgrade(url, "0002")
    assert current(url) == migrate.HEAD_REVISION
    with EventStore(url) as store:
        assert len(list(store.read_all())) == 4 and store.verify().ok
