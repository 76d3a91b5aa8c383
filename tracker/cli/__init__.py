"""The `tracker` command: root options, sub-commands, and the one place errors become
`Error: ...` lines."""

import importlib
import os
import sqlite3
import sys
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


def _new_root(completion: bool) -> typer.Typer:
    return typer.Typer(
        cls=TrackerGroup,
        name="tracker",
        help="Track films from announcement to release: dates, delays, production, watchlists.",
        no_args_is_help=True,
        add_completion=completion,
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


# Every sub-app: (module in tracker.cli, its Typer, the group name or None to merge its
# commands at the top level).
SUB_APPS = (
    ("films", "app", None),
    ("finding", "app", None),
    ("releases", "app", None),
    ("exchange", "export_app", "export"),
    ("exchange", "import_app", "import"),
    ("production", "app", None),
    ("production", "shoot_app", "shoot"),
    ("production", "credit_app", "credit"),
    ("timeline", "app", None),
    ("watchlists", "app", "watchlist"),
    ("diary", "app", None),
    ("safety", "app", None),
    ("corrections", "app", None),
)
# The module of each top-level command. Typer builds every command it is given on every
# run (about 20 ms for all of them), so `main` gives it only the one that was asked for;
# tests/test_help.py keeps this table equal to what the modules define.
COMMAND_MODULES = {
    **dict.fromkeys(["add", "edit", "remove", "status", "list", "show"], "films"),
    **dict.fromkeys(["search", "merge"], "finding"),
    **dict.fromkeys(["release", "upcoming", "countdown", "history"], "releases"),
    **dict.fromkeys(["export", "import"], "exchange"),
    **dict.fromkeys(["person", "note", "retitle", "sources", "source"], "production"),
    **dict.fromkeys(["shoot", "credit"], "production"),
    **dict.fromkeys(["timeline", "delays", "filming", "clashes"], "timeline"),
    "watchlist": "watchlists",
    **dict.fromkeys(["watch", "seen", "diary", "changes"], "diary"),
    **dict.fromkeys(["backup", "check", "undo"], "safety"),
    **dict.fromkeys(["amend", "delete", "statuses"], "corrections"),
}
ROOT_OPTIONS_WITH_VALUE = ("--db", "--today")


COMPLETION_OPTIONS = ("--install-completion", "--show-completion")


def completing() -> bool:
    """Whether the shell is asking for completions (the script `--install-completion` put
    in place sets this variable)."""
    return "_TRACKER_COMPLETE" in os.environ


def build_app(command: str | None = None, *, completion: bool | None = None) -> typer.Typer:
    """The whole CLI, or only the part that holds `command`. Completion's options cost
    start-up time (typer inspects the shell), so `main` adds them only when they can be
    used: at the top level (help, --install-completion) and when completing."""
    root_app = _new_root(command is None if completion is None else completion)
    root_app.callback()(root)
    wanted = COMMAND_MODULES.get(command or "")
    for module_name, attribute, group in SUB_APPS:
        if wanted is not None and (module_name != wanted or group not in (None, command)):
            continue
        module = importlib.import_module(f"tracker.cli.{module_name}")
        root_app.add_typer(getattr(module, attribute), name=group)
    return root_app


def command_in(argv: list[str]) -> str | None:
    """The sub-command an argument list asks for, or None (help, version, nothing)."""
    arguments = iter(argv)
    for argument in arguments:
        if argument in ROOT_OPTIONS_WITH_VALUE:
            next(arguments, None)
        elif not argument.startswith("-"):
            return argument
        elif argument in ("-h", "--help"):
            return None
    return None


def __getattr__(name: str) -> typer.Typer:
    # `from tracker.cli import app` (tests, tools) gets the whole CLI, built on first use.
    if name == "app":
        whole = build_app()
        globals()["app"] = whole
        return whole
    raise AttributeError(name)


def main() -> None:
    command = command_in(sys.argv[1:])
    known = command if command in COMMAND_MODULES and not completing() else None
    build_app(known)()
