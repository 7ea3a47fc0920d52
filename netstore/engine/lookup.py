"""Match indexes: find the items an update names without scanning the list.

Every section matches the request against existing items by a few keys (a
DHCP host's mac, name and ip; a portgroup's name; ...), and libvirt's rules
often ask for the *first* (or the *last*) match in list order.  An
:class:`OrderIndex` answers both in O(log n):

* each item gets a sequence number that orders the items as the list does
  (ADD_FIRST takes one below the lowest, ADD_LAST one above the highest, a
  replacement keeps the number of the item it replaces);
* ``groups`` maps each key to the sorted sequence numbers of the items with it;
* ``order`` holds the sequence numbers in list order, so an item's position
  is a binary search away.

Indexes are built lazily from the lists and kept in the ``lookup_cache`` dicts
of :class:`NetworkDef` (network-wide lists) and :class:`IPDef` (DHCP lists).
Planning only reads them; :func:`netstore.engine.apply_steps` keeps them in
step.  An index whose list was replaced or changed length behind its back is
rebuilt.  Items are never mutated in place (they compare by identity).
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import Any, Optional, cast

from netstore.model.collections import (
    DHCP_HOST,
    DHCP_RANGE,
    DNS_HOST,
    DNS_SRV,
    DNS_TXT,
    FORWARD_INTERFACE,
    IP_COLLECTIONS,
    PORTGROUP,
    items_of,
)
from netstore.model.types import (
    Bandwidth,
    BandwidthRate,
    DHCPHost,
    DHCPRange,
    DNSHost,
    DNSSrv,
    DNSTxt,
    ForwardIface,
    NetworkDef,
    PortGroup,
    VirtualPort,
    Vlan,
)
from netstore.model.values import parse_mac

Key = tuple[str, Hashable]
Item = Any  # one item of the indexed list (DHCPHost, PortGroup, ...)
KeyFunc = Callable[[Item], Iterable[Key]]

_XML_WHITESPACE = ("\t", "\n", "\r")
SRV_FIELDS = ("domain", "service", "protocol", "target")


class OrderIndex:
    """The keys of one list's items and each item's place in the list."""

    __slots__ = ("source", "order", "seq_of", "item_at", "groups", "lossy", "_keys", "_lossy_test")

    def __init__(self, source: list, keys: KeyFunc, lossy_test: Optional[Callable[[Item], bool]]) -> None:
        self.source = source
        self._keys = keys
        self._lossy_test = lossy_test
        self.order: list[int] = list(range(len(source)))
        self.seq_of: dict[Item, int] = {}
        self.item_at: dict[int, Item] = {}
        self.groups: dict[Key, list[int]] = {}
        self.lossy: set[Item] = set()
        for seq, item in enumerate(source):
            self._add(seq, item)

    def fresh(self, items: list) -> bool:
        return self.source is items and len(self.order) == len(items)

    # ------------------------------------------------------------ queries

    def position(self, item: Item) -> int:
        """The index of ``item`` in the list."""
        return bisect_left(self.order, self.seq_of[item])

    def seqs(self, key: Key) -> list[int]:
        """Sequence numbers of the items with ``key``, in list order (do not modify)."""
        return self.groups.get(key, _EMPTY)

    def count(self, key: Key) -> int:
        return len(self.groups.get(key, _EMPTY))

    def has_any(self, keys: Iterable[Key]) -> bool:
        """True when some item has one of ``keys``."""
        return not self.groups.keys().isdisjoint(keys)

    def first(self, key: Key) -> Optional[Item]:
        group = self.groups.get(key)
        return self.item_at[group[0]] if group else None

    def last(self, key: Key) -> Optional[Item]:
        group = self.groups.get(key)
        return self.item_at[group[-1]] if group else None

    def members(self, key: Key) -> Iterator[Item]:
        """Items with ``key``, in list order."""
        return (self.item_at[seq] for seq in self.groups.get(key, _EMPTY))

    def earliest(self, keys: Iterable[Key]) -> Optional[Item]:
        """The item that comes first in the list among all items having any of ``keys``."""
        heads = [group[0] for group in map(self.groups.get, keys) if group]
        return self.item_at[min(heads)] if heads else None

    def ordered(self, items: Iterable[Item]) -> list[Item]:
        return sorted(items, key=self.seq_of.__getitem__)

    # ------------------------------------------------------- maintenance

    def inserted(self, position: int, item: Item) -> bool:
        """Record ``item`` inserted at ``position``; False when only a rebuild can follow."""
        if item in self.seq_of:
            return False
        if position == len(self.order):
            seq = self.order[-1] + 1 if self.order else 0
            self.order.append(seq)
        elif position == 0:
            seq = self.order[0] - 1
            self.order.insert(0, seq)
        else:
            return False
        self._add(seq, item)
        return True

    def deleted(self, position: int, item: Item) -> bool:
        """Record ``item`` deleted from ``position`` (always possible)."""
        del self.order[position]
        self._remove(item)
        return True

    def replaced(self, old: Item, new: Item) -> bool:
        """Record ``new`` in the place of ``old``; False when only a rebuild can follow."""
        if new in self.seq_of:
            return False
        self._add(self._remove(old), new)
        return True

    def _add(self, seq: int, item: Item) -> None:
        self.seq_of[item] = seq
        self.item_at[seq] = item
        for key in self._keys(item):
            group = self.groups.get(key)
            if group is None:
                self.groups[key] = [seq]
            else:
                insort(group, seq)
        if self._lossy_test is not None and self._lossy_test(item):
            self.lossy.add(item)

    def _remove(self, item: Item) -> int:
        seq = self.seq_of.pop(item)
        del self.item_at[seq]
        for key in self._keys(item):
            group = self.groups[key]
            del group[bisect_left(group, seq)]
            if not group:
                del self.groups[key]
        self.lossy.discard(item)
        return seq


_EMPTY: list[int] = []


# ---------------------------------------------------------------- keys


def mac_key(host: DHCPHost) -> Optional[bytes]:
    """The parsed MAC of a DHCP host (what libvirt compares), None without one."""
    if host.mac_key is not None or host.mac is None:
        return host.mac_key
    return parse_mac(host.mac)


def _host_keys(host: DHCPHost) -> Iterator[Key]:
    yield ("mac", mac_key(host))
    if host.name is not None:
        yield ("name", host.name)
    if host.ip is not None:
        yield ("ip", host.ip)


def _range_keys(rng: DHCPRange) -> Iterator[Key]:
    yield ("range", (rng.start, rng.end))


def _iface_keys(iface: ForwardIface) -> Iterator[Key]:
    if iface.is_netdev:
        yield ("dev", iface.dev)


def _portgroup_keys(portgroup: PortGroup) -> Iterator[Key]:
    yield ("name", portgroup.name)
    if portgroup.is_default:
        yield ("default", True)


def _dns_host_keys(host: DNSHost) -> Iterator[Key]:
    if host.ip is not None:
        yield ("ip", host.ip)
    for name in dict.fromkeys(host.hostnames):
        yield ("hostname", name)


def _txt_keys(txt: DNSTxt) -> Iterator[Key]:
    yield ("name", txt.name)


def _srv_keys(srv: DNSSrv) -> Iterator[Key]:
    for field in SRV_FIELDS:
        value = getattr(srv, field)
        if value is not None:
            yield (field, value)


# ------------------------------------------------- lossy (see roundtrip)


def _has_xml_whitespace(value: Optional[str]) -> bool:
    return value is not None and any(c in value for c in _XML_WHITESPACE)


def portgroup_is_lossy(portgroup: PortGroup) -> bool:
    """True when formatting and re-parsing ``portgroup`` would change it (or fail).

    Raw attributes with TAB/LF/CR come back as spaces, a bandwidth rate with
    ``average='0'`` is not written, a typeless ``<virtualport>`` without
    parameters is not written, midonet drops the parameters it does not use,
    and a native VLAN id listed twice does not parse back.
    """
    vport = portgroup.virtualport
    return (
        _has_xml_whitespace(portgroup.name)
        or (vport is not None and (_has_xml_whitespace(vport.profileid) or _vport_is_lossy(vport)))
        or (portgroup.bandwidth is not None and _bandwidth_is_lossy(portgroup.bandwidth))
        or (portgroup.vlan is not None and vlan_is_unparsable(portgroup.vlan))
    )


def vlan_is_unparsable(vlan: Vlan) -> bool:
    """nativeMode is written on every tag with the native id; the parser allows only one."""
    return vlan.native_mode is not None and vlan.tags.count(vlan.native_tag) > 1


def rate_is_written(rate: BandwidthRate) -> bool:
    return bool(rate.average or rate.floor)


def _vport_is_lossy(vport: VirtualPort) -> bool:
    extras = (vport.managerid, vport.typeid, vport.typeidversion, vport.instanceid, vport.profileid)
    if vport.type is None:
        return vport.interfaceid is None and all(value is None for value in extras)
    return vport.type == "midonet" and any(value is not None for value in extras)


def _bandwidth_is_lossy(bandwidth: Bandwidth) -> bool:
    rates = (bandwidth.inbound, bandwidth.outbound)
    return all(rate is None for rate in rates) or any(
        rate is not None and not rate_is_written(rate) for rate in rates
    )


def iface_is_lossy(iface: ForwardIface) -> bool:
    return iface.is_netdev and _has_xml_whitespace(iface.dev)


_KEYS: dict[str, tuple[KeyFunc, Optional[Callable[[Item], bool]]]] = {
    DHCP_HOST: (_host_keys, None),
    DHCP_RANGE: (_range_keys, None),
    FORWARD_INTERFACE: (_iface_keys, iface_is_lossy),
    PORTGROUP: (_portgroup_keys, portgroup_is_lossy),
    DNS_HOST: (_dns_host_keys, None),
    DNS_TXT: (_txt_keys, None),
    DNS_SRV: (_srv_keys, None),
}


# ------------------------------------------------------------ the caches


def _cache(defn: NetworkDef, collection: str, ip_index: int) -> dict[str, OrderIndex]:
    owner = defn.ips[ip_index] if collection in IP_COLLECTIONS else defn
    if not isinstance(owner.lookup_cache, dict):
        owner.lookup_cache = {}
    return owner.lookup_cache


def copy_cache(cache: object) -> dict[str, OrderIndex]:
    """A new cache dict sharing the indexes of ``cache`` (an owner's ``lookup_cache``)."""
    return dict(cache) if isinstance(cache, dict) else {}


def build_index(collection: str, items: list) -> OrderIndex:
    """A new index of ``items``, a list of ``collection``."""
    keys, lossy_test = _KEYS[collection]
    return OrderIndex(items, keys, lossy_test)


def index_for(defn: NetworkDef, collection: str, ip_index: int = 0) -> OrderIndex:
    """The index of one list of ``defn``, built now if there is none (or it is stale)."""
    items = items_of(defn, collection, ip_index)
    cache = _cache(defn, collection, ip_index)
    index = cache.get(collection)
    if index is None or not index.fresh(items):
        index = cache[collection] = build_index(collection, items)
    return index


def existing_index(defn: NetworkDef, collection: str, ip_index: int, items: list) -> Optional[OrderIndex]:
    """The index to keep in step with an edit of ``items``, if one is cached and fresh."""
    if collection not in _KEYS:
        return None
    owner = defn.ips[ip_index] if collection in IP_COLLECTIONS else defn
    cache = cast("Optional[dict[str, OrderIndex]]", owner.lookup_cache)
    if not cache:  # no index at all (a definition a replay built): nothing to keep in step
        return None
    index = cache.get(collection)
    if index is not None and not index.fresh(items):
        del cache[collection]
        return None
    return index


def forget(defn: NetworkDef, collection: str, ip_index: int) -> None:
    _cache(defn, collection, ip_index).pop(collection, None)
