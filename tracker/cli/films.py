"""Commands on films: add, edit, remove, status, list, show."""

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
    OnOpt,
    SourceOpt,
    TableFmtOpt,
    TypeOpt,
    WrittenRows,
    YearOpt,
    complete_status,
    emit,
    refuse_nothing_to_change,
    say,
    say_when_known,
    state,
)
from tracker.render import columns_of
from tracker.views.rows import FilmRow

FranchiseNameOpt = Annotated[str | None, typer.Option("--franchise", help="Franchise name.")]
InstalmentOpt = Annotated[
    int | None, typer.Option("--instalment", "-n", help="Number in the franchise.")
]
AliasOpt = Annotated[
    list[str] | None,
    typer.Option("--alias", "-a", help="Another title (working or former); repeatable."),
]
ImdbOpt = Annotated[
    str | None, typer.Option("--imdb", help='IMDb id (tt0117060; edit --imdb "" removes it).')
]
TmdbOpt = Annotated[str | None, typer.Option("--tmdb", help='TMDB movie id (954; "" removes it).')]
WikidataOpt = Annotated[
    str | None, typer.Option("--wikidata", help='Wikidata item (Q17738; "" removes it).')
]
LetterboxdOpt = Annotated[
    str | None,
    typer.Option("--letterboxd", help='Letterboxd film URL ("" removes it).', metavar="URL"),
]
FILM_COLUMNS = columns_of(FilmRow)


def add(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(help="The film's title.")],
    year: YearOpt = None,
    franchise: FranchiseNameOpt = None,
    instalment: InstalmentOpt = None,
    status: Annotated[
        str,
        typer.Option(
            "--status", "-s", help="Status (default announced).", autocompletion=complete_status
        ),
    ] = "announced",
    alias: AliasOpt = None,
    on: Annotated[
        str | None,
        typer.Option("--on", help="When it got its status (default today; any precision)."),
    ] = None,
    release: Annotated[
        str | None, typer.Option("--release", "-r", help="A release date to record.")
    ] = None,
    announced: AnnouncedOpt = None,
    country: CountryOpt = None,
    release_type: TypeOpt = None,
    source: SourceOpt = None,
    note: NoteOpt = None,
    imdb: ImdbOpt = None,
    tmdb: TmdbOpt = None,
    wikidata: WikidataOpt = None,
    letterboxd: LetterboxdOpt = None,
) -> None:
    """Track a new film and print its #ID.

    Example: tracker add "Mission: Impossible 9" --franchise "Mission: Impossible" -n 9 --release 2028 --announced 2025-05
    """
    from tracker.dates import parse_date
    from tracker.domain.films import add_film
    from tracker.domain.identifiers import set_external_ids
    from tracker.domain.releases import announce
    from tracker.errors import InvalidValue

    current = state(ctx)
    date = parse_date(release) if release is not None else None
    status_day = parse_date(on) if on is not None else None
    if announced is not None and date is None:
        raise InvalidValue("--announced is the day --release was announced; give --release too")
    of_release = {"--country": country, "--type": release_type, "--source": source, "--note": note}
    lost = [name for name, value in of_release.items() if value is not None]
    if lost and date is None:
        # They describe the release: without one they would be stored nowhere.
        names = " and ".join([", ".join(lost[:-1]), lost[-1]] if len(lost) > 1 else lost)
        raise InvalidValue(
            f"{names} describe{'s' if len(lost) == 1 else ''} --release; give --release too"
        )
    announced_day = parse_date(announced) if announced is not None else None
    store = current.store
    with store.transaction():
        film = add_film(
            store,
            title,
            today=current.today,
            year=year,
            franchise=franchise,
            instalment=instalment,
            status=status,
            aliases=alias or [],
            on=status_day,
        )
        set_external_ids(
            store, film.id, imdb=imdb, tmdb=tmdb, wikidata=wikidata, letterboxd=letterboxd
        )
        if date is not None:
            announce(
                store,
                film,
                date,
                today=current.today,
                country=country,
                release_type=release_type,
                announced=announced_day,
                source=source,
                note=note,
            )
    say(f"#{film.id}")  # alone on stdout: scripts read the id
    say_when_known(store, film.id, current.today)


def edit(
    ctx: typer.Context,
    film: FilmArg,
    title: Annotated[
        str | None,
        typer.Option(
            "--title", help="New title from today (the old one stays in its title history)."
        ),
    ] = None,
    year: YearOpt = None,
    franchise: FranchiseNameOpt = None,
    instalment: InstalmentOpt = None,
    alias: AliasOpt = None,
    imdb: ImdbOpt = None,
    tmdb: TmdbOpt = None,
    wikidata: WikidataOpt = None,
    letterboxd: LetterboxdOpt = None,
) -> None:
    """Change a film's title, year, franchise, instalment, aliases or external ids (an
    empty id removes it).

    Example: tracker edit "Mission: Impossible 8" --title "Mission: Impossible – The Final Reckoning"
    """
    from tracker.asof import film_on
    from tracker.dates import of_day
    from tracker.domain.films import edit_film, resolve
    from tracker.domain.identifiers import set_external_ids

    refuse_nothing_to_change(
        {
            "--title": title,
            "--year": year,
            "--franchise": franchise,
            "--instalment": instalment,
            "--alias": alias,
            "--imdb": imdb,
            "--tmdb": tmdb,
            "--wikidata": wikidata,
            "--letterboxd": letterboxd,
        }
    )
    current = state(ctx)
    store = current.store
    with store.transaction(), WrittenRows(store) as written:
        changed = edit_film(
            store,
            resolve(store, film, current.today),  # the stored film: edit changes its latest title
            title=title,
            year=year,
            franchise=franchise,
            instalment=instalment,
            aliases=alias or [],
            on=of_day(current.today),
        )
        set_external_ids(
            store, changed.id, imdb=imdb, tmdb=tmdb, wikidata=wikidata, letterboxd=letterboxd
        )
    # Named as of the day, like every message: its title from today is the new one.
    say(
        f"{'Updated' if written else 'Nothing changed:'} {film_on(store, changed, current.today).label}"
    )


def remove(
    ctx: typer.Context,
    film: FilmArg,
    yes: Annotated[
        bool, typer.Option("--yes", help="Confirm: delete the film and all its history.")
    ] = False,
) -> None:
    """Delete a film and everything recorded about it.

    Example: tracker remove "Mission: Impossible 2" --yes
    """
    from tracker.domain.films import remove_film
    from tracker.errors import InvalidValue

    store = state(ctx).store
    target = state(ctx).film(film)
    if not yes:
        raise InvalidValue(f"removing {target.label} deletes all its history; add --yes to confirm")
    with store.transaction():
        remove_film(store, target)
    say(f"Removed {target.label}")


def status(
    ctx: typer.Context,
    film: FilmArg,
    new_status: Annotated[
        str,
        typer.Argument(
            metavar="STATUS",
            autocompletion=complete_status,
            help="rumored, announced, development, pre-production, filming, paused, wrapped, post-production, completed, released or cancelled.",
        ),
    ],
    on: OnOpt = None,
    note: NoteOpt = None,
    source: SourceOpt = None,
) -> None:
    """Record a change of production status.

    Example: tracker status "Mission: Impossible 7" paused --on 2020-02 --note "COVID-19 outbreak in Italy"
    """
    from tracker.dates import counting_from, of_day, parse_date
    from tracker.domain.films import record_status

    current = state(ctx)
    store = current.store
    when = parse_date(on) if on else of_day(current.today)
    target = state(ctx).film(film)
    with store.transaction():
        new = record_status(store, target.id, new_status, when, note, source, today=current.today)
    said = f"{target.title}: {new_status.strip().lower()} from {when.display()}"
    say(said + counting_from(when, current.today) if new else f"Already recorded: {said}")


def list_(
    ctx: typer.Context,
    franchise: FranchiseOpt = None,
    with_status: Annotated[
        str | None,
        typer.Option(
            "--status",
            "-s",
            help="Only films with this status today.",
            autocompletion=complete_status,
        ),
    ] = None,
    title: Annotated[
        str | None,
        typer.Option("--title", help="Only films with this in a title (any case, accents...)."),
    ] = None,
    limit: LimitOpt = None,
    fmt: FormatOpt = Format.table,
    tablefmt: TableFmtOpt = "simple",
) -> None:
    """List tracked films with their status as of today.

    Example: tracker list --franchise "Mission: Impossible" --format json
    """
    from tracker.views.films import list_films

    current = state(ctx)
    rows = list_films(
        current.store,
        current.today,
        franchise=franchise,
        status=with_status,
        title=title,
        limit=limit,
    )
    emit(rows, fmt, columns=FILM_COLUMNS, tablefmt=tablefmt, empty="No films.")


def show(
    ctx: typer.Context,
    film: FilmArg,
    fmt: FormatOpt = Format.table,
    tablefmt: TableFmtOpt = "simple",
) -> None:
    """Everything known about a film as of today.

    Example: tracker --today 2020-10-15 show "Mission: Impossible 7"
    """
    from tracker.views.overview import show as overview

    current = state(ctx)
    store = current.store
    emit(overview(store, state(ctx).known_film(film), current.today), fmt, tablefmt=tablefmt)
