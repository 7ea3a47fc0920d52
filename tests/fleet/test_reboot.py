"""A host's reboot is recorded for the networks that host serves, once, even if its start-up is cut short."""

from __future__ import annotations

from pathlib import Path

import pytest

import netstore
from netstore.errors import StoreUnavailableError
from netstore.reconciler.boot import ACTOR
from netstore.reconciler.loop import Options, Reconciler
from netstore.reconciler.paths import Paths
from netstore.store import EventStore


def bridged(name: str) -> str:
    """A network with no bridge of its own and no daemons (forward mode bridge): nothing to run here."""
    return f"<network><name>{name}</name><forward mode='bridge'/><bridge name='nsf-host-{name}'/></network>"


def reconciler(url: str, tmp_path: Path, host: str, boot_id: str) -> Reconciler:
    boot_file = tmp_path / f"boot_id-{host}"
    boot_file.write_text(boot_id + "\n")
    paths = Paths(tmp_path / host / "state", tmp_path / host / "run")
    return Reconciler(Options(url=url, paths=paths, host_id=host, boot_id_file=boot_file))


def start_up(url: str, tmp_path: Path, host: str, boot_id: str) -> None:
    running = reconciler(url, tmp_path, host, boot_id)
    try:
        assert running.start_up()
    finally:
        running.close()


def recorded_after(url: str, position: int) -> list[tuple[str, str]]:
    with EventStore(url) as store:
        return [(e.type.value, e.network) for e in store.read_all(position) if e.actor == ACTOR]


def head(url: str) -> int:
    with EventStore(url) as store:
        return store.head_position()


def test_a_reboot_leaves_the_networks_of_other_hosts_running(db_url: str, tmp_path: Path) -> None:
    with netstore.open(db_url) as conn:
        conn.networkCreateXML(bridged("mine"), host="nsf-h1")
        conn.networkCreateXML(bridged("theirs"), host="nsf-h2")
        conn.networkCreateXML(bridged("anyones"))  # unassigned: every host serves it
    start_up(db_url, tmp_path, "nsf-h1", "boot-1")
    before = head(db_url)
    start_up(db_url, tmp_path, "nsf-h1", "boot-2")
    assert recorded_after(db_url, before) == [("destroy", "anyones"), ("destroy", "mine")]
    with netstore.open(db_url) as conn:
        assert conn.listNetworks() == ["theirs"]


def test_a_start_up_cut_short_after_the_reboot_does_not_record_it_twice(
        db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with netstore.open(db_url) as conn:
        conn.networkDefineXML(bridged("auto"), host="nsf-h1").setAutostart(1)
        conn.networkLookupByName("auto").create()
    start_up(db_url, tmp_path, "nsf-h1", "boot-1")
    before = head(db_url)
    running = reconciler(db_url, tmp_path, "nsf-h1", "boot-2")
    try:
        with monkeypatch.context() as patched:
            def outage(self: Reconciler, name: str, **_: object) -> bool:
                raise StoreUnavailableError("database unavailable: the server went away")
            patched.setattr(Reconciler, "_reconcile", outage)
            with pytest.raises(StoreUnavailableError):
                running.start_up()
        assert running.start_up()  # the retry serve() makes once the database is back
    finally:
        running.close()
    assert recorded_after(db_url, before) == [("destroy", "auto"), ("start", "auto")]
