"""Blame: each current entry with the event that introduced it, keyed as the update engine keys it."""

from __future__ import annotations

import pytest

from netstore.audit.blame import blame
from netstore.audit.rollback import rollback
from netstore.constants import Command, Section, UpdateFlags
from netstore.errors import libvirtError
from tests.store import support

CONFIG = int(UpdateFlags.AFFECT_CONFIG)


def _by_mac(entries):
    return {entry.keys.get("mac"): entry for entry in entries if entry.collection == "dhcp-host"}


def test_each_host_names_the_update_that_added_it(store):
    support.define(store, "n")
    support.add_host(store, "n", 1, CONFIG, actor="alice", reason="db1")
    support.add_host(store, "n", 2, CONFIG, actor="bob")
    entries = _by_mac(blame(store, "n"))
    first = entries["52:54:01:00:00:01"]
    assert (first.event.version, first.event.actor, first.event.reason) == (2, "alice", "db1")
    assert first.keys == {"mac": "52:54:01:00:00:01", "name": "h1", "ip": "10.1.0.1"}
    assert entries["52:54:01:00:00:02"].event.actor == "bob"
    [rng] = [e for e in blame(store, "n") if e.collection == "dhcp-range"]
    assert rng.event.version == 1 and rng.keys == {"range": "10.0.0.2-10.0.0.254"}


def test_starting_keeps_the_config_attribution_and_modify_takes_it(store):
    support.define(store, "n")
    support.add_host(store, "n", 1, CONFIG, actor="alice")
    support.start(store, "n")
    assert _by_mac(blame(store, "n"))["52:54:01:00:00:01"].event.actor == "alice"
    changed = support.host_xml(1).replace("name='h1'", "name='renamed'")
    support.update(store, "n", Command.MODIFY, Section.IP_DHCP_HOST, changed, actor="carol")
    live = _by_mac(blame(store, "n"))["52:54:01:00:00:01"]
    assert (live.scope, live.event.actor, live.keys["name"]) == ("live", "carol", "renamed")


def test_a_redefinition_keeps_unchanged_entries_and_a_rollback_owns_what_it_restores(store):
    support.define(store, "n", actor="first")
    support.add_host(store, "n", 1, CONFIG, actor="alice")
    support.update(store, "n", Command.DELETE, Section.IP_DHCP_HOST, support.host_xml(1), CONFIG, actor="bob")
    support.define(store, "n", actor="redefiner")
    assert [e.event.actor for e in blame(store, "n", inactive=True)] == ["first"]
    rollback(store, "n", 2, actor="ops")
    assert _by_mac(blame(store, "n", inactive=True))["52:54:01:00:00:01"].event.actor == "ops"


def test_blame_of_a_removed_network_is_refused(store):
    support.define(store, "n")
    support.undefine(store, "n")
    with pytest.raises(libvirtError, match="no network with matching name 'n'"):
        blame(store, "n")
