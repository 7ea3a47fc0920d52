"""The plan for one network: which files, signals and starts, decided without touching the host."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from netstore.model import parse_network_xml
from netstore.reconciler import plan as planning
from netstore.reconciler.actions import (
    EnsureBridge,
    ReloadDaemon,
    RemoveBridge,
    RemoveFile,
    RestartDaemon,
    StartDaemon,
    StopDaemon,
    WriteFile,
)
from netstore.reconciler.desired import desired_network
from netstore.reconciler.paths import Paths
from netstore.reconciler.plan import CONF, HOSTSFILE, RADVD_CONF, Desired, Observed

PATHS = Paths(state_dir=Path("/state"), run_dir=Path("/run"))
HOST_1 = "<host mac='52:54:00:00:00:01' ip='192.168.50.10'/>"
HOST_2 = "<host mac='52:54:00:00:00:02' ip='192.168.50.11'/>"


def network_xml(hosts: str = HOST_1, forward: str = "nat", ipv6: bool = True, dns_host: str = "") -> str:
    v6 = "<ip family='ipv6' address='fd00:50::1' prefix='64'/>" if ipv6 else ""
    return (f"<network><name>n</name><forward mode='{forward}'/><bridge name='nsrpl0'/>"
            f"<mac address='52:54:00:aa:00:01'/><dns>{dns_host}</dns>"
            "<ip address='192.168.50.1' netmask='255.255.255.0'><dhcp>"
            f"<range start='192.168.50.100' end='192.168.50.200'/>{hosts}</dhcp></ip>{v6}</network>")


def desired(xml: str | None, exists: bool = True, ra: str = "radvd") -> Desired:
    return desired_network("n", parse_network_xml(xml) if xml else None, exists, PATHS, ra)


def on_disk(state: Desired) -> dict[Path, str | None]:
    """The files exactly as ``state`` wants them (what a previous reconcile left)."""
    return {f.path: f.content for f in state.files()}


def plan(state: Desired, observed: Observed) -> list[Any]:
    """The plan, loosely typed so that tests can look at each action's own fields."""
    return list(planning.plan(state, observed))


def kinds(actions: list[Any]) -> list[type]:
    return [type(a) for a in actions]


def test_a_new_network_gets_bridge_files_then_daemons_started() -> None:
    actions = plan(desired(network_xml()), Observed(files={}))
    assert isinstance(actions[0], EnsureBridge) and actions[0].spec.name == "nsrpl0"
    written = {a.what: a for a in actions if isinstance(a, WriteFile)}
    assert set(written) == {"conf", "hostsfile", "addnhosts", "radvd conf"}
    assert written[CONF].mode == 0o600 and written[HOSTSFILE].mode == 0o644 and written[RADVD_CONF].mode == 0o600
    assert written[CONF].path == Path("/state/n.conf") and written[RADVD_CONF].path == Path("/state/n-radvd.conf")
    assert [a.spec.kind for a in actions if isinstance(a, StartDaemon)] == ["dnsmasq", "radvd"]
    assert kinds(actions)[-2:] == [StartDaemon, StartDaemon]  # daemons after their files


def test_in_step_means_nothing_but_the_bridge_check() -> None:
    state = desired(network_xml())
    assert kinds(plan(state, Observed(files=on_disk(state), dnsmasq_pid=10, radvd_pid=11))) == [EnsureBridge]


def test_a_dhcp_host_added_is_a_sighup_of_dnsmasq_only() -> None:
    before, after = desired(network_xml()), desired(network_xml(HOST_1 + HOST_2))
    actions = plan(after, Observed(files=on_disk(before), dnsmasq_pid=10, radvd_pid=11))
    assert kinds(actions) == [EnsureBridge, WriteFile, ReloadDaemon]
    assert actions[1].what == HOSTSFILE and actions[1].summary == "1 DHCP host added, 0 removed"
    assert actions[2].spec.kind == "dnsmasq" and actions[2].pid == 10


def test_a_dns_host_added_is_a_sighup_of_dnsmasq() -> None:
    before = desired(network_xml())
    after = desired(network_xml(dns_host="<host ip='192.168.50.5'><hostname>web</hostname></host>"))
    actions = plan(after, Observed(files=on_disk(before), dnsmasq_pid=10, radvd_pid=11))
    assert kinds(actions) == [EnsureBridge, WriteFile, ReloadDaemon]
    assert actions[1].what == "addnhosts"


def test_a_changed_conf_restarts_dnsmasq() -> None:
    before = desired(network_xml())
    after = desired(network_xml().replace("192.168.50.200", "192.168.50.210"))
    actions = plan(after, Observed(files=on_disk(before), dnsmasq_pid=10, radvd_pid=11))
    assert kinds(actions) == [EnsureBridge, WriteFile, RestartDaemon]


def test_a_changed_radvd_conf_is_a_sighup_of_radvd() -> None:
    before = desired(network_xml())
    after = desired(network_xml().replace("fd00:50::1", "fd00:51::1"))
    files = on_disk(before)
    files[PATHS.conf("n")] = after.files()[0].content  # only radvd's file differs
    actions = plan(after, Observed(files=files, dnsmasq_pid=10, radvd_pid=11))
    assert kinds(actions) == [EnsureBridge, WriteFile, ReloadDaemon]
    assert actions[2].spec.kind == "radvd" and actions[2].pid == 11


def test_a_dead_daemon_is_started_again() -> None:
    state = desired(network_xml())
    actions = plan(state, Observed(files=on_disk(state), dnsmasq_pid=None, radvd_pid=11))
    assert kinds(actions) == [EnsureBridge, StartDaemon] and actions[1].spec.kind == "dnsmasq"


def test_files_written_after_an_adopted_daemon_started_are_signalled() -> None:
    state = desired(network_xml())
    files = on_disk(state)
    hosts = plan(state, Observed(files=files, dnsmasq_pid=10, radvd_pid=11, stale=frozenset({HOSTSFILE})))
    conf = plan(state, Observed(files=files, dnsmasq_pid=10, radvd_pid=11, stale=frozenset({CONF})))
    assert kinds(hosts) == [EnsureBridge, ReloadDaemon] and kinds(conf) == [EnsureBridge, RestartDaemon]


def test_ra_by_dnsmasq_runs_no_radvd_and_stops_one_left_over() -> None:
    state = desired(network_xml(), ra="dnsmasq")
    assert state.radvd_conf is None
    actions = plan(state, Observed(files=on_disk(state), dnsmasq_pid=10, radvd_pid=11))
    assert [(type(a), a.spec.kind) for a in actions if isinstance(a, StopDaemon)] == [(StopDaemon, "radvd")]


def test_no_ipv6_no_radvd() -> None:
    assert desired(network_xml(ipv6=False)).radvd_conf is None


def test_destroyed_stops_daemons_removes_bridge_keeps_files() -> None:
    files = on_disk(desired(network_xml()))
    actions = plan(desired(None), Observed(files=files, dnsmasq_pid=10, radvd_pid=11, bridge="nsrpl0"))
    assert kinds(actions) == [StopDaemon, StopDaemon, RemoveBridge]
    assert actions[2].name == "nsrpl0"


def test_undefined_also_removes_its_files_and_leases() -> None:
    files = on_disk(desired(network_xml()))
    files[PATHS.leases("n")] = "1 52:54:00:00:00:01 192.168.50.10 * *\n"
    actions = plan(desired(None, exists=False), Observed(files=files))
    removed = {a.what for a in actions if isinstance(a, RemoveFile)}
    assert removed == {"conf", "hostsfile", "addnhosts", "radvd conf", "leases"}


def test_forward_bridge_mode_gets_no_bridge_and_no_daemons() -> None:
    xml = ("<network><name>n</name><forward mode='bridge'/><bridge name='br-host'/></network>")
    state = desired(xml)
    assert state.active and state.bridge is None and state.dnsmasq_files is None and state.radvd_conf is None
    assert plan(state, Observed(files={})) == []
