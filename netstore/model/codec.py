"""Storage codec: a NetworkDef as a compact, JSON-able dict, and back; fast deep copies.

Encoding (every value of the definition survives a round trip):

* a dataclass becomes a dict of its fields, leaving out fields that hold their
  default (``None``, ``0``, ``False``, ``'minutes'``, an empty list, ...);
* an :class:`Address` is its canonical text; the family follows from the text
  (IPv6 text always contains ``':'``) and the value is rebuilt with
  ``inet_pton``, never with the resolver;
* ``bytes`` (``DHCPHost.mac_key``) become hex text;
* ``lookup_cache`` (engine-owned match indexes) is neither encoded nor copied.

The item collections the update engine edits also have a per-item encoding
(:func:`item_to_dict` / :func:`item_from_dict`; :func:`item_decoder` looks the
decoder up once for many items), the same one :func:`to_dict` uses inside the
definition:

==================  ===============================  ==================
collection          list                             ``ip_index``
==================  ===============================  ==================
dhcp-host           ``defn.ips[ip_index].hosts``     index of the <ip>
dhcp-range          ``defn.ips[ip_index].ranges``    index of the <ip>
forward-interface   ``defn.forward.ifaces``          0
portgroup           ``defn.portgroups``              0
dns-host            ``defn.dns.hosts``               0
dns-txt             ``defn.dns.txts``                0
dns-srv             ``defn.dns.srvs``                0
==================  ===============================  ==================

The engine's ``definition`` edit (the whole definition, replaced by libvirt's
format-and-parse copy of it) carries a NetworkDef: its per-item encoding is
:func:`to_dict`.

For a store that keeps the big collections as rows, :func:`split_items`
returns ``(base, items)``: ``base`` is :func:`base_to_dict`, i.e. :func:`to_dict`
without those seven lists, ``items`` a list of ``(collection, ip_index,
item_dict)`` in list order (each ``<ip>``'s ranges then hosts, then interfaces,
portgroups, DNS hosts, TXT and SRV records); :func:`join_items` rebuilds the
definition from the two.  :func:`base_to_dict` alone costs the same whatever
the number of items.
"""

from __future__ import annotations

import dataclasses
import socket
import typing
from collections.abc import Callable, Iterable
from typing import Any

from netstore.model import types as model_types
from netstore.model.address import Address
from netstore.model.collections import items_of
from netstore.model.types import DHCPHost, DHCPRange, DNSHost, Lease, NetworkDef

_AF_INET = socket.AF_INET
_AF_INET6 = socket.AF_INET6
_inet_pton = socket.inet_pton
_from_bytes = int.from_bytes
_MISSING = dataclasses.MISSING


# Address is a frozen slots dataclass; filling its slots directly skips the frozen
# __setattr__ guard and halves the cost of rebuilding thousands of addresses.
if tuple(f.name for f in dataclasses.fields(Address)) != ("family", "value", "text"):
    raise ImportError("netstore.model.codec expects Address(family, value, text)")
_new_object = object.__new__
_set_family = vars(Address)["family"].__set__  # the slots' member descriptors
_set_value = vars(Address)["value"].__set__
_set_text = vars(Address)["text"].__set__


def address_from_text(text: str) -> Address:
    """Rebuild an Address from its canonical text (no resolver call)."""
    addr = _new_object(Address)
    if ":" in text:
        _set_family(addr, _AF_INET6)
        _set_value(addr, _from_bytes(_inet_pton(_AF_INET6, text.partition("%")[0]), "big"))
    else:
        _set_family(addr, _AF_INET)
        _set_value(addr, _from_bytes(_inet_pton(_AF_INET, text), "big"))
    _set_text(addr, text)
    return addr


# --- a per-class plan, derived once from the dataclass definitions ------------------------------

PLAIN, ADDR, BYTES, OBJ, OBJS, PLAINS = range(6)


@dataclasses.dataclass(frozen=True, slots=True)
class _Field:
    name: str
    kind: int
    cls: Any  # the nested dataclass for OBJ / OBJS
    default: Any  # _MISSING when the field is required; [] for list factories


def _strip_optional(hint: Any) -> Any:
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    return args[0] if typing.get_origin(hint) is typing.Union and len(args) == 1 else hint


def _field_plan(field: dataclasses.Field, hint: Any) -> _Field:
    hint = _strip_optional(hint)
    default = [] if field.default_factory is not _MISSING else field.default
    if typing.get_origin(hint) is list:
        (inner,) = typing.get_args(hint)
        if dataclasses.is_dataclass(inner):
            return _Field(field.name, OBJS, inner, default)
        return _Field(field.name, PLAINS, None, default)
    if hint is Address:
        return _Field(field.name, ADDR, None, default)
    if hint is bytes:
        return _Field(field.name, BYTES, None, default)
    if dataclasses.is_dataclass(hint):
        return _Field(field.name, OBJ, hint, default)
    return _Field(field.name, PLAIN, None, default)


# The fields holding the seven item lists (left out of the "base" encoding).
_ITEM_FIELDS = {
    model_types.IPDef: ("ranges", "hosts"),
    model_types.Forward: ("ifaces",),
    model_types.DNSDef: ("hosts", "txts", "srvs"),
    model_types.NetworkDef: ("portgroups",),
}


def _class_plan(cls: type, base: bool) -> tuple[_Field, ...]:
    hints = typing.get_type_hints(cls, vars(model_types))
    skipped = {"lookup_cache"} | set(_ITEM_FIELDS.get(cls, ()) if base else ())
    return tuple(_field_plan(f, hints[f.name]) for f in dataclasses.fields(cls) if f.name not in skipped)


_PLANS: dict[tuple[type, bool], tuple[_Field, ...]] = {}


def _plan(cls: type, base: bool = False) -> tuple[_Field, ...]:
    plan = _PLANS.get((cls, base))
    if plan is None:
        plan = _PLANS[cls, base] = _class_plan(cls, base)
    return plan


# --- generic encode / decode / copy -------------------------------------------------------------


def _encode(obj: Any, base: bool = False) -> dict:
    fast = _FAST_TO.get(type(obj))
    if fast is not None:
        return fast(obj)
    d: dict = {}
    for f in _plan(type(obj), base):
        value = getattr(obj, f.name)
        if value is None or value == f.default:
            continue
        kind = f.kind
        if kind == ADDR:
            value = value.text
        elif kind == OBJ:
            value = _encode(value, base)
        elif kind == OBJS:
            value = [_encode(item, base) for item in value]
        elif kind == PLAINS:
            value = list(value)
        elif kind == BYTES:
            value = value.hex()
        d[f.name] = value
    return d


def _decode_value(f: _Field, value: Any) -> Any:
    kind = f.kind
    if kind == ADDR:
        return address_from_text(value)
    if kind == OBJ:
        return _decode(f.cls, value)
    if kind == OBJS:
        fast = _FAST_FROM.get(f.cls)
        if fast is not None:
            return [fast(item) for item in value]
        return [_decode(f.cls, item) for item in value]
    if kind == PLAINS:
        return list(value)
    if kind == BYTES:
        return bytes.fromhex(value)
    return value


def _decode(cls: type, d: dict) -> Any:
    fast = _FAST_FROM.get(cls)
    if fast is not None:
        return fast(d)
    kwargs = {}
    for f in _plan(cls):
        value = d.get(f.name, _MISSING)
        if value is _MISSING:
            if f.default is _MISSING:
                value = None
            elif f.kind in (OBJS, PLAINS):
                value = []
            else:
                continue
        elif value is not None:
            value = _decode_value(f, value)
        kwargs[f.name] = value
    return cls(**kwargs)


def _copy(obj: Any) -> Any:
    fast = _FAST_COPY.get(type(obj))
    if fast is not None:
        return fast(obj)
    kwargs = {}
    for f in _plan(type(obj)):
        value = getattr(obj, f.name)
        if value is not None:
            kind = f.kind
            if kind == OBJ:
                value = _copy(value)
            elif kind == OBJS:
                value = [_copy(item) for item in value]
            elif kind == PLAINS:
                value = list(value)
        kwargs[f.name] = value
    return type(obj)(**kwargs)


# --- hand-written fast paths for the items that come by the thousand ----------------------------


def _lease_to(lease: Lease) -> dict:
    return {"expiry": lease.expiry} if lease.unit == "minutes" else {"expiry": lease.expiry, "unit": lease.unit}


def _dhcp_host_to(host: DHCPHost) -> dict:
    d: dict = {}
    if host.mac is not None:
        d["mac"] = host.mac
    if host.id is not None:
        d["id"] = host.id
    if host.name is not None:
        d["name"] = host.name
    if host.ip is not None:
        d["ip"] = host.ip.text
    if host.lease is not None:
        d["lease"] = _lease_to(host.lease)
    if host.mac_key is not None:
        d["mac_key"] = host.mac_key.hex()
    return d


def _dhcp_host_from(d: dict) -> DHCPHost:
    get = d.get
    ip = get("ip")
    lease = get("lease")
    mac_key = get("mac_key")
    return DHCPHost(
        get("mac"),
        get("id"),
        get("name"),
        None if ip is None else address_from_text(ip),
        None if lease is None else Lease(lease["expiry"], lease.get("unit", "minutes")),
        None if mac_key is None else bytes.fromhex(mac_key),
    )


def _dhcp_host_copy(host: DHCPHost) -> DHCPHost:
    lease = host.lease
    return DHCPHost(
        host.mac, host.id, host.name, host.ip,
        None if lease is None else Lease(lease.expiry, lease.unit),
        host.mac_key,
    )


def _dhcp_range_copy(rng: DHCPRange) -> DHCPRange:
    lease = rng.lease
    return DHCPRange(rng.start, rng.end, None if lease is None else Lease(lease.expiry, lease.unit))


def _dns_host_to(host: DNSHost) -> dict:
    d: dict = {"ip": host.ip.text} if host.ip is not None else {}
    if host.hostnames:
        d["hostnames"] = list(host.hostnames)
    return d


def _dns_host_from(d: dict) -> DNSHost:
    ip = d.get("ip")
    return DNSHost(None if ip is None else address_from_text(ip), list(d.get("hostnames", ())))


def _dns_host_copy(host: DNSHost) -> DNSHost:
    return DNSHost(host.ip, list(host.hostnames))


_FAST_TO: dict[type, Callable[[Any], dict]] = {DHCPHost: _dhcp_host_to, DNSHost: _dns_host_to}
_FAST_FROM: dict[type, Callable[[dict], Any]] = {DHCPHost: _dhcp_host_from, DNSHost: _dns_host_from}
_FAST_COPY: dict[type, Callable[[Any], Any]] = {
    DHCPHost: _dhcp_host_copy,
    DHCPRange: _dhcp_range_copy,
    DNSHost: _dns_host_copy,
}

_ITEM_CLASSES = {
    "dhcp-host": model_types.DHCPHost,
    "dhcp-range": model_types.DHCPRange,
    "forward-interface": model_types.ForwardIface,
    "portgroup": model_types.PortGroup,
    "dns-host": model_types.DNSHost,
    "dns-txt": model_types.DNSTxt,
    "dns-srv": model_types.DNSSrv,
    "definition": model_types.NetworkDef,
}


# --- public API ---------------------------------------------------------------------------------


def to_dict(defn: NetworkDef) -> dict:
    """The whole definition as a JSON-able dict (equal dicts mean equal definitions)."""
    return _encode(defn)


def from_dict(d: dict) -> NetworkDef:
    """Rebuild a definition from :func:`to_dict` output."""
    return _decode(NetworkDef, d)


def copy_definition(defn: NetworkDef) -> NetworkDef:
    """A deep copy sharing no mutable object with ``defn`` (and no lookup_cache)."""
    return _copy(defn)


def item_to_dict(collection: str, item: Any) -> dict:
    """One item of ``collection`` as a JSON-able dict."""
    if type(item) is not _ITEM_CLASSES[collection]:
        raise TypeError(f"{type(item).__name__} is not a {collection} item")
    return _encode(item)


def item_from_dict(collection: str, d: dict) -> Any:
    """The inverse of :func:`item_to_dict` (a new, unshared object)."""
    return _decode(_ITEM_CLASSES[collection], d)


def item_decoder(collection: str) -> Callable[[dict], Any]:
    """The function :func:`item_from_dict` calls for ``collection`` (look it up once, decode many)."""
    cls = _ITEM_CLASSES[collection]
    return _FAST_FROM.get(cls) or (lambda d: _decode(cls, d))


def base_to_dict(defn: NetworkDef) -> dict:
    """:func:`to_dict` without the seven item lists (cost independent of their length)."""
    return _encode(defn, base=True)


def split_items(defn: NetworkDef) -> tuple[dict, list[tuple[str, int, dict]]]:
    """``(base, items)``: :func:`base_to_dict`, and the items of the seven lists in order."""
    items: list[tuple[str, int, dict]] = []
    for index, ipdef in enumerate(defn.ips):
        items.extend(("dhcp-range", index, _encode(r)) for r in ipdef.ranges)
        items.extend(("dhcp-host", index, _dhcp_host_to(h)) for h in ipdef.hosts)
    items.extend(("forward-interface", 0, _encode(i)) for i in defn.forward.ifaces)
    items.extend(("portgroup", 0, _encode(pg)) for pg in defn.portgroups)
    items.extend(("dns-host", 0, _dns_host_to(h)) for h in defn.dns.hosts)
    items.extend(("dns-txt", 0, _encode(t)) for t in defn.dns.txts)
    items.extend(("dns-srv", 0, _encode(s)) for s in defn.dns.srvs)
    return base_to_dict(defn), items


def join_items(base: dict, items: Iterable[tuple[str, int, dict]]) -> NetworkDef:
    """Rebuild a definition from :func:`split_items` output (items in list order)."""
    defn = from_dict(base)
    current = None
    for collection, ip_index, d in items:
        if current != (collection, ip_index):
            current = (collection, ip_index)
            append = items_of(defn, collection, ip_index).append
            decode = item_decoder(collection)
        append(decode(d))
    return defn
