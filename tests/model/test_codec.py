"""The storage codec: value-complete JSON round trips, item rows, and unshared deep copies."""

from __future__ import annotations

import dataclasses
import json
import socket
import typing
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netstore.model import codec
from netstore.model import types as model_types
from netstore.model.address import Address, from_int, parse_address
from netstore.model.format import format_network
from netstore.model.parse_network import parse_network_xml
from tests import strategies as net_st


def json_round_trip(value: Any) -> Any:
    return json.loads(json.dumps(value))


# --- synthetic definitions: every field of every dataclass, set to anything ---------------------------

addresses = st.one_of(
    st.integers(0, 2**32 - 1).map(lambda v: from_int(socket.AF_INET, v)),
    st.integers(0, 2**128 - 1).map(lambda v: from_int(socket.AF_INET6, v)),
    st.sampled_from(["fe80::1%lo", "::ffff:1.2.3.4", "2001:db8::1%99"]).map(parse_address),
)
texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=6)
_SCALARS: dict[Any, st.SearchStrategy[Any]] = {
    Address: addresses,
    str: texts,
    int: st.integers(0, 2**64 - 1),
    bool: st.booleans(),
    bytes: st.binary(min_size=6, max_size=6),
    object: st.none(),
}


def _for_hint(hint: Any) -> st.SearchStrategy[Any]:
    origin = typing.get_origin(hint)
    if origin is list:
        return st.lists(_for_hint(typing.get_args(hint)[0]), max_size=2)
    if origin is typing.Union:
        (inner,) = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return st.none() | _for_hint(inner)
    if hint in _SCALARS:
        return _SCALARS[hint]
    return st.deferred(lambda: instances(hint))


def instances(cls: type) -> st.SearchStrategy[Any]:
    """``cls`` with every field drawn; lookup_cache stays None (it is never stored)."""
    hints = typing.get_type_hints(cls, vars(model_types))
    fields = {f.name: _for_hint(hints[f.name]) for f in dataclasses.fields(cls) if f.name != "lookup_cache"}
    return st.builds(cls, **fields)


synthetic = instances(model_types.NetworkDef)


# --- helpers -------------------------------------------------------------------------------------------


def mutable_objects(value: Any) -> Iterator[Any]:
    """Every list and (non-frozen) dataclass instance reachable from ``value``."""
    if isinstance(value, list):
        yield value
        for item in value:
            yield from mutable_objects(item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, Address):
        yield value
        for field in dataclasses.fields(value):
            yield from mutable_objects(getattr(value, field.name))


def assert_unshared(copy: model_types.NetworkDef, original: model_types.NetworkDef) -> None:
    originals = {id(obj) for obj in mutable_objects(original)}
    shared = [obj for obj in mutable_objects(copy) if id(obj) in originals]
    assert not shared


def value_of(obj: Any) -> Any:
    """Every field value, recursively, independent of the codec (lookup_cache left out)."""
    if isinstance(obj, list):
        return [value_of(item) for item in obj]
    if dataclasses.is_dataclass(obj):
        return (type(obj).__name__,) + tuple(
            value_of(getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.name != "lookup_cache"
        )
    return (type(obj).__name__, obj)


def assert_equivalent(rebuilt: model_types.NetworkDef, original: model_types.NetworkDef) -> None:
    assert value_of(rebuilt) == value_of(original)
    assert codec.to_dict(rebuilt) == codec.to_dict(original)
    assert format_network(rebuilt) == format_network(original)
    assert format_network(rebuilt, inactive=True) == format_network(original, inactive=True)


# --- properties -----------------------------------------------------------------------------------------


@given(xml=net_st.networks(dnsmasq=True))
def test_parsed_definitions_round_trip(xml: str) -> None:
    defn = parse_network_xml(xml)
    stored = json_round_trip(codec.to_dict(defn))
    assert_equivalent(codec.from_dict(stored), defn)
    base, items = codec.split_items(defn)
    assert_equivalent(codec.join_items(json_round_trip(base), json_round_trip(items)), defn)
    copy = codec.copy_definition(defn)
    assert_equivalent(copy, defn)
    assert_unshared(copy, defn)


@given(defn=synthetic)
def test_every_field_round_trips(defn: model_types.NetworkDef) -> None:
    stored = json_round_trip(codec.to_dict(defn))
    assert stored == codec.to_dict(defn)
    assert_equivalent(codec.from_dict(stored), defn)
    base, items = codec.split_items(defn)
    assert_equivalent(codec.join_items(json_round_trip(base), [tuple(i) for i in json_round_trip(items)]), defn)
    assert base == codec.to_dict(without_items(defn))


def without_items(defn: model_types.NetworkDef) -> model_types.NetworkDef:
    bare = codec.copy_definition(defn)
    bare.portgroups, bare.forward.ifaces = [], []
    bare.dns.hosts, bare.dns.txts, bare.dns.srvs = [], [], []
    for ipdef in bare.ips:
        ipdef.ranges, ipdef.hosts = [], []
    return bare


@given(defn=synthetic)
def test_copy_shares_nothing_mutable(defn: model_types.NetworkDef) -> None:
    defn.lookup_cache = object()
    for ipdef in defn.ips:
        ipdef.lookup_cache = object()
    copy = codec.copy_definition(defn)
    assert_equivalent(copy, defn)
    assert_unshared(copy, defn)
    assert copy.lookup_cache is None and all(ipdef.lookup_cache is None for ipdef in copy.ips)


def test_lookup_cache_is_not_encoded() -> None:
    defn = model_types.NetworkDef(name="n", uuid="u", ips=[model_types.IPDef(parse_address("10.0.0.1"))])
    plain = codec.to_dict(defn)
    defn.lookup_cache = {"k": 1}
    defn.ips[0].lookup_cache = {"k": 2}
    assert codec.to_dict(defn) == plain
    assert codec.from_dict(plain).lookup_cache is None


# --- items ------------------------------------------------------------------------------------------------

ITEM_TYPES = {
    "dhcp-host": model_types.DHCPHost,
    "dhcp-range": model_types.DHCPRange,
    "forward-interface": model_types.ForwardIface,
    "portgroup": model_types.PortGroup,
    "dns-host": model_types.DNSHost,
    "dns-txt": model_types.DNSTxt,
    "dns-srv": model_types.DNSSrv,
}


@pytest.mark.parametrize("collection", sorted(ITEM_TYPES))
def test_item_round_trip(collection: str) -> None:
    @given(item=instances(ITEM_TYPES[collection]))
    def check(item: Any) -> None:
        stored = json_round_trip(codec.item_to_dict(collection, item))
        rebuilt = codec.item_from_dict(collection, stored)
        assert value_of(rebuilt) == value_of(item)
        assert codec.item_to_dict(collection, rebuilt) == stored
        assert rebuilt is not item

    check()


def test_item_of_the_wrong_collection_is_refused() -> None:
    with pytest.raises(TypeError):
        codec.item_to_dict("dhcp-range", model_types.DHCPHost(name="x"))


def test_dhcp_host_item_is_compact() -> None:
    host = model_types.DHCPHost(mac="52:54:00:AA:bb:01", name="h", ip=parse_address("10.0.0.5"),
                      lease=model_types.Lease(3600, "seconds"), mac_key=bytes.fromhex("525400aabb01"))
    assert codec.item_to_dict("dhcp-host", host) == {
        "mac": "52:54:00:AA:bb:01", "name": "h", "ip": "10.0.0.5",
        "lease": {"expiry": 3600, "unit": "seconds"}, "mac_key": "525400aabb01",
    }
    rebuilt = codec.item_from_dict("dhcp-host", {"ip": "::ffff:1.2.3.4", "lease": {"expiry": 0}})
    assert rebuilt.ip == parse_address("::ffff:1.2.3.4") and rebuilt.ip.text == "::ffff:1.2.3.4"
    assert (rebuilt.lease.expiry, rebuilt.lease.unit) == (0, "minutes")


def test_split_items_order_and_indexes() -> None:
    xml = (
        "<network><name>n</name><forward mode='nat' dev='eth0'/><portgroup name='p'/>"
        "<dns><srv service='s' protocol='tcp'/><txt name='t' value='v'/><host ip='1.1.1.1'><hostname>h</hostname>"
        "</host></dns><ip address='10.0.0.1' prefix='8'><dhcp><host mac='52:54:00:00:00:01' ip='10.0.0.9'/>"
        "<range start='10.0.0.2' end='10.0.0.5'/></dhcp></ip><ip family='ipv6' address='2001:db8::1' prefix='64'>"
        "<dhcp><host name='h6' ip='2001:db8::9'/></dhcp></ip></network>"
    )
    defn = parse_network_xml(xml)
    base, items = codec.split_items(defn)
    assert [(collection, index) for collection, index, _ in items] == [
        ("dhcp-range", 0), ("dhcp-host", 0), ("dhcp-host", 1), ("forward-interface", 0), ("portgroup", 0),
        ("dns-host", 0), ("dns-txt", 0), ("dns-srv", 0),
    ]
    assert "portgroups" not in base and "ifaces" not in base["forward"]
    assert not {"hosts", "txts", "srvs"} & set(base["dns"])
    assert all(not {"hosts", "ranges"} & set(ipd) for ipd in base["ips"])
    assert_equivalent(codec.join_items(base, items), defn)


def test_address_rebuilt_without_resolver() -> None:
    for text in ("10.0.0.1", "::", "::ffff:1.2.3.4", "fe80::1%lo", "2001:db8::1%99"):
        expected = parse_address(text)
        rebuilt = codec.address_from_text(expected.text)
        assert (rebuilt.family, rebuilt.value, rebuilt.text) == (expected.family, expected.value, expected.text)
