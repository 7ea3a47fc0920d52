"""Replay a network's event history: step through it, stop at a version, bisect, verify, export, import.

Events come from a database (``--db URL``, default ``$NETSTORE_DB`` or ``./netstore.db``) or
from a JSONL export (``--jsonl FILE``).  Examples::

    tools/replay.py --db sqlite:///netstore.db step default --to 12
    tools/replay.py --jsonl bug.jsonl bisect default "count(//host[@mac='52:54:00:00:00:01']) > 0"
    tools/replay.py verify
    tools/replay.py export --network default -o default.jsonl
    tools/replay.py --db sqlite:///copy.db import all.jsonl

Exit status: 0 success, 1 failure or damage found (or, for bisect, no such event), 2 usage error.
A progress bar appears on stderr for work that lasts over a second, on a terminal only.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Optional

from rich.console import Console

from netstore.audit import bisect as bisecting
from netstore.audit import export, replay
from netstore.audit.progress import DelayedProgress
from netstore.audit.records import describe
from netstore.errors import NetstoreError
from netstore.events import Event
from netstore.store import EventStore


def main(argv: Optional[list[str]] = None, console: Optional[Console] = None) -> int:
    """Run the tool; ``console`` is where progress goes (default: stderr, a bar only on a terminal)."""
    args = _parser().parse_args(argv)
    progress_console = console or Console(file=sys.stderr)
    try:
        return args.run(args, progress_console)
    except (NetstoreError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="replay.py", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--db", help="database URL (default: $NETSTORE_DB, else sqlite:///netstore.db)")
    source.add_argument("--jsonl", type=Path, help="read events from this JSONL export instead")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    step = commands.add_parser("step", help="print each event of NAME and the XML diff it made")
    step.add_argument("name", metavar="NAME")
    step.add_argument("--to", type=int, metavar="VERSION", help="stop at this version and print the XML there")
    step.set_defaults(run=_step)

    found = commands.add_parser("bisect", help="first event after which an XPath predicate holds")
    found.add_argument("name", metavar="NAME")
    found.add_argument("xpath", metavar="XPATH", help="e.g. \"count(//host[@mac='52:54:00:00:00:01']) > 0\"")
    found.add_argument("--inactive", action="store_true", help="evaluate on the persistent definition")
    found.add_argument("--to", type=int, metavar="VERSION", help="search versions up to this one")
    found.set_defaults(run=_bisect)

    check = commands.add_parser("verify", help="check the hash chain and that the projection equals the replay")
    check.set_defaults(run=_verify)

    out = commands.add_parser("export", help="write events as JSONL, hash chain included")
    out.add_argument("--network", metavar="NAME", help="only this network's events (default: the whole log)")
    out.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    out.set_defaults(run=_export)

    load = commands.add_parser("import", help="import a whole-log JSONL export into an empty database")
    load.add_argument("file", type=Path, metavar="FILE")
    load.set_defaults(run=_import)
    return parser


def _database(args: argparse.Namespace, command: str) -> EventStore:
    if args.jsonl is not None:
        print(f"replay.py: error: {command} works on a database (--db), not on --jsonl", file=sys.stderr)
        raise SystemExit(2)
    return EventStore(args.db)


def _line_count(path: Path) -> int:
    with path.open("rb") as lines:
        return sum(1 for _ in lines)


def _events(args: argparse.Namespace, store: Optional[EventStore]) -> Iterator[Event]:
    if store is None:
        return replay.file_events(args.jsonl, args.name, args.to)
    return replay.store_events(store, args.name, args.to)


def _step(args: argparse.Namespace, console: Console) -> int:
    store = None if args.jsonl is not None else EventStore(args.db)
    try:
        total = args.to if args.to is not None or store is None else store.head_version(args.name)
        last = None
        with DelayedProgress("replay", total, console) as progress:
            for last in replay.step_through(args.name, _events(args, store)):
                print(_heading(last.event))
                sys.stdout.write(last.live_diff + last.config_diff)
                progress(last.event.version)
    finally:
        if store is not None:
            store.close()
    if last is None:
        print(f"error: no events of network '{args.name}'", file=sys.stderr)
        return 1
    if args.to is not None:
        print(f"== stopped at version {last.event.version}")
        print(f"-- live:\n{last.live or '(none)'}")
        print(f"-- persistent:\n{last.config or '(none)'}")
    return 0


def _heading(event: Event) -> str:
    return (f"== version {event.version} (position {event.position}) {event.recorded_at.isoformat()} "
            f"{event.type.value} {describe(event)} actor={event.actor or '-'} reason={event.reason or '-'}")


def _bisect(args: argparse.Namespace, console: Console) -> int:
    predicate = bisecting.XPathPredicate(args.xpath, args.inactive)
    if args.jsonl is not None:
        with DelayedProgress("index", _line_count(args.jsonl), console) as progress:
            history = bisecting.FileHistory(args.jsonl, args.name, progress)
        return _report_bisect(history, predicate, args)
    with EventStore(args.db) as store:
        return _report_bisect(bisecting.StoreHistory(store, args.name), predicate, args)


def _report_bisect(history: bisecting.History, predicate: bisecting.XPathPredicate, args: argparse.Namespace) -> int:
    if history.head == 0:
        print(f"error: no events of network '{args.name}'", file=sys.stderr)
        return 1
    result = bisecting.bisect(history, predicate, args.to)
    tried = ", ".join(f"{version}:{'holds' if holds else 'no'}" for version, holds in result.tried)
    print(f"tried {len(result.tried)} versions ({tried})")
    if result.version is None:
        print(f"the predicate does not hold at the last version searched of '{args.name}'")
        return 1
    print(f"first version after which the predicate holds: {result.version}")
    print(_heading(history.event_at(result.version)))
    sys.stdout.write(bisecting.change_at(history, result.version, args.inactive))
    return 0


def _verify(args: argparse.Namespace, console: Console) -> int:
    if args.jsonl is not None:
        with DelayedProgress("verify", _line_count(args.jsonl), console) as progress:
            count = replay.check_file(args.jsonl, progress)
        print(f"{args.jsonl}: {count} events, hash chain intact, every event folds")
        return 0
    with EventStore(args.db) as store, DelayedProgress("verify", store.head_position(), console) as progress:
        report = store.verify(progress)
    for problem in report.problems:
        print(problem)
    if not report.ok:
        return 1
    print(f"{report.events_checked} events: hash chain intact, projection equals the replay")
    return 0


def _export(args: argparse.Namespace, console: Console) -> int:
    with _database(args, "export") as store:
        if args.network is not None and not store.head_version(args.network):
            print(f"error: no events of network '{args.network}'", file=sys.stderr)
            return 1
        if args.output is None:
            count = export.export_jsonl(store, sys.stdout.buffer, args.network)
        else:
            with args.output.open("wb") as out, DelayedProgress("export", store.head_position(), console) as progress:
                count = export.export_jsonl(store, out, args.network, progress)
    print(f"exported {count} events", file=sys.stderr)
    return 0


def _import(args: argparse.Namespace, console: Console) -> int:
    with _database(args, "import") as store, DelayedProgress("import", _line_count(args.file), console) as progress:
        count = export.import_jsonl(store, args.file, progress)
    print(f"imported {count} events")
    return 0


if __name__ == "__main__":
    sys.exit(main())
