"""``<metadata>`` capture: libvirt 9.0.0's copy, namespace sanitising and libxml2 2.9 layout.

Expected texts are what ``test:///default`` printed (network-xml-format.md
§3.5); ``test_matches_oracle`` re-checks every case against the live oracle.
"""

from __future__ import annotations

from typing import Any

import pytest

from netstore.model.metadata import capture_metadata
from netstore.model.xmlinput import DEFINITION_URL, parse_document
from tests.helpers import unique_name

UUID = "11111111-2222-3333-4444-555555555555"

CASES = [
    ("<network>", "<metadata/>", "<metadata/>"),
    ("<network>", "<metadata></metadata>", "<metadata/>"),
    ("<network>", "<metadata foo='bar'>text<x/><!--c--></metadata>", '<metadata foo="bar"/>'),
    (
        "<network>",
        "<metadata><app1:foo xmlns:app1='http://foo.org/'>fooish</app1:foo>"
        "<app2:bar xmlns:app2='http://bar.com/' maman='baz'>barish</app2:bar></metadata>",
        '<metadata>\n    <app1:foo xmlns:app1="http://foo.org/">fooish</app1:foo>\n'
        '    <app2:bar xmlns:app2="http://bar.com/" maman="baz">barish</app2:bar>\n  </metadata>',
    ),
    (
        "<network xmlns:q='urn:q'>",
        "<metadata xmlns:z='urn:z'><q:a><z:b/></q:a></metadata>",
        '<metadata xmlns:z="urn:z" xmlns:q="urn:q">\n    <q:a>\n      <z:b/>\n    </q:a>\n  </metadata>',
    ),
    (
        "<network>",
        "<metadata><x:a xmlns:x='urn:x'/><x:dup xmlns:x='urn:x'/><y:same xmlns:y='urn:x'/><plain/>"
        "<?pi x?><d xmlns='urn:d'><e/></d></metadata>",
        '<metadata>\n    <x:a xmlns:x="urn:x"/>\n    <d xmlns="urn:d">\n      <e/>\n    </d>\n  </metadata>',
    ),
    (
        "<network>",
        "<metadata><x:a xmlns:x='urn:x'> <x:b/>text</x:a><y:a xmlns:y='urn:y'>t<y:b/> <y:c/></y:a>"
        "<z:a xmlns:z='urn:z'><z:b/> <z:c/>text</z:a><w:a xmlns:w='urn:w'>   </w:a></metadata>",
        '<metadata>\n    <x:a xmlns:x="urn:x"><x:b/>text</x:a>\n    <y:a xmlns:y="urn:y">t<y:b/> <y:c/></y:a>\n'
        '    <z:a xmlns:z="urn:z"><z:b/><z:c/>text</z:a>\n    <w:a xmlns:w="urn:w">   </w:a>\n  </metadata>',
    ),
    (
        "<network>",
        "<metadata><x:a xmlns:x='urn:x' v='a&amp;&lt;&gt;&quot;&apos;&#9;&#10;&#13;é😀'>"
        "a&amp;&lt;&gt;\"'&#9;&#10;&#13;é</x:a></metadata>",
        '<metadata>\n    <x:a xmlns:x="urn:x" v="a&amp;&lt;&gt;&quot;\'&#9;&#10;&#13;&#xE9;&#x1F600;">'
        'a&amp;&lt;&gt;"\'\t\n&#13;é</x:a>\n  </metadata>',
    ),
    (
        "<network>",
        "<metadata><x:a xmlns:x='urn:a&#38;b' x:at='é'>é<!--é--><![CDATA[é<\">]]><?p é?><x:é/></x:a></metadata>",
        '<metadata>\n    <x:a xmlns:x="urn:a&#38;b" x:at="&#xE9;">é<!--é--><![CDATA[é<">]]><?p é?><x:é/></x:a>\n'
        "  </metadata>",
    ),
    (
        "<network>",
        "<metadata><x:a xmlns:x='urn:x'><!--c--><x:b><x:c>t</x:c><x:d/></x:b><?pi z?></x:a></metadata>",
        '<metadata>\n    <x:a xmlns:x="urn:x">\n      <!--c-->\n      <x:b>\n        <x:c>t</x:c>\n'
        "        <x:d/>\n      </x:b>\n      <?pi z?>\n    </x:a>\n  </metadata>",
    ),
]


def _document(root_tag: str, metadata: str) -> str:
    return f"{root_tag}<name>{unique_name('md')}</name><uuid>{UUID}</uuid>{metadata}</network>"


@pytest.mark.parametrize(("root_tag", "metadata", "expected"), CASES)
def test_capture(root_tag: str, metadata: str, expected: str) -> None:
    root = parse_document(_document(root_tag, metadata), DEFINITION_URL)
    assert capture_metadata(root.find("metadata")) == expected


def test_capture_leaves_the_source_tree_alone() -> None:
    root = parse_document(_document("<network>", "<metadata>x<plain/><m:a xmlns:m='urn:m'/></metadata>"),
                          DEFINITION_URL)
    node = root.find("metadata")
    capture_metadata(node)
    assert node.text == "x" and [child.tag for child in node] == ["plain", "{urn:m}a"]


@pytest.mark.parametrize(("root_tag", "metadata", "expected"), CASES)
def test_matches_oracle(root_tag: str, metadata: str, expected: str, testdriver: Any) -> None:
    network = testdriver.networkDefineXML(_document(root_tag, metadata))
    try:
        xml = network.XMLDesc(0)
    finally:
        network.undefine()
    start = xml.index("</uuid>\n") + len("</uuid>\n")
    end = xml.index("  <bridge ")
    assert xml[start:end] == f"  {expected}\n"
