"""The JSON sections of watchlists and the diary: lists by name, entries and viewings by
the file's film ids."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from tracker.domain.diary import record_viewing
from tracker.domain.films import get_film
from tracker.domain.watchlists import add_entry, create_list, describe_list, find_list
from tracker.errors import InvalidValue
from tracker.exchange.json_reader import ImportContext, Reader
from tracker.store import Store


def dump_watchlists(store: Store) -> Iterator[str]:
    return (json.dumps(item, ensure_ascii=False) for item in _watchlists(store))


def _watchlists(store: Store) -> list[dict[str, Any]]:
    lists = []
    for row in store.rows("SELECT * FROM watchlists ORDER BY id"):
        entries = store.rows(
            "SELECT * FROM watchlist_entries WHERE watchlist_id = ? ORDER BY id", [row["id"]]
        )
        lists.append(
            {
                "name": row["name"],
                "description": row["description"],
                "entries": [
                    {
                        "film": entry["film_id"],
                        "priority": entry["priority"],
                        "note": entry["note"],
                        "added": entry["added"],
                    }
                    for entry in entries
                ],
            }
        )
    return lists


def load_watchlists(store: Store, lists: Iterable[Reader], context: ImportContext) -> None:
    for item in lists:
        name = item.text("name", required=True) or ""
        with item.reporting():
            found = find_list(store, name)
            if found is None:
                watchlist = create_list(store, name, item.text("description"))
            else:
                watchlist = found
                describe_list(store, watchlist, item.text("description"))
        for entry in item.items("entries"):
            film = context.film_id(entry)
            added = entry.date("added", required=True)
            if added is None or not added.is_day or added.start is None:
                raise entry.fail("added: expected a day (YYYY-MM-DD)")
            with entry.reporting():
                if not add_entry(
                    store,
                    watchlist,
                    get_film(store, film),
                    today=added.start,
                    priority=entry.integer("priority"),
                    note=entry.text("note"),
                ):
                    raise InvalidValue(f"film {film} is on '{watchlist.name}' twice")


# A viewing's Letterboxd fields (m008), written only when set: older documents stay as
# they were.
LETTERBOXD_KEYS = ("rewatch", "tags", "review", "letterboxd_uri")


def dump_diary(store: Store) -> Iterator[str]:
    return (json.dumps(item, ensure_ascii=False) for item in _diary(store))


def _diary(store: Store) -> list[dict[str, Any]]:
    viewings = []
    for row in store.rows("SELECT * FROM viewings ORDER BY id"):
        viewing = {
            "film": row["film_id"],
            "seen_on": row["seen_on"],  # null: seen on a day not known
            "rating": row["rating"],
            "where": row["place"],
            "note": row["note"],
        }
        for key in LETTERBOXD_KEYS:
            if row[key] is not None:
                viewing[key] = bool(row[key]) if key == "rewatch" else row[key]
        viewings.append(viewing)
    return viewings


def load_diary(store: Store, viewings: Iterable[Reader], context: ImportContext) -> None:
    for item in viewings:
        film_id = context.film_id(item)
        seen_on = item.date("seen_on")
        if seen_on is not None and (seen_on.start is None or not seen_on.is_day):
            raise item.fail("seen_on: expected a day (YYYY-MM-DD) or null")
        rating = item.number("rating")
        rewatch = item.data.get("rewatch") if isinstance(item.data, dict) else None
        if rewatch is not None and not isinstance(rewatch, bool):
            raise item.fail("rewatch: expected true or false")
        with item.reporting():
            record_viewing(
                store,
                get_film(store, film_id),
                seen_on=None if seen_on is None else seen_on.start,
                today=context.today,
                rating=None if rating is None else float(rating),
                place=item.text("where"),
                note=item.text("note"),
                rewatch=rewatch,
                tags=item.text("tags"),
                review=item.text("review"),
                letterboxd_uri=item.text("letterboxd_uri"),
            )


def load_film_rating(store: Store, film_id: int, film: Reader) -> None:
    from tracker.domain.diary import set_film_rating

    rating = film.number("rating")
    if rating is None:
        return
    rated_on = film.date("rated_on")
    if rated_on is not None and (rated_on.start is None or not rated_on.is_day):
        raise film.fail("rated_on: expected a day (YYYY-MM-DD) or null")
    with film.reporting():
        set_film_rating(store, film_id, float(rating), None if rated_on is None else rated_on.start)
