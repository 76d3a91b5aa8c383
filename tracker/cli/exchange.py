"""export and import: the whole database as JSON, one table as CSV, Letterboxd files, calendars."""

import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Annotated

import typer

from tracker.cli.common import (
    CountryOpt,
    Format,
    FormatOpt,
    WatchlistOpt,
    emit,
    say,
    state,
)
from tracker.store import Store

OutputOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="File to write (default: standard output).")
]


def export_json(ctx: typer.Context, output: OutputOpt = None) -> None:
    """The whole database as one JSON document that `import json` reads back.

    Example: tracker export json -o backup.json
    """
    from tracker.exchange.json import write_export

    store = state(ctx).store
    if output is not None:
        _check_output(store, output)  # before the export's work
    with _output(store, output) as out:
        write_export(store, out)  # a chunk of films at a time, as it is read
    if output is not None:
        say(f"Wrote {output}")


def import_json(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A file written by `tracker export json`.")],
) -> None:
    """Load a JSON export: all or nothing.

    Example: tracker --db fresh.db import json backup.json
    """
    from tracker.exchange.json import import_file

    current = state(ctx)
    counts = import_file(current.store, file, today=current.today)
    say("Imported " + ", ".join(_counted(count, name) for name, count in counts.items()))


# A JSON export's sections, as a person counts their items (one, many).
_SECTION_NOUNS = {
    "people": ("person", "people"),
    "diary": ("diary entry", "diary entries"),
    "deleted_releases": ("deleted release", "deleted releases"),
}


def _counted(count: int, section: str) -> str:
    """'1 film', '29 sources', '2 diary entries': a section's items counted."""
    one, many = _SECTION_NOUNS.get(section, (section.removesuffix("s"), section))
    return f"{count} {one if count == 1 else many}"


def _rows_of(count: int, table: str) -> str:
    """'9 rows of films', '1 row of diary': a CSV file's rows, of the table they hold."""
    return f"{count} {'row' if count == 1 else 'rows'} of {table}"


FilesArg = Annotated[list[Path], typer.Argument(help="Saved API responses (JSON).")]


def import_tmdb(ctx: typer.Context, files: FilesArg, fmt: FormatOpt = Format.table) -> None:
    """Saved TMDB responses: /movie/{id} (with append_to_response=release_dates and optionally
    alternative_titles,credits), /movie/{id}/release_dates, /collection/{id}, or
    /movie/{id}/changes (named movie-ID-changes.json; each release-date change becomes an
    announcement dated by its time). Only what differs from what is current is recorded; all
    or nothing.

    Example: tracker import tmdb movie-47964.json movie-47964-release_dates.json
    """
    _import_remote(ctx, "tmdb", files, fmt)


def import_wikidata(ctx: typer.Context, files: FilesArg, fmt: FormatOpt = Format.table) -> None:
    """Saved Wikidata entity JSON ({"entities": ...}) or query-service SPARQL JSON results:
    publication dates (P577, with P291 countries), title, franchise, director, cast, filming
    locations and ids. Only what differs from what is current is recorded; all or nothing.

    Example: tracker import wikidata Q2262932.json
    """
    _import_remote(ctx, "wikidata", files, fmt)


def _import_remote(ctx: typer.Context, source: str, files: list[Path], fmt: Format) -> None:
    from tracker.exchange.remote_import import REPORT_COLUMNS, import_files

    current = state(ctx)
    reports = import_files(current.store, source, files, today=current.today)
    emit([report.row() for report in reports], fmt, columns=REPORT_COLUMNS)


TableArg = Annotated[str, typer.Argument(help="films, releases, watchlists or diary.")]


BomOpt = Annotated[
    bool,
    typer.Option(
        "--bom",
        help="Start the file with a UTF-8 byte-order mark, which spreadsheets (LibreOffice,"
        " Excel) need to read accented letters right.",
    ),
]


def _check_output(store: Store, output: Path) -> None:
    """Refuse an unsafe -o (the database, another SQLite file, a device...) up front."""
    from tracker.files import database_files, output_target

    output_target(output, protect=database_files(store.path))


@contextmanager
def _output(store: Store, output: Path | None) -> Iterator[IO[str]]:
    """The file to write (newline="" so csv's CRLF stays as is), replaced whole when the
    export is complete (tracker.files), or standard output."""
    from tracker.files import database_files, text_output

    if output is None:
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None:
            yield sys.stdout
            sys.stdout.flush()
            return
        # Our own wrapper: UTF-8 whatever the locale, lines as written, a large buffer.
        sys.stdout.flush()
        stream = io.TextIOWrapper(buffer, encoding="utf-8", newline="")
        try:
            yield stream
        finally:
            stream.flush()
            stream.detach()
        return
    with text_output(output, protect=database_files(store.path)) as handle:
        yield handle


def export_csv(
    ctx: typer.Context, table: TableArg, output: OutputOpt = None, bom: BomOpt = False
) -> None:
    """One table as CSV for spreadsheets (releases: the full history, with date_start and
    date_end to sort by); `import csv` reads it. Cells a spreadsheet would run as formulas
    start with ' (import takes it off).

    Example: tracker export csv releases --bom -o releases.csv
    """
    from tracker.cli.progress import progress_bar
    from tracker.exchange.csv import export
    from tracker.exchange.csv import table as check_table

    check_table(table)  # before a file is made
    store = state(ctx).store
    with (
        _output(store, output) as out,
        progress_bar(f"Exporting {table}", data_on_stdout=output is None) as progress,
    ):
        if bom:
            out.write("\ufeff")
        count = export(store, table, out, progress)
    if output is not None:
        say(f"Wrote {_rows_of(count, table)} to {output}")


def import_csv(
    ctx: typer.Context,
    table: TableArg,
    file: Annotated[Path, typer.Argument(help="A CSV with the columns `export csv` writes.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check every row, then write nothing.")
    ] = False,
) -> None:
    """Read a CSV into a table: all or nothing; the first bad row stops it.

    Example: tracker --db fresh.db import csv films films.csv --dry-run
    """
    from tracker.cli.progress import progress_bar
    from tracker.exchange.csv import import_csv as load

    current = state(ctx)
    with progress_bar(f"Importing {file.name}") as progress:
        store = current.store_to_check() if dry_run else current.store
        result = load(store, table, file, today=current.today, dry_run=dry_run, progress=progress)
    if result.dry_run:
        verb = "is" if result.rows == 1 else "are"
        say(f"Dry run: {_rows_of(result.rows, result.table)} {verb} fine; nothing written")
    else:
        say(f"Imported {_rows_of(result.rows, result.table)}")


def import_letterboxd(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            help="A file of Letterboxd's export: diary.csv, reviews.csv, ratings.csv,"
            " watched.csv or watchlist.csv."
        ),
    ],
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            help="diary, reviews, ratings, watched or watchlist (default: from the columns,"
            " and for watched/watchlist the file name).",
        ),
    ] = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="List the films matched loosely.")
    ] = False,
) -> None:
    """Letterboxd's export into your diary, ratings and `watchlist` list: films found by
    their Letterboxd URI, then by title and year; new ones added. Reviews join their diary
    entry; watched.csv films are seen on a day not known. Also reads what `export letterboxd`
    writes (a list's with --kind watchlist). Importing a file again changes nothing.

    Example: tracker import letterboxd letterboxd-export/diary.csv
    """
    from tracker.exchange.letterboxd import import_file
    from tracker.files import check_input

    check_input(file, limit=256 * 1024**2, kind="Letterboxd export")  # theirs are small
    current = state(ctx)
    result = import_file(current.store, file, today=current.today, kind=kind)
    target = {"watchlist": "the watchlist", "ratings": "ratings"}.get(result.kind, "the diary")
    loose = len(result.loose)
    hint = " (--verbose lists them)" if loose and not verbose else ""
    say(
        f"Read {result.rows} rows from {file.name}: {result.entries_added} added to {target},"
        f" {result.updated} updated, {result.skipped} already there;"
        f" {result.films_added} new film{'' if result.films_added == 1 else 's'},"
        f" {loose} matched loosely{hint}"
    )
    if verbose:
        for named, film in result.loose:
            say(f"  {named} -> {film}")


def export_letterboxd(
    ctx: typer.Context,
    watchlist: WatchlistOpt = None,
    output: OutputOpt = None,
    bom: BomOpt = False,
) -> None:
    """Your diary (or a list's films) as of today as a CSV Letterboxd's importer accepts:
    Title, Year, imdbID, tmdbID, LetterboxdURI, WatchedDate, Rating, Rewatch, Tags, Review
    (`import letterboxd` reads it back).

    Example: tracker export letterboxd -o letterboxd.csv
    """
    from tracker.domain.watchlists import get_list
    from tracker.exchange.letterboxd import export

    current = state(ctx)
    store = current.store
    if watchlist is not None:
        get_list(store, watchlist)  # before a file is made
    with _output(store, output) as out:
        if bom:
            out.write("\ufeff")
        count = export(store, out, today=current.today, watchlist=watchlist)
    if output is not None:
        say(f"Wrote {count} {'row' if count == 1 else 'rows'} to {output}")


def export_ics(
    ctx: typer.Context,
    watchlist: WatchlistOpt = None,
    country: CountryOpt = None,
    release_types: Annotated[
        list[str] | None,
        typer.Option(
            "--type", "-t", help="Only this release type (repeatable): premiere, theatrical, ..."
        ),
    ] = None,
    franchise: Annotated[
        str | None, typer.Option("--franchise", help="Only films of this franchise.")
    ] = None,
    days: Annotated[
        int | None, typer.Option("--days", "-d", help="Only releases in the next N days.")
    ] = None,
    approximate: Annotated[
        bool,
        typer.Option(
            "--approximate",
            help="Month and quarter dates as tentative events on the window's first day.",
        ),
    ] = False,
    output: OutputOpt = None,
) -> None:
    """Release dates as an iCalendar file: one all-day event per current release; events
    update in place when a date moves, and stay 90 days as cancelled when it is gone.

    Example: tracker export ics --watchlist watchlist --country US -o releases.ics
    """
    from tracker.exchange.ics import Filters, stream

    current = state(ctx)
    if output is not None:
        _check_output(current.store, output)  # before the calendar's work
    filters = Filters(watchlist, country, tuple(release_types or ()), franchise, days, approximate)
    result = stream(current.store, current.today, filters)
    with _output(current.store, output) as out:
        out.writelines(result)  # an event at a time, as it is read
    if result.left_out:
        hint = "" if approximate else " (add --approximate for month and quarter dates)"
        typer.echo(
            f"Left out {result.left_out} release{'' if result.left_out == 1 else 's'}"
            f" without an exact day{hint}",
            err=True,
        )
    if output is not None:
        say(f"Wrote {result.events} event{'' if result.events == 1 else 's'} to {output}")
