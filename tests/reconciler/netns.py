"""A namespace harness for reconciler tests: a "host" and a "guest" network namespace joined by veths.

Every object is named ``nsk`` (or ``$NETSTORE_TEST_HOST_PREFIX``) + a random
suffix and removed by that name on exit, together with every process still
running inside the namespace, even when the test fails.  Commands run inside a
namespace through ``nsenter``.
"""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Optional

import psutil
from pyroute2 import IPRoute, netns

PREFIX_ENV = "NETSTORE_TEST_HOST_PREFIX"  # one run's own prefix, when engineers share a machine


def host_prefix(default: str) -> str:
    """``$NETSTORE_TEST_HOST_PREFIX`` (three lowercase letters) when set, else a suite's ``default``."""
    chosen = os.environ.get(PREFIX_ENV) or default
    if not re.fullmatch("[a-z]{3}", chosen):
        raise ValueError(f"{PREFIX_ENV} must be three lowercase letters (interface names are short): {chosen!r}")
    return chosen


PREFIX = host_prefix("nsk")
NETNS_DIR = Path("/run/netns")
IFA_F_TENTATIVE = 0x40
_LEASE_SCRIPT = '#!/bin/sh\n[ "$1" = bound ] && echo "LEASE $ip $subnet"\nexit 0\n'


def can_use_namespaces() -> bool:
    """True when this process may create network namespaces and has the tools the harness runs."""
    tools = ("nsenter", "busybox", "rdisc6", "dnsmasq", "radvd")
    return os.geteuid() == 0 and all(shutil.which(t, path=os.environ.get("PATH", "") + ":/usr/sbin") for t in tools)


def random_name(role: str) -> str:
    """:data:`PREFIX` + role + a random suffix, short enough for an interface name (15 characters)."""
    return f"{PREFIX}{role}{secrets.token_hex(3)}"


@contextmanager
def namespace(role: str = "h") -> Iterator[str]:
    """A fresh network namespace (loopback up); on exit its processes are killed and it is removed."""
    name = random_name(role)
    netns.create(name)
    try:
        with IPRoute(netns=name) as ipr:
            ipr.link("set", index=ipr.link_lookup(ifname="lo")[0], state="up")
        yield name
    finally:
        kill_processes_in(name)
        netns.remove(name)


def host_netns() -> AbstractContextManager[str]:
    """The namespace that plays the host (bridge, daemons)."""
    return namespace("h")


def guest_netns() -> AbstractContextManager[str]:
    """The namespace that plays a guest (one veth end, DHCP client)."""
    return namespace("g")


def kill_processes_in(name: str) -> list[int]:
    """SIGKILL every process whose network namespace is ``name``; their pids."""
    try:
        target = os.stat(NETNS_DIR / name).st_ino
    except FileNotFoundError:
        return []
    killed = []
    for process in psutil.process_iter():
        try:
            if os.stat(f"/proc/{process.pid}/ns/net").st_ino == target:
                process.kill()
                killed.append(process.pid)
        except (OSError, psutil.Error):
            continue
    psutil.wait_procs([psutil.Process(p) for p in killed if psutil.pid_exists(p)], timeout=3)
    return killed


def run_in(ns: str, argv: list[str], timeout: float = 20.0) -> subprocess.CompletedProcess[str]:
    """Run ``argv`` inside namespace ``ns`` and capture its output."""
    return subprocess.run(
        ["nsenter", f"--net={NETNS_DIR / ns}", "--", *argv],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def attach_guest(host_ns: str, bridge: str, guest_ns: str, mac: str) -> str:
    """A veth pair: one end enslaved to ``bridge`` in the host, the other in the guest with ``mac``; both up."""
    suffix = secrets.token_hex(3)
    host_end, guest_end = f"{PREFIX}h{suffix}", f"{PREFIX}g{suffix}"
    with IPRoute(netns=host_ns) as ipr:
        ipr.link("add", ifname=host_end, kind="veth", peer=guest_end)
        master = ipr.link_lookup(ifname=bridge)[0]
        host_index = ipr.link_lookup(ifname=host_end)[0]
        ipr.link("set", index=host_index, master=master, state="up")
        ipr.link("set", index=ipr.link_lookup(ifname=guest_end)[0], net_ns_fd=guest_ns)
    with IPRoute(netns=guest_ns) as ipr:
        index = ipr.link_lookup(ifname=guest_end)[0]
        ipr.link("set", index=index, address=mac)
        ipr.link("set", index=index, state="up")
    return guest_end


def dhcp_lease(guest_ns: str, iface: str, timeout: float = 15.0, configure: bool = True) -> Optional[str]:
    """The IPv4 address busybox udhcpc obtains on ``iface`` (None when no server answered).

    With ``configure`` the address is then put on ``iface``, so the guest can talk to the host.
    """
    with tempfile.TemporaryDirectory(prefix=f"{PREFIX}-udhcpc-") as tmp:
        script = Path(tmp) / "script.sh"
        script.write_text(_LEASE_SCRIPT)
        script.chmod(0o755)
        argv = ["busybox", "udhcpc", "-i", iface, "-n", "-q", "-f", "-t", "5", "-T", "1", "-s", str(script)]
        done = run_in(guest_ns, argv, timeout)
    for line in done.stdout.splitlines():
        fields = line.split()
        if fields[:1] == ["LEASE"] and len(fields) == 3:
            address, netmask = fields[1], fields[2]
            if configure:
                prefix = ipaddress.IPv4Network(f"0.0.0.0/{netmask}").prefixlen
                with IPRoute(netns=guest_ns) as ipr:
                    ipr.addr("add", index=ipr.link_lookup(ifname=iface)[0], address=address, prefixlen=prefix)
            return address
    return None


def dns_query(ns: str, server: str, name: str) -> list[str]:
    """The addresses ``server`` answers for ``name`` (busybox nslookup, run inside ``ns``)."""
    done = run_in(ns, ["busybox", "nslookup", name, server], timeout=10)
    answers = done.stdout.split("\n\n", 1)[1] if "\n\n" in done.stdout else ""
    return [line.split()[-1] for line in answers.splitlines() if line.startswith("Address")]


def router_advert(guest_ns: str, iface: str, timeout: float = 10.0) -> str:
    """rdisc6's report of the router advertisement seen on ``iface`` ("" when none came).

    Waits first for ``iface``'s link-local address to leave duplicate address
    detection, so the solicitation goes out from a usable address.
    """
    wait_ipv6_ready(guest_ns, iface, timeout)
    done = run_in(guest_ns, ["rdisc6", "-1", "-r", str(int(timeout)), "-w", "1000", iface], timeout=timeout + 10)
    return done.stdout


def wait_ipv6_ready(ns: str, iface: str, timeout: float = 10.0) -> None:
    """Until ``iface`` has an IPv6 address and none of its addresses is tentative."""
    deadline = time.monotonic() + timeout
    with IPRoute(netns=ns) as ipr:
        index = ipr.link_lookup(ifname=iface)[0]
        while time.monotonic() < deadline:
            flags = [a.get("IFA_FLAGS") or a["flags"] for a in ipr.get_addr(index=index, family=socket.AF_INET6)]
            if flags and not any(f & IFA_F_TENTATIVE for f in flags):
                return
            time.sleep(0.05)
    raise TimeoutError(f"IPv6 on {iface} in {ns} not ready after {timeout}s")
