"""The uses of the event log: audit queries, time travel, rollback, replay and export.

Everything here reads the store's existing reads (``read_stream``, ``state_at``,
``version_at``) and, for rollback, appends through the one append path.
"""
