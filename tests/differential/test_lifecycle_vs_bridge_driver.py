"""netstore's network lifecycle against libvirt's real bridge driver.

Random sequences of define / create / start / destroy / undefine / autostart
and portgroup updates under all four flag combinations run on two networks in
``netstore.open(db_url)`` (SQLite, or PostgreSQL in that pass) and in the unprivileged bridge driver
(``network:///session``, :mod:`tests.oracle.session`).  Both sides are driven
through the same libvirt-python calls.  After every step the outcome (error
code, domain, message) and, for each network, existence, isActive,
isPersistent, autostart, XMLDesc(0) and XMLDesc(INACTIVE) must be identical.

Only networks the unprivileged driver can start are used in the sequences
(forward modes bridge, private, vepa, passthrough), so no bridge name or MAC is
generated and start never fails for host reasons.  Two more tests define any
parser-valid network (the bridge driver's define-time policy, its generated
bridge names; generated MACs are random and masked) and networks carrying
injection attempts (netstore's deliberate refusals).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import netstore
from tests import strategies as net_st
from tests.differential.support import Outcome, assert_same, libvirt_outcome, netstore_outcome, oracle_settings
from tests.helpers import scaled

NAMES = ("lc-a", "lc-b")
INACTIVE = 1
PORTGROUP = 9
STEPS_PER_EXAMPLE = 12
COUNTS: Counter[str] = Counter()

Call = Callable[[Any], Any]


@pytest.fixture
def netstore_conn(db_url: str) -> Iterator[Any]:
    """One store for all examples of a test (each example starts by cleaning both sides)."""
    conn = netstore.open(db_url)
    try:
        yield conn
    finally:
        conn.close()


def _with_uuid(xml: str, uuid: str) -> str:
    return re.sub(r"<uuid>[^<]*</uuid>", f"<uuid>{uuid}</uuid>", xml, count=1)


def _observe(conn: Any, name: str) -> tuple:
    try:
        net = conn.networkLookupByName(name)
    except Exception as exc:  # libvirt's or netstore's libvirtError
        error: Any = exc
        if not hasattr(error, "get_error_code"):
            raise
        return ("missing", error.get_error_code(), error.get_error_message())
    return (net.UUIDString(), net.isActive(), net.isPersistent(), net.autostart(), net.XMLDesc(0),
            net.XMLDesc(INACTIVE))


def _clean(conn: Any) -> None:
    for name in NAMES:
        for _ in range(2):
            try:
                net = conn.networkLookupByName(name)
            except Exception as exc:
                if not hasattr(exc, "get_error_code"):
                    raise
                break
            if net.isActive():
                net.destroy()
            elif net.isPersistent():
                net.undefine()


def _on(name: str, method: str, *args: Any) -> Call:
    return lambda conn: getattr(conn.networkLookupByName(name), method)(*args)


@st.composite
def _step(draw: Any, current: dict[str, tuple], uuids: dict[str, str]) -> tuple[str, Call]:
    kind = draw(st.sampled_from(["define", "define", "create", "start", "start", "destroy", "destroy",
                                 "undefine", "update", "update", "update", "update", "autostart", "lookup"]))
    existing = [name for name in NAMES if current[name][0] != "missing"]
    if not existing and draw(st.integers(0, 3)):
        kind = draw(st.sampled_from(["define", "create"]))
    if existing and kind not in ("define", "create", "lookup") and draw(st.integers(0, 4)):
        name = draw(st.sampled_from(existing))
    else:
        name = draw(st.sampled_from(NAMES))
    if kind in ("define", "create"):
        xml = draw(net_st.networks(session_startable=True, name=name))
        if draw(st.integers(0, 9)):
            xml = _with_uuid(xml, uuids[name])
        method = "networkDefineXML" if kind == "define" else "networkCreateXML"
        return f"{kind} {xml}", lambda conn: getattr(conn, method)(xml) and None
    if kind == "update":
        observed = current[name]
        base = observed[4] if observed[0] != "missing" else "<network><name>x</name></network>"
        if observed[0] != "missing" and draw(st.booleans()):
            base = observed[5]
        command = draw(st.sampled_from([net_st.ADD_LAST, net_st.ADD_FIRST, net_st.DELETE, net_st.MODIFY]))
        fragment = draw(net_st.portgroup_fragments(net_st.parse_lenient(base), draw(st.integers(0, 5)) > 0))
        flags = draw(st.sampled_from([0, 1, 2, 3]))
        return (f"update {name} command={command} section=9 flags={flags} {fragment}",
                _on(name, "update", command, PORTGROUP, -1, fragment, flags))
    if kind == "autostart":
        value = draw(st.sampled_from([0, 1]))
        return f"setAutostart {name} {value}", _on(name, "setAutostart", value)
    if kind == "lookup":
        return f"lookup {name}", lambda conn: conn.networkLookupByName(name).name()
    return f"{kind} {name}", _on(name, {"start": "create"}.get(kind, kind))


@oracle_settings(scaled(300, 40))
@given(data=st.data(), uuid_a=st.uuids(), uuid_b=st.uuids())
def test_lifecycle_sequences_match_bridge_driver(data: Any, uuid_a: Any, uuid_b: Any, bridge_driver: Any,
                                                 netstore_conn: Any, libvirt_module: Any) -> None:
    uuids = {NAMES[0]: str(uuid_a), NAMES[1]: str(uuid_b)}
    _clean(bridge_driver)
    _clean(netstore_conn)
    history: list[str] = []
    try:
        for _ in range(STEPS_PER_EXAMPLE):
            current = {name: _observe(bridge_driver, name) for name in NAMES}
            label, call = data.draw(_step(current, uuids))
            history.append(label)
            expected: Outcome = libvirt_outcome(libvirt_module, partial(call, bridge_driver))
            got = netstore_outcome(partial(call, netstore_conn))
            context = "\n".join(history)
            assert_same(expected, got, context)
            COUNTS[label.split()[0] + (" ok" if got.ok else f" {got.code}")] += 1
            for name in NAMES:
                want, have = _observe(bridge_driver, name), _observe(netstore_conn, name)
                assert want == have, f"{context}\nstate of {name}:\nlibvirt:  {want}\nnetstore: {have}"
            COUNTS["steps"] += 1
    finally:
        _clean(bridge_driver)
        _clean(netstore_conn)


GENERATED_MAC = re.compile(r"<mac address='52:54:00:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}'/>")


def _define_and_read(conn: Any, xml: str) -> str:
    """Define, read back (the random MAC the driver generates masked), undefine."""
    net = conn.networkDefineXML(xml)
    try:
        return GENERATED_MAC.sub("<mac (generated)/>", net.XMLDesc(0)) if "<mac" not in xml else net.XMLDesc(0)
    finally:
        net.undefine()


@oracle_settings(scaled(300, 50))
@given(xml=net_st.networks(name=NAMES[0]))
def test_define_policy_matches_bridge_driver(xml: str, bridge_driver: Any, netstore_conn: Any,
                                             libvirt_module: Any) -> None:
    """networkValidate: the same rejections, and the same generated bridge name (MAC masked)."""
    _clean(bridge_driver)
    _clean(netstore_conn)
    expected = libvirt_outcome(libvirt_module, lambda: _define_and_read(bridge_driver, xml))
    got = netstore_outcome(lambda: _define_and_read(netstore_conn, xml))
    assert_same(expected, got, xml)
    COUNTS["policy " + ("ok" if got.ok else str(got.code))] += 1


@oracle_settings(scaled(150, 30))
@given(xml=net_st.injection_networks(NAMES[0]))
def test_injection_definitions_are_refused(xml: str, bridge_driver: Any, netstore_conn: Any,
                                           libvirt_module: Any) -> None:
    """Deliberate deviation: defining a network whose daemon-bound strings would inject lines
    or fields is an XML error (27); where the bridge driver refuses the definition anyway,
    netstore must refuse it identically.  (Define only: an unprivileged bridge driver cannot
    start these L3 networks, so create would fail for host reasons after validation.)"""
    expected = libvirt_outcome(libvirt_module, lambda: bridge_driver.networkDefineXML(xml))
    got = netstore_outcome(lambda: netstore_conn.networkDefineXML(xml))
    for outcome in (expected, got):
        if outcome.ok:
            outcome.value.undefine()  # the name may be the injected one
    if not expected.ok:
        assert_same(expected, got, xml, compare_values=False)
    else:
        assert not got.ok and (got.code, got.domain) == (27, 19), f"{xml}\nnetstore: {got}"
        message = got.message or ""
        assert "would add a" in message or "is not only a MAC address" in message, message
        COUNTS["injections refused"] += 1
