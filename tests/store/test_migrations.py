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

from netstore.errors import StoreError
from netstore.store import EventStore, current, migrate, upgrade
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
    assert upgrade(url) == "0001"
    assert current(url) == "0001"
    assert upgrade(url) == "0001"


def test_downgrade_and_upgrade_again(url):
    upgrade(url)
    assert migrate.downgrade(url, "base") is None
    engine = sa.create_engine(url)
    assert sa.inspect(engine).get_table_names() == ["alembic_version"]
    engine.dispose()
    assert upgrade(url) == "0001"


def test_opening_an_empty_database_migrates_it(url):
    with EventStore(url):
        pass
    assert current(url) == migrate.HEAD_REVISION


def test_a_database_at_another_revision_is_refused(sqlite_url):
    upgrade(sqlite_url)
    support.execute_sql(sqlite_url, "UPDATE alembic_version SET version_num = '0000'")
    with pytest.raises(StoreError, match="netstore db upgrade"):
        EventStore(sqlite_url)


def test_a_foreign_database_is_refused(sqlite_url):
    support.execute_sql(sqlite_url, "CREATE TABLE other (x INTEGER)")
    with pytest.raises(StoreError, match="no netstore schema"):
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
    with pytest.raises(StoreError, match="cannot upgrade"):
        upgrade(sqlite_url, "9999")
