"""Helpers for the reconciler's own tests: a prefix of its own for host objects, waiting, networks."""

from __future__ import annotations

import secrets
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Optional, TypeVar

import pytest

from tests.reconciler import netns as harness

PREFIX = harness.host_prefix("nsr")  # this suite's prefix for namespaces, bridges, veths and temp dirs
T = TypeVar("T")


@pytest.fixture
def nsr_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    """Name the harness's namespaces and veths with this suite's prefix."""
    monkeypatch.setattr(harness, "PREFIX", PREFIX)


@pytest.fixture
def daemon_dir() -> Iterator[Path]:
    """A directory dnsmasq can read after it drops root (pytest's tmp_path is 0700): mode 0755, removed after."""
    path = Path(tempfile.mkdtemp(prefix=f"{PREFIX}-"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def bridge_name() -> str:
    return f"{PREFIX}b{secrets.token_hex(3)}"


def wait_for(probe: Callable[[], Optional[T]], timeout: float, interval: float = 0.02) -> Optional[T]:
    """The first truthy value of ``probe()`` within ``timeout`` seconds (None if none came)."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() >= deadline:
            return None
        time.sleep(interval)


def read_pid(path: Path) -> Optional[int]:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def nat_network(name: str, bridge: str, subnet: int, hosts: str = "", ipv6: bool = True) -> str:
    """A NAT network on 192.168.SUBNET.0/24 (range .100-.200), optionally with fd00:SUBNET::1/64."""
    v6 = f"<ip family='ipv6' address='fd00:{subnet}::1' prefix='64'/>" if ipv6 else ""
    return (f"<network><name>{name}</name><forward mode='nat'/><bridge name='{bridge}'/>"
            f"<ip address='192.168.{subnet}.1' netmask='255.255.255.0'><dhcp>"
            f"<range start='192.168.{subnet}.100' end='192.168.{subnet}.200'/>{hosts}</dhcp></ip>{v6}</network>")

