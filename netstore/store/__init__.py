"""The event store: the log, the current projection, snapshots, the hash chain.

The only package that imports SQLAlchemy; its exceptions leave it as the
:class:`netstore.errors.StoreError` family (unavailable database, refused write,
schema mismatch, damaged history).  See :class:`EventStore` for the API and
:mod:`netstore.store.backend` for the durability settings and backend differences.
"""

from netstore.store.eventstore import EventStore
from netstore.store.migrate import current, upgrade
from netstore.store.verify import VerifyReport

__all__ = ["EventStore", "VerifyReport", "current", "upgrade"]
