"""dns-txt: virNetworkDefUpdateDNSTxt, with newer libvirt's MODIFY.

Order: element name, parse (``name`` always required; ``value`` only when
adding), then the command.  The key is ``name`` (first match); a DELETE
ignores the value.  MODIFY (refused by libvirt 9.0.0, as in newer libvirt)
replaces only the value of the record; a MODIFY without a value fails the
re-parse check (:mod:`netstore.engine.roundtrip`) instead of storing a
record libvirt could not read back.
"""

from __future__ import annotations

from netstore.constants import Command
from netstore.engine import lookup
from netstore.engine.request import Request, check_element, delete, replace, unknown_command
from netstore.engine.steps import EditStep
from netstore.errors import operation_invalid
from netstore.model.collections import DNS_TXT
from netstore.model.parse_dns import parse_dns_txt
from netstore.model.types import DNSTxt


def plan(req: Request) -> tuple[EditStep, ...]:
    check_element(req, "txt")
    txt = parse_dns_txt(req.node, req.netname, not req.is_add)
    index = lookup.index_for(req.defn, DNS_TXT)
    found = index.first(("name", txt.name))
    if req.is_add:
        if found is not None:
            raise operation_invalid(
                f"there is already a DNS TXT record with name '{txt.name}' in network {req.netname}"
            )
        return req.insert(DNS_TXT, req.defn.dns.txts, txt)
    if req.command not in (Command.DELETE, Command.MODIFY):
        raise unknown_command(req.command)
    if found is None:
        raise operation_invalid(f"couldn't locate a matching DNS TXT record in network {req.netname}")
    position = index.position(found)
    if req.command == Command.DELETE:
        return delete(DNS_TXT, position)
    return replace(DNS_TXT, position, DNSTxt(name=found.name, value=txt.value))
