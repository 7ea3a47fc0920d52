"""The store's :class:`~netstore.decision.StoreView`: other networks, read inside the write transaction."""

from __future__ import annotations

from typing import Optional

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from netstore.store.schema import networks

_N = networks.c
_EXISTS = sa.or_(_N.active, _N.persistent)
_WITH_UUID = sa.select(_N.name).where(_N.uuid == sa.bindparam("b_uuid"), _EXISTS).limit(1)
_BRIDGES = sa.select(_N.live_bridge, _N.config_bridge).where(_N.name != sa.bindparam("b_name"), _EXISTS)


class RegistryView:
    """Read-only questions answered from the networks registry (O(1) or O(#networks))."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def network_with_uuid(self, uuid: str) -> Optional[str]:
        """The name of the existing network with ``uuid``, if any."""
        return self._conn.execute(_WITH_UUID, {"b_uuid": uuid}).scalar()

    def bridges_in_use(self, exclude: str) -> set[str]:
        """Bridge names (live and config) of every existing network but ``exclude``."""
        return {bridge for row in self._conn.execute(_BRIDGES, {"b_name": exclude}) for bridge in row if bridge}
