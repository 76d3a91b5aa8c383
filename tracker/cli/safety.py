"""Commands that keep data safe: backup, check, undo."""

from pathlib import Path
from typing import Annotated

import typer

from tracker.cli.common import say, state


def backup(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Where to write the copy (a new file).")],
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
) -> None:
    """Copy the database to FILE with SQLite's online backup API (safe while others write).

    Example: tracker backup backups/tracker-2020-10-15.db
    """
    from tracker.domain.films import film_count
    from tracker.store.safety import backup as make_backup

    store = state(ctx).store
    target = make_backup(store, file, force=force)
    say(f"Backed up {film_count(store)} films to {target}")


def check(ctx: typer.Context) -> None:
    """Check the database: integrity, foreign keys, and the tracker's own rules (every
    film's current dates derivable, no orphan rows). Prints ok, or one line per problem.

    Example: tracker check
    """
    from tracker.errors import DatabaseProblem
    from tracker.store.safety import check as find_problems

    problems = find_problems(state(ctx).store)
    if not problems:
        say("ok")
        return
    for problem in problems:
        say(problem)
    raise DatabaseProblem(f"check found {len(problems)} problem(s)")


def undo(ctx: typer.Context) -> None:
    """Revert the last command that changed data (one level; undo again to redo).

    Example: tracker undo
    """
    from tracker.cli.progress import progress_bar
    from tracker.errors import TrackerError
    from tracker.store.undo import revert_last

    current = state(ctx)
    store = current.store
    with store.transaction(), progress_bar("Undoing") as progress:
        reverted = revert_last(store.conn, progress)
        if reverted is None:
            raise TrackerError("nothing to undo")
        store.label = reverted.next_label
    say(reverted.message)
