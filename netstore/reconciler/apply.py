"""Carrying out a plan with the actuators (files, bridge, daemons); one log line per network."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from netstore.reconciler import daemons, files
from netstore.reconciler.actions import (
    Action,
    EnsureBridge,
    ReloadDaemon,
    RemoveBridge,
    RemoveFile,
    RestartDaemon,
    StartDaemon,
    StopDaemon,
    WriteFile,
)
from netstore.reconciler.bridge import Bridges
from netstore.reconciler.errors import ReconcileError

log = logging.getLogger("netstore.reconciler")


class Applier:
    """Runs plans on this host; holds the netlink socket of its bridges."""

    def __init__(self, bridges: Bridges) -> None:
        self.bridges = bridges

    def apply(self, network: str, actions: Sequence[Action]) -> list[str]:
        """Run ``actions`` in order; return what was done.  The first failure raises ReconcileError."""
        done: list[str] = []
        try:
            for action in actions:
                said = self._run(action)
                if said:
                    done.append(said)
        except ReconcileError as exc:
            _log_done(network, done)
            if exc.network is not None:
                raise
            raise ReconcileError(str(exc), network=network) from exc
        except OSError as exc:
            _log_done(network, done)
            raise ReconcileError(str(exc), network=network) from exc
        _log_done(network, done)
        return done

    def _run(self, action: Action) -> str:
        if isinstance(action, EnsureBridge):
            did = self.bridges.ensure(action.spec)
            self.bridges.wait_dad(action.spec.name)
            return f"bridge {action.spec.name} {', '.join(did)}" if did else ""
        if isinstance(action, RemoveBridge):
            if self.bridges.exists(action.name) and self.bridges.created_by_us(action.name):
                self.bridges.remove(action.name)
                return f"bridge {action.name} removed"
            return ""
        if isinstance(action, WriteFile):
            files.write_if_changed(action.path, action.content, action.mode)
            return action.change()
        if isinstance(action, RemoveFile):
            return f"{action.what} removed" if files.remove_if_present(action.path) else ""
        return self._run_daemon(action)

    def _run_daemon(self, action: Action) -> str:
        if isinstance(action, StartDaemon):
            return f"started {action.spec.kind} pid {daemons.start(action.spec)}"
        if isinstance(action, ReloadDaemon):
            daemons.reload(action.spec, action.pid)
            return f"SIGHUP {action.spec.kind} pid {action.pid}"
        if isinstance(action, RestartDaemon):
            daemons.stop(action.spec, action.pid)
            return f"restarted {action.spec.kind} pid {action.pid} -> {daemons.start(action.spec)}"
        if isinstance(action, StopDaemon):
            daemons.stop(action.spec, action.pid)
            return f"stopped {action.spec.kind} pid {action.pid}"
        raise TypeError(f"not an action: {action!r}")


def _log_done(network: str, done: list[str]) -> None:
    if done:
        log.info("network %s: %s", network, ", ".join(done))
