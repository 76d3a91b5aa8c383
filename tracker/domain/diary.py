"""The viewing diary: when a fan saw a film, where, and what they thought of it."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterator
from typing import Any, TypedDict

from tracker import asof
from tracker.choices import choose
from tracker.dates import FuzzyDate, from_iso
from tracker.errors import InvalidDate, InvalidValue
from tracker.limits import first, sql_limit
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


def check_seen_on(day: datetime.date | None, today: datetime.date) -> datetime.date | None:
    """A day not after today, or None: seen, on a day not known (Letterboxd's watched.csv)."""
    if day is not None and day > today:
        raise InvalidDate(f"seen on {day.isoformat()} is after today ({today.isoformat()})")
    return day


@atomic
def record_viewing(
    store: Store,
    /,
    film: Film,
    *,
    seen_on: datetime.date | None,
    today: datetime.date,
    rating: float | None = None,
    place: str | None = None,
    note: str | None = None,
    **letterboxd: Any,
) -> int:
    """Add a viewing (a film may be seen many times; `seen_on` None: on a day not known).
    `letterboxd` holds rewatch, tags, review and letterboxd_uri. Call inside a transaction."""
    day = check_seen_on(seen_on, today)
    return store.insert(
        "viewings",
        {
            "film_id": film.id,
            "seen_on": None if day is None else day.isoformat(),
            "rating": check_rating(rating),
            "place": check_place(place),
            "note": clean_optional(note, "a note"),
            **check_letterboxd(letterboxd),
        },
    )


LETTERBOXD_FIELDS = ("rewatch", "tags", "review", "letterboxd_uri")
MAX_REVIEW = 100_000


def check_letterboxd(fields: dict[str, Any]) -> dict[str, Any]:
    """A viewing's Letterboxd fields, checked: rewatch True/None, tags and URI one line of
    text, a review any text (line breaks kept) up to MAX_REVIEW characters."""
    unknown = set(fields) - set(LETTERBOXD_FIELDS)
    if unknown:
        raise TypeError(f"unknown viewing fields: {sorted(unknown)}")
    checked: dict[str, Any] = {}
    if "rewatch" in fields:
        checked["rewatch"] = 1 if fields["rewatch"] else None
    for name, what in (("tags", "tags"), ("letterboxd_uri", "a Letterboxd URI")):
        if name in fields:
            checked[name] = clean_optional(fields[name], what)
    if "review" in fields:
        review = fields["review"]
        if review is not None:
            review = review.replace("\r\n", "\n").replace("\r", "\n").strip() or None
        if review is not None and len(review) > MAX_REVIEW:
            raise InvalidValue(f"review is too long ({len(review)} characters)")
        if review is not None and any(
            ord(char) < 32 and char not in "\n\t" or ord(char) == 127 for char in review
        ):
            raise InvalidValue("review contains a control character")
        checked["review"] = review
    return checked


def find_viewing(store: Store, film_id: int, seen_on: datetime.date | None, uri: str | None) -> Any:
    """The viewing a Letterboxd diary or review row names: by its entry URI, else the film's
    viewing of that day (not one holding another entry's URI), else the film's undated
    viewing (watched.csv's) that the row now dates. None when there is none."""
    if uri is not None:
        row = store.row("SELECT * FROM viewings WHERE letterboxd_uri = ? LIMIT 1", [uri])
        if row is not None:
            return row
    if seen_on is not None:
        row = store.row(
            "SELECT * FROM viewings WHERE film_id = ? AND seen_on = ?"
            " AND (letterboxd_uri IS NULL OR ? IS NULL) ORDER BY id LIMIT 1",
            [film_id, seen_on.isoformat(), uri],
        )
        if row is not None:
            return row
    return store.row(
        "SELECT * FROM viewings WHERE film_id = ? AND seen_on IS NULL"
        " AND letterboxd_uri IS NULL ORDER BY id LIMIT 1",
        [film_id],
    )


@atomic
def fill_viewing(store: Store, viewing: Any, changes: dict[str, Any]) -> bool:
    """Set the given fields of a viewing where they differ; True when anything changed."""
    if "rating" in changes:
        changes["rating"] = check_rating(changes["rating"])
    letterboxd = {key: value for key, value in changes.items() if key in LETTERBOXD_FIELDS}
    changes.update(check_letterboxd(letterboxd))
    differ = {key: value for key, value in changes.items() if viewing[key] != value}
    if not differ:
        return False
    assignments = ", ".join(f"{key} = ?" for key in differ)  # names from our own code
    store.conn.execute(
        f"UPDATE viewings SET {assignments} WHERE id = ?", [*differ.values(), viewing["id"]]
    )
    return True


def has_seen(store: Store, film_id: int) -> bool:
    return bool(store.value("SELECT 1 FROM viewings WHERE film_id = ? LIMIT 1", [film_id]))


@atomic
def set_film_rating(
    store: Store, film_id: int, rating: float, rated_on: datetime.date | None
) -> bool:
    """A film's own rating (Letterboxd's ratings.csv); True when it changed."""
    rating = check_rating(rating)  # type: ignore[assignment]
    day = None if rated_on is None else rated_on.isoformat()
    row = store.row("SELECT rating, rated_on FROM film_ratings WHERE film_id = ?", [film_id])
    if row is not None and (row["rating"], row["rated_on"]) == (rating, day):
        return False
    store.conn.execute(
        "INSERT INTO film_ratings (film_id, rating, rated_on) VALUES (?, ?, ?)"
        " ON CONFLICT (film_id) DO UPDATE SET rating = excluded.rating,"
        " rated_on = excluded.rated_on",
        [film_id, rating, day],
    )
    return True


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
    # A day (its ISO text in json/csv, "Wed 2 Dec 2020" in a table, as every day a table
    # shows); None: seen on a day not known (Letterboxd's watched.csv).
    seen_on: FuzzyDate | None
    rating: float | None
    where: str | None
    note: str | None
    rewatch: bool
    tags: str | None
    review: str | None


def entries(
    store: Store, today: datetime.date, year: int | None = None, *, limit: int | None = None
) -> Iterator[DiaryEntry]:
    """The diary as of `today`: viewings seen by then of films known by then (a film seen
    before anyone had heard of it waits for it, as on a watchlist), newest first (undated
    ones last), each film under its title of the day. Read from a cursor: the dated viewings walk the
    seen_on index backwards from today, so the first rows cost the same however long the
    diary is. `limit`: the first so many. Checked before the first row is read."""
    args = asof.params(today, limit=sql_limit(limit))
    dated = "v.seen_on <= :today"
    if year is not None:
        dated += " AND v.seen_on >= :first AND v.seen_on < :after"
        args.update(first=f"{year:04d}-01-01", after=f"{year + 1:04d}-01-01")
    select = (
        f"SELECT v.id, {asof.title_sql('f.id', 'f.title')} AS title, v.seen_on, v.rating,"
        " v.place, v.note, v.rewatch, v.tags, v.review"
        " FROM viewings v JOIN films f ON f.id = v.film_id"
    )
    known = asof.film_known_sql("f.id")
    parts = [f"{select} WHERE {dated} AND {known} ORDER BY v.seen_on DESC, v.id DESC LIMIT :limit"]
    if year is None:
        parts.append(
            f"{select} WHERE v.seen_on IS NULL AND {known} ORDER BY v.id DESC LIMIT :limit"
        )
    rows = itertools.chain.from_iterable(store.conn.execute(sql, args) for sql in parts)
    return (_diary_entry(row) for row in first(rows, limit))


def _diary_entry(row: Any) -> DiaryEntry:
    return {
        "id": row["id"],
        "title": row["title"],
        "seen_on": None if row["seen_on"] is None else from_iso(row["seen_on"]),
        "rating": row["rating"],
        "where": row["place"],
        "note": row["note"],
        "rewatch": bool(row["rewatch"]),
        "tags": row["tags"],
        "review": row["review"],
    }
