"""Films released too close together (clashes), as a sweep in date order that streams.

One query walks the day-precision releases in the order of their day (the index
releases_upcoming, or releases_country_upcoming for one country), keeping those current
on :today (one seek each in the (film, country, type, announced) index), each with its
film's title of the day. Python keeps, per place (a country, '' for worldwide), the days
read in the last --days days; once the walk is past day D + --days, every pair whose
first day is D is known, and D's pairs are written, sorted among themselves. The first
row costs the first days of the catalogue, not all of it; memory holds --days days.

A pair of films that meets more than once at a place (a film with days of two types
there) keeps only its closest meeting (then the earliest days, the lower id's first):
the query gives such a film's current days at the place, and the pair is written only
at that meeting.
"""

from __future__ import annotations

import datetime
import sqlite3
from collections import deque
from collections.abc import Iterator

from tracker import asof
from tracker.dates import FuzzyDate, day_number, from_iso
from tracker.domain.releases import normalise_country
from tracker.errors import InvalidValue
from tracker.limits import close_cursor, first, sql_limit
from tracker.store import Store
from tracker.views.rows import ClashRow

# A film's current days at the place of release `r`, when it has releases of another type
# there (only then can it have two days there): the days joined by ','. Read from the
# film's own rows (length(+o.date): not through the day indexes, which hold every film).
_PLACE_DAYS = (
    "CASE WHEN EXISTS (SELECT 1 FROM releases o WHERE o.film_id = r.film_id"
    " AND o.country IS r.country AND o.type <> r.type)"
    " THEN (SELECT group_concat(o.date_start) FROM releases o WHERE o.film_id = r.film_id"
    " AND o.country IS r.country AND length(+o.date) = 10"
    f" AND {asof.current_release_sql('o')}) END"
)


def sweep_sql(country: bool = False) -> str:
    """The current day-precision releases in the order of their day (parameters :today and,
    with `country`, :country): day, place, film, title of the day, the film's days there."""
    place = "r.country = :country AND " if country else ""
    return (
        "SELECT r.date_start, coalesce(r.country, ''), r.film_id,"
        f" {asof.title_sql('f.id', 'f.title')}, {_PLACE_DAYS}"
        " FROM releases r CROSS JOIN films f ON f.id = r.film_id"
        f" WHERE {place}length(r.date) = 10 AND r.date_start >= ''"
        f" AND {asof.current_release_sql('r')}"
        " ORDER BY r.date_start"
    )


def clashes(
    store: Store,
    today: datetime.date,
    *,
    days: int = 7,
    country: str | None = None,
    limit: int | None = None,
) -> Iterator[ClashRow]:
    """Pairs of films whose current day-precision release dates in the same country (or
    both worldwide) are at most `days` apart; the closest dates of each pair. Sorted by
    the first date, then place, the first film's title and the films' ids."""
    if days < 0:
        raise InvalidValue("--days cannot be negative")
    sql_limit(limit)  # checked before anything is read
    wanted = normalise_country(country)
    params = asof.params(today)
    if wanted:
        params["country"] = wanted
    rows = store.conn.cursor()
    rows.row_factory = None  # plain tuples: the fastest rows sqlite3 makes
    rows.execute(sweep_sql(bool(wanted)), params)
    return first(_pairs(rows, days), limit)  # the sweep stops when the caller does


# A day's releases at one place: film id -> (title, its days there when more than one).
Films = dict[int, tuple[str, tuple[str, ...] | None]]
# A day read: its ordinal, its ISO text, its date, and its releases per place.
Day = tuple[int, str, FuzzyDate, dict[str, Films]]
# A day at one place: its ordinal, its ISO text, its date and its releases there.
PlaceDay = tuple[int, str, FuzzyDate, Films]


def _pairs(rows: sqlite3.Cursor, days: int) -> Iterator[ClashRow]:
    pending: deque[Day] = deque()  # the days read whose pairs are not written yet
    places: dict[str, deque[PlaceDay]] = {}  # the same days, per place
    try:
        day = ""
        at_places: dict[str, Films] = {}
        for release_day, place, film_id, title, place_days in rows:
            if release_day != day:
                number = day_number(release_day)
                while pending and pending[0][0] + days < number:
                    yield from _first_day_pairs(pending, places)
                day, date, at_places = release_day, from_iso(release_day), {}
                pending.append((number, day, date, at_places))
            films = at_places.get(place)
            if films is None:
                films = at_places[place] = {}
                places.setdefault(place, deque()).append((number, day, date, films))
            films[film_id] = (title, _several(place_days))
        while pending:
            yield from _first_day_pairs(pending, places)
    finally:
        close_cursor(rows)


def _several(place_days: str | None) -> tuple[str, ...] | None:
    """A film's days at a place (the query's text) when there are more than one."""
    if place_days is None or "," not in place_days:
        return None
    found = tuple(sorted(set(place_days.split(","))))
    return found if len(found) > 1 else None


def _first_day_pairs(pending: deque[Day], places: dict[str, deque[PlaceDay]]) -> list[ClashRow]:
    """The pairs whose first day is the first pending day, in order: every day within
    --days of it has been read (all the pending days are, and no other)."""
    number, day, date, at_places = pending.popleft()
    found: list[tuple[str, str, int, int, str, FuzzyDate, int]] = []
    add = found.append
    for place, films in at_places.items():
        window = places[place]
        window.popleft()  # this day's own entry
        ids = sorted(films)
        for position, a in enumerate(ids):
            title_a, days_a = films[a]
            for b in ids[position + 1 :]:  # the same day: the lower id first
                title_b, days_b = films[b]
                if (days_a is None and days_b is None) or _closest(
                    days_a or (day,), days_b or (day,), day, day
                ):
                    add((place, title_a, a, b, title_b, date, 0))
            for later, other_day, other_date, others in window:
                for b, (title_b, days_b) in others.items():
                    if days_a is None and days_b is None:
                        lo, hi = (a, b) if a < b else (b, a)
                    elif b == a:
                        continue
                    elif a < b:
                        lo, hi = a, b
                        if not _closest(days_a or (day,), days_b or (other_day,), day, other_day):
                            continue
                    else:
                        lo, hi = b, a
                        if not _closest(days_b or (other_day,), days_a or (day,), other_day, day):
                            continue
                    add((place, title_a, lo, hi, title_b, other_date, later - number))
        if not window:
            del places[place]
    found.sort()
    return [
        {
            "country": place or None,
            "date_a": date,
            "title_a": title_a,
            "date_b": date_b,
            "title_b": title_b,
            "days_apart": apart,
        }
        for place, title_a, _, _, title_b, date_b, apart in found
    ]


def _closest(lo_days: tuple[str, ...], hi_days: tuple[str, ...], lo_day: str, hi_day: str) -> bool:
    """Whether (lo_day, hi_day) is the closest meeting of two films with these days at a
    place (then the earliest days, the lower id's first)."""
    best = min((abs(day_number(x) - day_number(y)), x, y) for x in lo_days for y in hi_days)
    return best[1] == lo_day and best[2] == hi_day
