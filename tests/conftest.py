"""Project-wide pytest setup: hypothesis profiles, capability fixtures, skip policy.

Under ``NETSTORE_REQUIRE_ALL=1`` no test may be skipped: :func:`tests.helpers.require`
fails instead of skipping, and the hooks below turn every other skip (markers,
``pytest.skip``, ``importorskip``, module-level skips) into a failure too.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Generator, Iterator
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


TEST_DB_ENV = "NETSTORE_TEST_DB"  # "postgresql": db_url gives PostgreSQL databases (CI's second pass)


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
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database: a SQLite file, or a PostgreSQL database when ``$NETSTORE_TEST_DB=postgresql``."""
    if os.environ.get(TEST_DB_ENV, "sqlite") == "postgresql":
        return str(request.getfixturevalue("postgres_server").new_database())
    return f"sqlite:///{tmp_path / 'netstore.db'}"


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
