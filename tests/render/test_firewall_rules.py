"""The nftables policy of a running network, per forward mode (libvirt 9.0.0's iptables rules)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from netstore.model import parse_network_xml
from netstore.render.firewall import Chain, NetworkFirewall, bridge_of_chain, chain_name, network_firewall

IPV4 = "<ip address='192.168.50.1' netmask='255.255.255.0'><dhcp><range start='192.168.50.2' end='192.168.50.9'/></dhcp></ip>"
IPV6 = "<ip family='ipv6' address='2001:db8:1::1' prefix='64'/>"


def firewall(forward: str, ips: str = IPV4, extra: str = "") -> NetworkFirewall:
    xml = f"<network{extra}><name>n</name>{forward}<bridge name='fwbr0'/>{ips}</network>"
    result = network_firewall(parse_network_xml(xml))
    assert result is not None
    return result


def rules(fw: NetworkFirewall, hook: str) -> list[str]:
    """A chain's rules as compact JSON text, for substring checks."""
    chains = {chain.hook: chain for chain in fw.chains}
    return [json.dumps(rule) for rule in chains[hook].rules] if hook in chains else []


def has(found: list[str], *parts: Any) -> bool:
    """Some rule contains every part (a dict part may be the inner fields of a larger object)."""
    texts = [json.dumps(part)[1:-1] if isinstance(part, dict) else json.dumps(part) for part in parts]
    return any(all(text in rule for text in texts) for rule in found)


SADDR_V4 = {"left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": {"prefix": {"addr": "192.168.50.0", "len": 24}}}
DADDR_V4 = {"left": {"payload": {"protocol": "ip", "field": "daddr"}}, "right": {"prefix": {"addr": "192.168.50.0", "len": 24}}}
ESTABLISHED = {"left": {"ct": {"key": "state"}}, "right": ["established", "related"]}


def test_nat_masquerades_and_lets_only_established_traffic_back_in() -> None:
    fw = firewall("<forward mode='nat'/>")
    assert fw.ipv4_forwarding and not fw.ipv6_forwarding
    post = rules(fw, "postrouting")
    assert len(post) == 5  # multicast and broadcast exempt, tcp, udp, everything else
    assert '"return": null' in post[0] and "224.0.0.0" in post[0]
    assert '"return": null' in post[1] and "255.255.255.255" in post[1]
    assert has(post[2:3], {"masquerade": {"port": {"range": [1024, 65535]}}})
    assert '{"masquerade": null}' in post[4]
    forward = rules(fw, "forward")
    inbound = [rule for rule in forward if has([rule], DADDR_V4)]
    assert len(inbound) == 1 and json.dumps(ESTABLISHED["right"]) in inbound[0]
    assert has(forward, SADDR_V4["right"], {"accept": None})


def test_nat_address_and_port_ranges_become_snat() -> None:
    fw = firewall("<forward mode='nat'><nat><address start='10.0.0.1' end='10.0.0.9'/>"
                  "<port start='2000' end='3000'/></nat></forward>")
    post = rules(fw, "postrouting")
    snat = {"snat": {"family": "ip", "addr": {"range": ["10.0.0.1", "10.0.0.9"]}, "port": {"range": [2000, 3000]}}}
    assert has(post, {"left": {"meta": {"key": "l4proto"}}, "right": "tcp"}, snat)
    assert has(post, {"snat": {"family": "ip", "addr": {"range": ["10.0.0.1", "10.0.0.9"]}}})


def test_nat_ipv6_is_routed_unless_ipv6_yes() -> None:
    routed = firewall("<forward mode='nat'/>", IPV4 + IPV6)
    assert "ip6" not in "".join(rules(routed, "postrouting"))
    inbound_v6 = [rule for rule in rules(routed, "forward") if "2001:db8:1::" in rule and "daddr" in rule]
    assert inbound_v6 and "established" not in inbound_v6[0]
    assert routed.ipv6_forwarding
    masqueraded = firewall("<forward mode='nat'><nat ipv6='yes'/></forward>", IPV4 + IPV6)
    post = "".join(rules(masqueraded, "postrouting"))
    assert "ff02::" in post and "2001:db8:1::" in post


def test_route_forwards_both_ways_without_masquerade() -> None:
    fw = firewall("<forward mode='route'/>")
    assert rules(fw, "postrouting") == []
    forward = rules(fw, "forward")
    inbound = [rule for rule in forward if has([rule], DADDR_V4)]
    assert len(inbound) == 1 and "established" not in inbound[0]
    assert fw.ipv4_forwarding


def test_isolated_network_forwards_nothing_but_serves_dhcp_and_dns() -> None:
    fw = firewall("")
    assert not fw.ipv4_forwarding
    forward = rules(fw, "forward")
    assert not any("prefix" in rule for rule in forward)  # no per-address accept
    assert sum('"reject": null' in rule for rule in forward) == 2
    assert has(rules(fw, "input"), {"left": {"payload": {"protocol": "udp", "field": "dport"}}, "right": 67})
    assert has(rules(fw, "input"), {"left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 53})


def test_forward_rules_are_in_libvirts_evaluation_order() -> None:
    forward = rules(firewall("<forward mode='nat'/>"), "forward")
    across, accept_in, reject_in, accept_out, reject_out = forward
    assert '"iifname"' in across and '"oifname"' in across and '"accept"' in across
    assert "daddr" in accept_in and '"reject"' in reject_in and '"oifname"' in reject_in
    assert "saddr" in accept_out and '"reject"' in reject_out and '"iifname"' in reject_out


def test_open_network_gets_forwarding_and_no_rules() -> None:
    fw = firewall("<forward mode='open'/>")
    assert fw.chains == () and fw.ipv4_forwarding


@pytest.mark.parametrize("mode", ["bridge", "private", "vepa", "passthrough"])
def test_modes_without_a_bridge_of_ours_get_nothing(mode: str) -> None:
    xml = f"<network><name>n</name><forward mode='{mode}'><interface dev='eth9'/></forward></network>"
    assert network_firewall(parse_network_xml(xml)) is None


def test_tftp_opens_port_69_and_forward_dev_restricts_the_outside() -> None:
    tftp = "<ip address='192.168.50.1' netmask='255.255.255.0'><tftp root='/srv/tftp'/></ip>"
    fw = firewall("<forward mode='nat' dev='eth9'/>", tftp)
    assert has(rules(fw, "input"), {"left": {"payload": {"protocol": "udp", "field": "dport"}}, "right": 69})
    assert all('"eth9"' in rule for rule in rules(fw, "postrouting"))
    assert has(rules(fw, "forward"), {"left": {"meta": {"key": "oifname"}}, "right": "eth9"}, SADDR_V4["right"])


def test_ipv6_yes_without_ipv6_address_only_allows_traffic_across() -> None:
    fw = firewall("", extra=" ipv6='yes'")
    assert sum("ipv6" in rule for rule in rules(fw, "forward")) == 3
    assert not any("ipv6" in rule for rule in rules(fw, "input"))


def test_chain_names_round_trip_and_digests_follow_the_rules() -> None:
    assert bridge_of_chain(chain_name("my-br-0", "postrouting")) == "my-br-0"
    a, b = Chain("x-forward", "forward", ()), Chain("x-forward", "forward", (({"accept": None},),))
    assert a.digest != b.digest and a.comment.startswith("netstore:")
    assert firewall("<forward mode='nat'/>") == firewall("<forward mode='nat'/>")
