"""A fan's own commands: watch, seen, diary, changes."""

from typing import Annotated

import typer

from tracker.cli.common import (
    FilmArg,
    Format,
    FormatOpt,
    LimitOpt,
    NoteOpt,
    OnDayOpt,
    TableFmtOpt,
    WatchlistOpt,
    emit,
    say,
    say_when_known,
    state,
)
from tracker.render import columns_of, pick
from tracker.views.rows import ChangeRow

CHANGES_COLUMNS = columns_of(ChangeRow)


def seen(
    ctx: typer.Context,
    film: FilmArg,
    on: OnDayOpt = None,
    rating: Annotated[
        float | None, typer.Option("--rating", "-r", help="0.5 to 5 in halves.")
    ] = None,
    where: Annotated[str | None, typer.Option("--where", help="cinema, home or other.")] = None,
    note: NoteOpt = None,
) -> None:
    """Record that you saw a film (a film may be seen many times).

    Example: tracker seen "Mission: Impossible 7" --on 2023-07-12 --rating 4.5 --where cinema
    """
    from tracker.dates import of_day, parse_day
    from tracker.domain.diary import record_viewing, stars
    from tracker.validation import check_rating

    current = state(ctx)
    store = current.store
    day = parse_day(on) if on else current.today
    check_rating(rating)
    target = state(ctx).film(film)
    with store.transaction():
        record_viewing(
            store, target, seen_on=day, today=current.today, rating=rating, place=where, note=note
        )
    rated = f" {stars(rating)}" if rating is not None else ""
    say(f"Seen {target.title} on {of_day(day).display()}{rated}")
    say_when_known(store, target.id, current.today)


def diary(
    ctx: typer.Context,
    year: Annotated[int | None, typer.Option("--year", "-y", help="Only this year.")] = None,
    limit: LimitOpt = None,
    fmt: FormatOpt = Format.table,
    tablefmt: TableFmtOpt = "simple",
) -> None:
    """The films you have seen, newest first.

    Example: tracker diary --year 2023
    """
    from tracker.domain.diary import DiaryEntry, entries
    from tracker.render import columns_of

    current = state(ctx)
    emit(
        entries(current.store, current.today, year, limit=limit),
        fmt,
        columns=columns_of(DiaryEntry),
        # Letterboxd's rewatch, tags and review: in csv, tsv and json, not in the table.
        table_columns=pick(DiaryEntry, "id", "title", "seen_on", "rating", "where", "note"),
        tablefmt=tablefmt,
        empty="No viewings recorded.",
    )


def changes(
    ctx: typer.Context,
    since: Annotated[str, typer.Option("--since", help="From this day on (e.g. 2020-10-01).")],
    watchlist: WatchlistOpt = None,
    limit: LimitOpt = None,
    fmt: FormatOpt = Format.table,
    tablefmt: TableFmtOpt = "simple",
) -> None:
    """Release moves, status changes and retitles that became known since a day (one dated
    "July" counts from 31 July), newest first.

    Example: tracker --today 2021-01-31 changes --since 2021-01-01 --watchlist watchlist
    """
    from tracker.dates import of_day, parse_date
    from tracker.errors import InvalidDate
    from tracker.views.changes import changes as collect

    current = state(ctx)
    start = parse_date(since).start
    if start is None:
        raise InvalidDate("--since needs a date, not TBA")
    rows = collect(current.store, current.today, since=start, watchlist=watchlist, limit=limit)
    emit(
        rows,
        fmt,
        columns=CHANGES_COLUMNS,
        tablefmt=tablefmt,
        empty=f"No changes since {of_day(start).display()}.",
    )
