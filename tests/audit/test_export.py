"""JSONL export/import: byte-exact round trips, refusals that write nothing, imports that verify."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from netstore.audit.export import export_jsonl, import_jsonl, read_jsonl
from netstore.errors import IntegrityError, StoreError, libvirtError
from netstore.model import codec
from netstore.store import EventStore
from netstore.store.backend import backend_named
from tests.store import support
from tests.store.examples import ONE_DATABASE_PER_EXAMPLE


def _history(url: str) -> None:
    """Two networks (one with non-ASCII and control text in reasons), snapshots every 3 versions."""
    with EventStore(url, snapshot_every=3) as store:
        support.running(store, "a")
        support.define(store, "b", actor="Zoë", reason="line\nbreak \u2603 \x7f")
        for n in range(6):
            name = "ab"[n % 2]
            flags = support.LIVE_CONFIG if name == "a" else 2  # b is not running: config only
            support.add_host(store, name, n, flags, actor="ops", reason=f"host {n}")
        support.autostart(store, "b", True)
        support.destroy(store, "a")


def _gapless(url: str) -> bool:
    """True when the database's positions run 1, 2, 3 ... without gaps (SQLite; not PostgreSQL)."""
    return backend_named(sa.make_url(url).get_backend_name()).gapless


def _export(url: str, path: Path, network: str | None = None) -> int:
    with EventStore(url) as store, path.open("wb") as out:
        return export_jsonl(store, out, network)


def _state(url: str) -> dict:
    with EventStore(url) as store:
        return {s.name: (s.version, s.active, s.autostart, codec.to_dict(s.live) if s.live else None,
                         codec.to_dict(s.config) if s.config else None) for s in store.list_states()}


def test_export_import_export_gives_the_same_bytes(new_db_url, tmp_path):
    source, target = new_db_url(), new_db_url()
    _history(source)
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    assert _export(source, first) == 11
    with EventStore(target) as store:
        assert import_jsonl(store, first) == 11
        report = store.verify()
    assert report.ok and report.events_checked == 11, report.problems
    _export(target, second)
    assert first.read_bytes() == second.read_bytes()
    assert _state(target) == _state(source)
    with EventStore(target) as store:  # the imported log goes on: positions, chain and projection
        event = support.add_host(store, "b", 99, 2)
        last_of_b = [record for record in map(json.loads, first.read_text().splitlines()) if record["network"] == "b"][-1]
        assert event.position == 12 and event.prev_hash == last_of_b["hash"]
        assert store.verify().ok


def test_a_line_holds_every_hashed_value_and_the_hash(tmp_path, new_db_url):
    url = new_db_url()
    _history(url)
    path = tmp_path / "log.jsonl"
    _export(url, path)
    first = json.loads(path.read_text().splitlines()[0])
    assert list(first)[:3] == ["position", "network", "version"] and list(first)[-2:] == ["prev_hash", "hash"]
    assert first["prev_hash"] == "0" * 64 and first["recorded_at"].endswith("Z")


def test_import_refuses_a_non_empty_database_and_writes_nothing(tmp_path, new_db_url):
    source, target = new_db_url(), new_db_url()
    _history(source)
    path = tmp_path / "log.jsonl"
    _export(source, path)
    with EventStore(target) as store:
        support.define(store, "c")
        before = store.head_position()
        with pytest.raises(StoreError, match="not empty"):
            import_jsonl(store, path)
        assert store.head_position() == before and store.verify().ok


# Positions: 1-2 a, 3 b, 4-9 hosts of a and b in turn, 10 b, 11 a.  Each network has its own chain:
# into SQLite (positions without gaps) a deleted record shows at its position, into PostgreSQL
# (gaps allowed) at its network's next record (b's 9); a moved record at the position it claims.
@pytest.mark.parametrize("line, change, found", [
    (5, lambda r: {**r, "actor": "mallory"}, (5, 5)),
    (5, lambda r: {**r, "prev_hash": "1" * 64}, (5, 5)),
    (7, lambda r: None, (7, 9)),
    (4, lambda r: {**r, "position": 99}, (99, 99)),
])
def test_import_refuses_a_broken_chain_and_writes_nothing(tmp_path, new_db_url, line, change, found):
    source = new_db_url()
    _history(source)
    path = tmp_path / "log.jsonl"
    _export(source, path)
    lines = path.read_text().splitlines()
    changed = change(json.loads(lines[line - 1]))
    lines[line - 1] = json.dumps(changed) if changed is not None else ""
    path.write_text("\n".join(line for line in lines if line) + "\n")
    target = new_db_url()
    with EventStore(target) as store:
        with pytest.raises(IntegrityError) as raised:
            import_jsonl(store, path)
        assert raised.value.position == found[0 if _gapless(target) else 1]
        assert store.head_position() == 0 and store.list_states() == []


def test_import_refuses_a_line_that_is_not_a_record(tmp_path, db_url):
    path = tmp_path / "log.jsonl"
    path.write_text('{"position": 1}\n')
    with EventStore(db_url) as store:
        with pytest.raises(IntegrityError, match="not an event record"):
            import_jsonl(store, path)
        path.write_text("not json\n")
        with pytest.raises(IntegrityError, match="line 1 is not JSON"):
            import_jsonl(store, path)
        assert store.head_position() == 0


def test_one_network_export_reads_back_checked_and_imports_only_where_positions_may_have_gaps(tmp_path, new_db_url):
    """One network's export is that network's whole chain at positions with gaps (the other networks'
    events left out): SQLite, whose positions have none, refuses it as a log with an event missing;
    PostgreSQL, whose positions may have gaps, imports it as a log of that network alone."""
    source = new_db_url()
    _history(source)
    path = tmp_path / "b.jsonl"
    assert _export(source, path, "b") == 5
    assert [r["version"] for r in read_jsonl(path)] == [1, 2, 3, 4, 5]
    target = new_db_url()
    with EventStore(target) as store:
        if _gapless(target):
            with pytest.raises(IntegrityError, match=r"event missing \(next record is position 3\)"):
                import_jsonl(store, path)
            assert store.head_position() == 0
        else:
            assert import_jsonl(store, path) == 5
            assert [state.name for state in store.list_states()] == ["b"] and store.verify().ok


def test_import_writes_snapshots_the_store_uses(tmp_path, new_db_url):
    source, target = new_db_url(), new_db_url()
    _history(source)
    path = tmp_path / "log.jsonl"
    _export(source, path)
    with EventStore(target, snapshot_every=3) as store:
        import_jsonl(store, path)
    support.execute_sql(target, "UPDATE snapshots SET state = replace(state, 'h1', 'hx')")
    with EventStore(target) as store:
        report = store.verify()
    assert not report.ok and "snapshot" in report.problems[0]


OPERATIONS = ("host", "delete", "start", "destroy", "autostart", "undefine", "define")


def _apply(store: EventStore, name: str, operation: str, number: int) -> None:
    """One operation on ``name``; one libvirt refuses (e.g. starting a running network) appends nothing."""
    actions = {
        "host": lambda: support.add_host(store, name, number, 2, reason=f"r{number}\u00e9"),
        "delete": lambda: support.update(store, name, support.Command.DELETE, support.Section.IP_DHCP_HOST,
                                         support.host_xml(number % 4), 2),
        "start": lambda: support.start(store, name),
        "destroy": lambda: support.destroy(store, name),
        "autostart": lambda: support.autostart(store, name, bool(number % 2)),
        "undefine": lambda: support.undefine(store, name),
        "define": lambda: support.define(store, name),
    }
    if operation != "define" and store.load(name) is None:
        return
    with contextlib.suppress(libvirtError):
        actions[operation]()


@settings(max_examples=15, deadline=None, suppress_health_check=ONE_DATABASE_PER_EXAMPLE)
@given(plan=st.lists(st.tuples(st.sampled_from("xy"), st.sampled_from(OPERATIONS), st.integers(0, 7)),
                     min_size=1, max_size=25))
def test_any_history_round_trips_and_its_import_verifies(tmp_path_factory, new_db_url, plan):
    folder = tmp_path_factory.mktemp("roundtrip")
    source, target = new_db_url(), new_db_url()
    with EventStore(source, snapshot_every=2) as store:
        support.define(store, "x")
        support.define(store, "y")
        for name, operation, number in plan:
            _apply(store, name, operation, number)
    first, second = folder / "first.jsonl", folder / "second.jsonl"
    _export(source, first)
    with EventStore(target, snapshot_every=2) as store:
        import_jsonl(store, first)
        assert store.verify().ok
    _export(target, second)
    assert first.read_bytes() == second.read_bytes()
    assert _state(target) == _state(source)
