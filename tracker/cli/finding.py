"""Finding films and joining duplicates: search, merge."""

from typing import Annotated

import typer

from tracker.cli.common import FilmArg, Format, FormatOpt, TableFmtOpt, emit, say, state


def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="Words to find (any case, accents, punctuation).")],
    limit: Annotated[
        int, typer.Option("--limit", "-l", help="Only the best N films (default 20).")
    ] = 20,
    fmt: FormatOpt = Format.table,
    tablefmt: TableFmtOpt = "simple",
) -> None:
    """Films whose title, former titles, aliases, franchise, people, shoot places or notes
    hold every word, best first; `matched` says where.

    Example: tracker search "dead reckoning"
    """
    from tracker.domain.search import as_dicts, result_columns
    from tracker.domain.search import search as find

    current = state(ctx)
    rows = find(current.store, text, current.today, limit=limit)
    emit(as_dicts(rows), fmt, columns=result_columns(), tablefmt=tablefmt, empty="No films.")


def merge(
    ctx: typer.Context,
    film: FilmArg,
    into: Annotated[str, typer.Argument(help="The film that stays (#ID, title, ...).")],
    yes: Annotated[
        bool, typer.Option("--yes", help="Confirm: move everything of FILM onto INTO, delete FILM.")
    ] = False,
) -> None:
    """Merge a duplicate: every fact of FILM moves onto INTO, FILM's titles become INTO's
    aliases, and FILM is deleted (`tracker undo` reverts it).

    Example: tracker merge "MI7 Dead Reckoning" "Mission: Impossible 7" --yes
    """
    from tracker.asof import film_on
    from tracker.domain.films import resolve
    from tracker.domain.merge import merge_films
    from tracker.errors import InvalidValue

    current = state(ctx)
    store, today = current.store, current.today
    # The stored films are merged; messages name them as of the day (title and year).
    duplicate, target = resolve(store, film, today), resolve(store, into, today)
    named = film_on(store, duplicate, today).label
    if not yes:
        raise InvalidValue(
            f"merging deletes {named} after moving its facts onto"
            f" {film_on(store, target, today).label}; add --yes to confirm"
        )
    with store.transaction():
        merged = merge_films(store, duplicate, target)
    say(f"Merged {named} into {film_on(store, merged, today).label}")
