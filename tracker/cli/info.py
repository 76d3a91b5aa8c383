"""tracker info: which database is in use, and what it holds."""

import typer

from tracker.cli.common import Format, FormatOpt, emit, state


def info(ctx: typer.Context, fmt: FormatOpt = Format.table) -> None:
    """The database in use: its path, size, schema version, UUID, counts and last change.

    Example: tracker --db data/tracker.db info --format json
    """
    from tracker.store.info import database_info

    emit(database_info(state(ctx).store), fmt)
