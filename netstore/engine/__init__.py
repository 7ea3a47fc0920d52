"""The update engine: libvirt 9.0.0's virNetworkDefUpdateSection, pure and O(1).

:func:`plan_update` decides what an update does to one definition, as
:class:`EditStep`s (or raises libvirt's error); :func:`apply_steps` makes the
edit (the projector replays the same steps from the stored event);
:func:`apply_update` does both on a copy.  One module per section, as in
libvirt's network_conf.c; :mod:`.roundtrip` emulates the format-and-parse
copies around the edit and :mod:`.lookup` keeps the match indexes.
"""

from __future__ import annotations

from typing import Union

from netstore.constants import Command, Section
from netstore.engine.dispatch import plan_update
from netstore.engine.request import UpdateFragment
from netstore.engine.steps import EditStep, apply_steps
from netstore.model.codec import copy_definition
from netstore.model.types import NetworkDef

__all__ = ["EditStep", "UpdateFragment", "apply_steps", "apply_update", "plan_update"]


def apply_update(
    defn: NetworkDef,
    command: Union[int, Command],
    section: Union[int, Section],
    parent_index: int,
    xml: Union[str, bytes],
    *,
    inactive: bool = False,
) -> NetworkDef:
    """A copy of ``defn`` with the update applied (``defn`` itself is untouched)."""
    copy = copy_definition(defn)
    apply_steps(copy, plan_update(copy, command, section, parent_index, xml, inactive=inactive))
    return copy
