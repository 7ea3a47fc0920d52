"""ip-dhcp-range: virNetworkDefUpdateIPDHCPRange.

Order: pick the ``<ip>``, check the element name, report a missing ``<ip>``,
refuse MODIFY, parse the range (checked against the ``<ip>`` subnet even for
DELETE), check its family, then the command.  The key is the exact
(start, end) pair; overlapping ranges are allowed.
"""

from __future__ import annotations

from netstore.constants import Command
from netstore.engine import lookup, parent
from netstore.engine.request import Request, check_element, delete, unknown_command
from netstore.engine.steps import EditStep
from netstore.errors import operation_invalid, operation_unsupported
from netstore.model.collections import DHCP_RANGE
from netstore.model.parse_ip import parse_dhcp_range


def plan(req: Request) -> tuple[EditStep, ...]:
    defn = req.defn
    ip_index = parent.find_ip(defn, req.parent_index)
    check_element(req, "range")
    if ip_index is None:
        raise parent.missing_ip(defn, req.parent_index)
    if req.command == Command.MODIFY:
        raise operation_unsupported("dhcp ranges cannot be modified, only added or deleted")
    ipdef = defn.ips[ip_index]
    rng = parse_dhcp_range(req.node, ipdef, req.netname)
    if rng.start.family != ipdef.address.family:
        raise operation_invalid(
            "the address family of a dhcp range must match the address family "
            "of the dhcp element's parent"
        )
    index = lookup.index_for(defn, DHCP_RANGE, ip_index)
    found = index.first(("range", (rng.start, rng.end)))
    if req.is_add:
        parent.check_single_dhcp(defn, ipdef)
        if found is not None:
            raise operation_invalid(
                f"there is an existing dhcp range entry in network '{req.netname}' that matches "
                f"\"<range start='{rng.start.text}' end='{rng.end.text}'/>\""
            )
        return req.insert(DHCP_RANGE, ipdef.ranges, rng, ip_index)
    if req.command == Command.DELETE:
        if found is None:
            raise operation_invalid(f"couldn't locate a matching dhcp range entry in network '{req.netname}'")
        return delete(DHCP_RANGE, index.position(found), ip_index)
    raise unknown_command(req.command)
