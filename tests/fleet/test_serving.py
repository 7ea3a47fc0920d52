"""Each host's reconciler serves only its own networks (dry-run plans, no root needed)."""

from __future__ import annotations

import io
from pathlib import Path

import netstore
from netstore.reconciler.loop import Options, Reconciler
from netstore.reconciler.paths import Paths

DHCP_XML = ("<network><name>{name}</name><bridge name='{bridge}'/>"
            "<ip address='10.78.{n}.1' netmask='255.255.255.0'><dhcp><range start='10.78.{n}.10' end='10.78.{n}.20'/>"
            "</dhcp></ip></network>")


def define_started(url: str, name: str, n: int, host: str) -> None:
    with netstore.open(url) as conn:
        conn.networkDefineXML(DHCP_XML.format(name=name, bridge=f"nsf{name}", n=n), host=host).create()


def dry_run_plan(url: str, host: str, paths: Paths) -> str:
    out = io.StringIO()
    reconciler = Reconciler(Options(url, paths, dry_run=True, host_id=host), out=out)
    try:
        reconciler.start_up()
    finally:
        reconciler.close()
    return out.getvalue()


def test_a_reconciler_plans_only_its_own_networks(db_url: str, tmp_path: Path) -> None:
    define_started(db_url, "ours", 1, "nsf-hv1")
    define_started(db_url, "theirs", 2, "nsf-hv2")
    plan = dry_run_plan(db_url, "nsf-hv1", Paths(tmp_path / "state", tmp_path / "run"))
    assert "network ours: would" in plan
    assert "network theirs" not in plan


def test_a_network_moved_away_is_stopped_and_its_files_removed(db_url: str, tmp_path: Path) -> None:
    paths = Paths(tmp_path / "state", tmp_path / "run")
    define_started(db_url, "moved", 3, "nsf-hv1")
    paths.state_dir.mkdir(parents=True)
    paths.conf("moved").write_text("# written while nsf-hv1 served it\n")
    with netstore.open(db_url) as conn:
        conn.networkLookupByName("moved").setHost("nsf-hv2", reason="drain")
    old_host = dry_run_plan(db_url, "nsf-hv1", paths)
    new_host = dry_run_plan(db_url, "nsf-hv2", Paths(tmp_path / "state2", tmp_path / "run2"))
    assert f"network moved: would remove conf {paths.conf('moved')}" in old_host
    assert "remove bridge" not in old_host  # no bridge of this reconciler's is there to remove
    assert "network moved: would write" in new_host
