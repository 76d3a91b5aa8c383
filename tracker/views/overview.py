"""`show`: everything known about one film as of a day, gathered from each part."""

from __future__ import annotations

import datetime
from typing import Any

from tracker import asof
from tracker.domain.films import aliases_of
from tracker.domain.identifiers import external_ids_of
from tracker.domain.people import credits_of
from tracker.records import Film
from tracker.store import Store
from tracker.views.films import film_row
from tracker.views.production import events_of, list_shoots
from tracker.views.releases import history, release_row

LATEST_EVENTS = 5


def titles_of(store: Store, film_id: int, today: datetime.date) -> list[dict[str, Any]]:
    """The film's titles known on `today`, first to latest, each from its day."""
    from tracker.dates import from_iso

    rows = store.rows(
        "SELECT title, on_date, source FROM titles t"
        f" WHERE t.film_id = :film AND {asof.title_known_sql('t')} ORDER BY t.on_start, t.id",
        asof.params(today, film=film_id),
    )
    return [
        {
            "title": row["title"],
            "from": from_iso(row["on_date"]) if row["on_date"] else None,
            "precision": from_iso(row["on_date"]).precision if row["on_date"] else None,
            "source": row["source"],
        }
        for row in rows
    ]


def date_moves(store: Store, film: Film, today: datetime.date) -> int:
    """How many announcements moved a date already set for their country and type."""
    return sum(1 for entry in history(store, film, today) if entry["change"] == "moved")


def show(store: Store, film: Film, today: datetime.date) -> dict[str, Any]:
    film = asof.film_on(store, film, today)  # its title and year of the day
    return {
        **film_row(film, asof.status_on(store, film.id, today)),
        "aliases": aliases_of(store, film.id),
        "ids": external_ids_of(store, film.id),
        "titles": titles_of(store, film.id, today),
        "releases": [
            release_row(release) for release in asof.current_releases(store, film.id, today)
        ],
        "date_moves": date_moves(store, film, today),
        "shoots": [
            {key: value for key, value in shoot.items() if key != "films"}
            for shoot in list_shoots(store, today, film=film)
        ],
        "credits": credits_of(store, film.id),
        "events": events_of(store, film.id, today, limit=LATEST_EVENTS),
    }
