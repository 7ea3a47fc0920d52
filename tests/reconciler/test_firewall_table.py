"""netstore's nftables table, driven in a private network namespace with the real nft."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from netstore.model import parse_network_xml
from netstore.reconciler.errors import ReconcileError
from netstore.reconciler.firewall import Firewall, transaction_text
from netstore.render.firewall import NetworkFirewall, network_firewall
from tests.helpers import require

NAT = ("<network><name>{name}</name><forward mode='nat'/><bridge name='{bridge}'/>"
       "<ip address='{net}.1' netmask='255.255.255.0'><dhcp><range start='{net}.2' end='{net}.9'/></dhcp></ip>"
       "</network>")


def nat_firewall(bridge: str, net: str = "192.168.60") -> NetworkFirewall:
    found = network_firewall(parse_network_xml(NAT.format(name=bridge, bridge=bridge, net=net)))
    assert found is not None
    return found


@pytest.fixture
def netns() -> Iterator[str]:
    require(os.geteuid() == 0, "needs root for network namespaces")
    require(shutil.which("nft") is not None and shutil.which("ip") is not None, "needs nft and ip (nftables, iproute2)")
    name = f"nsz-{uuid.uuid4().hex[:8]}"
    subprocess.run(["ip", "netns", "add", name], check=True)
    try:
        yield name
    finally:
        subprocess.run(["ip", "netns", "del", name], check=False)


def nft_in(ns: str, *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(["ip", "netns", "exec", ns, "nft", *args], input=stdin, capture_output=True, text=True,
                          check=True)
    return done.stdout


def ruleset(ns: str) -> list[dict]:
    return json.loads(nft_in(ns, "-j", "list", "ruleset"))["nftables"]


def netstore_items(ns: str) -> list[dict]:
    return [item for item in ruleset(ns) if any(v.get("table", v.get("name")) == "netstore"
                                                 for v in item.values() if isinstance(v, dict))]


def firewall_in(ns: str) -> Firewall:
    return Firewall(nft=("ip", "netns", "exec", ns, "nft"))


def test_a_network_is_added_in_one_transaction_and_a_second_sync_does_nothing(netns: str) -> None:
    fw = firewall_in(netns)
    wanted = nat_firewall("nszbr0")
    fw.sync({"nszbr0": wanted})
    assert fw.transactions == 1
    assert {c.name for c in wanted.chains} == set(fw.observe() or {})
    assert fw.sync({"nszbr0": wanted}) == [] and fw.transactions == 1


def test_a_rule_deleted_by_hand_is_drift_and_is_restored(netns: str) -> None:
    fw = firewall_in(netns)
    wanted = nat_firewall("nszbr0")
    fw.sync({"nszbr0": wanted})
    rule = next(item["rule"] for item in ruleset(netns) if "rule" in item and item["rule"]["chain"] == "nszbr0-postrouting")
    nft_in(netns, "delete", "rule", "inet", "netstore", "nszbr0-postrouting", "handle", str(rule["handle"]))
    assert fw.plan({"nszbr0": wanted}, fw.observe()) != []
    fw.sync({"nszbr0": wanted})
    assert fw.transactions == 2
    chain = next(c for c in wanted.chains if c.hook == "postrouting")
    assert (fw.observe() or {})["nszbr0-postrouting"] == [chain.comment] * len(chain.rules)


def test_removing_networks_leaves_other_tables_alone_and_no_netstore_rule_behind(netns: str) -> None:
    nft_in(netns, "-f", "-", stdin="table ip nszother {\n chain c {\n type filter hook input priority 0;\n accept\n }\n}\n")
    fw = firewall_in(netns)
    fw.sync({"nszbr0": nat_firewall("nszbr0"), "nszbr1": nat_firewall("nszbr1", "192.168.61")})
    fw.sync({"nszbr0": None})
    remaining = set(fw.observe() or {})
    assert remaining and all(name.startswith("nszbr1-") for name in remaining)
    fw.sync({"nszbr1": None})
    assert fw.observe() is None and netstore_items(netns) == []
    assert "nszother" in nft_in(netns, "list", "ruleset")


def test_forwarding_is_switched_on_only_when_needed(tmp_path: Path) -> None:
    for key in ("net/ipv4/ip_forward", "net/ipv6/conf/all/forwarding"):
        (tmp_path / key).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / key).write_text("0\n")
    fw = Firewall(sysctl_dir=tmp_path)
    assert fw.enable_forwarding(nat_firewall("nszbr0")) == ["net.ipv4.ip_forward"]
    assert (tmp_path / "net/ipv4/ip_forward").read_text() == "1\n"
    assert (tmp_path / "net/ipv6/conf/all/forwarding").read_text() == "0\n"
    assert fw.enable_forwarding(nat_firewall("nszbr0")) == []


def test_a_refused_transaction_and_a_missing_nft_are_errors(netns: str, tmp_path: Path) -> None:
    fw = firewall_in(netns)
    with pytest.raises(ReconcileError, match="refused"):
        fw.apply([{"add": {"chain": {"family": "inet", "table": "no-such-table", "name": "x"}}}])
    with pytest.raises(ReconcileError, match="cannot run"):
        Firewall(nft=(str(tmp_path / "no-nft"),)).observe()


def test_dry_run_text_is_what_nft_reads(netns: str) -> None:
    fw = firewall_in(netns)
    commands = fw.plan({"nszbr0": nat_firewall("nszbr0")}, fw.observe())
    nft_in(netns, "-c", "-j", "-f", "-", stdin=transaction_text(commands))
    assert fw.observe() is None  # checked, not applied
