"""The firewall of a running network as nftables rules: libvirt 9.0.0's policy, pure.

libvirt 9.0.0 adds iptables rules per network (``iptablesAddFirewallRules``): DHCP,
DNS and TFTP to and from the bridge, a catch-all reject of forwarding to and from
the bridge, traffic across the bridge, and per ``<ip>``:

- nat: forward out from the network's addresses, back in only for established
  connections, and masquerade (or SNAT to ``<nat><address>``, with the
  ``<nat><port>`` range, 1024-65535 by default, for tcp and udp) except towards
  local multicast and broadcast; an IPv6 ``<ip>`` is masqueraded only with
  ``<nat ipv6='yes'/>``, otherwise routed;
- route: forward both ways; none (isolated): nothing forwarded; open: no rules.

netstore writes the same policy into one nftables table it owns, one set of base
chains per network (named after its bridge), so a network's rules are added and
removed as a whole.  Every rule carries a comment with the digest of its chain's
rules: the reconciler compares comments to find drift.  Not carried over: the
mangle table's DHCP checksum fill (nftables has no such statement).
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
from dataclasses import dataclass, field
from typing import Any, Optional

from netstore.model.address import effective_prefix
from netstore.model.types import IPDef, NetworkDef

TABLE = "netstore"
FAMILY = "inet"
COMMENT_PREFIX = "netstore:"
FIREWALLED_MODES = ("none", "nat", "route")
FORWARDING_MODES = ("nat", "route", "open")
DEFAULT_NAT_PORTS = (1024, 65535)
LOCAL_MULTICAST = {4: ("224.0.0.0", 24), 6: ("ff02::", 16)}
LOCAL_BROADCAST = ("255.255.255.255", 32)

Expr = dict[str, Any]
_Net = ipaddress.IPv4Network | ipaddress.IPv6Network
Rule = tuple[Expr, ...]

_HOOKS = {  # hook -> (chain type, priority)
    "input": ("filter", 0),
    "output": ("filter", 0),
    "forward": ("filter", 0),
    "postrouting": ("nat", 100),
}


@dataclass(frozen=True)
class Chain:
    """One base chain of a network: its hook and its rules, in order."""

    name: str
    hook: str
    rules: tuple[Rule, ...]

    @property
    def digest(self) -> str:
        text = json.dumps([self.hook, self.rules], sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    @property
    def comment(self) -> str:
        return COMMENT_PREFIX + self.digest


@dataclass(frozen=True)
class NetworkFirewall:
    """What a running network needs of the host's packet filter and IP forwarding."""

    bridge: str
    chains: tuple[Chain, ...]
    ipv4_forwarding: bool = False
    ipv6_forwarding: bool = False


def chain_name(bridge: str, hook: str) -> str:
    return f"{bridge}-{hook}"


def bridge_of_chain(name: str) -> str:
    """The bridge a chain of the netstore table belongs to (see :func:`chain_name`)."""
    return name.rsplit("-", 1)[0]


def network_firewall(netdef: NetworkDef) -> Optional[NetworkFirewall]:
    """The rules and forwarding a running ``netdef`` needs; None when it gets no bridge.

    Open networks get forwarding but no rules; bridge, macvtap and hostdev modes nothing.
    """
    mode = netdef.forward.mode
    bridge = netdef.bridge.name
    if mode not in FORWARDING_MODES + FIREWALLED_MODES or bridge is None:
        return None
    families = {_family(ip) for ip in netdef.ips}
    forwarding = mode in FORWARDING_MODES
    chains = _chains(netdef, bridge) if mode in FIREWALLED_MODES else ()
    return NetworkFirewall(bridge, chains, forwarding and 4 in families, forwarding and 6 in families)


@dataclass
class _Rules:
    """The rules of one network by chain; forward rules kept in libvirt's evaluation order.

    libvirt's FORWARD jumps to LIBVIRT_FWX (across the bridge), then LIBVIRT_FWI (in),
    then LIBVIRT_FWO (out), each with the per-<ip> accepts before the catch-all reject.
    """

    input: list[Rule] = field(default_factory=list)
    output: list[Rule] = field(default_factory=list)
    postrouting: list[Rule] = field(default_factory=list)
    across: list[Rule] = field(default_factory=list)
    accept_in: list[Rule] = field(default_factory=list)
    reject_in: list[Rule] = field(default_factory=list)
    accept_out: list[Rule] = field(default_factory=list)
    reject_out: list[Rule] = field(default_factory=list)

    def by_hook(self) -> dict[str, list[Rule]]:
        forward = self.across + self.accept_in + self.reject_in + self.accept_out + self.reject_out
        return {"input": self.input, "output": self.output, "forward": forward, "postrouting": self.postrouting}


def _chains(netdef: NetworkDef, bridge: str) -> tuple[Chain, ...]:
    rules = _Rules()
    _general_ipv4(netdef, bridge, rules)
    if any(_family(ip) == 6 for ip in netdef.ips) or netdef.ipv6:
        _general_ipv6(netdef, bridge, rules)
    for ip in netdef.ips:
        _ip_specific(netdef, bridge, ip, rules)
    hooks = rules.by_hook().items()
    return tuple(Chain(chain_name(bridge, hook), hook, tuple(found)) for hook, found in hooks if found)


def _general_ipv4(netdef: NetworkDef, bridge: str, rules: _Rules) -> None:
    v4 = _nfproto("ipv4")
    for port_in, port_out in ((67, 68), (53, 53)):
        rules.input += [(v4, _iif(bridge), _dport(proto, port_in), _ACCEPT) for proto in ("tcp", "udp")]
        rules.output += [(v4, _oif(bridge), _dport(proto, port_out), _ACCEPT) for proto in ("tcp", "udp")]
    if any(_family(ip) == 4 and ip.tftp_root is not None for ip in netdef.ips):
        rules.input.append((v4, _iif(bridge), _dport("udp", 69), _ACCEPT))
        rules.output.append((v4, _oif(bridge), _dport("udp", 69), _ACCEPT))
    _catch_all(v4, bridge, rules)


def _general_ipv6(netdef: NetworkDef, bridge: str, rules: _Rules) -> None:
    v6 = _nfproto("ipv6")
    _catch_all(v6, bridge, rules)
    if not any(_family(ip) == 6 for ip in netdef.ips):
        return  # <network ipv6='yes'> without an IPv6 address: traffic between guests only
    for proto in ("tcp", "udp"):
        rules.input.append((v6, _iif(bridge), _dport(proto, 53), _ACCEPT))
        rules.output.append((v6, _oif(bridge), _dport(proto, 53), _ACCEPT))
    rules.input.append((v6, _iif(bridge), _dport("udp", 547), _ACCEPT))
    rules.output.append((v6, _oif(bridge), _dport("udp", 546), _ACCEPT))


def _catch_all(proto: Expr, bridge: str, rules: _Rules) -> None:
    """Accept traffic across the bridge; reject forwarding to and from it."""
    rules.across.append((proto, _iif(bridge), _oif(bridge), _ACCEPT))
    rules.reject_in.append((proto, _oif(bridge), _REJECT))
    rules.reject_out.append((proto, _iif(bridge), _REJECT))


def _ip_specific(netdef: NetworkDef, bridge: str, ip: IPDef, rules: _Rules) -> None:
    mode = netdef.forward.mode
    nat = netdef.forward.nat
    masquerade = mode == "nat" and (_family(ip) == 4 or (nat is not None and bool(nat.ipv6)))
    if mode not in ("nat", "route"):
        return
    net = _network(ip)
    physdev = _forward_dev(netdef)
    rules.accept_out.append((_iif(bridge), *_optional(_oif, physdev), _addr(net, "saddr"), _ACCEPT))
    inbound = (*_optional(_iif, physdev), _oif(bridge), _addr(net, "daddr"))
    rules.accept_in.append((*inbound, _ESTABLISHED, _ACCEPT) if masquerade else (*inbound, _ACCEPT))
    if masquerade:
        rules.postrouting += _masquerade_rules(netdef, net, physdev)


def _masquerade_rules(netdef: NetworkDef, net: _Net, physdev: Optional[str]) -> list[Rule]:
    source = (*_optional(_oif, physdev), _addr(net, "saddr"))
    exempt = [LOCAL_MULTICAST[net.version]] + ([LOCAL_BROADCAST] if net.version == 4 else [])
    rules: list[Rule] = [(*source, _daddr(net.version, *dest), _RETURN) for dest in exempt]
    outside = (*source, _addr(net, "daddr", negate=True))
    ports = _nat_ports(netdef)
    for proto in ("tcp", "udp"):
        rules.append((*outside, _l4proto(proto), _translation(netdef, net.version, ports)))
    rules.append((*outside, _translation(netdef, net.version, None)))
    return rules


def _nat_ports(netdef: NetworkDef) -> tuple[int, int]:
    nat = netdef.forward.nat
    if nat is None or (nat.port_start == 0 and nat.port_end == 0):
        return DEFAULT_NAT_PORTS
    return nat.port_start, nat.port_end


def _translation(netdef: NetworkDef, version: int, ports: Optional[tuple[int, int]]) -> Expr:
    """masquerade, or snat to the <nat><address> range, with the port range for tcp/udp."""
    nat = netdef.forward.nat
    start = nat.address_start if nat is not None else None
    if start is None or start.is_ipv6 != (version == 6):
        return {"masquerade": {"port": {"range": list(ports)}} if ports else None}
    end = nat.address_end if nat is not None else None
    addr: Any = {"range": [str(start), str(end)]} if end is not None and end.is_ipv6 == start.is_ipv6 else str(start)
    snat: Expr = {"family": "ip" if version == 4 else "ip6", "addr": addr}
    if ports:
        snat["port"] = {"range": list(ports)}
    return {"snat": snat}


def _forward_dev(netdef: NetworkDef) -> Optional[str]:
    """virNetworkDefForwardIf(def, 0): the first netdev of the forward pool, if any."""
    ifaces = netdef.forward.ifaces
    return ifaces[0].dev if ifaces and ifaces[0].is_netdev else None


def _family(ip: IPDef) -> int:
    return 6 if ip.address.is_ipv6 else 4


def _network(ip: IPDef) -> _Net:
    prefix = effective_prefix(ip.address, ip.netmask, ip.prefix)
    return ipaddress.ip_interface(f"{ip.address}/{prefix}").network


_IIF = "iifname"
_OIF = "oifname"
_ACCEPT: Expr = {"accept": None}
_REJECT: Expr = {"reject": None}
_RETURN: Expr = {"return": None}
_ESTABLISHED: Expr = {"match": {"op": "in", "left": {"ct": {"key": "state"}}, "right": ["established", "related"]}}


def _match(left: Expr, right: Any, op: str = "==") -> Expr:
    return {"match": {"op": op, "left": left, "right": right}}


def _iif(name: str) -> Expr:
    return _match({"meta": {"key": _IIF}}, name)


def _oif(name: str) -> Expr:
    return _match({"meta": {"key": _OIF}}, name)


def _optional(make: Any, value: Optional[str]) -> tuple[Expr, ...]:
    return (make(value),) if value else ()


def _nfproto(name: str) -> Expr:
    return _match({"meta": {"key": "nfproto"}}, name)


def _l4proto(name: str) -> Expr:
    return _match({"meta": {"key": "l4proto"}}, name)


def _dport(proto: str, port: int) -> Expr:
    return _match({"payload": {"protocol": proto, "field": "dport"}}, port)


def _addr(net: _Net, which: str, *, negate: bool = False) -> Expr:
    protocol = "ip" if net.version == 4 else "ip6"
    prefix = {"prefix": {"addr": str(net.network_address), "len": net.prefixlen}}
    return _match({"payload": {"protocol": protocol, "field": which}}, prefix, "!=" if negate else "==")


def _daddr(version: int, address: str, length: int) -> Expr:
    protocol = "ip" if version == 4 else "ip6"
    right: Any = address if length == (32 if version == 4 else 128) else {"prefix": {"addr": address, "len": length}}
    return _match({"payload": {"protocol": protocol, "field": "daddr"}}, right)


def chain_commands(chain: Chain) -> list[Expr]:
    """The nft JSON commands that (re)create ``chain`` with exactly its rules."""
    kind, priority = _HOOKS[chain.hook]
    ref = {"family": FAMILY, "table": TABLE, "name": chain.name}
    commands: list[Expr] = [
        {"add": {"chain": {**ref, "type": kind, "hook": chain.hook, "prio": priority, "policy": "accept"}}},
        {"flush": {"chain": ref}},
    ]
    for rule in chain.rules:
        body = {"family": FAMILY, "table": TABLE, "chain": chain.name, "comment": chain.comment, "expr": list(rule)}
        commands.append({"add": {"rule": body}})
    return commands


def delete_chain_commands(name: str) -> list[Expr]:
    ref = {"family": FAMILY, "table": TABLE, "name": name}
    return [{"flush": {"chain": ref}}, {"delete": {"chain": ref}}]


def table_commands(*, delete: bool = False) -> list[Expr]:
    return [{"delete" if delete else "add": {"table": {"family": FAMILY, "name": TABLE}}}]
