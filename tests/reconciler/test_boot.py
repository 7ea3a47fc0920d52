"""Reboot detection: a new boot id records destroy + autostart start events; a restart records nothing."""

from __future__ import annotations

from pathlib import Path

import netstore
from netstore.events import EventType
from netstore.reconciler.boot import ACTOR, is_reboot, read_boot_id
from netstore.reconciler.loop import Options, Reconciler
from netstore.reconciler.paths import Paths
from netstore.store import EventStore
from netstore.store.checkpoints import Checkpoint


def bridged(name: str) -> str:
    """A network libvirt gives no bridge of its own and no daemons (forward mode bridge)."""
    return f"<network><name>{name}</name><forward mode='bridge'/><bridge name='nsr-host-{name}'/></network>"


def start_up(url: str, tmp_path: Path, boot_id: str) -> None:
    boot_file = tmp_path / "boot_id"
    boot_file.write_text(boot_id + "\n")
    paths = Paths(tmp_path / "state", tmp_path / "run")
    reconciler = Reconciler(Options(url=url, paths=paths, host_id="h1", boot_id_file=boot_file))
    try:
        assert reconciler.start_up()
    finally:
        reconciler.close()


def events_after(url: str, position: int) -> list[tuple[str, str, str | None]]:
    with EventStore(url) as store:
        return [(e.type.value, e.network, e.actor) for e in store.read_all(position)]


def head(url: str) -> int:
    with EventStore(url) as store:
        return store.head_position()


def test_reboot_destroys_the_active_networks_then_starts_the_autostart_ones(db_url: str, tmp_path: Path) -> None:
    with netstore.open(db_url) as conn:
        for name in ("a", "b", "d"):
            conn.networkDefineXML(bridged(name))
        conn.networkLookupByName("a").create()
        conn.networkLookupByName("b").create()
        conn.networkLookupByName("a").setAutostart(1)
        conn.networkLookupByName("d").setAutostart(1)
        conn.networkCreateXML(bridged("c"))  # transient: gone after a reboot

    start_up(db_url, tmp_path, "boot-1")  # first run: not a reboot
    first = head(db_url)
    start_up(db_url, tmp_path, "boot-1")  # restart within one boot
    assert events_after(db_url, first) == []

    start_up(db_url, tmp_path, "boot-2")
    assert events_after(db_url, first) == [
        ("destroy", "a", ACTOR), ("destroy", "b", ACTOR), ("destroy", "c", ACTOR),
        ("start", "a", ACTOR), ("start", "d", ACTOR),
    ]
    with netstore.open(db_url) as conn:
        assert sorted(conn.listNetworks()) == ["a", "d"]
        assert sorted(conn.listDefinedNetworks()) == ["b"]

    after = head(db_url)
    start_up(db_url, tmp_path, "boot-2")
    assert events_after(db_url, after) == []


def test_first_run_with_active_networks_records_nothing(db_url: str, tmp_path: Path) -> None:
    with netstore.open(db_url) as conn:
        conn.networkCreateXML(bridged("t"))
    before = head(db_url)
    start_up(db_url, tmp_path, "boot-x")
    assert events_after(db_url, before) == []


def test_is_reboot_only_when_a_stored_boot_id_differs() -> None:
    assert not is_reboot(None, "b")
    assert not is_reboot(Checkpoint("h", 0, None), "b")
    assert not is_reboot(Checkpoint("h", 0, "b"), "b")
    assert is_reboot(Checkpoint("h", 0, "a"), "b")


def test_the_kernel_boot_id_is_read_by_default(monkeypatch) -> None:
    monkeypatch.delenv("NETSTORE_BOOT_ID_FILE", raising=False)
    assert len(read_boot_id()) == 36


def test_reboot_events_use_the_library_path(db_url: str, tmp_path: Path) -> None:
    with netstore.open(db_url) as conn:
        conn.networkDefineXML(bridged("p"))
        conn.networkLookupByName("p").create()
    start_up(db_url, tmp_path, "one")
    start_up(db_url, tmp_path, "two")
    with EventStore(db_url) as store:
        kinds = [e.type for e in store.read_stream("p")]
        assert kinds[-1] is EventType.DESTROY
        assert store.verify().ok
