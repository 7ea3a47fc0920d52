"""Injection safety: strings that would add a line or a field to a daemon file.

libvirt writes many definition strings into dnsmasq's configuration, its
DHCP hosts file and its addn-hosts file without any escaping, and relies on
parse-time checks that do not stop a line feed (``&#10;``), a comma in a DHCP
host name, whitespace in a DNS host name or text after a MAC address
(research: daemon-config.md §7).  netstore deliberately refuses such strings,
with code 27 (VIR_ERR_XML_ERROR), domain 19, naming the value, the attribute
and the network.

Every string that reaches a daemon file is checked against the characters
that would change how the daemon splits it:

========================  ================================  ===========================
string                    lands in                          refused characters
========================  ================================  ===========================
network name              .conf comment, file names         control, ``,`` ``"`` (and see below)
bridge name               ``interface=``                    control, whitespace, ``,`` ``"``
domain name               ``local=/D/``, ``domain=D``       control, whitespace, ``, " / #``
forwarder domain          ``server=/D/addr``                control, whitespace, ``, " / #``
TXT name                  ``txt-record=N,V``                control, ``"`` (libvirt: space, ``,``)
TXT value                 ``txt-record=N,V``                control, ``,`` ``"``
SRV service, protocol     ``srv-host=``                     control (libvirt: a charset)
SRV domain, target        ``srv-host=_S._P.D,T,...``        control, whitespace, ``,`` ``"``
bootp file                ``dhcp-boot=F,,S``                control, ``,`` ``"``
tftp root                 ``tftp-root=R``                   control, ``,`` ``"``
DHCP host mac             hosts file                        anything but the MAC itself
DHCP host id, name        hosts file ``MAC,IP,NAME``        control, whitespace, ``, " #``
DNS host name             addn-hosts ``IP<TAB>NAME...``     control, whitespace, ``, " #``
dnsmasq:option value      one .conf line each               control
========================  ================================  ===========================

"control" is U+0000-U+001F and U+007F (a line feed or carriage return ends
the line; the others have no business in these files either).  dnsmasq
also ends a configuration line at a ``#`` that follows whitespace, so every
string of the configuration file (but a ``dnsmasq:option``, written verbatim
by design) may not hold one: a network name like ``victim.pid #x`` would turn
``pid-file=DIR/victim.pid #x.pid`` into another network's pid file, a TXT value
``a #b`` would be cut to ``a``.  A network name is also refused when a file
named after it (``NAME-radvd.conf``, the escaped ``NAME.addnhosts``...) would
be longer than a file name may be (255 bytes).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple, Optional

from netstore.errors import xml_error
from netstore.model.collections import DHCP_HOST, DNS_HOST, DNS_SRV, DNS_TXT
from netstore.model.format import escape
from netstore.model.types import DHCPHost, DNSHost, DNSSrv, DNSTxt, NetworkDef

CONTROL = frozenset(chr(c) for c in range(0x20)) | {"\x7f"}
WHITESPACE = frozenset(" \t\n\v\f\r")
_LINE = CONTROL
_FIELD = CONTROL | {",", '"'}
_WORD = _FIELD | WHITESPACE
_HOST = _WORD | {"#"}
_DOMAIN = _HOST | {"/"}
_COMMENT_START = re.compile(r"[ \t\n\v\f\r]#")  # dnsmasq: isspace() then "#"
_MAC = re.compile(r"[0-9a-fA-F]{1,2}(?::[0-9a-fA-F]{1,2}){5}")
NAME_MAX = 255  # bytes in one file name (Linux)
_LONGEST_RAW_SUFFIX = "-radvd.conf"  # NAME.conf, NAME-radvd.conf: the raw name
_LONGEST_ESCAPED_SUFFIX = ".hostsfile"  # NAME.hostsfile, .addnhosts, .pid, -radvd.pid: the escaped name


class Field(NamedTuple):
    """One kind of string: how messages name it, what it may not hold, where it is written."""

    what: str
    forbidden: frozenset[str]
    where: str
    comments: bool = False  # dnsmasq reads whitespace + '#' in it as the start of a comment


CONF = "the dnsmasq configuration"
HOSTS = "the dnsmasq hosts file"
ADDN_HOSTS = "the dnsmasq addn-hosts file"

NETWORK_NAME = Field("network <name>", _FIELD, CONF, comments=True)
BRIDGE_NAME = Field("<bridge> attribute 'name'", _WORD, CONF)
DOMAIN_NAME = Field("<domain> attribute 'name'", _DOMAIN, CONF)
FORWARDER_DOMAIN = Field("DNS <forwarder> attribute 'domain'", _DOMAIN, CONF)
TXT_NAME = Field("DNS <txt> attribute 'name'", _FIELD, CONF, comments=True)
TXT_VALUE = Field("DNS <txt> attribute 'value'", _FIELD, CONF, comments=True)
SRV_SERVICE = Field("DNS <srv> attribute 'service'", _LINE, CONF, comments=True)
SRV_PROTOCOL = Field("DNS <srv> attribute 'protocol'", _LINE, CONF, comments=True)
SRV_DOMAIN = Field("DNS <srv> attribute 'domain'", _WORD, CONF)
SRV_TARGET = Field("DNS <srv> attribute 'target'", _WORD, CONF)
BOOTP_FILE = Field("<bootp> attribute 'file'", _FIELD, CONF, comments=True)
TFTP_ROOT = Field("<tftp> attribute 'root'", _FIELD, CONF, comments=True)
HOST_ID = Field("DHCP <host> attribute 'id'", _HOST, HOSTS)
HOST_NAME = Field("DHCP <host> attribute 'name'", _HOST, HOSTS)
DNS_HOSTNAME = Field("DNS <host> <hostname>", _HOST, ADDN_HOSTS)
DNSMASQ_OPTION = Field("<dnsmasq:option> attribute 'value'", _LINE, CONF)

_NAMES = {
    ",": "a comma",
    '"': "a double quote",
    "/": "a slash",
    "#": "'#'",
}


def check_network(defn: NetworkDef) -> None:
    """Refuse a definition holding a string that would inject into a daemon file."""
    netname = defn.name
    check_value(NETWORK_NAME, netname, netname)
    check_name_length(netname)
    for kind, value in _network_strings(defn):
        check_value(kind, value, netname)
    for ipdef in defn.ips:
        for host in ipdef.hosts:
            check_dhcp_host(host, netname)
    for txt in defn.dns.txts:
        check_dns_txt(txt, netname)
    for srv in defn.dns.srvs:
        check_dns_srv(srv, netname)
    for dns_host in defn.dns.hosts:
        check_dns_host(dns_host, netname)
    for option in defn.dnsmasq_options:
        check_value(DNSMASQ_OPTION, option, netname)


def _network_strings(defn: NetworkDef) -> Iterator[tuple[Field, Optional[str]]]:
    yield BRIDGE_NAME, defn.bridge.name
    yield DOMAIN_NAME, defn.domain.name if defn.domain is not None else None
    for forwarder in defn.dns.forwarders:
        yield FORWARDER_DOMAIN, forwarder.domain
    for ipdef in defn.ips:
        yield TFTP_ROOT, ipdef.tftp_root
        yield BOOTP_FILE, ipdef.bootp.file if ipdef.bootp is not None else None


def check_dhcp_host(host: DHCPHost, netname: str) -> None:
    if host.mac is not None and _MAC.fullmatch(host.mac) is None:
        raise xml_error(
            f"DHCP <host> attribute 'mac' ({_show(host.mac)}) in network {_show(netname)} "
            f"is not only a MAC address: the rest would be written to {HOSTS}"
        )
    check_value(HOST_ID, host.id, netname)
    check_value(HOST_NAME, host.name, netname)


def check_dns_host(host: DNSHost, netname: str) -> None:
    for hostname in host.hostnames:
        check_value(DNS_HOSTNAME, hostname, netname)


def check_dns_txt(txt: DNSTxt, netname: str) -> None:
    check_value(TXT_NAME, txt.name, netname)
    check_value(TXT_VALUE, txt.value, netname)


def check_dns_srv(srv: DNSSrv, netname: str) -> None:
    check_value(SRV_SERVICE, srv.service, netname)
    check_value(SRV_PROTOCOL, srv.protocol, netname)
    check_value(SRV_DOMAIN, srv.domain, netname)
    check_value(SRV_TARGET, srv.target, netname)


def check_item(collection: str, item: Any, netname: str) -> None:
    """Refuse a new item of ``collection`` (the update engine's check); no-op for others."""
    check = _ITEM_CHECKS.get(collection)
    if check is not None:
        check(item, netname)


def check_value(field: Field, value: Optional[str], netname: str) -> None:
    """Refuse ``value`` when it holds a character ``field`` forbids."""
    if value is None:
        return
    if field.comments:
        check_no_comment_start(field, value, netname)
    if field.forbidden.isdisjoint(value):
        return
    char = next(c for c in value if c in field.forbidden)
    unit = "line" if char in CONTROL else "field"
    raise xml_error(
        f"{field.what} ({_show(value)}) in network {_show(netname)} contains {_describe(char)}, "
        f"which would add a {unit} to {field.where}"
    )


def check_no_comment_start(field: Field, value: str, netname: str) -> None:
    """Refuse ``value`` when dnsmasq would read a ``#`` in it as the start of a comment."""
    if _COMMENT_START.search(value) is not None:
        raise xml_error(
            f"{field.what} ({_show(value)}) in network {_show(netname)} contains '#' after whitespace, "
            f"which would cut a line of {field.where} short"
        )


def check_name_length(netname: str) -> None:
    """Refuse a network name whose files' names would be too long for the file system."""
    escaped = escape(netname)
    longest = max(len(netname.encode()) + len(_LONGEST_RAW_SUFFIX), len(escaped.encode()) + len(_LONGEST_ESCAPED_SUFFIX))
    if longest > NAME_MAX:
        raise xml_error(
            f"network name {_show(netname[:40] + '...')} is too long: a file named after it would have "
            f"{longest} bytes, more than the {NAME_MAX} a file name may have"
        )


def _describe(char: str) -> str:
    if char in CONTROL:
        return f"a control character (U+{ord(char):04X})"
    if char in WHITESPACE:
        return "whitespace"
    return _NAMES[char]


def _show(value: str) -> str:
    """``value`` quoted on one line, control characters written as escapes."""
    return "'" + "".join(c if c not in CONTROL else _escape(c) for c in value) + "'"


def _escape(char: str) -> str:
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char, f"\\x{ord(char):02x}")


_ITEM_CHECKS: dict[str, Callable[[Any, str], None]] = {
    DHCP_HOST: check_dhcp_host,
    DNS_HOST: check_dns_host,
    DNS_TXT: check_dns_txt,
    DNS_SRV: check_dns_srv,
}
