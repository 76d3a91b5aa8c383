"""Watchlists as of a day: each film's next release and status, and countdowns."""

from __future__ import annotations

import datetime
from typing import Any

from tracker import asof
from tracker.choices import choose
from tracker.dates import countdown as count_to
from tracker.domain.releases import normalise_country
from tracker.domain.watchlists import ON_LIST_SQL, SORTS, film_ids, get_list
from tracker.errors import InvalidValue
from tracker.limits import sql_limit
from tracker.store import Store
from tracker.views.releases import countdown, pick_countdown
from tracker.views.rows import CountdownRow, ListEntry


def show_list(
    store: Store,
    name: str,
    today: datetime.date,
    *,
    country: str | None = None,
    sort: str = "release",
    limit: int | None = None,
) -> list[ListEntry]:
    """Each film on the list on `today` (added by then, known then) with its next release
    (else its latest), status and whether it had been seen by then;
    `limit`: the first so many in the sort's order (every film is read to sort them: a
    list is a fan's own, a few thousand films at most)."""
    count = sql_limit(limit)
    sort = choose(sort, SORTS, "sort")
    country = normalise_country(country)
    watchlist = get_list(store, name)
    entries = store.rows(
        f"SELECT e.film_id, e.priority, e.note, e.added, {asof.seen_sql('e.film_id')} AS seen"
        f" FROM watchlist_entries e WHERE e.watchlist_id = :watchlist AND {ON_LIST_SQL}"
        " ORDER BY e.id",
        asof.params(today, watchlist=watchlist.id),
    )
    rows: list[ListEntry] = []
    for entry in entries:
        films = asof.films_on(store, [entry["film_id"]], today, year=False)  # no year shown
        if not films:
            continue  # the entry of a film gone (deleted by another program): skipped
        film = films[0]
        releases = asof.for_country(asof.current_releases(store, film.id, today), country)
        chosen = pick_countdown(releases, today)
        days = None if chosen is None else count_to(chosen.date, today)[0]
        rows.append(
            {
                "id": film.id,
                "title": film.title,
                "priority": entry["priority"],
                "note": entry["note"],
                "added": datetime.date.fromisoformat(entry["added"]),
                "seen": bool(entry["seen"]),
                "date": chosen.date if chosen else None,
                "precision": chosen.date.precision if chosen else None,
                "country": chosen.country if chosen else None,
                "type": chosen.type if chosen else None,
                "days": days,
                "status": asof.status_on(store, film.id, today),
            }
        )
    rows.sort(key=_SORT_KEYS[sort])
    return rows if count < 0 else rows[:count]


def _release_key(row: ListEntry) -> tuple[Any, ...]:
    date = row["date"]
    start = date.start if date is not None else None
    return (start is None, start or datetime.date.min, row["priority"], row["title"].casefold())


_SORT_KEYS: dict[str, Any] = {
    "release": _release_key,
    "priority": lambda row: (row["priority"], *_release_key(row)),
    "added": lambda row: (row["added"], row["title"].casefold()),
    "title": lambda row: (row["title"].casefold(), row["id"]),
}


def countdowns(
    store: Store,
    name: str,
    today: datetime.date,
    *,
    country: str | None = None,
    release_type: str | None = None,
    limit: int | None = None,
) -> list[CountdownRow]:
    """`countdown` for every film on a list, one row each: soonest first, undated last;
    `limit`: the first so many."""
    count = sql_limit(limit)
    rows: list[CountdownRow] = []
    on_list = film_ids(store, get_list(store, name), today)
    for film in asof.films_on(store, on_list, today, year=False):  # a countdown has no year
        try:
            rows.append(countdown(store, film, today, country=country, release_type=release_type))
        except InvalidValue:
            rows.append(
                {
                    "id": film.id,
                    "title": film.title,
                    "date": None,
                    "precision": None,
                    "country": None,
                    "type": None,
                    "days": None,
                    "human": "no release date yet",
                    "status": asof.status_on(store, film.id, today),
                }
            )
    rows.sort(key=lambda row: (row["days"] is None, abs(row["days"] or 0), row["id"]))
    return rows if count < 0 else rows[:count]
