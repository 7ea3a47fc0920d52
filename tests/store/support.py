"""Requests for store tests, built with the real lifecycle decide functions.

Networks are NAT networks on 10.0.0.0/8 so tens of thousands of DHCP hosts fit;
host ``n`` has MAC 52:54:00:xx:xx:xx and IP 10.x.y.z derived from ``n``.
"""

from __future__ import annotations

import uuid as uuidlib
import zlib
from typing import Any

import sqlalchemy as sa

from netstore.constants import Command, Section, UpdateFlags
from netstore.events import Event
from netstore.lifecycle import decide as lifecycle
from netstore.lifecycle.decide import NetworkRef
from netstore.lifecycle.request import parse_request
from netstore.store import EventStore
from tests.fakes import FakeHost

LIVE_CONFIG = int(UpdateFlags.AFFECT_LIVE | UpdateFlags.AFFECT_CONFIG)


HOST = FakeHost()  # no network devices: decisions must not depend on this machine


def network_xml(name: str, uuid: str | None = None) -> str:
    uuid = uuid or str(uuidlib.uuid5(uuidlib.NAMESPACE_DNS, name))
    bridge = f"nsb{zlib.crc32(name.encode()) % 100000}"
    return (f"<network><name>{name}</name><uuid>{uuid}</uuid><forward mode='nat'/>"
            f"<bridge name='{bridge}'/><mac address='52:54:00:00:00:01'/>"
            "<ip address='10.0.0.1' prefix='8'><dhcp><range start='10.0.0.2' end='10.0.0.254'/></dhcp></ip>"
            "</network>")


def host_xml(n: int) -> str:
    mac = f"52:54:01:{(n >> 16) & 255:02x}:{(n >> 8) & 255:02x}:{n & 255:02x}"
    ip = f"10.{1 + n // 65536}.{(n // 256) % 256}.{n % 256}"
    return f"<host mac='{mac}' name='h{n}' ip='{ip}'/>"


def ref(store: EventStore, name: str) -> NetworkRef:
    state = store.load(name)
    definition = state.current() if state is not None else None
    assert definition is not None, name
    return NetworkRef(name, definition.uuid)


def define(store: EventStore, name: str, **kw: Any) -> Event:
    return store.append(name, lifecycle.define(parse_request(network_xml(name)), HOST), **kw)


def create(store: EventStore, name: str, **kw: Any) -> Event:
    return store.append(name, lifecycle.create(parse_request(network_xml(name)), HOST), **kw)


def start(store: EventStore, name: str) -> Event:
    return store.append(name, lifecycle.start(ref(store, name)))


def destroy(store: EventStore, name: str) -> Event:
    return store.append(name, lifecycle.destroy(ref(store, name)))


def undefine(store: EventStore, name: str) -> Event:
    return store.append(name, lifecycle.undefine(ref(store, name)))


def autostart(store: EventStore, name: str, value: bool) -> Event:
    return store.append(name, lifecycle.set_autostart(ref(store, name), int(value)))


def running(store: EventStore, name: str) -> None:
    define(store, name)
    start(store, name)


def update(store: EventStore, name: str, command: int, section: int, xml: str,
           flags: int = LIVE_CONFIG, parent_index: int = -1, **kw: Any) -> Event:
    decide = lifecycle.update(ref(store, name), command, section, parent_index, xml, flags)
    return store.append(name, decide, **kw)


def add_host(store: EventStore, name: str, n: int, flags: int = LIVE_CONFIG, **kw: Any) -> Event:
    return update(store, name, Command.ADD_LAST, Section.IP_DHCP_HOST, host_xml(n), flags, **kw)


def host_count(store: EventStore, name: str, scope: str = "live") -> int:
    state = store.load(name)
    definition = getattr(state, scope)
    return len(definition.ips[0].hosts)


def execute_sql(url: str, *statements: str) -> None:
    """Run raw SQL ``statements`` in one transaction, behind the store's back (tampering, old revisions)."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        for statement in statements:
            conn.exec_driver_sql(statement)
    engine.dispose()
