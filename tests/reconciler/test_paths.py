"""Daemon file locations: libvirt's names under netstore's directories, and how the directories are chosen."""

from __future__ import annotations

from pathlib import Path

import pytest

from netstore.reconciler.paths import Paths, default_paths


def test_names_follow_libvirt() -> None:
    paths = Paths(state_dir=Path("/s"), run_dir=Path("/r"))
    assert paths.conf("default") == Path("/s/default.conf")
    assert paths.hostsfile("default") == Path("/s/default.hostsfile")
    assert paths.addnhosts("default") == Path("/s/default.addnhosts")
    assert paths.radvd_conf("default") == Path("/s/default-radvd.conf")
    assert paths.leases("default") == Path("/s/default.leases")
    assert paths.dnsmasq_pid("default") == Path("/r/default.pid")
    assert paths.radvd_pid("default") == Path("/r/default-radvd.pid")


def test_hosts_and_pid_files_escape_the_name_as_libvirt_does() -> None:
    paths = Paths(state_dir=Path("/s"), run_dir=Path("/r"))
    name = 'a"b'
    assert paths.conf(name) == Path('/s/a"b.conf')
    assert paths.hostsfile(name) == Path("/s/a&quot;b.hostsfile")
    assert paths.addnhosts(name) == Path("/s/a&quot;b.addnhosts")
    assert paths.dnsmasq_pid(name) == Path("/r/a&quot;b.pid")
    assert paths.radvd_conf(name) == Path('/s/a"b-radvd.conf')
    assert paths.radvd_pid(name) == Path("/r/a&quot;b-radvd.pid")


def test_explicit_arguments_win(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETSTORE_STATE_DIR", "/env/state")
    monkeypatch.setenv("NETSTORE_RUN_DIR", "/env/run")
    assert default_paths(Path("/a"), Path("/b")) == Paths(Path("/a"), Path("/b"))


def test_environment_beats_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETSTORE_STATE_DIR", "/env/state")
    monkeypatch.setenv("NETSTORE_RUN_DIR", "/env/run")
    assert default_paths() == Paths(Path("/env/state"), Path("/env/run"))


def test_root_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NETSTORE_STATE_DIR", raising=False)
    monkeypatch.delenv("NETSTORE_RUN_DIR", raising=False)
    monkeypatch.setattr("os.geteuid", lambda: 0)
    assert default_paths() == Paths(Path("/var/lib/netstore"), Path("/run/netstore"))


def test_user_defaults_follow_xdg(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NETSTORE_STATE_DIR", raising=False)
    monkeypatch.delenv("NETSTORE_RUN_DIR", raising=False)
    monkeypatch.setattr("os.geteuid", lambda: 1000)
    monkeypatch.setenv("XDG_STATE_HOME", "/home/u/.st")
    monkeypatch.setenv("XDG_RUNTIME_DIR", "/run/user/1000")
    assert default_paths() == Paths(Path("/home/u/.st/netstore"), Path("/run/user/1000/netstore"))
    monkeypatch.delenv("XDG_STATE_HOME")
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    monkeypatch.setenv("HOME", "/home/u")
    state = Path("/home/u/.local/state/netstore")
    assert default_paths() == Paths(state, state / "run")
