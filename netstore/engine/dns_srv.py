"""dns-srv: virNetworkDefUpdateDNSSrv, with newer libvirt's MODIFY.

Order: element name, parse (partial unless adding), then the command.  A
record matches when every one of domain, service, protocol and target that
the request gives is equal; port, priority and weight are never compared.
ADD refuses any match; DELETE and MODIFY (refused by libvirt 9.0.0, as in
newer libvirt) need exactly one, and MODIFY replaces the whole record.
"""

from __future__ import annotations

from netstore.constants import Command
from netstore.engine import lookup
from netstore.engine.request import Request, check_element, delete, replace, unknown_command
from netstore.engine.steps import EditStep
from netstore.errors import operation_invalid
from netstore.model.collections import DNS_SRV
from netstore.model.parse_dns import parse_dns_srv
from netstore.model.types import DNSSrv


def plan(req: Request) -> tuple[EditStep, ...]:
    check_element(req, "srv")
    srv = parse_dns_srv(req.node, req.netname, not req.is_add)
    index = lookup.index_for(req.defn, DNS_SRV)
    matches = _matches(req.defn.dns.srvs, index, srv)
    if req.is_add:
        if matches:
            raise operation_invalid(
                "there is already at least one DNS SRV record matching all specified fields "
                f"in network {req.netname}"
            )
        return req.insert(DNS_SRV, req.defn.dns.srvs, srv)
    if req.command not in (Command.DELETE, Command.MODIFY):
        raise unknown_command(req.command)
    position = index.position(_only(req, matches))
    if req.command == Command.DELETE:
        return delete(DNS_SRV, position)
    return replace(DNS_SRV, position, srv)


def _only(req: Request, matches: list) -> DNSSrv:
    """The one match DELETE and MODIFY need."""
    if not matches:
        raise operation_invalid(f"couldn't locate a matching DNS SRV record in network {req.netname}")
    if len(matches) > 1:
        raise operation_invalid(
            f"multiple DNS SRV records matching all specified fields were found in network {req.netname}"
        )
    return matches[0]


def _matches(records: list, index: lookup.OrderIndex, srv: DNSSrv, limit: int = 2) -> list:
    """Up to ``limit`` records matching every field the request gives, in list order."""
    given = [(field, value) for field in lookup.SRV_FIELDS if (value := getattr(srv, field)) is not None]
    if not given:
        return records[:limit]
    smallest = min((index.seqs(key) for key in given), key=len)
    found = []
    for seq in smallest:
        record = index.item_at[seq]
        if all(getattr(record, field) == value for field, value in given):
            found.append(record)
            if len(found) == limit:
                break
    return found
