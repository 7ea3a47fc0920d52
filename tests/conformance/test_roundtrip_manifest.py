"""libvirt's networkxml2xmltest corpus: parse, format, compare byte for byte.

All 46 cases of libvirt's ``networkxml2xmltest.c``: 42 must reproduce libvirt 9.0.0's
output exactly (with ``VIR_NETWORK_XML_INACTIVE`` where the program says so),
and 4 must be refused with a libvirtError.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from netstore.errors import libvirtError
from netstore.model import format_network, parse_network_xml
from tests.conformance.manifest import roundtrip_cases

CASES = roundtrip_cases()


def test_manifest_is_complete(corpus_dir: Path) -> None:
    expectations = [case["expect"] for case in CASES]
    assert len(CASES) == 46
    assert expectations.count("pass") == 42
    assert expectations.count("parse-fail") == 4


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_roundtrip(case: dict, corpus_dir: Path) -> None:
    source = (corpus_dir / case["in"]).read_bytes()
    dnsmasq = case.get("xmlopt") == "dnsmasq-namespace"
    if case["expect"] == "parse-fail":
        with pytest.raises(libvirtError):
            parse_network_xml(source, dnsmasq_namespace=dnsmasq)
        return
    inactive = "INACTIVE" in case["format_flags"]
    expected = (corpus_dir / case["out"]).read_text(encoding="utf-8")
    defn = parse_network_xml(source, dnsmasq_namespace=dnsmasq)
    assert format_network(defn, inactive) == expected
