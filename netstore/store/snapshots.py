"""Snapshots: a network's whole folded state at one version, to bound replays.

A snapshot is never authoritative -- the log is.  Each is tagged with
:data:`PROJECTOR_VERSION`; one written under another projector version (the
fold or the codec changed meaning since) is ignored, and :func:`verify`
checks the ones in use against a replay from scratch.
"""

from __future__ import annotations

import json
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from netstore.model import codec
from netstore.state import NetworkState
from netstore.store.items import dumps
from netstore.store.keys import SortKeys
from netstore.store.schema import snapshots

# Bump whenever the fold, the codec's dict shape or the sort-key rules change meaning.
PROJECTOR_VERSION = 1


def encode(state: NetworkState, keys: SortKeys) -> str:
    return dumps({
        "live": codec.to_dict(state.live) if state.live is not None else None,
        "config": codec.to_dict(state.config) if state.config is not None else None,
        "autostart": bool(state.autostart),
        "host": state.host,
        "keys": sorted([*lk, lst] for lk, lst in keys.lists.items()),
    })


def decode(name: str, version: int, text: str) -> tuple[NetworkState, SortKeys]:
    data = json.loads(text)
    state = NetworkState(name, version=version, autostart=data["autostart"], host=data.get("host"))
    state.live = codec.from_dict(data["live"]) if data["live"] is not None else None
    state.config = codec.from_dict(data["config"]) if data["config"] is not None else None
    keys = SortKeys({(scope, collection, ip_index): lst for scope, collection, ip_index, lst in data["keys"]})
    return state, keys


def write(conn: Connection, state: NetworkState, keys: SortKeys, position: int) -> None:
    conn.execute(snapshots.insert(), {
        "network": state.name, "version": state.version, "position": position,
        "projector_version": PROJECTOR_VERSION, "state": encode(state, keys),
    })


def latest(conn: Connection, name: str, upto_version: Optional[int] = None) -> Optional[Any]:
    """The newest usable snapshot row of ``name`` at or before ``upto_version``."""
    c = snapshots.c
    query = sa.select(snapshots).where(c.network == name, c.projector_version == PROJECTOR_VERSION)
    if upto_version is not None:
        query = query.where(c.version <= upto_version)
    return conn.execute(query.order_by(c.version.desc()).limit(1)).first()


def latest_all(conn: Connection) -> dict[str, Any]:
    """The newest usable snapshot row of every network."""
    c = snapshots.c
    newest = (sa.select(c.network, sa.func.max(c.version).label("version"))
              .where(c.projector_version == PROJECTOR_VERSION).group_by(c.network).subquery())
    query = sa.select(snapshots).join(newest, sa.and_(c.network == newest.c.network, c.version == newest.c.version))
    return {row.network: row for row in conn.execute(query)}
