"""The `tracker` command: root options, sub-commands, and the one place errors become
`Error: ...` lines."""

from __future__ import annotations

import sqlite3
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from tracker import __version__
from tracker.cli import (
    diary,
    exchange,
    films,
    formats,  # noqa: F401  (adds csv, letterboxd and ics to export/import)
    releases,
    safety,
    watchlists,
)
from tracker.cli import production as production_cli
from tracker.cli import timeline as timeline_cli
from tracker.cli.common import State, today_from
from tracker.errors import TrackerError


def _fail(message: str) -> typer.Exit:
    # User text echoed in a message may hold line breaks or control characters: escape them
    # so the error stays one line.
    message = "".join(c if c.isprintable() else repr(c)[1:-1] for c in message)
    typer.echo(f"Error: {message}", err=True)
    return typer.Exit(1)


class TrackerGroup(TyperGroup):
    """Turns library errors into one line on stderr and exit 1, for every sub-command."""

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except TrackerError as error:
            raise _fail(str(error)) from None
        except sqlite3.OperationalError as error:
            raise _fail(f"database: {error}") from None
        except sqlite3.DatabaseError as error:
            raise _fail(f"database is damaged or unreadable: {error}") from None
        finally:
            obj = ctx.obj
            if isinstance(obj, State) and obj._store is not None:
                obj._store.close()


app = typer.Typer(
    cls=TrackerGroup,
    name="tracker",
    help="Track films from announcement to release: dates, delays, production, watchlists.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"tracker {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option("--db", help="Database file (else $TRACKER_DB, else data/tracker.db)."),
    ] = None,
    today: Annotated[
        str | None,
        typer.Option(
            "--today",
            help="Answer as of this day (else $TRACKER_TODAY, else the real date).",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Track films from announcement to release: dates, delays, production, watchlists.

    Example: tracker --today 2020-10-15 upcoming
    """
    ctx.obj = State(db_path=db, today=today_from(today))


app.add_typer(films.app)
app.add_typer(releases.app)
app.add_typer(exchange.export_app, name="export")
app.add_typer(exchange.import_app, name="import")
# Production (issue 3).
app.add_typer(production_cli.app)
app.add_typer(production_cli.shoot_app, name="shoot")
app.add_typer(production_cli.credit_app, name="credit")
app.add_typer(timeline_cli.app)
app.add_typer(watchlists.app, name="watchlist")
app.add_typer(diary.app)
app.add_typer(safety.app)


def main() -> None:
    app()
