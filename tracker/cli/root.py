"""The `tracker` command built with Typer: root options, sub-commands, and the one place
errors become `Error: ...` lines. (tracker/cli/__init__.py answers `--version` before
this module, and Typer, are imported.)"""

import contextlib
import importlib
import os
import re
import sqlite3
import sys
from collections.abc import Iterator, Mapping, MutableMapping, Sequence
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from tracker import __version__
from tracker.cli import common
from tracker.cli.common import OutputOptions, State, today_from
from tracker.cli.registry import COMMANDS, Entry, Group
from tracker.errors import TrackerError
from tracker.store import Store


def _fail(message: str) -> typer.Exit:
    typer.echo(error_line(message), err=True)
    return typer.Exit(1)


QUOTED_LIMIT = 200  # characters of a quoted user text shown in an error line
LINE_LIMIT = 1000  # characters of the whole line
# A quoted text: a ' not after a letter or digit, up to the first ' not before one (so an
# apostrophe inside a title does not end it).
QUOTED = re.compile(r"(?<!\w)'(.*?)'(?!\w)")


def error_line(message: str) -> str:
    """`Error: ...`, one line of sane length, whatever user text the message quotes."""
    # User text echoed in a message may hold line breaks or control characters: escape them
    # so the error stays one line.
    message = "".join(c if c.isprintable() else repr(c)[1:-1] for c in message)
    # A name pasted by mistake (a whole file, 100,000 characters) is not echoed whole.
    message = QUOTED.sub(lambda quoted: f"'{shorten(quoted[1], QUOTED_LIMIT)}'", message)
    return f"Error: {shorten(message, LINE_LIMIT)}"


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
    command = getattr(importlib.import_module(f"tracker.cli.{module}"), function)
    doc = command.__doc__
    single.command(name, help=unwrapped(doc), short_help=summary(doc))(command)
    return typer.main.get_command(single)


def summary(doc: str | None) -> str | None:
    """A command's line in its group's list: its help's first paragraph as one line (Typer's
    rich help keeps a docstring's line breaks there, mid-sentence)."""
    return (unwrapped(doc) or "").split("\n\n")[0] or None


def unwrapped(doc: str | None) -> str | None:
    """A command's help with each paragraph on one line: Typer's rich help keeps the line
    breaks of every paragraph but the first, so a docstring wrapped at 96 columns printed
    a few words alone on a line in an 80-column terminal."""
    paragraphs = [" ".join(part.split()) for part in (doc or "").strip().split("\n\n")]
    return "\n\n".join(part for part in paragraphs if part) or None


class LazyGroup(TyperGroup):
    """A group whose commands come from registry entries, built on first use."""

    def __init__(self, *, entries: Mapping[str, Entry] | None = None, **attrs: Any):
        super().__init__(**attrs)
        self.commands = LazyCommands(COMMANDS if entries is None else entries)

    def list_commands(self, ctx: typer.Context) -> list[str]:  # type: ignore[override]
        return list(self.commands)  # the names, without building every command


class TrackerGroup(LazyGroup):
    """The root: every command of the registry, and library errors turned into one line on
    stderr and exit 1, for every sub-command; root options taken wherever they are on the
    line; usage errors the same way."""

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:  # type: ignore[override]
        if ctx.parent is None:
            args = hoist_root_options(args)
        return super().parse_args(ctx, args)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        extra["windows_expand_args"] = windows_expand_args
        # Always `tracker`, however it was started (`python -m tracker` would be "python -m
        # tracker"): help, usage errors and undo's command lines name the command.
        prog_name = prog_name or "tracker"
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            # Not standalone: Typer hands click's errors to us instead of printing them
            # (and returns typer.Exit's code).
            code = super().main(args, prog_name, complete_var, False, **extra)
        except typer.TyperException as error:  # click's usage errors (Typer's own click)
            usage_error(error, sys.argv[1:] if args is None else args)
        except typer.Abort:
            typer.echo("Aborted.", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        failed = True
        try:
            result = super().invoke(ctx)
            failed = False
            return result
        except TrackerError as error:
            raise _fail(str(error)) from None
        except sqlite3.OperationalError as error:
            raise _fail(f"database: {error}") from None
        except OverflowError:
            raise _fail("a number or date is out of range") from None
        except BrokenPipeError:
            # The reader stopped reading (`| head`): not an error, and nothing more to say.
            _silence_stdout()
            failed = False
            raise typer.Exit(0) from None
        except OSError as error:
            where = f"{error.filename}: " if error.filename else ""
            raise _fail(f"{where}{error.strerror or error}") from None
        except sqlite3.DatabaseError as error:
            from tracker.store.connection import damaged

            obj = ctx.obj
            path = obj._store.path if isinstance(obj, State) and obj._store else None
            raise _fail(str(damaged(path, str(error)))) from None
        finally:
            obj = ctx.obj
            if isinstance(obj, State) and obj._store is not None:
                try:
                    obj.fire_hooks()  # what committed stays, whatever the command did after
                finally:
                    obj._store.close()
                    if failed and obj._store.created:
                        _remove_new_database(obj._store)
                    elif obj._store.created:  # said once, after it worked: a failure is one line
                        typer.echo(f"Created a new database at {obj._store.path}", err=True)


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so the flush at exit does not fail on the closed pipe."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _remove_new_database(store: Store) -> None:
    """A command that made a new database and then failed leaves no empty database behind,
    nor the folders made for it (a typo in --db)."""
    path = store.path
    if path is None:
        return
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            path.with_name(path.name + suffix).unlink()
    for folder in store.made_folders:
        with contextlib.suppress(OSError):  # not empty: something else is in it now
            folder.rmdir()


def usage_error(error: typer.TyperException, args: Sequence[str]) -> NoReturn:
    """Click's usage errors (an unknown option, a bad or missing value) as every other
    mistake: one `Error:` line, with the help to read at its end, and exit 1. (Click's own
    layout is usage, a blank line, the error and a "Try --help" line, exit 2; Typer's rich
    one draws a box.) A group given no command prints its help (already printed by Typer's
    rich help, else the message is the help), exit 2 as click does: not a mistake to report."""
    message = getattr(error, "format_message", lambda: str(error))()
    if type(error).__name__ == "NoArgsIsHelpError":
        if message.strip():
            typer.echo(message)
        sys.exit(2)
    message = " ".join(message.split()).rstrip(".")
    message = re.sub(r"is not a valid (int|float)\b", _type_name, message)
    option = getattr(error, "option_name", None)
    if type(error).__name__ == "NoSuchOption" and isinstance(option, str):
        message += _dash_value_hint(option, args)
    context = getattr(error, "ctx", None)
    if context is not None:
        help_option = (context.help_option_names or ["--help"])[-1]
        message += f" (see '{context.command_path} {help_option}')"
    typer.echo(error_line(message), err=True)
    sys.exit(1)


def _type_name(found: re.Match[str]) -> str:
    return "is not a valid " + {"int": "whole number", "float": "number"}[found[1]]


def _dash_value_hint(option: str, args: Sequence[str]) -> str:
    """How to give a value that starts with '-' (a title "-Minus", an id -1), which click
    takes for an option: last, after `--`, which ends the options."""
    import shlex

    words = list(args)
    word = next((w for w in words if w.startswith(option) and not w.startswith("--")), "")
    if not (word[1:2].isdigit() or len(word) > 2) or "--" in words:
        return ""  # an option misspelt, not a value
    words.remove(word)
    return (
        f"; to give '{word}' as a value, put it last, after --:"
        f" {shlex.join(['tracker', *words, '--', word])}"
    )


# Options of the root that may also come after the command (`tracker list --db X`).
ROOT_OPTIONS_WITH_VALUE = ("--db", "--today")
ROOT_FLAGS = ("--raw", "--wide")


def hoist_root_options(args: list[str]) -> list[str]:
    """The argument list with every root option after the command moved just before it, as
    click wants them (so the last one on the line still wins); `--` ends the options."""
    before: list[str] = []  # the root options written before the command
    hoisted: list[str] = []
    rest: list[str] = []  # the command and its own arguments
    words = iter(args)
    for word in words:
        if word == "--":
            rest.append(word)
            rest.extend(words)
            break
        name = word.split("=", 1)[0]
        if not rest:
            before.append(word)
            if word in ROOT_OPTIONS_WITH_VALUE:
                before.append(next(words, ""))
            elif not word.startswith("-"):
                rest.append(before.pop())  # the command
        elif name in ROOT_OPTIONS_WITH_VALUE:
            hoisted.append(word)
            if "=" not in word:
                hoisted.append(next(words, ""))
        elif word in ROOT_FLAGS:
            hoisted.append(word)
        else:
            rest.append(word)
    return before + hoisted + rest


def _new_root() -> typer.Typer:
    return typer.Typer(
        cls=TrackerGroup,
        name="tracker",
        help="Track films from announcement to release: dates, delays, production, watchlists.",
        no_args_is_help=True,
        # --install-completion and --show-completion (bash, zsh, fish): about 0.2 ms.
        add_completion=True,
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
    raw: Annotated[
        bool,
        typer.Option(
            "--raw", help="csv/tsv listings: cells as stored, not made inert for spreadsheets."
        ),
    ] = False,
    wide: Annotated[
        bool,
        typer.Option("--wide", help="Tables printed whole, not fitted to the terminal."),
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Track films from announcement to release: dates, delays, production, watchlists.

    Root options (--db, --today, --raw, --wide) may also come after the command.

    Example: tracker --today 2020-10-15 upcoming
    """
    common.OUTPUT = OutputOptions(raw=raw, wide=wide)
    ctx.obj = State(
        db_path=db,
        today=today_from(today),
        may_create=ctx.invoked_subcommand in CREATING_COMMANDS,
    )


# The commands that make a database where there is none; any other command on a missing
# database is an error (a typo in --db must not leave an empty database behind).
CREATING_COMMANDS = ("add", "import")

app = _new_root()
app.callback()(root)


def _refuse_undecodable(arguments: list[str]) -> None:
    """Bytes that are not UTF-8 reach Python as lone surrogates, which no file or SQLite
    can hold: refuse them before anything runs."""
    for position, argument in enumerate(arguments, 1):
        try:
            argument.encode("utf-8")
        except UnicodeEncodeError:
            sys.stderr.write(f"Error: argument {position} is not valid UTF-8 text\n")
            sys.exit(1)


def _tolerate_unencodable_output() -> None:
    """On a terminal that cannot show a character (PYTHONIOENCODING=latin-1 and an en
    dash), print an escape for it instead of failing."""
    for stream in (sys.stdout, sys.stderr):
        if getattr(stream, "encoding", "utf-8").lower().replace("-", "") != "utf8":
            with contextlib.suppress(AttributeError, ValueError):
                stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]


def run() -> None:
    """The whole command line (tracker.cli.main, once it is not just `--version`)."""
    arguments = sys.argv[1:]
    _refuse_undecodable(arguments)
    _tolerate_unencodable_output()
    stdout_before = _stdout_identity()
    try:
        app()
    except SystemExit as done:
        if type(sys.stdout).__name__ == "PacifyFlushWrapper" or (
            _stdout_identity() != stdout_before
        ):
            # Typer or rich met the closed pipe outside a command (help text) and sent stdout
            # to /dev/null with exit 1: a reader that stopped reading is not an error.
            _silence_stdout()
            sys.exit(0)
        _flush_or_fail()
        raise done from None


def _stdout_identity() -> tuple[int, int] | None:
    try:
        info = os.fstat(sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        return None
    return (info.st_dev, info.st_ino)


def _flush_or_fail() -> None:
    """Output still buffered is written here, where a full disk or a closed pipe can
    still be answered properly instead of by Python's own message at exit."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
    except OSError as error:
        _silence_stdout()
        sys.stderr.write(f"Error: cannot write the output: {error.strerror or error}\n")
        sys.exit(1)
