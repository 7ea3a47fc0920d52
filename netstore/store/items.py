"""A definition as projection rows: one base document plus its item rows.

The codec (:mod:`netstore.model.codec`) owns the JSON shape: ``split_items``
gives the base dict (the definition without its seven item lists) and the item
dicts in list order; ``join_items`` puts them back together.  This module
adapts that to row texts grouped per list, ``(collection, ip_index)``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from netstore.model import codec
from netstore.model.collections import ITEM_COLLECTIONS, items_of
from netstore.model.types import NetworkDef

ListId = tuple[str, int]  # (collection, ip_index)
_IP_LISTS = ("dhcp-range", "dhcp-host")
_NETWORK_LISTS = tuple(c for c in ITEM_COLLECTIONS if c not in _IP_LISTS)


_encode = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode


def dumps(value: Any) -> str:
    """Canonical JSON text (sorted keys, no whitespace)."""
    return _encode(value)


def item_lists(definition: NetworkDef) -> Iterator[tuple[ListId, list]]:
    """Every item list of ``definition`` with its collection and ``<ip>`` index."""
    for ip_index in range(len(definition.ips)):
        for collection in _IP_LISTS:
            yield (collection, ip_index), items_of(definition, collection, ip_index)
    for collection in _NETWORK_LISTS:
        yield (collection, 0), items_of(definition, collection, 0)


def item_text(definition: NetworkDef, collection: str, ip_index: int, index: int) -> str:
    """The row text of the item at ``index`` of one list."""
    return row_text(collection, items_of(definition, collection, ip_index)[index])


def row_text(collection: str, item: Any) -> str:
    """The row text of one item of ``collection``."""
    return dumps(codec.item_to_dict(collection, item))


def base_text(definition: NetworkDef) -> str:
    return dumps(codec.split_items(definition)[0])


def split(definition: NetworkDef) -> tuple[str, dict[ListId, list[str]]]:
    """The base row text and the item row texts (in list order) per list."""
    base, items = codec.split_items(definition)
    lists: dict[ListId, list[str]] = {}
    for collection, ip_index, item in items:
        lists.setdefault((collection, ip_index), []).append(dumps(item))
    return dumps(base), lists


def join(base: str, item_rows: Iterable[tuple[str, int, str]]) -> NetworkDef:
    """The definition from its base text and ``(collection, ip_index, text)`` rows, grouped in list order."""
    return codec.join_items(json.loads(base), ((c, i, json.loads(t)) for c, i, t in item_rows))
