"""netstore's nftables table on this host: read it, and bring networks' chains in step.

Every change is one ``nft -j -f -`` transaction, so no packet ever sees half a rule
set.  Only the table :data:`netstore.render.firewall.TABLE` is read or written;
rules and tables of anyone else are never touched.  A chain is in step when its
rules carry, in order, exactly the comments of the desired chain (see
:mod:`netstore.render.firewall`): a rule deleted, added or replaced by hand is drift,
repaired by re-creating that chain.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from netstore.reconciler.errors import ReconcileError
from netstore.render.firewall import (
    FAMILY,
    TABLE,
    NetworkFirewall,
    bridge_of_chain,
    chain_commands,
    delete_chain_commands,
    table_commands,
)

Observed = dict[str, list[Optional[str]]]  # chain name -> the comments of its rules, in order
Command = dict[str, Any]


@dataclass
class Firewall:
    """The host's nft, as netstore uses it; counts the transactions it runs.

    ``netns``: act in that named network namespace (tests), through ``ip netns exec``.
    """

    nft: Sequence[str] = ("nft",)
    sysctl_dir: Path = Path("/proc/sys")
    netns: Optional[str] = None
    transactions: int = field(default=0, init=False)

    def observe(self) -> Optional[Observed]:
        """The chains of netstore's table and their rules' comments; None when there is no table."""
        result = self._run(["-j", "list", "table", FAMILY, TABLE])
        if result.returncode != 0:
            if "No such file or directory" in result.stderr:
                return None
            raise ReconcileError(f"nft could not list table {FAMILY} {TABLE}: {result.stderr.strip()}")
        observed: Observed = {}
        for item in json.loads(result.stdout)["nftables"]:
            if "chain" in item:
                observed.setdefault(item["chain"]["name"], [])
            elif "rule" in item:
                observed.setdefault(item["rule"]["chain"], []).append(item["rule"].get("comment"))
        return observed

    def plan(self, desired: Mapping[str, Optional[NetworkFirewall]], observed: Optional[Observed]) -> list[Command]:
        """The commands that bring the chains of the bridges in ``desired`` in step (None: remove them).

        Chains of other bridges are left alone; the table itself is deleted when no
        chain would remain in it.
        """
        present: Observed = observed or {}
        commands: list[Command] = []
        remaining = set(present)
        for bridge, wanted in desired.items():
            chains = {chain.name: chain for chain in wanted.chains} if wanted is not None else {}
            for name in sorted(n for n in present if bridge_of_chain(n) == bridge and n not in chains):
                commands += delete_chain_commands(name)
                remaining.discard(name)
            for chain in chains.values():
                remaining.add(chain.name)
                if present.get(chain.name) != [chain.comment] * len(chain.rules):
                    commands += chain_commands(chain)
        if not commands:
            return []
        if not remaining:
            return table_commands(delete=True)
        return (table_commands() if observed is None else []) + commands

    def apply(self, commands: list[Command]) -> None:
        """Run ``commands`` as one nft transaction (all or nothing)."""
        if not commands:
            return
        self.transactions += 1
        result = self._run(["-j", "-f", "-"], stdin=json.dumps({"nftables": commands}))
        if result.returncode != 0:
            raise ReconcileError(f"nft refused the transaction: {result.stderr.strip()}")

    def sync(self, desired: Mapping[str, Optional[NetworkFirewall]]) -> list[Command]:
        """Observe, plan and apply; return the commands run ([] when already in step)."""
        commands = self.plan(desired, self.observe())
        self.apply(commands)
        return commands

    def enable_forwarding(self, wanted: NetworkFirewall) -> list[str]:
        """Turn on IPv4/IPv6 forwarding when the network needs it (never off, as libvirt)."""
        switched = []
        for needed, key in ((wanted.ipv4_forwarding, "net/ipv4/ip_forward"),
                            (wanted.ipv6_forwarding, "net/ipv6/conf/all/forwarding")):
            if needed and self._sysctl(key) != "1":
                self._sysctl(key, "1")
                switched.append(key.replace("/", "."))
        return switched

    def _sysctl(self, key: str, value: Optional[str] = None) -> str:
        """Read (or write) one kernel setting of this host, or of ``netns``."""
        if self.netns is None:
            path = self.sysctl_dir / key
            if value is not None:
                path.write_text(value + "\n")
            return path.read_text().strip()
        name = key.replace("/", ".")
        args = ["-w", f"{name}={value}"] if value is not None else ["-n", name]
        return self._command(["sysctl", *args], None).stdout.strip()

    def _run(self, args: list[str], *, stdin: Optional[str] = None) -> subprocess.CompletedProcess[str]:
        return self._command([*self.nft, *args], stdin)

    def _command(self, argv: list[str], stdin: Optional[str]) -> subprocess.CompletedProcess[str]:
        prefix = ["ip", "netns", "exec", self.netns] if self.netns is not None else []
        try:
            return subprocess.run([*prefix, *argv], input=stdin, capture_output=True, text=True, check=False)
        except OSError as err:
            raise ReconcileError(f"cannot run {argv[0]}: {err.strerror}") from err


def transaction_text(commands: list[Command]) -> str:
    """The transaction as ``nft -j -f`` reads it, for --dry-run."""
    return json.dumps({"nftables": commands}, indent=2)
