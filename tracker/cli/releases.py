"""Commands on release dates: release, upcoming, countdown, history."""

from typing import Annotated

import typer

from tracker.cli.common import (
    AnnouncedOpt,
    CountryOpt,
    FilmArg,
    Format,
    FormatOpt,
    FranchiseOpt,
    LimitOpt,
    NoteOpt,
    SourceOpt,
    TableFmtOpt,
    TypeOpt,
    WatchlistOpt,
    emit,
    say,
    state,
)
from tracker.render import columns_of, pick
from tracker.views.rows import CountdownRow, HistoryEntry, UpcomingRow

UPCOMING_COLUMNS = columns_of(UpcomingRow)
UPCOMING_TABLE = pick(UpcomingRow, "id", "title", "date", "country", "type", "days", "status")
HISTORY_COLUMNS = columns_of(HistoryEntry)
HISTORY_TABLE = pick(
    HistoryEntry,
    "id", "announced", "country", "type", "previous", "date", "change", "shift_days", "note",
)  # fmt: skip


def release(
    ctx: typer.Context,
    film: FilmArg,
    date: Annotated[
        str, typer.Argument(help="2021-11-19, 'Nov 19 2021', 2026-07, 'Q3 2026', 2026 or TBA.")
    ],
    country: CountryOpt = None,
    release_type: TypeOpt = None,
    announced: AnnouncedOpt = None,
    source: SourceOpt = None,
    note: NoteOpt = None,
) -> None:
    """Record a release-date announcement and say what moved.

    Example: tracker release "Mission: Impossible 7" 2022-05-27 --country US --announced 2021 --note pandemic
    """
    from tracker.asof import title_on
    from tracker.dates import parse_date
    from tracker.domain.releases import announce

    current = state(ctx)
    store = current.store
    new_date = parse_date(date)
    when = parse_date(announced) if announced else None
    target = state(ctx).film(film)
    result = announce(
        store,
        target,
        new_date,
        today=current.today,
        country=country,
        release_type=release_type,
        announced=when,
        source=source,
        note=note,
    )
    say(f"{title_on(store, target.id, current.today)} · {result.release.where}: {result.message}")


def upcoming(
    ctx: typer.Context,
    days: Annotated[
        int | None, typer.Option("--days", "-d", help="Only releases within N days.")
    ] = None,
    country: CountryOpt = None,
    release_type: TypeOpt = None,
    franchise: FranchiseOpt = None,
    limit: LimitOpt = None,
    tba: Annotated[
        bool, typer.Option("--tba", help="Also films whose date is TBA (last).")
    ] = False,
    watchlist: WatchlistOpt = None,
    fmt: FormatOpt = Format.table,
    tablefmt: TableFmtOpt = "simple",
) -> None:
    """Films still to come, soonest first: one row per film, its earliest release.

    Example: tracker --today 2020-10-15 upcoming --country US --limit 10
    """
    from tracker.views.releases import upcoming as find_upcoming

    current = state(ctx)
    rows = find_upcoming(
        current.store,
        current.today,
        days=days,
        country=country,
        release_type=release_type,
        franchise=franchise,
        limit=limit,
        tba=tba,
        watchlist=watchlist,
    )
    emit(
        rows,
        fmt,
        columns=UPCOMING_COLUMNS,
        table_columns=UPCOMING_TABLE,
        tablefmt=tablefmt,
        empty="Nothing upcoming.",
    )


def countdown(
    ctx: typer.Context,
    film: Annotated[
        str | None,
        typer.Argument(help="#ID, title or alias, 'Title (YEAR)', ... (or use --watchlist)."),
    ] = None,
    country: CountryOpt = None,
    release_type: TypeOpt = None,
    watchlist: WatchlistOpt = None,
    limit: Annotated[
        int | None,
        typer.Option("--limit", "-l", help="With --watchlist: only the first N films."),
    ] = None,
    fmt: FormatOpt = Format.table,
    tablefmt: TableFmtOpt = "simple",
) -> None:
    """How long until a film's next release (or since its last).

    Example: tracker --today 2020-10-15 countdown "Mission: Impossible 7" --country US
    """
    from tracker.views.releases import countdown as count_down
    from tracker.views.releases import countdown_line

    current = state(ctx)
    store = current.store
    if watchlist is not None or film is None:
        _list_countdown(ctx, film, watchlist, country, release_type, limit, fmt, tablefmt)
        return
    if limit is not None:
        from tracker.errors import InvalidValue

        raise InvalidValue("--limit counts the films of --watchlist; a FILM is one row")
    target = state(ctx).known_film(film)
    row = count_down(store, target, current.today, country=country, release_type=release_type)
    emit(row, fmt, tablefmt=tablefmt, text=countdown_line(row))


COUNTDOWN_COLUMNS = columns_of(CountdownRow)
COUNTDOWN_TABLE = pick(CountdownRow, "id", "title", "date", "country", "type", "human", "status")


def _list_countdown(
    ctx: typer.Context,
    film: str | None,
    watchlist: str | None,
    country: str | None,
    release_type: str | None,
    limit: int | None,
    fmt: Format,
    tablefmt: str,
) -> None:
    from tracker.errors import InvalidValue
    from tracker.views.lists import countdowns

    if film is not None or watchlist is None:
        raise InvalidValue(
            "give a FILM or --watchlist NAME, not both"
            if film
            else "give a FILM or --watchlist NAME"
        )
    current = state(ctx)
    rows = countdowns(
        current.store,
        watchlist,
        current.today,
        country=country,
        release_type=release_type,
        limit=limit,
    )
    emit(
        rows,
        fmt,
        columns=COUNTDOWN_COLUMNS,
        table_columns=COUNTDOWN_TABLE,
        tablefmt=tablefmt,
        empty="No films on this list.",
    )


def history(
    ctx: typer.Context,
    film: FilmArg,
    limit: LimitOpt = None,
    fmt: FormatOpt = Format.table,
    tablefmt: TableFmtOpt = "simple",
) -> None:
    """Every release-date announcement of a film, in the order announced, with each move.

    Example: tracker history "Mission: Impossible 7"
    """
    from tracker.views.releases import history as release_history

    current = state(ctx)
    store = current.store
    rows = release_history(store, state(ctx).known_film(film), current.today, limit=limit)
    emit(
        rows,
        fmt,
        columns=HISTORY_COLUMNS,
        table_columns=HISTORY_TABLE,
        tablefmt=tablefmt,
        empty="No release dates announced yet.",
    )
