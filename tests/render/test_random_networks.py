"""Random driver-valid L3 networks rendered and checked by the real dnsmasq and radvd.

The networks come from :func:`tests.strategies.networks` (what define accepts,
injection-safe strings included).  Two properties:

* structure: every ``.conf`` line is one of the options libvirt writes, once
  per line (nothing the model lets through adds a line or an option);
* syntax: ``dnsmasq --test`` accepts the file, or refuses a line whose *value*
  libvirt passes through unchecked and dnsmasq validates (a domain, TXT or
  SRV name dnsmasq's name check refuses, such as ``A-`` or ``é``; DHCPv6 on a
  prefix shorter than 64): libvirt
  writes the same file and its network start then fails with dnsmasq's error.
  Host lines (``dhcp-host=``) must pass but for a host name dnsmasq's name
  check refuses (``aA-``; dnsmasq then skips that hosts-file line); a line repeating another's
  address is left out of the check (fatal in a conf, only a warning when dnsmasq
  reads the hosts file, and libvirt's define allows it).  radvd must accept its file, but
  for a ``prefix`` whose address starts with ``::`` (``::1/1``): radvd's lexer reads no such
  address, libvirt's radvd-era template writes it all the same, and its radvd would not start.
"""

from __future__ import annotations

import re
from typing import Optional

from hypothesis import event, given, settings
from hypothesis import strategies as st

from netstore.errors import libvirtError
from netstore.model import parse_network_xml
from netstore.model.address import parse_address
from netstore.model.safety import check_network
from netstore.model.types import NetworkDef
from netstore.render import RA_MODES, DnsmasqFiles, render_dnsmasq, render_radvd
from tests import strategies
from tests.helpers import require, scaled
from tests.render.daemons import binary, dnsmasq_test, radvd_configtest

L3 = (None, "none", "nat", "route", "open")
START_ERRORS = ("multiple DHCP definitions", "PTR domain for", "has an invalid prefix")
LIBVIRT_OPTIONS = frozenset({
    "strict-order", "port", "server", "no-resolv", "local", "domain", "expand-hosts", "domain-needed",
    "pid-file", "except-interface", "bind-dynamic", "interface", "dhcp-option", "ra-param", "txt-record",
    "srv-host", "enable-tftp", "tftp-root", "dhcp-range", "dhcp-no-override", "dhcp-authoritative",
    "dhcp-boot", "dhcp-lease-max", "dhcp-hostsfile", "addn-hosts", "enable-ra",
})
VALUE_CHECKED_BY_DNSMASQ = frozenset({"domain", "local", "server", "srv-host", "txt-record", "dhcp-range"})
HOST_NAME_REFUSED = "bad DHCP host name"
ERROR_LINE = re.compile(r" at line (\d+) of ")
RADVD_ERROR_LINE = re.compile(r"\.conf:(\d+) error: syntax error")


def _render(defn: NetworkDef, ra: str) -> Optional[tuple[DnsmasqFiles, Optional[str]]]:
    try:
        return render_dnsmasq(defn, pid_file="/run/libvirt/network/x.pid", ra=ra), render_radvd(defn)
    except libvirtError as err:
        assert any(text in err.get_error_message() for text in START_ERRORS), err.get_error_message()
        event("refused at start, as libvirt")
        return None


def _host_address(line: str) -> Optional[str]:
    for field in line.split(","):
        address = parse_address(field.strip("[]"))
        if address is not None:
            return address.text
    return None


def _conf_with_distinct_hosts(files: DnsmasqFiles) -> str:
    """The conf plus each hosts-file line as ``dhcp-host=`` whose address is not repeated."""
    seen: set[Optional[str]] = set()
    lines = []
    for line in (files.hostsfile or "").splitlines():
        address = _host_address(line)
        if address not in seen:
            seen.add(address)
            lines.append(f"dhcp-host={line}\n")
    return files.conf + "".join(lines)


def _key(line: str) -> str:
    return line.split("=", 1)[0]


def _check_structure(conf: str) -> None:
    body = [line for line in conf.splitlines() if not line.startswith("##")]
    assert all(_key(line) in LIBVIRT_OPTIONS for line in body), conf


def _check_syntax(conf: str) -> None:
    status, stderr = dnsmasq_test(conf)
    if status == 0:
        return
    found = ERROR_LINE.search(stderr)
    assert found is not None, stderr
    line = conf.splitlines()[int(found.group(1)) - 1]
    host_name = _key(line) == "dhcp-host" and HOST_NAME_REFUSED in stderr
    assert host_name or _key(line) in VALUE_CHECKED_BY_DNSMASQ, f"{stderr}\n{conf}"
    event(f"dnsmasq refuses a {_key(line)}= value, as under libvirt")


@settings(max_examples=scaled(60, 20), deadline=None)
@given(xml=strategies.networks(driver_valid=True, modes=L3), ra=st.sampled_from(RA_MODES))
def test_daemons_accept_every_render(xml: str, ra: str) -> None:
    require(binary("dnsmasq") is not None and binary("radvd") is not None, "dnsmasq and radvd binaries")
    defn = parse_network_xml(xml)
    check_network(defn)
    if defn.bridge.name is None:
        defn.bridge.name = "virbr1"  # what define assigns
    rendered = _render(defn, ra)
    if rendered is None:
        return
    files, radvd = rendered
    _check_structure(files.conf)
    _check_syntax(_conf_with_distinct_hosts(files))
    if radvd is not None:
        status, stderr = radvd_configtest(radvd)
        if status != 0 and _radvd_cannot_read_the_prefix(stderr, radvd):
            event("radvd refuses a prefix address starting with '::', as libvirt's would")
            return
        assert status == 0, f"{stderr}\n{radvd}"


def _radvd_cannot_read_the_prefix(stderr: str, conf: str) -> bool:
    """radvd's syntax error is at a ``prefix ::...`` line (its lexer reads no leading '::')."""
    found = RADVD_ERROR_LINE.search(stderr)
    lines = conf.splitlines()
    return found is not None and lines[int(found.group(1)) - 1].lstrip().startswith("prefix ::")
