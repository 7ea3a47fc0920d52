"""A commit wakes only the reconcilers that serve its network (PostgreSQL's per-host notice channels)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest

import netstore
from netstore.store.notices import CommitListener, commit_listener, notice_channel
from tests.store.postgres import PostgresServer

XML = "<network><name>{}</name><bridge name='nsfc{}'/></network>"
PATIENCE = 10.0  # seconds a notice that must come may take
QUIET = 0.3  # seconds then allowed for one that must not come


@pytest.fixture
def hosts(postgres_server: PostgresServer) -> Iterator[tuple[str, dict[str, CommitListener]]]:
    """A fresh database and a connected listener for each of the hosts nsf-a and nsf-b."""
    url = postgres_server.new_database()
    listeners = {}
    for host in ("nsf-a", "nsf-b"):
        listener = commit_listener(url, host)
        assert listener is not None
        listener.connect()
        listeners[host] = listener
    try:
        yield url, listeners
    finally:
        for listener in listeners.values():
            listener.close()


def woken(listeners: dict[str, CommitListener], awaited: set[str]) -> set[str]:
    """The hosts whose listener received a notice (each drained): waits for those ``awaited`` (at most
    :data:`PATIENCE`), then :data:`QUIET` more, so that a notice no host should have had shows too."""
    got: set[str] = set()
    deadline = time.monotonic() + PATIENCE
    while not awaited <= got and time.monotonic() < deadline:
        got |= {host for host, listener in listeners.items() if listener.drain()}
        time.sleep(0.01)
    time.sleep(QUIET)
    return got | {host for host, listener in listeners.items() if listener.drain()}


def test_a_commit_wakes_the_host_of_its_network_only(hosts: tuple[str, dict[str, CommitListener]]) -> None:
    url, listeners = hosts
    with netstore.open(url) as conn:
        conn.networkDefineXML(XML.format("na", 1), host="nsf-a")  # a new network: its host only
        assert woken(listeners, {"nsf-a"}) == {"nsf-a"}
        conn.networkLookupByName("na").setAutostart(1)
        assert woken(listeners, {"nsf-a"}) == {"nsf-a"}


def test_an_unassigned_network_wakes_every_host(hosts: tuple[str, dict[str, CommitListener]]) -> None:
    url, listeners = hosts
    with netstore.open(url) as conn:
        conn.networkDefineXML(XML.format("nu", 2))
        assert woken(listeners, {"nsf-a", "nsf-b"}) == {"nsf-a", "nsf-b"}


def test_a_move_wakes_the_host_it_leaves_and_the_one_it_joins(hosts: tuple[str, dict[str, CommitListener]]) -> None:
    url, listeners = hosts
    with netstore.open(url) as conn:
        net = conn.networkDefineXML(XML.format("nm", 3), host="nsf-a")
        woken(listeners, {"nsf-a"})
        net.setHost("nsf-b")
        assert woken(listeners, {"nsf-a", "nsf-b"}) == {"nsf-a", "nsf-b"}
        net.undefine()  # removed: the host that served it
        assert woken(listeners, {"nsf-b"}) == {"nsf-b"}


@pytest.mark.parametrize("host", ["hv1", "x" * 253, "host with blanks?", "ÄÖÜ-東京"])
def test_every_host_id_has_a_plain_identifier_for_a_channel(host: str) -> None:
    channel = notice_channel(host)
    assert re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", channel)
    assert channel != notice_channel(None) and channel != notice_channel(host + "1")
