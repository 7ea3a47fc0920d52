"""libvirt's networkxml2xmlupdatetest corpus, through the update engine.

All 41 cases of libvirt's ``networkxml2xmlupdatetest.c`` must behave as libvirt 9.0.0's
public virNetworkUpdate does (an inactive network, so the persistent
definition is edited: ``inactive=True``): the 21 passing cases give the
expected file byte for byte, the 20 failing ones fail, and
``insert-forward-interface`` fails too (the unit test passes only because it
skips the re-parse; the API refuses a second interface on a nat network).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from netstore.constants import COMMAND_NAMES, SECTION_NAMES
from netstore.engine import apply_update
from netstore.errors import VIR_ERR_XML_ERROR, libvirtError
from netstore.model import format_network, parse_network_xml
from tests.conformance.manifest import update_cases

# The error code libvirt 9.0.0's API gives for each failing case (update-semantics.md §8).
FAIL_CODES = {
    "add-host-incomplete": 27,
    "add-host-new-incomplete": 27,
    "add-host-existing": 55,
    "modify-host-missing": 55,
    "modify-host-incomplete": 27,
    "delete-host-missing": 55,
    "add-dhcp-range-outside-net": 1,
    "delete-dhcp-range": 55,
    "delete-forward-interface": 55,
    "append-duplicate-portgroup": 55,
    "modify-missing-portgroup": 55,
    "delete-missing-portgroup": 55,
    "insert-incomplete-host": 35,
    "delete-missing-unparsable-dns-host": 35,
    "append-duplicate-dns-txt-record": 55,
    "delete-missing-dns-txt-record": 55,
    "add-existing-dns-srv-record": 55,
    "delete-missing-srv-record-service": 55,
    "delete-srv-record-invalid": 55,
    "delete-ambiguous-srv-record-service": 55,
}
API_FAILS = {
    "insert-forward-interface": (
        VIR_ERR_XML_ERROR,
        "XML error: multiple forwarding interfaces specified for network 'default', only one is supported",
    ),
}


CASES = update_cases()
IDS = [f"{number:02d}-{case['name']}" for number, case in enumerate(CASES, 1)]


def _apply(case: dict, corpus_dir: Path):
    base = parse_network_xml((corpus_dir / case["base"]).read_bytes())
    xml = (corpus_dir / case["update"]).read_text(encoding="utf-8")
    command = COMMAND_NAMES[case["command"]]
    section = SECTION_NAMES[case["section"]]
    return apply_update(base, command, section, case["parent_index"], xml, inactive=True)


def test_manifest_is_complete(corpus_dir: Path) -> None:
    expectations = [case["expect"] for case in CASES]
    assert len(CASES) == 41
    assert expectations.count("ok") == 21
    assert expectations.count("fail") == 20
    assert set(API_FAILS) <= {case["name"] for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_update_case(case: dict, corpus_dir: Path) -> None:
    if case["name"] in API_FAILS:
        with pytest.raises(libvirtError) as raised:
            _apply(case, corpus_dir)
        assert (raised.value.code, raised.value.message) == API_FAILS[case["name"]]
        return
    if case["expect"] == "fail":
        with pytest.raises(libvirtError) as raised:
            _apply(case, corpus_dir)
        assert raised.value.code == FAIL_CODES[case["name"]]
        return
    expected = (corpus_dir / case["out"]).read_text(encoding="utf-8")
    assert format_network(_apply(case, corpus_dir), case["format_inactive"]) == expected
