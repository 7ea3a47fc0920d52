"""``<metadata>``: capture the subtree the way libvirt 9.0.0 keeps and prints it.

libvirt deep-copies the first ``<metadata>`` (``xmlCopyNode``), sanitises its
namespaces (``virXMLNodeSanitizeNamespaces``) and later prints it with libxml2's
``xmlNodeDump(level=1, format=1)``.  lxml runs on libxml2, so copying,
sanitising and pretty-printing the copy under a dummy parent reproduces that
text, with two corrections for the libxml2 2.9 serialiser libvirt 9.0.0 runs
on (newer libxml2, as bundled with lxml, differs there): non-ASCII characters in
attribute values are written as ``&#xHEX;`` references (but kept as they are in
namespace declarations), and ``&`` in a namespace URI as ``&#38;``.

The document the node comes from must be parsed the way libvirt parses it:
``remove_blank_text=True`` (``xmlKeepBlanksDefault(0)``) and
``strip_cdata=False``.

The returned string is what ``NetworkDef.metadata`` stores: the element as
``xmlNodeDump`` writes it, **without** the buffer's leading 2-space indent and
**without** a trailing newline; the formatter writes ``"  " + metadata + "\\n"``.
"""

from __future__ import annotations

import re
from copy import deepcopy

from lxml import etree

_WRAPPER_HEAD = "<w>\n  "
_WRAPPER_TAIL = "\n</w>\n"

# Comments, CDATA and processing instructions are skipped whole; start tags are rewritten.
_MARKUP = re.compile(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<[^!?/][^>]*>", re.S)
_ATTRIBUTE = re.compile(r'(\s)([^\s=]+)="([^"]*)"')
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _namespace(node: etree._Element) -> str | None:
    tag = node.tag
    if not isinstance(tag, str) or not tag.startswith("{"):
        return None
    return tag[1 : tag.index("}")]


def _sanitize(node: etree._Element) -> None:
    """Drop direct children with no namespace and repeats of a namespace already kept."""
    node.text = None
    seen: set[str] = set()
    for child in list(node):
        uri = _namespace(child)
        if uri is None or uri in seen:
            node.remove(child)
            continue
        seen.add(uri)
        child.tail = None


def _char_reference(match: re.Match[str]) -> str:
    return f"&#x{ord(match.group(0)):X};"


def _libxml29_attribute(match: re.Match[str]) -> str:
    space, name, value = match.groups()
    if name == "xmlns" or name.startswith("xmlns:"):
        value = value.replace("&amp;", "&#38;")  # namespace URIs keep non-ASCII as is
    else:
        value = _NON_ASCII.sub(_char_reference, value)
    return f'{space}{name}="{value}"'


def _libxml29_markup(match: re.Match[str]) -> str:
    markup = match.group(0)
    if markup[1] in "!?":
        return markup
    return _ATTRIBUTE.sub(_libxml29_attribute, markup)


def capture_metadata(node: etree._Element) -> str:
    """The serialised ``<metadata>`` element as libvirt will format it (see module doc)."""
    copy = deepcopy(node)
    copy.tail = None
    _sanitize(copy)
    wrapper = etree.Element("w")
    wrapper.append(copy)
    text = etree.tostring(wrapper, pretty_print=True, encoding="unicode")
    text = text[len(_WRAPPER_HEAD) : -len(_WRAPPER_TAIL)]
    if text.isascii() and "&amp;" not in text:
        return text
    return _MARKUP.sub(_libxml29_markup, text)
