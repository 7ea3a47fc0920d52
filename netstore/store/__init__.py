"""The event store: the log, the current projection, snapshots, the hash chain.

The only package that imports SQLAlchemy; its exceptions leave it as
:class:`netstore.errors.StoreError`.  See :class:`EventStore` for the API and
:mod:`netstore.store.backend` for the durability settings.
"""

from netstore.store.eventstore import EventStore
from netstore.store.migrate import current, upgrade
from netstore.store.verify import VerifyReport

__all__ = ["EventStore", "VerifyReport", "current", "upgrade"]
