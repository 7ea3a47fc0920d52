"""``<forward>``: mode, managed, driver, ``<nat>`` and the device pool (libvirt 9.0.0).

virNetworkForwardDefParseXML / virNetworkForwardNatDefParseXML in
network_conf.c and virPCIDeviceAddressParseXML in device_conf.c.  Pool
precedence: ``dev``/``<interface>`` beat ``<address>``, which beat ``<pf>``;
the losers are dropped without being looked at.
"""

from __future__ import annotations

from typing import Optional, cast

from lxml import etree

from netstore.errors import VIR_FROM_NONE, config_unsupported, xml_detail, xml_error
from netstore.model.address import Address, check_range, parse_address
from netstore.model.types import FORWARD_MODES, NAT, Forward, ForwardIface, PCIAddress
from netstore.model.values import is_yes_nocase, parse_unsigned
from netstore.model.xmlinput import (
    element_children,
    enum_prop,
    prop,
    tristate_prop,
    uint_prop,
    xpath_attr,
)

DRIVER_NAMES = ("kvm", "vfio")
ADDRESS_TYPES = ("none", "pci", "netdev")


def parse_forward(node: etree._Element, netname: str) -> Forward:
    """One ``<forward>`` element (the first one of the network)."""
    forward = Forward(mode=_parse_mode(node))
    forward.managed = is_yes_nocase(xpath_attr(node, "managed"))
    forward.driver = _parse_driver(node, netname)
    interfaces = node.findall("interface")
    addresses = node.findall("address")
    pfs = node.findall("pf")
    nats = node.findall("nat")
    if len(nats) > 1:
        raise xml_error(f"Only one <nat> element is allowed in <forward> of network {netname}")
    if nats:
        forward.nat = _parse_nat(nats[0], forward.mode, netname)
    dev = xpath_attr(node, "dev")
    if dev is not None and (addresses or pfs):
        raise xml_error(
            "the <forward> 'dev' attribute cannot be used when <address> or <pf> "
            "sub-elements are present in network %s"
        )
    if interfaces or dev is not None:
        forward.ifaces = _parse_interfaces(dev, interfaces, netname)
    elif addresses:
        forward.ifaces = _parse_addresses(addresses, netname)
    elif len(pfs) > 1:
        raise xml_error(f"Only one <pf> element is allowed in <forward> of network {netname}")
    elif pfs:
        forward.pfs = [_parse_pf(pfs[0], netname)]
    return forward


def _parse_mode(node: etree._Element) -> str:
    mode = xpath_attr(node, "mode")
    if mode is None:
        return "nat"
    if mode not in FORWARD_MODES:
        raise config_unsupported(f"unknown forwarding type '{mode}'")
    return mode


def _parse_driver(node: etree._Element, netname: str) -> Optional[str]:
    """The first ``<driver>`` that has a non-empty ``name`` (XPath ``./driver/@name``)."""
    name = next((d.get("name") for d in node.findall("driver") if d.get("name") is not None), None)
    if not name:
        return None
    if name not in DRIVER_NAMES:
        raise config_unsupported(f"Unknown forward <driver name='{name}'/> in network {netname}")
    return name


# -------------------------------------------------------------------- <nat>


def _parse_nat(node: etree._Element, mode: str, netname: str) -> NAT:
    if mode != "nat":
        raise xml_error(
            "The <nat> element can only be used when <forward> 'mode' is 'nat' "
            f"in network {netname}"
        )
    nat = NAT(ipv6=tristate_prop(node, "ipv6"))
    address = _single_nat_child(node, "address", netname)
    if address is not None:
        nat.address_start, nat.address_end = _parse_nat_address(address, netname)
    port = _single_nat_child(node, "port", netname)
    if port is not None:
        nat.port_start, nat.port_end = _parse_nat_port(port, netname)
    return nat


def _single_nat_child(node: etree._Element, tag: str, netname: str) -> Optional[etree._Element]:
    """The one ``<tag>`` child of ``<nat>``, if any; a second one is an error."""
    children = node.findall(tag)
    if len(children) > 1:
        raise xml_error(
            f"Only one <{tag}> element is allowed in <nat> in <forward> in network {netname}"
        )
    return children[0] if children else None


def _parse_nat_address(node: etree._Element, netname: str) -> tuple[Address, Address]:
    start_text, end_text = prop(node, "start"), prop(node, "end")
    for which, text in (("start", start_text), ("end", end_text)):
        if text is None:
            raise xml_error(
                f"missing '{which}' attribute in <address> element in <nat> in <forward> "
                f"in network {netname}"
            )
    start = _nat_ipv4(cast(str, start_text), "start", netname)
    end = _nat_ipv4(cast(str, end_text), "end", netname)
    check_range(start, end)
    return start, end


def _nat_ipv4(text: str, which: str, netname: str) -> Address:
    address = parse_address(text, ipv4_only=True)
    if address is None:
        raise xml_error(
            f"Bad ipv4 {which} address '{text}' in <nat> in <forward> in network '{netname}'"
        )
    return address


def _parse_nat_port(node: etree._Element, netname: str) -> tuple[int, int]:
    """virXPathUInt on ``string(@start)``/``string(@end)``: empty or bad is 35."""
    start = parse_unsigned(node.get("start") or "")
    if start is None or start > 65535:
        raise xml_detail(
            "Missing or invalid 'start' attribute in <port> in <nat> in <forward> "
            f"in network {netname}"
        )
    end = parse_unsigned(node.get("end") or "")
    if end is None or end > 65535 or end < start:
        raise xml_detail(
            "Missing or invalid 'end' attribute in <port> in <nat> in <forward> "
            f"in network {netname}"
        )
    return start, end


# ------------------------------------------------------------------- the pool


def _parse_interfaces(
    dev: Optional[str], nodes: list[etree._Element], netname: str
) -> list[ForwardIface]:
    ifaces = [ForwardIface(dev=dev)] if dev is not None else []
    seen = {dev}
    for index, node in enumerate(nodes):
        name = prop(node, "dev")
        if name is None:
            raise xml_error(
                "Missing required dev attribute in <forward> <interface> element "
                f"of network {netname}"
            )
        if index == 0 and dev is not None:
            if name != dev:
                raise xml_error(
                    f"<forward dev='{dev}'> must match first <interface dev='{name}'/> "
                    f"in network {netname}"
                )
            continue
        if name in seen:
            raise xml_error(f"interface '{name}' can only be listed once in network {netname}")
        seen.add(name)
        ifaces.append(ForwardIface(dev=name))
    return ifaces


def _parse_addresses(nodes: list[etree._Element], netname: str) -> list[ForwardIface]:
    ifaces: list[ForwardIface] = []
    seen: set[tuple[int, int, int, int]] = set()
    for node in nodes:
        kind = prop(node, "type")
        if kind is None:
            raise xml_error(f"missing address type in network {netname}")
        if kind not in ADDRESS_TYPES:
            raise config_unsupported(f"unknown address type '{kind}' in network {netname}")
        if kind != "pci":
            raise xml_error(f"unsupported address type '{kind}' in network {netname}")
        pci = parse_pci_address(node)
        key = (pci.domain, pci.bus, pci.slot, pci.function)
        if key in seen:
            raise xml_error(
                f"PCI device '{pci.domain:04x}:{pci.bus:02x}:{pci.slot:02x}.{pci.function:x}' "
                f"can only be listed once in network {netname}"
            )
        seen.add(key)
        ifaces.append(ForwardIface(pci=pci))
    return ifaces


def _parse_pf(node: etree._Element, netname: str) -> str:
    dev = prop(node, "dev")
    if dev is None:
        raise xml_error(
            f"Missing required dev attribute in <pf> element of network '{netname}'"
        )
    return dev


def parse_pci_address(node: etree._Element) -> PCIAddress:
    """virPCIDeviceAddressParseXML: base-0 numbers; limits only when domain/bus/slot is set."""
    pci = PCIAddress(
        domain=uint_prop(node, "domain", base=0) or 0,
        bus=uint_prop(node, "bus", base=0) or 0,
        slot=uint_prop(node, "slot", base=0) or 0,
        function=uint_prop(node, "function", base=0) or 0,
    )
    enum_prop(node, "multifunction", ("on", "off"))
    if pci.domain or pci.bus or pci.slot:
        _check_pci_limits(pci)
    zpci = element_children(node, "zpci")
    if zpci:
        uint_prop(zpci[0], "uid", base=0)
        uint_prop(zpci[0], "fid", base=0)
    return pci


def _check_pci_limits(pci: PCIAddress) -> None:
    if pci.bus > 0xFF:
        raise xml_error(f"Invalid PCI address bus='0x{pci.bus:x}', must be <= 0xFF", VIR_FROM_NONE)
    if pci.slot > 0x1F:
        raise xml_error(
            f"Invalid PCI address slot='0x{pci.slot:x}', must be <= 0x1F", VIR_FROM_NONE
        )
    if pci.function > 7:
        raise xml_error(
            f"Invalid PCI address function=0x{pci.function:x}, must be <= 7", VIR_FROM_NONE
        )
