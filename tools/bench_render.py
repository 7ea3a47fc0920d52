"""Renders per second of a typical network (NAT, IPv4 range, 10 DHCP hosts, 2 DNS hosts, IPv6 SLAAC).

Run: ``.venv/bin/python tools/bench_render.py [repeats]``.  Prints, for
each repeat, renders/s from a parsed definition (what the reconciler does), from
XML (``netstore.dnsmasq_files``) and, as the baseline measured in the same run,
``netstore.canonical_xml`` (parse + format) of the same document.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable

import netstore
from netstore.model import parse_network_xml
from netstore.render import render_dnsmasq, render_radvd

HOSTS = "".join(
    f"<host mac='52:54:00:10:00:{n:02x}' name='vm{n}.example.com' ip='192.168.100.{n + 10}'/>" for n in range(10)
)
TYPICAL = f"""<network><name>typical</name><forward mode='nat'/><bridge name='virbr10'/>
  <domain name='example.com'/>
  <dns><host ip='192.168.100.1'><hostname>gateway</hostname></host>
       <host ip='192.168.100.2'><hostname>files</hostname></host></dns>
  <ip address='192.168.100.1' netmask='255.255.255.0'>
    <dhcp><range start='192.168.100.100' end='192.168.100.200'/>{HOSTS}</dhcp>
  </ip>
  <ip family='ipv6' address='2001:db8:100::1' prefix='64'/>
</network>"""


def rate(call: Callable[[], object], seconds: float = 0.5) -> float:
    """Calls per second over about ``seconds``."""
    count, start = 0, time.perf_counter()
    while True:
        for _ in range(200):
            call()
        count += 200
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return count / elapsed


def main(repeats: int) -> None:
    defn = parse_network_xml(TYPICAL)
    cases: dict[str, Callable[[], object]] = {
        "render_dnsmasq(defn)": lambda: render_dnsmasq(defn),
        "render_radvd(defn)": lambda: render_radvd(defn),
        "dnsmasq_files(xml)": lambda: netstore.dnsmasq_files(TYPICAL),
        "baseline canonical_xml(xml)": lambda: netstore.canonical_xml(TYPICAL),
    }
    results: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(repeats):
        for name, call in cases.items():
            results[name].append(rate(call))
    for name, rates in results.items():
        print(f"{name:30s} median {statistics.median(rates):>10,.0f}/s  "
              f"min {min(rates):>10,.0f}/s  max {max(rates):>10,.0f}/s  ({repeats} runs)")
    per_thousand = 1000 / statistics.median(results["render_dnsmasq(defn)"])
    print(f"1,000 networks rendered from their definitions: {per_thousand * 1000:.1f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
