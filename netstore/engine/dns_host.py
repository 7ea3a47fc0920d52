"""dns-host: virNetworkDefUpdateDNSHost, with newer libvirt's MODIFY.

Order: element name, parse (partial unless adding), then the command.

* ADD: only the IP is compared (the same hostname under another IP is fine).
* DELETE: a record matches when its IP equals the request's or it shares any
  hostname with it; exactly one record must match.
* MODIFY (libvirt 9.0.0 refuses it; netstore follows newer libvirt): the last
  record with the request's IP is replaced whole.  Unlike upstream, a request
  whose IP matches no record is "not found" even when a hostname matches.
"""

from __future__ import annotations

from netstore.constants import Command
from netstore.engine import lookup
from netstore.engine.request import Request, check_element, delete, replace, unknown_command
from netstore.engine.steps import EditStep
from netstore.errors import libvirtError, operation_invalid
from netstore.model.collections import DNS_HOST
from netstore.model.parse_dns import parse_dns_host
from netstore.model.types import DNSHost

Steps = tuple[EditStep, ...]


def plan(req: Request) -> Steps:
    check_element(req, "host")
    host = parse_dns_host(req.node, req.netname, not req.is_add)
    index = lookup.index_for(req.defn, DNS_HOST)
    if req.is_add:
        if index.count(("ip", host.ip)):
            raise operation_invalid(
                f"there is already at least one DNS HOST record with a matching field in network {req.netname}"
            )
        return req.insert(DNS_HOST, req.defn.dns.hosts, host)
    if req.command == Command.DELETE:
        return _delete(req, index, host)
    if req.command == Command.MODIFY:
        return _modify(req, index, host)
    raise unknown_command(req.command)


def _delete(req: Request, index: lookup.OrderIndex, host: DNSHost) -> Steps:
    keys: list[lookup.Key] = [("hostname", name) for name in host.hostnames]
    if host.ip is not None:
        keys.append(("ip", host.ip))
    matches = set().union(*(index.seqs(key) for key in keys))
    if not matches:
        raise _not_found(req)
    if len(matches) > 1:
        raise operation_invalid(f"multiple matching DNS HOST records were found in network {req.netname}")
    return delete(DNS_HOST, index.position(index.item_at[matches.pop()]))


def _modify(req: Request, index: lookup.OrderIndex, host: DNSHost) -> Steps:
    target = index.last(("ip", host.ip)) if host.ip is not None else None
    if target is None:
        raise _not_found(req)
    return replace(DNS_HOST, index.position(target), host)


def _not_found(req: Request) -> libvirtError:
    return operation_invalid(f"couldn't locate a matching DNS HOST record in network {req.netname}")
