"""Hardened XML input: libvirt's virXMLParse, minus everything dangerous.

libvirt parses with libxml2 (``XML_PARSE_NONET``, blanks removed for whole
definitions) and reads every document as UTF-8 whatever its declaration says.
netstore does the same through lxml, and is deliberately stricter:

* documents larger than :data:`MAX_DOCUMENT_BYTES` are refused before any
  parsing (libvirt's RPC layer has the same 4 MiB string limit);
* a ``<!DOCTYPE>`` (and with it every entity declaration) is refused instead
  of expanded, so billion-laughs and external entities never reach libxml2's
  entity code; no DTD is loaded and no file or network access happens;
* NUL bytes and text that is not valid UTF-8 are refused.

A document that is not well formed gives libvirt's 35 error text
``URL:LINE: <libxml2 message>\\n<source line>\\n<pointer>``.
"""

from __future__ import annotations

import re
import threading
from typing import Optional, Union, cast

from lxml import etree

from netstore.errors import (
    VIR_ERR_XML_ERROR,
    VIR_FROM_NETWORK,
    VIR_FROM_XML,
    libvirtError,
    xml_detail,
    xml_error,
)
from netstore.model.values import UINT_MAX, parse_tristate, parse_unsigned

DEFINITION_URL = "(network_definition)"
UPDATE_URL = "network_update_xml"
MAX_DOCUMENT_BYTES = 4 * 1024 * 1024

_PROLOG_SKIP = re.compile(rb"\s+|<\?.*?\?>|<!--.*?-->", re.DOTALL)
_BOM = b"\xef\xbb\xbf"
_EOL = b"\n\r"
_DOCTYPE = b"<!DOCTYPE"


def parse_document(xml: Union[str, bytes], url: str) -> etree._Element:
    """Parse ``xml`` safely and return its root element.

    ``url`` names the document in error messages: :data:`DEFINITION_URL` for
    whole networks, :data:`UPDATE_URL` for virNetworkUpdate fragments (which
    libvirt parses with blank text kept).
    """
    data = _as_bytes(xml, url)
    _refuse_nul(data, url)
    may_declare = _DOCTYPE in data  # read as UTF-8 always, a DOCTYPE can only be spelled so
    if may_declare:
        _refuse_doctype(data, url)
    root = _parse(data, url, remove_blank_text=url != UPDATE_URL)
    if may_declare and root.getroottree().docinfo.internalDTD is not None:
        raise _doctype_error(url)
    return root


def _as_bytes(xml: Union[str, bytes], url: str) -> bytes:
    if isinstance(xml, str):
        _check_size(len(xml), url)
        try:
            data = xml.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise _not_utf8(xml, exc.start, url) from None
    elif isinstance(xml, (bytes, bytearray, memoryview)):
        data = bytes(xml)
    else:
        raise xml_error(f"{url}: expected XML text, got {type(xml).__name__}")
    _check_size(len(data), url)
    return data


def _not_utf8(xml: str, start: int, url: str) -> libvirtError:
    """libxml2's report for text that cannot be UTF-8 (here: lone surrogates)."""
    data = xml.encode("utf-8", "surrogatepass")
    offset = len(xml[:start].encode("utf-8", "surrogatepass"))
    shown = " ".join(f"0x{byte:02X}" for byte in data[offset : offset + 4])
    message = f"Input is not proper UTF-8, indicate encoding !\nBytes: {shown}"
    return _located_error(data, offset, url, message)


def _check_size(size: int, url: str) -> None:
    if size > MAX_DOCUMENT_BYTES:
        raise xml_error(
            f"document {url} is too large ({size} bytes; at most {MAX_DOCUMENT_BYTES} are accepted)"
        )


def _refuse_nul(data: bytes, url: str) -> None:
    offset = data.find(b"\x00")
    if offset >= 0:
        raise _located_error(data, offset, url, "Char 0x0 out of allowed range")


def _refuse_doctype(data: bytes, url: str) -> None:
    """Look for a DOCTYPE in the prolog (the only place one may appear)."""
    pos = len(_BOM) if data.startswith(_BOM) else 0
    while True:
        match = _PROLOG_SKIP.match(data, pos)
        if match is None:
            break
        pos = match.end()
    if data.startswith(_DOCTYPE, pos):
        raise _doctype_error(url)


def _doctype_error(url: str) -> libvirtError:
    return xml_error(f"{url}: DOCTYPE and entity declarations are not supported")


class _ThreadParsers(threading.local):
    """Each thread's parsers, one per option set: building a parser costs more than
    parsing an update fragment, and a parser (with its error log, cleared at every
    parse) must not be shared between threads."""

    def __init__(self) -> None:
        self.by_options: dict[tuple[bool, bool], etree.XMLParser] = {}


_PARSERS = _ThreadParsers()


def _parser(remove_blank_text: bool, recover: bool) -> etree.XMLParser:
    parsers = _PARSERS.by_options
    parser = parsers.get((remove_blank_text, recover))
    if parser is None:
        parser = parsers[remove_blank_text, recover] = _new_parser(remove_blank_text, recover)
    return parser


def _new_parser(remove_blank_text: bool, recover: bool) -> etree.XMLParser:
    return etree.XMLParser(
        encoding="UTF-8",
        remove_blank_text=remove_blank_text,
        no_network=True,
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        attribute_defaults=False,
        huge_tree=False,
        strip_cdata=False,
        recover=recover,
    )


def _parse(data: bytes, url: str, remove_blank_text: bool) -> etree._Element:
    parser = _parser(remove_blank_text, recover=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        root = _parse_after_errors(data, url, parser.error_log, remove_blank_text)
    if root is None:
        raise _unparsable()
    return root


def _parse_after_errors(
    data: bytes, url: str, log: etree._ListErrorLog, remove_blank_text: bool
) -> etree._Element:
    """libxml2 fails a document on its first fatal error only; namespace errors
    (an undeclared prefix, an empty namespace name) leave it usable."""
    for entry in log:
        if entry.level == etree.ErrorLevels.FATAL:
            offset = _offset(data, entry.line, entry.column)
            raise _located_error(data, offset, url, entry.message, entry.line)
    if any(
        entry.level >= etree.ErrorLevels.ERROR and entry.domain != etree.ErrorDomains.NAMESPACE
        for entry in log
    ):
        raise _unparsable()
    return etree.fromstring(data, _parser(remove_blank_text, recover=True))


def _unparsable() -> libvirtError:
    """libvirt's report when libxml2 gives up without a fatal error of its own."""
    return libvirtError(VIR_ERR_XML_ERROR, "failed to parse xml document '[inline data]'", VIR_FROM_NETWORK)


def _offset(data: bytes, line: int, column: int) -> int:
    """Byte offset of libxml2's (line, column); lines end at LF, columns count characters."""
    start = 0
    for _ in range(max(line, 1) - 1):
        nl = data.find(b"\n", start)
        if nl < 0:
            return len(data)
        start = nl + 1
    chars = max(column, 1) - 1
    window = data[start : start + 4 * chars].decode("utf-8", "surrogateescape")[:chars]
    return start + len(window.encode("utf-8", "surrogateescape"))


def _located_error(
    data: bytes, offset: int, url: str, message: str, line: int = 0
) -> libvirtError:
    context, pointer = _context(data, offset)
    line = line or data.count(b"\n", 0, offset) + 1
    return xml_detail(f"{url}:{line}: {message}\n{context}\n{pointer}")


def _context(data: bytes, cur: int) -> tuple[str, str]:
    """The source line around ``cur`` and a pointer under ``cur``, as libvirt's
    catchXMLError draws them: blank line ends are stepped back over, tabs are
    kept in the pointer, and every other byte becomes one '-'."""
    origin = cur
    if cur < len(data) and data[cur] in _EOL:
        cur = max(len(data[: cur + 1].rstrip(_EOL)) - 1, 0)
    start = max(data.rfind(b"\n", 0, cur + 1), data.rfind(b"\r", 0, cur + 1)) + 1
    end = min(_find_or_end(data, stop, start) for stop in (b"\n", b"\r", b"\x00"))
    line = data[start:end]
    if not line:
        return "(null)", "^"
    marks = bytes(0x09 if b == 0x09 else 0x2D for b in line[: max(origin - start, 0)])
    return line.decode("utf-8", "replace"), marks.decode("ascii") + "^"


def _find_or_end(data: bytes, needle: bytes, start: int) -> int:
    found = data.find(needle, start)
    return len(data) if found < 0 else found


# ---------------------------------------------------------------------------
# libvirt's ways of reading a parsed document (virxml.c), shared by the parsers.
# ---------------------------------------------------------------------------


def local_name(node: etree._Element) -> str:
    """libxml2's ``node->name``: the tag without its namespace."""
    tag = node.tag
    return tag.rpartition("}")[2] if tag[:1] == "{" else tag


def element_children(node: etree._Element, name: str) -> list[etree._Element]:
    """Child elements whose local name is ``name``, any namespace (virXMLNodeNameEqual)."""
    return [
        child for child in node if isinstance(child.tag, str) and local_name(child) == name
    ]


def text_content(node: etree._Element) -> str:
    """XPath ``string()`` of an element: the text of all its descendants, comments excluded."""
    return "".join(cast("list[str]", node.itertext()))


def xpath_attr(node: Optional[etree._Element], name: str) -> Optional[str]:
    """XPath ``string(./@name)``: a no-namespace attribute; an empty value counts as absent."""
    if node is None:
        return None
    return node.get(name) or None


def prop(node: Optional[etree._Element], name: str) -> Optional[str]:
    """virXMLPropString (xmlGetProp): the first attribute with that local name, any
    namespace; an empty value is a value."""
    if node is None:
        return None
    for key, value in cast("list[tuple[str, str]]", node.items()):
        if key == name or (key[:1] == "{" and key.rpartition("}")[2] == name):
            return value
    return None


def attributes(node: etree._Element) -> dict[str, str]:
    """:func:`prop` for every attribute at once: each local name, with its first value."""
    found: dict[str, str] = {}
    for key, value in cast("list[tuple[str, str]]", node.items()):
        if key[:1] == "{":
            key = key.rpartition("}")[2]
        found.setdefault(key, value)
    return found


def _invalid_value(node: etree._Element, name: str, value: str, suffix: str = "") -> libvirtError:
    return xml_error(
        f"Invalid value for attribute '{name}' in element '{local_name(node)}': '{value}'.{suffix}",
        VIR_FROM_XML,
    )


def tristate_prop(node: Optional[etree._Element], name: str) -> Optional[bool]:
    """virXMLPropTristateBool: exactly ``yes``/``no``; anything else is 27/5."""
    if node is None:
        return None
    value = prop(node, name)
    if value is None:
        return None
    parsed = parse_tristate(value)
    if parsed is None:
        raise _invalid_value(node, name, value)
    return parsed


def enum_prop(node: etree._Element, name: str, allowed: tuple[str, ...]) -> Optional[str]:
    """virXMLPropEnum: one of ``allowed`` (case-sensitive) or None when absent; else 27/5."""
    value = prop(node, name)
    if value is None:
        return None
    if value not in allowed:
        raise _invalid_value(node, name, value)
    return value


def uint_prop(
    node: etree._Element,
    name: str,
    base: int = 10,
    limit: int = UINT_MAX,
    nonzero: bool = False,
) -> Optional[int]:
    """virXMLPropUInt / virXMLPropULongLong: no sign but '+', leading blanks allowed."""
    value = prop(node, name)
    if value is None:
        return None
    parsed = parse_unsigned(value, base, limit)
    if parsed is None:
        raise _invalid_value(node, name, value, " Expected non-negative integer value")
    if nonzero and parsed == 0:
        raise xml_error(
            f"Invalid value for attribute '{name}' in element '{local_name(node)}': "
            "Zero is not permitted",
            VIR_FROM_XML,
        )
    return parsed
