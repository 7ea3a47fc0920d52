"""The DNS lines of dnsmasq's configuration (``networkDnsmasqConfContents``, steps 2-6 and 11)."""

from __future__ import annotations

from netstore.errors import internal_error
from netstore.model.types import DNSDef, DNSSrv, NetworkDef
from netstore.render.addressing import ip_prefix, ptr_domain


def resolver_lines(defn: NetworkDef, want_dns: bool) -> list[str]:
    """``port=0`` or the forwarders, the domain, the local PTR zones and plain-name handling."""
    lines = [] if want_dns else ["port=0"]
    if want_dns:
        lines.extend(forwarder_lines(defn.dns))
    if defn.domain is not None:
        if defn.domain.local_only is True:
            lines.append(f"local=/{defn.domain.name}/")
        lines.extend((f"domain={defn.domain.name}", "expand-hosts"))
    if want_dns:
        lines.extend(local_ptr_lines(defn))
        if defn.dns.forward_plain_names is False:
            lines.extend(("domain-needed", "local=//"))
    return lines


def forwarder_lines(dns: DNSDef) -> list[str]:
    """``server=`` per forwarder, then ``no-resolv`` when one forwards everything to an address."""
    lines: list[str] = []
    no_resolv = False
    for forwarder in dns.forwarders:
        domain = f"/{forwarder.domain}/" if forwarder.domain is not None else ""
        target = forwarder.addr.text if forwarder.addr is not None else "#"
        lines.append(f"server={domain}{target}")
        no_resolv = no_resolv or (forwarder.addr is not None and forwarder.domain is None)
    if no_resolv:
        lines.append("no-resolv")
    return lines


def local_ptr_lines(defn: NetworkDef) -> list[str]:
    """``local=/ZONE/`` for each ``<ip localPtr='yes'>``."""
    return [
        f"local=/{ptr_domain(ipdef.address, ip_prefix(ipdef))}/"
        for ipdef in defn.ips
        if ipdef.local_ptr is True
    ]


def record_lines(defn: NetworkDef) -> list[str]:
    """``txt-record=`` and ``srv-host=`` lines, in document order."""
    lines = [f"txt-record={txt.name},{txt.value}" for txt in defn.dns.txts]
    lines.extend(srv_line(srv, defn.name) for srv in defn.dns.srvs)
    return lines


def srv_line(srv: DNSSrv, netname: str) -> str:
    """One ``srv-host=`` line; port, priority and weight only as far as one is set."""
    if srv.service is None or srv.protocol is None:
        raise internal_error(f"Missing required 'service' attribute in SRV record of network '{netname}'")
    line = f"srv-host=_{srv.service}._{srv.protocol}"
    if srv.domain is not None:
        line += f".{srv.domain}"
    if srv.target is None or srv.target == ".":
        return line
    fields = [srv.target]
    if srv.port or srv.priority or srv.weight:
        fields.append(str(srv.port or 1))
    if srv.priority or srv.weight:
        fields.append(str(srv.priority))
    if srv.weight:
        fields.append(str(srv.weight))
    return line + "," + ",".join(fields)
