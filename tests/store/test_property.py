"""Property: whatever the sequence of requests, projection == replay of the log.

Random sequences of lifecycle calls and updates (all four commands on several
sections, every flag combination, on two networks) go through the real
decide functions; refused ones must leave nothing behind.  After each
sequence the incrementally written projection, a fresh store's load, the
time-travel replay, and a rebuild all agree, and verify() passes.
"""

from __future__ import annotations

from typing import Optional

from hypothesis import given, settings
from hypothesis import strategies as st

from netstore.constants import Command, Section
from netstore.errors import libvirtError
from netstore.model import codec
from netstore.state import NetworkState
from netstore.store import EventStore
from tests.store import support
from tests.store.examples import ONE_DATABASE_PER_EXAMPLE

NAMES = ("p0", "p1")


def _fragment(section: int, n: int, variant: int) -> str:
    if section == Section.IP_DHCP_HOST:
        return support.host_xml(n).replace(f"name='h{n}'", f"name='h{n}v{variant}'")
    if section == Section.IP_DHCP_RANGE:
        return f"<range start='10.0.{n + 1}.1' end='10.0.{n + 1}.{10 + variant}'/>"
    if section == Section.DNS_HOST:
        return f"<host ip='10.0.0.{n + 10}'><hostname>d{n}v{variant}</hostname></host>"
    if section == Section.DNS_TXT:
        return f"<txt name='t{n}' value='v{variant}'/>"
    return f"<portgroup name='pg{n}'/>"


requests = st.one_of(
    st.tuples(st.sampled_from(["define", "create", "start", "destroy", "undefine"]), st.sampled_from(NAMES)),
    st.tuples(st.just("autostart"), st.sampled_from(NAMES), st.booleans()),
    st.tuples(st.just("update"), st.sampled_from(NAMES),
              st.sampled_from([Command.MODIFY, Command.DELETE, Command.ADD_LAST, Command.ADD_FIRST]),
              st.sampled_from([Section.IP_DHCP_HOST, Section.IP_DHCP_RANGE, Section.DNS_HOST,
                               Section.DNS_TXT, Section.PORTGROUP]),
              st.integers(0, 3), st.integers(0, 2), st.integers(0, 3)),
)


def _apply(store: EventStore, request: tuple) -> None:
    kind, name = request[0], request[1]
    if kind in ("define", "create"):
        getattr(support, kind)(store, name)
    elif store.load(name) is None:
        return
    elif kind == "autostart":
        support.autostart(store, name, request[2])
    elif kind == "update":
        command, section, n, variant, flags = request[2:]
        support.update(store, name, command, section, _fragment(section, n, variant), flags)
    else:
        getattr(support, kind)(store, name)


def _snapshot(state: Optional[NetworkState]) -> Optional[tuple]:
    if state is None:
        return None
    return (state.version, state.autostart,
            codec.to_dict(state.live) if state.live else None,
            codec.to_dict(state.config) if state.config else None)


@settings(max_examples=40, suppress_health_check=ONE_DATABASE_PER_EXAMPLE)
@given(st.lists(requests, min_size=1, max_size=30))
def test_projection_equals_replay(new_db_url, sequence):
    url = new_db_url()
    with EventStore(url, snapshot_every=4) as store:
        for request in sequence:
            head = store.head_position()
            try:
                _apply(store, request)
            except libvirtError:
                assert store.head_position() == head
        report = store.verify()
        assert report.ok, report.problems
        current = {name: _snapshot(store.load(name)) for name in NAMES}
        for name in NAMES:
            assert _snapshot(store.state_at(name, store.head_version(name))) == current[name]
        with EventStore(url) as fresh:
            assert {name: _snapshot(fresh.load(name)) for name in NAMES} == current
        store.rebuild(use_snapshots=False)
        assert {name: _snapshot(store.load(name)) for name in NAMES} == current
        assert store.verify().ok
