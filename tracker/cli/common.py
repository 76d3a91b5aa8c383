"""What every command shares: the state from the root options, shared option types, output."""

import datetime
import itertools
import os
from collections.abc import Callable, Iterable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from tracker.errors import InvalidValue
from tracker.records import Film
from tracker.store import Store

Batch = TypeVar("Batch")


class Format(str, Enum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"


def _db(ctx: typer.Context) -> str | None:
    db = ctx.find_root().params.get("db")
    return db if isinstance(db, str) else None


# Shell completion (`tracker --install-completion`): each runs only on a Tab press.
def complete_film(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    from tracker.views import completion as complete

    return complete.films(_db(ctx), incomplete)


def complete_watchlist(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    from tracker.views import completion as complete

    return complete.watchlists(_db(ctx), incomplete)


def complete_status(incomplete: str) -> list[tuple[str, str]]:
    from tracker.choices import STATUSES
    from tracker.views import completion as complete

    return complete.words(STATUSES, incomplete)


def complete_type(incomplete: str) -> list[tuple[str, str]]:
    from tracker.choices import RELEASE_TYPES
    from tracker.views import completion as complete

    return complete.words(RELEASE_TYPES, incomplete)


def complete_country(incomplete: str) -> list[tuple[str, str]]:
    from tracker.views import completion as complete

    return complete.countries(incomplete)


def complete_kind(incomplete: str) -> list[tuple[str, str]]:
    from tracker.domain.events import NOTE_KINDS
    from tracker.views import completion as complete

    return complete.words(NOTE_KINDS, incomplete)


# Every option that more than one module uses is declared here, once, so it is spelled and
# explained the same everywhere; one used only by commands of one module sits at its top.
FilmArg = Annotated[
    str,
    typer.Argument(
        help="#ID, title or alias, 'Title (YEAR)', 'FRANCHISE N' or a unique part of a title.",
        autocompletion=complete_film,
    ),
]
FormatOpt = Annotated[
    Format,
    typer.Option(
        "--format",
        "-f",
        help="Output format: table, csv, tsv or json. csv/tsv cells that a spreadsheet would"
        " run as formulas get a leading ' (add --raw for cells as stored); tables fit the"
        " terminal (add --wide to print them whole).",
    ),
]
TableFmtOpt = Annotated[
    str,
    typer.Option("--tablefmt", help="tabulate style for tables (simple, github, grid, ...)."),
]
CountryOpt = Annotated[
    str | None,
    typer.Option(
        "--country",
        "-c",
        help="ISO country code or name (e.g. US); none = worldwide.",
        autocompletion=complete_country,
    ),
]
TypeOpt = Annotated[
    str | None,
    typer.Option(
        "--type",
        "-t",
        help="premiere, limited, theatrical, digital, physical or tv.",
        autocompletion=complete_type,
    ),
]
SourceOpt = Annotated[str | None, typer.Option("--source", help="URL the fact comes from.")]
NoteOpt = Annotated[str | None, typer.Option("--note", help="A short note.")]
OnOpt = Annotated[str | None, typer.Option("--on", help="When (default today; any precision).")]
OnDayOpt = Annotated[str | None, typer.Option("--on", help="The day (default today).")]
WatchlistOpt = Annotated[
    str | None,
    typer.Option(
        "--watchlist", "-w", help="Only films on this list.", autocompletion=complete_watchlist
    ),
]
FranchiseOpt = Annotated[str | None, typer.Option("--franchise", help="Only this franchise.")]
YearOpt = Annotated[
    int | None, typer.Option("--year", "-y", help="Release year (tells remakes apart).")
]
AnnouncedOpt = Annotated[
    str | None,
    typer.Option("--announced", help="When the release date was announced (default today)."),
]
LimitOpt = Annotated[
    int | None,
    typer.Option("--limit", "-l", help="Only the first N rows (in the listing's order)."),
]


class State:
    """Root options, read by every command. The database opens on first use, so --help
    and --version never touch it. (A plain class: a dataclass costs every command a
    millisecond of start-up to generate its methods.)"""

    def __init__(self, db_path: str | None, today: datetime.date, *, may_create: bool = False):
        self.db_path = db_path
        self.today = today
        self._store: Store | None = None
        self.command: str | None = None  # the command line, as `tracker undo` names it
        self.may_create = may_create  # whether this command may make a new database
        self.hook: Path | None = None  # the on-change hook, found when the database opens

    @property
    def store(self) -> Store:
        if self._store is None:
            from tracker.hooks import hook_for
            from tracker.store import open_store

            self._store = open_store(self.db_path, create=self.may_create)
            self._store.label = self.command
            self.hook = hook_for(self._store.path)
            self._store.watch = self.hook is not None
        return self._store

    def store_to_check(self) -> Store:
        """What a dry run checks against: the database, or an empty one in memory when there
        is no database yet (a dry run makes no file)."""
        from tracker.store import memory_store, resolve_path

        if self._store is None and not resolve_path(self.db_path).exists():
            return memory_store()
        return self.store

    def film(self, name: str) -> Film:
        """The film a user names, under its title of the day (for every message)."""
        from tracker.asof import film_on
        from tracker.domain.films import resolve

        return film_on(self.store, resolve(self.store, name, self.today), self.today)

    def known_film(self, name: str) -> Film:
        """The film a user names for a reader of one film (`show`, `countdown`, `history`,
        `statuses`, `sources`): one not yet known on the day asked had nothing to show then,
        not even its title, so it is refused as a film not found. Writers take any film."""
        from tracker.asof import film_known
        from tracker.dates import of_day
        from tracker.errors import FilmNotFound

        film = self.film(name)
        if not film_known(self.store, film.id, self.today):
            day = of_day(self.today).display()
            raise FilmNotFound(f"'{name}' was not yet known on {day}")
        return film

    def fire_hooks(self) -> None:
        """Give the on-change hook what the command committed; report a problem on stderr
        (the write stays)."""
        if self._store is None or self.hook is None or not self._store.committed:
            return
        from tracker.hooks import run_hook
        from tracker.hooks.changes import changes

        found = changes(self._store, self._store.committed, self.today)
        self._store.committed = []
        problem = run_hook(self.hook, found)
        if problem:
            typer.echo(f"Warning: {problem}", err=True)


def state(ctx: typer.Context) -> State:
    root = ctx.find_root()
    assert isinstance(root.obj, State)
    if root.obj.command is None:
        root.obj.command = command_line(ctx)
    return root.obj


def command_line(ctx: typer.Context) -> str:
    """`release "Mission: Impossible 7" 2022-05-27 --country US`: the command as typed."""
    # The path after the program's name, however it was started (`python -m tracker`).
    words = ctx.command_path[len(ctx.find_root().command_path) :].split()
    for param in ctx.command.params:
        value = ctx.params.get(param.name or "")
        if value in (None, False, [], ()) or value == param.default or not param.opts:
            continue
        shown = [str(getattr(value, "value", value))] if value is not True else []
        if isinstance(value, (list, tuple)):
            shown = [str(item) for item in value]
        text = " ".join(f'"{item}"' if " " in item or not item else item for item in shown)
        words.append(text if param.param_type_name == "argument" else f"{param.opts[0]} {text}")
    line = " ".join(word.strip() for word in words)
    return line if len(line) <= 200 else line[:199] + "…"


def today_from(option: str | None) -> datetime.date:
    """--today, else TRACKER_TODAY (unset or empty: the real today)."""
    from_env = option is None
    text = os.environ.get("TRACKER_TODAY") if from_env else option
    if from_env and not text:
        return datetime.date.today()
    if not (text or "").strip():
        raise InvalidValue("--today needs a day (YYYY-MM-DD), not an empty text")
    from tracker.dates import parse_day
    from tracker.errors import InvalidDate

    try:
        return parse_day(text or "")
    except InvalidDate as error:  # say where the day came from: a forgotten variable
        raise InvalidDate(f"{'$TRACKER_TODAY' if from_env else '--today'}: {error}") from None


class OutputOptions:
    """The root's output flags (`--raw`, `--wide`), set by the root callback for the one
    command a process runs; `emit` reads them, so no command has to pass them along."""

    def __init__(self, *, raw: bool = False, wide: bool = False):
        self.raw = raw
        self.wide = wide


OUTPUT = OutputOptions()


def terminal_width() -> int | None:
    """The width tables must fit: the terminal's, or None when output is piped or
    redirected (never shortened) or with --wide."""
    import sys

    if OUTPUT.wide or not sys.stdout.isatty():
        return None
    import shutil

    return shutil.get_terminal_size().columns


def emit(data: Any, fmt: Format = Format.table, **options: Any) -> None:
    """Print rows or a record through the one renderer. Rows from a cursor (an iterator)
    are written as they are read in csv, tsv and json; a table needs them all first."""
    from collections.abc import Iterator

    from tracker.render import render, stream

    if isinstance(data, Iterator):
        if fmt is Format.table or (options.get("columns") is None and fmt is not Format.json):
            data = list(data)
        else:
            pieces = stream(data, fmt.value, options.get("columns") or [], OUTPUT.raw)
            # csv/tsv end their own lines
            write(itertools.chain(pieces, ["\n"] if fmt is Format.json else []))
            return
    width = terminal_width() if fmt is Format.table else None
    text = render(data, fmt.value, raw=OUTPUT.raw, width=width, **options)
    typer.echo(text, nl=not text.endswith("\n"))  # csv/tsv end their own lines


WRITE_BATCH = 256  # pieces joined per write


def write(pieces: Iterable[str]) -> None:
    """Print text as it is made (rows read from a cursor, csv lines SQLite wrote),
    buffered: a few hundred pieces joined per write (a write a row cost a report of
    millions of rows about 5% of its time). What was made before an error is printed."""
    import sys

    out = sys.stdout  # buffered: typer.echo would flush every piece
    batch: list[str] = []
    try:
        for piece in pieces:
            batch.append(piece)
            if len(batch) >= WRITE_BATCH:
                out.write("".join(batch))
                batch.clear()
    finally:
        out.write("".join(batch))
        out.flush()


def write_behind(head: str, batches: Iterable[Batch], text: Callable[[Batch], str]) -> None:
    """Print `head`, then each batch as `text` makes it: made and written by a second thread
    while the caller's cursor reads the next batch (exchange.chunks.write_behind)."""
    import sys

    from tracker.exchange.chunks import write_behind as in_second_thread

    out = sys.stdout
    out.write(head)
    in_second_thread(iter(batches), lambda batch: out.write(text(batch)), depth=4)
    out.flush()


def refuse_nothing_to_change(options: dict[str, Any]) -> None:
    """A command that changes what it is given, given nothing: a mistake, which would still
    count as the last change and take `tracker undo` away from the one before."""
    if all(value is None or value == [] for value in options.values()):
        raise InvalidValue(f"nothing to change: give at least one of {', '.join(options)}")


class WrittenRows:
    """`with WrittenRows(store) as written:` ... `if written`: whether the block wrote any
    row (SQLite's count of changes, triggers included). A write of the same values is left
    out by the library, so nothing written is "nothing changed", and undo keeps the command
    before."""

    def __init__(self, store: Store):
        self.store = store
        self.count = 0

    def __enter__(self) -> "WrittenRows":
        self.before = self.store.conn.total_changes
        return self

    def __exit__(self, *exception: object) -> None:
        self.count = self.store.conn.total_changes - self.before

    def __bool__(self) -> bool:
        return self.count > 0


def say(message: str) -> None:
    """The one-line answer of a command that changes data."""
    typer.echo(message)


def say_when_known(store: Store, film_id: int, today: datetime.date) -> None:
    """A film not yet known on the day (first heard of in a window still open: "--on
    2025-01" on 15 Jan; or put on a list, or seen, as of a day before) is listed from the day
    it counts as known: said aside, so an empty `list`, list or diary is no surprise."""
    from tracker.asof import film_known, film_known_from
    from tracker.dates import of_day

    if film_known(store, film_id, today):
        return
    first = film_known_from(store, film_id)
    if first is not None:
        typer.echo(f"Note: #{film_id} counts as known from {of_day(first).display()}", err=True)
