"""The reliability suite, fleet half (run through tools/reliability.py): faults with reconcilers.

    python tools/reliability.py fleet [--updates N]     (root: network namespaces, dnsmasq, PostgreSQL)

fleet parts (this file's fleet_* functions; store parts may sit beside them):
  restart   PostgreSQL restarted (pg_ctl restart -m immediate) in the middle of a burst of 4 writers:
            writers retry with their idempotency key until acknowledged (or fail clearly after 60 s);
            nothing acknowledged is lost or applied twice; 2 reconcilers (2 host ids, each in its own
            network namespace, its own state dir) reconnect and converge: every hosts file equals
            what the final projection renders, on the network's own host only.
  writers   8 concurrent writers as 2 hosts, against one network and against 8 networks (half on
            each host): no lost or duplicated update, every reconciler converges.
  hostile   the hostile-input corpus (tests/fleet/hostile.py) through the library and the CLI:
            every input refused, nothing appended, a reconciler's state dir byte-identical.
Exits 1 if any part finds a lost, duplicated or unconverged thing.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import netstore  # noqa: E402 - after the checkout is on the path
from netstore.api.constants import (  # noqa: E402
    VIR_ERR_INVALID_CONN,
    VIR_ERR_OPERATION_FAILED,
    VIR_ERR_SYSTEM_ERROR,
    VIR_NETWORK_SECTION_IP_DHCP_HOST,
    VIR_NETWORK_UPDATE_AFFECT_CONFIG,
    VIR_NETWORK_UPDATE_AFFECT_LIVE,
    VIR_NETWORK_UPDATE_COMMAND_ADD_LAST,
)
from netstore.errors import libvirtError  # noqa: E402
from netstore.render import render_dnsmasq  # noqa: E402

NETSTORE = Path(sys.executable).with_name("netstore")
HOSTS = ("nsf-host-a", "nsf-host-b")
# What the library says when the store fails (open: a system error; a call: operation failed).
STORE_FAILURES = (VIR_ERR_OPERATION_FAILED, VIR_ERR_INVALID_CONN, VIR_ERR_SYSTEM_ERROR)
RETRY_FOR = 60.0  # a writer gives up (and says so) after this long without an acknowledgement
CONVERGE_TIMEOUT = 60.0


def network_xml(name: str, index: int) -> str:
    return (f"<network><name>{name}</name><bridge name='nsfr{index}'/>"
            f"<ip address='10.{90 + index}.0.1' netmask='255.255.0.0'><dhcp>"
            f"<range start='10.{90 + index}.0.10' end='10.{90 + index}.0.20'/></dhcp></ip></network>")


# -- the writers ------------------------------------------------------------------------------

@dataclass
class WriterResult:
    acked: list[str] = field(default_factory=list)  # idempotency keys acknowledged
    retries: int = 0
    failed: list[str] = field(default_factory=list)  # "key: error" given up on


def write_burst(url: str, writer: int, network: str, subnet: int, updates: int) -> WriterResult:
    """One writer process: ``updates`` DHCP hosts added to ``network``, each retried until acknowledged."""
    result = WriterResult()
    conn = None
    for index in range(updates):
        key = f"w{writer}-{index}"
        item = (f"<host mac='52:54:{writer:02x}:00:{index // 256:02x}:{index % 256:02x}' "
                f"ip='10.{subnet}.{1 + writer}.{1 + index % 250}' name='h{writer}x{index}'/>") if updates <= 250 else (
                f"<host mac='52:54:{writer:02x}:00:{index // 256:02x}:{index % 256:02x}' name='h{writer}x{index}'/>")
        deadline = time.monotonic() + RETRY_FOR
        while True:
            try:
                conn = conn or netstore.open(url, actor=f"writer{writer}")
                conn.networkLookupByName(network).update(
                    VIR_NETWORK_UPDATE_COMMAND_ADD_LAST, VIR_NETWORK_SECTION_IP_DHCP_HOST, -1, item,
                    VIR_NETWORK_UPDATE_AFFECT_LIVE | VIR_NETWORK_UPDATE_AFFECT_CONFIG, idempotency_key=key)
                result.acked.append(key)
                break
            except libvirtError as err:
                if err.get_error_code() not in STORE_FAILURES:
                    result.failed.append(f"{key}: {err}")  # refused, not a store failure: never retried
                    break
                result.retries += 1
                if conn is not None:
                    conn.close()
                    conn = None
                if time.monotonic() > deadline:
                    result.failed.append(f"{key}: {err}")
                    break
                time.sleep(0.05)
    if conn is not None:
        conn.close()
    return result


# -- two hosts, each a reconciler in its own namespace ----------------------------------------------

@dataclass
class Host:
    host_id: str
    ns: str
    state: Path
    run: Path
    log: Path
    process: subprocess.Popen | None = None


@contextmanager
def fleet(url: str, folder: Path) -> Iterator[list[Host]]:
    """Two reconcilers (``netstore reconcile --watch``), one per host id, each in a network namespace of
    its own (tests/reconciler/netns.py), both past their start-up when this yields."""
    from tests.reconciler import netns as harness

    with ExitStack() as stack:
        hosts = []
        for host_id in HOSTS:
            ns = stack.enter_context(harness.namespace("f"))
            host = Host(host_id, ns, folder / host_id / "state", folder / host_id / "run", folder / f"{host_id}.log")
            hosts.append(host)
            host.state.parent.mkdir(parents=True, exist_ok=True)
            argv = ["ip", "netns", "exec", ns, str(NETSTORE), "--db", url, "reconcile", "--watch", "--state-dir",
                    str(host.state), "--run-dir", str(host.run), "--host-id", host_id]
            host.process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=host.log.open("w"))
            stack.callback(_stop, host)  # before its namespace goes (the callbacks run last in, first out)
        for host in hosts:
            _wait_watching(host)
        yield hosts


def _stop(host: Host) -> None:
    """SIGTERM ``host``'s reconciler (its daemons stay until the namespace goes); SIGKILL after 10 s."""
    if host.process is None:
        return
    host.process.send_signal(signal.SIGTERM)
    try:
        host.process.wait(10)
    except subprocess.TimeoutExpired:
        host.process.kill()
        host.process.wait()


def _wait_watching(host: Host) -> None:
    """Until ``host``'s reconciler has done its start-up and follows the log (it waits for the database
    if that is away); RuntimeError if it exits or takes longer than :data:`CONVERGE_TIMEOUT`."""
    deadline = time.monotonic() + CONVERGE_TIMEOUT
    while "INFO watching" not in host.log.read_text(errors="replace"):
        if host.process is None or host.process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("\n".join(reconciler_report(host)))
        time.sleep(0.05)


def unconverged(url: str, hosts: list[Host]) -> list[str]:
    """What differs between the hosts' files and the final projection (empty: converged)."""
    wrong = []
    with netstore.open(url) as conn:
        states = conn.store.list_states()
    for state in states:
        for host in hosts:
            path = host.state / f"{state.name}.hostsfile"
            ours = state.live is not None and state.host == host.host_id
            expected = render_dnsmasq(state.live, state_dir=str(host.state)).hostsfile if ours else None
            actual = path.read_text() if path.exists() else None
            if actual != expected:
                wrong.append(f"{host.host_id}: {state.name}.hostsfile")
    return wrong


def wait_converged(url: str, hosts: list[Host]) -> tuple[float, list[str]]:
    """Seconds until the hosts converged, and what still differs."""
    started = time.monotonic()
    while True:
        wrong = unconverged(url, hosts)
        if not wrong or time.monotonic() - started > CONVERGE_TIMEOUT:
            return time.monotonic() - started, wrong
        time.sleep(0.1)


def unconverged_report(wrong: list[str], hosts: list[Host]) -> list[str]:
    """``wrong``, and then each reconciler's state and last log lines (empty if nothing is wrong)."""
    return wrong + [line for host in hosts for line in reconciler_report(host)] if wrong else []


def reconciler_report(host: Host, lines: int = 20) -> list[str]:
    """Whether ``host``'s reconciler still runs, and the last lines it logged."""
    code = host.process.poll() if host.process is not None else None
    logged = host.log.read_text(errors="replace").splitlines()[-lines:] if host.log.exists() else []
    return [f"{host.host_id} reconciler {'running' if code is None else f'exited {code}'}; its log ends:",
            *(f"  {line}" for line in logged)]


# -- checking a burst ----------------------------------------------------------------------------

def burst_figures(url: str, results: list[WriterResult]) -> dict[str, int]:
    """lost: acknowledged keys with no event; duplicated: keys with more than one event, or items twice."""
    acked = [key for result in results for key in result.acked]
    with netstore.open(url) as conn:
        events = list(conn.store.read_all(0))
        states = conn.store.list_states()
        verified = conn.verify().ok
    keys = Counter(event.idempotency_key for event in events if event.idempotency_key)
    positions = [event.position for event in events]
    macs = Counter(h.mac for s in states if s.live is not None for ip in s.live.ips for h in ip.hosts)
    return {"acked": len(acked), "lost": sum(1 for key in acked if keys[key] == 0),
            "duplicated": sum(1 for n in keys.values() if n > 1) + sum(1 for n in macs.values() if n > 1),
            "failed": sum(len(r.failed) for r in results), "retries": sum(r.retries for r in results),
            "out_of_order": sum(1 for a, b in zip(positions, positions[1:], strict=False) if b <= a),
            "verify_ok": int(verified)}


def run_writers(url: str, plan: list[tuple[str, int]], updates: int, during: object = None) -> list[WriterResult]:
    """One writer process per (network, subnet) of ``plan``; ``during()`` runs while they write."""
    with ProcessPoolExecutor(len(plan)) as pool:
        futures = [pool.submit(write_burst, url, writer, network, subnet, updates)
                   for writer, (network, subnet) in enumerate(plan)]
        try:
            if callable(during):
                during()
        finally:
            results = [future.result() for future in futures]
    return results


def define_networks(url: str, count: int) -> list[tuple[str, int]]:
    """``count`` started networks, alternately on the two hosts; (name, subnet) each."""
    made = []
    with netstore.open(url) as conn:
        for index in range(count):
            name = f"nsfrel{index}"
            conn.networkDefineXML(network_xml(name, index), host=HOSTS[index % 2]).create()
            made.append((name, 90 + index))
    return made


def summary(part: str, figures: dict[str, float], extra: str = "") -> bool:
    ok = figures.get("lost", 0) == 0 and figures.get("duplicated", 0) == 0 and figures.get("failed", 0) == 0 \
        and figures.get("out_of_order", 0) == 0 and figures.get("verify_ok", 1) == 1 \
        and figures.get("unconverged", 0) == 0
    shown = " ".join(f"{key}={value:.2f}" if isinstance(value, float) else f"{key}={value}"
                     for key, value in figures.items())
    print(f"{part}: {'PASS' if ok else 'FAIL'} {shown}{extra}", flush=True)
    return ok


# -- the parts -----------------------------------------------------------------------------------

def fleet_restart(server: object, folder: Path, updates: int) -> bool:
    """PostgreSQL restarted -m immediate in the middle of a burst of 4 writers, 2 reconcilers following."""
    url = server.new_database()  # type: ignore[attr-defined]
    networks = define_networks(url, 4)
    restart_took = 0.0

    def restart() -> None:
        nonlocal restart_took
        time.sleep(0.5)
        started = time.monotonic()
        server.restart()  # type: ignore[attr-defined]
        restart_took = time.monotonic() - started

    with fleet(url, folder / "restart") as hosts:
        results = run_writers(url, networks, updates, restart)
        converged_in, wrong = wait_converged(url, hosts)
        report = unconverged_report(wrong, hosts)
    figures: dict[str, float] = {**burst_figures(url, results), "restart_s": restart_took,
                                 "converged_s": converged_in, "unconverged": len(wrong)}
    failures = [line for result in results for line in result.failed]
    return summary("fleet-restart", figures, "\n" + "\n".join(report + failures[:3]) if report or failures else "")


def fleet_writers(server: object, folder: Path, updates: int, networks: int) -> bool:
    """8 concurrent writers as 2 hosts against ``networks`` networks (1: all on one network)."""
    url = server.new_database()  # type: ignore[attr-defined]
    made = define_networks(url, networks)
    plan = [made[writer % len(made)] for writer in range(8)]
    with fleet(url, folder / f"writers{networks}") as hosts:
        started = time.monotonic()
        results = run_writers(url, plan, updates)
        took = time.monotonic() - started
        converged_in, wrong = wait_converged(url, hosts)
        report = unconverged_report(wrong, hosts)
    figures: dict[str, float] = {**burst_figures(url, results), "updates_per_s": 8 * updates / took,
                                 "converged_s": converged_in, "unconverged": len(wrong)}
    return summary(f"fleet-writers-{networks}-network{'s' if networks > 1 else ''}", figures,
                   "\n" + "\n".join(report) if report else "")


def fleet_hostile(folder: Path) -> bool:
    """The hostile corpus through the library and the CLI, with a reconciler's state dir compared."""
    from tests.fleet.hostile import BASE_XML, corpus
    from tests.fleet.test_hostile import refusals_through_cli, refusals_through_library

    url = f"sqlite:///{folder / 'hostile.db'}"
    os.environ["NETSTORE_HOST_ID"] = HOSTS[0]
    with netstore.open(url) as conn:
        conn.networkDefineXML(BASE_XML, host=HOSTS[0]).create()
        before_events = conn.store.head_position()
    with fleet(url, folder / "hostile") as hosts:
        wait_converged(url, hosts)
        before = _digest(hosts[0].state)
        (folder / "cli").mkdir()
        wrong = refusals_through_library(url) + refusals_through_cli(url, folder / "cli")
        time.sleep(0.5)
        changed = int(_digest(hosts[0].state) != before)
    with netstore.open(url) as conn:
        appended = conn.store.head_position() - before_events
    figures: dict[str, float] = {"inputs": len(corpus()), "calls": 2 * len(corpus()), "not_refused": len(wrong),
                                 "appended": appended, "state_dir_changed": changed}
    ok = summary("fleet-hostile", figures, f" ({'; '.join(wrong[:3])})" if wrong else "")
    return ok and not wrong and not appended and not changed


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.endswith(".pid")}


def run_fleet(updates: int) -> bool:
    """Every fleet part on a throwaway PostgreSQL cluster; True if all passed."""
    from tests.store.postgres import PostgresServer

    server = PostgresServer.from_environment()
    if server.admin_url is None:
        raise SystemExit(f"the fleet parts need PostgreSQL: {server.unavailable}")
    folder = Path(tempfile.mkdtemp(prefix="nsf-reliability-"))
    try:
        results = [fleet_restart(server, folder, updates),
                   fleet_writers(server, folder, updates, 1),
                   fleet_writers(server, folder, updates, 8),
                   fleet_hostile(folder)]
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return all(results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parts = parser.add_subparsers(dest="part", required=True)
    fleet_parser = parts.add_parser("fleet", help="the fleet parts (restart, writers, hostile)")
    fleet_parser.add_argument("--updates", type=int, default=100, help="updates per writer")
    args = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("the fleet parts run reconcilers in network namespaces: run as root")
    return 0 if run_fleet(args.updates) else 1


if __name__ == "__main__":
    sys.exit(main())
