"""The current projection in rows: registry row, base rows, item rows.

Writing follows a :class:`~netstore.store.keys.RowPlan` so a change that
touches one list item writes one item row (plus the registry row); loading
reads a network's rows back into a state and its sort keys.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from netstore.errors import HistoryError
from netstore.model.collections import items_of
from netstore.model.types import NetworkDef
from netstore.state import NetworkState, Scope
from netstore.store import items
from netstore.store.driver import Prepared
from netstore.store.keys import ListKey, RowPlan, SortKeys
from netstore.store.schema import networks, projection_bases, projection_items

_SCOPES = {scope.value: scope for scope in Scope}
_I = projection_items.c
_ITEM_KEY = sa.and_(_I.network == sa.bindparam("b_network"), _I.scope == sa.bindparam("b_scope"),
                    _I.collection == sa.bindparam("b_collection"), _I.ip_index == sa.bindparam("b_ip_index"),
                    _I.sort_key == sa.bindparam("b_sort_key"))
# The append path's writes run as prepared driver statements (see netstore.store.driver).
_UPDATE_ITEM = Prepared(projection_items.update().where(_ITEM_KEY).values(item=sa.bindparam("b_item")))
_DELETE_ITEM = Prepared(projection_items.delete().where(_ITEM_KEY))
_INSERT_ITEMS = Prepared(projection_items.insert())
_B = projection_bases.c
_UPDATE_BASE = Prepared(projection_bases.update()
                        .where(_B.network == sa.bindparam("b_network"), _B.scope == sa.bindparam("b_scope"))
                        .values(base=sa.bindparam("b_base")))
_REGISTRY_COLUMNS = ("uuid", "head_version", "head_position", "active", "persistent", "autostart",
                     "live_bridge", "config_bridge", "host")
_REGISTRY_UPDATE = Prepared(networks.update().where(networks.c.name == sa.bindparam("b_name"))
                            .values({column: sa.bindparam(f"b_{column}")
                                     for column in (*_REGISTRY_COLUMNS, "head_hash")}))
_REGISTRY_HEAD_UPDATE = Prepared(networks.update().where(networks.c.name == sa.bindparam("b_name")).values(
    head_version=sa.bindparam("b_head_version"), head_position=sa.bindparam("b_head_position"),
    head_hash=sa.bindparam("b_head_hash")))
_REGISTRY_FLAGS = tuple(column for column in _REGISTRY_COLUMNS if column not in ("head_version", "head_position"))
_REGISTRY_INSERT = Prepared(networks.insert())
# The load path's reads are textual SQL with typed columns: a fresh process opens a network
# without compiling SELECT constructs first (several ms each); the SQL is the same on every backend.
_REGISTRY_SELECT = sa.text(
    "SELECT name, uuid, head_version, head_position, active, persistent, autostart,"
    " live_bridge, config_bridge, epoch, head_hash, host FROM networks WHERE name = :b_name").columns(*networks.c)
_BASES_SELECT = sa.text("SELECT scope, base FROM projection_bases WHERE network = :b_name").columns(
    projection_bases.c.scope, projection_bases.c.base)
_ITEMS_SELECT = sa.text(
    "SELECT scope, collection, ip_index, sort_key, item FROM projection_items WHERE network = :b_name"
    " ORDER BY scope, collection, ip_index, sort_key").columns(
    _I.scope, _I.collection, _I.ip_index, _I.sort_key, _I.item)


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
        "host": state.host,
    }


def write_registry(conn: Connection, state: NetworkState, position: int, head_hash: str, *,
                   stored: Optional[Mapping[Any, Any]], epoch: int) -> dict[str, Any]:
    """Write the registry row of ``state`` at ``position`` (its last event's hash ``head_hash``).

    Returns the values written (without the hash).

    ``stored`` holds the row's current values (None: no row yet, insert it with
    ``epoch``).  When only the head moved (an update event), only the head
    columns are set: SQLite rewrites an index entry whenever its column is set,
    even to the same value, and every page saved is one less written and fsynced.
    """
    values = registry_values(state, position)
    if stored is None:
        _REGISTRY_INSERT.execute(conn, {"name": state.name, "epoch": epoch, "head_hash": head_hash, **values})
    elif all(stored[column] == values[column] for column in _REGISTRY_FLAGS):
        _REGISTRY_HEAD_UPDATE.execute(conn, {"b_name": state.name, "b_head_version": values["head_version"],
                                             "b_head_position": values["head_position"], "b_head_hash": head_hash})
    else:
        _REGISTRY_UPDATE.execute(conn, {"b_name": state.name, "b_head_hash": head_hash,
                                        **{f"b_{key}": value for key, value in values.items()}})
    return values


def write_plan(conn: Connection, state: NetworkState, keys: SortKeys, plan: RowPlan) -> None:
    """Write the rows ``plan`` names, taking contents from ``state`` (after the fold)."""
    for scope in sorted(plan.scopes):
        write_scope(conn, state, keys, scope)
    for scope in sorted(plan.bases - plan.scopes):
        _UPDATE_BASE.execute(conn, {"b_network": state.name, "b_scope": scope,
                                    "b_base": items.base_text(_definition(state, scope))})
    for lk in sorted(plan.lists):
        if lk[0] not in plan.scopes:
            _write_list(conn, state, keys, lk)
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    deletes: list[dict[str, Any]] = []
    texts: dict[int, str] = {}  # by item identity: live and config may hold the same (immutable) item
    for (lk, key), existed in plan.items.items():
        index = keys.index_of(lk, key)
        if index is None:
            if existed:
                deletes.append(_item_params(state.name, lk, key))
            continue
        item = items_of(_definition(state, lk[0]), lk[1], lk[2])[index]
        text = texts.get(id(item))
        if text is None:
            text = texts[id(item)] = items.row_text(lk[1], item)
        if existed:
            updates.append({**_item_params(state.name, lk, key), "b_item": text})
        else:
            inserts.append({"network": state.name, "scope": lk[0], "collection": lk[1], "ip_index": lk[2],
                            "sort_key": key, "item": text})
    if deletes:
        _DELETE_ITEM.execute_many(conn, deletes)
    if updates:
        _UPDATE_ITEM.execute_many(conn, updates)
    if inserts:
        _INSERT_ITEMS.execute_many(conn, inserts)


def write_scope(conn: Connection, state: NetworkState, keys: SortKeys, scope: str) -> None:
    """Replace every row of one definition (or drop them when it is gone)."""
    name = state.name
    conn.execute(projection_items.delete().where(_I.network == name, _I.scope == scope))
    conn.execute(projection_bases.delete().where(projection_bases.c.network == name,
                                                 projection_bases.c.scope == scope))
    definition = state.definition(Scope(scope))
    if definition is None:
        return
    base, lists = items.split(definition)
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
         "sort_key": key, "item": items.item_text(definition, collection, ip_index, index)}
        for index, key in enumerate(keys.lists[lk])
    ]
    if values:
        conn.execute(projection_items.insert(), values)


def _definition(state: NetworkState, scope: str) -> NetworkDef:
    """The definition an item delta of ``scope`` edited (present after the fold, by the fold's contract)."""
    definition = state.definition(_SCOPES[scope])
    if definition is None:
        raise HistoryError(f"the fold left no {scope} definition of {state.name!r} for its own item edit")
    return definition


def _item_params(name: str, lk: ListKey, key: int) -> dict[str, Any]:
    return {"b_network": name, "b_scope": lk[0], "b_collection": lk[1], "b_ip_index": lk[2], "b_sort_key": key}


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
    state = NetworkState(registry.name, version=registry.head_version, autostart=bool(registry.autostart),
                         host=registry.host)
    for scope, base in bases.items():
        definition = items.join(base, texts.get(scope, ()))
        if scope == Scope.LIVE.value:
            state.live = definition
        else:
            state.config = definition
        for (collection, ip_index), _ in items.item_lists(definition):
            keys.lists.setdefault((scope, collection, ip_index), [])
    return state, keys
