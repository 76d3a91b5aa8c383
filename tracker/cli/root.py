"""The `tracker` command built with Typer: root options, sub-commands, and the one place
errors become `Error: ...` lines. (tracker/cli/__init__.py answers `--version` before
this module, and Typer, are imported.)"""

import importlib
import sqlite3
from collections.abc import Iterator, Mapping, MutableMapping
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from tracker import __version__
from tracker.cli.common import State, today_from
from tracker.cli.registry import COMMANDS, Entry, Group
from tracker.errors import TrackerError


def _fail(message: str) -> typer.Exit:
    # User text echoed in a message may hold line breaks or control characters: escape them
    # so the error stays one line.
    message = "".join(c if c.isprintable() else repr(c)[1:-1] for c in message)
    typer.echo(f"Error: {message}", err=True)
    return typer.Exit(1)


class LazyCommands(MutableMapping[str, Any]):
    """A group's commands, each built from its registry entry the first time it is asked
    for: running one command imports one CLI module and builds one command (Typer builds
    everything it is given: some 15 ms for the whole CLI), and the group still lists every
    name without building it."""

    def __init__(self, entries: Mapping[str, Entry]):
        self.entries = entries
        self.built: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self.built:
            self.built[name] = _build(name, self.entries[name])
        return self.built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self.built[name] = command

    def __delitem__(self, name: str) -> None:
        raise TypeError("commands are registered in tracker/cli/registry.py")

    def __iter__(self) -> Iterator[str]:
        return iter({**dict.fromkeys(self.entries), **dict.fromkeys(self.built)})

    def __len__(self) -> int:
        return len(set(self.entries) | set(self.built))


def _build(name: str, entry: Entry) -> Any:
    if isinstance(entry, Group):
        return LazyGroup(name=name, entries=entry.commands, help=entry.help, no_args_is_help=True)
    module, _, function = entry.partition(".")
    single = typer.Typer(add_completion=False)
    single.command(name)(getattr(importlib.import_module(f"tracker.cli.{module}"), function))
    return typer.main.get_command(single)


class LazyGroup(TyperGroup):
    """A group whose commands come from registry entries, built on first use."""

    def __init__(self, *, entries: Mapping[str, Entry] | None = None, **attrs: Any):
        super().__init__(**attrs)
        self.commands = LazyCommands(COMMANDS if entries is None else entries)

    def list_commands(self, ctx: typer.Context) -> list[str]:  # type: ignore[override]
        return list(self.commands)  # the names, without building every command


class TrackerGroup(LazyGroup):
    """The root: every command of the registry, and library errors turned into one line on
    stderr and exit 1, for every sub-command."""

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


def _new_root() -> typer.Typer:
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


app = _new_root()
app.callback()(root)
