"""The JSON sections of watchlists and the diary: lists by name, entries and viewings by
the file's film ids."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tracker.domain.diary import record_viewing
from tracker.domain.films import get_film
from tracker.domain.watchlists import add_entry, create_list, describe_list, find_list
from tracker.errors import InvalidValue
from tracker.exchange.json_reader import ImportContext, Reader
from tracker.store import Store


def dump_watchlists(store: Store) -> list[dict[str, Any]]:
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


def load_watchlists(store: Store, lists: list[Reader], context: ImportContext) -> None:
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


def dump_diary(store: Store) -> Iterator[dict[str, Any]]:
    return (
        {
            "film": row["film_id"],
            "seen_on": row["seen_on"],
            "rating": row["rating"],
            "where": row["place"],
            "note": row["note"],
        }
        for row in store.conn.execute("SELECT * FROM viewings ORDER BY id")
    )


def load_diary(store: Store, viewings: list[Reader], context: ImportContext) -> None:
    for item in viewings:
        film_id = context.film_id(item)
        seen_on = item.date("seen_on", required=True)
        if seen_on is None or seen_on.start is None or not seen_on.is_day:
            raise item.fail("seen_on: expected a day (YYYY-MM-DD)")
        rating = item.number("rating")
        with item.reporting():
            record_viewing(
                store,
                get_film(store, film_id),
                seen_on=seen_on.start,
                today=context.today,
                rating=None if rating is None else float(rating),
                place=item.text("where"),
                note=item.text("note"),
            )
