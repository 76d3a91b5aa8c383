"""The release-date readers: `history`, `upcoming` and `countdown`, all as of a day."""

from __future__ import annotations

import datetime
import heapq
from collections.abc import Iterator
from typing import Any

from tracker import asof
from tracker.choices import normalise_type
from tracker.dates import FuzzyDate, classify_change, move_days, plus_days
from tracker.dates import countdown as count_to
from tracker.errors import InvalidValue
from tracker.limits import first, sql_limit
from tracker.records import Film, Release, release_from_row, release_where
from tracker.store import Store
from tracker.views.films import film_row
from tracker.views.rows import CountdownRow, HistoryEntry, UpcomingRow


def release_row(release: Release) -> dict[str, Any]:
    return {
        "id": release.id,
        "country": release.country,
        "type": release.type,
        "date": release.date,
        "precision": release.date.precision,
        "announced": release.announced,
        "source": release.source,
    }


def history(
    store: Store, film: Film, today: datetime.date, *, limit: int | None = None
) -> Iterator[HistoryEntry]:
    """Every announcement known on `today`, in the order announced, each with the date it
    followed for the same country and type and what kind of change it was; `limit`: the
    first so many. Read from a cursor, keeping only each (country, type)'s latest date."""
    return _history(store, film, today, sql_limit(limit))


def _history(store: Store, film: Film, today: datetime.date, limit: int) -> Iterator[HistoryEntry]:
    latest: dict[tuple[str | None, str], FuzzyDate] = {}
    for release in asof.announcements_from(store, film.id, today, limit=limit):
        previous = latest.get(release.key)
        latest[release.key] = release.date
        yield {
            "id": release.id,
            "country": release.country,
            "type": release.type,
            "date": release.date,
            "precision": release.date.precision,
            "previous": previous,
            "change": classify_change(previous, release.date),
            "shift_days": move_days(previous, release.date),
            "announced": release.announced,
            "source": release.source,
            "note": release.note,
        }


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
    order, so the first rows cost the same however many films there are. The films of a
    watchlist or a franchise are few and read by film: one query (per place) for them."""
    clauses = [asof.current_release_sql("r")]
    params = asof.params(today)
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
            "r.film_id IN (SELECT film_id FROM watchlist_entries e"
            f" WHERE e.watchlist_id = :watchlist AND {asof.listed_sql('e')})"
        )
        params["watchlist"] = watchlist_id
    dated = list(clauses)
    if days is not None:
        dated.append("r.date_start <= :horizon")
        params["horizon"] = plus_days(today, days).isoformat()
    places = ["r.country = :country", "r.country IS NULL"] if country else [None]
    if country:
        params["country"] = country
    sql = "SELECT r.* FROM releases r WHERE {} ORDER BY r.date_start, r.id"
    streams = []
    few_films = watchlist_id is not None or bool(franchise)
    for place in places:
        for length, lead in [(0, 0)] if few_films else WINDOW_CLASSES:
            params[f"from{length}"] = plus_days(today, -lead).isoformat()
            # The length and the earliest start (implied by the end) pick the precision's
            # index range; the films' own releases need neither.
            precision = [] if few_films else [
                f"length(r.date) = {length}", f"r.date_start >= :from{length}"
            ]  # fmt: skip
            where = [
                *([place] if place else []),
                *precision,
                "r.date_end >= :today",
                *dated,
            ]
            cursor = store.conn.execute(sql.format(" AND ".join(where)), params)
            # Wrapped: heapq.merge closes its last input when it is closed, and a cursor's
            # close() fails once the database is (a reader dropped early, `| head`).
            streams.append(row for row in cursor)
    for row in heapq.merge(*streams, key=lambda row: (row["date_start"], row["id"])):
        yield release_from_row(row)
    if tba:
        where = ["r.date_start IS NULL", *clauses]
        if country:
            where.append("(r.country = :country OR r.country IS NULL)")
        for row in store.conn.execute(sql.format(" AND ".join(where)), params):
            yield release_from_row(row)


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
) -> Iterator[UpcomingRow]:
    """One row per film: its earliest release not yet past, soonest first; `limit`: the
    first so many. Read from cursors; the options are checked before the first row."""
    if franchise is not None:  # the domain's modules only for the filters that need them
        from tracker.domain.films import known_franchise

        franchise = known_franchise(store, franchise)
    if days is not None and days < 0:
        raise InvalidValue("--days cannot be negative")
    sql_limit(limit)
    country = _wanted_country(country)
    release_type = normalise_type(release_type) if release_type else None
    candidates = _upcoming_candidates(
        store,
        today,
        days=days,
        country=country,
        release_type=release_type,
        franchise=franchise,
        tba=tba,
        watchlist_id=None if watchlist is None else _watchlist_id(store, watchlist),
    )
    return first(_upcoming_rows(store, today, candidates, country), limit)


def _watchlist_id(store: Store, watchlist: str) -> int:
    from tracker.domain.watchlists import filter_id

    return filter_id(store, watchlist)


def _upcoming_rows(
    store: Store, today: datetime.date, candidates: Iterator[Release], country: str | None
) -> Iterator[UpcomingRow]:
    """Each film's first candidate that counts for the country (its earliest)."""
    seen: set[int] = set()
    for release in candidates:
        if release.film_id in seen:
            continue
        if not asof.worldwide_stands_in(store, release, country, today):
            continue
        seen.add(release.film_id)
        films = asof.films_on(store, [release.film_id], today)
        if not films:
            continue  # the release of a film gone (deleted by another program): skipped
        film = films[0]
        yield {
            **film_row(film, asof.status_on(store, film.id, today)),
            "date": release.date,
            "precision": release.date.precision,
            "country": release.country,
            "type": release.type,
            "days": days_until(release.date, today),
        }


def pick_countdown(releases: list[Release], today: datetime.date) -> Release | None:
    """The release to count to: the soonest whose window has not closed, else the latest."""
    dated = [release for release in releases if release.date.start is not None]
    ahead = [r for r in dated if r.date.end is not None and r.date.end >= today]
    if ahead:
        return min(ahead, key=lambda r: (r.date.start, r.id))
    if dated:
        return max(dated, key=lambda r: (r.date.start, r.id))
    return None


def _wanted_country(country: str | None) -> str | None:
    """The country asked for as a code; the country table is read only when one is."""
    if country is None:
        return None
    from tracker.countries import normalise_country

    return normalise_country(country)


def countdown(
    store: Store,
    film: Film,
    today: datetime.date,
    *,
    country: str | None = None,
    release_type: str | None = None,
) -> CountdownRow:
    """Time to the film's earliest release not yet past, else since its latest past one."""
    country = _wanted_country(country)
    release_type = normalise_type(release_type) if release_type else None
    releases = [
        release
        for release in asof.current_releases(store, film.id, today)
        if release_type is None or release.type == release_type
    ]
    releases = asof.for_country(releases, country)
    chosen = pick_countdown(releases, today)
    title = asof.title_on(store, film.id, today)
    if chosen is None:
        what = "" if not (country or release_type) else " for those filters"
        known = " (TBA)" if releases else ""
        raise InvalidValue(f"{title} has no release date{what} yet{known}")
    days, human = count_to(chosen.date, today)
    return {
        "id": film.id,
        "title": title,
        "date": chosen.date,
        "precision": chosen.date.precision,
        "country": chosen.country,
        "type": chosen.type,
        "days": days,
        "human": human,
        "status": asof.status_on(store, film.id, today),
    }


def countdown_line(row: CountdownRow) -> str:
    """The one-line answer of `countdown FILM` (whose row always has a date); it says so
    when the film is cancelled, since its last date still counts down."""
    date, release_type = row["date"], row["type"]
    assert date is not None and release_type is not None
    where = release_where(release_type, row["country"])
    cancelled = " · film cancelled" if row["status"] == "cancelled" else ""
    shown, human = date.display(), row["human"]
    # A window's countdown names it already ("in Q3 2027 · window opens in 37 days"): once.
    named = human.startswith((shown + " ", f"in {shown} "))
    return f"{row['title']} · {where} · {human if named else f'{shown} · {human}'}{cancelled}"
