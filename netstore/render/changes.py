"""How to bring a running daemon from one render to the next, and what changed for the log.

dnsmasq drops root after it starts and cannot re-read its 0600 ``.conf``, so
a changed ``.conf`` needs a restart; on SIGHUP it re-reads only the hosts
file and the addn-hosts file (research: daemon-config.md §5).  radvd
re-reads its whole configuration on SIGHUP.

Deciding from the rendered files gives libvirt's choices for every update
section (dns-txt, dns-srv, ip-dhcp-range: restart; dns-host: SIGHUP;
ip-dhcp-host: SIGHUP, restart when IPv4 DHCP is switched on or off), and one
deliberate difference: the first DHCP host of an IPv6 ``<ip>`` without DHCP
changes the ``.conf`` (``ra-only`` becomes ``static`` and ``enable-ra``), so
dnsmasq is restarted, where libvirt only sends SIGHUP and dnsmasq keeps
serving the old configuration.
"""

from __future__ import annotations

from collections import Counter
from enum import Enum
from typing import Optional

from netstore.render.dnsmasq import DnsmasqFiles


class DaemonAction(Enum):
    """What a daemon needs so that it serves the new render."""

    NOTHING = "nothing"
    START = "start"
    STOP = "stop"
    RELOAD = "reload"  # rewrite the files, then SIGHUP
    RESTART = "restart"  # stop, rewrite the files, start


def dnsmasq_action(before: Optional[DnsmasqFiles], after: Optional[DnsmasqFiles]) -> DaemonAction:
    """None means "no dnsmasq"; a changed ``.conf`` restarts, changed host files reload."""
    if before is None or after is None:
        return _presence_action(before is not None, after is not None)
    if before.conf != after.conf:
        return DaemonAction.RESTART
    if before.hostsfile != after.hostsfile or before.addnhosts != after.addnhosts:
        return DaemonAction.RELOAD
    return DaemonAction.NOTHING


def radvd_action(before: Optional[str], after: Optional[str]) -> DaemonAction:
    """None means "no radvd"; any change of its configuration reloads it."""
    if before is None or after is None:
        return _presence_action(before is not None, after is not None)
    return DaemonAction.NOTHING if before == after else DaemonAction.RELOAD


def _presence_action(was: bool, will_be: bool) -> DaemonAction:
    if was == will_be:
        return DaemonAction.NOTHING
    return DaemonAction.START if will_be else DaemonAction.STOP


def hosts_summary(before: Optional[DnsmasqFiles], after: Optional[DnsmasqFiles]) -> str:
    """One line for the log: ``3 DHCP hosts added, 1 removed; 1 DNS name added, 0 removed``."""
    dhcp = _counted(
        _lines(before.hostsfile if before else None), _lines(after.hostsfile if after else None), "DHCP host"
    )
    dns = _counted(
        _dns_names(before.addnhosts if before else None), _dns_names(after.addnhosts if after else None), "DNS name"
    )
    parts = [part for part in (dhcp, dns) if part]
    return "; ".join(parts) if parts else "no host changed"


def _counted(before: Counter[str], after: Counter[str], noun: str) -> str:
    added = sum((after - before).values())
    removed = sum((before - after).values())
    if not added and not removed:
        return ""
    plural = "" if added == 1 else "s"
    return f"{added} {noun}{plural} added, {removed} removed"


def _lines(text: Optional[str]) -> Counter[str]:
    return Counter(text.splitlines()) if text else Counter()


def _dns_names(text: Optional[str]) -> Counter[str]:
    """(address, name) pairs of an addn-hosts file."""
    pairs: Counter[str] = Counter()
    for line in (text or "").splitlines():
        address, *names = line.rstrip("\t").split("\t")
        pairs.update(f"{address} {name}" for name in names if name)
    return pairs
