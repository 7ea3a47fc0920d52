"""A progress bar for long replays, verifies and imports: on a terminal, after a second; never when piped."""

from __future__ import annotations

import time
from types import TracebackType
from typing import Optional

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

SHOW_AFTER = 1.0  # seconds an operation runs before its bar appears


class DelayedProgress:
    """Called with the count done so far; draws a bar on ``console`` once ``delay`` seconds have passed
    (default :data:`SHOW_AFTER`).

    Draws nothing when ``console`` is not a terminal (output piped or redirected).
    Use as a context manager so the bar is closed.
    """

    def __init__(self, description: str, total: Optional[int], console: Console,
                 delay: Optional[float] = None) -> None:
        self.description, self.total, self.console = description, total, console
        self.delay = SHOW_AFTER if delay is None else delay
        self.started = time.monotonic()
        self.bar: Optional[Progress] = None
        self.task = TaskID(0)

    def __call__(self, done: int) -> None:
        if self.bar is None:
            if not self.console.is_terminal or time.monotonic() - self.started < self.delay:
                return
            self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                TimeRemainingColumn(), console=self.console, transient=True)
            self.bar.start()
            self.task = self.bar.add_task(self.description, total=self.total)
        self.bar.update(self.task, completed=done)

    def __enter__(self) -> DelayedProgress:
        return self

    def __exit__(self, kind: Optional[type[BaseException]], error: Optional[BaseException],
                 trace: Optional[TracebackType]) -> None:
        if self.bar is not None:
            self.bar.stop()
