"""The bridge driver's networkValidate, run on define and create (never on update).

Besides the rejections the XML parser does not make, it changes an L3
network (modes none, nat, route, open): it gives it a bridge name
(``virbr%d`` or the caller's ``%d`` template, first free id among the other
networks' bridges and the host's devices) and, when missing, a random
``52:54:00`` MAC.  Checks and messages follow libvirt 9.0.0's order.
"""

from __future__ import annotations

import os
from collections import Counter

from netstore.decision import StoreView
from netstore.errors import VIR_ERR_XML_DETAIL, VIR_FROM_XML, config_unsupported, internal_error, libvirtError
from netstore.lifecycle.host import Host
from netstore.model.types import NetworkDef, PortGroup, Vlan
from netstore.model.values import format_mac

MAX_BRIDGE_ID = 256
BRIDGE_TEMPLATE = "virbr%d"
MAC_PREFIX = b"\x52\x54\x00"


def validate_for_bridge_driver(defn: NetworkDef, view: StoreView, host: Host) -> None:
    """Reject what the bridge driver rejects; assign the bridge name and MAC it assigns."""
    if "\n" in defn.name:
        raise libvirtError(VIR_ERR_XML_DETAIL, "invalid char in name: \n", VIR_FROM_XML)
    if defn.is_l3:
        _assign_bridge_name(defn, view, host)
        if defn.mac is None:
            defn.mac = format_mac(MAC_PREFIX + os.urandom(3))
        bandwidth_allowed = True
    else:
        _reject_l3_parts(defn)
        bandwidth_allowed = defn.forward.mode == "bridge" and defn.bridge.name is not None
    if defn.bandwidth is not None and not bandwidth_allowed:
        raise _unsupported(defn, "network-wide <bandwidth>")
    _check_pool(defn, host)
    _check_dhcp_families(defn)
    _check_portgroups(defn, bandwidth_allowed)


def _assign_bridge_name(defn: NetworkDef, view: StoreView, host: Host) -> None:
    name = defn.bridge.name
    in_use = view.bridges_in_use(defn.name)
    if name and "%d" not in name:
        if name in in_use:
            raise internal_error(f"bridge name '{name}' already in use.")
        return
    template = name if name and name.count("%") == 1 else BRIDGE_TEMPLATE
    for bridge_id in range(MAX_BRIDGE_ID + 1):
        candidate = template.replace("%d", str(bridge_id))
        if candidate not in in_use and not host.has_device(candidate):
            defn.bridge.name = candidate
            return
    raise internal_error(f"Bridge generation exceeded max id {MAX_BRIDGE_ID}")


def _reject_l3_parts(defn: NetworkDef) -> None:
    """Modes bridge, private, vepa, passthrough, hostdev: no host-side L3 configuration."""
    if defn.mac is not None:
        raise _unsupported(defn, "<mac>")
    if defn.ips:
        raise _unsupported(defn, "<ip>")
    if defn.dns.txts or defn.dns.hosts or defn.dns.srvs:
        raise _unsupported(defn, "<dns>")
    if defn.domain is not None:
        raise _unsupported(defn, "<domain>")


def _unsupported(defn: NetworkDef, element: str) -> libvirtError:
    return config_unsupported(
        f"Unsupported {element} element in network {defn.name} with forward mode='{defn.forward.mode}'"
    )


def _check_pool(defn: NetworkDef, host: Host) -> None:
    mode = defn.forward.mode
    uses_interface = uses_address = False
    for iface in defn.forward.ifaces:
        if iface.pci is None:
            uses_interface = True
            if mode == "hostdev":
                raise config_unsupported(
                    f"hostdev network '{defn.name}' lists '{iface.dev}' in the device pool, but hostdev "
                    "networks require all devices to be listed by PCI address, not network device name"
                )
            continue
        uses_address = True
        if mode != "hostdev":
            raise config_unsupported(
                f"network '{defn.name}' has forward mode '{mode}'  but lists a device by PCI address in "
                "the device pool. This is only supported for networks with forward mode 'hostdev'"
            )
        pci = iface.pci
        path = f"/sys/bus/pci/devices/{pci.domain:04x}:{pci.bus:02x}:{pci.slot:02x}.{pci.function:d}"
        if not host.is_virtual_function(path):
            raise config_unsupported(f"device '{path}' in network '{defn.name}' is not an SR-IOV Virtual Function")
    if bool(defn.forward.pfs) + uses_interface + uses_address > 1:
        raise config_unsupported(
            f"<address>, <interface>, and <pf> elements of <forward> in network {defn.name} are mutually exclusive"
        )


def _check_dhcp_families(defn: NetworkDef) -> None:
    seen: set[bool] = set()
    for ip in defn.ips:
        if not ip.has_dhcp:
            continue
        if ip.is_ipv6 in seen:
            family = "IPv6" if ip.is_ipv6 else "IPv4"
            raise config_unsupported(
                f"Multiple {family} dhcp sections found -- dhcp is supported only for a single "
                f"{family} address on each network"
            )
        seen.add(ip.is_ipv6)


def _check_portgroups(defn: NetworkDef, bandwidth_allowed: bool) -> None:
    mode = defn.forward.mode
    vlan_used = _has_vlan(defn.vlan)
    vlan_allowed = mode in ("hostdev", "passthrough") or (
        mode == "bridge" and defn.virtualport is not None and defn.virtualport.type == "openvswitch"
    )
    bad_vlan_use = False
    default: PortGroup | None = None
    later = Counter(group.name for group in defn.portgroups)
    for group in defn.portgroups:
        later[group.name] -= 1
        if vlan_used or _has_vlan(group.vlan):
            if group.virtualport is not None:
                bad_vlan_use |= mode != "bridge" or group.virtualport.type != "openvswitch"
            else:
                bad_vlan_use |= not vlan_allowed
        if group.is_default:
            if default is not None:
                raise config_unsupported(
                    f"network '{defn.name}' has multiple default <portgroup> elements ({default.name} and "
                    f"{group.name}), but only one default is allowed"
                )
            default = group
        if later[group.name]:
            raise config_unsupported(
                f"multiple <portgroup> elements with the same name ({group.name}) in network '{defn.name}'"
            )
        if group.bandwidth is not None and not bandwidth_allowed:
            raise config_unsupported(
                f"Unsupported <bandwidth> element in network '{defn.name}' in portgroup '{group.name}' "
                f"with forward mode='{mode}'"
            )
    if bad_vlan_use or (vlan_used and not vlan_allowed and default is None):
        raise config_unsupported(
            f"<vlan> element specified for network {defn.name}, whose type doesn't support vlan configuration"
        )
    if mode == "hostdev":
        for group in defn.portgroups:
            if group.bandwidth is not None:
                raise config_unsupported(
                    f"unsupported <bandwidth> element in <portgroup name='{group.name}'> of network "
                    f"'{defn.name}' with forward mode='{mode}'"
                )


def _has_vlan(vlan: Vlan | None) -> bool:
    return vlan is not None and bool(vlan.tags)
