"""The fleet parts of tools/reliability.py (tools/reliability_fleet.py), smaller: PostgreSQL restart mid-burst, 8 writers as 2 hosts.

Each part runs two reconcilers (two host ids) in their own network namespaces
against a throwaway PostgreSQL cluster and must end with zero lost, duplicated
or failed updates, a clean verify and both hosts' files converged.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.helpers import require
from tests.reconciler import netns as harness
from tests.store.postgres import PostgresServer

TOOL = Path(__file__).resolve().parents[2] / "tools" / "reliability_fleet.py"


@pytest.fixture(scope="module")
def reliability() -> ModuleType:
    spec = importlib.util.spec_from_file_location("nsf_reliability", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["nsf_reliability"] = module  # the writer processes unpickle its functions by this name
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def fleet_ready(postgres_server: PostgresServer) -> PostgresServer:
    require(harness.can_use_namespaces(), "root, namespaces and dnsmasq are needed to run two reconcilers")
    return postgres_server


def test_postgresql_restarted_mid_burst(reliability: ModuleType, fleet_ready: PostgresServer, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert reliability.fleet_restart(fleet_ready, tmp_path, 15), capsys.readouterr().out


@pytest.mark.parametrize("networks", [1, 8])
def test_eight_writers_as_two_hosts(reliability: ModuleType, fleet_ready: PostgresServer, tmp_path: Path,
                                    networks: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert reliability.fleet_writers(fleet_ready, tmp_path, 10, networks), capsys.readouterr().out
