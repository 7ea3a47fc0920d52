"""What every section handler receives, and the errors the sections share.

A :class:`Request` is one parsed update aimed at one definition: the
*working* definition (the network as libvirt's format-and-parse copy sees it,
see :mod:`netstore.engine.roundtrip`), the command, parentIndex and the root
element of the update XML.  Handlers read it and return the edit as
:class:`~netstore.engine.steps.EditStep`s; they never change the definition.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from netstore.constants import Command
from netstore.engine.steps import EditStep
from netstore.errors import libvirtError, operation_unsupported, xml_error
from netstore.model.types import NetworkDef
from netstore.model.xmlinput import UPDATE_URL, local_name, parse_document
from netstore.projector.state import ItemOp

ADD_COMMANDS = (Command.ADD_FIRST, Command.ADD_LAST)


class UpdateFragment:
    """The update XML, parsed on first use and then shared.

    A LIVE|CONFIG update plans the same XML against two definitions; handing both
    plans one fragment parses it once.  Parsing stays lazy so that errors keep
    libvirt's order (a failing copy of the definition comes before a bad XML).
    Handlers only read the parsed element.
    """

    __slots__ = ("xml", "_node")

    def __init__(self, xml: str | bytes) -> None:
        self.xml = xml
        self._node: etree._Element | None = None

    def node(self) -> etree._Element:
        if self._node is None:
            self._node = parse_document(self.xml, UPDATE_URL)
        return self._node


@dataclass(frozen=True, slots=True)
class Request:
    defn: NetworkDef
    command: int
    parent_index: int
    node: etree._Element

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
