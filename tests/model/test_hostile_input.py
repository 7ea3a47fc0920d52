"""Hostile documents are refused before libxml2 can do anything expensive or
reach outside: no entity is ever expanded, no DTD or external resource is
loaded, and oversize input never reaches the parser at all."""

from __future__ import annotations

import pytest

from netstore.errors import libvirtError
from netstore.model import xmlinput
from netstore.model.parse_network import parse_network_xml
from netstore.model.xmlinput import DEFINITION_URL, UPDATE_URL, parse_document

BILLION_LAUGHS = (
    "<?xml version='1.0'?>\n<!DOCTYPE network [\n <!ENTITY lol 'lol'>\n"
    + "".join(
        f" <!ENTITY lol{i} '{('&lol' + (str(i - 1) if i > 1 else '') + ';') * 10}'>\n"
        for i in range(1, 10)
    )
    + "]>\n<network><name>&lol9;</name></network>"
)
EXTERNAL_FILE = (
    "<!DOCTYPE network [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
    "<network><name>&x;</name></network>"
)
EXTERNAL_HTTP = (
    "<!DOCTYPE network [<!ENTITY x SYSTEM 'http://example.invalid/x'>]>"
    "<network><name>&x;</name></network>"
)
PARAMETER_ENTITIES = (
    "<!DOCTYPE network [<!ENTITY % a 'x'><!ENTITY % b '%a;%a;%a;%a;'>%b;]>"
    "<network><name>x</name></network>"
)
EXTERNAL_DTD = "<!DOCTYPE network SYSTEM 'http://example.invalid/network.dtd'><network><name>x</name></network>"
AFTER_PROLOG = (
    "\ufeff<?xml version='1.0'?>\n<!-- c -->\n<?pi x?>\n <!DOCTYPE network>\n"
    "<network><name>x</name></network>"
)


@pytest.fixture
def parser_never_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the document reached the XML parser")

    monkeypatch.setattr(xmlinput, "_parse", refuse)


def _refusal(xml: object, url: str = DEFINITION_URL) -> libvirtError:
    with pytest.raises(libvirtError) as caught:
        parse_document(xml, url)  # type: ignore[arg-type]
    return caught.value


@pytest.mark.parametrize("xml", [
    BILLION_LAUGHS, EXTERNAL_FILE, EXTERNAL_HTTP, PARAMETER_ENTITIES, EXTERNAL_DTD, AFTER_PROLOG,
])
@pytest.mark.parametrize("url", [DEFINITION_URL, UPDATE_URL])
def test_doctype_is_refused_unparsed(xml: str, url: str, parser_never_runs: None) -> None:
    error = _refusal(xml, url)
    assert (error.code, error.domain) == (27, 19)
    assert error.message == f"XML error: {url}: DOCTYPE and entity declarations are not supported"
    with pytest.raises(libvirtError):
        parse_document(xml.encode("utf-8"), url)


def test_doctype_found_by_the_parser_is_refused_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xmlinput, "_refuse_doctype", lambda _data, _url: None)
    for xml in (BILLION_LAUGHS, EXTERNAL_FILE, EXTERNAL_DTD):
        assert _refusal(xml).code in (27, 35)


def test_doctype_text_inside_a_comment_is_harmless() -> None:
    root = parse_document("<!-- <!DOCTYPE x> --><network><name>x</name></network>", DEFINITION_URL)
    assert root.findtext("name") == "x"


def test_a_network_with_entities_is_refused_whole() -> None:
    with pytest.raises(libvirtError) as caught:
        parse_network_xml(BILLION_LAUGHS)
    assert caught.value.code == 27


@pytest.mark.parametrize("as_bytes", [False, True])
def test_ten_megabytes_never_reach_the_parser(as_bytes: bool, parser_never_runs: None) -> None:
    document = "<network><name>x</name><!--" + "x" * (10 * 1024 * 1024) + "--></network>"
    error = _refusal(document.encode() if as_bytes else document)
    assert (error.code, error.domain) == (27, 19)
    assert "too large" in error.message


def test_size_limit_boundary(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xmlinput, "MAX_DOCUMENT_BYTES", 64)
    fits = "<n>" + "x" * 57 + "</n>"
    assert len(fits) == 64
    assert parse_document(fits, DEFINITION_URL).text == "x" * 57
    assert _refusal(fits.replace("<n>", "<n >")).code == 27
    multibyte = "<n>" + "\u00e9" * 29 + "</n>"
    assert len(multibyte) < 64 < len(multibyte.encode())
    assert _refusal(multibyte).code == 27


@pytest.mark.parametrize("document", [
    b"<network><name>x\x00y</name></network>",
    "<network><name>x\x00y</name></network>",
    "<network><name>x</name></network>\x00<!DOCTYPE x [<!ENTITY a 'b'>]>",
])
def test_nul_bytes_are_refused_unparsed(document: object, parser_never_runs: None) -> None:
    error = _refusal(document)
    assert (error.code, error.domain) == (35, 19)
    assert error.message.startswith("(network_definition):1: Char 0x0 out of allowed range\n")


def test_invalid_utf8_is_refused() -> None:
    error = _refusal(b"<network><name>x\xff\xfey</name></network>")
    assert (error.code, error.domain) == (35, 19)
    assert error.message.startswith("(network_definition):1: ")
    assert error.message.endswith("\n" + "-" * 16 + "^")


def test_lone_surrogates_are_refused_unparsed(parser_never_runs: None) -> None:
    error = _refusal("<network>\n<name>x\udcff</name></network>")
    assert (error.code, error.domain) == (35, 19)
    assert error.message == (
        "(network_definition):2: Input is not proper UTF-8, indicate encoding !\n"
        "Bytes: 0xED 0xB3 0xBF 0x3C\n<name>x\ufffd\ufffd\ufffd</name></network>\n-------^"
    )


def test_excessive_nesting_is_refused() -> None:
    document = "<network><name>x</name>" + "<a>" * 300 + "</a>" * 300 + "</network>"
    error = _refusal(document)
    assert (error.code, error.domain) == (35, 19)
    assert "Excessive depth in document: 256" in error.message
