"""The network definition model: parse, validate and format ``<network>`` XML
exactly as libvirt 9.0.0 does.  It knows nothing of events or databases."""

from __future__ import annotations

from typing import Union

from netstore.model.format import format_network
from netstore.model.parse_network import parse_network_element, parse_network_xml
from netstore.model.types import NetworkDef
from netstore.model.xmlinput import parse_document

__all__ = [
    "NetworkDef",
    "canonical_xml",
    "format_network",
    "parse_document",
    "parse_network_element",
    "parse_network_xml",
]


def canonical_xml(xml: Union[str, bytes], inactive: bool = False) -> str:
    """libvirt's formatted XML for ``xml``: ``format_network(parse_network_xml(xml))``."""
    return format_network(parse_network_xml(xml), inactive)
