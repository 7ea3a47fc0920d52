"""The conformance cases, generated from libvirt 9.0.0's own test programs in the corpus.

Each function reads one ``tests/networkxml2*test.c`` of the corpus (see
:func:`tests.helpers.corpus_path`) and describes its cases as dicts whose paths
are relative to the corpus directory.  No case list is kept by hand: what libvirt
runs is what these tests run.  A missing corpus gives no cases (the ``corpus_dir``
fixture then skips, or fails under ``NETSTORE_REQUIRE_ALL=1``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conformance.libvirt_programs import ProgramCase, Symbol, program_cases
from tests.helpers import corpus_path

ROUNDTRIP_PROGRAM = "networkxml2xmltest.c"
UPDATE_PROGRAM = "networkxml2xmlupdatetest.c"
CONF_PROGRAM = "networkxml2conftest.c"
XML_INACTIVE = 1  # VIR_NETWORK_XML_INACTIVE, the format flag bit 0
ROUNDTRIP_RESULT_PREFIX = "TEST_COMPARE_NET_XML2XML_RESULT_"
DNSMASQ_XMLOPT_CALL = "networkDnsmasqCreateXMLConf"


def _program(name: str) -> tuple[Path, str] | None:
    corpus = corpus_path()
    source = corpus / name
    if not source.is_file():
        return None
    return corpus, source.read_text(encoding="utf-8")


def _symbol(value: Any) -> str:
    if not isinstance(value, Symbol):
        raise ValueError(f"expected a C constant, got {value!r}")
    return value.name


def _virsh_name(value: Any, prefix: str) -> str:
    """``VIR_NETWORK_SECTION_IP_DHCP_HOST`` -> ``ip-dhcp-host`` (after ``prefix``)."""
    name = _symbol(value)
    if not name.startswith(prefix):
        raise ValueError(f"{name} does not start with {prefix}")
    return name[len(prefix):].lower().replace("_", "-")


def _roundtrip_case(call: ProgramCase, xmlopt: str | None) -> dict[str, Any]:
    name = call.fields["name"]
    result = _virsh_name(call.fields["expectResult"], ROUNDTRIP_RESULT_PREFIX)
    expect = "pass" if result == "success" else result.replace("fail-", "") + "-fail"
    flags = call.fields["flags"]
    inactive = flags == Symbol("VIR_NETWORK_XML_INACTIVE") or (isinstance(flags, int) and flags & XML_INACTIVE)
    return {"name": name, "in": f"networkxml2xmlin/{name}.xml",
            "out": f"networkxml2xmlout/{name}.xml" if expect == "pass" else None,
            "expect": expect, "format_flags": ["INACTIVE"] if inactive else [], "xmlopt": xmlopt}


def roundtrip_cases() -> list[dict[str, Any]]:
    """networkxml2xmltest.c: ``{name, in, out, expect, format_flags, xmlopt}`` per case.

    ``expect`` is ``pass`` or ``<stage>-fail`` (``parse-fail``); ``xmlopt`` is
    ``dnsmasq-namespace`` when the program parses with the dnsmasq XML namespace.
    """
    program = _program(ROUNDTRIP_PROGRAM)
    if program is None:
        return []
    _, source = program
    xmlopt = "dnsmasq-namespace" if DNSMASQ_XMLOPT_CALL in source else None
    return [_roundtrip_case(call, xmlopt) for call in program_cases(source)]


def _update_case(call: ProgramCase) -> dict[str, Any]:
    fields = call.fields
    fails = fields["expectFailure"] is True
    flags = fields["flags"]
    if not isinstance(flags, int) or not isinstance(fields["parentIndex"], int):
        raise ValueError(f"{fields['name']}: flags and parentIndex must be integers")
    return {"name": fields["name"], "base": f"networkxml2xmlin/{fields['netxml']}.xml",
            "update": f"networkxml2xmlupdatein/{fields['updatexml']}.xml",
            "section": _virsh_name(fields["section"], "VIR_NETWORK_SECTION_"),
            "command": _virsh_name(fields["command"], "VIR_NETWORK_UPDATE_COMMAND_"),
            "parent_index": fields["parentIndex"], "parent_index_declared": call.arguments["parentIndex"],
            "format_inactive": bool(flags & XML_INACTIVE), "expect": "fail" if fails else "ok",
            "out": None if fails else f"networkxml2xmlupdateout/{fields['outxml']}.xml"}


def update_cases() -> list[dict[str, Any]]:
    """networkxml2xmlupdatetest.c: one dict per case, with the values libvirt really runs.

    ``parent_index`` and ``format_inactive`` come from the struct fields the
    initialiser fills: the program's initialiser lists ``flags`` before
    ``parentIndex``, the reverse of the struct, so the index each case declares
    (``parent_index_declared``) lands in the format flags and the index used is 0.
    """
    program = _program(UPDATE_PROGRAM)
    if program is None:
        return []
    return [_update_case(call) for call in program_cases(program[1])]


def conf_cases() -> list[dict[str, Any]]:
    """networkxml2conftest.c: ``{name, xml, conf, hostsfile}``; ``hostsfile`` None when absent.

    libvirt's test expects no dhcp-hostsfile contents at all when the
    ``.hostsfile`` file does not exist.
    """
    program = _program(CONF_PROGRAM)
    if program is None:
        return []
    corpus, source = program
    cases = []
    for call in program_cases(source):
        stem = f"networkxml2confdata/{call.fields['name']}"
        hostsfile = f"{stem}.hostsfile"
        cases.append({"name": call.fields["name"], "xml": f"{stem}.xml", "conf": f"{stem}.conf",
                      "hostsfile": hostsfile if (corpus / hostsfile).is_file() else None})
    return cases
