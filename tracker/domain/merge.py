"""Merging a duplicate film into the film it duplicates: every fact moves, nothing is lost."""

from __future__ import annotations

from tracker.domain.films import add_alias, aliases_of, get_film, remove_film
from tracker.errors import InvalidValue
from tracker.names import name_key
from tracker.records import Film
from tracker.store import Store
from tracker.store.connection import atomic
from tracker.store.migrations import FILM_CHILD_TABLES


@atomic
def merge_films(store: Store, film: Film, into: Film) -> Film:
    """Move every fact of `film` onto `into` (releases, statuses, shoots, credits, events,
    watchlist entries, viewings, external ids; a fact `into` already has is kept once),
    keep every title `film` had as an alias of `into`, fill in `into`'s missing franchise,
    instalment and year, and delete `film`. All or nothing; undo reverts it."""
    if film.id == into.id:
        raise InvalidValue(f"cannot merge {film.label} into itself")
    clashes = store.rows(
        "SELECT a.scheme, a.value AS mine, b.value AS theirs FROM external_ids a"
        " JOIN external_ids b ON b.scheme = a.scheme AND b.film_id = ? WHERE a.film_id = ?"
        " AND a.value != b.value",
        [into.id, film.id],
    )
    if clashes:
        clash = clashes[0]
        raise InvalidValue(
            f"{film.label} has {clash['scheme']}:{clash['mine']} but {into.label} has"
            f" {clash['scheme']}:{clash['theirs']}; they may not be one film"
        )
    titles = [film.title, *aliases_of(store, film.id)]
    titles += [
        row["title"]
        for row in store.rows("SELECT title FROM titles WHERE film_id = ? ORDER BY id", [film.id])
    ]
    # Its titles live on as aliases: the title history of `into` stays its own.
    store.conn.execute("DELETE FROM titles WHERE film_id = ?", [film.id])
    store.conn.execute("DELETE FROM aliases WHERE film_id = ?", [film.id])
    for table in FILM_CHILD_TABLES:
        # OR IGNORE: a row `into` already has (same list, credit, shoot) stays once; the
        # duplicate goes with `film` below.
        store.conn.execute(
            f"UPDATE OR IGNORE {table} SET film_id = ? WHERE film_id = ?", [into.id, film.id]
        )
    for title in titles:  # one that repeats a title of `into` is not kept (`add_alias`)
        add_alias(store, into.id, title)
    remove_film(store, film)
    _fill_missing(store, film, into)
    return get_film(store, into.id)


def _fill_missing(store: Store, film: Film, into: Film) -> None:
    """`into` takes `film`'s franchise, instalment and year where it has none, and its
    plain title key back if m006 had marked it as a duplicate of `film`."""
    key = name_key(into.title)
    year = into.year if into.year is not None else film.year

    def taken(year: int | None) -> bool:
        return bool(
            store.value(
                "SELECT 1 FROM films WHERE title_key = ? AND ifnull(year, 0) = ? AND id != ?",
                [key, year or 0, into.id],
            )
        )

    if year != into.year and taken(year):
        year = into.year
    store.conn.execute(
        "UPDATE films SET year = ?, franchise = coalesce(franchise, ?),"
        " instalment = coalesce(instalment, ?) WHERE id = ?",
        [year, film.franchise, film.instalment, into.id],
    )
    if not taken(year):
        store.conn.execute("UPDATE films SET title_key = ? WHERE id = ?", [key, into.id])
