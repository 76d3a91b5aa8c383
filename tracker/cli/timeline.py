"""Commands that tell the story: timeline (and its chart), delays, filming, clashes."""

import itertools
from typing import Annotated

import typer

from tracker.cli.common import (
    CountryOpt,
    Format,
    FormatOpt,
    FranchiseOpt,
    LimitOpt,
    TableFmtOpt,
    emit,
    say,
    state,
    write,
    write_behind,
)
from tracker.render import columns_of
from tracker.views.rows import ClashRow, DelayRow, FilmingRow

DELAY_COLUMNS = columns_of(DelayRow)
CLASH_COLUMNS = columns_of(ClashRow)
FILMING_COLUMNS = columns_of(FilmingRow)


def timeline(
    ctx: typer.Context,
    films: Annotated[
        list[str] | None, typer.Argument(metavar="[FILM]...", help="Films (default: all).")
    ] = None,
    franchise: FranchiseOpt = None,
    since: Annotated[
        str | None, typer.Option("--from", help="Only facts from this date (any precision).")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--to", help="Only facts up to this date (any precision).")
    ] = None,
    kind: Annotated[
        list[str] | None,
        typer.Option(
            "--kind",
            "-k",
            help="Only these kinds: status, shoot_start, shoot_end, release_announced, release, retitle, note; repeatable.",
        ),
    ] = None,
    chart: Annotated[
        bool, typer.Option("--chart", help="Draw a text Gantt chart of the phases instead.")
    ] = False,
    limit: LimitOpt = None,
    fmt: FormatOpt = Format.table,
    tablefmt: TableFmtOpt = "simple",
) -> None:
    """Every dated fact of films in order, grouped by year and month, as of today.

    In JSON or CSV, id is the fact's id in its kind (amend KIND ID): a retitle's is a title id.

    Example: tracker --today 2020-10-15 timeline "Mission: Impossible 7"
    """
    from tracker.dates import parse_date
    from tracker.views.timeline import COLUMNS, select_films, timeline_lines
    from tracker.views.timeline import timeline as build

    current = state(ctx)
    store = current.store
    chosen = select_films(store, films or [], franchise, current.today)
    if chart:
        import shutil

        from tracker.errors import InvalidValue
        from tracker.views.chart import chart as draw

        if fmt is not Format.table:
            raise InvalidValue("--chart draws text; leave out --format")
        if limit is not None:
            raise InvalidValue("--chart draws every phase; leave out --limit")
        width = shutil.get_terminal_size((80, 24)).columns
        say(draw(store, chosen.films(store, current.today), current.today, width=width))
        return
    rows = build(
        store,
        chosen,
        current.today,
        since=parse_date(since) if since is not None else None,
        until=parse_date(until) if until is not None else None,
        kinds=kind or [],
        limit=limit,
    )
    if fmt is Format.table:
        lines = timeline_lines(rows, with_film=chosen.several(store))
        heading = next(lines, None)
        if heading is None:
            say("No facts to show.")
            return
        write(f"{line}\n" for line in itertools.chain([heading], lines))
        return
    emit(rows, fmt, columns=COLUMNS, tablefmt=tablefmt)


def delays(
    ctx: typer.Context,
    franchise: FranchiseOpt = None,
    limit: LimitOpt = None,
    fmt: FormatOpt = Format.table,
    tablefmt: TableFmtOpt = "simple",
) -> None:
    """Per film, country and type: first and current date, moves and shifts; most delayed first.

    Only moves shift a date (a date made exact is refined): total_shift_days is the days of
    every move summed, longest_shift_days the longest move.

    Example: tracker delays --franchise "Mission: Impossible"
    """
    current = state(ctx)
    if fmt is Format.csv:  # millions of rows: SQLite writes the lines (render.sql_csv_line)
        from tracker.cli import common
        from tracker.render import csv_batch, csv_header, sql_csv_line
        from tracker.views.delays import AS_IS_COLUMNS, LINE_COLUMNS, delay_lines

        raw = common.OUTPUT.raw
        line = sql_csv_line(LINE_COLUMNS, AS_IS_COLUMNS, raw=raw)
        lines = delay_lines(
            current.store, current.today, line, raw=raw, franchise=franchise, limit=limit
        )
        # SQLite reads the next batch while a second thread quotes and writes the one
        # before.
        width = len(DELAY_COLUMNS)
        write_behind(csv_header(DELAY_COLUMNS), lines, lambda batch: csv_batch(batch, width))
        return
    from tracker.views.delays import delays as find_delays

    rows = find_delays(current.store, current.today, franchise=franchise, limit=limit)
    emit(rows, fmt, columns=DELAY_COLUMNS, tablefmt=tablefmt, empty="No release dates yet.")


def filming(
    ctx: typer.Context,
    limit: LimitOpt = None,
    fmt: FormatOpt = Format.table,
    tablefmt: TableFmtOpt = "simple",
) -> None:
    """What is filming now (status as of today, or a shoot whose dates hold today), and where.

    Example: tracker --today 2020-10-15 filming
    """
    from tracker.views.production import filming_now

    current = state(ctx)
    rows = filming_now(current.store, current.today, limit=limit)
    emit(rows, fmt, columns=FILMING_COLUMNS, tablefmt=tablefmt, empty="Nothing is filming.")


def clashes(
    ctx: typer.Context,
    days: Annotated[
        int, typer.Option("--days", "-d", help="At most this many days apart (default 7).")
    ] = 7,
    country: CountryOpt = None,
    limit: LimitOpt = None,
    fmt: FormatOpt = Format.table,
    tablefmt: TableFmtOpt = "simple",
) -> None:
    """Pairs of films whose current release days in the same country are close together.

    Example: tracker clashes --days 14 --country US
    """
    from tracker.views.clashes import clashes as find_clashes

    current = state(ctx)
    rows = find_clashes(current.store, current.today, days=days, country=country, limit=limit)
    emit(rows, fmt, columns=CLASH_COLUMNS, tablefmt=tablefmt, empty="No clashes.")
