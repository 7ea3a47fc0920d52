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
QUIET = 0.3  # seconds allowed for a notice to arrive


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


def woken(listeners: dict[str, CommitListener]) -> set[str]:
    """The hosts whose listener received a notice by now (each drained); notices go out at commit."""
    time.sleep(QUIET)
    return {host for host, listener in listeners.items() if listener.drain()}


def test_a_commit_wakes_the_host_of_its_network_only(hosts: tuple[str, dict[str, CommitListener]]) -> None:
    url, listeners = hosts
    with netstore.open(url) as conn:
        conn.networkDefineXML(XML.format("na", 1), host="nsf-a")  # a new network: its host only
        assert woken(listeners) == {"nsf-a"}
        conn.networkLookupByName("na").setAutostart(1)
        assert woken(listeners) == {"nsf-a"}


def test_an_unassigned_network_wakes_every_host(hosts: tuple[str, dict[str, CommitListener]]) -> None:
    url, listeners = hosts
    with netstore.open(url) as conn:
        conn.networkDefineXML(XML.format("nu", 2))
        assert woken(listeners) == {"nsf-a", "nsf-b"}


def test_a_move_wakes_the_host_it_leaves_and_the_one_it_joins(hosts: tuple[str, dict[str, CommitListener]]) -> None:
    url, listeners = hosts
    with netstore.open(url) as conn:
        net = conn.networkDefineXML(XML.format("nm", 3), host="nsf-a")
        woken(listeners)
        net.setHost("nsf-b")
        assert woken(listeners) == {"nsf-a", "nsf-b"}
        net.undefine()  # removed: the host that served it
        assert woken(listeners) == {"nsf-b"}


@pytest.mark.parametrize("host", ["hv1", "x" * 253, "host with blanks?", "ÄÖÜ-東京"])
def test_every_host_id_has_a_plain_identifier_for_a_channel(host: str) -> None:
    channel = notice_channel(host)
    assert re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", channel)
    assert channel != notice_channel(None) and channel != notice_channel(host + "1")
