"""``netstore reconcile``: make this host's bridges, daemon files and daemons match the store."""

from __future__ import annotations

import logging
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import Optional

import click

from netstore.cli.common import EXIT_FAILED, failures
from netstore.reconciler.loop import Options, Reconciler
from netstore.reconciler.paths import default_paths
from netstore.reconciler.serve import serve
from netstore.reconciler.service import sd_notify

LOG_FORMAT = "%(asctime)s.%(msecs)03d %(levelname)s %(message)s"
LOG_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S"

log = logging.getLogger("netstore.reconciler")


@click.command("reconcile")
@click.option("--once", "mode", flag_value="once", default=True, help="Reconcile every network once and exit (default).")
@click.option("--watch", "mode", flag_value="watch", help="Keep following the log and supervising the daemons.")
@click.option("--state-dir", type=click.Path(path_type=Path), help="Daemon files (default: /var/lib/netstore as root).")
@click.option("--run-dir", type=click.Path(path_type=Path), help="Pid files (default: /run/netstore as root).")
@click.option("--ra", type=click.Choice(["radvd", "dnsmasq"]), default="radvd", show_default=True,
              help="Who sends IPv6 router advertisements.")
@click.option("--dry-run", is_flag=True, help="Print the file diffs, signals and starts it would make; change nothing.")
@click.option("--host-id", metavar="ID", help="This host's fleet id: the networks it serves and its checkpoint key (default: $NETSTORE_HOST_ID, else the host name).")
@click.pass_context
def reconcile(ctx: click.Context, mode: str, state_dir: Optional[Path], run_dir: Optional[Path], ra: str,
              dry_run: bool, host_id: Optional[str]) -> None:
    """Bring bridges, dnsmasq and radvd in step with the active networks; exit 1 if one could not be."""
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT, datefmt=LOG_DATE_FORMAT, stream=sys.stderr)
    options = Options(url=ctx.find_root().obj.get("db"), paths=default_paths(state_dir, run_dir), ra=ra,
                      dry_run=dry_run, host_id=host_id)
    if mode == "watch" and not dry_run:
        with failures():
            _watch(options)
        return
    with failures():
        reconciler = Reconciler(options)
    try:
        with failures():
            in_step = reconciler.start_up()
    finally:
        reconciler.close()
    if mode == "once" and not in_step:
        ctx.exit(EXIT_FAILED)


def _watch(options: Options) -> None:
    """Follow until SIGTERM or SIGINT, waiting for the database when it is away; daemons are left running."""
    stop: list[int] = []

    def request_stop(signum: int, frame: Optional[FrameType]) -> None:
        stop.append(signum)

    def ready() -> None:
        sd_notify("READY=1")
        log.info("watching (daemons are left running on exit)")

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        serve(options, lambda: bool(stop), ready)
    finally:
        sd_notify("STOPPING=1")
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    log.info("stopped by signal %d; daemons left running", stop[0] if stop else 0)
