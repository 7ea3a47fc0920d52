"""Unified diffs on the terminal: coloured when stdout is a terminal, plain when piped."""

from __future__ import annotations

import click

_COLOURS = (("+++", "bright_white"), ("---", "bright_white"), ("@@", "cyan"), ("+", "green"), ("-", "red"))


def echo_diff(diff: str) -> None:
    """Print ``diff`` line by line (click drops the colours when stdout is not a terminal)."""
    for line in diff.splitlines():
        click.echo(click.style(line, fg=_colour(line)))


def _colour(line: str) -> str | None:
    for prefix, colour in _COLOURS:
        if line.startswith(prefix):
            return colour
    return None
