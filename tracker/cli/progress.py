"""Progress bars for long imports and exports: rich's (it comes with Typer), on stderr, and
only when a person watches a terminal; rich is imported only then."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

Progress = Callable[[int, int], None]  # (done, total)


def wanted(*, data_on_stdout: bool = False) -> bool:
    """A bar only on a terminal: none when output is piped or redirected, none while the
    data itself goes to the terminal."""
    return not data_on_stdout and sys.stderr.isatty() and sys.stdout.isatty()


@contextmanager
def progress_bar(label: str, *, data_on_stdout: bool = False) -> Iterator[Progress | None]:
    """Yields an update(done, total) callback, or None where no bar is wanted. The bar
    (and rich) starts with the first update that is not already the end, so a short job
    that only reports "done" never draws one."""
    if not wanted(data_on_stdout=data_on_stdout):
        yield None
        return
    shown: list[Any] = []  # [rich Progress, task id] once started

    def update(done: int, total: int) -> None:
        if not shown:
            if total and done >= total:
                return
            from rich.console import Console
            from rich.progress import BarColumn, TaskProgressColumn, TimeRemainingColumn
            from rich.progress import Progress as Bar

            bar = Bar(
                "[progress.description]{task.description}",
                BarColumn(),
                TaskProgressColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            bar.start()
            shown.extend([bar, bar.add_task(label, total=total or None)])
        shown[0].update(shown[1], completed=done, total=total or None)

    try:
        yield update
    finally:
        if shown:
            shown[0].stop()
