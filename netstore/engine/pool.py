"""The ``<forward>`` device pool through libvirt's format-and-parse copy.

The formatter writes no ``<forward>`` at all for mode ``none``; writes the
``<pf>`` and, unless formatting INACTIVE with a ``<pf>``, the pool; and puts
``dev=`` on ``<forward>`` when there is no ``<pf>`` and the first pool entry
is an interface.  The parser then keeps the interfaces if there are any, else
the PCI addresses, else the ``<pf>``.  :func:`survivors` computes what a copy
keeps; :func:`copy_steps` turns the losses into steps; :func:`check_after_edit`
raises the errors the parser gives for an edited pool.
"""

from __future__ import annotations

from netstore.engine import lookup
from netstore.engine.steps import EditStep
from netstore.errors import xml_error
from netstore.model.collections import FORWARD_INTERFACE, FORWARD_PF
from netstore.model.types import Forward, ForwardIface, NetworkDef
from netstore.state import ItemOp

L3_MODES = ("nat", "route", "open")


def written_pool(forward: Forward, ifaces: list, inactive: bool) -> list:
    """The pool entries the formatter writes."""
    if forward.mode == "none" or (forward.pfs and inactive):
        return []
    return ifaces


def survivors(forward: Forward, ifaces: list, inactive: bool) -> tuple[list, list]:
    """(pool, pfs) after formatting and parsing again."""
    if forward.mode == "none":
        return [], []
    pool = written_pool(forward, ifaces, inactive)
    netdevs = [entry for entry in pool if entry.is_netdev]
    if netdevs:
        return netdevs, []
    if pool:
        return list(pool), []
    return [], list(forward.pfs)


def copy_steps(defn: NetworkDef, inactive: bool) -> list[EditStep]:
    """Steps turning the pool into what libvirt's copy of ``defn`` holds."""
    forward = defn.forward
    if not forward.ifaces and not forward.pfs:
        return []
    pool, pfs = survivors(forward, forward.ifaces, inactive)
    steps = _deletions(FORWARD_INTERFACE, forward.ifaces, pool)
    steps += _deletions(FORWARD_PF, forward.pfs, pfs)
    for position, entry in enumerate(pool):
        if lookup.iface_is_lossy(entry):
            clean = ForwardIface(dev=_attribute_value(entry.dev))
            steps.append(EditStep(FORWARD_INTERFACE, 0, ItemOp.REPLACE, position, clean))
    return steps


def _deletions(collection: str, items: list, kept: list) -> list[EditStep]:
    kept_ids = {id(item) for item in kept}
    return [
        EditStep(collection, 0, ItemOp.DELETE, position, None)
        for position in reversed(range(len(items)))
        if id(items[position]) not in kept_ids
    ]


def _attribute_value(text: str) -> str:
    """What an XML parser reads back from an attribute written with raw TAB/LF/CR."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\n", " ").replace("\t", " ")


def check_after_edit(defn: NetworkDef, ifaces: list, inactive: bool) -> None:
    """The parser's errors for ``defn`` with its pool replaced by ``ifaces``."""
    forward = defn.forward
    if forward.mode == "none":
        return
    written = written_pool(forward, ifaces, inactive)
    dev_attribute = not forward.pfs and written and written[0].is_netdev and written[0].dev
    if dev_attribute and any(not entry.is_netdev for entry in written):
        raise xml_error(
            "the <forward> 'dev' attribute cannot be used when <address> or <pf> "
            "sub-elements are present in network %s"
        )
    pool, pfs = survivors(forward, ifaces, inactive)
    _check_mode(defn, len(pool), len(pfs))


def _check_mode(defn: NetworkDef, nifs: int, npfs: int) -> None:
    mode, name = defn.forward.mode, defn.name
    if mode in L3_MODES:
        if nifs > 1:
            raise xml_error(
                f"multiple forwarding interfaces specified for network '{name}', only one is supported"
            )
        if mode == "open" and nifs:
            raise xml_error(f"forward dev not allowed for network '{name}' with forward mode='{mode}'")
    elif defn.bridge.name is not None and (nifs or npfs):
        raise xml_error(
            f"A network with forward mode='{mode}' can specify a bridge name or a forward dev, "
            f"but not both (network '{name}')"
        )
