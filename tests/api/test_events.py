"""Lifecycle events read from the log, with libvirt's event codes."""

from __future__ import annotations

import pytest

import netstore
from netstore.api.events import LifecycleFollower

XML = "<network><name>{}</name><forward mode='bridge'/><bridge name='lo'/></network>"


def test_the_follower_sees_only_what_comes_after_it(db_url: str) -> None:
    with netstore.open(db_url) as conn, netstore.open(db_url) as other:
        conn.networkDefineXML(XML.format("nsxa"))
        everything, only_a = LifecycleFollower(conn), LifecycleFollower(conn, "nsxa")
        assert everything.poll() == []
        net = other.networkLookupByName("nsxa")
        net.create()
        net.update(netstore.VIR_NETWORK_UPDATE_COMMAND_ADD_LAST, netstore.VIR_NETWORK_SECTION_PORTGROUP, -1,
                   "<portgroup name='p'/>", netstore.VIR_NETWORK_UPDATE_AFFECT_LIVE)
        net.setAutostart(1)
        other.networkCreateXML(XML.format("nsxb")).destroy()
        net.destroy()
        net.undefine()
        seen = [(e.network, e.event, e.event_name) for e in everything.poll()]
        assert seen == [
            ("nsxa", netstore.VIR_NETWORK_EVENT_STARTED, "Started"),
            ("nsxb", netstore.VIR_NETWORK_EVENT_STARTED, "Started"),
            ("nsxb", netstore.VIR_NETWORK_EVENT_STOPPED, "Stopped"),
            ("nsxa", netstore.VIR_NETWORK_EVENT_STOPPED, "Stopped"),
            ("nsxa", netstore.VIR_NETWORK_EVENT_UNDEFINED, "Undefined"),
        ]
        assert [e.network for e in only_a.poll()] == ["nsxa"] * 3
        assert everything.poll() == only_a.poll() == []


def test_a_follower_on_a_closed_connection_raises_a_libvirt_error(db_url: str) -> None:
    conn = netstore.open(db_url)
    follower = LifecycleFollower(conn)
    conn.close()
    with pytest.raises(netstore.libvirtError) as caught:
        follower.poll()
    assert caught.value.get_error_code() == netstore.VIR_ERR_INVALID_CONN
