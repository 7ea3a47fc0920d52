"""The store's :class:`~netstore.decision.StoreView`: other networks, read inside the write transaction."""

from __future__ import annotations

from typing import Optional

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from netstore.store.driver import execute_sql
from netstore.store.schema import networks

_N = networks.c
_EXISTS = sa.or_(_N.active, _N.persistent)
_WITH_UUID = sa.select(_N.name).where(_N.uuid == sa.bindparam("b_uuid"), _EXISTS).limit(1)
_BRIDGES = sa.select(_N.live_bridge, _N.config_bridge).where(_N.name != sa.bindparam("b_name"), _EXISTS)


class RegistryView:
    """Read-only questions answered from the networks registry (O(1) or O(#networks)).

    ``lock`` (the backend's registry lock, if it has one) is taken before the
    first question and held to the end of the write transaction: decisions
    that look at other networks run one at a time, so two of them cannot both
    see a uuid or bridge name free and both claim it.
    """

    def __init__(self, conn: Connection, lock: Optional[str] = None) -> None:
        self._conn = conn
        self._lock = lock

    def network_with_uuid(self, uuid: str) -> Optional[str]:
        """The name of the existing network with ``uuid``, if any."""
        self._take_lock()
        return self._conn.execute(_WITH_UUID, {"b_uuid": uuid}).scalar()

    def bridges_in_use(self, exclude: str) -> set[str]:
        """Bridge names (live and config) of every existing network but ``exclude``."""
        self._take_lock()
        return {bridge for row in self._conn.execute(_BRIDGES, {"b_name": exclude}) for bridge in row if bridge}

    def _take_lock(self) -> None:
        if self._lock is not None:
            execute_sql(self._conn, self._lock)
            self._lock = None
