"""Bridges over netlink, in a private network namespace: create, adopt, configure, remove only our own."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from pyroute2 import IPRoute

from netstore.model.parse_network import parse_network_xml
from netstore.reconciler.bridge import Bridges, BridgeSpec, bridge_spec
from netstore.reconciler.errors import ReconcileError
from tests.helpers import require
from tests.reconciler.netns import attach_guest, can_use_namespaces, guest_netns, host_netns, random_name, run_in


@pytest.fixture
def host() -> Iterator[str]:
    require(can_use_namespaces(), "needs root, network namespaces and nsenter/busybox/rdisc6/dnsmasq/radvd")
    with host_netns() as name:
        yield name


def _spec(name: str, **changes: object) -> BridgeSpec:
    values: dict[str, object] = {
        "name": name,
        "mac": "52:54:00:12:34:56",
        "addresses": (("192.168.150.1", 24), ("fd00:150::1", 64)),
        "stp": False,
        "delay": 0,
        "mtu": 1400,
        "network": "net1",
    }
    values.update(changes)
    return BridgeSpec(**values)  # type: ignore[arg-type]


def test_bridge_spec_from_a_definition() -> None:
    netdef = parse_network_xml(
        "<network><name>n1</name><bridge name='nskbr9' stp='off' delay='3'/><mac address='52:54:00:AA:00:01'/>"
        "<mtu size='9000'/><ip address='10.1.2.1' netmask='255.255.0.0'/><ip family='ipv6' address='fd00::1'"
        " prefix='64'/></network>"
    )
    assert bridge_spec(netdef) == BridgeSpec(
        name="nskbr9",
        mac="52:54:00:aa:00:01",
        addresses=(("10.1.2.1", 16), ("fd00::1", 64)),
        stp=False,
        delay=3,
        mtu=9000,
        network="n1",
    )


def test_create_configures_everything_then_is_in_step(host: str) -> None:
    name = random_name("br")
    with Bridges(netns=host) as bridges:
        done = bridges.ensure(_spec(name))
        assert done == [
            "created",
            "mac 52:54:00:12:34:56 set",
            "mtu 1400 set",
            "address 192.168.150.1/24 added",
            "address fd00:150::1/64 added",
            "up",
        ]
        assert bridges.ensure(_spec(name)) == []
        assert bridges.created_by_us(name) and bridges.owner(name) == "net1"
        assert {("192.168.150.1", 24), ("fd00:150::1", 64)} <= set(bridges.addresses(name))
    with IPRoute(netns=host) as ipr:
        link = ipr.get_links(ipr.link_lookup(ifname=name)[0])[0]
        assert link.get("IFLA_ADDRESS") == "52:54:00:12:34:56"
        assert link.get("IFLA_MTU") == 1400
        assert link.get("IFLA_IFALIAS") == "netstore:net1"


def test_stp_and_delay_as_libvirt_sets_them(host: str) -> None:
    name = random_name("br")
    with Bridges(netns=host) as bridges:
        bridges.ensure(_spec(name, stp=False, delay=5))
        with IPRoute(netns=host) as ipr:
            data = ipr.get_links(ipr.link_lookup(ifname=name)[0])[0].get("IFLA_LINKINFO").get("IFLA_INFO_DATA")
            assert (data.get("IFLA_BR_STP_STATE"), data.get("IFLA_BR_FORWARD_DELAY")) == (0, 500)
        assert bridges.ensure(_spec(name, stp=True, delay=5)) == ["stp on"]


def test_adopted_bridge_is_configured_but_never_removed(host: str) -> None:
    name = random_name("br")
    with IPRoute(netns=host) as ipr:
        ipr.link("add", ifname=name, kind="bridge")
    with Bridges(netns=host) as bridges:
        done = bridges.ensure(_spec(name, mtu=None, addresses=(("192.168.151.1", 24),)))
        assert "created" not in done and "address 192.168.151.1/24 added" in done
        assert not bridges.created_by_us(name)
        assert bridges.remove(name) is False
        assert bridges.exists(name)


def test_remove_deletes_only_our_bridge(host: str) -> None:
    name = random_name("br")
    with Bridges(netns=host) as bridges:
        bridges.ensure(_spec(name))
        assert bridges.remove(name) is True
        assert not bridges.exists(name)
        assert bridges.remove(name) is False


def test_a_non_bridge_of_that_name_is_refused_and_left_alone(host: str) -> None:
    name = random_name("v")
    with IPRoute(netns=host) as ipr:
        ipr.link("add", ifname=name, kind="veth", peer=random_name("p"))
    with Bridges(netns=host) as bridges:
        with pytest.raises(ReconcileError, match=f"network 'net1': cannot use {name} as the bridge: a veth"):
            bridges.ensure(_spec(name))
        assert bridges.remove(name) is False
        assert bridges.exists(name)
        assert bridges.addresses(name) == []


def test_wait_dad_returns_once_addresses_are_no_longer_tentative(host: str) -> None:
    name = random_name("br")
    with guest_netns() as guest, Bridges(netns=host) as bridges:
        bridges.ensure(_spec(name))
        attach_guest(host, name, guest, "52:54:00:00:00:77")  # a port gives the bridge a carrier: DAD runs
        # with STP on (as libvirt's bridges) the carrier comes once the port forwards, a few seconds later
        assert _wait_carrier(host, name, timeout=20)
        started = time.monotonic()
        bridges.wait_dad(name, timeout=10)
        assert time.monotonic() - started < 10
        with IPRoute(netns=host) as ipr:
            flags = [a.get("IFA_FLAGS") for a in ipr.get_addr(index=ipr.link_lookup(ifname=name)[0], family=10)]
        assert flags and all(not f & 0x40 for f in flags)


def _wait_carrier(ns: str, name: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    with IPRoute(netns=ns) as ipr:
        while time.monotonic() < deadline:
            if ipr.get_links(ipr.link_lookup(ifname=name)[0])[0].get("IFLA_CARRIER"):
                return True
            time.sleep(0.05)
    return False


def test_wait_dad_times_out_while_detection_runs(host: str) -> None:
    name = random_name("br")
    with guest_netns() as guest, Bridges(netns=host) as bridges:
        bridges.ensure(_spec(name))
        _sysctl(host, f"net.ipv6.conf.{name}.dad_transmits", "50")  # detection then takes 50 seconds
        bridges.ensure(_spec(name, addresses=(("fd00:151::1", 64),)))
        attach_guest(host, name, guest, "52:54:00:00:00:78")
        assert _wait_carrier(host, name, timeout=20)
        with pytest.raises(ReconcileError, match="did not finish in 0.3s"):
            bridges.wait_dad(name, timeout=0.3)


def test_wait_dad_on_a_missing_bridge(host: str) -> None:
    with Bridges(netns=host) as bridges, pytest.raises(ReconcileError, match="does not exist"):
        bridges.wait_dad(random_name("br"), timeout=0.1)


def _sysctl(ns: str, key: str, value: str) -> None:
    done = run_in(ns, ["sysctl", "-q", "-w", f"{key}={value}"])
    assert done.returncode == 0, done.stderr
