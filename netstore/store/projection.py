"""The current projection in rows: registry row, base rows, item rows.

Writing follows a :class:`~netstore.store.keys.RowPlan` so a change that
touches one list item writes one item row (plus the registry row); loading
reads a network's rows back into a state and its sort keys.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from netstore.errors import StoreError
from netstore.model.types import NetworkDef
from netstore.projector.state import NetworkState, Scope
from netstore.store import items as rows
from netstore.store.keys import ListKey, RowPlan, SortKeys
from netstore.store.schema import networks, projection_bases, projection_items

_I = projection_items.c
_ITEM_KEY = sa.and_(_I.network == sa.bindparam("b_network"), _I.scope == sa.bindparam("b_scope"),
                    _I.collection == sa.bindparam("b_collection"), _I.ip_index == sa.bindparam("b_ip_index"),
                    _I.sort_key == sa.bindparam("b_sort_key"))
_UPDATE_ITEM = projection_items.update().where(_ITEM_KEY).values(item=sa.bindparam("b_item"))
_DELETE_ITEM = projection_items.delete().where(_ITEM_KEY)
_B = projection_bases.c
_UPDATE_BASE = (projection_bases.update()
                .where(_B.network == sa.bindparam("b_network"), _B.scope == sa.bindparam("b_scope"))
                .values(base=sa.bindparam("b_base")))
_REGISTRY_UPDATE = networks.update().where(networks.c.name == sa.bindparam("b_name"))
_REGISTRY_INSERT = networks.insert()
# The load path's reads are textual SQL with typed columns: a fresh process opens a network
# without compiling SELECT constructs first (several ms each); the SQL is the same on every backend.
_REGISTRY_SELECT = sa.text(
    "SELECT name, uuid, head_version, head_position, active, persistent, autostart,"
    " live_bridge, config_bridge, epoch FROM networks WHERE name = :b_name").columns(*networks.c)
_BASES_SELECT = sa.text("SELECT scope, base FROM projection_bases WHERE network = :b_name").columns(
    projection_bases.c.scope, projection_bases.c.base)
_ITEMS_SELECT = sa.text(
    "SELECT scope, collection, ip_index, sort_key, item FROM projection_items WHERE network = :b_name"
    " ORDER BY scope, collection, ip_index, sort_key").columns(
    _I.scope, _I.collection, _I.ip_index, _I.sort_key, _I.item)
_INSERT_ITEMS = projection_items.insert()


def registry_values(state: NetworkState, position: int) -> dict[str, Any]:
    """The ``networks`` row of ``state`` (whose version is the head) at ``position``."""
    current = state.live or state.config
    return {
        "uuid": current.uuid if current is not None else None,
        "head_version": state.version,
        "head_position": position,
        "active": state.active,
        "persistent": state.persistent,
        "autostart": bool(state.autostart),
        "live_bridge": state.live.bridge.name if state.live is not None else None,
        "config_bridge": state.config.bridge.name if state.config is not None else None,
    }


def write_registry(conn: Connection, state: NetworkState, position: int, *, new: bool, epoch: int) -> None:
    values = registry_values(state, position)
    if new:
        conn.execute(_REGISTRY_INSERT, {"name": state.name, "epoch": epoch, **values})
    else:
        conn.execute(_REGISTRY_UPDATE, {"b_name": state.name, **values})


def write_plan(conn: Connection, state: NetworkState, keys: SortKeys, plan: RowPlan) -> None:
    """Write the rows ``plan`` names, taking contents from ``state`` (after the fold)."""
    for scope in sorted(plan.scopes):
        write_scope(conn, state, keys, scope)
    for scope in sorted(plan.bases - plan.scopes):
        conn.execute(_UPDATE_BASE, {"b_network": state.name, "b_scope": scope,
                                    "b_base": rows.base_text(_definition(state, scope))})
    for lk in sorted(plan.lists):
        if lk[0] not in plan.scopes:
            _write_list(conn, state, keys, lk)
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    deletes: list[dict[str, Any]] = []
    for (lk, key), existed in plan.items.items():
        index = keys.index_of(lk, key)
        params = _item_params(state.name, lk, key)
        if index is None:
            if existed:
                deletes.append(params)
            continue
        params["b_item"] = rows.item_text(_definition(state, lk[0]), lk[1], lk[2], index)
        (updates if existed else inserts).append(params)
    if deletes:
        conn.execute(_DELETE_ITEM, deletes)
    if updates:
        conn.execute(_UPDATE_ITEM, updates)
    if inserts:
        conn.execute(_INSERT_ITEMS, [_insert_values(p) for p in inserts])


def write_scope(conn: Connection, state: NetworkState, keys: SortKeys, scope: str) -> None:
    """Replace every row of one definition (or drop them when it is gone)."""
    name = state.name
    conn.execute(projection_items.delete().where(_I.network == name, _I.scope == scope))
    conn.execute(projection_bases.delete().where(projection_bases.c.network == name,
                                                 projection_bases.c.scope == scope))
    definition = state.definition(Scope(scope))
    if definition is None:
        return
    base, lists = rows.split(definition)
    conn.execute(projection_bases.insert(), {"network": name, "scope": scope, "base": base})
    values = [
        {"network": name, "scope": scope, "collection": collection, "ip_index": ip_index,
         "sort_key": key, "item": text}
        for (collection, ip_index), texts in lists.items()
        for key, text in zip(keys.lists[(scope, collection, ip_index)], texts, strict=True)
    ]
    if values:
        conn.execute(projection_items.insert(), values)


def _write_list(conn: Connection, state: NetworkState, keys: SortKeys, lk: ListKey) -> None:
    scope, collection, ip_index = lk
    conn.execute(projection_items.delete().where(_I.network == state.name, _I.scope == scope,
                                                 _I.collection == collection, _I.ip_index == ip_index))
    definition = _definition(state, scope)
    values = [
        {"network": state.name, "scope": scope, "collection": collection, "ip_index": ip_index,
         "sort_key": key, "item": rows.item_text(definition, collection, ip_index, index)}
        for index, key in enumerate(keys.lists[lk])
    ]
    if values:
        conn.execute(projection_items.insert(), values)


def _definition(state: NetworkState, scope: str) -> NetworkDef:
    """The definition an item delta of ``scope`` edited (present after the fold, by the fold's contract)."""
    definition = state.definition(Scope(scope))
    if definition is None:
        raise StoreError(f"the fold left no {scope} definition of {state.name!r} for its own item edit")
    return definition


def _item_params(name: str, lk: ListKey, key: int) -> dict[str, Any]:
    return {"b_network": name, "b_scope": lk[0], "b_collection": lk[1], "b_ip_index": lk[2], "b_sort_key": key}


def _insert_values(params: dict[str, Any]) -> dict[str, Any]:
    return {"network": params["b_network"], "scope": params["b_scope"], "collection": params["b_collection"],
            "ip_index": params["b_ip_index"], "sort_key": params["b_sort_key"], "item": params["b_item"]}


def read_registry(conn: Connection, name: str) -> Optional[Any]:
    return conn.execute(_REGISTRY_SELECT, {"b_name": name}).first()


def read_state(conn: Connection, registry: Any) -> tuple[NetworkState, SortKeys]:
    """A network's state and sort keys, from its projection rows."""
    params = {"b_name": registry.name}
    bases: dict[str, str] = {scope: base for scope, base in conn.execute(_BASES_SELECT, params)}
    return assemble(registry, bases, conn.execute(_ITEMS_SELECT, params))


def assemble(registry: Any, bases: dict[str, str], item_rows: Iterable[Any]) -> tuple[NetworkState, SortKeys]:
    """A state and its sort keys from base texts and item rows ordered by list and key."""
    texts: dict[str, list[tuple[str, int, str]]] = defaultdict(list)
    keys = SortKeys()
    for scope, collection, ip_index, sort_key, item in item_rows:
        texts[scope].append((collection, ip_index, item))
        keys.lists.setdefault((scope, collection, ip_index), []).append(sort_key)
    state = NetworkState(registry.name, version=registry.head_version, autostart=bool(registry.autostart))
    for scope, base in bases.items():
        definition = rows.join(base, texts.get(scope, ()))
        if scope == Scope.LIVE.value:
            state.live = definition
        else:
            state.config = definition
        for (collection, ip_index), _ in rows.item_lists(definition):
            keys.lists.setdefault((scope, collection, ip_index), [])
    return state, keys
