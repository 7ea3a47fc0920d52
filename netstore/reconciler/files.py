"""Daemon files written atomically, only when their content changes.

A write goes to a temporary file in the target's directory, is flushed to
disk, given its mode and renamed over the target; then the directory itself is
flushed, so after a crash the file is either the old one or the new one.
dnsmasq's configuration is 0600, the hosts files 0644 (libvirt's modes).
"""

from __future__ import annotations

import contextlib
import difflib
import os
import tempfile
from pathlib import Path
from typing import Optional

from netstore.reconciler.errors import ReconcileError

CONFIG_MODE = 0o600
HOSTS_MODE = 0o644
DIR_MODE = 0o755


def write_if_changed(path: Path, content: str, mode: int) -> bool:
    """Make ``path`` hold ``content`` with ``mode``; False (and no write) when it already does.

    A differing mode alone is corrected in place and still counts as unchanged content.
    """
    data = content.encode("utf-8")
    if _read_bytes(path) == data:
        _fix_mode(path, mode)
        return False
    _ensure_dir(path.parent)
    _replace(path, data, mode)
    return True


def remove_if_present(path: Path) -> bool:
    """Delete ``path``; False when there was nothing to delete."""
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError as err:
        raise ReconcileError(f"cannot remove {path}: {err.strerror}") from err
    return True


def unified_diff(path: Path, content: Optional[str]) -> str:
    """The diff from what is on disk to ``content`` (None: the file is to go); "" when equal."""
    old = _read_bytes(path)
    old_text = old.decode("utf-8", errors="replace") if old is not None else ""
    new_text = content if content is not None else ""
    if old is not None and content is not None and old_text == new_text:
        return ""
    if old is None and content is None:
        return ""
    lines = difflib.unified_diff(
        old_text.splitlines(keepends=True),
        new_text.splitlines(keepends=True),
        fromfile=str(path) if old is not None else "/dev/null",
        tofile=str(path) if content is not None else "/dev/null",
    )
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def _read_bytes(path: Path) -> Optional[bytes]:
    try:
        return path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as err:
        raise ReconcileError(f"cannot read {path}: {err.strerror}") from err


def _fix_mode(path: Path, mode: int) -> None:
    try:
        if path.stat().st_mode & 0o7777 != mode:
            path.chmod(mode)
    except OSError as err:
        raise ReconcileError(f"cannot set the mode of {path}: {err.strerror}") from err


def _ensure_dir(directory: Path) -> None:
    try:
        directory.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    except OSError as err:
        raise ReconcileError(f"cannot create directory {directory}: {err.strerror}") from err


def _replace(path: Path, data: bytes, mode: int) -> None:
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise ReconcileError(f"cannot write {path}: {err.strerror}") from err
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            os.fchmod(handle.fileno(), mode)
        os.rename(temp_name, path)
    except BaseException as err:
        _discard(temp_name)
        if isinstance(err, OSError):
            raise ReconcileError(f"cannot write {path}: {err.strerror}") from err
        raise
    _fsync_dir(path.parent)


def _discard(temp_name: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(temp_name)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
