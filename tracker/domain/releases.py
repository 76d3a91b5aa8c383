"""Release dates as a history of announcements, and what they say as of a day.

Nothing is overwritten: the current date of a (film, country, type) is its latest
announcement made on or before today.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from tracker.choices import DEFAULT_TYPE, RELEASE_TYPES, choose
from tracker.countries import country_code
from tracker.dates import FuzzyDate, countdown_text, describe_move, from_iso, of_day, shift_days
from tracker.domain.films import (
    Film,
    clean_optional,
    film_row,
    get_film,
    known_franchise,
    status_as_of,
)
from tracker.errors import InvalidDate, InvalidValue
from tracker.store import Store

# The id of the announcement that is current for r's (film, country, type) as of :today.
CURRENT_ID_SQL = """(
    SELECT c.id FROM releases c
    WHERE c.film_id = r.film_id AND c.country IS r.country AND c.type = r.type
      AND c.announced_start <= :today
    ORDER BY c.announced_start DESC, c.id DESC LIMIT 1)"""


def release_where(release_type: str, country: str | None) -> str:
    """How a release is placed in text: 'theatrical (US)', 'digital (worldwide)'."""
    return f"{release_type} ({country or 'worldwide'})"


@dataclass(frozen=True)
class Release:
    id: int
    film_id: int
    country: str | None
    type: str
    date: FuzzyDate
    announced: FuzzyDate
    source: str | None
    note: str | None

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.country, self.type)

    @property
    def where(self) -> str:
        """'theatrical (US)', or 'theatrical (worldwide)'."""
        return release_where(self.type, self.country)


def _release(row: Any) -> Release:
    return Release(
        row["id"],
        row["film_id"],
        row["country"],
        row["type"],
        from_iso(row["date"]),
        from_iso(row["announced"]),
        row["source"],
        row["note"],
    )


def normalise_country(country: str | None) -> str | None:
    return country_code(country) if country and country.strip() else None


def normalise_type(release_type: str | None) -> str:
    return choose(release_type or DEFAULT_TYPE, RELEASE_TYPES, "release type")


@dataclass(frozen=True)
class Announcement:
    release: Release
    previous: FuzzyDate | None
    still_current: Release  # what today's answer is after this announcement

    @property
    def message(self) -> str:
        text = describe_move(self.previous, self.release.date)
        if self.still_current.id != self.release.id:
            text += (
                f"; a later announcement ({self.still_current.date.display()},"
                f" announced {self.still_current.announced.display()}) still stands"
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
    """Record "film releases in country as type on date", announced on a day. Call inside a
    transaction."""
    country = normalise_country(country)
    release_type = normalise_type(release_type)
    announced = announced or of_day(today)
    if announced.start is None:
        raise InvalidDate("an announcement needs a day it was made, not TBA")
    if announced.start > today:
        raise InvalidDate(f"announced {announced.display()} is after today ({today.isoformat()})")
    previous = current_for(store, film.id, country, release_type, announced.start)
    new_id = insert_release(
        store, film.id, date, country, release_type, announced, source=source, note=note
    )
    release = get_release(store, new_id)
    now = current_for(store, film.id, country, release_type, today)
    assert now is not None
    return Announcement(release, previous.date if previous else None, now)


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
) -> int:
    """Insert one checked announcement row. Call inside a transaction."""
    if announced.start is None:
        raise InvalidDate("an announcement needs a day it was made, not TBA")
    return store.insert(
        "releases",
        {
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
        },
    )


def _iso(day: datetime.date | None) -> str | None:
    return None if day is None else day.isoformat()


def get_release(store: Store, release_id: int) -> Release:
    row = store.row("SELECT * FROM releases WHERE id = ?", [release_id])
    assert row is not None
    return _release(row)


def current_for(
    store: Store, film_id: int, country: str | None, release_type: str, today: datetime.date
) -> Release | None:
    row = store.row(
        "SELECT * FROM releases WHERE film_id = ? AND country IS ? AND type = ?"
        " AND announced_start <= ? ORDER BY announced_start DESC, id DESC LIMIT 1",
        [film_id, country, release_type, today.isoformat()],
    )
    return _release(row) if row else None


def current_releases(store: Store, film_id: int, today: datetime.date) -> list[Release]:
    """The current date of each (country, type) the film has, soonest first."""
    rows = store.rows(
        f"SELECT r.* FROM releases r WHERE r.film_id = :film AND r.announced_start <= :today"
        f" AND r.id = {CURRENT_ID_SQL}"
        " ORDER BY r.date_start IS NULL, r.date_start, r.country IS NOT NULL, r.country, r.type",
        {"film": film_id, "today": today.isoformat()},
    )
    return [_release(row) for row in rows]


def release_row(release: Release) -> dict[str, Any]:
    return {
        "country": release.country,
        "type": release.type,
        "date": release.date,
        "precision": release.date.precision,
        "announced": release.announced,
        "source": release.source,
    }


def history(store: Store, film: Film, today: datetime.date) -> list[dict[str, Any]]:
    """Every announcement known on `today`, in the order announced, each with the date it
    replaced for the same country and type."""
    rows = store.rows(
        "SELECT * FROM releases WHERE film_id = ? AND announced_start <= ?"
        " ORDER BY announced_start, id",
        [film.id, today.isoformat()],
    )
    latest: dict[tuple[str | None, str], FuzzyDate] = {}
    entries = []
    for release in map(_release, rows):
        previous = latest.get(release.key)
        latest[release.key] = release.date
        entries.append(
            {
                "country": release.country,
                "type": release.type,
                "date": release.date,
                "precision": release.date.precision,
                "previous": previous,
                "shift_days": shift_days(previous, release.date) if previous else None,
                "announced": release.announced,
                "source": release.source,
                "note": release.note,
            }
        )
    return entries


def days_until(date: FuzzyDate, today: datetime.date) -> int | None:
    """Days to the first day of the date's window; 0 once the window has begun."""
    if date.start is None:
        return None
    return max(0, (date.start - today).days)


# How long before a day a window containing it can start, by the length of the stored date:
# a day (10 characters) starts on it, a month or quarter (7) at most 92 days before, a year
# (4) at most 366. `upcoming` walks one index range per class (m004_safety's expression
# indexes on length(date), date_start), so it never reads a year of past announcements.
WINDOW_CLASSES = ((10, 0), (7, 92), (4, 366))


def _upcoming_candidates(
    store: Store,
    today: datetime.date,
    *,
    days: int | None,
    country: str | None,
    release_type: str | None,
    franchise: str | None,
    tba: bool,
    watchlist_id: int | None = None,
) -> Iterator[Release]:
    """Current announcements whose window has not passed, soonest first (then TBA ones).

    Each precision class (and, with a country, that country and worldwide separately) is
    one ordered index range starting just before today; the ranges are merged in date
    order, so the first rows cost the same however many films there are."""
    import heapq

    clauses = ["r.announced_start <= :today", f"r.id = {CURRENT_ID_SQL}"]
    params: dict[str, Any] = {"today": today.isoformat()}
    if release_type:
        clauses.append("r.type = :type")
        params["type"] = release_type
    if franchise:
        clauses.append(
            "r.film_id IN (SELECT id FROM films WHERE franchise = :franchise COLLATE NOCASE)"
        )
        params["franchise"] = franchise.strip()
    if watchlist_id is not None:
        clauses.append(
            "r.film_id IN (SELECT film_id FROM watchlist_entries WHERE watchlist_id = :watchlist)"
        )
        params["watchlist"] = watchlist_id
    dated = list(clauses)
    if days is not None:
        dated.append("r.date_start <= :horizon")
        params["horizon"] = (today + datetime.timedelta(days=days)).isoformat()
    places = ["r.country = :country", "r.country IS NULL"] if country else [None]
    if country:
        params["country"] = country
    sql = "SELECT r.* FROM releases r WHERE {} ORDER BY r.date_start, r.id"
    streams = []
    for place in places:
        for length, lead in WINDOW_CLASSES:
            params[f"from{length}"] = (today - datetime.timedelta(days=lead)).isoformat()
            where = [
                *([place] if place else []),
                f"length(r.date) = {length}",
                f"r.date_start >= :from{length}",
                "r.date_end >= :today",
                *dated,
            ]
            streams.append(store.conn.execute(sql.format(" AND ".join(where)), params))
    for row in heapq.merge(*streams, key=lambda row: (row["date_start"], row["id"])):
        yield _release(row)
    if tba:
        where = ["r.date_start IS NULL", *clauses]
        if country:
            where.append("(r.country = :country OR r.country IS NULL)")
        for row in store.conn.execute(sql.format(" AND ".join(where)), params):
            yield _release(row)


def _country_fallback_applies(
    store: Store, release: Release, country: str | None, today: datetime.date
) -> bool:
    """A worldwide date stands in for a country only when the film has none of its own."""
    if country is None or release.country is not None:
        return True
    own = current_for(store, release.film_id, country, release.type, today)
    return own is None


def upcoming(
    store: Store,
    today: datetime.date,
    *,
    days: int | None = None,
    country: str | None = None,
    release_type: str | None = None,
    franchise: str | None = None,
    limit: int | None = None,
    tba: bool = False,
    watchlist: str | None = None,
) -> list[dict[str, Any]]:
    """One row per film: its earliest release not yet past, soonest first."""
    franchise = known_franchise(store, franchise)
    if days is not None and days < 0:
        raise InvalidValue("--days cannot be negative")
    if limit is not None and limit < 1:
        raise InvalidValue("--limit must be at least 1")
    country = normalise_country(country)
    release_type = normalise_type(release_type) if release_type else None
    rows: list[dict[str, Any]] = []
    seen: set[int] = set()
    candidates = _upcoming_candidates(
        store,
        today,
        days=days,
        country=country,
        release_type=release_type,
        franchise=franchise,
        tba=tba,
        watchlist_id=_watchlist_id(store, watchlist),
    )
    for release in candidates:
        if release.film_id in seen:
            continue
        if not _country_fallback_applies(store, release, country, today):
            continue
        seen.add(release.film_id)
        film = get_film(store, release.film_id)
        rows.append(
            {
                **film_row(film, status_as_of(store, film.id, today)),
                "date": release.date,
                "precision": release.date.precision,
                "country": release.country,
                "type": release.type,
                "days": days_until(release.date, today),
            }
        )
        if limit is not None and len(rows) >= limit:
            break
    return rows


def _watchlist_id(store: Store, watchlist: str | None) -> int | None:
    if watchlist is None:
        return None
    from tracker.domain.watchlists import get_list

    return get_list(store, watchlist).id


def _pick_countdown(releases: list[Release], today: datetime.date) -> Release | None:
    dated = [release for release in releases if release.date.start is not None]
    ahead = [r for r in dated if r.date.end is not None and r.date.end >= today]
    if ahead:
        return min(ahead, key=lambda r: (r.date.start, r.id))
    if dated:
        return max(dated, key=lambda r: (r.date.start, r.id))
    return None


def countdown(
    store: Store,
    film: Film,
    today: datetime.date,
    *,
    country: str | None = None,
    release_type: str | None = None,
) -> dict[str, Any]:
    """Time to the film's earliest release not yet past, else since its latest past one."""
    country = normalise_country(country)
    release_type = normalise_type(release_type) if release_type else None
    releases = [
        release
        for release in current_releases(store, film.id, today)
        if release_type is None or release.type == release_type
    ]
    if country:
        own = [r for r in releases if r.country == country]
        own_types = {r.type for r in own}
        releases = own + [r for r in releases if r.country is None and r.type not in own_types]
    chosen = _pick_countdown(releases, today)
    if chosen is None:
        what = "" if not (country or release_type) else " for those filters"
        known = " (TBA)" if releases else ""
        raise InvalidValue(f"{film.title} has no release date{what} yet{known}")
    start = chosen.date.start
    end = chosen.date.end
    assert start is not None and end is not None
    if start < today <= end:
        days, human = 0, f"now: within {chosen.date.display()}"
    else:
        days, human = (start - today).days, countdown_text(today, start)
    return {
        "id": film.id,
        "title": film.title,
        "date": chosen.date,
        "precision": chosen.date.precision,
        "country": chosen.country,
        "type": chosen.type,
        "days": days,
        "human": human,
    }


def countdown_line(row: dict[str, Any]) -> str:
    where = release_where(row["type"], row["country"])
    return f"{row['title']} · {where} · {row['date'].display()} · {row['human']}"
