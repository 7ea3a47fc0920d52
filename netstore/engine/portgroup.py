"""portgroup: virNetworkDefUpdatePortGroup.

Order: element name, full parse, then the lookup by name (case-sensitive; the
*last* portgroup of that name, as libvirt's loop keeps going) and of the
current default, the missing/existing-name errors, the one-default rule
(not for DELETE), then the command.  MODIFY replaces the whole portgroup;
DELETE matches by name only.
"""

from __future__ import annotations

from typing import Optional

from netstore.constants import Command
from netstore.engine import lookup
from netstore.engine.request import Request, check_element, delete, replace, unknown_command
from netstore.engine.steps import EditStep
from netstore.errors import operation_invalid
from netstore.model.collections import PORTGROUP
from netstore.model.parse_port import parse_portgroup
from netstore.model.types import PortGroup


def plan(req: Request) -> tuple[EditStep, ...]:
    check_element(req, "portgroup")
    portgroup = parse_portgroup(req.node, req.netname)
    index = lookup.index_for(req.defn, PORTGROUP)
    found = index.last(("name", portgroup.name))
    _check(req, portgroup, found, index.last(("default", True)))
    if req.command == Command.MODIFY:
        return replace(PORTGROUP, index.position(found), portgroup)
    if req.is_add:
        return req.insert(PORTGROUP, req.defn.portgroups, portgroup)
    if req.command == Command.DELETE:
        return delete(PORTGROUP, index.position(found))
    raise unknown_command(req.command)


def _check(req: Request, portgroup: PortGroup, found: Optional[PortGroup], default: Optional[PortGroup]) -> None:
    if found is None and req.command in (Command.MODIFY, Command.DELETE):
        raise operation_invalid(
            f"couldn't find a portgroup entry in network '{req.netname}' "
            f"matching <portgroup name='{portgroup.name}'>"
        )
    if found is not None and req.is_add:
        raise operation_invalid(
            f"there is an existing portgroup entry in network '{req.netname}' "
            f"that matches \"<portgroup name='{portgroup.name}'>\""
        )
    if req.command != Command.DELETE and portgroup.is_default and default is not None and default is not found:
        raise operation_invalid(
            f"a different portgroup entry in network '{req.netname}' is already set as the default. "
            "Only one default is allowed."
        )
