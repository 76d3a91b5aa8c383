"""CSV export and import of one table at a time, streaming, for spreadsheets.

- Export writes RFC 4180 CSV (CRLF lines, quotes only where needed), each line built by
  SQLite (see `csv_text`), so memory stays flat however many rows there are.
- Cells a spreadsheet would run as a formula (starting with = + - @, tab or carriage
  return) get a leading apostrophe on export (OWASP's advice); import takes it off again.
  A cell that already starts with apostrophes before such a character gets one more, so
  the round trip is exact for every text.
- Import reads UTF-8 (with or without BOM, LF or CRLF, quoted newlines: a line break inside
  a cell is read as a space, as stored text has none), checks every row, inserts in batches
  with executemany inside ONE transaction, and stops at the first bad row with its line
  number, column and reason: all or nothing. Uniqueness and film references are checked by
  SQLite's own constraints (a failing batch is replayed row by row to name the line), so no
  row costs a lookup. Into an empty films or releases table the indexes are dropped for the
  load and built once after it. `dry_run` checks everything, then rolls back.
- Rows go in without the per-row undo trigger: `tracker undo` after an import gets one
  compact "delete the rows after rowid N" entry for its table (tracker.bulk's AppendLog, as
  bulk loads do), not one log row per imported row.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from tracker.cells import restore, sql_neutralise
from tracker.csv_lines import RECORD, csv_blob, printf_line
from tracker.errors import BadFile, TrackerError
from tracker.exchange.chunks import chunk_sql, read_chunks, write_behind
from tracker.names import name_key
from tracker.store import Store
from tracker.store.bulk import AppendLog, insert_batch
from tracker.validation import (
    INSTALMENTS,
    MAX_ID,
    MAX_TEXT,
    PRIORITIES,
    SUSPECT,
    YEARS,
    text_problem,
)

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_LINE_BREAKS = re.compile(r"[ ]*[\r\n]+[ ]*")
BATCH = 5000

Progress = Callable[[int, int], None]  # (done, total), in rows or bytes


class CellError(Exception):
    """A bad cell: which column, and why."""

    def __init__(self, column: str, reason: str):
        super().__init__(reason)
        self.column = column
        self.reason = reason


# Cell readers: each takes the (restored) text of a cell and returns the stored value --------


def _plain(text: str) -> bool:
    """Whether text has none of the characters validation looks for: printable ASCII has
    none (the only ASCII ones are control characters), and is checked without a regex."""
    return (text.isascii() and text.isprintable()) or not SUSPECT.search(text)


def _text(column: str, value: str, required: bool = False) -> str | None:
    if value[:1] == "'":
        value = restore(value)
    text = value.strip()
    if not text:
        if required:
            raise CellError(column, "cannot be empty")
        return None
    if len(text) <= MAX_TEXT and _plain(text):
        return text  # most cells: nothing the checks below look for
    if _CONTROL.search(text):
        # A line break typed inside a spreadsheet cell becomes a space; other control
        # characters are refused (tracker.validation).
        text = _LINE_BREAKS.sub(" ", text)
    problem = text_problem(text)
    if problem:
        raise CellError(column, problem.removeprefix("is "))
    return text


def _integer(column: str, value: str, low: int, high: int, required: bool = False) -> int | None:
    try:
        number = int(value)  # int() itself allows surrounding spaces
    except ValueError:
        if not value.strip():
            if required:
                raise CellError(column, "cannot be empty") from None
            return None
        raise CellError(column, f"'{value.strip()[:40]}' is not a whole number") from None
    if not low <= number <= high:
        raise CellError(column, f"{number} is out of range ({low}-{high})")
    return number


@lru_cache(maxsize=65536)
def _fuzzy(value: str) -> tuple[str | None, str | None, str | None]:
    """(iso, start, end) of a date cell; cached: a big file repeats few distinct dates."""
    from tracker.dates import parse_date

    date = parse_date(value)
    start, end = date.start, date.end
    return (
        date.iso,
        None if start is None else start.isoformat(),
        None if end is None else end.isoformat(),
    )


def _date(column: str, value: str, required: bool = False) -> tuple[str | None, ...]:
    text = value.strip()
    if not text:
        if required:
            raise CellError(column, "cannot be empty")
        return (None, None, None)
    try:
        return _fuzzy(text)
    except TrackerError as error:
        raise CellError(column, str(error)) from None


@lru_cache(maxsize=65536)
def _day(value: str) -> str:
    from tracker.dates import parse_day

    return parse_day(value).isoformat()


def _day_cell(column: str, value: str) -> str:
    text = value.strip()
    if not text:
        raise CellError(column, "cannot be empty")
    try:
        return _day(text)
    except TrackerError as error:
        raise CellError(column, str(error)) from None


@lru_cache(maxsize=1024)
def _word(kind: str, value: str) -> str | None:
    from tracker.choices import RELEASE_TYPES, choose
    from tracker.countries import country_code
    from tracker.domain.diary import check_place

    if kind == "country":
        return country_code(value) if value.strip() else None
    if kind == "type":
        return choose(value, RELEASE_TYPES, "release type")
    return check_place(value)


def _choice(column: str, kind: str, value: str) -> str | None:
    try:
        return _word(kind, value)
    except TrackerError as error:
        raise CellError(column, str(error)) from None


# Tables -----------------------------------------------------------------------------------


@dataclass
class Table:
    """How one table travels as CSV."""

    name: str
    columns: tuple[str, ...]
    export_sql: str
    insert_sql: str
    # A row of cells (in `columns` order) -> the insert parameters.
    parse: Callable[[Sequence[str], ImportState], tuple[Any, ...] | None]
    # Explains an IntegrityError for a row: (column, reason).
    explain: Callable[[str, tuple[Any, ...]], tuple[str, str]]
    count_sql: str = ""
    # The table rows go into: when it is empty, its indexes are dropped for the load and
    # built again after it (much faster than updating them row by row).
    bulk_target: str = ""
    # The table insert_sql appends to, for the compact undo entry (tracker.bulk.AppendLog).
    target: str = ""
    # Whether the first insert parameter is an explicit id (films.csv's id column).
    explicit_ids: bool = False
    # For a table exported in id order: the same lines in chunks (see `_chunked`).
    chunk_sql: str = ""
    # The header export writes, when it holds derived columns besides `columns`: import
    # accepts files with or without them and ignores them (they follow from the others).
    export_columns: tuple[str, ...] = ()
    # Columns a file may lack (written by an older tracker): read as empty cells.
    optional: tuple[str, ...] = ()
    # Checks a batch of parsed rows against what is stored before it goes in (raising
    # BadFile): a query or two per batch.
    check_batch: (
        Callable[[Store, Path, list[tuple[Any, ...]], list[int], ImportState], None] | None
    ) = None

    @property
    def header(self) -> tuple[str, ...]:
        return self.export_columns or self.columns


@dataclass
class ImportState:
    store: Store
    today: datetime.date
    lists: dict[str, int] = field(default_factory=dict)
    descriptions: dict[int, str | None] = field(default_factory=dict)
    appends: AppendLog | None = None
    bulk: bool = False  # loading into an empty table
    tombstones: bool = False  # whether the database holds deleted releases (calendars')


# The fast path's bounds, as text: a 4-digit year compares as its number does (other
# decimal digits than 0-9 sort above them and take the slow path), and an id of fewer than
# 19 digits, not starting with 0, is within 1..MAX_ID.
_FIRST_YEAR, _LAST_YEAR = str(YEARS[0]), str(YEARS[1])
_NONZERO = "123456789"
_ID_DIGITS = 19


def _films_parse(cells: Sequence[str], state: ImportState) -> tuple[Any, ...]:
    film_id, title, year, franchise, instalment = cells
    text = title.strip()
    if not text or text[0] == "'" or len(text) > MAX_TEXT or not _plain(text):
        text = _text("title", title, required=True) or ""
    # Empty cells are common: skip the calls for them. So are ids and years of plain
    # digits, in range: int() alone (a call a cell was a tenth of a million-row import).
    # Any other text goes to _integer, which says what is wrong with it.
    return (
        int(film_id)
        if film_id.isdecimal() and film_id[0] in _NONZERO and len(film_id) < _ID_DIGITS
        else (_integer("id", film_id, 1, MAX_ID) if film_id else None),
        text,
        name_key(text),
        int(year)
        if len(year) == 4 and year.isdecimal() and _FIRST_YEAR <= year <= _LAST_YEAR
        else (_integer("year", year, *YEARS) if year else None),
        _text("franchise", franchise) if franchise else None,
        _integer("instalment", instalment, *INSTALMENTS) if instalment else None,
    )


def _films_check(
    store: Store, path: Path, batch: list[tuple[Any, ...]], lines: list[int], state: ImportState
) -> None:
    if state.tombstones:
        _films_of_cancelled_events(store, path, batch, lines)
    if not state.bulk:  # an empty table has no titles to check against
        _films_former_titles(store, path, batch, lines)


def _films_of_cancelled_events(
    store: Store, path: Path, batch: list[tuple[Any, ...]], lines: list[int]
) -> None:
    """The id of a film removed from this database, whose releases calendars still cancel
    under it, is not given to a new film: its events would take those over (an import of
    JSON gives such a film a new id; here the id column is what releases.csv refers to, so
    it is refused). An id of a film held is refused by the insert, as a duplicate."""
    import json

    ids = json.dumps(sorted({params[0] for params in batch if params[0] is not None}))
    removed = {
        film_id
        for (film_id,) in store.conn.execute(
            "SELECT value FROM json_each(?) WHERE NOT EXISTS (SELECT 1 FROM films WHERE id ="
            " value) AND EXISTS (SELECT 1 FROM release_tombstones WHERE film_id = value)",
            [ids],
        )
    }
    for line, params in zip(lines, batch, strict=True):
        if params[0] in removed:
            raise BadFile(
                f"{path}: line {line}, column id: film #{params[0]} was removed from this"
                " database, and calendars still cancel its releases under that id (leave the"
                " cell empty for a new one)"
            )


def _films_former_titles(
    store: Store, path: Path, batch: list[tuple[Any, ...]], lines: list[int]
) -> None:
    """A row named by another title a film had (or will have), in its year, is that film:
    refused like any duplicate (`add` refuses it too), never a second film taking over the
    name. (The unique index refuses the films' latest titles.)"""
    from tracker.domain.films import films_by_former_titles

    found = films_by_former_titles(store, {params[2] for params in batch})
    if not found:
        return
    for line, params in zip(lines, batch, strict=True):
        film = found.get((params[2], params[3]))
        if film is not None:
            year = f" ({params[3]})" if params[3] else ""
            raise BadFile(
                f"{path}: line {line}, column title: {params[1]}{year} is a title of"
                f" {film[1]}, already tracked as #{film[0]}"
            )


def _films_explain(message: str, params: tuple[Any, ...]) -> tuple[str, str]:
    if "films.id" in message:
        return "id", f"film #{params[0]} already exists"
    year = f" ({params[3]})" if params[3] else ""
    return "title", f"{params[1]}{year} is already tracked (or twice in this file)"


def _releases_parse(cells: Sequence[str], state: ImportState) -> tuple[Any, ...]:
    film_id, country, release_type, date, announced, source, note = cells
    date_iso, date_start, date_end = _date("date", date)
    announced_iso, announced_start, _ = _date("announced", announced, required=True)
    if announced_start is None:
        raise CellError("announced", "an announcement needs a day it was made, not TBA")
    return (
        _integer("film_id", film_id, 1, MAX_ID, required=True),
        _choice("country", "country", country),
        _choice("type", "type", release_type),
        date_iso,
        date_start,
        date_end,
        announced_iso,
        announced_start,
        _text("source", source),
        _text("note", note),
    )


def _film_explain(message: str, params: tuple[Any, ...]) -> tuple[str, str]:
    return "film_id", f"no film #{params[0]} (import its film first)"


def _watchlists_parse(cells: Sequence[str], state: ImportState) -> tuple[Any, ...] | None:
    from tracker.domain import watchlists

    name, description, film_id, _title, priority, note, added = cells
    list_name = _text("list", name, required=True)
    assert list_name is not None
    key = name_key(list_name)
    wanted = _text("description", description)
    if key not in state.lists:
        found = watchlists.find_list(state.store, list_name)
        if found is None:
            found = watchlists.create_list(state.store, list_name, wanted)
        state.lists[key] = found.id
        state.descriptions[found.id] = found.description
    list_id = state.lists[key]
    if wanted != state.descriptions[list_id]:  # once a list, not once a row (undo logs it)
        state.store.conn.execute(
            "UPDATE watchlists SET description = ? WHERE id = ?", [wanted, list_id]
        )
        state.descriptions[list_id] = wanted
    film = _integer("film_id", film_id, 1, MAX_ID)
    if film is None:
        return None  # a list without films
    return (
        list_id,
        film,
        _integer("priority", priority, *PRIORITIES, required=True),
        _text("note", note),
        _day_cell("added", added),
    )


def _watchlists_explain(message: str, params: tuple[Any, ...]) -> tuple[str, str]:
    if "FOREIGN KEY" in message:
        return "film_id", f"no film #{params[1]} (import its film first)"
    return "film_id", f"film #{params[1]} is on this list twice"


def _diary_parse(cells: Sequence[str], state: ImportState) -> tuple[Any, ...]:
    from tracker.domain.diary import parse_rating

    film_id, _title, seen_on, rating, where, note, rewatch, tags, review = cells
    # An empty day: seen on a day not known (Letterboxd's watched.csv).
    seen = _day_cell("seen_on", seen_on) if seen_on.strip() else None
    if seen is not None and seen > state.today.isoformat():
        raise CellError("seen_on", f"{seen} is after today ({state.today.isoformat()})")
    try:
        stars = parse_rating(rating)
    except TrackerError as error:
        raise CellError("rating", str(error)) from None
    return (
        _integer("film_id", film_id, 1, MAX_ID, required=True),
        seen,
        stars,
        _choice("where", "place", where),
        _text("note", note),
        _rewatch(rewatch),
        _text("tags", tags),
        _review(review),
    )


# A rewatch cell: what export writes (true/false), a spreadsheet's TRUE/FALSE, or nothing.
_REWATCH: dict[str, int | None] = {"true": 1, "yes": 1, "1": 1, "false": None, "no": None,
                                   "0": None, "": None}  # fmt: skip


def _rewatch(value: str) -> int | None:
    key = value.strip().lower()
    if key not in _REWATCH:
        raise CellError("rewatch", f"'{value.strip()[:40]}' is not true or false")
    return _REWATCH[key]


def _review(value: str) -> str | None:
    """A review keeps its line breaks (a note's become spaces): it is Letterboxd's text."""
    from tracker.domain.diary import check_letterboxd

    text = restore(value) if value[:1] == "'" else value
    try:
        review: str | None = check_letterboxd({"review": text})["review"]
    except TrackerError as error:
        raise CellError("review", str(error)) from None
    return review


def _cell(expression: str) -> str:
    """SQL for a text cell: made inert for spreadsheets (quoting is done in Python)."""
    return sql_neutralise(expression)


def _line(cells: list[str], rest: str) -> str:
    """Numbers, codes and ISO dates go as they are; printf writes NULL as an empty cell."""
    return f"SELECT {printf_line(cells)} {rest}"


def _chunked(cells: list[str], source: str, key: str) -> str:
    """Export in chunks for a table read in id order (exchange.chunks.chunk_sql): its lines
    joined by RECORD. No Python object per row: fetching 3M lines one by one costs a third
    of the export."""
    return chunk_sql(printf_line(cells), source, key, RECORD)


def csv_text(lines: list[str], width: int | None = None) -> str:
    """Lines of UNIT-separated cells -> CSV text (tracker.csv_lines)."""
    return csv_blob(RECORD.join(lines), len(lines), width, "export json")


# A rating as Letterboxd writes it: 4, 4.5, 0.5.
_RATING = (
    "(CASE WHEN v.rating = CAST(v.rating AS INTEGER) THEN CAST(v.rating AS INTEGER)"
    " ELSE v.rating END)"
)

FILM_CELLS = ["id", _cell("title"), "year", _cell("franchise"), "instalment"]
RELEASE_CELLS = [
    "r.film_id", "r.country", "r.type", "r.date", "r.date_start", "r.date_end", "r.announced",
    _cell("r.source"), _cell("r.note"),
]  # fmt: skip

TABLES: dict[str, Table] = {
    "films": Table(
        "films",
        ("id", "title", "year", "franchise", "instalment"),
        _line(FILM_CELLS, "FROM films ORDER BY id"),
        "INSERT INTO films (id, title, title_key, year, franchise, instalment)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        _films_parse,
        _films_explain,
        "SELECT count(*) FROM films",
        "films",
        target="films",
        explicit_ids=True,
        chunk_sql=_chunked(FILM_CELLS, "films", "id"),
        check_batch=_films_check,
    ),
    "releases": Table(
        "releases",
        # No title column: joining films for it makes the export of millions of rows a
        # third slower; film_id matches the id column of films.csv.
        ("film_id", "country", "type", "date", "announced", "source", "note"),
        _line(RELEASE_CELLS, "FROM releases r ORDER BY r.id"),
        "INSERT INTO releases (film_id, country, type, date, date_start, date_end, announced,"
        " announced_start, source, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        _releases_parse,
        _film_explain,
        "SELECT count(*) FROM releases",
        "releases",
        target="releases",
        chunk_sql=_chunked(RELEASE_CELLS, "releases r", "r.id"),
        # The first and last day of each date's window, so a spreadsheet can sort dates of
        # every precision (2021, 2021-Q3, 2021-07, 2021-07-16) together.
        export_columns=(
            "film_id",
            "country",
            "type",
            "date",
            "date_start",
            "date_end",
            "announced",
            "source",
            "note",
        ),  # fmt: skip
    ),
    "watchlists": Table(
        "watchlists",
        ("list", "description", "film_id", "title", "priority", "note", "added"),
        _line(
            [
                _cell("w.name"),
                _cell("w.description"),
                "e.film_id",
                _cell("f.title"),
                "e.priority",
                _cell("e.note"),
                "e.added",
            ],
            "FROM watchlists w LEFT JOIN watchlist_entries e ON e.watchlist_id = w.id"
            " LEFT JOIN films f ON f.id = e.film_id ORDER BY w.id, e.id",
        ),
        "INSERT INTO watchlist_entries (watchlist_id, film_id, priority, note, added)"
        " VALUES (?, ?, ?, ?, ?)",
        _watchlists_parse,
        _watchlists_explain,
        target="watchlist_entries",
    ),
    "diary": Table(
        "diary",
        ("film_id", "title", "seen_on", "rating", "where", "note", "rewatch", "tags", "review"),
        _line(
            [
                "v.film_id",
                _cell("f.title"),
                "v.seen_on",
                _RATING,
                "v.place",
                _cell("v.note"),
                "CASE WHEN v.rewatch THEN 'true' ELSE 'false' END",
                _cell("v.tags"),
                _cell("v.review"),
            ],
            "FROM viewings v JOIN films f ON f.id = v.film_id ORDER BY v.id",
        ),
        "INSERT INTO viewings (film_id, seen_on, rating, place, note, rewatch, tags, review)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        _diary_parse,
        _film_explain,
        target="viewings",
        # Letterboxd's fields (m008): a diary exported before them has none.
        optional=("rewatch", "tags", "review"),
    ),
}


def table(name: str) -> Table:
    from tracker.choices import choose

    return TABLES[choose(name, tuple(TABLES), "CSV table")]


# Export -----------------------------------------------------------------------------------


def export(store: Store, name: str, out: IO[str], progress: Progress | None = None) -> int:
    """Write a table as CSV (RFC 4180: CRLF, minimal quoting) to a text stream opened with
    newline=""; returns the row count. Streams: memory does not grow with the table."""
    spec = table(name)
    out.write(",".join(spec.header) + "\r\n")
    total = 0
    if progress is not None and spec.count_sql:
        total = int(store.value(spec.count_sql))
    if spec.chunk_sql:
        return _export_chunks(store, spec, out, progress, total)
    cursor = store.conn.cursor()
    cursor.row_factory = None
    cursor.arraysize = BATCH
    cursor.execute(spec.export_sql)
    done = 0
    while True:
        rows = cursor.fetchmany()
        if not rows:
            break
        out.write(csv_text([line for (line,) in rows], len(spec.header)))
        done += len(rows)
        if progress is not None:
            progress(done, max(total, done))
    return done


EXPORT_CHUNK = BATCH


def _export_chunks(
    store: Store, spec: Table, out: IO[str], progress: Progress | None, total: int
) -> int:
    """SQLite builds the next chunk while a writer thread quotes and writes the one before
    (exchange.chunks.write_behind), all in one read snapshot."""
    width = len(spec.header)
    done = 0

    def chunks() -> Iterator[tuple[int, str]]:
        nonlocal done
        for count, blob in read_chunks(store, spec.chunk_sql, lambda: EXPORT_CHUNK):
            yield count, blob
            done += count
            if progress is not None:
                progress(done, max(total, done))

    conn = store.conn
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")  # one snapshot for every chunk
    try:
        write_behind(
            chunks(),
            lambda chunk: out.write(csv_blob(chunk[1], chunk[0], width, "export json")),
            depth=2,
        )
    finally:
        if own:
            conn.execute("COMMIT")
    return done


# Import -----------------------------------------------------------------------------------


class _DryRun(Exception):
    pass


@dataclass
class ImportResult:
    table: str
    rows: int
    dry_run: bool


# The import streams, so only a size no table of films plausibly reaches is refused.
MAX_CSV_BYTES = 8 * 1024**3


def open_csv(path: Path, limit: int = MAX_CSV_BYTES) -> tuple[IO[bytes], IO[str]]:
    from tracker.files import check_input

    check_input(path, limit=limit, kind="CSV file")
    try:
        raw = path.open("rb")
    except FileNotFoundError:
        raise BadFile(f"{path}: no such file") from None
    except OSError as error:
        raise BadFile(f"{path}: cannot read: {error.strerror}") from None
    # utf-8-sig drops a BOM; newline="" lets csv see CRLF and quoted newlines as written.
    return raw, io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")


def check_header(
    path: Path,
    header: Sequence[str],
    columns: Sequence[str],
    derived: Sequence[str] = (),
    optional: Sequence[str] = (),
) -> list[int]:
    """Where each expected column is in the file's header (-1: an `optional` one it lacks);
    missing or unknown ones fail (`derived` ones may be there or not)."""
    names = [cell.strip().lower() for cell in header]
    missing = [column for column in columns if column not in names and column not in optional]
    unknown = [name for name in names if name not in columns and name not in derived]
    if missing or unknown:
        parts = []
        if missing:
            parts.append("missing column" + "s" * (len(missing) > 1) + " " + ", ".join(missing))
        if unknown:
            shown = ", ".join(repr(name) for name in unknown)
            parts.append("unknown column" + "s" * (len(unknown) > 1) + " " + shown)
        raise BadFile(f"{path}: line 1: {'; '.join(parts)} (expected: {', '.join(columns)})")
    if len(set(names)) != len(names):
        raise BadFile(f"{path}: line 1: a column is named twice")
    return [names.index(column) if column in names else -1 for column in columns]


def import_csv(
    store: Store,
    name: str,
    path: Path,
    *,
    today: datetime.date,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Read a CSV written by `export` (same columns, any order) into its table: all or
    nothing, in one transaction."""
    spec = table(name)
    state = ImportState(store, today)
    count = 0
    try:
        with store.transaction():
            if spec.explicit_ids:
                state.tombstones = bool(
                    store.value("SELECT EXISTS (SELECT 1 FROM release_tombstones)")
                )
            bulk = bool(spec.bulk_target) and not store.value(
                f"SELECT EXISTS (SELECT 1 FROM {spec.bulk_target})"
            )
            # Rows go in without the per-row undo trigger; undo gets one compact entry.
            state.appends = AppendLog(store)
            state.appends.watch(spec.target)
            try:
                count = _load_file(store, spec, path, state, progress, bulk=bulk)
            except _Rebuild:
                # A unique index could not be built again: load the slow way, which
                # names the first bad line. (The first try was rolled back: start afresh.)
                state.appends.low.clear()
                count = _load_file(store, spec, path, state, progress, bulk=False)
            state.appends.close()
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return ImportResult(spec.name, count, dry_run)


class _Rebuild(Exception):
    pass


def _load_file(
    store: Store,
    spec: Table,
    path: Path,
    state: ImportState,
    progress: Progress | None,
    *,
    bulk: bool,
) -> int:
    raw, text = open_csv(path)
    size = path.stat().st_size
    state.bulk = bulk
    with raw:
        if not bulk:
            return _load(store, spec, path, text, state, raw, size, progress)
        with store.transaction():  # a savepoint: a failed rebuild brings the indexes back
            indexes = store.rows(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?"
                " AND sql IS NOT NULL",
                [spec.bulk_target],
            )
            for index in indexes:
                store.conn.execute(f'DROP INDEX "{index["name"]}"')
            count = _load(store, spec, path, text, state, raw, size, progress)
            try:
                for index in indexes:
                    store.conn.execute(index["sql"])
            except sqlite3.IntegrityError:
                raise _Rebuild from None
        return count


def _load(
    store: Store,
    spec: Table,
    path: Path,
    text: IO[str],
    state: ImportState,
    raw: IO[bytes],
    size: int,
    progress: Progress | None,
) -> int:
    reader = csv.reader(text, strict=True)
    try:
        return _load_rows(store, spec, path, reader, state, raw, size, progress)
    except csv.Error as error:
        raise BadFile(f"{path}: line {reader.line_num}: {error}") from None
    except UnicodeDecodeError:
        raise BadFile(f"{path}: line {_first_undecodable_line(raw)}: not UTF-8 text") from None
    except OSError as error:
        raise BadFile(f"{path}: cannot read: {error.strerror or error}") from None


def _first_undecodable_line(raw: IO[bytes]) -> int:
    """The line of the first byte that is not UTF-8: text is decoded a block at a time,
    so the reader's own line count can be lines behind (a character never spans lines)."""
    raw.seek(0)
    number = 0
    for number, line in enumerate(raw, 1):  # noqa: B007 (the last number is the answer)
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            return number
    return number


def _load_rows(
    store: Store,
    spec: Table,
    path: Path,
    reader: Any,
    state: ImportState,
    raw: IO[bytes],
    size: int,
    progress: Progress | None,
) -> int:
    """The hot loop: kept lean (a million rows pass through it)."""
    header = next(reader, None)
    while header == []:
        header = next(reader, None)
    if header is None:
        raise BadFile(f"{path}: empty file (expected a header: {', '.join(spec.columns)})")
    derived = [column for column in spec.header if column not in spec.columns]
    order = check_header(path, header, spec.columns, derived, spec.optional)
    in_order = order == list(range(len(spec.columns))) and len(header) == len(order)
    width = len(header)
    # An optional column the file lacks reads the empty cell appended to each row.
    padded = -1 in order
    order = [width if index == -1 else index for index in order]
    parse = spec.parse
    check = spec.check_batch
    batch: list[tuple[Any, ...]] = []
    lines: list[int] = []
    count = 0
    end = reader.line_num
    for cells in reader:
        line, end = end + 1, reader.line_num  # a record may span lines (quoted newlines)
        if len(cells) != width:
            if not cells:
                continue  # a blank line
            raise BadFile(f"{path}: line {line}: expected {width} cells, found {len(cells)}")
        try:
            if padded:
                cells.append("")
            params = parse(cells if in_order else [cells[i] for i in order], state)
        except CellError as error:
            raise BadFile(f"{path}: line {line}, column {error.column}: {error.reason}") from None
        except TrackerError as error:
            raise BadFile(f"{path}: line {line}: {error}") from None
        count += 1
        if params is None:
            continue
        batch.append(params)
        lines.append(line)
        if len(batch) >= BATCH:
            if check is not None:
                check(store, path, batch, lines, state)
            _insert(store, spec, path, batch, lines, state.appends)
            batch, lines = [], []
            if progress is not None:
                progress(min(raw.tell(), size), size)
    if check is not None and batch:
        check(store, path, batch, lines, state)
    _insert(store, spec, path, batch, lines, state.appends)
    if progress is not None:
        progress(size, size)
    return count


def _insert(
    store: Store,
    spec: Table,
    path: Path,
    batch: list[tuple[Any, ...]],
    lines: list[int],
    appends: AppendLog | None,
) -> None:
    """executemany for speed (the target's undo trigger is off: `appends` logs the compact
    undo); when a row breaks a constraint, replay the batch row by row to name its line."""
    if not batch:
        return

    def name_it() -> None:
        for line, params in zip(lines, batch, strict=True):
            try:
                store.conn.execute(spec.insert_sql, params)
            except sqlite3.IntegrityError as error:
                column, reason = spec.explain(str(error), params)
                raise BadFile(f"{path}: line {line}, column {column}: {reason}") from None

    insert_batch(store, spec.insert_sql, batch, name_it)
    if spec.explicit_ids and appends is not None:
        appends.explicit(spec.target, (params[0] for params in batch))
