"""`netstore reconcile` as a command: arguments, exit codes, what it stores (no root needed)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

import netstore
from netstore.cli.main import cli
from netstore.store.checkpoints import CheckpointStore

BRIDGED = "<network><name>up</name><forward mode='bridge'/><bridge name='nsr-up'/></network>"


def run(url: str, tmp_path: Path, *args: str, boot: str = "nsr-boot") -> tuple[int, str]:
    (tmp_path / "boot_id").write_text(boot)
    result = CliRunner().invoke(
        cli, ["--db", url, "reconcile", "--state-dir", str(tmp_path / "state"),
              "--run-dir", str(tmp_path / "run"), "--host-id", "h", *args],
        env={"NETSTORE_BOOT_ID_FILE": str(tmp_path / "boot_id")})
    return result.exit_code, result.output


def test_once_in_step_exits_0_and_stores_the_checkpoint_with_the_boot_id(db_url: str, tmp_path: Path) -> None:
    with netstore.open(db_url) as conn:
        conn.networkCreateXML(BRIDGED)
        head = conn.store.head_position()
    code, _ = run(db_url, tmp_path, "--once")
    assert code == 0
    with CheckpointStore(db_url) as store:
        found = store.get("h")
    assert found is not None and (found.position, found.boot_id) == (head, "nsr-boot")


def test_dry_run_stores_no_checkpoint_and_reports_a_reboot_without_recording_it(db_url: str, tmp_path: Path) -> None:
    with netstore.open(db_url) as conn:
        conn.networkCreateXML(BRIDGED)
    assert run(db_url, tmp_path, "--once")[0] == 0
    with netstore.open(db_url) as conn:
        head = conn.store.head_position()
    code, output = run(db_url, tmp_path, "--once", "--dry-run", boot="another-boot")
    assert code == 0 and "would record a host reboot" in output
    with netstore.open(db_url) as conn:
        assert conn.store.head_position() == head
    with CheckpointStore(db_url) as store:
        found = store.get("h")
    assert found is not None and found.boot_id == "nsr-boot"
    assert not (tmp_path / "state").exists()


def test_an_unknown_ra_mode_is_a_usage_error(db_url: str, tmp_path: Path) -> None:
    code, output = run(db_url, tmp_path, "--once", "--ra", "bird")
    assert code == 2 and "'bird' is not one of" in output
