"""The root of the `tracker` command: its options, and the one place errors become
`Error: ...` lines."""

import sqlite3
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from tracker import __version__
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


def new_root() -> typer.Typer:
    return typer.Typer(
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


def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db", metavar="PATH", help="Database file (else $TRACKER_DB, else data/tracker.db)."
        ),
    ] = None,
    today: Annotated[
        str | None,
        typer.Option(
            "--today",
            metavar="DATE",
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
