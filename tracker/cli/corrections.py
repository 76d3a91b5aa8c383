"""Commands that correct the record: amend, delete (one fact by its id), statuses."""

from typing import Annotated

import typer

from tracker.cli.common import FilmArg, Format, FormatOpt, LimitOpt, TableFmtOpt, emit, say, state
from tracker.render import columns_of, pick
from tracker.views.rows import StatusRow

KindArg = Annotated[
    str,
    typer.Argument(
        metavar="KIND", help="release, status, event, title (a retitle), viewing, shoot or credit."
    ),
]
IdArg = Annotated[
    str,
    typer.Argument(
        metavar="ID",
        help="The fact's #ID, as listed by history, statuses, timeline (a retitle's is a title"
        " id), show, diary, shoot list.",
    ),
]
STATUS_COLUMNS = columns_of(StatusRow)
STATUS_TABLE = pick(StatusRow, "id", "date", "status", "note", "source")


def amend(
    ctx: typer.Context,
    kind: KindArg,
    fact_id: IdArg,
    date: Annotated[
        str | None, typer.Option("--date", help="release: the release date (any precision, TBA).")
    ] = None,
    announced: Annotated[
        str | None, typer.Option("--announced", help="release: the day it was announced.")
    ] = None,
    on: Annotated[
        str | None,
        typer.Option(
            "--on", help="status, event, title, viewing: the day it happened (not after today)."
        ),
    ] = None,
    country: Annotated[
        str | None,
        typer.Option("--country", "-c", help="release ('' = worldwide), shoot: the country."),
    ] = None,
    fact_type: Annotated[
        str | None,
        typer.Option(
            "--type", "-t", help="release: premiere, theatrical, ...; event: news, teaser, ..."
        ),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option("--source", help="release, status, event, title, shoot: its URL ('' clears)."),
    ] = None,
    note: Annotated[
        str | None,
        typer.Option("--note", help="release, status, viewing, shoot: a note; event: its text."),
    ] = None,
    status: Annotated[str | None, typer.Option("--status", help="status: the status.")] = None,
    rating: Annotated[
        float | None, typer.Option("--rating", "-r", help="viewing: 0.5 to 5 in halves.")
    ] = None,
    where: Annotated[
        str | None, typer.Option("--where", help="viewing: cinema, home or other.")
    ] = None,
    role: Annotated[str | None, typer.Option("--role", help="credit: the role.")] = None,
    character: Annotated[
        str | None, typer.Option("--character", help="credit: the character ('' clears).")
    ] = None,
    start: Annotated[
        str | None, typer.Option("--from", help="shoot: when filming there started (TBA clears).")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", help="shoot: when filming there ended (TBA clears).")
    ] = None,
) -> None:
    """Change one recorded fact by its id, whatever command made it; prints what changed.

    A retitle is amended as a title (its id is the one `timeline` shows for it): only its
    day and source change.

    Example: tracker amend release 12 --date 2022-05-27 --announced 2021-09-14
    """
    from tracker.domain.corrections import Amendment
    from tracker.domain.corrections import amend as change

    current = state(ctx)
    amendment = Amendment(
        date=date,
        announced=announced,
        on=on,
        country=country,
        type=fact_type,
        source=source,
        note=note,
        status=status,
        rating=rating,
        where=where,
        role=role,
        character=character,
        start=start,
        end=end,
    )
    correction = change(current.store, kind, fact_id, amendment, today=current.today)
    say(correction.message)


def delete(
    ctx: typer.Context,
    kind: KindArg,
    fact_id: IdArg,
    yes: Annotated[bool, typer.Option("--yes", help="Confirm: delete this fact.")] = False,
) -> None:
    """Delete one recorded fact by its id (undo brings it back). A title is never deleted:
    a retitle renamed its film (`retitle` it again, or `amend title` its day).

    Example: tracker delete status 9 --yes
    """
    from tracker.domain.corrections import confirm_deletion
    from tracker.domain.corrections import delete as remove
    from tracker.errors import InvalidValue

    current = state(ctx)
    if not yes:
        raise InvalidValue(confirm_deletion(current.store, kind, fact_id, today=current.today))
    say(remove(current.store, kind, fact_id, today=current.today).message)


def statuses(
    ctx: typer.Context,
    film: FilmArg,
    limit: LimitOpt = None,
    fmt: FormatOpt = Format.table,
    tablefmt: TableFmtOpt = "simple",
) -> None:
    """A film's status changes known as of today, in order, with their ids.

    Example: tracker --today 2020-10-15 statuses "Mission: Impossible 7"
    """
    from tracker.views.films import statuses_of

    current = state(ctx)
    store = current.store
    rows = statuses_of(store, state(ctx).known_film(film).id, current.today, limit=limit)
    emit(
        rows,
        fmt,
        columns=STATUS_COLUMNS,
        table_columns=STATUS_TABLE,
        tablefmt=tablefmt,
        empty="No status recorded yet.",
    )
