"""Run the real daemons' syntax checks on rendered files (no daemon is started)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

from netstore.render import DnsmasqFiles

HOST_PREFIX = "nsd-"


@contextmanager
def scratch_dir() -> Iterator[Path]:
    """A temporary directory named with this area's prefix, removed by its own path."""
    path = Path(tempfile.mkdtemp(prefix=HOST_PREFIX))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def conf_with_hosts(files: DnsmasqFiles) -> str:
    """The conf plus each hosts-file line as ``dhcp-host=LINE`` (the hosts-file format)."""
    lines = (files.hostsfile or "").splitlines()
    return files.conf + "".join(f"dhcp-host={line}\n" for line in lines)


def dnsmasq_test(text: str) -> tuple[int, str]:
    """``dnsmasq --test -C FILE``: exit status and stderr."""
    return _check(["dnsmasq", "--test", "-C"], text, "dnsmasq.conf")


def radvd_configtest(text: str) -> tuple[int, str]:
    """``radvd --configtest -C FILE``: exit status and stderr."""
    return _check(["radvd", "--configtest", "-C"], text, "radvd.conf")


def _check(argv: list[str], text: str, filename: str) -> tuple[int, str]:
    with scratch_dir() as directory:
        path = directory / filename
        path.write_text(text)
        path.chmod(0o600)
        done = subprocess.run([*argv, str(path)], capture_output=True, text=True, timeout=30, check=False)
        return done.returncode, done.stderr


def binary(name: str) -> Optional[str]:
    return shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
