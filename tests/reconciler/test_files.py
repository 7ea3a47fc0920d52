"""Atomic daemon-file writes: unchanged content writes nothing, modes, no temp file left on failure."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from netstore.reconciler import files
from netstore.reconciler.errors import ReconcileError


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_write_creates_directory_and_sets_mode(tmp_path: Path) -> None:
    target = tmp_path / "state" / "net.conf"
    assert files.write_if_changed(target, "strict-order\n", files.CONFIG_MODE) is True
    assert target.read_text() == "strict-order\n"
    assert _mode(target) == 0o600
    assert _mode(target.parent) == 0o755


def test_unchanged_content_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "net.hostsfile"
    files.write_if_changed(target, "a\n", files.HOSTS_MODE)
    inode = target.stat().st_ino
    assert files.write_if_changed(target, "a\n", files.HOSTS_MODE) is False
    assert target.stat().st_ino == inode


def test_unchanged_content_with_wrong_mode_only_fixes_the_mode(tmp_path: Path) -> None:
    target = tmp_path / "net.conf"
    target.write_text("x\n")
    target.chmod(0o666)
    inode = target.stat().st_ino
    assert files.write_if_changed(target, "x\n", files.CONFIG_MODE) is False
    assert _mode(target) == 0o600 and target.stat().st_ino == inode


def test_changed_content_replaces_the_file(tmp_path: Path) -> None:
    target = tmp_path / "net.conf"
    files.write_if_changed(target, "old\n", files.CONFIG_MODE)
    assert files.write_if_changed(target, "new\n", files.CONFIG_MODE) is True
    assert target.read_text() == "new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["net.conf"]


def test_failed_rename_leaves_no_temp_file_and_keeps_old_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "net.conf"
    target.write_text("old\n")

    def refuse(src: str, dst: object) -> None:
        raise OSError(13, "Permission denied")

    monkeypatch.setattr(os, "rename", refuse)
    with pytest.raises(ReconcileError, match="cannot write .*Permission denied"):
        files.write_if_changed(target, "new\n", files.CONFIG_MODE)
    assert [p.name for p in tmp_path.iterdir()] == ["net.conf"]
    assert target.read_text() == "old\n"


def test_unwritable_directory_is_a_reconcile_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(ReconcileError, match="cannot create directory"):
        files.write_if_changed(blocker / "sub" / "net.conf", "x", files.CONFIG_MODE)


def test_interrupted_write_leaves_no_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "net.conf"
    target.write_text("old\n")

    def no_space(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(ReconcileError, match="No space left"):
        files.write_if_changed(target, "new\n", files.CONFIG_MODE)
    assert [p.name for p in tmp_path.iterdir()] == ["net.conf"]
    assert target.read_text() == "old\n"


def test_remove_if_present(tmp_path: Path) -> None:
    target = tmp_path / "net.addnhosts"
    target.write_text("")
    assert files.remove_if_present(target) is True
    assert files.remove_if_present(target) is False


def test_unified_diff(tmp_path: Path) -> None:
    target = tmp_path / "net.conf"
    assert files.unified_diff(target, None) == ""
    created = files.unified_diff(target, "a\n")
    assert created.startswith("--- /dev/null\n") and "+a\n" in created
    target.write_text("a\nb\n")
    assert files.unified_diff(target, "a\nb\n") == ""
    changed = files.unified_diff(target, "a\nc\n")
    assert "-b\n" in changed and "+c\n" in changed
    assert files.unified_diff(target, None).endswith("-a\n-b\n")
