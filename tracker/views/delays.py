"""How far release dates slipped (delays), and films released too close together (clashes)."""

from __future__ import annotations

import datetime
from itertools import combinations
from typing import Any

from tracker import asof
from tracker.dates import FuzzyDate, of_day, shift_days
from tracker.domain.films import known_franchise
from tracker.domain.releases import normalise_country
from tracker.errors import InvalidValue
from tracker.records import Film
from tracker.store import Store
from tracker.views.releases import history


def _films(store: Store, franchise: str | None, today: datetime.date) -> list[Film]:
    """The films (of a franchise), each under its title of the day."""
    franchise = known_franchise(store, franchise)
    sql, params = "SELECT id FROM films", []
    if franchise is not None:
        sql += " WHERE franchise = ? COLLATE NOCASE"
        params.append(franchise.strip())
    ids = [row["id"] for row in store.rows(sql + " ORDER BY id", params)]
    return asof.films_on(store, ids, today)


def delays(
    store: Store, today: datetime.date, *, franchise: str | None = None
) -> list[dict[str, Any]]:
    """Per film and (country, type): first and current date, the number of moves, the total
    shift and the longest single move in days; most delayed first."""
    rows: list[dict[str, Any]] = []
    for film in _films(store, franchise, today):
        groups: dict[tuple[str | None, str], list[dict[str, Any]]] = {}
        for entry in history(store, film, today):
            groups.setdefault((entry["country"], entry["type"]), []).append(entry)
        for (country, release_type), entries in groups.items():
            first: FuzzyDate = entries[0]["date"]
            current: FuzzyDate = entries[-1]["date"]
            moves = [entry for entry in entries if entry["change"] == "moved"]
            shifts = [e["shift_days"] for e in moves if e["shift_days"] is not None]
            rows.append(
                {
                    "id": film.id,
                    "title": film.title,
                    "country": country,
                    "type": release_type,
                    "first": first,
                    "current": current,
                    "moves": len(moves),
                    "total_shift_days": shift_days(first, current),
                    "longest_shift_days": max(shifts, key=abs) if shifts else None,
                }
            )
    rows.sort(
        key=lambda row: (
            row["total_shift_days"] is None,
            -(row["total_shift_days"] or 0),
            -row["moves"],
            row["id"],
        )
    )
    return rows


def clashes(
    store: Store, today: datetime.date, *, days: int = 7, country: str | None = None
) -> list[dict[str, Any]]:
    """Pairs of films whose current day-precision release dates in the same country (or
    both worldwide) are at most `days` apart; the closest dates of each pair."""
    if days < 0:
        raise InvalidValue("--days cannot be negative")
    wanted = normalise_country(country)
    # country -> film -> its day-precision release days there
    dates: dict[str | None, dict[int, set[datetime.date]]] = {}
    titles: dict[int, str] = {}
    for film in _films(store, None, today):
        titles[film.id] = film.title
        for release in asof.current_releases(store, film.id, today):
            if not release.date.is_day or (wanted and release.country != wanted):
                continue
            assert release.date.start is not None
            dates.setdefault(release.country, {}).setdefault(film.id, set()).add(release.date.start)
    rows: list[dict[str, Any]] = []
    for where, films in dates.items():
        for film_a, film_b in combinations(sorted(films), 2):
            apart, day_a, day_b = min(
                (abs((b - a).days), a, b) for a in films[film_a] for b in films[film_b]
            )
            if apart > days:
                continue
            first, second = (
                (film_a, film_b) if (day_a, film_a) <= (day_b, film_b) else (film_b, film_a)
            )
            if first != film_a:
                day_a, day_b = day_b, day_a
            rows.append(
                {
                    "country": where,
                    "date_a": of_day(day_a),
                    "title_a": titles[first],
                    "date_b": of_day(day_b),
                    "title_b": titles[second],
                    "days_apart": apart,
                }
            )
    rows.sort(key=lambda row: (row["date_a"].start, row["country"] or "", row["title_a"]))
    return rows
