"""ip-dhcp-host: virNetworkDefUpdateIPDHCPHost.

Order: pick the ``<ip>`` (parentIndex), check the element name, report a
missing ``<ip>``, parse the host (partial for DELETE), check its address
family (not for DELETE), then the command.  Matching per command:

* ADD: a duplicate is any host with the same mac (parsed, when both have
  one), the same name, or the same ip; ``id`` is never a key.
* MODIFY: the first host in list order matching any of mac, ip or name is
  replaced whole; there is no duplicate check.
* DELETE: the first host matching every given key, where a given mac also
  matches a host that has none.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Optional

from lxml import etree

from netstore.constants import Command
from netstore.engine import lookup, parent
from netstore.engine.request import Request, c_string, check_element, delete, replace, unknown_command
from netstore.engine.steps import EditStep
from netstore.errors import operation_invalid
from netstore.model.collections import DHCP_HOST
from netstore.model.parse_ip import parse_dhcp_host
from netstore.model.types import DHCPHost, IPDef

Steps = tuple[EditStep, ...]


def plan(req: Request) -> Steps:
    defn = req.defn
    ip_index = parent.find_ip(defn, req.parent_index)
    check_element(req, "host")
    if ip_index is None:
        raise parent.missing_ip(defn, req.parent_index)
    ipdef = defn.ips[ip_index]
    partial = req.command == Command.DELETE
    netname = req.netname
    host = req.fragment.item(
        (DHCP_HOST, ipdef.address.family, netname, partial),
        lambda: _parse_host(req.node, ipdef, netname, partial),
    )
    handler = _COMMANDS.get(req.command)
    if handler is None:
        raise unknown_command(req.command)
    return handler(req, ip_index, host)


def _parse_host(node: etree._Element, ipdef: IPDef, netname: str, partial: bool) -> DHCPHost:
    """The host, then its address family (not for DELETE): all the checks that read only the
    update XML and the family of ``ipdef``, so both copies share their outcome."""
    host = parse_dhcp_host(node, ipdef, netname, partial)
    if not partial and host.ip is not None and host.ip.family != ipdef.address.family:
        raise operation_invalid(
            "the address family of a host entry IP must match the address family "
            "of the dhcp element's parent"
        )
    return host


def _add(req: Request, ip_index: int, host: DHCPHost) -> Steps:
    ipdef = req.defn.ips[ip_index]
    parent.check_single_dhcp(req.defn, ipdef)
    index = lookup.index_for(req.defn, DHCP_HOST, ip_index)
    if index.has_any(_keys(host)):
        raise operation_invalid(
            f"there is an existing dhcp host entry in network '{req.netname}' that matches "
            f"\"<host mac='{host.mac or 'unknown'}' name='{c_string(host.name)}' ip='{_ip_text(host)}'/>\""
        )
    return req.insert(DHCP_HOST, ipdef.hosts, host, ip_index)


def _modify(req: Request, ip_index: int, host: DHCPHost) -> Steps:
    index = lookup.index_for(req.defn, DHCP_HOST, ip_index)
    found = index.earliest(_keys(host))
    if found is None:
        raise operation_invalid(
            "couldn't locate an existing dhcp host entry with "
            f"\"mac='{host.mac or 'unknown'}'\" \"name='{c_string(host.name)}'\" "
            f"\"ip='{_ip_text(host)}'\" in network '{req.netname}'"
        )
    return replace(DHCP_HOST, index.position(found), host, ip_index)


def _keys(host: DHCPHost) -> list[lookup.Key]:
    """The keys ADD and MODIFY compare: ip, mac (when given), name (when given)."""
    keys: list[lookup.Key] = [("ip", host.ip)]
    if host.mac_key is not None:
        keys.append(("mac", host.mac_key))
    if host.name is not None:
        keys.append(("name", host.name))
    return keys


def _delete(req: Request, ip_index: int, host: DHCPHost) -> Steps:
    index = lookup.index_for(req.defn, DHCP_HOST, ip_index)
    found = _first_delete_match(index, host)
    if found is None:
        raise operation_invalid(f"couldn't locate a matching dhcp host entry in network '{req.netname}'")
    return delete(DHCP_HOST, index.position(found), ip_index)


def _first_delete_match(index: lookup.OrderIndex, host: DHCPHost) -> Optional[DHCPHost]:
    if host.name is None and host.ip is None:
        return index.earliest([("mac", host.mac_key), ("mac", None)])
    key = ("name", host.name) if host.name is not None else ("ip", host.ip)
    return next((entry for entry in index.members(key) if _all_given_match(entry, host)), None)


def _all_given_match(entry: DHCPHost, host: DHCPHost) -> bool:
    entry_mac = lookup.mac_key(entry)
    return (
        (host.mac_key is None or entry_mac is None or entry_mac == host.mac_key)
        and (host.name is None or entry.name == host.name)
        and (host.ip is None or entry.ip == host.ip)
    )


def _ip_text(host: DHCPHost) -> str:
    return host.ip.text if host.ip is not None else "unknown"


_COMMANDS: dict[int, Callable[[Request, int, DHCPHost], Steps]] = {
    Command.MODIFY: _modify,
    Command.DELETE: _delete,
    Command.ADD_FIRST: _add,
    Command.ADD_LAST: _add,
}
