"""forward-interface: virNetworkDefUpdateForwardInterface.

Order: element name, MODIFY refused, ``dev`` required (only ``dev`` is read),
then the command.  The key is ``dev`` among the netdev entries of the pool;
new entries are netdev entries even in a PCI pool.  What a nat/route/open or
bridge network allows afterwards is checked by the re-parse emulation
(:mod:`netstore.engine.pool`).
"""

from __future__ import annotations

from typing import Optional

from netstore.constants import Command
from netstore.engine import lookup
from netstore.engine.request import Request, check_element, delete, unknown_command
from netstore.engine.steps import EditStep
from netstore.errors import operation_invalid, operation_unsupported, xml_error
from netstore.model.collections import FORWARD_INTERFACE
from netstore.model.types import ForwardIface
from netstore.model.xmlinput import prop


def plan(req: Request) -> tuple[EditStep, ...]:
    check_element(req, "interface")
    if req.command == Command.MODIFY:
        raise operation_unsupported("forward interface entries cannot be modified, only added or deleted")
    dev = prop(req.node, "dev")
    if dev is None:
        raise xml_error("missing dev attribute in <interface> element")
    pool = req.defn.forward.ifaces
    index = lookup.index_for(req.defn, FORWARD_INTERFACE)
    found = index.first(("dev", dev))
    if req.is_add:
        if found is not None:
            raise operation_invalid(
                f"there is an existing interface entry in network '{req.netname}' "
                f"that matches \"<interface dev='{dev}'>\""
            )
        return req.insert(FORWARD_INTERFACE, pool, ForwardIface(dev=dev))
    if req.command == Command.DELETE:
        return _delete(req, index, found, dev)
    raise unknown_command(req.command)


def _delete(req: Request, index: lookup.OrderIndex, found: Optional[ForwardIface], dev: str) -> tuple[EditStep, ...]:
    if found is None:
        raise operation_invalid(
            f"couldn't find an interface entry in network '{req.netname}' matching <interface dev='{dev}'>"
        )
    if found.connections > 0:
        raise operation_invalid(
            f"unable to delete interface '{dev}' in network '{req.netname}'. "
            f"It is currently being used by {found.connections} domains."
        )
    return delete(FORWARD_INTERFACE, index.position(found))
