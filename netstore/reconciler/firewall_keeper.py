"""The firewall side of the reconcile loop: nft is touched only when a network's rules change.

libvirt reloads its rules on every live update of a nat network; netstore compares the
rules a network needs (:func:`netstore.render.firewall.network_firewall`: addresses and
forward settings only) with the ones it last put in place, so a DHCP host or DNS record
update costs no nft call at all.  A periodic check (every ``check_interval`` seconds
while some network has rules, and once at start-up) reads netstore's table once and
repairs drift: a chain whose rules were changed by hand, and chains of bridges no
running network has.
"""

from __future__ import annotations

import logging
import time
from typing import Optional, TextIO

from netstore.reconciler.firewall import Command, Firewall, Observed, transaction_text
from netstore.render.firewall import NetworkFirewall, bridge_of_chain

log = logging.getLogger("netstore.reconciler")

CHECK_INTERVAL = 1.0  # seconds between two drift checks
SNAPSHOT_TTL = 1.0  # a table listing is reused for this long while networks are brought in step


class FirewallKeeper:
    """Keeps netstore's nftables table equal to what the running networks need."""

    def __init__(self, firewall: Firewall, *, out: Optional[TextIO] = None, check_interval: float = CHECK_INTERVAL):
        self.firewall = firewall
        self.out = out  # set: --dry-run, print transactions instead of running them
        self.check_interval = check_interval
        self.applied: dict[str, NetworkFirewall] = {}  # bridge -> the rules in place
        self._bridge_of: dict[str, str] = {}  # network -> its bridge with rules in place
        self._snapshot: Optional[Observed] = None
        self._snapshot_at = float("-inf")
        self._next_check = time.monotonic() + check_interval

    def bring(self, network: str, wanted: Optional[NetworkFirewall]) -> None:
        """Put ``network``'s rules in place (None: it needs none now, e.g. it was destroyed)."""
        bridge = wanted.bridge if wanted is not None else self._bridge_of.get(network)
        if bridge is None or (wanted is not None and self.applied.get(bridge) == wanted):
            return
        if wanted is None and bridge not in self.applied:
            return
        commands = self.firewall.plan({bridge: wanted}, self._observed())
        self._run(f"network {network}", commands, "rules in place" if wanted is not None else "rules removed")
        if self.out is not None:
            return
        if wanted is None:
            self.applied.pop(bridge, None)
            self._bridge_of.pop(network, None)
            return
        self.applied[bridge] = wanted
        self._bridge_of[network] = bridge
        for key in self.firewall.enable_forwarding(wanted):
            log.info("network %s: %s switched on", network, key)

    def check(self, *, force: bool = False) -> None:
        """Repair drift once the check interval has passed, if any rules are in place (``force``: now)."""
        if not force and (not self.applied or time.monotonic() < self._next_check):
            return
        self._next_check = time.monotonic() + self.check_interval
        observed = self._observed(fresh=True)
        desired: dict[str, Optional[NetworkFirewall]] = dict(self.applied)
        desired.update({bridge_of_chain(chain): None for chain in observed or {}
                        if bridge_of_chain(chain) not in self.applied})
        commands = self.firewall.plan(desired, observed)
        self._run("netstore's nftables table", commands, "drift repaired")

    def _observed(self, *, fresh: bool = False) -> Optional[Observed]:
        if fresh or time.monotonic() - self._snapshot_at > SNAPSHOT_TTL:
            self._snapshot = self.firewall.observe()
            self._snapshot_at = time.monotonic()
        return self._snapshot

    def _run(self, subject: str, commands: list[Command], done: str) -> None:
        if not commands:
            return
        if self.out is not None:
            self.out.write(f"{subject}: would run one nft transaction:\n{transaction_text(commands)}\n")
            return
        self._snapshot_at = float("-inf")  # the table changes: read it again next time
        self.firewall.apply(commands)
        log.info("%s: firewall %s (one nft transaction, %d commands)", subject, done, len(commands))
