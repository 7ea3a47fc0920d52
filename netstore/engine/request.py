"""What every section handler receives, and the errors the sections share.

A :class:`Request` is one parsed update aimed at one definition: the
*working* definition (the network as libvirt's format-and-parse copy sees it,
see :mod:`netstore.engine.roundtrip`), the command, parentIndex and the update
XML (``fragment``, and its root element ``node``).  Handlers read it and return the edit as
:class:`~netstore.engine.steps.EditStep`s; they never change the definition.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, NamedTuple, TypeVar

from lxml import etree

from netstore.constants import Command
from netstore.engine.steps import EditStep
from netstore.errors import libvirtError, operation_unsupported, xml_error
from netstore.model.types import NetworkDef
from netstore.model.xmlinput import UPDATE_URL, local_name, parse_document
from netstore.state import ItemOp

ADD_COMMANDS = (Command.ADD_FIRST, Command.ADD_LAST)
T = TypeVar("T")
_UNPARSED = object()


class UpdateFragment:
    """The update XML, parsed on first use and then shared.

    A LIVE|CONFIG update plans the same XML against two definitions; handing both
    plans one fragment parses it once, and :meth:`item` builds the section's item
    from it once.  Parsing stays lazy so that errors keep libvirt's order (a
    failing copy of the definition comes before a bad XML).  Handlers only read
    the parsed element.
    """

    __slots__ = ("xml", "_node", "_items")

    def __init__(self, xml: str | bytes) -> None:
        self.xml = xml
        self._node: etree._Element | None = None
        self._items: dict[Hashable, Any] = {}

    def node(self) -> etree._Element:
        if self._node is None:
            self._node = parse_document(self.xml, UPDATE_URL)
        return self._node

    def item(self, key: Hashable, parse: Callable[[], T]) -> T:
        """``parse()``, run once per ``key``: ``key`` must name every input of the parse
        but this XML.  Both plans then share the item (items are never changed)."""
        item = self._items.get(key, _UNPARSED)
        if item is _UNPARSED:
            item = self._items[key] = parse()
        return item


class Request(NamedTuple):
    defn: NetworkDef
    command: int
    parent_index: int
    node: etree._Element  # the root element of ``fragment``
    fragment: UpdateFragment

    @property
    def netname(self) -> str:
        return self.defn.name

    @property
    def is_add(self) -> bool:
        return self.command in ADD_COMMANDS

    def insert(self, collection: str, items: list, item: object, ip_index: int = 0) -> tuple[EditStep]:
        """The step that adds ``item`` first (ADD_FIRST) or last (ADD_LAST) to ``items``."""
        position = 0 if self.command == Command.ADD_FIRST else len(items)
        return (EditStep(collection, ip_index, ItemOp.INSERT, position, item),)


def replace(collection: str, position: int, item: object, ip_index: int = 0) -> tuple[EditStep]:
    return (EditStep(collection, ip_index, ItemOp.REPLACE, position, item),)


def delete(collection: str, position: int, ip_index: int = 0) -> tuple[EditStep]:
    return (EditStep(collection, ip_index, ItemOp.DELETE, position, None),)


def check_element(req: Request, expected: str) -> None:
    """virNetworkDefUpdateCheckElementName: the local name, case-sensitive."""
    if req.node.tag == expected:  # no namespace: the tag is the local name
        return
    name = local_name(req.node)
    if name != expected:
        raise xml_error(
            f"unexpected element <{name}>, expecting <{expected}>, "
            f"while updating network '{req.netname}'"
        )


def unknown_command(command: int) -> libvirtError:
    """virNetworkDefUpdateUnknownCommand (libvirt prints the unsigned code with %d)."""
    code = (command + (1 << 31)) % (1 << 32) - (1 << 31)
    return operation_unsupported(f"unrecognized network update command code {code}")


def c_string(value: object) -> str:
    """A possibly-NULL string as glibc's printf("%s") writes it."""
    return "(null)" if value is None else str(value)
