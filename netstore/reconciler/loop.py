"""The reconcile loop: level-triggered, following the log from a checkpoint, supervising daemons.

At start-up it records a host reboot (if the boot id changed), then brings
every network in step.  In ``--watch`` mode it then wakes on the database's
change token (a commit; on PostgreSQL a LISTEN/NOTIFY notice, see wake.py),
on a daemon's exit (pidfd) or when a failed network's retry is due, and
reconciles only the networks concerned: the ones named by the events after its
cursor, so a wake costs what changed.  Its checkpoint moves past an event only
once that event's network is in step.  It serves only the networks assigned to
its host id and the unassigned ones (netstore.fleet): another host's network is
absent here, so one moved away is stopped and its files removed.  A database
outage is ridden out (outage.py): daemons keep running, the loop reconnects
with backoff and resumes from its cursor; serve.py does the same for an outage
met at start-up.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, TextIO

from netstore.errors import NetstoreError, StoreUnavailableError
from netstore.fleet.hosts import local_host_id, serves
from netstore.reconciler import boot
from netstore.reconciler.actions import Action, EnsureBridge, RestartDaemon, StartDaemon
from netstore.reconciler.apply import Applier
from netstore.reconciler.backoff import Backoff
from netstore.reconciler.bridge import Bridges, BridgeSpec
from netstore.reconciler.daemons import running_pid
from netstore.reconciler.desired import desired_network
from netstore.reconciler.dryrun import plan_text
from netstore.reconciler.errors import ReconcileError
from netstore.reconciler.firewall import Firewall
from netstore.reconciler.firewall_keeper import FirewallKeeper
from netstore.reconciler.follow import LogFollower
from netstore.reconciler.liveness import Liveness
from netstore.reconciler.observe import observe
from netstore.reconciler.outage import Outage, pause
from netstore.reconciler.pacing import SIGNAL_INTERVAL, Pacer
from netstore.reconciler.paths import Paths
from netstore.reconciler.plan import Desired, Observed, plan
from netstore.reconciler.wake import Wake
from netstore.render.firewall import network_firewall
from netstore.state import NetworkState
from netstore.store import EventStore
from netstore.store.checkpoints import Checkpoint, CheckpointStore
from netstore.store.notices import commit_listener

log = logging.getLogger("netstore.reconciler")

POLL_INTERVAL = 0.005  # seconds between two looks at the change token
# Every network is re-checked (bridges included) this often, in case the host changed under us.
RESYNC_INTERVAL = 60.0
DAEMON_KINDS = ("dnsmasq", "radvd")


@dataclass(frozen=True)
class Options:
    """How ``netstore reconcile`` was asked to run (``url`` None: the default database)."""

    url: Optional[str]
    paths: Paths
    ra: str = "radvd"
    dry_run: bool = False
    host_id: Optional[str] = None  # None: the host name
    boot_id_file: Optional[Path] = None
    poll_interval: float = POLL_INTERVAL
    netns: Optional[str] = None  # act in this named network namespace (tests); None: the current one
    signal_interval: float = SIGNAL_INTERVAL  # see netstore.reconciler.pacing
    resync_interval: float = RESYNC_INTERVAL


class Reconciler:
    """Brings this host in step with the store; see the module docstring."""

    def __init__(self, options: Options, out: Optional[TextIO] = None, outage: Optional[Outage] = None) -> None:
        self.options = options
        self.out = out or sys.stdout  # --dry-run's report
        self.store = EventStore(options.url)
        try:
            self.checkpoints = CheckpointStore(self.store.url)
        except BaseException:
            self.store.close()
            raise
        self.bridges = Bridges(options.netns)
        self.applier = Applier(self.bridges)
        self.firewall = FirewallKeeper(Firewall(netns=options.netns), out=self.out if options.dry_run else None)
        self.backoff = Backoff()
        self.pacer = Pacer(options.signal_interval)
        self.liveness = Liveness()
        self.follower: Optional[LogFollower] = None
        self.wake: Optional[Wake] = None
        self.outage = outage or Outage()  # one already under way when the store was opened (see serve.py)
        self._pending: dict[str, int] = {}  # network -> first event position not yet in step
        self._known_bridges: dict[str, str] = {}  # network -> the bridge it had when last active
        self._saved: Optional[int] = None
        self._ensured: dict[str, BridgeSpec] = {}  # network -> bridge spec in step since the last resync
        self._next_resync = time.monotonic() + options.resync_interval
        self._host_id = options.host_id or local_host_id()
        self._boot_id = ""

    def close(self) -> None:
        if self.wake is not None:
            self.wake.close()
        self.liveness.close()
        self.bridges.close()
        self.checkpoints.close()
        self.store.close()

    # -- start-up -------------------------------------------------------------------------

    def start_up(self) -> bool:
        """Record a reboot if there was one, reconcile every network, store the checkpoint; True if all in step."""
        stored = self.checkpoints.get(self._host_id)
        self._boot_id = boot.read_boot_id(self.options.boot_id_file)
        if stored is not None and boot.is_reboot(stored, self._boot_id):
            self._record_reboot(stored)
        start = self.store.head_position()
        self.follower = LogFollower(self.store, self.checkpoints, start)
        if self.wake is not None:  # a start-up cut short by an outage is being run again
            self.wake.close()
        self.wake = Wake(self.follower, commit_listener(self.store.url, self._host_id), self.options.poll_interval)
        since = stored.position if stored is not None else start
        touched = set(LogFollower(self.store, self.checkpoints, since).read().first_position)
        ok = True
        for name in sorted(self._all_names()):
            if not self._reconcile(name, check_stale=name in touched):
                self._pending.setdefault(name, since + 1)
                ok = False
        ok = self._check_firewall(force=True) and ok
        self._save_checkpoint()
        return ok

    def _record_reboot(self, stored: Checkpoint) -> None:
        """Record this host's reboot, and the new boot id at once: a start-up cut short records it only once."""
        if self.options.dry_run:
            self.out.write("would record a host reboot: destroy every active network, start the autostart ones\n")
            return
        recorded = boot.record_reboot(self.store, self._host_id)
        self.checkpoints.put(Checkpoint(self._host_id, stored.position, self._boot_id))
        log.info("host rebooted (boot id %s): recorded %s", self._boot_id, ", ".join(recorded) or "nothing")

    def _all_names(self) -> set[str]:
        """Every network this host serves, and every network that still has a file or bridge of ours."""
        names = {state.name for state in self.store.list_states() if serves(self._host_id, state)}
        names |= set(self._known_bridges)
        state_dir = self.options.paths.state_dir
        if state_dir.is_dir():
            for conf in state_dir.glob("*.conf"):
                stem = conf.name[: -len(".conf")]
                names.add(stem[: -len("-radvd")] if stem.endswith("-radvd") else stem)
        return names

    # -- watching -------------------------------------------------------------------------

    def watch(self, stopping: Callable[[], bool]) -> None:
        """Wake and reconcile until ``stopping()`` is true, riding out database outages (see outage.py)."""
        while not stopping():
            try:
                self.step()
            except StoreUnavailableError as exc:
                self.ride_out(str(exc), stopping)
                continue
            assert self.follower is not None
            self.outage.ended(self.follower.cursor)

    def ride_out(self, reason: str, stopping: Callable[[], bool]) -> None:
        """Wait, with backoff, until every connection of this reconciler reaches the database again."""
        if self.wake is not None:
            self.wake.lost()
        while not stopping():
            pause(self.outage.failed(reason), stopping)
            try:  # a connection cut by the outage fails once here, then reconnects on the next try
                self.store.head_position()
                self.checkpoints.change_token()
                return
            except StoreUnavailableError as exc:
                reason = str(exc)

    def step(self) -> set[str]:
        """One wake: wait briefly for a daemon exit, then reconcile what changed; return those networks."""
        assert self.follower is not None, "start_up() first"
        assert self.wake is not None
        names = self.liveness.wait(self.wake.timeout, self.wake.fileno()) | self.backoff.due() | self.pacer.due()
        if time.monotonic() >= self._next_resync:
            names |= self._resync()
        if self.outage.began is not None:  # back from an outage: retry what it interrupted
            names |= set(self._pending)
        if self.wake.news():
            changes = self.follower.read()
            for name, position in changes.first_position.items():
                self._pending.setdefault(name, position)
            names |= self.pacer.admit(set(changes.first_position))
        for name in sorted(names):
            if self._reconcile(name):
                self._pending.pop(name, None)
        self._check_firewall()
        self._save_checkpoint()
        return names

    def _check_firewall(self, *, force: bool = False) -> bool:
        """Repair drift in netstore's nftables table when its check is due.

        False if that failed while some running network needs rules; when none does (a host
        without nft, or an unprivileged dry run) a failure is only a warning.
        """
        try:
            self.firewall.check(force=force)
        except ReconcileError as exc:
            if not self.firewall.applied:
                log.warning("firewall: %s (no running network needs rules)", exc)
                return True
            log.error("firewall: %s", exc)
            return False
        return True

    def _resync(self) -> set[str]:
        """Every network, with the bridges checked again: the periodic level-triggered sweep."""
        self._ensured.clear()
        self._next_resync = time.monotonic() + self.options.resync_interval
        return self._all_names()

    def _save_checkpoint(self) -> None:
        if self.options.dry_run or self.follower is None:
            return
        position = min(self._pending.values()) - 1 if self._pending else self.follower.cursor
        if position != self._saved:
            self.checkpoints.put(Checkpoint(self._host_id, position, self._boot_id))
            self._saved = position

    # -- one network ----------------------------------------------------------------------

    def _reconcile(self, name: str, *, check_stale: bool = False) -> bool:
        """Bring ``name`` in step (or print what that would take); False, and a retry scheduled, on failure."""
        try:
            state = self.store.load(name)
            if not serves(self._host_id, state):
                state = None  # another host's: absent here (stopped, its files removed)
            desired = desired_network(name, state.live if state else None, state is not None,
                                      self.options.paths, self.options.ra, self.options.netns)
            old_bridge = None if desired.active else self._our_old_bridge(name, state)
            known = {kind: self.liveness.alive(name, kind) for kind in DAEMON_KINDS}
            observed = observe(desired, bridge=old_bridge, check_stale=check_stale, known=known)
            actions = self._without_known_bridge(name, plan(desired, observed))
            rules = network_firewall(state.live) if state is not None and state.live is not None else None
            if self.options.dry_run:
                self.out.write(plan_text(name, actions))
                self.firewall.bring(name, rules)
                return True
            if self.applier.apply(name, actions):
                self.pacer.acted(name)
            self.firewall.bring(name, rules)
            self._supervise(desired, observed, actions)
        except StoreUnavailableError:
            raise  # the whole host waits for the database (see watch)
        except NetstoreError as exc:
            delay = self.backoff.failed(name)
            said = str(exc) if isinstance(exc, ReconcileError) and exc.network else f"network '{name}': {exc}"
            log.error("%s (retry in %.1f s)", said, delay)
            return False
        self.backoff.succeeded(name)
        return True

    def _without_known_bridge(self, name: str, actions: list[Action]) -> list[Action]:
        """Drop the bridge check when this process already brought that very bridge spec in step."""
        return [a for a in actions if not (isinstance(a, EnsureBridge) and a.spec == self._ensured.get(name))]

    def _supervise(self, desired: Desired, observed: Observed, actions: list[Action]) -> None:
        """Remember the bridge and watch the daemons that now run for ``desired``."""
        if desired.bridge is not None:
            self._known_bridges[desired.name] = desired.bridge.name
            self._ensured[desired.name] = desired.bridge
        else:
            self._ensured.pop(desired.name, None)
            if not desired.active:
                self._known_bridges.pop(desired.name, None)
        wanted = {"dnsmasq": (desired.dnsmasq, desired.dnsmasq_files is not None, observed.dnsmasq_pid),
                  "radvd": (desired.radvd, desired.radvd_conf is not None, observed.radvd_pid)}
        restarted = {a.spec.kind for a in actions if isinstance(a, (StartDaemon, RestartDaemon))}
        for kind, (spec, needed, pid) in wanted.items():
            if not needed:
                pid = None
            elif kind in restarted:
                pid = running_pid(spec)
            self.liveness.watch(desired.name, kind, pid)

    def _our_old_bridge(self, name: str, state: Optional[NetworkState]) -> Optional[str]:
        """The bridge ``name`` had when it was last active, if it is still there and this reconciler created it."""
        bridge = self._old_bridge(name, state)
        if bridge is None or not (self.bridges.exists(bridge) and self.bridges.created_by_us(bridge)):
            return None
        return bridge

    def _old_bridge(self, name: str, state: Optional[NetworkState]) -> Optional[str]:
        """The bridge ``name`` had when it was last active."""
        if name in self._known_bridges:
            return self._known_bridges[name]
        if state is not None and state.config is not None:
            return state.config.bridge.name
        version = self.store.head_version(name)
        previous = self.store.state_at(name, version - 1) if version > 1 else None
        if previous is not None and previous.live is not None:
            return previous.live.bridge.name
        return None
