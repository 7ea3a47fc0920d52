"""The lists of a network definition that update sections edit, by name.

An update edits one item of one list: a DHCP host or range of one ``<ip>``, a
forward pool interface, a portgroup, or a DNS host, TXT or SRV record.  These
collection names are what :class:`netstore.engine.EditStep` and the stored
update effects use; ``ip_index`` selects the ``<ip>`` for the two DHCP lists
and is 0 for the others.

More names stand for parts of the definition that libvirt's format-and-parse
copy (virNetworkDefCopy) can drop before an edit, and that the engine therefore
also edits, always by DELETE and without an item:

* ``forward-pf``: the ``<pf>`` list of ``<forward>`` (a real list);
* the *slots*, single optional values whose "list" has one element or none:
  ``bootp`` (of one ``<ip>``), ``bandwidth-inbound`` and ``bandwidth-outbound``
  (the network's ``<bandwidth>`` rates; a bandwidth left with neither rate is
  dropped, as the parser drops an empty ``<bandwidth>``).

They live in the base part of a definition, not in an item list, so a store
that keeps item lists as separate rows must rewrite the base for them
(see :data:`BASE_COLLECTIONS`).

Last, ``definition`` stands for the whole definition, replaced (REPLACE, the
item a :class:`NetworkDef`) when libvirt's copy of a definition holding values
it writes raw parses back to something else (``needs_roundtrip``): a store
rewrites the whole definition for it.
"""

from __future__ import annotations

from typing import Optional

from netstore.model.types import Bandwidth, NetworkDef

DHCP_HOST = "dhcp-host"
DHCP_RANGE = "dhcp-range"
FORWARD_INTERFACE = "forward-interface"
PORTGROUP = "portgroup"
DNS_HOST = "dns-host"
DNS_TXT = "dns-txt"
DNS_SRV = "dns-srv"
FORWARD_PF = "forward-pf"
BOOTP = "bootp"
BANDWIDTH_INBOUND = "bandwidth-inbound"
BANDWIDTH_OUTBOUND = "bandwidth-outbound"
DEFINITION = "definition"

IP_COLLECTIONS = frozenset({DHCP_HOST, DHCP_RANGE, BOOTP})
ITEM_COLLECTIONS = (DHCP_HOST, DHCP_RANGE, FORWARD_INTERFACE, PORTGROUP, DNS_HOST, DNS_TXT, DNS_SRV)
SLOTS = frozenset({BOOTP, BANDWIDTH_INBOUND, BANDWIDTH_OUTBOUND})
BASE_COLLECTIONS = SLOTS | {FORWARD_PF}
COLLECTIONS = ITEM_COLLECTIONS + (FORWARD_PF, BOOTP, BANDWIDTH_INBOUND, BANDWIDTH_OUTBOUND)


def items_of(defn: NetworkDef, collection: str, ip_index: int = 0) -> list:
    """The list ``collection`` names in ``defn`` (the list an EditStep edits).

    For a slot the result is a new one-element (or empty) list: editing it does
    not change ``defn`` (:func:`clear_slot` does).  Raises KeyError for an
    unknown collection and IndexError for a missing ``<ip>``.
    """
    if collection in SLOTS:
        value = slot_value(defn, collection, ip_index)
        return [] if value is None else [value]
    if collection == DHCP_HOST:
        return defn.ips[ip_index].hosts
    if collection == DHCP_RANGE:
        return defn.ips[ip_index].ranges
    return _NETWORK_LISTS[collection](defn)


def slot_value(defn: NetworkDef, collection: str, ip_index: int = 0) -> Optional[object]:
    """The value of a slot (None when it is empty)."""
    if collection == BOOTP:
        return defn.ips[ip_index].bootp
    bandwidth = defn.bandwidth
    if bandwidth is None:
        return None
    return bandwidth.inbound if collection == BANDWIDTH_INBOUND else bandwidth.outbound


def clear_slot(defn: NetworkDef, collection: str, ip_index: int = 0) -> None:
    """Empty a slot; a network bandwidth left with no rate is dropped."""
    if collection == BOOTP:
        defn.ips[ip_index].bootp = None
        return
    bandwidth = defn.bandwidth
    if bandwidth is None:
        return
    inbound = None if collection == BANDWIDTH_INBOUND else bandwidth.inbound
    outbound = None if collection == BANDWIDTH_OUTBOUND else bandwidth.outbound
    keep = inbound is not None or outbound is not None
    defn.bandwidth = Bandwidth(inbound=inbound, outbound=outbound) if keep else None


_NETWORK_LISTS = {
    FORWARD_INTERFACE: lambda d: d.forward.ifaces,
    FORWARD_PF: lambda d: d.forward.pfs,
    PORTGROUP: lambda d: d.portgroups,
    DNS_HOST: lambda d: d.dns.hosts,
    DNS_TXT: lambda d: d.dns.txts,
    DNS_SRV: lambda d: d.dns.srvs,
}
