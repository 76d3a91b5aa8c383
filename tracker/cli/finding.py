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

    Example: tracker search "cruise venice"
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

    Example: tracker merge "#12" "#7" --yes
    """
    from tracker.domain.films import resolve
    from tracker.domain.merge import merge_films
    from tracker.errors import InvalidValue

    store = state(ctx).store
    duplicate, target = resolve(store, film), resolve(store, into)
    if not yes:
        raise InvalidValue(
            f"merging deletes {duplicate.label} after moving its facts onto {target.label};"
            " add --yes to confirm"
        )
    with store.transaction():
        merged = merge_films(store, duplicate, target)
    say(f"Merged {duplicate.label} into {merged.label}")
