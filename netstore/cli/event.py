"""virsh's ``net-event``: wait for network lifecycle events, read from the event log as it grows."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC

import click

from netstore.api.events import LifecycleEvent, LifecycleFollower
from netstore.cli.common import connection, example, failures, lookup, usage_error

EVENT_TYPES = ("lifecycle",)
POLL_SECONDS = 0.1


@click.command(
    "net-event",
    epilog=example("netstore net-event default --timeout 60", "netstore net-event --loop --timestamp"),
)
@click.argument("network", required=False)
@click.option("--network", "network_option", metavar="NETWORK", help="Filter by network name or uuid.")
@click.option("--event", "event_type", default="lifecycle", show_default=True, help="Which event type to wait for.")
@click.option("--loop", is_flag=True, help="Loop until timeout or interrupt, rather than one-shot.")
@click.option("--timeout", type=click.IntRange(min=1), metavar="SECONDS", help="Stop waiting after this long.")
@click.option("--list", "list_types", is_flag=True, help="List valid event types.")
@click.option("--timestamp", is_flag=True, help="Show the time each printed event was recorded.")
@click.option("--json", "as_json", is_flag=True, help="Print each event as one JSON object per line.")
@click.pass_context
def net_event(
    ctx: click.Context,
    network: str | None,
    network_option: str | None,
    event_type: str,
    loop: bool,
    timeout: int | None,
    list_types: bool,
    timestamp: bool,
    as_json: bool,
) -> None:
    """Wait for network lifecycle events (Defined, Undefined, Started, Stopped) and print them.

    Starts at the end of the event log, so only changes made from now on are reported,
    by any process using the same database.  Without --loop it stops after the first event.
    """
    if list_types:
        click.echo("\n".join(EVENT_TYPES))
        return
    if event_type not in EVENT_TYPES:
        usage_error(f"unknown event type {event_type}")
    wanted = network_option or network
    conn = connection(ctx)
    name = lookup(conn, wanted).name() if wanted else None
    with failures():
        follower = LifecycleFollower(conn, name)
    count, ending = _wait(follower, loop, timeout, lambda e: _show(e, timestamp, as_json))
    if not as_json:
        if ending:
            click.echo(ending)
        click.echo(f"events received: {count}")
        click.echo("")


def _wait(
    follower: LifecycleFollower, loop: bool, timeout: int | None, show: Callable[[LifecycleEvent], None]
) -> tuple[int, str | None]:
    """Show events until the first one (with ``loop``: until timeout or interrupt); the count and how it ended."""
    deadline = time.monotonic() + timeout if timeout else None
    count = 0
    try:
        while True:
            with failures():
                events = follower.poll()
            for event in events:
                show(event)
                count += 1
                if not loop:
                    return count, None
            if deadline is not None and time.monotonic() >= deadline:
                return count, "event loop timed out"
            pause = POLL_SECONDS if deadline is None else min(POLL_SECONDS, max(0.0, deadline - time.monotonic()))
            time.sleep(pause)
    except KeyboardInterrupt:
        return count, "event loop interrupted"


def _show(event: LifecycleEvent, timestamp: bool, as_json: bool) -> None:
    if as_json:
        record = {"position": event.position, "network": event.network, "event": event.event_name}
        click.echo(json.dumps(record | {"recorded_at": event.recorded_at.isoformat()}))
        return
    line = f"event 'lifecycle' for network {event.network}: {event.event_name}"
    if timestamp:
        moment = event.recorded_at.astimezone(UTC)
        line = f"{moment:%Y-%m-%d %H:%M:%S}.{moment.microsecond // 1000:03d}+0000: {line}"
    click.echo(line)


COMMANDS = (net_event,)
