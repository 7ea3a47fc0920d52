"""virNetworkUpdate's section dispatch: the update as a whole, in libvirt's order.

1. libvirt first copies the definition by formatting and parsing it: a
   definition that does not parse back fails here, before anything else, and
   what the copy loses becomes the first steps of the edit.
2. The update XML is parsed (35 ``network_update_xml:LINE: ...``), even for
   sections that are refused next.
3. Unknown sections, and the five libvirt never implemented (bridge, domain,
   ip, forward, forward pf), are refused with code 84.
4. The section plans its edit on the definition as libvirt's copy sees it;
   the edit is checked as the re-parse of the result would check it.
5. netstore's own injection-safety check of the new items comes last, so it
   only ever turns a success of libvirt's into a refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Union

from netstore.constants import Command, Section
from netstore.engine import (
    defcopy,
    dhcp_host,
    dhcp_range,
    dns_host,
    dns_srv,
    dns_txt,
    forward_iface,
    portgroup,
    roundtrip,
)
from netstore.engine.request import Request, UpdateFragment
from netstore.engine.steps import EditStep
from netstore.errors import VIR_ERR_INVALID_ARG, libvirtError, operation_unsupported
from netstore.model import safety
from netstore.model.types import NetworkDef
from netstore.state import ItemOp

Planner = Callable[[Request], tuple[EditStep, ...]]

_IMPLEMENTED: dict[int, Planner] = {
    Section.IP_DHCP_HOST: dhcp_host.plan,
    Section.IP_DHCP_RANGE: dhcp_range.plan,
    Section.FORWARD_INTERFACE: forward_iface.plan,
    Section.PORTGROUP: portgroup.plan,
    Section.DNS_HOST: dns_host.plan,
    Section.DNS_TXT: dns_txt.plan,
    Section.DNS_SRV: dns_srv.plan,
}
_UNSUPPORTED: dict[int, str] = {
    Section.BRIDGE: "bridge",
    Section.DOMAIN: "domain",
    Section.IP: "ip",
    Section.FORWARD: "forward",
    Section.FORWARD_PF: "forward pf",
}


def plan_update(
    defn: NetworkDef,
    command: Union[int, Command],
    section: Union[int, Section],
    parent_index: int,
    xml: Union[str, bytes, UpdateFragment],
    *,
    inactive: bool = False,
) -> tuple[EditStep, ...]:
    """The steps virNetworkUpdate's section edit makes to ``defn``; ``defn`` is not changed.

    ``inactive`` selects the copy libvirt edits: False for the live definition
    (formatted with flags 0), True for the persistent one (VIR_NETWORK_XML_INACTIVE).
    Raises :class:`libvirtError` with libvirt's code, domain and message.
    """
    if xml is None:
        raise libvirtError(VIR_ERR_INVALID_ARG, "xml in virNetworkUpdate must not be NULL")
    copy = defcopy.copy_steps(defn, inactive)
    fragment = xml if isinstance(xml, UpdateFragment) else UpdateFragment(xml)
    node = fragment.node()
    planner = _planner(int(section), defn.name)
    work = defcopy.working_copy(defn, copy)
    edit = planner(Request(work, int(command), int(parent_index), node, fragment))
    roundtrip.check_edit(work, edit, inactive)
    for step in edit:
        if step.op is not ItemOp.DELETE:
            safety.check_item(step.collection, step.item, defn.name)
    return copy + edit


def _planner(section: int, netname: str) -> Planner:
    planner = _IMPLEMENTED.get(section)
    if planner is not None:
        return planner
    if section in _UNSUPPORTED:
        raise operation_unsupported(f"can't update '{_UNSUPPORTED[section]}' section of network '{netname}'")
    raise operation_unsupported("can't update unrecognized section of network")
