"""Project-wide pytest setup: hypothesis profiles, capability fixtures, skip policy.

Under ``NETSTORE_REQUIRE_ALL=1`` no test may be skipped: :func:`tests.helpers.require`
fails instead of skipping, and the hooks below turn every other skip (markers,
``pytest.skip``, ``importorskip``, module-level skips) into a failure too.
"""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

if str(Path(__file__).resolve().parent.parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.helpers import CORPUS_ENV, REQUIRE_ALL_ENV, ci, corpus_path, require, require_all

_RELAXED = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
settings.register_profile("ci", deadline=None, derandomize=True, database=None, print_blob=True,
                          suppress_health_check=_RELAXED)
settings.register_profile("dev", deadline=None, print_blob=True, suppress_health_check=_RELAXED)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if ci() else "dev"))

_collection_skips: list[str] = []


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Generator[None, Any, None]:
    outcome = yield
    report = outcome.get_result()
    if require_all() and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"{REQUIRE_ALL_ENV}=1 turns this skip into a failure: {reason}"


def pytest_collectreport(report: pytest.CollectReport) -> None:
    if require_all() and report.skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        _collection_skips.append(f"{report.nodeid}: {reason}")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _collection_skips:
        terminalreporter.section(f"skipped at collection ({REQUIRE_ALL_ENV}=1: failure)")
        for line in _collection_skips:
            terminalreporter.write_line(line)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _collection_skips and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


TEST_DB_ENV = "NETSTORE_TEST_DB"  # "postgresql": database fixtures give PostgreSQL databases (CI's second pass)
DATABASE_FIXTURES = frozenset({"db_url", "new_db_url"})


def postgresql_pass() -> bool:
    """True in the pass that runs every database test on PostgreSQL (``$NETSTORE_TEST_DB=postgresql``)."""
    return os.environ.get(TEST_DB_ENV, "sqlite") == "postgresql"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only(reason): a test of SQLite itself (its files, its "
                            "query planner); it runs in the SQLite pass only")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The PostgreSQL pass runs the tests whose database comes from a database fixture, and only those:
    the rest open no database, or are SQLite's own (``sqlite_only``), or already run on both
    (tests/store's ``url``)."""
    if not postgresql_pass():
        return
    kept, dropped = [], []
    for item in items:
        uses_database = DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
        (kept if uses_database and item.get_closest_marker("sqlite_only") is None else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
    items[:] = kept


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Any]:
    """A PostgreSQL server for the whole session (see tests/store/postgres.py)."""
    from tests.store.postgres import PostgresServer

    server = PostgresServer.from_environment()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def new_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], str]]:
    """Makes fresh, empty databases, as many as a test needs: SQLite files in ``tmp_path``, or
    PostgreSQL databases (dropped after the test) when ``$NETSTORE_TEST_DB=postgresql``."""
    if not postgresql_pass():
        numbers = itertools.count()
        yield lambda: f"sqlite:///{tmp_path / f'netstore-{next(numbers)}.db'}"
        return
    server = request.getfixturevalue("postgres_server")
    made: list[str] = []

    def new() -> str:
        made.append(server.new_database())
        return made[-1]

    yield new
    for url in made:
        server.drop_database(url)


@pytest.fixture
def db_url(new_db_url: Callable[[], str]) -> str:
    """A fresh, empty database: a SQLite file, or a PostgreSQL database in the PostgreSQL pass."""
    return new_db_url()


@pytest.fixture(scope="session")
def corpus_dir() -> Any:
    """libvirt 9.0.0's test corpus folder (fetched into .cache, never committed)."""
    path = corpus_path()
    require((path / "networkxml2xmltest.c").is_file(),
            f"libvirt conformance corpus not found at {path} (run python3 tools/fetch_corpus.py, "
            f"or set {CORPUS_ENV} to libvirt 9.0.0's tests/ directory)")
    return path


@pytest.fixture(scope="session")
def libvirt_module() -> ModuleType:
    """libvirt-python (the oracle); its default error printer is silenced."""
    try:
        import libvirt
    except ImportError as exc:
        require(False, f"libvirt-python is not installed ({exc}); pip install -e '.[conformance]'")
    libvirt.registerErrorHandler(lambda _ctx, _err: None, None)
    return libvirt


@pytest.fixture
def testdriver(libvirt_module: ModuleType) -> Iterator[Any]:
    """A fresh connection to libvirt's in-process test driver.

    ``test:///default`` keeps its state while any connection is open and
    already holds a network named 'default': use :func:`tests.helpers.unique_name`.
    """
    conn = libvirt_module.open("test:///default")
    try:
        yield conn
    finally:
        conn.close()


@pytest.fixture(scope="session")
def session_daemon(libvirt_module: ModuleType) -> Iterator[Any]:
    """A private libvirtd running the real bridge network driver unprivileged."""
    from tests.oracle.session import SessionDaemon

    ok, reason = SessionDaemon.available()
    require(ok, reason)
    daemon = SessionDaemon()
    try:
        daemon.start()
    except RuntimeError as exc:
        daemon.stop()
        require(False, f"the session libvirtd did not start: {exc}")
    try:
        yield daemon
    finally:
        daemon.stop()


@pytest.fixture
def bridge_driver(session_daemon: Any, libvirt_module: ModuleType) -> Iterator[Any]:
    """A connection to the session daemon's bridge driver (``network:///session``)."""
    conn = session_daemon.connect()
    try:
        yield conn
    finally:
        conn.close()
