"""netstore's nftables rules enforce libvirt 9.0.0's iptables policy (networkxml2firewalldata).

libvirt's test gives, for each network, the iptables/ip6tables commands it runs.  Both
sides are reduced to rules of one form (family, hook, matches, verdict); then per hook
the two must hold the same rules, and wherever two rules can match the same packet
and decide differently, in the same order (first match wins in both).  Not carried
over, by design: the mangle table's DHCP checksum fill (nftables has no such statement).
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any, Optional

import pytest

from netstore.model import parse_network_xml
from netstore.render.firewall import network_firewall
from tests.helpers import corpus_path, require

DATA = "networkxml2firewalldata"
CASES = ["nat-default", "nat-ipv6", "nat-ipv6-masquerade", "nat-many-ips", "nat-no-dhcp", "nat-tftp",
         "route-default"]
# libvirt's chains -> the hook of netstore's per-network chain; forward chains in evaluation order
HOOK_OF = {"LIBVIRT_INP": "input", "LIBVIRT_OUT": "output", "LIBVIRT_FWX": "forward", "LIBVIRT_FWI": "forward",
           "LIBVIRT_FWO": "forward", "LIBVIRT_PRT": "postrouting"}
FORWARD_ORDER = ["LIBVIRT_FWX", "LIBVIRT_FWI", "LIBVIRT_FWO"]

Rule = frozenset[tuple[str, str]]


def _data_dir() -> Path:
    path = corpus_path() / DATA
    require(path.is_dir(), f"libvirt's {DATA} corpus not found at {path}")
    return path


def libvirt_rules(args: str) -> dict[str, list[Rule]]:
    """The final rules per hook after libvirt's --insert commands (mangle table left out)."""
    chains: dict[str, list[Rule]] = {}
    for command in args.replace("\\\n", " ").splitlines():
        words = shlex.split(command)
        if not words:
            continue
        parsed = _iptables_rule(words)
        if parsed is not None:
            chain, rule = parsed
            chains.setdefault(chain, []).insert(0, rule)
    by_hook: dict[str, list[Rule]] = {}
    for chain in ["LIBVIRT_INP", "LIBVIRT_OUT", *FORWARD_ORDER, "LIBVIRT_PRT"]:
        by_hook.setdefault(HOOK_OF[chain], []).extend(chains.get(chain, []))
    return by_hook


_IPT_FIELDS = {"--in-interface": "iif", "--out-interface": "oif", "--protocol": "proto", "-p": "proto",
               "--destination-port": "dport", "--source": "saddr", "--destination": "daddr",
               "--ctstate": "ctstate", "--jump": "verdict", "--to-ports": "ports", "--to-source": "to"}


def _iptables_rule(words: list[str]) -> Optional[tuple[str, Rule]]:
    family = "6" if words[0] == "ip6tables" else "4"
    fields: dict[str, str] = {"family": family}
    table, chain, negate = "", "", False
    i = 1
    while i < len(words):
        word = words[i]
        if word == "!":
            negate = True
        elif word in ("--table", "--insert"):
            table, chain = (words[i + 1], chain) if word == "--table" else (table, words[i + 1])
            i += 1
        elif word in _IPT_FIELDS:
            key = _IPT_FIELDS[word]
            fields[key] = ("!" if negate else "") + _address(words[i + 1]) if key in ("saddr", "daddr") \
                else words[i + 1]
            negate = False
            i += 1
        i += 1
    if table == "mangle" or chain not in HOOK_OF:
        return None
    return chain, frozenset(fields.items())


def _address(text: str) -> str:
    return text if "/" in text else text + ("/128" if ":" in text else "/32")


def netstore_rules(xml: str) -> dict[str, list[Rule]]:
    fw = network_firewall(parse_network_xml(xml))
    assert fw is not None
    return {chain.hook: [_nft_rule(rule) for rule in chain.rules] for chain in fw.chains}


def _nft_rule(exprs: tuple[dict[str, Any], ...]) -> Rule:
    fields: dict[str, str] = {}
    for expr in exprs:
        if "match" in expr:
            _nft_match(expr["match"], fields)
        else:
            _nft_verdict(expr, fields)
    if "family" not in fields:
        fields["family"] = "4"
    return frozenset(fields.items())


def _nft_match(match: dict[str, Any], fields: dict[str, str]) -> None:
    left, right, negate = match["left"], match["right"], match["op"] == "!="
    if "meta" in left:
        key = left["meta"]["key"]
        if key == "nfproto":
            fields["family"] = "4" if right == "ipv4" else "6"
        elif key in ("iifname", "oifname"):
            fields[key[:3]] = right
        elif key == "l4proto":
            fields["proto"] = right
    elif "ct" in left:
        fields["ctstate"] = ",".join(state.upper() for state in right)
    elif left["payload"]["field"] == "dport":
        fields["proto"], fields["dport"] = left["payload"]["protocol"], str(right)
    else:
        fields["family"] = "4" if left["payload"]["protocol"] == "ip" else "6"
        address = f"{right['prefix']['addr']}/{right['prefix']['len']}" if isinstance(right, dict) else _address(right)
        fields[left["payload"]["field"]] = ("!" if negate else "") + address


def _nft_verdict(expr: dict[str, Any], fields: dict[str, str]) -> None:
    (verdict, value), = expr.items()
    fields["verdict"] = verdict.upper()
    if verdict == "masquerade" and value:
        fields["ports"] = "-".join(map(str, value["port"]["range"]))
    if verdict == "snat":
        fields["verdict"] = "SNAT"
        fields["to"] = "-".join(value["addr"]["range"]) if isinstance(value["addr"], dict) else value["addr"]


def _may_match_the_same_packet(a: Rule, b: Rule) -> bool:
    mine, theirs = dict(a), dict(b)
    for key in ("family", "iif", "oif", "proto", "dport", "saddr", "daddr"):
        x, y = mine.get(key), theirs.get(key)
        if x is not None and y is not None and x != y and not x.startswith("!") and not y.startswith("!"):
            return False
    return True


def _outcome(rule: Rule) -> tuple[Optional[str], ...]:
    fields = dict(rule)
    return fields["verdict"], fields.get("ports"), fields.get("to")


def _decisive_pairs(rules: list[Rule]) -> set[tuple[Rule, Rule]]:
    """(earlier, later) for every two rules that can see the same packet and treat it differently."""
    return {(first, second) for i, first in enumerate(rules) for second in rules[i + 1:]
            if _outcome(first) != _outcome(second) and _may_match_the_same_packet(first, second)}


@pytest.mark.parametrize("case", CASES)
def test_netstore_enforces_libvirts_firewall_policy(case: str) -> None:
    data = _data_dir()
    expected = libvirt_rules((data / f"{case}-linux.args").read_text())
    actual = netstore_rules((data / f"{case}.xml").read_text())
    for hook in ("input", "output", "forward", "postrouting"):
        want, got = expected.get(hook, []), actual.get(hook, [])
        assert sorted(map(sorted, got)) == sorted(map(sorted, want)), f"{case}: {hook} rules differ"
        order = {rule: index for index, rule in enumerate(got)}
        for earlier, later in _decisive_pairs(want):
            assert order[earlier] < order[later], f"{case}: {hook}: {sorted(earlier)} must come before {sorted(later)}"


def test_the_cases_are_every_linux_rule_file_of_the_corpus() -> None:
    assert sorted(path.name.removesuffix("-linux.args") for path in _data_dir().glob("*-linux.args")) == sorted(CASES)


def test_the_comparison_catches_a_reordered_rule() -> None:
    data = _data_dir()
    expected = libvirt_rules((data / "nat-default-linux.args").read_text())["forward"]
    assert _decisive_pairs(expected), "the forward chain has accept-before-reject pairs to check"
    reject_first = sorted(expected, key=lambda rule: dict(rule)["verdict"] != "REJECT")
    order = {rule: index for index, rule in enumerate(reject_first)}
    assert any(order[a] > order[b] for a, b in _decisive_pairs(expected))
