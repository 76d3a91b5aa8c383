"""How far release dates slipped (delays), and films released too close together (clashes).

Both are one query over the whole catalogue: window functions walk each (film, country,
type)'s announcements in the order announced (delays) and each country's release days in
date order (clashes), so no film costs a query of its own."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from tracker import asof
from tracker.dates import from_iso, of_day
from tracker.domain.films import known_franchise
from tracker.domain.releases import normalise_country
from tracker.errors import InvalidValue
from tracker.store import Store
from tracker.views.rows import ClashRow, DelayRow

# A real move (tracker.dates.classify_change): both dates known, and neither window holds
# the other (a refined, vaguer or confirmed date is not a move).
MOVED_SQL = (
    "(h.prev_start IS NOT NULL AND h.prev_end IS NOT NULL"
    " AND h.date_start IS NOT NULL AND h.date_end IS NOT NULL"
    " AND NOT (h.prev_start <= h.date_start AND h.date_end <= h.prev_end)"
    " AND NOT (h.date_start <= h.prev_start AND h.prev_end <= h.date_end))"
)

DELAYS_SQL = f"""
WITH h AS (
  SELECT r.id, r.film_id, r.country, r.type, r.date, r.date_start, r.date_end,
         r.announced_start,
         lag(r.date_start) OVER w AS prev_start, lag(r.date_end) OVER w AS prev_end,
         row_number() OVER w AS seq, count(*) OVER (PARTITION BY r.film_id, r.country, r.type)
           AS announcements
  FROM releases r
  WHERE {asof.known("r")} {{franchise}}
  WINDOW w AS (PARTITION BY r.film_id, r.country, r.type ORDER BY r.announced_start, r.id)
),
m AS (
  SELECT h.*, {MOVED_SQL} AS moved,
         CASE WHEN {MOVED_SQL}
           THEN CAST(julianday(h.date_start) - julianday(h.prev_start) AS INTEGER) END AS shift
  FROM h
),
ranked AS (
  SELECT m.*, row_number() OVER (PARTITION BY m.film_id, m.country, m.type
                                 ORDER BY m.moved DESC, abs(m.shift) DESC, m.seq) AS longest
  FROM m
),
g AS (
  SELECT film_id, country, type,
         max(CASE WHEN seq = 1 THEN announced_start END) AS first_announced,
         max(CASE WHEN seq = 1 THEN id END) AS first_id,
         max(CASE WHEN seq = 1 THEN date END) AS first,
         max(CASE WHEN seq = 1 THEN date_start END) AS first_start,
         max(CASE WHEN seq = announcements THEN date END) AS current,
         max(CASE WHEN seq = announcements THEN date_start END) AS current_start,
         sum(moved) AS moves,
         max(CASE WHEN longest = 1 AND moved THEN shift END) AS longest_shift_days
  FROM ranked GROUP BY film_id, country, type
)
SELECT g.film_id AS id, {asof.title_sql("f.id", "f.title")} AS title, g.country, g.type,
       g.first, g.current, g.moves,
       CAST(julianday(g.current_start) - julianday(g.first_start) AS INTEGER)
         AS total_shift_days,
       g.longest_shift_days
FROM g JOIN films f ON f.id = g.film_id
ORDER BY total_shift_days IS NULL, total_shift_days DESC, g.moves DESC, g.film_id,
         g.first_announced, g.first_id
LIMIT :limit
"""


def limit_param(limit: int | None) -> int:
    """SQL's LIMIT for `--limit` (-1: no limit)."""
    if limit is not None and limit < 1:
        raise InvalidValue("--limit must be at least 1")
    return -1 if limit is None else limit


def delays(
    store: Store,
    today: datetime.date,
    *,
    franchise: str | None = None,
    limit: int | None = None,
) -> Iterator[DelayRow]:
    """Per film and (country, type): first and current date, the number of moves, the total
    shift and the longest single move in days; most delayed first. Arguments are checked
    before the first row is asked for, so an unknown franchise prints nothing else."""
    franchise = known_franchise(store, franchise)
    return _delay_rows(store, today, franchise, limit_param(limit))


def _delay_rows(
    store: Store, today: datetime.date, franchise: str | None, limit: int
) -> Iterator[DelayRow]:
    params = asof.params(today, limit=limit)
    where = ""
    if franchise is not None:
        where = (
            "AND r.film_id IN (SELECT id FROM films WHERE franchise = :franchise COLLATE NOCASE)"
        )
        params["franchise"] = franchise.strip()
    for row in store.conn.execute(DELAYS_SQL.format(franchise=where), params):
        yield {
            "id": row["id"],
            "title": row["title"],
            "country": row["country"],
            "type": row["type"],
            "first": from_iso(row["first"]),
            "current": from_iso(row["current"]),
            "moves": row["moves"],
            "total_shift_days": row["total_shift_days"],
            "longest_shift_days": row["longest_shift_days"],
        }


# The current day-precision release days per country (worldwide ones as their own
# "country"), cut into runs of :days + 1 days: two days at most :days apart lie in the same
# run or in neighbouring ones, so each day is compared only with the days of its own run
# and the next (two equality joins), never with the whole country.
CLASHES_SQL = f"""
WITH d AS MATERIALIZED (
  SELECT DISTINCT coalesce(r.country, '') AS place, r.film_id, r.date_start AS day,
         julianday(r.date_start) AS jday,
         CAST(julianday(r.date_start) / (:days + 1) AS INTEGER) AS run
  FROM releases r
  WHERE length(r.date) = 10 AND {asof.current_release_sql("r")} {{country}}
),
pairs AS (
  SELECT a.place, a.film_id AS film_1, a.day AS day_1, b.film_id AS film_2, b.day AS day_2,
         CAST(b.jday - a.jday AS INTEGER) AS apart
  FROM d a JOIN d b ON b.place = a.place AND b.run = a.run
  WHERE (b.jday > a.jday OR (b.jday = a.jday AND b.film_id > a.film_id))
    AND b.jday - a.jday <= :days AND b.film_id <> a.film_id
  UNION ALL
  SELECT a.place, a.film_id, a.day, b.film_id, b.day, CAST(b.jday - a.jday AS INTEGER)
  FROM d a JOIN d b ON b.place = a.place AND b.run = a.run + 1
  WHERE b.jday - a.jday <= :days AND b.film_id <> a.film_id
),
sides AS (
  SELECT place, apart, min(film_1, film_2) AS lo, max(film_1, film_2) AS hi,
         CASE WHEN film_1 < film_2 THEN day_1 ELSE day_2 END AS lo_day,
         CASE WHEN film_1 < film_2 THEN day_2 ELSE day_1 END AS hi_day
  FROM pairs
),
closest AS (
  SELECT sides.*, row_number() OVER (PARTITION BY place, lo, hi
                                     ORDER BY apart, lo_day, hi_day) AS rank
  FROM sides
),
ordered AS (
  SELECT place, apart, lo, hi,
         CASE WHEN lo_day <= hi_day THEN lo ELSE hi END AS film_a,
         CASE WHEN lo_day <= hi_day THEN hi ELSE lo END AS film_b,
         min(lo_day, hi_day) AS date_a, max(lo_day, hi_day) AS date_b
  FROM closest WHERE rank = 1
)
SELECT o.place, o.date_a, {asof.title_sql("fa.id", "fa.title")} AS title_a,
       o.date_b, {asof.title_sql("fb.id", "fb.title")} AS title_b, o.apart
FROM ordered o JOIN films fa ON fa.id = o.film_a JOIN films fb ON fb.id = o.film_b
ORDER BY o.date_a, o.place, title_a, o.lo, o.hi
LIMIT :limit
"""


def clashes(
    store: Store,
    today: datetime.date,
    *,
    days: int = 7,
    country: str | None = None,
    limit: int | None = None,
) -> Iterator[ClashRow]:
    """Pairs of films whose current day-precision release dates in the same country (or
    both worldwide) are at most `days` apart; the closest dates of each pair."""
    if days < 0:
        raise InvalidValue("--days cannot be negative")
    wanted = normalise_country(country)
    params = asof.params(today, days=days, limit=limit_param(limit))
    where = ""
    if wanted:
        where = "AND r.country = :country"
        params["country"] = wanted
    return _clash_rows(store, CLASHES_SQL.format(country=where), params)


def _clash_rows(store: Store, sql: str, params: dict[str, Any]) -> Iterator[ClashRow]:
    for row in store.conn.execute(sql, params):
        yield {
            "country": row["place"] or None,
            "date_a": of_day(datetime.date.fromisoformat(row["date_a"])),
            "title_a": row["title_a"],
            "date_b": of_day(datetime.date.fromisoformat(row["date_b"])),
            "title_b": row["title_b"],
            "days_apart": row["apart"],
        }
