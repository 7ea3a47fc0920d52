"""Hypothesis strategies for libvirt 9.0.0 network XML and virNetworkUpdate requests.

Three families:

* :func:`networks` - random definitions covering every element of the round-trip
  corpus.  They respect the parser's forward-mode rules, so nearly all are valid
  for the parser (``test:///default``); with ``driver_valid=True`` they also pass
  the bridge driver's ``networkValidate`` (network-xml-format.md §4, §5.2).
  Inputs vary lexically (short IPv4 forms, octal/hex numbers, upper-case MACs,
  odd UUID spellings) to exercise libvirt's normalisation.
* :func:`invalid_networks` - a valid definition with one deliberate defect.
* :func:`update_requests` - a virNetworkUpdate call (command, section,
  parentIndex, xml) drawn against the *current* XML of a network, so it hits
  existing entries often; valid and invalid fragments, all 12 sections and
  out-of-range commands, sections and indexes.

The "compare exactly" strategies never produce what netstore's injection
safety (netstore/model/safety.py) refuses on purpose in strings bound for a
daemon file: control characters anywhere, commas and double quotes in field
values, whitespace and '#' in host names, text after a DHCP host MAC.
:func:`injection_fragments` and :func:`injection_networks` produce exactly
those, for the deviation tests.
"""

from __future__ import annotations

import ipaddress
import socket
import string
import uuid as uuidlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Optional

from hypothesis import strategies as st
from lxml import etree

FORWARD_MODES = ("none", "nat", "route", "open", "bridge", "private", "vepa", "passthrough", "hostdev")
L3_MODES = ("none", "nat", "route", "open")
DNSMASQ_NS = "http://libvirt.org/schemas/network/dnsmasq/1.0"
MODIFY, DELETE, ADD_LAST, ADD_FIRST = 1, 2, 3, 4

# ---------------------------------------------------------------------------------------------
# text


SAFE = string.ascii_letters + string.digits + "-_."
# printable, no control characters; includes what libvirt escapes and non-ASCII
FREE = SAFE + " '\"&<>:;=+*/?!#%@()[]{}~^|`$" + "éüß中😀"
# the same without what netstore's injection safety refuses in daemon-bound values (, and ")
DAEMON_FREE = FREE.replace('"', "")
RAW_SAFE = SAFE + ":+@~"  # for the fields libvirt writes without escaping (round-trip safe)


def words(min_size: int = 1, max_size: int = 10, alphabet: str = SAFE) -> st.SearchStrategy[str]:
    return st.text(alphabet, min_size=min_size, max_size=max_size)


def labels(max_size: int = 12) -> st.SearchStrategy[str]:
    """Host-name-like: first character a letter or digit."""
    return st.builds(lambda a, b: a + b, st.sampled_from(string.ascii_letters + string.digits),
                     words(0, max_size - 1, string.ascii_letters + string.digits + "-."))


RAW_TRICKS = ["a'>b", "x' default='yes", "p'/><portgroup name='q", "a&b", "a<b", "a&amp;b", "it's"]


def raw_text(raw_specials: bool) -> st.SearchStrategy[str]:
    """Values libvirt writes raw: with ``raw_specials`` they may break the formatted XML, or
    (``RAW_TRICKS``) re-parse into something else."""
    if not raw_specials:
        return words(1, 10, RAW_SAFE)
    return st.one_of(words(1, 10, RAW_SAFE + "&'<>\""), st.sampled_from(RAW_TRICKS))


def unsigned_text(value: int) -> st.SearchStrategy[str]:
    """strtoul base 10 spellings: leading '+', leading blanks and zeros are accepted."""
    return st.sampled_from([str(value), "+" + str(value), " " + str(value), "0" + str(value)])


def base0_text(value: int) -> st.SearchStrategy[str]:
    """strtoul base 0 spellings: decimal, 0x hex, leading-zero octal."""
    return st.sampled_from([str(value), hex(value), hex(value).upper().replace("X", "x"),
                            "0" + oct(value)[2:] if value else "0"])


def tristate() -> st.SearchStrategy[Optional[str]]:
    return st.sampled_from((None, "yes", "no"))


# ---------------------------------------------------------------------------------------------
# addresses


def v4_text(value: int) -> st.SearchStrategy[str]:
    """inet_aton spellings of an IPv4 address (canonical most of the time)."""
    octets = value.to_bytes(4, "big")

    def part(n: int, style: str) -> str:
        if style == "hex":
            return hex(n)
        if style == "oct" and n:
            return "0" + oct(n)[2:]
        return str(n)

    canonical = ".".join(map(str, octets))
    odd = st.sampled_from(["dec", "hex", "oct"]).flatmap(
        lambda style: st.sampled_from([
            ".".join(part(o, style) for o in octets),
            f"{part(octets[0], style)}.{part(octets[1], style)}.{part(value & 0xFFFF, style)}",
            f"{part(octets[0], style)}.{part(value & 0xFFFFFF, style)}",
            part(value, style),
        ]))
    return st.one_of(st.just(canonical), st.just(canonical), st.just(canonical), odd)


def v6_text(value: int) -> st.SearchStrategy[str]:
    addr = ipaddress.IPv6Address(value)
    return st.sampled_from([addr.compressed, addr.compressed, addr.exploded, addr.compressed.upper()])


def addr_text(family: int, value: int) -> st.SearchStrategy[str]:
    return v4_text(value) if family == 4 else v6_text(value)


def canonical(family: int, value: int) -> str:
    return str(ipaddress.ip_address(value) if family == 4 else ipaddress.IPv6Address(value))


def mac_text(octets: bytes) -> st.SearchStrategy[str]:
    """Spellings libvirt accepts: canonical, upper case, single-digit groups."""
    lower = ":".join(f"{o:02x}" for o in octets)
    return st.sampled_from([lower, lower, lower.upper(), ":".join(f"{o:x}" for o in octets)])


def unicast_macs() -> st.SearchStrategy[bytes]:
    return st.binary(min_size=6, max_size=6).map(lambda b: bytes([b[0] & 0xFE]) + b[1:])


def uuid_text() -> st.SearchStrategy[str]:
    def spell(u: uuidlib.UUID, style: int) -> str:
        text = str(u)
        return [text, text, text.upper(), u.hex, f"  {text} ", " ".join(u.hex[i:i + 2] for i in range(0, 32, 2))][style]
    return st.builds(spell, st.uuids(), st.integers(0, 5))


@dataclass(frozen=True)
class Subnet:
    """An <ip> as the generator planned it (effective prefix as libvirt computes it)."""

    family: int
    address: int
    network: int
    prefix: int

    @property
    def bits(self) -> int:
        return 32 if self.family == 4 else 128

    @property
    def last(self) -> int:
        return self.network | ((1 << (self.bits - self.prefix)) - 1)


def _classful_prefix(value: int) -> int:
    first = value >> 24
    return 8 if first < 128 else 16 if first < 192 else 24


@st.composite
def subnets(draw: Any, family: int) -> tuple[Subnet, str]:
    """A planned <ip> and how its prefix is spelled: 'prefix', 'netmask' or 'classful'."""
    if family == 4:
        how = draw(st.sampled_from(["prefix", "netmask", "classful"]))
        prefix = draw(st.integers(1, 32) | st.integers(8, 30)) if how != "classful" else 0  # 0: classful
        address = draw(st.integers(1 << 24, (224 << 24) - 1))  # class A..C: classful is defined
        if how == "classful":
            prefix = _classful_prefix(address)
        network = address & ~((1 << (32 - prefix)) - 1) & 0xFFFFFFFF
        last = network | ((1 << (32 - prefix)) - 1)
        trim = _V4_TRIM if prefix < 31 else 0  # /31 and /32 have no network or broadcast address
        address = draw(st.integers(network + trim, last - trim))
        return Subnet(4, address, network, prefix), how
    prefix = draw(st.integers(1, 128) | st.sampled_from([64, 64, 48, 96, 112, 120, 124]))  # 0: the default
    network = draw(st.integers(0x2001_0db8 << 96, (0x2001_0db9 << 96) - 1)) & ~((1 << (128 - prefix)) - 1)
    first = network + 1 if prefix < 128 else network
    address = draw(st.integers(first, network + min((1 << (128 - prefix)) - 1, 1 << 20)))
    return Subnet(6, address, network, prefix), "prefix"


_V4_TRIM = 1  # IPv4 subnets up to /30 keep their first and last address out of DHCP ranges


def prefix_to_netmask(prefix: int) -> int:
    return (0xFFFFFFFF << (32 - prefix)) & 0xFFFFFFFF


# ---------------------------------------------------------------------------------------------
# element builders (lxml escapes attribute values and text for us)


def element(tag: str, attrs: Optional[dict[str, Optional[str]]] = None, *children: etree._Element,
      text: Optional[str] = None) -> etree._Element:
    node = etree.Element(tag)
    for key, value in (attrs or {}).items():
        if value is not None:
            node.set(key, value)
    node.extend(children)
    if text is not None:
        node.text = text
    return node


def to_xml(node: etree._Element) -> str:
    return etree.tostring(node, encoding="unicode")


@st.composite
def leases(draw: Any) -> etree._Element:
    """A valid <lease>: 0 (infinite) or at least 2 minutes."""
    unit = draw(st.sampled_from([None, "seconds", "minutes", "hours"]))
    floor = 120 if unit == "seconds" else 1 if unit == "hours" else 2
    expiry = draw(st.one_of(st.just(0), st.integers(floor, 100000)))
    return element("lease", {"expiry": str(expiry), "unit": unit})


@st.composite
def dhcp_ranges(draw: Any, sub: Subnet) -> etree._Element:
    trim = _V4_TRIM if sub.family == 4 and sub.prefix < 31 else 0
    low, high = sub.network + trim, sub.last - trim
    start = draw(st.integers(low, high))
    block = 0xFFFF
    end = draw(st.integers(start, min(high, start | block)))
    node = element("range", {"start": draw(addr_text(sub.family, start)), "end": draw(addr_text(sub.family, end))})
    if draw(st.integers(0, 4)) == 0:
        node.append(draw(leases()))
    return node


@st.composite
def dhcp_hosts(draw: Any, sub: Subnet) -> etree._Element:
    ip = draw(st.integers(sub.network, sub.last) if draw(st.integers(0, 9))
              else st.integers(1, 2**sub.bits - 1))
    attrs: dict[str, Optional[str]] = {}
    if sub.family == 4:
        keys = draw(st.sampled_from([("mac",), ("name",), ("mac", "name"), ("mac", "name", "id")]))
    else:
        keys = draw(st.sampled_from([("id",), ("name",), ("id", "name")]))
    if "mac" in keys:
        attrs["mac"] = draw(unicast_macs().flatmap(mac_text))
    if "id" in keys:
        attrs["id"] = draw(words(1, 20, string.hexdigits + ":"))
    if "name" in keys:
        attrs["name"] = draw(labels())
    attrs["ip"] = draw(addr_text(sub.family, ip))
    node = element("host", attrs)
    if draw(st.integers(0, 5)) == 0:
        node.append(draw(leases()))
    return node


@st.composite
def ip_elements(draw: Any, family: int, with_dhcp: bool) -> tuple[etree._Element, Subnet]:
    sub, how = draw(subnets(family))
    attrs: dict[str, Optional[str]] = {}
    if family == 6:
        attrs["family"] = "ipv6"
    elif draw(st.booleans()):
        attrs["family"] = "ipv4"
    attrs["address"] = draw(addr_text(family, sub.address))
    if how == "netmask":
        attrs["netmask"] = draw(v4_text(prefix_to_netmask(sub.prefix)))
    elif how == "prefix":
        attrs["prefix"] = draw(unsigned_text(sub.prefix))
    attrs["localPtr"] = draw(tristate())
    node = element("ip", attrs)
    if family == 4 and draw(st.integers(0, 5)) == 0:
        node.append(element("tftp", {"root": draw(words(1, 12, SAFE + "/"))}))
    if with_dhcp:
        dhcp = element("dhcp")
        ranges_fit = family == 6 or sub.prefix < 31  # a /31 or /32 range is its network or broadcast address
        dhcp.extend(draw(st.lists(dhcp_ranges(sub), max_size=3 if ranges_fit else 0)))
        dhcp.extend(draw(st.lists(dhcp_hosts(sub), max_size=4)))
        if family == 4 and draw(st.integers(0, 3)) == 0:
            server = draw(st.none() | st.integers(1, 2**32 - 2).flatmap(lambda v: v4_text(v)))
            dhcp.append(element("bootp", {"file": draw(words(0, 12, SAFE + "/")), "server": server}))
        node.append(dhcp)
    return node, sub


@st.composite
def routes(draw: Any, subs: list[Subnet]) -> etree._Element:
    via = draw(st.sampled_from(subs))
    bits = via.bits
    prefix = draw(st.integers(0, bits))
    network = draw(st.integers(0, (1 << bits) - 1)) & ~((1 << (bits - prefix)) - 1)
    attrs: dict[str, Optional[str]] = {}
    if via.family == 6:
        attrs["family"] = "ipv6"
    elif draw(st.booleans()):
        attrs["family"] = "ipv4"
    attrs["address"] = draw(addr_text(via.family, network))
    if via.family == 4 and draw(st.booleans()):
        attrs["netmask"] = canonical(4, prefix_to_netmask(prefix))
    else:
        attrs["prefix"] = str(prefix)
    attrs["gateway"] = draw(addr_text(via.family, draw(st.integers(via.network, via.last))))
    attrs["metric"] = draw(st.none() | st.integers(1, 2**32 - 1).map(str))
    return element("route", attrs)


@st.composite
def dns_elements(draw: Any, records: bool) -> etree._Element:
    enable = draw(tristate())
    node = element("dns", {"enable": enable, "forwardPlainNames": draw(tristate())})
    forwarders = draw(st.lists(st.builds(
        lambda d, a: element("forwarder", {"domain": d, "addr": a}),
        st.none() | words(0, 10), st.none() | st.sampled_from([4, 6]).flatmap(
            lambda f: st.integers(1, 2**(32 if f == 4 else 128) - 1).flatmap(lambda v: addr_text(f, v)))
    ).filter(lambda e: e.attrib), max_size=3))
    if enable != "no":
        node.extend(forwarders)
        if records:
            node.extend(draw(st.lists(dns_txts(), max_size=3, unique_by=lambda e: e.get("name"))))
            node.extend(draw(st.lists(dns_srvs(), max_size=3)))
            node.extend(draw(st.lists(dns_hosts(), max_size=3)))
    return node


def dns_txts() -> st.SearchStrategy[etree._Element]:
    return st.builds(lambda n, v: element("txt", {"name": n, "value": v}), words(1, 10, SAFE + ":'&<"),
                     words(0, 16, DAEMON_FREE))


@st.composite
def dns_srvs(draw: Any, require_core: bool = True) -> etree._Element:
    attrs: dict[str, Optional[str]] = {
        "service": draw(words(0 if not require_core else 1, 10, string.ascii_letters + string.digits + "_-+/*")),
        "protocol": draw(words(1, 6, string.ascii_letters + string.digits + "-+/")),
        "domain": draw(st.none() | words(0, 12)),
        "target": draw(st.none() | words(0, 12)),
    }
    if attrs["target"] is not None:
        attrs["port"] = draw(st.none() | st.integers(1, 65535).map(str))
        attrs["priority"] = draw(st.none() | st.integers(0, 65535).map(str))
        attrs["weight"] = draw(st.none() | st.integers(0, 65535).map(str))
    return element("srv", attrs)


@st.composite
def dns_hosts(draw: Any) -> etree._Element:
    family = draw(st.sampled_from([4, 6]))
    value = draw(st.integers(1, 2**(32 if family == 4 else 128) - 1))
    node = element("host", {"ip": draw(addr_text(family, value))})
    for name in draw(st.lists(labels(), min_size=1, max_size=3)):
        node.append(element("hostname", text=name))
    return node


@st.composite
def vlans(draw: Any) -> etree._Element:
    tags = draw(st.lists(st.integers(0, 4095), min_size=1, max_size=4))
    trunk = draw(st.sampled_from([None, "yes", "YES"] + (["no"] if len(tags) == 1 else [])))
    node = element("vlan", {"trunk": trunk})
    native = draw(st.none() | st.integers(0, len(tags) - 1)) if trunk != "no" and (len(tags) > 1 or trunk) else None
    for i, tag in enumerate(tags):
        mode = draw(st.sampled_from(["tagged", "untagged"])) if i == native else None
        node.append(element("tag", {"id": draw(unsigned_text(tag)), "nativeMode": mode}))
    return node


@st.composite
def bandwidths(draw: Any) -> etree._Element:
    node = element("bandwidth")

    @st.composite
    def rate(draw: Any, tag: str) -> etree._Element:
        average = draw(st.integers(0, 2**40))
        attrs = {"average": draw(unsigned_text(average))}
        attrs["peak"] = draw(st.none() | st.integers(0, 2**40).map(str))
        attrs["burst"] = draw(st.none() | st.integers(0, 2**30).map(str))
        return element(tag, attrs)

    kinds = draw(st.sampled_from([("inbound",), ("outbound",), ("inbound", "outbound"), ("outbound", "inbound")]))
    for kind in kinds:
        node.append(draw(rate(kind)))
    return node


VPORT_PARAMS = {
    "802.1Qbg": ("managerid", "typeid", "typeidversion", "instanceid"),
    "802.1Qbh": ("profileid",),
    "openvswitch": ("interfaceid", "profileid"),
    "midonet": ("interfaceid",),
    None: ("managerid", "typeid", "typeidversion", "instanceid", "interfaceid", "profileid"),
}


@st.composite
def virtualports(draw: Any, typed: bool, types: Optional[tuple[Optional[str], ...]] = None,
                 raw_specials: bool = False) -> etree._Element:
    choices = types or (("802.1Qbg", "802.1Qbh", "openvswitch", "midonet") + (() if typed else (None,)))
    vtype = draw(st.sampled_from(choices))
    node = element("virtualport", {"type": vtype})
    names = draw(st.lists(st.sampled_from(VPORT_PARAMS[vtype]), unique=True))
    if vtype is None and not names:
        names = ["profileid"]
    if names:
        attrs: dict[str, Optional[str]] = {}
        limits = {"managerid": 255, "typeid": 0xFFFFFF, "typeidversion": 255}
        for name in names:
            if name in limits:
                attrs[name] = draw(st.integers(0, limits[name]).flatmap(base0_text))
            elif name in ("instanceid", "interfaceid"):
                attrs[name] = draw(uuid_text()).strip()
            else:
                attrs[name] = draw(words(1, 39, RAW_SAFE + ("&'<" if raw_specials else "")))
        node.append(element("parameters", attrs))
    return node


@st.composite
def portgroups(draw: Any, name: str, *, default: bool, vlan_ok: bool, vport_types: tuple[Optional[str], ...],
               bandwidth_ok: bool, raw_specials: bool) -> etree._Element:
    node = element("portgroup", {"name": name,
                           "default": draw(st.sampled_from(["yes", "YES", "Yes"])) if default else
                           draw(st.sampled_from([None, None, "no", "maybe"])),
                           "trustGuestRxFilters": draw(tristate())})
    children = []
    if vport_types and draw(st.booleans()):
        children.append(draw(virtualports(False, vport_types, raw_specials)))
    if vlan_ok and draw(st.booleans()):
        children.append(draw(vlans()))
    if bandwidth_ok and draw(st.integers(0, 3)) == 0:
        children.append(draw(bandwidths()))
    node.extend(draw(st.permutations(children)))
    return node


@st.composite
def metadata_elements(draw: Any) -> etree._Element:
    """<metadata> with namespaced children.  A default-namespace declaration may carry a
    non-ASCII URI: lxml refuses those as namespaces, so it is written as a plain
    ``xmlns`` attribute, which serialises to the same text."""
    node = element("metadata")
    for i in range(draw(st.integers(0, 3))):
        ns = draw(st.sampled_from([f"http://example.org/app{n}/" for n in range(4)] + ["urn:x'y&z"]))
        child = etree.SubElement(node, f"{{{ns}}}{draw(words(1, 6, string.ascii_letters))}", nsmap={f"a{i}": ns})
        if draw(st.integers(0, 9)) == 0:
            child.set("xmlns", draw(st.sampled_from(["urn:default", "urn:default", "fé", "urn:中"])))
        for key in draw(st.lists(words(1, 5, string.ascii_letters), max_size=2, unique=True)):
            child.set(key, draw(words(0, 8, FREE)))
        if draw(st.booleans()):
            child.text = draw(words(0, 10, FREE))
        else:
            for _ in range(draw(st.integers(0, 2))):
                etree.SubElement(child, f"{{{ns}}}{draw(words(1, 5, string.ascii_letters))}")
    return node


# ---------------------------------------------------------------------------------------------
# whole networks


@st.composite
def forwards(draw: Any, mode: Optional[str], ifaces: list[str], pci: bool, pf: bool
             ) -> Optional[etree._Element]:
    if mode is None:
        return None
    spelled = draw(st.sampled_from([None, ""])) if mode == "nat" and draw(st.booleans()) else mode
    node = element("forward", {"mode": spelled})
    if mode == "hostdev" or draw(st.integers(0, 5)) == 0:
        node.set("managed", draw(st.sampled_from(["yes", "no", "YES", "garbage"])))
    if draw(st.integers(0, 5)) == 0:
        node.append(element("driver", {"name": draw(st.sampled_from(["kvm", "vfio"]))}))
    if mode == "nat" and draw(st.booleans()):
        nat = element("nat", {"ipv6": draw(tristate())})
        if draw(st.booleans()):
            start = draw(st.integers(1, 2**32 - 1))
            end = draw(st.integers(start, start | 0xFFFF))
            nat.append(element("address", {"start": canonical(4, start), "end": canonical(4, end)}))
        if draw(st.booleans()):
            low = draw(st.integers(0, 65535))
            nat.append(element("port", {"start": str(low), "end": str(draw(st.integers(low, 65535)))}))
        node.append(nat)
    if ifaces and draw(st.booleans()):
        node.set("dev", ifaces[0])
        if draw(st.booleans()):
            ifaces = ifaces[:1]
    for dev in ifaces if len(ifaces) > 1 or "dev" not in node.attrib or draw(st.booleans()) else []:
        node.append(element("interface", {"dev": dev}))
    if pci:
        seen = set()
        for _ in range(draw(st.integers(1, 3))):
            addr = (draw(st.integers(0, 0xFFFF)), draw(st.integers(0, 0xFF)), draw(st.integers(0, 0x1F)),
                    draw(st.integers(0, 7)))
            if addr in seen:
                continue
            seen.add(addr)
            node.append(element("address", {"type": "pci", "domain": draw(base0_text(addr[0])),
                                      "bus": draw(base0_text(addr[1])), "slot": draw(base0_text(addr[2])),
                                      "function": draw(base0_text(addr[3]))}))
    if pf:
        node.append(element("pf", {"dev": draw(words(1, 8))}))
    return node


IFACE_NAMES = ("eth0", "eth1", "eth2", "enp1s0", "ens3", "lo", "wlan0", "bond0")


@st.composite
def networks(draw: Any, *, driver_valid: bool = False, modes: tuple[Optional[str], ...] = (None,) + FORWARD_MODES,
             dnsmasq: bool = False, raw_specials: bool = False, name: Optional[str] = None,
             session_startable: bool = False) -> str:
    """A random valid network definition (XML text).

    ``session_startable`` limits the network to what the unprivileged bridge
    driver can start (implies ``driver_valid``): modes bridge, private, vepa and
    passthrough with a bridge name 'lo' or a netdev pool.
    """
    if session_startable:
        driver_valid = True
        modes = tuple(m for m in modes if m in ("bridge", "private", "vepa", "passthrough")) or (
            "bridge", "private", "vepa", "passthrough")
    mode = draw(st.sampled_from(modes))
    eff = mode or "none"
    l3 = eff in L3_MODES
    attrs: dict[str, Optional[str]] = {}
    if draw(st.integers(0, 4)) == 0:
        attrs["ipv6"] = draw(st.sampled_from(["yes", "no"]))
    attrs["trustGuestRxFilters"] = draw(tristate())
    root = element("network", attrs)
    net_name = name if name is not None else draw(
        words(1, 14, SAFE + " '&<>éü中").filter(lambda s: s != "default" and "/" not in s))
    root.append(element("name", text=net_name))
    root.append(element("uuid", text=draw(uuid_text())))
    if draw(st.integers(0, 4)) == 0:
        root.append(draw(metadata_elements()))

    # forward pool
    ifaces: list[str] = []
    pci = pf = False
    bridge_name = None
    if eff in ("nat", "route") and draw(st.booleans()):
        ifaces = [draw(st.sampled_from(IFACE_NAMES))]
    elif eff in ("bridge", "private", "vepa", "passthrough"):
        pool = draw(st.lists(st.sampled_from(IFACE_NAMES), unique=True, max_size=4))
        if eff == "bridge":
            if session_startable:
                pool = pool[:1] if pool and draw(st.booleans()) else []
            if not pool:
                bridge_name = "lo" if session_startable else draw(st.sampled_from(["br0", "lo", "virbr9"]))
        elif session_startable:
            pool = pool or ["lo"]
        elif not pool and draw(st.booleans()):
            pf = True
        ifaces = pool
    elif eff == "hostdev":
        if draw(st.booleans()):
            pci = True
        elif not driver_valid:
            pf = True
    subs: list[Subnet] = []
    ip_nodes = []
    ip_allowed = l3 or not driver_valid
    if ip_allowed:
        families = draw(st.lists(st.sampled_from([4, 6]), min_size=1 if eff in ("nat", "route", "open") else 0,
                                 max_size=3))
        dhcp_done: set[int] = set()
        for family in families:
            with_dhcp = draw(st.booleans()) and not (driver_valid and family in dhcp_done)
            node, sub = draw(ip_elements(family, with_dhcp))
            if node.find("dhcp") is not None and (node.find("dhcp/range") is not None
                                                  or node.find("dhcp/host") is not None):
                dhcp_done.add(family)
            ip_nodes.append(node)
            subs.append(sub)

    fwd = draw(forwards(mode, ifaces, pci, pf))
    if fwd is not None:
        root.append(fwd)

    # bridge / mtu / mac / domain
    battrs: dict[str, Optional[str]] = {}
    if l3:
        if draw(st.booleans()):
            battrs["name"] = draw(st.sampled_from(["virbr0", "virbr10", "br-x", "tst%d"]))
        if draw(st.integers(0, 3)) == 0:
            battrs["zone"] = draw(words(1, 8))
        if draw(st.booleans()):
            battrs["stp"] = draw(st.sampled_from(["on", "off", "no", "OFF", ""]))
        if draw(st.booleans()):
            battrs["delay"] = draw(st.integers(0, 2**32).flatmap(unsigned_text))
    elif bridge_name:
        battrs["name"] = bridge_name
    if (l3 or eff == "bridge") and not session_startable and draw(st.integers(0, 3)) == 0:
        battrs["macTableManager"] = draw(st.sampled_from(["kernel", "libvirt"]))
    if battrs or (l3 and draw(st.booleans())):
        root.append(element("bridge", battrs))
    if l3 and draw(st.integers(0, 3)) == 0:
        root.append(element("mtu", {"size": draw(st.sampled_from(["0", "1500", "+9000", "01500", "-1", "65536"]))}))
    if (l3 or not driver_valid) and draw(st.integers(0, 2)) == 0:
        root.append(element("mac", {"address": draw(unicast_macs().flatmap(mac_text))}))
    if (l3 or not driver_valid) and draw(st.integers(0, 3)) == 0:
        root.append(element("domain", {"name": draw(raw_text(raw_specials)), "localOnly": draw(tristate())}))

    # dns
    if draw(st.integers(0, 2)) == 0:
        records = l3 or not driver_valid
        root.append(draw(dns_elements(records)))

    # network-level virtualport / vlan / bandwidth / port
    ovs = False
    if draw(st.integers(0, 4)) == 0 and (not driver_valid or not l3):
        types = ("openvswitch",) if eff == "bridge" and driver_valid else None
        vport = draw(virtualports(True, types, raw_specials))
        ovs = vport.get("type") == "openvswitch"
        root.append(vport)
    vlan_ok = not driver_valid or eff in ("hostdev", "passthrough") or (eff == "bridge" and ovs)
    if vlan_ok and draw(st.integers(0, 4)) == 0:
        root.append(draw(vlans()))
    bandwidth_ok = not driver_valid or l3 or (eff == "bridge" and bridge_name is not None)
    # a session (unprivileged) daemon refuses to start a network with bandwidth: code 84
    if bandwidth_ok and not session_startable and draw(st.integers(0, 4)) == 0:
        root.append(draw(bandwidths()))
    if draw(st.integers(0, 4)) == 0:
        root.append(element("port", {"isolated": draw(st.sampled_from(["yes", "no"]))}))

    root.extend(ip_nodes)
    if subs and draw(st.integers(0, 3)) == 0:
        root.extend(draw(st.lists(routes(subs), max_size=2)))

    # portgroups
    pg_names = draw(st.lists(raw_text(raw_specials) if not driver_valid else words(1, 8),
                             max_size=3, unique=driver_valid))
    default_at = draw(st.none() | st.integers(0, max(len(pg_names) - 1, 0))) if pg_names else None
    for i, pg_name in enumerate(pg_names):
        if driver_valid:
            # a portgroup virtualport with a vlan needs bridge mode + openvswitch (§5.2)
            vtypes: tuple[Optional[str], ...] = ("openvswitch",) if eff == "bridge" else ()
            pg_vlan_ok = eff == "bridge" or vlan_ok
        else:
            vtypes = ("802.1Qbg", "802.1Qbh", "openvswitch", "midonet", None)
            pg_vlan_ok = True
        root.append(draw(portgroups(pg_name, default=(i == default_at) or (not driver_valid and draw(
            st.integers(0, 9)) == 0), vlan_ok=pg_vlan_ok and (not driver_valid or vtypes or vlan_ok),
            vport_types=vtypes, bandwidth_ok=bandwidth_ok, raw_specials=raw_specials)))
    if driver_valid:
        _fix_portgroup_vlans(root, eff, vlan_ok)

    if dnsmasq and draw(st.integers(0, 2)) == 0:
        options = etree.SubElement(root, f"{{{DNSMASQ_NS}}}options", nsmap={"dnsmasq": DNSMASQ_NS})
        for value in draw(st.lists(words(0, 12, SAFE + "=,"), min_size=1, max_size=3)):
            etree.SubElement(options, f"{{{DNSMASQ_NS}}}option", value=value)
    return to_xml(root)


def _fix_portgroup_vlans(root: etree._Element, mode: str, vlan_ok: bool) -> None:
    """Drop vlans the bridge driver would refuse (network-xml-format.md §5.2, VLAN rule)."""
    net_vlan = root.find("vlan") is not None
    for pg in root.findall("portgroup"):
        vport = pg.find("virtualport")
        has_vlan = net_vlan or pg.find("vlan") is not None
        if vport is not None and has_vlan and not (mode == "bridge" and vport.get("type") == "openvswitch"):
            pg.remove(vport)
            vport = None
        if vport is None and pg.find("vlan") is not None and not vlan_ok:
            pg.remove(pg.find("vlan"))
    if net_vlan and not root.findall("portgroup") and not vlan_ok:
        root.remove(root.find("vlan"))


# ---------------------------------------------------------------------------------------------
# invalid networks: one defect in an otherwise valid definition

Mutation = Callable[[etree._Element, Any], bool]


def _set(path: str, attr: str, values: list[str]) -> Mutation:
    def mutate(root: etree._Element, draw: Any) -> bool:
        nodes = root.findall(path)
        if not nodes:
            return False
        draw(st.sampled_from(nodes)).set(attr, draw(st.sampled_from(values)))
        return True
    mutate.__name__ = f"set {path}@{attr}"
    return mutate


def _add(path: str, make: Callable[[], etree._Element]) -> Mutation:
    def mutate(root: etree._Element, draw: Any) -> bool:
        nodes = [root] if path == "." else root.findall(path)
        if not nodes:
            return False
        draw(st.sampled_from(nodes)).append(make())
        return True
    mutate.__name__ = f"add under {path}"
    return mutate


def _text(path: str, values: list[str]) -> Mutation:
    def mutate(root: etree._Element, draw: Any) -> bool:
        node = root.find(path)
        if node is None:
            return False
        node.text = draw(st.sampled_from(values))
        return True
    mutate.__name__ = f"text {path}"
    return mutate


def _drop_attr(path: str, attr: str) -> Mutation:
    def mutate(root: etree._Element, draw: Any) -> bool:
        nodes = [n for n in root.findall(path) if attr in n.attrib]
        if not nodes:
            return False
        del draw(st.sampled_from(nodes)).attrib[attr]
        return True
    mutate.__name__ = f"drop {path}@{attr}"
    return mutate


BAD_MACS = ["52:54:00:zz:00:01", "01:00:5e:00:00:01", "ff:ff:ff:ff:ff:ff", "52-54-00-00-00-01",
            "52:54:00:00:01", "520:54:00:00:00:01", "", " 52:54:00:00:00:01", "52:54:00:00:00:01x"]

MUTATIONS: list[Mutation] = [
    _text("name", ["a/b", "", "/"]),
    _text("uuid", ["not-a-uuid", "1111111-12222-3333-4444-555555555555", "81ff0d90c91e674264da4a736edb9a9b00"]),
    _set(".", "ipv6", ["YES", "true", ""]),
    _set(".", "trustGuestRxFilters", ["Yes", "", "default"]),
    _set("mac", "address", BAD_MACS),
    _set("ip/dhcp/host", "mac", BAD_MACS[:7]),
    _set("ip/dhcp/host", "name", ["-bad", "", ".x"]),
    _set("ip/dhcp/host", "id", ["xyz", "0g"]),
    _set("ip/dhcp/host", "ip", ["300.1.1.1", "", " 1.2.3.4", "::1::2"]),
    _drop_attr("ip/dhcp/host", "ip"),
    _set("ip", "prefix", ["33", "129", "x", "-1", "24 "]),
    _set("ip", "netmask", ["255.0.255.0x", "ffff::"]),
    _set("ip", "address", ["300.1.1.1", "1.2.3.4.", "", "localhost", "[::1]"]),
    _set("ip", "family", ["IPv4", "inet", "ipv6"]),
    _drop_attr("ip", "address"),
    _set("ip/dhcp/range", "start", ["1.2.3.4", "::1", "10.0.0.0", "999.1.1.1"]),
    _set("ip/dhcp/range", "end", ["1.2.3.4", "0.0.0.0", "255.255.255.255"]),
    _drop_attr("ip/dhcp/range", "end"),
    _add("ip/dhcp/range", lambda: element("lease", {"expiry": "1", "unit": "minutes"})),
    _add("ip/dhcp/host", lambda: element("lease", {"expiry": "100", "unit": "seconds"})),
    _add("ip/dhcp/host", lambda: element("lease", {"expiry": "5", "unit": "days"})),
    _add("ip/dhcp/host", lambda: element("lease", {"expiry": "-5"})),
    _set("forward", "mode", ["NAT", "bogus", "direct"]),
    _add("forward", lambda: element("driver", {"name": "default"})),
    _add("forward", lambda: element("nat")),
    _add("forward", lambda: element("interface")),
    _add("forward", lambda: element("address", {"type": "pci", "bus": "0x100"})),
    _add("forward", lambda: element("address", {"type": "usb"})),
    _add("forward", lambda: element("address")),
    _set("bridge", "delay", ["-1", "0x10", "7 ", "x"]),
    _set("bridge", "macTableManager", ["default", "Kernel"]),
    _add(".", lambda: element("mtu", {"size": "0x10"})),
    _add(".", lambda: element("vlan", None, element("tag", {"id": "4096"}))),
    _add(".", lambda: element("vlan", None, element("tag", {"id": "1", "nativeMode": "default"}), element("tag", {"id": "2"}))),
    _add(".", lambda: element("vlan", {"trunk": "no"}, element("tag", {"id": "1"}), element("tag", {"id": "2"}))),
    _add(".", lambda: element("vlan")),
    _add(".", lambda: element("bandwidth", None, element("inbound", {"average": "10", "floor": "5"}))),
    _add(".", lambda: element("bandwidth", None, element("outbound", {"peak": "10"}))),
    _add(".", lambda: element("virtualport", {"type": "none"})),
    _add(".", lambda: element("virtualport")),
    _add(".", lambda: element("portgroup", {"trustGuestRxFilters": "yes"})),
    _add(".", lambda: element("portgroup", {"name": "pgx"}, element("virtualport", {"type": "openvswitch"},
                                                        element("parameters", {"managerid": "5"})))),
    _add(".", lambda: element("portgroup", {"name": "pgy"}, element("virtualport", None,
                                                        element("parameters", {"typeid": "0x1000000"})))),
    _add(".", lambda: element("dns", {"enable": "no"}, element("txt", {"name": "a", "value": "b"}))),
    _add(".", lambda: element("dns", None, element("txt", {"name": "a b", "value": "b"}))),
    _add(".", lambda: element("dns", None, element("srv", {"service": "a.b", "protocol": "tcp"}))),
    _add(".", lambda: element("dns", None, element("srv", {"service": "a", "protocol": "tcp", "port": "80"}))),
    _add(".", lambda: element("dns", None, element("srv", {"service": "a", "protocol": "tcp", "target": "t",
                                               "port": "0"}))),
    _add(".", lambda: element("dns", None, element("host", {"ip": "1.2.3.4"}))),
    _add(".", lambda: element("dns", None, element("forwarder"))),
    _add(".", lambda: element("route", {"address": "10.0.0.0", "prefix": "8", "gateway": "203.0.113.1"})),
    _add(".", lambda: element("route", {"address": "10.0.0.1", "prefix": "8", "gateway": "10.0.0.254"})),
    _add(".", lambda: element("port", {"isolated": "true"})),
    _add(".", lambda: element("domain", {"name": "x", "localOnly": "on"})),
]


@st.composite
def invalid_networks(draw: Any, **kwargs: Any) -> str:
    """A definition from :func:`networks` with one defect (which may still be accepted)."""
    root = parse_lenient(draw(networks(**kwargs)))
    first = draw(st.integers(0, len(MUTATIONS) - 1))
    for mutation in MUTATIONS[first:] + MUTATIONS[:first]:
        if mutation(root, draw):
            break
    return to_xml(root)


# ---------------------------------------------------------------------------------------------
# update requests


@dataclass(frozen=True)
class UpdateRequest:
    command: int
    section: int
    parent_index: int
    xml: str

    def __str__(self) -> str:
        return f"update(command={self.command}, section={self.section}, parentIndex={self.parent_index}, xml={self.xml!r})"


def _ips(current: etree._Element) -> list[etree._Element]:
    return current.findall("ip")


def _family(ip: etree._Element) -> int:
    return 6 if ":" in ip.get("address", "") else 4


def _auto_ip(ips: list[etree._Element]) -> Optional[etree._Element]:
    """libvirt's choice for a negative parentIndex (update-semantics.md §3)."""
    for ip in ips:
        if ip.find("dhcp/range") is not None or ip.find("dhcp/host") is not None:
            return ip
    for family in (4, 6):
        for ip in ips:
            if _family(ip) == family:
                return ip
    return None


def _address_value(text: str) -> int:
    """An address in any spelling libvirt accepts (getaddrinfo, as libvirt parses it)."""
    info = socket.getaddrinfo(text.strip(), None, socket.AF_UNSPEC, socket.SOCK_DGRAM, 0, socket.AI_NUMERICHOST)
    family, sockaddr = info[0][0], info[0][4]
    return int.from_bytes(socket.inet_pton(family, sockaddr[0].split("%", 1)[0]), "big")


def _subnet_of(ip: etree._Element) -> Subnet:
    family = _family(ip)
    value = _address_value(ip.get("address"))
    if ip.get("prefix"):
        prefix = int(ip.get("prefix"))
    elif ip.get("netmask"):
        prefix = bin(_address_value(ip.get("netmask"))).count("1")
    else:
        prefix = _classful_prefix(value) if family == 4 else 64
    bits = 32 if family == 4 else 128
    prefix = min(prefix, bits)
    network = value & ~((1 << (bits - prefix)) - 1)
    return Subnet(family, value, network, prefix)


@st.composite
def _mutated_copy(draw: Any, node: etree._Element, changes: dict[str, st.SearchStrategy[Optional[str]]]
                  ) -> etree._Element:
    """A copy of an existing entry with some attributes changed or removed."""
    copy = etree.fromstring(etree.tostring(node))
    copy.tail = None
    for attr in draw(st.lists(st.sampled_from(sorted(changes)), unique=True, max_size=2)):
        value = draw(changes[attr])
        if value is None:
            copy.attrib.pop(attr, None)
        else:
            copy.set(attr, value)
    return copy


@st.composite
def dhcp_host_fragments(draw: Any, ip: Optional[etree._Element], current: etree._Element, valid: bool) -> str:
    existing = current.findall("ip/dhcp/host")
    sub = _subnet_of(ip) if ip is not None else draw(subnets(draw(st.sampled_from([4, 6]))))[0]
    fresh = dhcp_hosts(sub)
    changes = {"name": st.none() | labels(), "ip": st.none() | st.integers(sub.network, sub.last).flatmap(
        lambda v: addr_text(sub.family, v)), "mac": st.none() | unicast_macs().flatmap(mac_text),
        "id": st.none() | words(1, 8, string.hexdigits)}
    options = [fresh, fresh]
    if existing:
        pick = st.sampled_from(existing)
        options += [pick.map(lambda n: etree.fromstring(etree.tostring(n, with_tail=False))),
                    pick.flatmap(lambda n: _mutated_copy(n, changes))]
    node = draw(st.one_of(options))
    if node.attrib and draw(st.integers(0, 5)) == 0:
        attrs = dict(node.attrib)
        keep = draw(st.lists(st.sampled_from(sorted(attrs)), unique=True))
        node = element("host", {k: attrs[k] for k in keep})
    if not valid:
        bad = draw(st.sampled_from([
            ("mac", BAD_MACS[:7]), ("name", ["-x", "", "_a"]), ("id", ["zz", "1 2"]),
            ("ip", ["1.2.3", "300.0.0.1", "", "::g"]), ("lease", ["1", "100s"])]))
        if bad[0] == "lease":
            node.append(element("lease", {"expiry": draw(st.sampled_from(bad[1])), "unit": "seconds"}))
        else:
            node.set(bad[0], draw(st.sampled_from(bad[1])))
    return to_xml(node)


@st.composite
def dhcp_range_fragments(draw: Any, ip: Optional[etree._Element], current: etree._Element, valid: bool) -> str:
    existing = current.findall("ip/dhcp/range")
    sub = _subnet_of(ip) if ip is not None else draw(subnets(draw(st.sampled_from([4, 6]))))[0]
    options = [dhcp_ranges(sub)]
    if existing:
        options.append(st.sampled_from(existing).map(lambda n: etree.fromstring(etree.tostring(n, with_tail=False))))
    node = draw(st.one_of(options))
    if not valid:
        attr = draw(st.sampled_from(["start", "end"]))
        family = draw(st.sampled_from([4, 6]))
        value = draw(st.sampled_from([
            st.integers(0, 2**32 - 1).flatmap(lambda v: v4_text(v)) if family == 4 else
            st.integers(0, 2**128 - 1).flatmap(v6_text),
            st.just(canonical(sub.family, sub.network)), st.just(canonical(sub.family, sub.last)),
            st.just("bogus"), st.none()]))
        value = draw(value)
        if value is None:
            node.attrib.pop(attr, None)
        else:
            node.set(attr, value)
    return to_xml(node)


@st.composite
def interface_fragments(draw: Any, current: etree._Element, valid: bool) -> str:
    existing = [n.get("dev") for n in current.findall("forward/interface")]
    dev = draw(st.sampled_from(existing + list(IFACE_NAMES)) if existing else st.sampled_from(IFACE_NAMES))
    if not valid:
        return draw(st.sampled_from(["<interface/>", "<interface name='eth0'/>"]))
    return to_xml(element("interface", {"dev": dev}))


@st.composite
def portgroup_fragments(draw: Any, current: etree._Element, valid: bool, raw_specials: bool = False) -> str:
    names = [n.get("name") for n in current.findall("portgroup")]
    name = draw(st.sampled_from(names) if names and draw(st.booleans()) else words(1, 6))
    node = draw(portgroups(name, default=draw(st.integers(0, 3)) == 0, vlan_ok=True,
                           vport_types=("802.1Qbg", "802.1Qbh", "openvswitch", "midonet", None),
                           bandwidth_ok=True, raw_specials=raw_specials))
    if not valid:
        node = draw(st.sampled_from([
            element("portgroup", {"default": "yes"}),
            element("portgroup", {"name": name}, element("vlan", None, element("tag", {"id": "5000"}))),
            element("portgroup", {"name": name}, element("virtualport", {"type": "bogus"})),
            element("portgroup", {"name": name, "trustGuestRxFilters": "maybe"}),
            element("portgroup", {"name": name}, element("bandwidth", None, element("inbound", {"floor": "1"}))),
        ]))
    return to_xml(node)


@st.composite
def dns_host_fragments(draw: Any, current: etree._Element, valid: bool) -> str:
    existing = current.findall("dns/host")
    ips = [n.get("ip") for n in existing]
    names = [h.text for h in current.findall("dns/host/hostname") if h.text]
    ip = draw(st.sampled_from([None] + ips + ips + ips) if ips and draw(st.integers(0, 3)) else
              st.none() | dns_hosts().map(lambda n: n.get("ip")))
    node = element("host", {"ip": ip})
    pool = labels() if not names else st.one_of(labels(), st.sampled_from(names))
    for hostname in draw(st.lists(pool, max_size=3)):
        node.append(element("hostname", text=hostname))
    if not valid:
        draw(st.sampled_from([lambda: node.set("ip", "1.2.3.4.5"), lambda: node.append(element("hostname")),
                              lambda: node.set("ip", "")]))()
    return to_xml(node)


@st.composite
def dns_txt_fragments(draw: Any, current: etree._Element, valid: bool) -> str:
    names = [n.get("name") for n in current.findall("dns/txt")]
    name = draw(st.sampled_from(names) if names and draw(st.integers(0, 3)) else words(1, 8))
    value = draw(st.none() | words(0, 12, DAEMON_FREE))
    if not valid:
        name = draw(st.sampled_from([None, "a b", "a,b", ""]))
    return to_xml(element("txt", {"name": name, "value": value}))


@st.composite
def dns_srv_fragments(draw: Any, current: etree._Element, valid: bool) -> str:
    existing = current.findall("dns/srv")
    if existing and draw(st.integers(0, 3)):
        base = draw(st.sampled_from(existing))
        keep = draw(st.lists(st.sampled_from(sorted(base.attrib)), unique=True)) if base.attrib else []
        node = element("srv", {k: base.get(k) for k in keep})
        if node.get("target") is None:
            for key in ("port", "priority", "weight"):
                node.attrib.pop(key, None)
    else:
        node = draw(dns_srvs(require_core=False))
        if draw(st.integers(0, 3)) == 0:
            node.attrib.pop(draw(st.sampled_from(["service", "protocol"])), None)
    if not valid:
        attr, value = draw(st.sampled_from([("service", "a.b"), ("protocol", "t p"), ("port", "0"),
                                            ("port", "70000"), ("priority", "x"), ("weight", "65536"),
                                            ("service", "s" * 483)]))
        node.set(attr, value)
    return to_xml(node)


def _any_fragment() -> st.SearchStrategy[str]:
    return st.sampled_from(["<bridge name='x'/>", "<domain name='d'/>", "<ip address='1.2.3.4'/>",
                            "<forward mode='nat'/>", "<pf dev='eth0'/>", "<bogus/>", "<host ip='1.2.3.4'/>"])


MALFORMED = ["<host", "", "<host/><host/>", "<host mac='52:54:00:00:00:01' ip='1.2.3.4'>", "text",
             "<host ip='1.2.3.4'/>garbage", "<?xml version='1.0'?>"]


@st.composite
def update_requests(draw: Any, current_xml: str, *, raw_specials: bool = False,
                    dns_modify: bool = True) -> UpdateRequest:
    """A virNetworkUpdate request aimed at the network whose XMLDesc is ``current_xml``.

    ``dns_modify=False`` never asks MODIFY of a dns-* section (the deliberate
    netstore deviation that the caller checks separately).
    """
    current = parse_lenient(current_xml)
    ips = _ips(current)
    roll = draw(st.integers(0, 19))
    if roll < 17:
        section = draw(st.sampled_from([4, 4, 4, 5, 5, 7, 9, 9, 10, 10, 11, 11, 12, 12]))
    elif roll < 19:
        section = draw(st.sampled_from([1, 2, 3, 6, 8]))
    else:
        section = draw(st.sampled_from([0, 13, 99, -1]))
    command = draw(st.sampled_from([ADD_LAST, ADD_LAST, ADD_FIRST, ADD_FIRST, DELETE, DELETE, MODIFY])
                   if draw(st.integers(0, 29)) else st.sampled_from([0, 5, -1, 99]))
    if not dns_modify and section in (10, 11, 12) and command == MODIFY:
        command = draw(st.sampled_from([ADD_LAST, ADD_FIRST, DELETE]))
    parent_index = draw(st.just(-1) if draw(st.integers(0, 2)) else st.integers(-2, len(ips) + 1))
    if parent_index >= 0:  # noqa: SIM108 - one nested conditional expression would read worse
        target = ips[parent_index] if parent_index < len(ips) else None
    else:
        target = _auto_ip(ips)
    valid = draw(st.integers(0, 6)) != 0
    if draw(st.integers(0, 39)) == 0:
        xml = draw(st.one_of(st.sampled_from(MALFORMED), _any_fragment()))
    elif section == 4:
        xml = draw(dhcp_host_fragments(target, current, valid))
    elif section == 5:
        xml = draw(dhcp_range_fragments(target, current, valid))
    elif section == 7:
        xml = draw(interface_fragments(current, valid))
    elif section == 9:
        xml = draw(portgroup_fragments(current, valid, raw_specials))
    elif section == 10:
        xml = draw(dns_host_fragments(current, valid))
    elif section == 11:
        xml = draw(dns_txt_fragments(current, valid))
    elif section == 12:
        xml = draw(dns_srv_fragments(current, valid))
    else:
        xml = draw(_any_fragment())
    if draw(st.integers(0, 29)) == 0:
        xml = _rename_root(xml, draw(st.sampled_from(["Host", "x:host", "txt", "range", "portgroup"])))
    return UpdateRequest(command, section, parent_index, xml)


def parse_lenient(xml: str) -> etree._Element:
    """Parse a definition even when it is malformed (libvirt writes some values raw) or has a
    namespace URI lxml calls invalid (libxml2 only warns, and libvirt accepts it)."""
    root = etree.fromstring(xml.encode(), etree.XMLParser(recover=True))
    return root if root is not None else etree.Element("network")


def well_formed(xml: str) -> bool:
    """True when ``xml`` parses with no error (namespace-URI warnings do not count)."""
    parser = etree.XMLParser(recover=True)
    etree.fromstring(xml.encode(), parser)
    return all(entry.domain_name == "NAMESPACE" for entry in parser.error_log)


def _rename_root(xml: str, tag: str) -> str:
    try:
        node = etree.fromstring(xml)
    except etree.XMLSyntaxError:
        return xml
    if tag.startswith("x:"):
        renamed = etree.Element(f"{{urn:x}}{tag[2:]}", nsmap={"x": "urn:x"})
        renamed.attrib.update(node.attrib)
        renamed.extend(list(node))
        return to_xml(renamed)
    node.tag = tag
    return to_xml(node)


# ---------------------------------------------------------------------------------------------
# injection attempts (netstore refuses these on purpose; libvirt 9.0.0 accepts most)

CONTROL = ["\n", "\r", "\t", "\x7f"]  # what XML 1.0 can carry at all
FIELD = CONTROL + [",", '"']
WORD = FIELD + [" "]
HOSTISH = WORD + ["#"]
DOMAINISH = HOSTISH + ["/"]


def _evil(draw: Any, forbidden: list[str], prefix: str = "v") -> str:
    char = draw(st.sampled_from(forbidden))
    return draw(st.sampled_from([f"{prefix}{char}x", f"{prefix}{char}", f"{prefix}x{char}dhcp-script=/bin/sh"]))


@st.composite
def injection_fragments(draw: Any, current_xml: str) -> UpdateRequest:
    """An update whose new item carries a line break, a field separator or a MAC tail."""
    current = parse_lenient(current_xml)
    ip = _auto_ip(_ips(current))
    tag = draw(st.integers(100, 250))
    kinds = ["dns-hostname", "txt-name", "txt-value", "srv-domain", "srv-target"]
    if ip is not None and _family(ip) == 4:
        kinds += ["host-name", "host-mac", "host-name"]
    kind = draw(st.sampled_from(kinds))
    if kind.startswith("host-"):
        sub = _subnet_of(ip)
        mac = f"52:54:00:00:{tag % 256:02x}:{draw(st.integers(0, 255)) & 0xFE:02x}"
        name = f"vm{tag}"
        if kind == "host-mac":
            mac += draw(st.sampled_from([" trailing", "\n10.0.0.1", "\tx", " ,ignore", "\x7f"]))
        else:
            name = _evil(draw, HOSTISH, name)
        address = canonical(4, draw(st.integers(sub.network, sub.last)))
        return UpdateRequest(draw(st.sampled_from([ADD_LAST, ADD_FIRST])), 4, -1,
                             to_xml(element("host", {"mac": mac, "name": name, "ip": address})))
    if kind == "dns-hostname":
        hostname = _evil(draw, HOSTISH, f"h{tag}")
        return UpdateRequest(ADD_LAST, 10, -1, to_xml(element("host", {"ip": f"192.0.2.{tag}"},
                                                            element("hostname", text=hostname))))
    if kind.startswith("txt-"):
        name, value = f"t{tag}", "v"
        if kind == "txt-name":
            name = _evil(draw, CONTROL + ['"'], name)
        else:
            value = _evil(draw, FIELD)
        return UpdateRequest(ADD_FIRST, 11, -1, to_xml(element("txt", {"name": name, "value": value})))
    attrs = {"service": f"s{tag}", "protocol": "tcp", "domain": f"d{tag}", "target": f"t{tag}", "port": "1"}
    attrs[kind[4:]] = _evil(draw, WORD, attrs[kind[4:]])
    return UpdateRequest(ADD_LAST, 12, -1, to_xml(element("srv", attrs)))


INJECTABLE_FIELDS = ("name", "bridge", "domain", "forwarder", "txt-name", "txt-value", "srv-domain",
                     "srv-target", "bootp", "tftp", "host-name", "host-mac", "dns-hostname", "dnsmasq")


@st.composite
def injection_networks(draw: Any, name: str) -> str:
    """A bridge-driver-valid L3 definition with one daemon-bound string carrying an injection."""
    root = parse_lenient(draw(networks(modes=("nat", "route"), driver_valid=True, name=name)))
    field = draw(st.sampled_from(INJECTABLE_FIELDS))
    if field == "name":
        root.find("name").text = _evil(draw, FIELD, name)
    elif field == "bridge":
        bridge = root.find("bridge")
        if bridge is None:
            bridge = etree.SubElement(root, "bridge")
        bridge.set("name", _evil(draw, WORD, "br"))
    elif field == "domain":
        for old in root.findall("domain"):
            root.remove(old)
        root.append(element("domain", {"name": _evil(draw, DOMAINISH, "example.")}))
    elif field in ("bootp", "tftp", "host-name", "host-mac"):
        _inject_into_ipv4(draw, root, field)
    elif field == "dnsmasq":
        options = etree.SubElement(root, f"{{{DNSMASQ_NS}}}options", nsmap={"dnsmasq": DNSMASQ_NS})
        etree.SubElement(options, f"{{{DNSMASQ_NS}}}option", value=_evil(draw, CONTROL, "log-queries"))
    else:
        _inject_into_dns(draw, root, field)
    return to_xml(root)


def _dns_of(root: etree._Element) -> etree._Element:
    dns = root.find("dns")
    if dns is None:
        dns = etree.SubElement(root, "dns")
    dns.attrib.pop("enable", None)
    return dns


def _inject_into_dns(draw: Any, root: etree._Element, field: str) -> None:
    dns = _dns_of(root)
    if field == "forwarder":
        dns.append(element("forwarder", {"domain": _evil(draw, DOMAINISH, "corp"), "addr": "192.0.2.53"}))
    elif field == "txt-name":
        dns.append(element("txt", {"name": _evil(draw, CONTROL + ['"'], "tn"), "value": "v"}))
    elif field == "txt-value":
        dns.append(element("txt", {"name": "tv", "value": _evil(draw, FIELD)}))
    elif field in ("srv-domain", "srv-target"):
        attrs = {"service": "sv", "protocol": "tcp", "domain": "d", "target": "t", "port": "1"}
        attrs[field[4:]] = _evil(draw, WORD, attrs[field[4:]])
        dns.append(element("srv", attrs))
    else:
        dns.append(element("host", {"ip": "192.0.2.9"}, element("hostname", text=_evil(draw, HOSTISH, "h"))))


def _inject_into_ipv4(draw: Any, root: etree._Element, field: str) -> None:
    ip = next((i for i in root.findall("ip") if _family(i) == 4), None)
    if ip is None:
        ip = element("ip", {"address": "192.0.2.1", "prefix": "24"})
        root.append(ip)
    if field == "tftp":
        for old in ip.findall("tftp"):
            ip.remove(old)
        ip.insert(0, element("tftp", {"root": _evil(draw, FIELD, "/srv")}))
        return
    dhcp = ip.find("dhcp")
    if dhcp is None:
        dhcp = etree.SubElement(ip, "dhcp")
    sub = _subnet_of(ip)
    if field == "bootp":
        dhcp.append(element("range", {"start": canonical(4, sub.address), "end": canonical(4, sub.address)}))
        dhcp.append(element("bootp", {"file": _evil(draw, FIELD, "pxe")}))
        return
    mac, name = "52:54:00:12:34:56", "evilhost"
    if field == "host-mac":
        mac += draw(st.sampled_from([" trailing", "\n10.0.0.1", "\tx"]))
    else:
        name = _evil(draw, HOSTISH, name)
    dhcp.append(element("host", {"mac": mac, "name": name, "ip": canonical(4, sub.address)}))
