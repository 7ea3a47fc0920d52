"""Hardened XML input: libvirt's error text for documents that are not well
formed, update fragments, the encoding rule and the shared attribute readers.
The malformed-document table was recorded from libvirt 9.0.0 (test driver)."""

from __future__ import annotations

import pytest
from lxml import etree

from netstore.errors import libvirtError
from netstore.model.xmlinput import (
    DEFINITION_URL,
    UPDATE_URL,
    element_children,
    enum_prop,
    local_name,
    parse_document,
    prop,
    text_content,
    tristate_prop,
    uint_prop,
    xpath_attr,
)
from tests.model.parse_oracle import libvirt_outcome, netstore_outcome

MALFORMED = [
    ('<network><name>x</name>', '(network_definition):1: Premature end of data in tag network line 1\n<network><name>x</name>\n-----------------------^'),
    ('<network><name>x</name>\n', '(network_definition):2: Premature end of data in tag network line 1\n(null)\n^'),
    ('<network><name>x</name>\n\n\n', '(network_definition):4: Premature end of data in tag network line 1\n(null)\n^'),
    ('<network><name>x</name></network><x/>', '(network_definition):1: Extra content at the end of the document\n<network><name>x</name></network><x/>\n---------------------------------^'),
    ('', '(network_definition):1: Document is empty\n(null)\n^'),
    ('   ', "(network_definition):1: Start tag expected, '<' not found\n   \n---^"),
    ('\n', "(network_definition):2: Start tag expected, '<' not found\n(null)\n^"),
    ('\n\n  \n', "(network_definition):4: Start tag expected, '<' not found\n(null)\n^"),
    ('<network>\n  <name>x</name>\n  <uuid>abc</uuid\n</network>', "(network_definition):4: expected '>'\n</network>\n^"),
    ('<network><name>a&b</name></network>', "(network_definition):1: EntityRef: expecting ';'\n<network><name>a&b</name></network>\n------------------^"),
    ("<network><name>x</name><foo a='1' a='2'/></network>", "(network_definition):1: Attribute a redefined\n<network><name>x</name><foo a='1' a='2'/></network>\n---------------------------------------^"),
    ("<?xml version='1.0'?>\n<network>\n<name>x</nam>\n</network>", '(network_definition):3: Opening and ending tag mismatch: name line 3 and nam\n<name>x</nam>\n-------------^'),
    ('<network><name>&nbsp;</name></network>', "(network_definition):1: Entity 'nbsp' not defined\n<network><name>&nbsp;</name></network>\n---------------------^"),
    ('<network>\n\t<name>x</name>\n\t\t<bad attr=noquote/>\n</network>', '(network_definition):3: AttValue: " or \' expected\n\t\t<bad attr=noquote/>\n\t\t----------^'),
    ('\n\n\n<network><name>x</name><bad attr=noquote/></network>', '(network_definition):4: AttValue: " or \' expected\n<network><name>x</name><bad attr=noquote/></network>\n---------------------------------^'),
    ('<network>\n<name>x</name>\n<bad a=1/>\n</network>', '(network_definition):3: AttValue: " or \' expected\n<bad a=1/>\n-------^'),
    ('<network>\r\n<name>x</name>\r\n<bad a=1/>\r\n</network>', '(network_definition):3: AttValue: " or \' expected\n<bad a=1/>\n-------^'),
    ('<network><name>éé&b</name></network>', "(network_definition):1: EntityRef: expecting ';'\n<network><name>éé&b</name></network>\n---------------------^"),
    ('<network><name>日本&b</name></network>', "(network_definition):1: EntityRef: expecting ';'\n<network><name>日本&b</name></network>\n-----------------------^"),
    ('<network>\n<name>x</name>\n</network>\n<x/>\n', '(network_definition):4: Extra content at the end of the document\n<x/>\n^'),
    ('<network>\n<name>x</name>\n</network>\n\n\n<x/>', '(network_definition):6: Extra content at the end of the document\n<x/>\n^'),
    ('<network><name>x</name><!-- a -- b --></network>', '(network_definition):1: Double hyphen within comment: <!-- a \n<network><name>x</name><!-- a -- b --></network>\n------------------------------^'),
    ('<network><name>x</name><a>\n</b></network>', '(network_definition):2: Opening and ending tag mismatch: a line 1 and b\n</b></network>\n----^'),
    ('<network><name>x</name>\n<a>\n</b>\n</network>', '(network_definition):3: Opening and ending tag mismatch: a line 2 and b\n</b>\n----^'),
    ("<network a='<'/>", "(network_definition):1: Unescaped '<' not allowed in attributes values\n<network a='<'/>\n------------^"),
    ('<network>\t\t<bad a=1/></network>', '(network_definition):1: AttValue: " or \' expected\n<network>\t\t<bad a=1/></network>\n---------\t\t-------^'),
    ('<network>\n  <name>x\x01</name></network>', '(network_definition):2: PCDATA invalid Char value 1\n  <name>x\x01</name></network>\n---------^'),
    ('<network\n', "(network_definition):2: Couldn't find end of Start Tag network line 1\n(null)\n^"),
    ('<network><name>x</name></network>\n  junk', '(network_definition):2: Extra content at the end of the document\n  junk\n--^'),
    ('<network><![CDATA[abc</network>', '(network_definition):1: CData section not finished\nabc</networ\n<network><![CDATA[abc</network>\n-------------------------------^'),
    ('<network>\r<name>x</name>\r<bad a=1/></network>', '(network_definition):1: AttValue: " or \' expected\n<bad a=1/></network>\n-------^'),
    ('<network><name>x</name>&#0;</network>', '(network_definition):1: xmlParseCharRef: invalid xmlChar value 0\n<network><name>x</name>&#0;</network>\n---------------------------^'),
    ('<network><name>x</name>&#xD800;</network>', '(network_definition):1: xmlParseCharRef: invalid xmlChar value 55296\n<network><name>x</name>&#xD800;</network>\n-------------------------------^'),
    ('<network><name>x</name>\x0c</network>', '(network_definition):1: PCDATA invalid Char value 12\n<network><name>x</name>\x0c</network>\n-----------------------^'),
    ("<?xml version='2.0'?><network><name>x</name></network>", "(network_definition):1: Unsupported version '2.0'\n<?xml version='2.0'?><network><name>x</name></network>\n-------------------^"),
    ('<network><name>x</name>\n</network>\n<', '(network_definition):3: Extra content at the end of the document\n<\n^'),
    ('<network><name>x</name><a></a\n\n\n', "(network_definition):4: expected '>'\n(null)\n^"),
    ('<network><name>x</name>\n\n</x>', '(network_definition):3: Opening and ending tag mismatch: network line 1 and x\n</x>\n----^'),
    ("<network><name>x</name><a b='1'c='2'/></network>", "(network_definition):1: attributes construct error\n<network><name>x</name><a b='1'c='2'/></network>\n-------------------------------^"),
    ("<network><name>x</name><a b='é\né<'/></network>", "(network_definition):2: Unescaped '<' not allowed in attributes values\né<'/></network>\n--^"),
    ("<?xml version='1.0' encoding='ISO-8859-1'?>\n<network><name>é&b</name></network>", "(network_definition):2: EntityRef: expecting ';'\n<network><name>é&b</name></network>\n-------------------^"),
    ('<network><name>x</name><1a/></network>', '(network_definition):1: StartTag: invalid element name\n<network><name>x</name><1a/></network>\n------------------------^'),
    ('<network><name>x</name><a/ ></network>', '(network_definition):1: error parsing attribute name\n<network><name>x</name><a/ ></network>\n-------------------------^'),
    ('<network><name>x</name></network >junk', '(network_definition):1: Extra content at the end of the document\n<network><name>x</name></network >junk\n----------------------------------^'),
    ('<network><name>x</name></network>\r\n<x/>', '(network_definition):2: Extra content at the end of the document\n<x/>\n^'),
    ('<?xml?><network/>', '(network_definition):1: XML declaration allowed only at the start of the document\n<?xml?><network/>\n-----^'),
    ("<?xml version='1.0' standalone='maybe'?><network/>", "(network_definition):1: standalone accepts only 'yes' or 'no'\n<?xml version='1.0' standalone='maybe'?><network/>\n--------------------------------^"),
    ('<!-- x --><!-- y', '(network_definition):1: Comment not terminated\n<!-- x --><!-- y\n----------------^'),
    ('<network><name>x</name>]]></network>', "(network_definition):1: Sequence ']]>' not allowed in content\n<network><name>x</name>]]></network>\n-----------------------^"),
    ('<network><name>x</name><?xml a?></network>', '(network_definition):1: XML declaration allowed only at the start of the document\n<network><name>x</name><?xml a?></network>\n----------------------------^'),
    ('<network><name>x</name>&#x110000;</network>', '(network_definition):1: xmlParseCharRef: character reference out of bounds\n<network><name>x</name>&#x110000;</network>\n---------------------------------^'),
    ('<network><name>x</name>&foo</network>', "(network_definition):1: EntityRef: expecting ';'\n<network><name>x</name>&foo</network>\n---------------------------^"),
    ("<network xmlns:a='u' xmlns:a='v'/>", "(network_definition):1: Attribute xmlns:a redefined\n<network xmlns:a='u' xmlns:a='v'/>\n--------------------------------^"),
    ("<network><name>x</name><a\tb\n=\n'1'\n c></network>", '(network_definition):4: Specification mandates value for attribute c\n c></network>\n--^'),
]


def _refusal(xml: str, url: str = DEFINITION_URL) -> libvirtError:
    with pytest.raises(libvirtError) as caught:
        parse_document(xml, url)
    return caught.value


@pytest.mark.parametrize(("xml", "message"), MALFORMED)
def test_malformed_document(xml: str, message: str) -> None:
    error = _refusal(xml)
    assert (error.code, error.domain, error.message) == (35, 19, message)


@pytest.mark.parametrize(("xml", "message"), MALFORMED)
def test_malformed_documents_agree_with_libvirt(xml: str, message: str, testdriver) -> None:
    assert netstore_outcome(xml) == libvirt_outcome(testdriver, xml)


@pytest.mark.parametrize("xml", [
    "  <!-- c --> <?pi x?> <network><name>x</name></network> <!-- d -->",
    "\ufeff<network><name>x</name></network>",
    "<?xml version='1.1'?><network><name>x</name></network>",
    "<network><x:name xmlns:x='u'>y</x:name><name>x</name></network>",
    "<network><y:name>y</y:name><name>x</name></network>",
    "<network xmlns:x=''><name>x</name><a b:c='1'/></network>",
])
def test_well_formed_enough_for_libvirt(xml: str, testdriver) -> None:
    assert parse_document(xml, DEFINITION_URL) is not None
    assert netstore_outcome(xml) == libvirt_outcome(testdriver, xml)


def test_update_fragments_are_named_network_update_xml() -> None:
    error = _refusal("\n\n<host mac='00:11:22:33:44:55' ip='10.0.0.5'/><x/>", UPDATE_URL)
    assert error.message == (
        "network_update_xml:3: Extra content at the end of the document\n"
        "<host mac='00:11:22:33:44:55' ip='10.0.0.5'/><x/>\n"
        "---------------------------------------------^"
    )
    assert _refusal("", UPDATE_URL).message == "network_update_xml:1: Document is empty\n(null)\n^"


def test_blank_text_is_removed_only_from_definitions() -> None:
    xml = "<host><hostname>a<b/> <b/></hostname>\n  <hostname>c<!--x--> d </hostname></host>"
    definition = parse_document(xml, DEFINITION_URL)
    fragment = parse_document(xml, UPDATE_URL)
    assert [text_content(h) for h in definition] == ["a ", "c d "]
    assert definition[0].tail is None and fragment[0].tail == "\n  "


def test_declared_encoding_is_ignored_like_libvirt() -> None:
    root = parse_document("<?xml version='1.0' encoding='ISO-8859-1'?><n>\u00e9</n>", DEFINITION_URL)
    assert root.text == "\u00e9"
    assert parse_document("<n>\u00e9</n>".encode(), DEFINITION_URL).text == "\u00e9"


def test_pointer_counts_bytes_and_keeps_tabs() -> None:
    assert _refusal("<n>\t\u00e9\u00e9&b</n>").message == (
        "(network_definition):1: EntityRef: expecting ';'\n<n>\t\u00e9\u00e9&b</n>\n---\t------^"
    )


def test_pointer_on_a_very_long_line() -> None:
    xml = "<n a='" + "x" * 200_000 + "'><b></n>"
    message = _refusal(xml).message
    assert message.startswith("(network_definition):1: Opening and ending tag mismatch: b line 1 and n\n")
    assert message.split("\n")[-1] == "-" * 200_015 + "^"


def test_other_input_types() -> None:
    assert local_name(parse_document(bytearray(b"<n/>"), DEFINITION_URL)) == "n"
    error = _refusal(42)  # type: ignore[arg-type]
    assert error.code == 27


# --------------------------------------------------------------- accessors

NODE = etree.fromstring(
    "<e xmlns:q='urn:q' q:a='first' a='second' b='' c='yes' d='maybe' n=' +7' z='0'>"
    "<x:k xmlns:x='urn:x'/><k/><!-- c --><k/>text<m>1<i>2</i><!--no-->3</m></e>"
)


def test_prop_is_namespace_blind_and_keeps_empty_values() -> None:
    assert prop(NODE, "a") == "first"
    assert prop(NODE, "b") == ""
    assert prop(NODE, "missing") is None
    assert prop(None, "a") is None


def test_xpath_attr_reads_plain_attributes_and_drops_empty_ones() -> None:
    assert xpath_attr(NODE, "a") == "second"
    assert xpath_attr(NODE, "b") is None
    assert xpath_attr(None, "a") is None


def test_children_and_text() -> None:
    assert len(element_children(NODE, "k")) == 3
    assert text_content(NODE.find("m")) == "123"
    assert local_name(NODE[0]) == "k"


def test_typed_attribute_readers() -> None:
    assert tristate_prop(NODE, "c") is True
    assert tristate_prop(NODE, "missing") is None
    assert uint_prop(NODE, "n") == 7
    assert enum_prop(NODE, "c", ("yes", "no")) == "yes"
    for call, message in (
        (lambda: tristate_prop(NODE, "d"), "XML error: Invalid value for attribute 'd' in element 'e': 'maybe'."),
        (lambda: enum_prop(NODE, "d", ("x",)), "XML error: Invalid value for attribute 'd' in element 'e': 'maybe'."),
        (lambda: uint_prop(NODE, "d"), "XML error: Invalid value for attribute 'd' in element 'e': "
         "'maybe'. Expected non-negative integer value"),
        (lambda: uint_prop(NODE, "z", nonzero=True), "XML error: Invalid value for attribute 'z' in "
         "element 'e': Zero is not permitted"),
    ):
        with pytest.raises(libvirtError) as caught:
            call()
        assert (caught.value.code, caught.value.domain, caught.value.message) == (27, 5, message)
