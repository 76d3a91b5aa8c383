"""Commands on production: shoot, credit, person, note, retitle, sources, source."""

from typing import Annotated

import typer

from tracker.cli.common import (
    FilmArg,
    Format,
    FormatOpt,
    LimitOpt,
    NoteOpt,
    OnOpt,
    SourceOpt,
    TableFmtOpt,
    WrittenRows,
    complete_kind,
    emit,
    refuse_nothing_to_change,
    say,
    state,
)
from tracker.render import columns_of
from tracker.views.rows import PersonFilm

ShootArg = Annotated[str, typer.Argument(help="The shoot's #ID (see `tracker shoot list`).")]
PlaceOpt = Annotated[str | None, typer.Option("--place", help="New place name.")]
RegionOpt = Annotated[
    str | None, typer.Option("--region", help="Region or municipality (e.g. Rauma).")
]
FromOpt = Annotated[
    str | None, typer.Option("--from", help="When filming there started (any precision).")
]
ToOpt = Annotated[
    str | None, typer.Option("--to", help="When filming there ended (any precision).")
]
AlsoOpt = Annotated[
    list[str] | None,
    typer.Option("--also", help="Another film shot there too (back to back); repeatable."),
]
PERSON_COLUMNS = columns_of(PersonFilm)


ShootAnnouncedOpt = Annotated[
    str | None,
    typer.Option(
        "--announced",
        help="When the shoot was announced: a planned shoot, start and end, counts from then"
        " (default: from its start).",
    ),
]


def shoot_add(
    ctx: typer.Context,
    film: FilmArg,
    place: Annotated[str, typer.Argument(help="Where: a town, a site (e.g. Stranda).")],
    country: Annotated[
        str, typer.Option("--country", "-c", help="ISO country code or name (NO, Norway).")
    ],
    region: RegionOpt = None,
    start: FromOpt = None,
    end: ToOpt = None,
    also: AlsoOpt = None,
    note: NoteOpt = None,
    source: SourceOpt = None,
    announced: ShootAnnouncedOpt = None,
) -> None:
    """Record a filming location of a film (and of films shot with it); prints its #ID.

    Example: tracker shoot add "Mission: Impossible 7" Stranda --country Norway --to 2020-10 --also "Mission: Impossible 8" --note "fight on top of a moving train"
    """
    from tracker.dates import TBA, counting_from, parse_date
    from tracker.domain.shoots import add_shoot

    current = state(ctx)
    store = current.store
    first = parse_date(start) if start else TBA
    last = parse_date(end) if end else TBA
    told = parse_date(announced) if announced is not None else TBA
    films = [state(ctx).film(name) for name in [film, *(also or [])]]
    with store.transaction():
        shoot = add_shoot(
            store,
            films,
            place,
            country,
            region=region,
            start=first,
            end=last,
            note=note,
            source=source,
            announced=told,
            today=current.today,
        )
    say(f"#{shoot.id}")  # alone on stdout: scripts read the id
    # Said aside when the day it counts from is still ahead.
    waiting = counting_from(shoot.counts_from, current.today)
    if waiting:
        typer.echo(f"Note: shoot #{shoot.id} {waiting.removeprefix('; ')}", err=True)


def shoot_list(
    ctx: typer.Context,
    film: Annotated[str | None, typer.Argument(help="Only this film's shoots.")] = None,
    country: Annotated[
        str | None, typer.Option("--country", "-c", help="Only shoots in this country.")
    ] = None,
    now: Annotated[bool, typer.Option("--now", help="Only shoots whose dates hold today.")] = False,
    limit: LimitOpt = None,
    fmt: FormatOpt = Format.table,
    tablefmt: TableFmtOpt = "simple",
) -> None:
    """List filming locations known as of today, in date order.

    A shoot counts from its start, and its end shows once it has passed.

    A shoot given --announced counts from that day, its planned start and end with it.

    A film's shoots wait until the film itself is known.

    Example: tracker shoot list "Mission: Impossible 7" --country NO
    """
    from tracker.render import columns_of
    from tracker.views.production import ShootRow, list_shoots

    current = state(ctx)
    store = current.store
    rows = list_shoots(
        store,
        current.today,
        film=state(ctx).film(film) if film is not None else None,
        country=country,
        now=now,
        limit=limit,
    )
    emit(rows, fmt, columns=columns_of(ShootRow), tablefmt=tablefmt, empty="No shoots.")


def shoot_edit(
    ctx: typer.Context,
    shoot: ShootArg,
    place: PlaceOpt = None,
    region: RegionOpt = None,
    country: Annotated[
        str | None, typer.Option("--country", "-c", help="ISO country code or name.")
    ] = None,
    start: FromOpt = None,
    end: ToOpt = None,
    also: AlsoOpt = None,
    note: NoteOpt = None,
    source: SourceOpt = None,
    announced: ShootAnnouncedOpt = None,
) -> None:
    """Change a shoot: TBA clears a date, an empty text clears a region, note or source.

    Example: tracker shoot edit "#2" --from 2020-09 --to 2020-10
    """
    from tracker.dates import parse_date
    from tracker.domain.shoots import edit_shoot, get_shoot, parse_shoot_id

    refuse_nothing_to_change(
        {
            "--place": place,
            "--region": region,
            "--country": country,
            "--from": start,
            "--to": end,
            "--also": also,
            "--note": note,
            "--source": source,
            "--announced": announced,
        }
    )
    current = state(ctx)
    store = current.store
    target = get_shoot(store, parse_shoot_id(shoot))
    first = parse_date(start) if start is not None else None
    last = parse_date(end) if end is not None else None
    told = None if announced is None else parse_date(announced)  # TBA clears it
    films = [state(ctx).film(name) for name in also or []]
    with store.transaction(), WrittenRows(store) as written:
        changed = edit_shoot(
            store,
            target,
            place=place,
            region=region,
            country=country,
            start=first,
            end=last,
            note=note,
            source=source,
            films=films,
            announced=told,
            today=current.today,
        )
    say(f"{'Updated' if written else 'Nothing changed:'} shoot #{changed.id}: {changed.where}")


def shoot_remove(ctx: typer.Context, shoot: ShootArg) -> None:
    """Delete a shoot.

    Example: tracker shoot remove "#3"
    """
    from tracker.domain.shoots import get_shoot, parse_shoot_id, remove_shoot

    store = state(ctx).store
    target = get_shoot(store, parse_shoot_id(shoot))
    with store.transaction():
        remove_shoot(store, target)
    say(f"Removed shoot #{target.id}: {target.where}")


RoleOpt = Annotated[
    str,
    typer.Option(
        "--role",
        "-r",
        help="director, writer, producer, cast, cinematographer, composer, stunts or other.",
    ),
]


def credit_add(
    ctx: typer.Context,
    film: FilmArg,
    person: Annotated[str, typer.Argument(help="The person's name.")],
    role: RoleOpt,
    character: Annotated[
        str | None, typer.Option("--character", help="The character played (cast).")
    ] = None,
) -> None:
    """Credit a person on a film; the same name across films is one person.

    Example: tracker credit add "Mission: Impossible 7" "Shea Whigham" --role cast --character "Jasper Briggs"
    """
    from tracker.domain.people import add_credit

    store = state(ctx).store
    target = state(ctx).film(film)
    with store.transaction():
        message = add_credit(store, target, person, role, character)
    say(message)


def credit_remove(
    ctx: typer.Context,
    film: FilmArg,
    person: Annotated[str, typer.Argument(help="The person's name (or a unique part).")],
    role: Annotated[
        str | None, typer.Option("--role", "-r", help="Only this role (default: all).")
    ] = None,
) -> None:
    """Remove a person's credits on a film.

    Example: tracker credit remove "Mission: Impossible 7" "Simon Pegg" --role cast
    """
    from tracker.domain.people import remove_credit

    store = state(ctx).store
    target = state(ctx).film(film)
    with store.transaction():
        count = remove_credit(store, target, person, role)
    say(f"Removed {count} credit{'' if count == 1 else 's'} from {target.title}")


def person_(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="PERSON", help="A name, or a unique part.")],
    limit: LimitOpt = None,
    fmt: FormatOpt = Format.table,
    tablefmt: TableFmtOpt = "simple",
) -> None:
    """Every film of a person in the database, with role, status and next release.

    Example: tracker person "Christopher McQuarrie"
    """
    from tracker.views.production import person

    current = state(ctx)
    record = person(current.store, name, current.today, limit=limit)
    if fmt is Format.json:
        emit(record, fmt)
        return
    if fmt is not Format.table:
        emit(record["films"], fmt, columns=PERSON_COLUMNS)
        return
    from tracker.render import render

    films = render(record["films"], "table", columns=PERSON_COLUMNS, tablefmt=tablefmt)
    say(f"{record['name']}\n{films}" if record["films"] else f"{record['name']}: no credits.")


def note(
    ctx: typer.Context,
    film: FilmArg,
    text: Annotated[str, typer.Argument(help="What happened.")],
    on: OnOpt = None,
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            "-k",
            help="news, teaser, trailer, stunt, premiere or other.",
            autocompletion=complete_kind,
        ),
    ] = "news",
    source: SourceOpt = None,
) -> None:
    """Record a dated event a fan follows: news, a teaser, a trailer, a stunt, a premiere.

    Example: tracker note "Mission: Impossible 7" "a long ramp for a possible bike stunt" --kind stunt --on 2020-10
    """
    from tracker.dates import counting_from, of_day, parse_date
    from tracker.domain.events import add_note

    current = state(ctx)
    store = current.store
    when = parse_date(on) if on else of_day(current.today)
    target = state(ctx).film(film)
    with store.transaction():
        add_note(store, target, text, when, kind=kind, source=source, today=current.today)
    say(
        f"{target.title}: {kind.strip().lower()} on {when.display()}"
        + counting_from(when, current.today)
    )


def retitle(
    ctx: typer.Context,
    film: FilmArg,
    new_title: Annotated[str, typer.Argument(metavar="NEW", help="The new title.")],
    on: OnOpt = None,
    source: SourceOpt = None,
) -> None:
    """Give a film a new title from a day; every title it had still names it, and listings
    as of an earlier day show the title of that day.

    Example: tracker retitle "Mission: Impossible III" "M:i:III" --on 2005-07
    """
    from tracker.dates import counting_from, of_day, parse_date
    from tracker.domain.films import retitle as rename

    current = state(ctx)
    store = current.store
    when = parse_date(on) if on else of_day(current.today)
    old, _ = rename(
        store, state(ctx).film(film), new_title, when, today=current.today, source=source
    )
    say(
        f"Retitled {old} → {new_title.strip()} ({when.display()})"
        + counting_from(when, current.today)
    )


def sources(
    ctx: typer.Context,
    film: FilmArg,
    limit: LimitOpt = None,
    fmt: FormatOpt = Format.table,
    tablefmt: TableFmtOpt = "simple",
) -> None:
    """The sources of a film's facts known as of today, with what each backs.

    Example: tracker sources "Mission: Impossible 7"
    """
    from tracker.domain.sources import SourceRow, sources_of
    from tracker.render import columns_of

    current = state(ctx)
    store = current.store
    rows = sources_of(store, state(ctx).known_film(film), current.today, limit=limit)
    emit(rows, fmt, columns=columns_of(SourceRow), tablefmt=tablefmt, empty="No sources recorded.")


def source(
    ctx: typer.Context,
    url: Annotated[str, typer.Argument(help="The source URL, as given with --source.")],
    title: Annotated[str | None, typer.Option("--title", help="The source's title.")] = None,
    publisher: Annotated[str | None, typer.Option("--publisher", help="Who published it.")] = None,
) -> None:
    """Describe a source URL with a title and a publisher.

    Example: tracker source https://example.com/mi7-norway --title "MI7 wraps in Norway" --publisher Example
    """
    from tracker.domain.sources import describe_source

    store = state(ctx).store
    with store.transaction():
        record = describe_source(store, url, title=title, publisher=publisher)
    described = " · ".join(str(record[key]) for key in ("title", "publisher") if record[key])
    say(f"{record['url']}: {described or 'no title or publisher'}")
