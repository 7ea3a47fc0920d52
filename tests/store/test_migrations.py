"""Schema by alembic only: migrations == models, automatic first migration, db upgrade/current."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from netstore.errors import SchemaMismatchError
from netstore.store import EventStore, current, migrate, records, upgrade
from netstore.store.schema import metadata
from tests.helpers import REPO_ROOT
from tests.store import support


def test_models_and_migrations_agree(url):
    assert upgrade(url) == migrate.HEAD_REVISION
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    engine.dispose()
    assert diff == []


def test_head_revision_constant_matches_the_scripts():
    script = ScriptDirectory(str(migrate.script_location()))
    assert script.get_current_head() == migrate.HEAD_REVISION


def test_migrations_are_the_checkout_folder_or_the_installed_package():
    location = migrate.script_location()
    assert (location / "env.py").is_file() and (location / "versions").is_dir()
    assert location.resolve() == (REPO_ROOT / "migrations").resolve()


def test_upgrade_and_current(url):
    assert current(url) is None
    assert upgrade(url, "0001") == "0001"
    assert current(url) == "0001"
    assert upgrade(url) == migrate.HEAD_REVISION
    assert current(url) == migrate.HEAD_REVISION
    assert upgrade(url) == migrate.HEAD_REVISION


def test_downgrade_and_upgrade_again(url):
    upgrade(url)
    assert migrate.downgrade(url, "base") is None
    engine = sa.create_engine(url)
    assert sa.inspect(engine).get_table_names() == ["alembic_version"]
    engine.dispose()
    assert upgrade(url) == migrate.HEAD_REVISION


def _schema(url: str) -> set[tuple[str, str, frozenset[str]]]:
    """Each table and index: (type, name, the lines of its SQL), however the lines are ordered."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
        schema = {(kind, name, frozenset(line.strip().rstrip(",") for line in (sql or "").replace('"', "").splitlines()))
                  for kind, name, sql in rows}
    engine.dispose()
    return schema


def test_upgrading_a_log_keeps_its_events_and_gives_the_schema_of_a_new_database(sqlite_url, tmp_path, monkeypatch):
    # events of schema version 2 (one network: its chain is the log's, valid by either rule)
    monkeypatch.setattr(records, "SCHEMA_VERSION", 2)
    with EventStore(sqlite_url) as store:
        support.running(store, "n")
        for n in range(5):
            support.add_host(store, "n", n, idempotency_key=f"k{n}")
        before = list(store.read_all())
    monkeypatch.undo()
    support.execute_sql(sqlite_url, "UPDATE sqlite_sequence SET seq = seq + 10 WHERE name = 'events'")
    migrate.downgrade(sqlite_url, "0001")
    assert upgrade(sqlite_url) == migrate.HEAD_REVISION
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    upgrade(fresh)
    assert _schema(sqlite_url) == _schema(fresh)
    with EventStore(sqlite_url) as store:
        assert list(store.read_all()) == before and store.verify().ok
        keyed = next(event for event in before if event.idempotency_key == "k3")
        assert support.add_host(store, "n", 3, idempotency_key="k3") == keyed  # the key still holds
        assert support.add_host(store, "n", 9).position == before[-1].position + 11  # no position reused


def test_a_log_chained_per_network_refuses_a_downgrade_below_0005(sqlite_url):
    with EventStore(sqlite_url) as store:
        support.define(store, "n")
    with pytest.raises(Exception, match="cannot downgrade below 0005"):
        migrate.downgrade(sqlite_url, "0004")
    assert current(sqlite_url) == migrate.HEAD_REVISION


def test_opening_an_empty_database_migrates_it(url):
    with EventStore(url):
        pass
    assert current(url) == migrate.HEAD_REVISION


def test_a_database_at_another_revision_is_refused(sqlite_url):
    upgrade(sqlite_url)
    support.execute_sql(sqlite_url, "UPDATE alembic_version SET version_num = '0000'")
    with pytest.raises(SchemaMismatchError, match="netstore db upgrade"):
        EventStore(sqlite_url)


def test_a_foreign_database_is_refused(sqlite_url):
    support.execute_sql(sqlite_url, "CREATE TABLE other (x INTEGER)")
    with pytest.raises(SchemaMismatchError, match="no netstore schema"):
        EventStore(sqlite_url)


def _open(url: str) -> None:
    EventStore(url).close()


def test_concurrent_first_opens_do_not_race(url):
    context = multiprocessing.get_context("fork")
    openers = [context.Process(target=_open, args=(url,)) for _ in range(4)]
    for process in openers:
        process.start()
    for process in openers:
        process.join(60)
    assert [p.exitcode for p in openers] == [0, 0, 0, 0]
    assert current(url) == migrate.HEAD_REVISION


def test_alembic_cli_uses_the_same_migrations(sqlite_url, tmp_path):
    env = {**os.environ, "NETSTORE_DB": sqlite_url}
    done = subprocess.run([sys.executable, "-m", "alembic", "-c", str(REPO_ROOT / "alembic.ini"), "upgrade", "head"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert current(sqlite_url) == migrate.HEAD_REVISION


def test_unknown_target_revision_is_a_store_error(sqlite_url):
    with pytest.raises(SchemaMismatchError, match="cannot upgrade"):
        upgrade(sqlite_url, "9999")
