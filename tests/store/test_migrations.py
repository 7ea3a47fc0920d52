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


def test_models_and_migrations_agree(db_url):
    assert upgrade(db_url) == migrate.HEAD_REVISION
    engine = sa.create_engine(db_url)
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


def test_upgrade_and_current(db_url):
    assert current(db_url) is None
    assert upgrade(db_url, "0001") == "0001"
    assert current(db_url) == "0001"
    assert upgrade(db_url) == migrate.HEAD_REVISION
    assert current(db_url) == migrate.HEAD_REVISION
    assert upgrade(db_url) == migrate.HEAD_REVISION


def test_downgrade_and_upgrade_again(db_url):
    upgrade(db_url)
    assert migrate.downgrade(db_url, "base") is None
    engine = sa.create_engine(db_url)
    assert sa.inspect(engine).get_table_names() == ["alembic_version"]
    engine.dispose()
    assert upgrade(db_url) == migrate.HEAD_REVISION


# The schema as each backend describes it: (kind, name, its definition's lines, however they are ordered)
_SCHEMA_SQL = {
    "sqlite": "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'",
    "postgresql": """
        SELECT 'column', c.relname || '.' || a.attname, format_type(a.atttypid, a.atttypmod)
               || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
               || coalesce(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '')
               || CASE WHEN a.attidentity::text <> '' THEN ' IDENTITY ' || a.attidentity::text ELSE '' END
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
        UNION ALL
        SELECT 'constraint', conrelid::regclass::text || '.' || conname, pg_get_constraintdef(oid)
        FROM pg_constraint WHERE connamespace = 'public'::regnamespace
        UNION ALL
        SELECT 'index', indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'
        UNION ALL
        SELECT 'sequence', sequencename, data_type::text || ' owned by ' || coalesce((
                   SELECT t.relname || '.' || a.attname FROM pg_depend dep
                   JOIN pg_class t ON t.oid = dep.refobjid
                   JOIN pg_attribute a ON a.attrelid = dep.refobjid AND a.attnum = dep.refobjsubid
                   WHERE dep.objid = (schemaname || '.' || sequencename)::regclass AND dep.deptype IN ('a', 'i')),
               'nothing')
        FROM pg_sequences WHERE schemaname = 'public'
    """,
}
# Makes the next position 10 higher than the log's next one: positions that rolled-back appends used
_SKIP_TEN_POSITIONS = {
    "sqlite": "UPDATE sqlite_sequence SET seq = seq + 10 WHERE name = 'events'",
    "postgresql": "SELECT setval(pg_get_serial_sequence('events', 'position'),"
                  " nextval(pg_get_serial_sequence('events', 'position')) + 9)",
}


def _backend(url: str) -> str:
    return sa.make_url(url).get_backend_name()


def _schema(url: str) -> set[tuple[str, str, frozenset[str]]]:
    """Each table, column, constraint, index and sequence, as the database itself describes it."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(_SCHEMA_SQL[_backend(url)])
        schema = {(kind, name, frozenset(line.strip().rstrip(",") for line in (sql or "").replace('"', "").splitlines()))
                  for kind, name, sql in rows}
    engine.dispose()
    return schema


def test_upgrading_a_log_keeps_its_events_and_gives_the_schema_of_a_new_database(new_db_url, monkeypatch):
    logged, fresh = new_db_url(), new_db_url()
    # events of schema version 2 (one network: its chain is the log's, valid by either rule)
    monkeypatch.setattr(records, "SCHEMA_VERSION", 2)
    with EventStore(logged) as store:
        support.running(store, "n")
        for n in range(5):
            support.add_host(store, "n", n, idempotency_key=f"k{n}")
        before = list(store.read_all())
    monkeypatch.undo()
    support.execute_sql(logged, _SKIP_TEN_POSITIONS[_backend(logged)])
    migrate.downgrade(logged, "0001")
    assert upgrade(logged) == migrate.HEAD_REVISION
    upgrade(fresh)
    assert _schema(logged) == _schema(fresh)
    with EventStore(logged) as store:
        assert list(store.read_all()) == before and store.verify().ok
        keyed = next(event for event in before if event.idempotency_key == "k3")
        assert support.add_host(store, "n", 3, idempotency_key="k3") == keyed  # the key still holds
        assert support.add_host(store, "n", 9).position == before[-1].position + 11  # no position reused


def test_a_log_chained_per_network_refuses_a_downgrade_below_0005(db_url):
    with EventStore(db_url) as store:
        support.define(store, "n")
    with pytest.raises(Exception, match="cannot downgrade below 0005"):
        migrate.downgrade(db_url, "0004")
    assert current(db_url) == migrate.HEAD_REVISION


def test_opening_an_empty_database_migrates_it(db_url):
    with EventStore(db_url):
        pass
    assert current(db_url) == migrate.HEAD_REVISION


def test_a_database_at_another_revision_is_refused(db_url):
    upgrade(db_url)
    support.execute_sql(db_url, "UPDATE alembic_version SET version_num = '0000'")
    with pytest.raises(SchemaMismatchError, match="netstore db upgrade"):
        EventStore(db_url)


def test_a_foreign_database_is_refused(db_url):
    support.execute_sql(db_url, "CREATE TABLE other (x INTEGER)")
    with pytest.raises(SchemaMismatchError, match="no netstore schema"):
        EventStore(db_url)


def _open(url: str) -> None:
    EventStore(url).close()


def test_concurrent_first_opens_do_not_race(db_url):
    context = multiprocessing.get_context("fork")
    openers = [context.Process(target=_open, args=(db_url,)) for _ in range(4)]
    for process in openers:
        process.start()
    for process in openers:
        process.join(60)
    assert [p.exitcode for p in openers] == [0, 0, 0, 0]
    assert current(db_url) == migrate.HEAD_REVISION


def test_alembic_cli_uses_the_same_migrations(db_url, tmp_path):
    env = {**os.environ, "NETSTORE_DB": db_url}
    done = subprocess.run([sys.executable, "-m", "alembic", "-c", str(REPO_ROOT / "alembic.ini"), "upgrade", "head"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert current(db_url) == migrate.HEAD_REVISION


def test_unknown_target_revision_is_a_store_error(db_url):
    with pytest.raises(SchemaMismatchError, match="cannot upgrade"):
        upgrade(db_url, "9999")
