"""Event rows: encoding a change into columns, decoding rows, and the hash chain.

The hash of an event is ``sha256(canonical(row)).hexdigest()`` where
``canonical(row)`` is the UTF-8 bytes of the JSON array (``ensure_ascii=True``,
separators ``","`` and ``":"``, no whitespace)::

    ["netstore-event", position, network, version, type, schema_version,
     command, section, parent_index, flags, xml, affects_live, affects_config,
     autostart, effects, recorded_at, actor, reason, idempotency_key, prev_hash]

with SQL NULL as ``null``, booleans as ``true``/``false``, ``effects`` as the
exact stored text (itself canonical JSON: sorted keys, no whitespace) and
``recorded_at`` as ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` in UTC.  ``prev_hash`` is
the hash of the previous event of the same network (:data:`GENESIS_HASH` for
its first), so changing, deleting or reordering any row breaks its network's
chain at that row, and the registry keeps each chain's head (a deleted last
event shows too).  Events of schema versions 1 and 2 chained to the event at
the previous position of the whole log; verify checks each row by its rule.
"""

from __future__ import annotations

import functools
import hashlib
import json
import operator
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Optional

import orjson

from netstore.events import SCHEMA_VERSION, Change, Event, EventType

GENESIS_HASH = "0" * 64
HASH_TAG = "netstore-event"

HASHED_COLUMNS = (
    "position", "network", "version", "type", "schema_version",
    "command", "section", "parent_index", "flags", "xml",
    "affects_live", "affects_config", "autostart", "effects",
    "recorded_at", "actor", "reason", "idempotency_key", "prev_hash",
)
_hashed_values = operator.itemgetter(*HASHED_COLUMNS)
# positions in the hashed array (after the tag) of the values written as time or booleans
_TIME = 1 + HASHED_COLUMNS.index("recorded_at")
_LIVE, _CONFIG = 1 + HASHED_COLUMNS.index("affects_live"), 1 + HASHED_COLUMNS.index("affects_config")
_AUTOSTART = 1 + HASHED_COLUMNS.index("autostart")


def utc(value: datetime) -> datetime:
    """``value`` as an aware UTC datetime (SQLite hands back naive UTC)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def stored_time(value: datetime | str) -> datetime:
    """A ``recorded_at`` value as the driver returns it (SQLite: text) as an aware UTC datetime."""
    return utc(datetime.fromisoformat(value) if isinstance(value, str) else value)


def format_time(value: datetime) -> str:
    """``YYYY-MM-DDTHH:MM:SS.ffffffZ`` in UTC (``strftime("%Y-%m-%dT%H:%M:%S.%fZ")``)."""
    value = utc(value)
    if value.year < 1000:  # strftime does not pad %Y to four digits
        return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return value.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


# json.dumps(value, <these options>) without building an encoder per call
_encode_effects = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode
_encode_canonical = json.JSONEncoder(ensure_ascii=True, separators=(",", ":")).encode


def encode_effects(effects: tuple[dict, ...]) -> str:
    return _encode_effects(list(effects))


def canonical(row: Mapping[Any, Any]) -> bytes:
    """The bytes the hash is computed over (see the module docstring)."""
    return canonical_values(_hashed_values(row))


def canonical_values(values: Sequence[Any]) -> bytes:
    """:func:`canonical` of the :data:`HASHED_COLUMNS` values, in that order.

    The values may be the driver's own (SQLite: booleans 0/1, ``recorded_at`` as text)
    or SQLAlchemy's (booleans, datetimes).
    """
    array = hashed_array(values)
    # orjson writes json's bytes whenever its output is ASCII without DEL: it escapes quotes,
    # backslashes and control characters as json does, but writes other non-ASCII characters
    # (and DEL) unescaped, and refuses integers beyond 64 bits and lone surrogates.
    try:
        data = orjson.dumps(array)
    except (TypeError, orjson.JSONEncodeError):
        return json_canonical(array)
    if data.isascii() and b"\x7f" not in data:
        return data
    return json_canonical(array)


def hashed_array(values: Sequence[Any]) -> list[Any]:
    """The JSON array the hash is computed over, from the :data:`HASHED_COLUMNS` values."""
    array: list[Any] = [HASH_TAG, *values]
    array[_TIME] = _time_text(array[_TIME])
    array[_LIVE] = bool(array[_LIVE])
    array[_CONFIG] = bool(array[_CONFIG])
    if array[_AUTOSTART] is not None:
        array[_AUTOSTART] = bool(array[_AUTOSTART])
    return array


def json_canonical(array: list[Any]) -> bytes:
    """The reference encoding of a hashed array (json, ``ensure_ascii``, no whitespace)."""
    return _encode_canonical(array).encode("ascii")


def _time_text(value: datetime | str) -> str:
    """``recorded_at`` as hashed, from a datetime or SQLite's stored text."""
    if isinstance(value, str):
        if len(value) == 26 and value[19] == "." and value[20:].isdecimal() and value.isascii():
            second = _second_text(value[:19])
            if second is not None:
                return second + value[19:] + "Z"
        try:
            return format_time(datetime.fromisoformat(value))
        except ValueError:
            return value  # not a time: hashed as it is, so it cannot match a hash written by new_row
    return format_time(value)


@functools.lru_cache(maxsize=64)
def _second_text(text: str) -> Optional[str]:
    """``YYYY-MM-DD HH:MM:SS`` (a valid time, year >= 1000) as hashed, without the fraction; else None.

    Events come in bursts, so most rows hit the cache instead of parsing their time.
    """
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.year < 1000 or parsed.isoformat(" ") != text:
        return None
    return text[:10] + "T" + text[11:]


def row_hash(row: Mapping[Any, Any]) -> str:
    return hashlib.sha256(canonical(row)).hexdigest()


def values_hash(values: Sequence[Any]) -> str:
    """:func:`row_hash` of the :data:`HASHED_COLUMNS` values, in that order."""
    return hashlib.sha256(canonical_values(values)).hexdigest()


def change_columns(change: Change) -> dict[str, Any]:
    """The columns that carry ``change`` (everything but bookkeeping)."""
    is_update = change.type is EventType.UPDATE
    return {
        "network": change.network,
        "type": change.type._value_,
        "command": _integer(change.command) if is_update else None,
        "section": _integer(change.section) if is_update else None,
        "parent_index": _integer(change.parent_index) if is_update else None,
        "flags": _integer(change.flags) if is_update else None,
        "xml": change.xml,
        "affects_live": bool(change.affects_live),
        "affects_config": bool(change.affects_config),
        "autostart": bool(change.autostart) if change.type is EventType.AUTOSTART else None,
        "effects": encode_effects(change.effects),
    }


def _integer(value: Optional[int]) -> Optional[int]:
    return None if value is None else int(value)


def new_row(change: Change, *, position: int, version: int, recorded_at: datetime,
            actor: Optional[str], reason: Optional[str], idempotency_key: Optional[str],
            prev_hash: str, txid: Optional[int] = None) -> dict[str, Any]:
    """A complete, hashed ``events`` row for an accepted change (``txid``: the writer's, not hashed)."""
    row = change_columns(change)
    row.update(position=position, version=version, schema_version=SCHEMA_VERSION,
               recorded_at=utc(recorded_at), actor=actor, reason=reason,
               idempotency_key=idempotency_key, prev_hash=prev_hash)
    row["hash"] = row_hash(row)
    row["txid"] = txid
    return row


_EVENT_TYPES = {t.value: t for t in EventType}


# orjson reads JSON text as json.loads does, except that it refuses some text json reads (NaN,
# Infinity, lone surrogates: left to json) and reads integers beyond the 64-bit ranges as floats.
# Those integers have 19 digits or more, so text holding 19 digits in a row is left to json too.
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")
_NINETEEN_DIGITS = b"0" * 19


def loads_effects(text: str) -> list[dict]:
    """``json.loads(text)`` of an ``effects`` column (read by orjson when it reads it the same)."""
    if isinstance(text, str) and text.isascii():
        data = text.encode()
        if data.translate(_DIGITS_AS_ZERO).find(_NINETEEN_DIGITS) < 0:
            try:
                return orjson.loads(data)
            except orjson.JSONDecodeError:
                pass  # json parses it or raises its own error
    return json.loads(text)


def change_from_row(row: Mapping[Any, Any]) -> Change:
    return change_from_values(*(row[column] for column in CHANGE_COLUMNS))


CHANGE_COLUMNS = ("type", "network", "xml", "command", "section", "parent_index", "flags",
                  "affects_live", "affects_config", "autostart", "effects")


def change_from_values(type_: str, network: str, xml: Optional[str], command: Optional[int],
                       section: Optional[int], parent_index: Optional[int], flags: Optional[int],
                       affects_live: Any, affects_config: Any, autostart: Any, effects: str) -> Change:
    """A Change from its column values, in :data:`CHANGE_COLUMNS` order (the replay hot path)."""
    return Change(_EVENT_TYPES[type_], network, xml, command, section, parent_index, flags,
                  bool(affects_live), bool(affects_config), None if autostart is None else bool(autostart),
                  tuple(loads_effects(effects)) if effects != "[]" else ())


def event_from_row(row: Mapping[Any, Any]) -> Event:
    return Event(
        change=change_from_row(row),
        version=row["version"],
        position=row["position"],
        recorded_at=utc(row["recorded_at"]),
        actor=row["actor"],
        reason=row["reason"],
        idempotency_key=row["idempotency_key"],
        schema_version=row["schema_version"],
        prev_hash=row["prev_hash"],
        hash=row["hash"],
    )
