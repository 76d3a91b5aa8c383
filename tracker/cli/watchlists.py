"""Commands on watchlists: `tracker watchlist create|rename|delete|list|add|remove|show`."""

from typing import Annotated

import typer

from tracker.cli.common import (
    CountryOpt,
    Format,
    FormatOpt,
    LimitOpt,
    NoteOpt,
    TableFmtOpt,
    complete_film,
    complete_watchlist,
    emit,
    say,
    say_when_known,
    state,
)
from tracker.render import columns_of, pick
from tracker.views.rows import ListEntry

ListArg = Annotated[
    str, typer.Argument(help="The list's name (any case).", autocompletion=complete_watchlist)
]
FilmsArg = Annotated[
    list[str],
    typer.Argument(
        help="Films: #ID, title or alias, 'Title (YEAR)', ...", autocompletion=complete_film
    ),
]
PriorityOpt = Annotated[
    int | None, typer.Option("--priority", "-p", help="1 (most wanted) to 5; default 3.")
]
SHOW_COLUMNS = columns_of(ListEntry)
SHOW_TABLE = pick(
    ListEntry, "id", "title", "priority", "date", "country", "type", "days", "status", "seen"
)


def create(
    ctx: typer.Context,
    name: ListArg,
    description: Annotated[
        str | None, typer.Option("--description", "-d", help="What the list is for.")
    ] = None,
) -> None:
    """Make a new, empty list.

    Example: tracker watchlist create summer --description "Cinema trips this summer"
    """
    from tracker.domain.watchlists import create_list

    store = state(ctx).store
    with store.transaction():
        made = create_list(store, name, description)
    say(f"Created watchlist '{made.name}'")


def rename(
    ctx: typer.Context,
    name: ListArg,
    new_name: Annotated[str, typer.Argument(help="The new name.")],
) -> None:
    """Give a list a new name.

    Example: tracker watchlist rename summer "summer 2021"
    """
    from tracker.domain.watchlists import rename_list

    store = state(ctx).store
    with store.transaction():
        renamed = rename_list(store, name, new_name)
    say(f"Renamed watchlist '{name.strip()}' to '{renamed.name}'")


def delete(
    ctx: typer.Context,
    name: ListArg,
    yes: Annotated[bool, typer.Option("--yes", help="Confirm: delete the list.")] = False,
) -> None:
    """Delete a list (its films stay tracked).

    Example: tracker watchlist delete summer --yes
    """
    from tracker.domain.watchlists import delete_list, get_list
    from tracker.errors import InvalidValue

    store = state(ctx).store
    target = get_list(store, name)
    if not yes:
        raise InvalidValue(f"deleting watchlist '{target.name}' drops its entries; add --yes")
    with store.transaction():
        gone, count = delete_list(store, name)
    say(f"Deleted watchlist '{gone.name}' ({count} film{'' if count == 1 else 's'})")


def list_(
    ctx: typer.Context,
    limit: LimitOpt = None,
    fmt: FormatOpt = Format.table,
    tablefmt: TableFmtOpt = "simple",
) -> None:
    """Every list with how many films it has and how many of them you have seen (as of
    --today).

    Example: tracker watchlist list --format json
    """
    from tracker.domain.watchlists import ListSummary, all_lists
    from tracker.render import columns_of

    current = state(ctx)
    rows = all_lists(current.store, current.today, limit=limit)
    emit(rows, fmt, columns=columns_of(ListSummary), tablefmt=tablefmt)


def add_films(
    ctx: typer.Context, name: str, films: list[str], priority: int | None, note: str | None
) -> None:
    """Shared by `watchlist add` and `watch`: one line per film, all or nothing."""
    from tracker.domain.watchlists import add_entry, get_list
    from tracker.validation import check_priority

    current = state(ctx)
    store = current.store
    check_priority(priority)
    targets = [state(ctx).film(film) for film in films]
    lines = []
    added = []
    with store.transaction():
        watchlist = get_list(store, name, create_default=True)
        for film in targets:
            if add_entry(store, watchlist, film, today=current.today, priority=priority, note=note):
                lines.append(f"Added {film.label} to '{watchlist.name}'")
                added.append(film.id)
            else:
                lines.append(f"{film.label} is already on '{watchlist.name}'")
    for line in lines:
        say(line)
    for film_id in added:  # the list shows it from then
        say_when_known(store, film_id, current.today)


def add(
    ctx: typer.Context,
    name: ListArg,
    films: FilmsArg,
    priority: PriorityOpt = None,
    note: NoteOpt = None,
) -> None:
    """Put films on a list (one already there is left as it is).

    Example: tracker watchlist add summer "Mission: Impossible 7" "#8" --priority 1
    """
    add_films(ctx, name, films, priority, note)


def remove(ctx: typer.Context, name: ListArg, films: FilmsArg) -> None:
    """Take films off a list.

    Example: tracker watchlist remove summer "Mission: Impossible 7"
    """
    from tracker.domain.watchlists import get_list, remove_entry

    store = state(ctx).store
    targets = [state(ctx).film(film) for film in films]
    with store.transaction():
        watchlist = get_list(store, name)
        for film in targets:
            remove_entry(store, watchlist, film)
    for film in targets:
        say(f"Removed {film.label} from '{watchlist.name}'")


def show(
    ctx: typer.Context,
    name: Annotated[
        str, typer.Argument(help="The list's name.", autocompletion=complete_watchlist)
    ] = "watchlist",
    country: CountryOpt = None,
    sort: Annotated[
        str, typer.Option("--sort", help="release, priority, added or title.")
    ] = "release",
    limit: LimitOpt = None,
    fmt: FormatOpt = Format.table,
    tablefmt: TableFmtOpt = "simple",
) -> None:
    """Each film on a list with its next release, countdown, status and whether you saw it.

    Example: tracker --today 2020-10-15 watchlist show watchlist --country US --sort priority
    """
    from tracker.views.lists import show_list

    current = state(ctx)
    rows = show_list(current.store, name, current.today, country=country, sort=sort, limit=limit)
    emit(
        rows,
        fmt,
        columns=SHOW_COLUMNS,
        table_columns=SHOW_TABLE,
        tablefmt=tablefmt,
        empty="No films on this list.",
    )


def watch(
    ctx: typer.Context,
    films: FilmsArg,
    priority: PriorityOpt = None,
    note: NoteOpt = None,
) -> None:
    """Put films on your default list, `watchlist` (short for `watchlist add watchlist`).

    Example: tracker watch "Mission: Impossible 7" --priority 1
    """
    add_films(ctx, "watchlist", films, priority, note)
