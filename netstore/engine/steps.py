"""Item-level edits: what an update does to a definition, and applying it.

The engine decides an update as a short sequence of :class:`EditStep`s; the
same steps, stored with the event, are what the projector replays.  Steps
apply in order, each ``index`` counted in the list as the earlier steps left it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Optional

from netstore.engine import lookup
from netstore.errors import HistoryError
from netstore.model.codec import copy_definition
from netstore.model.collections import DEFINITION, SLOTS, clear_slot, items_of, slot_value
from netstore.model.types import NetworkDef
from netstore.state import ItemOp


@dataclass(frozen=True, slots=True)
class EditStep:
    """Insert, delete or replace one item of one list of a definition.

    ``collection`` is one of :data:`netstore.model.collections.COLLECTIONS`;
    ``ip_index`` picks the ``<ip>`` for DHCP lists (0 otherwise); ``index`` is
    the position in the list before this step (for INSERT: the new item's
    position); ``item`` is the new item (None for DELETE).
    """

    collection: str
    ip_index: int
    op: ItemOp
    index: int
    item: Optional[object] = None


def apply_steps(defn: NetworkDef, steps: Iterable[EditStep]) -> None:
    """Apply ``steps`` to ``defn`` in order, keeping the engine's indexes in step.

    Raises HistoryError when a step does not fit the definition (a damaged history).
    """
    for step in steps:
        if step.collection == DEFINITION:
            _replace_definition(defn, step)
        elif step.collection in SLOTS:
            _apply_slot(defn, step)
        else:
            _apply_item(defn, step)


def _apply_item(defn: NetworkDef, step: EditStep) -> None:
    items = items_of(defn, step.collection, step.ip_index)
    _check_position(step, len(items))
    index = lookup.existing_index(defn, step.collection, step.ip_index, items)
    if step.op is ItemOp.INSERT:
        items.insert(step.index, step.item)
        kept = index is None or index.inserted(step.index, step.item)
    elif step.op is ItemOp.DELETE:
        old = items.pop(step.index)
        kept = index is None or index.deleted(step.index, old)
    else:
        old = items[step.index]
        items[step.index] = step.item
        kept = index is None or index.replaced(old, step.item)
    if not kept:
        lookup.forget(defn, step.collection, step.ip_index)


def _check_position(step: EditStep, length: int) -> None:
    limit = length if step.op is ItemOp.INSERT else length - 1
    if not 0 <= step.index <= limit:
        raise HistoryError(
            f"{step.op.value} at {step.index} does not fit {step.collection} "
            f"(ip {step.ip_index}) of length {length}"
        )
    if step.op is not ItemOp.DELETE and step.item is None:
        raise HistoryError(f"{step.op.value} on {step.collection} needs an item")


def _replace_definition(defn: NetworkDef, step: EditStep) -> None:
    """Make ``defn`` (in place, it is referenced from a state) a copy of the step's definition."""
    if step.op is not ItemOp.REPLACE or not isinstance(step.item, NetworkDef):
        raise HistoryError("a definition can only be replaced, by a definition")
    replacement = copy_definition(step.item)
    for name in _DEFINITION_FIELDS:
        setattr(defn, name, getattr(replacement, name))


_DEFINITION_FIELDS = tuple(f.name for f in fields(NetworkDef))


def _apply_slot(defn: NetworkDef, step: EditStep) -> None:
    """A slot is only ever emptied (the copy dropped its value)."""
    _check_position(step, 0 if slot_value(defn, step.collection, step.ip_index) is None else 1)
    if step.op is not ItemOp.DELETE:
        raise HistoryError(f"{step.collection} can only be deleted")
    clear_slot(defn, step.collection, step.ip_index)
