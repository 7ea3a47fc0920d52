"""Run a network XML through libvirt's test driver (the oracle) for the parser tests.

The parser tests keep their expectations in tables checked into the repo; the
``*_agrees_with_libvirt`` tests feed the same inputs to libvirt-python 9.0.0
(``test:///default``) so a table can never drift from libvirt's behaviour.
An outcome is libvirt's formatted XML, or its (code, domain, message).
``error_of`` gives the same triple for a netstore call that must raise.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Union

import pytest

from netstore.errors import libvirtError

Outcome = Union[str, tuple[int, int, str]]

_UUID_LINE = re.compile(r"<uuid>[0-9a-f-]{36}</uuid>")
_GIVEN_UUID = re.compile(r"<uuid>[^<]*\S[^<]*</uuid>")


def libvirt_outcome(conn: Any, xml: str) -> Outcome:
    import libvirt

    try:
        network = conn.networkDefineXML(xml)
    except libvirt.libvirtError as err:
        return (err.get_error_code(), err.get_error_domain(), err.get_error_message())
    try:
        return _without_random_uuid(network.XMLDesc(0), xml)
    finally:
        network.undefine()


def error_of(call: Callable[[], Any]) -> tuple[int, int, str]:
    """The (code, domain, message) of the libvirtError ``call`` must raise."""
    with pytest.raises(libvirtError) as caught:
        call()
    return caught.value.code, caught.value.domain, caught.value.message


def netstore_outcome(xml: str) -> Outcome:
    """netstore's outcome for ``xml``, test-driver flavour (no dnsmasq namespace)."""
    from netstore.model.format import format_network
    from netstore.model.parse_network import parse_network_xml

    try:
        defn = parse_network_xml(xml, dnsmasq_namespace=False)
    except libvirtError as err:
        return (err.code, err.domain, err.message)
    return _without_random_uuid(format_network(defn), xml)


def _without_random_uuid(text: str, xml: str) -> str:
    """A generated UUID differs on every parse: mask it unless the input gave one."""
    if _GIVEN_UUID.search(xml):
        return text
    return _UUID_LINE.sub("<uuid>generated</uuid>", text)
