"""The viewing diary: when a fan saw a film, where, and what they thought of it."""

from __future__ import annotations

import datetime
from typing import TypedDict

from tracker.choices import choose
from tracker.errors import InvalidDate, InvalidValue
from tracker.records import Film
from tracker.store import Store
from tracker.store.connection import atomic
from tracker.validation import check_rating, clean_optional

PLACES = ("cinema", "home", "other")


def parse_rating(text: str) -> float | None:
    word = text.strip()
    if not word:
        return None
    try:
        value = float(word)
    except ValueError:
        raise InvalidValue(f"rating '{word}' is not a number: use 0.5 to 5 in halves") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise InvalidValue(f"rating '{word}' is not a number: use 0.5 to 5 in halves")
    return check_rating(value)


def check_place(place: str | None) -> str | None:
    if place is None or not place.strip():
        return None
    return choose(place, PLACES, "place")


def check_seen_on(day: datetime.date, today: datetime.date) -> datetime.date:
    if day > today:
        raise InvalidDate(f"seen on {day.isoformat()} is after today ({today.isoformat()})")
    return day


@atomic
def record_viewing(
    store: Store,
    film: Film,
    *,
    seen_on: datetime.date,
    today: datetime.date,
    rating: float | None = None,
    place: str | None = None,
    note: str | None = None,
) -> int:
    """Add a viewing (a film may be seen many times). Call inside a transaction."""
    return store.insert(
        "viewings",
        {
            "film_id": film.id,
            "seen_on": check_seen_on(seen_on, today).isoformat(),
            "rating": check_rating(rating),
            "place": check_place(place),
            "note": clean_optional(note, "a note"),
        },
    )


def has_viewing(
    store: Store, film_id: int, seen_on: datetime.date, rating: float | None, note: str | None
) -> bool:
    """Whether this exact viewing is already in the diary (for idempotent imports)."""
    return bool(
        store.value(
            "SELECT 1 FROM viewings WHERE film_id = ? AND seen_on = ? AND rating IS ?"
            " AND note IS ?",
            [film_id, seen_on.isoformat(), rating, note],
        )
    )


def stars(rating: float | None) -> str:
    if rating is None:
        return ""
    return "★" * int(rating) + ("½" if rating % 1 else "")


class DiaryEntry(TypedDict):
    """A row of `tracker diary`."""

    id: int
    title: str
    seen_on: datetime.date
    rating: float | None
    where: str | None
    note: str | None


def entries(store: Store, year: int | None = None) -> list[DiaryEntry]:
    """The diary, newest viewing first."""
    where, params = "", []
    if year is not None:
        where = " WHERE v.seen_on >= ? AND v.seen_on < ?"
        params = [f"{year:04d}-01-01", f"{year + 1:04d}-01-01"]
    rows = store.rows(
        "SELECT v.id, f.title, v.seen_on, v.rating, v.place, v.note"
        " FROM viewings v JOIN films f ON f.id = v.film_id"
        + where
        + " ORDER BY v.seen_on DESC, v.id DESC",
        params,
    )
    return [
        {
            "id": row["id"],
            "title": row["title"],
            "seen_on": datetime.date.fromisoformat(row["seen_on"]),
            "rating": row["rating"],
            "where": row["place"],
            "note": row["note"],
        }
        for row in rows
    ]
