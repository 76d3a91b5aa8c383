"""What every command shares: the state from the root options, shared option types, output."""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass, field
from enum import Enum
from typing import Annotated, Any

import typer

from tracker.store import Store


class Format(str, Enum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"


FilmArg = Annotated[
    str,
    typer.Argument(
        help="#ID, title or alias, 'Title (YEAR)', 'FRANCHISE N' or a unique part of a title."
    ),
]
FormatOpt = Annotated[
    Format, typer.Option("--format", "-f", help="Output format: table, csv, tsv or json.")
]
TableFmtOpt = Annotated[
    str,
    typer.Option("--tablefmt", help="tabulate style for tables (simple, github, grid, ...)."),
]
CountryOpt = Annotated[
    str | None,
    typer.Option("--country", "-c", help="ISO country code or name (e.g. US); none = worldwide."),
]
TypeOpt = Annotated[
    str | None,
    typer.Option("--type", "-t", help="premiere, limited, theatrical, digital, physical or tv."),
]
SourceOpt = Annotated[str | None, typer.Option("--source", help="URL the fact comes from.")]
NoteOpt = Annotated[str | None, typer.Option("--note", help="A short note.")]


@dataclass
class State:
    """Root options, read by every command. The database opens on first use, so --help
    and --version never touch it."""

    db_path: str | None
    today: datetime.date
    _store: Store | None = field(default=None, repr=False)

    @property
    def store(self) -> Store:
        if self._store is None:
            from tracker.store import open_store

            self._store = open_store(self.db_path)
        return self._store


def state(ctx: typer.Context) -> State:
    root = ctx.find_root()
    assert isinstance(root.obj, State)
    return root.obj


def today_from(option: str | None) -> datetime.date:
    text = option or os.environ.get("TRACKER_TODAY")
    if not text:
        return datetime.date.today()
    from tracker.dates import parse_day

    return parse_day(text)


def emit(data: Any, fmt: Format = Format.table, **options: Any) -> None:
    """Print rows or a record through the one renderer."""
    from tracker.render import render

    typer.echo(render(data, fmt.value, **options))


def say(message: str) -> None:
    """The one-line answer of a command that changes data."""
    typer.echo(message)
