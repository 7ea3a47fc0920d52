"""End to end, as root in network namespaces: the firewall of nat, route and isolated networks.

A "host" namespace runs ``netstore reconcile --watch``; a "guest" namespace sits on the
network's bridge; an "upstream" namespace is reachable from the host only (a veth with
203.0.113.0/24, and a route back to the guests' subnet, so that only the firewall decides
whether a connection from upstream reaches a guest).  TCP connections are made with
Python's socket module on both sides.
"""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import pytest
from pyroute2 import IPRoute

import netstore
from tests.helpers import require
from tests.reconciler import netns as harness
from tests.reconciler.reconcile_support import daemon_dir, wait_for

__all__ = ["daemon_dir"]

PREFIX = harness.host_prefix("nsw")
NETSTORE = Path(sys.executable).with_name("netstore")
NET = "10.231"  # a /16, so that 1,000 DHCP hosts have addresses of their own
GUEST_IP, GUEST_MAC = f"{NET}.0.50", "52:54:00:77:00:01"
HOST_UP, UPSTREAM = "203.0.113.1", "203.0.113.2"
PORT = 8231
ACCEPT_ONE = ("import socket,sys; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1);"
              "s.bind(('0.0.0.0',int(sys.argv[1]))); s.listen(1); s.settimeout(8); print('ready',flush=True);"
              "c,a=s.accept(); print(a[0],flush=True)")
CONNECT = ("import socket,sys; socket.create_connection((sys.argv[1],int(sys.argv[2])),timeout=3).close()")


@pytest.fixture(autouse=True)
def own_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(harness, "PREFIX", PREFIX)


@dataclass
class World:
    host: str
    guest: str
    upstream: str
    bridge: str
    db: str
    state: Path
    run: Path
    reconciler: Optional[subprocess.Popen[str]] = None

    def netstore(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(NETSTORE), "--db", self.db, *args], capture_output=True, text=True, timeout=60,
                              check=True)

    def start_reconciler(self) -> None:
        argv = ["ip", "netns", "exec", self.host, str(NETSTORE), "--db", self.db, "reconcile", "--watch",
                "--state-dir", str(self.state), "--run-dir", str(self.run)]
        self.reconciler = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def stop_reconciler(self) -> str:
        """SIGTERM it; its log."""
        assert self.reconciler is not None
        self.reconciler.terminate()
        _, log = self.reconciler.communicate(timeout=15)
        self.reconciler = None
        return log

    def nft(self, *args: str) -> str:
        return harness.run_in(self.host, ["nft", *args]).stdout

    def netstore_table(self) -> Optional[dict]:
        ruleset = json.loads(self.nft("-j", "list", "ruleset"))["nftables"]
        tables = [item["table"] for item in ruleset if "table" in item and item["table"]["name"] == "netstore"]
        return tables[0] if tables else None

    def rule_comments(self, chain: str) -> list[str]:
        listing = json.loads(self.nft("-j", "list", "chain", "inet", "netstore", chain) or '{"nftables": []}')
        return [item["rule"].get("comment", "") for item in listing["nftables"] if "rule" in item]


def network_xml(mode: str, bridge: str) -> str:
    forward = f"<forward mode='{mode}'/>" if mode != "isolated" else ""
    return (f"<network><name>fw</name>{forward}<bridge name='{bridge}'/>"
            f"<ip address='{NET}.0.1' prefix='16'><dhcp>"
            f"<range start='{NET}.0.100' end='{NET}.0.200'/></dhcp></ip></network>")


@contextmanager
def world(tmp: Path, url: str, mode: str) -> Iterator[World]:
    require(harness.can_use_namespaces(), "needs root, network namespaces, nsenter, busybox, dnsmasq and radvd")
    with ExitStack() as stack:
        host = stack.enter_context(harness.namespace("h"))
        guest = stack.enter_context(harness.namespace("g"))
        upstream = stack.enter_context(harness.namespace("u"))
        state, run = tmp / "state", tmp / "run"
        w = World(host, guest, upstream, f"{PREFIX}b{secrets.token_hex(3)}", url, state, run)
        _link_upstream(w)
        stack.callback(lambda: w.reconciler and w.stop_reconciler())
        w.netstore("net-create", str(_write(tmp / "fw.xml", network_xml(mode, w.bridge))))
        w.start_reconciler()
        assert wait_for(lambda: harness.run_in(host, ["ip", "-4", "addr", "show", w.bridge]).stdout.count("inet"), 20)
        iface = harness.attach_guest(host, w.bridge, guest, GUEST_MAC)
        _in(guest, "ip", "addr", "add", f"{GUEST_IP}/16", "dev", iface)
        _in(guest, "ip", "route", "add", "default", "via", f"{NET}.0.1")
        # the bridge runs STP (as libvirt's): its new port forwards after listening and learning
        assert wait_for(lambda: harness.run_in(guest, ["busybox", "ping", "-c1", "-W1", f"{NET}.0.1"]).returncode == 0, 20)
        yield w


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def _in(ns: str, *argv: str) -> None:
    done = harness.run_in(ns, list(argv))
    assert done.returncode == 0, done.stderr


def _link_upstream(w: World) -> None:
    """host:HOST_UP/24 <-> upstream:UPSTREAM/24, and upstream's route back to the guests' subnet."""
    ours, theirs = f"{PREFIX}h{secrets.token_hex(3)}", f"{PREFIX}u{secrets.token_hex(3)}"
    with IPRoute(netns=w.host) as ipr:
        ipr.link("add", ifname=ours, kind="veth", peer=theirs)
        ipr.link("set", index=ipr.link_lookup(ifname=theirs)[0], net_ns_fd=w.upstream)
    _in(w.host, "ip", "addr", "add", f"{HOST_UP}/24", "dev", ours)
    _in(w.host, "ip", "link", "set", ours, "up")
    _in(w.upstream, "ip", "addr", "add", f"{UPSTREAM}/24", "dev", theirs)
    _in(w.upstream, "ip", "link", "set", theirs, "up")
    _in(w.upstream, "ip", "route", "add", f"{NET}.0.0/16", "via", HOST_UP)


def connection_seen(server_ns: str, client_ns: str, address: str) -> Optional[str]:
    """The peer address a TCP server in ``server_ns`` sees when ``client_ns`` connects to ``address``.

    None when the connection could not be made.
    """
    server = subprocess.Popen(["nsenter", f"--net=/run/netns/{server_ns}", "--", sys.executable, "-c", ACCEPT_ONE,
                               str(PORT)], stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None and server.stdout.readline().strip() == "ready"
        client = harness.run_in(client_ns, [sys.executable, "-c", CONNECT, address, str(PORT)])
        if client.returncode != 0:
            return None
        return server.stdout.readline().strip() or None
    finally:
        server.kill()
        server.wait()


def test_nat_masquerades_outbound_and_keeps_upstream_out(daemon_dir: Path, db_url: str) -> None:
    with world(daemon_dir, db_url, "nat") as w:
        assert connection_seen(w.upstream, w.guest, UPSTREAM) == HOST_UP  # masqueraded
        assert connection_seen(w.guest, w.upstream, GUEST_IP) is None  # no way in

        chain = f"{w.bridge}-postrouting"
        handle = json.loads(w.nft("-j", "-a", "list", "chain", "inet", "netstore", chain))["nftables"][-1]["rule"]
        _in(w.host, "nft", "delete", "rule", "inet", "netstore", chain, "handle", str(handle["handle"]))
        comments = w.rule_comments(chain)
        assert wait_for(lambda: len(w.rule_comments(chain)) == len(comments) + 1, 5), "a rule deleted by hand comes back"

        with netstore.open(w.db) as conn:
            net = conn.networkLookupByName("fw")
            for i in range(1000):
                host = f"<host mac='52:54:01:00:{i // 256:02x}:{i % 256:02x}' ip='{NET}.{1 + i // 200}.{1 + i % 200}'/>"
                net.update(netstore.VIR_NETWORK_UPDATE_COMMAND_ADD_LAST, netstore.VIR_NETWORK_SECTION_IP_DHCP_HOST,
                           -1, host, netstore.VIR_NETWORK_UPDATE_AFFECT_LIVE)
        hostsfile = w.state / "fw.hostsfile"
        assert wait_for(lambda: hostsfile.is_file() and hostsfile.read_text().count("\n") == 1000, 60)

        w.netstore("net-destroy", "fw")
        assert wait_for(lambda: w.netstore_table() is None, 15), "no netstore rule remains after net-destroy"
        log = w.stop_reconciler()
    transactions = [line for line in log.splitlines() if "one nft transaction" in line]
    assert len(transactions) == 3, log  # start, the drift repaired, destroy: none for 1,000 updates
    assert "rules in place" in transactions[0] and "drift repaired" in transactions[1]
    assert "rules removed" in transactions[2]


def test_route_forwards_both_ways_with_the_guests_own_address(daemon_dir: Path, db_url: str) -> None:
    with world(daemon_dir, db_url, "route") as w:
        assert connection_seen(w.upstream, w.guest, UPSTREAM) == GUEST_IP
        assert connection_seen(w.guest, w.upstream, GUEST_IP) == UPSTREAM


def test_an_isolated_network_reaches_nothing_past_the_bridge(daemon_dir: Path, db_url: str) -> None:
    with world(daemon_dir, db_url, "isolated") as w:
        _in(w.host, "sysctl", "-qw", "net.ipv4.ip_forward=1")  # only the firewall stands in the way
        assert connection_seen(w.upstream, w.guest, UPSTREAM) is None
        assert connection_seen(w.guest, w.upstream, GUEST_IP) is None
        assert connection_seen(w.host, w.guest, f"{NET}.0.1") is not None  # the host itself answers


def test_the_reconciler_never_touches_rules_it_does_not_own(daemon_dir: Path, db_url: str) -> None:
    with world(daemon_dir, db_url, "nat") as w:
        other = "table ip nswother {\n chain c {\n type filter hook forward priority 10;\n counter\n }\n}\n"
        done = subprocess.run(["nsenter", f"--net=/run/netns/{w.host}", "--", "nft", "-f", "-"], input=other,
                              text=True, capture_output=True, check=False)
        assert done.returncode == 0, done.stderr
        w.netstore("net-destroy", "fw")
        assert wait_for(lambda: w.netstore_table() is None, 15)
        assert "nswother" in w.nft("list", "ruleset")
