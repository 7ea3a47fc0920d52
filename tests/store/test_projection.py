"""The projection rows: O(1) writes per item update, sort keys, rebuilds, snapshots."""

from __future__ import annotations

import sqlalchemy as sa

from netstore.constants import Command, Section
from netstore.events import Change, EventType
from netstore.model import codec
from netstore.store import EventStore, driver, eventstore, snapshots
from tests.store import support

WRITES = ("INSERT", "UPDATE", "DELETE")


def _count_writes(store: EventStore, action, monkeypatch) -> list[tuple[str, int]]:
    """(statement verb and table, rows of parameters) of every write ``action`` issues.

    Statements run through SQLAlchemy are seen by its event; the prepared ones
    (netstore.store.driver) on the DBAPI cursor, by a cursor that counts.
    """
    seen: list[tuple[str, int]] = []

    def note(statement: str, rows: int) -> None:
        verb = statement.lstrip().split(None, 1)[0].upper()
        if verb in WRITES:
            table = statement.split()[2 if verb != "UPDATE" else 1]
            seen.append((f"{verb} {table}", rows))

    def listen(conn, cursor, statement, parameters, context, executemany):
        note(statement, len(parameters) if executemany else 1)

    real = driver._dbapi_connection
    monkeypatch.setattr(driver, "_dbapi_connection", lambda conn: _CountingConnection(real(conn), note))
    engine = store._db.engine
    sa.event.listen(engine, "before_cursor_execute", listen)
    try:
        action()
    finally:
        sa.event.remove(engine, "before_cursor_execute", listen)
        monkeypatch.undo()
    return seen


class _CountingConnection:
    """A DBAPI connection whose cursors report each statement (and its rows) to ``note``."""

    def __init__(self, connection, note) -> None:
        self.connection, self.note = connection, note

    def cursor(self) -> _CountingCursor:
        return _CountingCursor(self.connection.cursor(), self.note)


class _CountingCursor:
    def __init__(self, cursor, note) -> None:
        self.cursor, self.note = cursor, note

    def execute(self, statement, parameters=()):
        self.note(statement, 1)
        return self.cursor.execute(statement, parameters)

    def executemany(self, statement, rows):
        self.note(statement, len(rows))
        return self.cursor.executemany(statement, rows)

    def __getattr__(self, name):
        return getattr(self.cursor, name)


def _prepare(store: EventStore, name: str, hosts: int) -> None:
    support.running(store, name)
    for n in range(hosts):
        support.add_host(store, name, n)


def test_item_update_writes_the_same_rows_whatever_the_size(store, monkeypatch):
    _prepare(store, "small", 0)
    _prepare(store, "large", 300)
    for name, first in (("small", 10_000), ("large", 20_000)):
        support.add_host(store, name, first)  # warm the cache, as a long-running process has it
    small = _count_writes(store, lambda: support.add_host(store, "small", 10_001), monkeypatch)
    large = _count_writes(store, lambda: support.add_host(store, "large", 20_001), monkeypatch)
    assert small == large
    assert sorted(small) == sorted([("INSERT events", 1), ("UPDATE networks", 1), ("INSERT projection_items", 2)])
    delete = _count_writes(store, lambda: support.update(
        store, "large", Command.DELETE, Section.IP_DHCP_HOST, support.host_xml(150)), monkeypatch)
    assert sorted(delete) == sorted([("INSERT events", 1), ("UPDATE networks", 1), ("DELETE projection_items", 2)])


def test_list_edits_keep_rows_in_list_order(store):
    _prepare(store, "n1", 3)
    support.update(store, "n1", Command.ADD_FIRST, Section.IP_DHCP_HOST, support.host_xml(10))
    support.update(store, "n1", Command.DELETE, Section.IP_DHCP_HOST, support.host_xml(1))
    modified = support.host_xml(2).replace("name='h2'", "name='renamed'")
    support.update(store, "n1", Command.MODIFY, Section.IP_DHCP_HOST, modified)
    support.update(store, "n1", Command.ADD_LAST, Section.DNS_TXT, "<txt name='t1' value='v'/>")
    support.update(store, "n1", Command.ADD_FIRST, Section.PORTGROUP, "<portgroup name='pg'/>", flags=2)
    expected = store.load("n1")
    with EventStore(store.url) as fresh:
        loaded = fresh.load("n1")
    assert [h.name for h in loaded.live.ips[0].hosts] == ["h10", "h0", "renamed"]
    for scope in ("live", "config"):
        assert codec.to_dict(getattr(loaded, scope)) == codec.to_dict(getattr(expected, scope))
    assert store.verify().ok


def test_lifecycle_rewrites_whole_definitions(store):
    _prepare(store, "n1", 4)
    support.destroy(store, "n1")
    assert store.load("n1").live is None
    support.start(store, "n1")
    support.autostart(store, "n1", True)
    support.undefine(store, "n1")  # keeps running as a transient network
    state = store.load("n1")
    assert state.active and not state.persistent and not state.autostart
    assert len(state.live.ips[0].hosts) == 4
    assert store.verify().ok


def test_base_collection_edit_rewrites_the_base_row(store):
    xml = support.network_xml("n1").replace("</dhcp>", "<bootp file='pxe.0'/></dhcp>")
    store.append("n1", lambda state, view: Change(EventType.DEFINE, "n1", xml=xml))
    drop_bootp = {"scope": "config", "collection": "bootp", "ip_index": 0, "op": "delete", "index": 0,
                  "item": None}
    store.append("n1", lambda state, view: Change(
        EventType.UPDATE, "n1", xml="<host/>", command=Command.DELETE, section=Section.IP_DHCP_HOST,
        parent_index=-1, flags=2, affects_config=True, effects=(drop_bootp,)))
    assert store.load("n1").config.ips[0].bootp is None
    with EventStore(store.url) as fresh:
        assert fresh.load("n1").config.ips[0].bootp is None
    assert store.verify().ok


def test_cache_reloads_when_far_behind(url, monkeypatch):
    monkeypatch.setattr(eventstore, "CATCH_UP_LIMIT", 1)
    with EventStore(url) as one, EventStore(url) as two:
        _prepare(one, "n1", 1)
        assert support.host_count(two, "n1") == 1
        for n in range(1, 4):
            support.add_host(one, "n1", n)
        support.add_host(two, "n1", 9)
        assert support.host_count(two, "n1") == support.host_count(one, "n1") == 5


def test_rebuild_reproduces_the_projection_rows(store):
    _prepare(store, "a", 5)
    _prepare(store, "b", 2)
    support.update(store, "a", Command.ADD_FIRST, Section.IP_DHCP_HOST, support.host_xml(99))
    support.destroy(store, "b")
    before = _projection_rows(store)
    assert store.rebuild(use_snapshots=False) == store.head_position()
    assert _projection_rows(store) == before
    assert store.verify().ok


def test_rebuild_bumps_the_epoch_so_other_caches_reload(url):
    with EventStore(url) as one, EventStore(url) as two:
        _prepare(one, "n1", 2)
        assert support.host_count(two, "n1") == 2
        one.rebuild()
        support.add_host(two, "n1", 5)
        assert support.host_count(one, "n1") == 3
        assert one.verify().ok


def test_snapshots_bound_rebuilds_and_stale_ones_are_ignored(url):
    with EventStore(url, snapshot_every=4) as store:
        _prepare(store, "n1", 9)  # versions 1..11: snapshots at 4 and 8
        assert store.rebuild() == 3
        before = _projection_rows(store)
        with store._db.log_write() as conn:
            conn.execute(sa.update(snapshots.snapshots).values(projector_version=snapshots.PROJECTOR_VERSION - 1))
        assert store.rebuild() == 11
        assert _projection_rows(store) == before
        assert store.state_at("n1", 10).version == 10


def test_verify_checks_snapshots_against_the_replay(url):
    with EventStore(url, snapshot_every=3) as store:
        _prepare(store, "n1", 2)
        with store._db.log_write() as conn:
            conn.execute(sa.update(snapshots.snapshots).values(state=sa.func.replace(
                snapshots.snapshots.c.state, '"autostart":false', '"autostart":true')))
        report = store.verify()
    assert not report.ok and report.first_bad_position == 3
    assert "snapshot" in report.problems[0]


def _projection_rows(store: EventStore) -> dict[str, list]:
    tables = ("networks", "projection_bases", "projection_items")
    with store._db.read() as conn:
        rows = {t: sorted(tuple(r._mapping.items()) for r in conn.exec_driver_sql(f"SELECT * FROM {t}"))
                for t in tables}
    rows["networks"] = [tuple(item for item in r if item[0] != "epoch") for r in rows["networks"]]
    return rows
