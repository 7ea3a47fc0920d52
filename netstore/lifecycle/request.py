"""A define/create request: the XML as given, parsed once, and the XML its event records.

The event records the canonical INACTIVE XML of the final definition (with
the generated uuid, bridge name and MAC written in), which the fold parses
back.  Some definitions do not survive libvirt's format-and-parse: values
written raw (``delay='-1'``, unescaped ``&`` or ``'``), a ``<bootp>`` whose
``<dhcp>`` is not written, ... .  libvirt keeps them as parsed until its
first copy, so their event records the caller's document instead, with the
generated values written into it, which parses back to the same definition.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from netstore.engine import roundtrip
from netstore.errors import libvirtError
from netstore.model.format import format_network
from netstore.model.parse_network import parse_network_xml
from netstore.model.types import NetworkDef
from netstore.model.xmlinput import parse_document

DOCUMENT_URL = "(network_definition)"


@dataclass(frozen=True, slots=True)
class DefinitionRequest:
    xml: str
    parsed: NetworkDef

    @property
    def name(self) -> str:
        return self.parsed.name


def parse_request(xml: str) -> DefinitionRequest:
    """Parse a whole ``<network>`` document (libvirt's parse errors come first)."""
    return DefinitionRequest(xml, parse_network_xml(xml))


def event_xml(request: DefinitionRequest, defn: NetworkDef) -> str:
    """The XML a define/create event records for the decided definition ``defn``."""
    if _survives_copy(defn):
        return format_network(defn, inactive=True)
    root = parse_document(request.xml, DOCUMENT_URL)
    _set_text(_first_child(root, "uuid"), defn.uuid)
    if defn.bridge.name is not None:
        _first_child(root, "bridge").set("name", defn.bridge.name)
    if defn.mac is not None:
        _first_child(root, "mac").set("address", defn.mac)
    return etree.tostring(root, encoding="unicode")


def _survives_copy(defn: NetworkDef) -> bool:
    """Whether libvirt's format-and-parse copy gives back ``defn`` unchanged."""
    if defn.needs_roundtrip:
        return False
    try:
        return not roundtrip.copy_steps(defn, inactive=True)
    except libvirtError:  # e.g. a native vlan id listed twice: libvirt defines it, fails at start
        return False


def _first_child(root: etree._Element, tag: str) -> etree._Element:
    found = root.find(tag)
    return found if found is not None else etree.SubElement(root, tag)


def _set_text(element: etree._Element, text: str) -> None:
    for child in list(element):
        element.remove(child)
    element.text = text
