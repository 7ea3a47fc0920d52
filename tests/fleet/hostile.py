"""A hostile-input corpus, generated: every input must be refused and change nothing.

Each :class:`Hostile` is one call, made through the library (:func:`call_library`)
and through the CLI (:func:`cli_args`): define or create XML (malformed,
oversized, deeply nested, entity attacks, invalid UTF-8, an injection string in
every daemon-file field of research/daemon-config.md §7, bad names, addresses
and MACs), virNetworkUpdate calls (bad commands, sections, parent indexes,
flags, MACs, addresses, injection strings), and host assignments.  The update
and assign inputs act on the network :data:`BASE_XML` defines.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from netstore.api.constants import (
    VIR_NETWORK_SECTION_DNS_HOST,
    VIR_NETWORK_SECTION_DNS_SRV,
    VIR_NETWORK_SECTION_DNS_TXT,
    VIR_NETWORK_SECTION_IP_DHCP_HOST,
    VIR_NETWORK_SECTION_IP_DHCP_RANGE,
    VIR_NETWORK_SECTION_PORTGROUP,
    VIR_NETWORK_UPDATE_AFFECT_CONFIG,
    VIR_NETWORK_UPDATE_AFFECT_LIVE,
    VIR_NETWORK_UPDATE_COMMAND_ADD_LAST,
    VIR_NETWORK_UPDATE_COMMAND_DELETE,
    VIR_NETWORK_UPDATE_COMMAND_MODIFY,
)
from netstore.constants import COMMAND_NAMES, SECTION_NAMES

BASE = "nsfhostile"
BASE_XML = (f"<network><name>{BASE}</name><bridge name='nsfhb0'/><domain name='example.org'/>"
            "<dns><host ip='10.79.0.5'><hostname>known</hostname></host></dns>"
            "<ip address='10.79.0.1' netmask='255.255.255.0'><dhcp><range start='10.79.0.10' end='10.79.0.20'/>"
            "<host mac='52:54:00:79:00:01' name='vm1' ip='10.79.0.11'/></dhcp></ip></network>")
BOTH = VIR_NETWORK_UPDATE_AFFECT_LIVE | VIR_NETWORK_UPDATE_AFFECT_CONFIG
_ADD, _MODIFY, _DELETE = VIR_NETWORK_UPDATE_COMMAND_ADD_LAST, VIR_NETWORK_UPDATE_COMMAND_MODIFY, \
    VIR_NETWORK_UPDATE_COMMAND_DELETE

# Strings that would end a daemon-file line, split a field, start a comment, or are just wrong there.
INJECTIONS = ("a\nconf-file=/etc/shadow", "a&#10;dhcp-script=/tmp/x", "a&#13;b", "a&#9;b", "a,b", 'a"b',
              "a #b", "a\x7fb", "a\x00b", "a&#1;b", "a\rb", "a\x1bb")
BAD_MACS = ("52:54:00:00:00", "52:54:00:00:00:01:02", "zz:54:00:00:00:01", "01:00:5e:00:00:01",
            "52:54:00:00:00:01 trailing", "52:54:00:00:00:01&#10;x", "52-54-00-00-00-01", "", "525400000001",
            "52:54:00:00:00:1g", "ff:ff:ff:ff:ff:ff", "52:54:00:00:00:01,")
BAD_IPV4 = ("10.79.0.256", "10.79.0.1.1", "-1.0.0.0", "abc", "", "10.79.0.1/24", "1e3.0.0.1",
            "10.80.0.11", "::1", "10.79.0.01x", "999999999999")
BAD_NAMES = ("", "a/b", "/", "a\nb", "a,b", 'a"b', "x #y", "\x00", "a\x7fb", "n" * 5000)
# libvirt 9.0.0 (test:///default) accepts these too, and so does netstore: the bridge MAC is parsed up to
# the first blank, '' means none; netmask='' and netmask='10.80.0.11' are accepted as well (left out below).
_LIBVIRT_ACCEPTS_AS_BRIDGE_MAC = ("52:54:00:00:00:01 trailing", "52:54:00:00:00:01&#10;x", "")
# An XML parser turns a raw line feed, carriage return or tab in an attribute into a space: harmless there.
_NORMALISED = ("\n", "\r", "\t")

@dataclass(frozen=True)
class Hostile:
    """One hostile call: ``kind`` is define, create, update or assign."""

    kind: str
    label: str
    xml: Optional[str] = None
    raw: Optional[bytes] = None  # define/create through the CLI: the file's bytes (invalid UTF-8)
    command: int = _ADD
    section: int = VIR_NETWORK_SECTION_IP_DHCP_HOST
    parent_index: int = -1
    flags: int = BOTH
    host: Optional[str] = None


def corpus() -> list[Hostile]:
    """Every hostile input netstore must refuse (at least 500).

    It found four that netstore accepted ('#' after whitespace in a TXT value, a bootp file
    and a tftp root, which dnsmasq reads as a comment; a 5000-character network name): the
    model's safety checks refuse them now, and they are part of the corpus.
    """
    return [*_documents(), *_fields(), *_updates(), *_assignments()]


def _network(body: str = "", name: str = "nsfbad", extra: str = "") -> str:
    return (f"<network><name>{name}</name>{extra}<ip address='10.81.0.1' netmask='255.255.255.0'>{body}</ip>"
            "</network>")


def _documents() -> Iterator[Hostile]:
    good = _network()
    for cut in range(1, len(good) - 1, 7):  # every truncation of a valid document
        yield Hostile("define", f"truncated at {cut}", good[:cut])
    for text in ("", " ", "<", "<network>", "</network>", "<network><name>x</name>", "not xml at all",
                 "<network><name>x</name></network><network/>", "<?xml version='1.0'?>", "<netwerk/>",
                 "<network><name>x</name><ip address='10.0.0.1' netmask='255.0.0.0'></network>",
                 "<network><name>x<name></network>", "<network name='x'/>", "<network><name/></network>",
                 "<network><name>x</name><bridge name='a' name='b'/></network>", "<n:network xmlns:n='urn:x'/>"):
        yield Hostile("define", f"malformed {text[:20]!r}", text)
    for depth in (50, 500, 5000, 50000):
        yield Hostile("define", f"nested {depth}", "<network>" + "<a>" * depth + "</a>" * depth + "</network>")
    yield Hostile("define", "oversized 5 MiB", _network(extra="<!--" + "x" * (5 * 1024 * 1024) + "-->"))
    yield Hostile("define", "oversized name", _network(name="n" * (5 * 1024 * 1024)))
    laughs = "<!DOCTYPE network [<!ENTITY a 'lol'>" + "".join(
        f"<!ENTITY {chr(98 + i)} '{('&' + chr(97 + i) + ';') * 10}'>" for i in range(9)) + "]>"
    for label, doctype, use in (
            ("billion laughs", laughs, "&j;"),
            ("external file entity", "<!DOCTYPE network [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>", "&x;"),
            ("external http entity", "<!DOCTYPE network [<!ENTITY x SYSTEM 'http://127.0.0.1:9/x'>]>", "&x;"),
            ("parameter entity", "<!DOCTYPE network [<!ENTITY % p SYSTEM 'file:///etc/passwd'> %p;]>", "x"),
            ("internal entity", "<!DOCTYPE network [<!ENTITY x 'nsfent'>]>", "&x;"),
            ("undefined entity", "", "&nope;"),
            ("xinclude", "", "<xi:include xmlns:xi='http://www.w3.org/2001/XInclude' href='/etc/passwd'/>")):
        yield Hostile("define", label, f"{doctype}<network><name>{use}</name></network>")
    for label, raw in (("invalid utf-8 byte", b"\xff"), ("overlong utf-8", b"\xc0\xaf"),
                       ("lone surrogate utf-8", b"\xed\xa0\x80"), ("truncated utf-8", b"\xe2\x82")):
        xml = "<network><name>nsf{}</name></network>"
        yield Hostile("define", label, xml.format("\udcff"), raw=xml.format("").encode().replace(b"nsf", b"nsf" + raw))
    for name in BAD_NAMES:
        for kind in ("define", "create"):
            yield Hostile(kind, f"{kind} name {name[:12]!r}", _network(name=name.replace("&", "&amp;")
                                                                          .replace("<", "&lt;")))


def _field_documents(value: str) -> Iterator[tuple[str, str]]:
    """One definition per daemon-file field of daemon-config.md §7, with ``value`` in that field."""
    attr = value.replace('"', "&quot;").replace("<", "&lt;")
    yield "network name", _network(name=value)
    yield "bridge name", _network(extra=f'<bridge name="{attr}"/>')
    yield "domain name", _network(extra=f'<domain name="{attr}"/>')
    yield "forwarder domain", _network(extra=f'<dns><forwarder domain="{attr}" addr="10.0.0.53"/></dns>')
    yield "txt name", _network(extra=f'<dns><txt name="{attr}" value="v"/></dns>')
    yield "txt value", _network(extra=f'<dns><txt name="t" value="{attr}"/></dns>')
    yield "srv domain", _network(extra=f'<dns><srv service="s" protocol="tcp" domain="{attr}" target="t" port="1"/></dns>')
    yield "srv target", _network(extra=f'<dns><srv service="s" protocol="tcp" target="{attr}" port="1"/></dns>')
    yield "srv service", _network(extra=f'<dns><srv service="{attr}" protocol="tcp"/></dns>')
    yield "dns hostname", _network(extra=f"<dns><host ip='10.81.0.5'><hostname>{value}</hostname></host></dns>")
    yield "dhcp host name", _network(f"<dhcp><host mac='52:54:00:81:00:01' name=\"{attr}\" ip='10.81.0.9'/></dhcp>")
    yield "dhcp host id", _network(f"<dhcp><host id=\"{attr}\" ip='10.81.0.9'/></dhcp>")
    yield "bootp file", _network(f"<dhcp><range start='10.81.0.10' end='10.81.0.20'/><bootp file=\"{attr}\"/></dhcp>")
    yield "tftp root", _network(f"<tftp root=\"{attr}\"/>")


def _fields() -> Iterator[Hostile]:
    for value in INJECTIONS:
        for field, xml in _field_documents(value):
            if field not in ("network name", "dns hostname") and any(c in value for c in _NORMALISED):
                continue
            for kind in ("define", "create"):
                yield Hostile(kind, f"{kind} {field} {value[:14]!r}", xml)
    for mac in BAD_MACS:
        yield Hostile("define", f"dhcp mac {mac!r}", _network(f"<dhcp><host mac=\"{mac}\" ip='10.81.0.9'/></dhcp>"))
        if mac not in _LIBVIRT_ACCEPTS_AS_BRIDGE_MAC:
            yield Hostile("define", f"bridge mac {mac!r}", _network(extra=f"<mac address=\"{mac}\"/>"))
    for address in BAD_IPV4:
        if address != "10.80.0.11":
            yield Hostile("define", f"ip address {address!r}",
                          f"<network><name>nsfbad</name><ip address=\"{address}\" netmask='255.255.255.0'/></network>")
        if address not in ("", "10.80.0.11"):
            yield Hostile("define", f"netmask {address!r}",
                          f"<network><name>nsfbad</name><ip address='10.81.0.1' netmask=\"{address}\"/></network>")
        yield Hostile("define", f"range start {address!r}",
                      _network(f"<dhcp><range start=\"{address}\" end='10.81.0.20'/></dhcp>"))
    for prefix in ("33", "-1", "x", "4294967296"):
        yield Hostile("define", f"prefix {prefix}",
                      f"<network><name>nsfbad</name><ip address='10.81.0.1' prefix='{prefix}'/></network>")


def _host_item(name: str = "vmx", mac: str = "52:54:00:79:00:09", ip: str = "10.79.0.12") -> str:
    return f"<host mac=\"{mac}\" name=\"{name}\" ip=\"{ip}\"/>"


def _updates() -> Iterator[Hostile]:
    item = _host_item()
    for command in (0, 5, 6, -1, 2**31 - 1, 99):
        yield Hostile("update", f"command {command}", item, command=command)
    for section in (0, 11, 12, -1, 2**31 - 1):
        yield Hostile("update", f"section {section}", item, section=section)
    for parent in (1, 2, 7, 2**31 - 1):
        yield Hostile("update", f"parent index {parent}", item, parent_index=parent)
    for flags in (4, 8, 16, 2**30, -1):
        yield Hostile("update", f"flags {flags}", item, flags=flags)
    for mac in BAD_MACS:
        yield Hostile("update", f"update mac {mac!r}", _host_item(mac=mac.replace("&", "&amp;")))
    for address in BAD_IPV4:
        if address != "10.80.0.11":  # outside the subnet, but an address: not this corpus's business
            yield Hostile("update", f"update ip {address!r}", _host_item(ip=address))
        yield Hostile("update", f"update range {address!r}", f"<range start=\"{address}\" end='10.79.0.30'/>",
                      section=VIR_NETWORK_SECTION_IP_DHCP_RANGE)
        if address not in ("10.80.0.11", "::1"):  # valid DNS host addresses
            yield Hostile("update", f"update dns host ip {address!r}",
                          f"<host ip=\"{address}\"><hostname>h</hostname></host>",
                          section=VIR_NETWORK_SECTION_DNS_HOST)
    for value in INJECTIONS:
        attr = value.replace('"', "&quot;")
        for label, xml, section in (
                ("host name", _host_item(name=attr), VIR_NETWORK_SECTION_IP_DHCP_HOST),
                ("dns hostname", f"<host ip='10.79.0.6'><hostname>{value}</hostname></host>",
                 VIR_NETWORK_SECTION_DNS_HOST),
                ("txt value", f'<txt name="t" value="{attr}"/>', VIR_NETWORK_SECTION_DNS_TXT),
                ("txt name", f'<txt name="{attr}" value="v"/>', VIR_NETWORK_SECTION_DNS_TXT),
                ("srv target", f'<srv service="s" protocol="tcp" target="{attr}" port="1"/>',
                 VIR_NETWORK_SECTION_DNS_SRV),
                ("srv domain", f'<srv service="s" protocol="tcp" domain="{attr}" target="t" port="1"/>',
                 VIR_NETWORK_SECTION_DNS_SRV)):
            if label != "dns hostname" and any(c in value for c in _NORMALISED):
                continue
            for command in (_ADD, _MODIFY):
                yield Hostile("update", f"update {label} {value[:14]!r} cmd {command}", xml, command=command,
                              section=section)
    for text in ("", "<host", "<host mac='52:54:00:79:00:09'/><host/>", "<portgroup/>", "<bogus/>",
                 "<host mac='52:54:00:79:00:99'/>", "x" * 70000, "<!DOCTYPE h [<!ENTITY x 'y'>]><host/>"):
        yield Hostile("update", f"update xml {text[:16]!r}", text, command=_DELETE)
        yield Hostile("update", f"portgroup xml {text[:16]!r}", text, section=VIR_NETWORK_SECTION_PORTGROUP)


def _assignments() -> Iterator[Hostile]:
    for host in ("", " ", "a b", "a\nb", "a\tb", "\x00", "h" * 254, "h\x7f", "\u2028"):
        yield Hostile("assign", f"host {host[:12]!r}", host=host)


# -- making the calls --------------------------------------------------------------------------

def call_library(conn: Any, case: Hostile) -> None:
    """Make ``case``'s call on an open netstore connection (it must raise libvirtError)."""
    if case.kind == "define":
        conn.networkDefineXML(case.xml)
    elif case.kind == "create":
        conn.networkCreateXML(case.xml)
    elif case.kind == "update":
        conn.networkLookupByName(BASE).update(case.command, case.section, case.parent_index, case.xml, case.flags)
    else:
        conn.networkLookupByName(BASE).setHost(case.host)


_COMMAND_TEXT = {value: name for name, value in COMMAND_NAMES.items()}
_SECTION_TEXT = {value: name for name, value in SECTION_NAMES.items()}


def cli_args(case: Hostile, folder: Path, index: int) -> list[str]:
    """``case`` as ``netstore`` arguments (define/create: from a file written in ``folder``)."""
    if case.kind in ("define", "create"):
        path = folder / f"case{index}.xml"
        path.write_bytes(case.raw if case.raw is not None else (case.xml or "").encode("utf-8", "surrogateescape"))
        return [f"net-{case.kind}", str(path)]
    if case.kind == "assign":
        return ["net-assign", BASE, case.host or ""]
    flags = [f"--{name}" for name, bit in (("live", VIR_NETWORK_UPDATE_AFFECT_LIVE),
                                           ("config", VIR_NETWORK_UPDATE_AFFECT_CONFIG)) if case.flags & bit]
    if case.flags & ~BOTH or case.flags < 0:
        flags.append("--bogus-flag")
    command = _COMMAND_TEXT.get(case.command, str(case.command))
    section = _SECTION_TEXT.get(case.section, str(case.section))
    return ["net-update", BASE, command, section, case.xml or "", "--parent-index", str(case.parent_index), *flags]
