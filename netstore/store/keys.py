"""Sort keys: which ``projection_items`` row holds which list item.

Every item list of a definition (DHCP hosts of the 2nd ``<ip>``, portgroups,
...) is stored as rows ordered by an integer ``sort_key``.  :class:`SortKeys`
keeps, per list, the keys in list order (ascending), parallel to the list in
the folded :class:`~netstore.state.NetworkState`, and turns the
fold's deltas into a :class:`RowPlan` -- the few rows one change must write.

Key assignment is a deterministic function of the deltas, so the incremental
writer, a rebuild and a process catching up by folding the same events all
arrive at the same keys:

* insert at the end: last key + 1; at the front: first key - 1; into an empty
  list: 0; between two keys: their midpoint, or -- when they are adjacent --
  the whole list is renumbered ``0..n-1`` (never happens for ADD_FIRST/ADD_LAST);
* a definition written as a whole (:class:`ScopeDelta`) is numbered ``0..n-1``.

Edits of ``forward-pf`` and ``bootp`` (parts of the base row, see
:mod:`netstore.model.collections`) rewrite the base row instead, and the
engine's ``definition`` edit (the whole definition replaced) is numbered and
written whole, as a :class:`ScopeDelta` is.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Optional

from netstore.model.collections import BASE_COLLECTIONS, DEFINITION, items_of
from netstore.state import (
    Delta,
    ItemDelta,
    ItemOp,
    NetworkState,
    Scope,
    ScopeDelta,
)
from netstore.store.items import item_lists

ListKey = tuple[str, str, int]  # (scope, collection, ip_index)


@dataclass(slots=True)
class RowPlan:
    """The projection rows one change touches."""

    scopes: set[str] = field(default_factory=set)  # definitions rewritten whole
    bases: set[str] = field(default_factory=set)  # base rows rewritten (forward-pf / bootp edits)
    lists: set[ListKey] = field(default_factory=set)  # lists renumbered and rewritten
    items: dict[tuple[ListKey, int], bool] = field(default_factory=dict)  # key -> row existed before


@dataclass(slots=True)
class SortKeys:
    lists: dict[ListKey, list[int]] = field(default_factory=dict)

    def apply(self, deltas: Iterable[Delta], state: NetworkState) -> RowPlan:
        """Follow ``deltas`` (already applied to ``state``); return the rows to write."""
        plan = RowPlan()
        for delta in deltas:
            if isinstance(delta, ScopeDelta):
                plan.scopes.add(delta.scope._value_)
            elif isinstance(delta, ItemDelta):
                self._item(plan, (delta.scope._value_, delta.collection, delta.ip_index), delta.op, delta.index)
        self._renumber(plan, state)
        return plan

    def follow(self, live: Sequence[Mapping[str, Any]], config: Sequence[Mapping[str, Any]],
               state: NetworkState) -> None:
        """The keys :meth:`apply` leaves for an update, when no rows are written (replays).

        ``live`` and ``config`` are the effects :func:`~netstore.projector.fold.apply_update`
        applied to ``state`` (one list when they apply to both copies); their fields are
        those of the deltas apply_change returns.
        """
        if config is live:  # the two scopes' lists are apart: following them in one pass is the same
            renumber = self._follow(_BOTH, live, None) if live else None
        else:
            renumber = self._follow(_LIVE, live, None) if live else None
            if config:
                renumber = self._follow(_CONFIG, config, renumber)
        if renumber is not None:
            self._renumber(renumber, state)

    def _follow(self, scopes: tuple[str, ...], effects: Iterable[Mapping[str, Any]],
                renumber: Optional[RowPlan]) -> Optional[RowPlan]:
        """:meth:`_item` for effects of ``scopes``, without item rows; returns what to renumber (None: nothing)."""
        for effect in effects:
            collection = effect["collection"]
            if collection in BASE_COLLECTIONS:
                continue
            ip_index, op, index = effect["ip_index"], effect["op"], effect["index"]
            for scope in scopes:
                lk = (scope, collection, ip_index)
                if renumber is not None and (scope in renumber.scopes or lk in renumber.lists):
                    continue
                if collection == DEFINITION:
                    renumber = renumber or RowPlan()
                    renumber.scopes.add(scope)
                elif self._edit(lk, op, index) is None:
                    renumber = renumber or RowPlan()
                    renumber.lists.add(lk)
        return renumber

    def index_of(self, lk: ListKey, key: int) -> int | None:
        """The list index holding ``key``, or None when the key is gone."""
        keys = self.lists.get(lk, ())
        index = bisect_left(keys, key)
        return index if index < len(keys) and keys[index] == key else None

    def reset_scope(self, state: NetworkState, scope: str) -> None:
        """Number every list of ``scope`` ``0..n-1`` (the definition was written whole)."""
        for lk in [lk for lk in self.lists if lk[0] == scope]:
            del self.lists[lk]
        definition = state.definition(Scope(scope))
        if definition is not None:
            for (collection, ip_index), items in item_lists(definition):
                self.lists[(scope, collection, ip_index)] = list(range(len(items)))

    def _item(self, plan: RowPlan, lk: ListKey, op: str, index: int) -> None:
        if lk[0] in plan.scopes or lk in plan.lists:
            return
        if lk[1] == DEFINITION:
            plan.scopes.add(lk[0])
            return
        if lk[1] in BASE_COLLECTIONS:
            plan.bases.add(lk[0])
            return
        key = self._edit(lk, op, index)
        if key is None:
            plan.lists.add(lk)
        else:
            plan.items.setdefault((lk, key), op != _INSERT)

    def _edit(self, lk: ListKey, op: str, index: int) -> int | None:
        """Follow one item edit of a list; the key of the row it touches (None: renumber the list)."""
        keys = self.lists.get(lk)
        if keys is None:
            keys = self.lists[lk] = []
        if op == _INSERT:
            key = _new_key(keys, index)
            if key is not None:
                keys.insert(index, key)
            return key
        if op == _DELETE:
            return keys.pop(index)
        return keys[index]

    def _renumber(self, plan: RowPlan, state: NetworkState) -> None:
        for scope in plan.scopes:
            self.reset_scope(state, scope)
        for lk in plan.lists:
            if lk[0] not in plan.scopes:
                self._renumber_list(lk, state)
        if plan.scopes or plan.lists:
            plan.items = {k: v for k, v in plan.items.items()
                          if k[0][0] not in plan.scopes and k[0] not in plan.lists}

    def _renumber_list(self, lk: ListKey, state: NetworkState) -> None:
        definition = state.definition(Scope(lk[0]))
        if definition is not None:
            self.lists[lk] = list(range(len(items_of(definition, lk[1], lk[2]))))


_INSERT, _DELETE = ItemOp.INSERT.value, ItemOp.DELETE.value  # ops compare as strings (ItemOp is a str enum)
_LIVE, _CONFIG = ("live",), ("config",)
_BOTH = _LIVE + _CONFIG


def _new_key(keys: list[int], index: int) -> int | None:
    if not keys:
        return 0
    if index >= len(keys):
        return keys[-1] + 1
    if index == 0:
        return keys[0] - 1
    low, high = keys[index - 1], keys[index]
    return (low + high) // 2 if high - low > 1 else None

