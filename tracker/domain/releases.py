"""Release dates as a history of announcements: recording one, and what it changed.

Nothing is overwritten: every announcement is kept with the day it was made and its source.
What is current on a day is `tracker.asof`'s to say; the readers are in `tracker.views`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from tracker import asof
from tracker.choices import normalise_type
from tracker.countries import normalise_country
from tracker.dates import FuzzyDate, check_happened, counting_from, describe_move, of_day
from tracker.errors import InvalidDate
from tracker.records import Film, Release, release_from_row, release_where
from tracker.store import Store
from tracker.validation import clean_optional

__all__ = ["Release", "normalise_country", "normalise_type", "release_where"]

# Kept for callers not yet moved to `tracker.asof`.
current_for = asof.current_release
current_releases = asof.current_releases
CURRENT_ID_SQL = """(
    SELECT c.id FROM releases c
    WHERE c.film_id = r.film_id AND c.country IS r.country AND c.type = r.type
      AND c.known_from <= :today
    ORDER BY c.announced_start DESC, c.id DESC LIMIT 1)"""


@dataclass(frozen=True)
class Announcement:
    release: Release
    previous: FuzzyDate | None  # the date it follows, in the order announced
    still_current: Release | None  # what today's answer is after this announcement
    today: datetime.date

    @property
    def message(self) -> str:
        text = describe_move(self.previous, self.release.date)
        waiting = counting_from(self.release.announced, self.today)
        if waiting:
            # Announced on a day known only to its month or year: it counts from the window's
            # last day, as nobody can show it was known before.
            return text + waiting
        current = self.still_current
        if current is not None and current.id != self.release.id:
            text += (
                f"; a later announcement ({current.date.display()},"
                f" announced {current.announced.display()}) still stands"
            )
        return text


def announce(
    store: Store,
    film: Film,
    date: FuzzyDate,
    *,
    today: datetime.date,
    country: str | None = None,
    release_type: str | None = None,
    announced: FuzzyDate | None = None,
    source: str | None = None,
    note: str | None = None,
) -> Announcement:
    """Record "film releases in country as type on date", announced on a day (default
    today), all or nothing."""
    country = normalise_country(country)
    release_type = normalise_type(release_type)
    announced = check_happened(announced or of_day(today), today, "announced")
    with store.transaction():
        previous = asof.previous_announcement(store, film.id, country, release_type, announced)
        new_id = insert_release(
            store, film.id, date, country, release_type, announced, source=source, note=note
        )
        release = get_release(store, new_id)
        now = asof.current_release(store, film.id, country, release_type, today)
    return Announcement(release, previous.date if previous else None, now, today)


def insert_release(
    store: Store,
    film_id: int,
    date: FuzzyDate,
    country: str | None,
    release_type: str,
    announced: FuzzyDate,
    *,
    source: str | None = None,
    note: str | None = None,
    certification: str | None = None,
) -> int:
    """Insert one checked announcement row. Call inside a transaction."""
    record = release_record(
        film_id, date, country, release_type, announced, source=source, note=note
    )
    if certification is not None:  # m009's column; written only when there is one
        record["certification"] = clean_optional(certification, "a certification")
    return store.insert("releases", record)


def release_record(
    film_id: int,
    date: FuzzyDate,
    country: str | None,
    release_type: str,
    announced: FuzzyDate,
    *,
    source: str | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """A checked row of releases (country and type already normalised)."""
    if announced.start is None:
        raise InvalidDate("an announcement needs a day it was made, not TBA")
    return {
        "film_id": film_id,
        "country": country,
        "type": release_type,
        "date": date.iso,
        "date_start": _iso(date.start),
        "date_end": _iso(date.end),
        "announced": announced.iso,
        "announced_start": announced.start.isoformat(),
        "source": clean_optional(source, "a source"),
        "note": clean_optional(note, "a note"),
    }


def _iso(day: datetime.date | None) -> str | None:
    return None if day is None else day.isoformat()


def get_release(store: Store, release_id: int) -> Release:
    row = store.row("SELECT * FROM releases WHERE id = ?", [release_id])
    assert row is not None
    return release_from_row(row)
