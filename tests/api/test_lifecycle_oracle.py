"""Lifecycle sequences run side by side in netstore and libvirt's real bridge driver.

Networks of forward mode bridge on ``lo`` start without privileges, so the
session daemon runs every call for real.  After each call both sides must
agree on the outcome (or libvirt's exact error) and on everything a caller
can observe: the network lists, active/persistent/autostart and
``XMLDesc`` with and without VIR_NETWORK_XML_INACTIVE.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from functools import partial
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import netstore
from tests.differential.support import assert_same, libvirt_outcome, netstore_outcome, oracle_settings

NAMES = ("nslc-a", "nslc-b")
UUIDS = {"nslc-a": "3e0d6b3a-1111-4c8e-8f00-00000000000a", "nslc-b": "3e0d6b3a-1111-4c8e-8f00-00000000000b"}
STRANGER = "3e0d6b3a-1111-4c8e-8f00-0000000000ff"


def network_xml(name: str, portgroup: str | None, uuid: str) -> str:
    group = f"<portgroup name='{portgroup}'/>" if portgroup else ""
    return (f"<network><name>{name}</name><uuid>{uuid}</uuid><forward mode='bridge'/><bridge name='lo'/>"
            f"{group}</network>")


definitions = st.builds(
    lambda name, portgroup, own: network_xml(name, portgroup, UUIDS[name] if own else STRANGER),
    st.sampled_from(NAMES),
    st.sampled_from([None, "pg0", "pg1"]),
    st.booleans(),
)


Step = tuple[str, tuple[Any, ...]]
steps = st.one_of(
    st.tuples(st.sampled_from(["define", "create"]), st.tuples(definitions)),
    st.tuples(st.sampled_from(["start", "destroy", "undefine"]), st.tuples(st.sampled_from(NAMES))),
    st.tuples(st.just("autostart"), st.tuples(st.sampled_from(NAMES), st.sampled_from([0, 1]))),
    st.tuples(
        st.just("update"),
        st.tuples(
            st.sampled_from(NAMES),
            st.sampled_from([2, 3, 4]),
            st.just(9),
            st.sampled_from(["<portgroup name='pg0'/>", "<portgroup name='pg1'/>", "<portgroup name='x'/>"]),
            st.sampled_from([0, 1, 2, 3]),
        ),
    ),
)


def perform(conn: Any, step: Step) -> Any:
    """One step on either side (both connections have libvirt-python's methods)."""
    action, args = step
    if action == "define":
        return conn.networkDefineXML(args[0]).name()
    if action == "create":
        return conn.networkCreateXML(args[0]).name()
    net = conn.networkLookupByName(args[0])
    if action == "start":
        return net.create()
    if action == "destroy":
        return net.destroy()
    if action == "undefine":
        return net.undefine()
    if action == "autostart":
        return net.setAutostart(args[1])
    return net.update(args[1], args[2], -1, args[3], args[4])


def observe(conn: Any, name: str) -> tuple[Any, ...]:
    net = conn.networkLookupByName(name)
    return (net.UUIDString(), net.isActive(), net.isPersistent(), net.autostart(), net.XMLDesc(0), net.XMLDesc(1))


def lists(conn: Any) -> tuple[list[str], list[str]]:
    ours = set(NAMES)
    return (sorted(n for n in conn.listNetworks() if n in ours),
            sorted(n for n in conn.listDefinedNetworks() if n in ours))


def clean(libvirt_module: Any, conn: Any) -> None:
    for name in NAMES:
        for action in ("destroy", "undefine"):
            with contextlib.suppress(libvirt_module.libvirtError):
                getattr(conn.networkLookupByName(name), action)()


def compare(libvirt_module: Any, theirs: Any, ours: Any, call: Callable[[Any], Any], context: str) -> None:
    assert_same(libvirt_outcome(libvirt_module, lambda: call(theirs)), netstore_outcome(lambda: call(ours)), context)


@oracle_settings(max_examples=60, deadline=None)
@given(st.lists(steps, min_size=1, max_size=12))
def test_lifecycle_matches_the_bridge_driver(libvirt_module: Any, bridge_driver: Any, new_db_url: Callable[[], str],
                                             sequence: list[Step]) -> None:
    clean(libvirt_module, bridge_driver)
    with netstore.open(new_db_url()) as ours:
        try:
            history: list[str] = []
            for step in sequence:
                history.append(repr(step))
                context = "\n".join(history)
                compare(libvirt_module, bridge_driver, ours, partial(perform, step=step), context)
                compare(libvirt_module, bridge_driver, ours, lists, context + "\n(lists)")
                for name in NAMES:
                    compare(libvirt_module, bridge_driver, ours, partial(observe, name=name), context + f"\n({name})")
        finally:
            clean(libvirt_module, bridge_driver)


def test_a_known_sequence(libvirt_module: Any, bridge_driver: Any, new_db_url: Callable[[], str]) -> None:
    """define, start, live and config edits, define over the running network, undefine, destroy."""
    a = "nslc-a"
    script: list[Step] = [
        ("define", (network_xml(a, "pg0", UUIDS[a]),)),
        ("start", (a,)),
        ("update", (a, 3, 9, "<portgroup name='x'/>", 1)),
        ("update", (a, 3, 9, "<portgroup name='x'/>", 2)),
        ("update", (a, 3, 9, "<portgroup name='x'/>", 3)),
        ("define", (network_xml(a, "pg1", UUIDS[a]),)),
        ("autostart", (a, 1)),
        ("undefine", (a,)),
        ("update", (a, 2, 9, "<portgroup name='pg0'/>", 0)),
        ("autostart", (a, 0)),
        ("destroy", (a,)),
        ("start", (a,)),
    ]
    inner_test: Any = test_lifecycle_matches_the_bridge_driver.hypothesis.inner_test  # type: ignore[attr-defined]
    inner_test(libvirt_module, bridge_driver, new_db_url, script)


# L3 networks (modes none/nat/route/open) cannot start without privileges, but their
# define-time processing -- the bridge name chosen among the other networks' bridges
# and the host's devices, the generated MAC -- and their config edits run for real.
L3_BRIDGES = st.sampled_from(["", "<bridge name='virbr%d'/>", "<bridge name='tst%d'/>", "<bridge name='virbr1'/>"])
L3_MACS = st.sampled_from(["", "<mac address='52:54:00:aa:bb:cc'/>"])
MAC = re.compile(r"<mac address='52:54:00(:[0-9a-f]{2}){3}'/>")


def l3_xml(name: str, bridge: str, mac: str, own: bool) -> str:
    uuid = UUIDS[name] if own else STRANGER
    return (f"<network><name>{name}</name><uuid>{uuid}</uuid>{bridge}{mac}<ip address='10.{NAMES.index(name)}.0.1' "
            "prefix='24'><dhcp><range start='10.0.0.2' end='10.0.0.9'/></dhcp></ip></network>").replace(
        "10.0.0.", f"10.{NAMES.index(name)}.0.")


l3_steps = st.one_of(
    st.tuples(st.just("define"), st.tuples(st.builds(l3_xml, st.sampled_from(NAMES), L3_BRIDGES, L3_MACS,
                                                      st.booleans()))),
    st.tuples(st.just("undefine"), st.tuples(st.sampled_from(NAMES))),
    st.tuples(st.just("autostart"), st.tuples(st.sampled_from(NAMES), st.sampled_from([0, 1]))),
    st.tuples(
        st.just("update"),
        st.tuples(
            st.sampled_from(NAMES),
            st.sampled_from([2, 3, 4]),
            st.just(4),
            st.sampled_from(["<host mac='00:11:22:33:44:55' ip='10.0.0.5'/>", "<host name='h' ip='10.1.0.6'/>"]),
            st.sampled_from([0, 1, 2, 3]),
        ),
    ),
)


def l3_observe(conn: Any, name: str) -> tuple[Any, ...]:
    net = conn.networkLookupByName(name)
    return (net.bridgeName(), MAC.sub("<mac/>", net.XMLDesc(0)), net.XMLDesc(0) == net.XMLDesc(1), net.autostart())


def foreign_bridges(conn: Any) -> list[str]:
    return [net.bridgeName() for net in conn.listAllNetworks() if net.name() not in NAMES
            and net.XMLDesc(0).count("<bridge name='virbr")]


@oracle_settings(max_examples=40, deadline=None)
@given(st.lists(l3_steps, min_size=1, max_size=10))
def test_l3_define_matches_the_bridge_driver(libvirt_module: Any, bridge_driver: Any, new_db_url: Callable[[], str],
                                             sequence: list[Step]) -> None:
    clean(libvirt_module, bridge_driver)
    assert not foreign_bridges(bridge_driver), "another test left a network holding a virbr bridge in the daemon"
    with netstore.open(new_db_url()) as ours:
        try:
            history: list[str] = []
            for step in sequence:
                history.append(repr(step))
                context = "\n".join(history)
                compare(libvirt_module, bridge_driver, ours, partial(perform, step=step), context)
                for name in NAMES:
                    observed = partial(l3_observe, name=name)
                    compare(libvirt_module, bridge_driver, ours, observed, context + f"\n({name})")
        finally:
            clean(libvirt_module, bridge_driver)
