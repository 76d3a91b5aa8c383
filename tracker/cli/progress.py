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
    """Yields an update(done, total) callback, or None where no bar is wanted."""
    if not wanted(data_on_stdout=data_on_stdout):
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TimeRemainingColumn

    bar: Any = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        TaskProgressColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    with bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total or None)

        yield update
