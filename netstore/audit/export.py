"""JSONL export and import of the event log, hash chain included.

One event per line: a JSON object of the event's hashed values and its hash
(:mod:`netstore.store.transfer` describes a record), in position order.  A
whole-log export imports into an empty database as it was; one network's
export is for reading and replaying (its chain links to other networks' events).
Import refuses, writing nothing, a file whose chain does not verify and a
database that is not empty.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, Optional

import orjson

from netstore.errors import IntegrityError
from netstore.store import EventStore
from netstore.store.transfer import ChainCheck

Progress = Callable[[int], None]


def export_jsonl(store: EventStore, out: IO[bytes], network: Optional[str] = None,
                 progress: Optional[Progress] = None) -> int:
    """Write the events of ``network`` (None: every event) to ``out``; return how many."""
    after, count = 0, 0
    while page := store.export_records(network, after):
        out.write(b"".join(orjson.dumps(record) + b"\n" for record in page))
        after, count = page[-1]["position"], count + len(page)
        if progress is not None:
            progress(count)
    return count


def read_jsonl(path: Path, *, whole: bool = False) -> Iterator[dict[str, Any]]:
    """The records of an export, streamed and checked (:class:`ChainCheck`) line by line.

    Raises :class:`IntegrityError` at the first line that is not a record or breaks the
    chain; ``whole``: the file must hold a whole log.
    """
    for record, _offset in indexed_jsonl(path, whole=whole):
        yield record


def indexed_jsonl(path: Path, *, whole: bool = False) -> Iterator[tuple[dict[str, Any], int]]:
    """:func:`read_jsonl`'s records, each with the byte offset of its line."""
    check = ChainCheck(whole)
    offset = 0
    with path.open("rb") as lines:
        for number, line in enumerate(lines, 1):
            start, offset = offset, offset + len(line)
            if not line.strip():
                continue
            record = _parse(line, number, check.position + 1)
            check.check(record)
            yield record, start


def _parse(line: bytes, number: int, position: int) -> dict[str, Any]:
    try:
        record = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        raise IntegrityError(position, f"line {number} is not JSON: {exc}") from None
    if not isinstance(record, dict):
        raise IntegrityError(position, f"line {number} is not an event record")
    return record


def import_jsonl(store: EventStore, path: Path, progress: Optional[Progress] = None) -> int:
    """Import a whole-log export into the empty ``store``; return the events written."""
    return store.import_records(read_jsonl(path, whole=True), progress)
