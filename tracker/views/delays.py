"""How far release dates slipped (delays), and films released too close together (clashes).

Neither costs a query per film, and neither holds the catalogue in memory. delays reads
every announcement once in index order ((film, country, type), then the order announced),
folds each group into one row in Python as it goes, and lets SQLite sort those rows (its
sorter spills to a temporary file). clashes takes every current day-precision release in
one grouped pass, and each day meets the days of the next --days days at its place by a
range seek on a scratch table's key.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import itertools
import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any

from tracker import asof
from tracker.dates import from_iso
from tracker.domain.films import known_franchise
from tracker.domain.releases import normalise_country
from tracker.errors import InvalidValue
from tracker.limits import sql_limit
from tracker.store import Store
from tracker.views.rows import ClashRow, DelayRow

# Each (film, country, type)'s announcements in the order announced: the index on
# (film_id, country, type, announced_start, id) gives them in this order without a sort.
ANNOUNCEMENTS_SQL = f"""
SELECT r.film_id, r.country, r.type, r.date, r.date_start, r.date_end, r.announced_start, r.id
FROM releases r
WHERE {asof.known("r")} {{franchise}}
ORDER BY r.film_id, r.country, r.type, r.announced_start, r.id
"""

# One row per (film, country, type), most delayed first; the sort is SQLite's (it spills
# to a temporary file), so a catalogue of any size is never held in memory.
DELAYS_SQL = f"""
SELECT g.film_id, {asof.title_sql("f.id", "f.title")} AS title, g.country, g.type,
       g.first, g.current, g.moves, g.total_shift_days, g.longest_shift_days
FROM temp.{{table}} g JOIN films f ON f.id = g.film_id
ORDER BY g.total_shift_days IS NULL, g.total_shift_days DESC, g.moves DESC, g.film_id,
         g.first_announced, g.first_id
LIMIT :limit
"""
GROUP_COLUMNS = (
    "film_id INTEGER, country TEXT, type TEXT, first TEXT, current TEXT, moves INTEGER,"
    " total_shift_days INTEGER, longest_shift_days INTEGER, first_announced TEXT,"
    " first_id INTEGER"
)
_tables = itertools.count(1)


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
    return _delay_rows(store, today, franchise, sql_limit(limit))


def _delay_rows(
    store: Store, today: datetime.date, franchise: str | None, limit: int
) -> Iterator[DelayRow]:
    params = asof.params(today)
    where = ""
    if franchise is not None:
        where = (
            "AND r.film_id IN (SELECT id FROM films WHERE franchise = :franchise COLLATE NOCASE)"
        )
        params["franchise"] = franchise.strip()
    # A scratch table of the connection's own (TEMP: never in the database file, no undo),
    # named per call so that two reports read at once do not share it.
    table = f"delays_scratch_{next(_tables)}"
    conn = store.conn
    conn.execute(f"CREATE TEMP TABLE {table} ({GROUP_COLUMNS})")
    rows = conn.cursor()
    try:
        # One transaction for the whole fill (a savepoint: also inside a caller's), not one
        # commit per row; it writes only the scratch table, so it takes no write lock.
        conn.execute("SAVEPOINT delays_fill")
        try:
            scan = conn.cursor()
            scan.row_factory = None  # plain tuples: the fastest rows sqlite3 makes
            scan.execute(ANNOUNCEMENTS_SQL.format(franchise=where), params)
            conn.executemany(f"INSERT INTO temp.{table} VALUES (?,?,?,?,?,?,?,?,?,?)",
                             _groups(scan))  # fmt: skip
            scan.close()
        except BaseException:
            conn.execute("ROLLBACK TO delays_fill")
            raise
        finally:
            conn.execute("RELEASE delays_fill")
        rows.row_factory = None
        rows.execute(DELAYS_SQL.format(table=table), asof.params(today, limit=limit))
        for film_id, title, country, kind, first, current, moves, total, longest in rows:
            yield {
                "id": film_id,
                "title": title,
                "country": country,
                "type": kind,
                "first": from_iso(first),
                "current": from_iso(current),
                "moves": moves,
                "total_shift_days": total,
                "longest_shift_days": longest,
            }
    finally:
        rows.close()  # a reader that stopped early leaves it open, and it holds the table
        _drop_scratch(conn)


def _drop_scratch(conn: sqlite3.Connection) -> None:
    """Drop the scratch tables no statement reads any more. SQLite drops nothing while a
    statement is being read: a report stopped early while another one is being read keeps
    its table until a later report (or the connection) ends."""
    names = conn.execute(
        "SELECT name FROM sqlite_temp_master WHERE type = 'table' AND name GLOB '*_scratch_*'"
    ).fetchall()
    for (name,) in names:
        with contextlib.suppress(sqlite3.OperationalError):
            conn.execute(f"DROP TABLE temp.{name}")


def _groups(announcements: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """One row per (film, country, type) from its announcements in the order announced:
    first and current date, the moves (tracker.dates.classify_change: both windows known
    and neither holds the other; a refined, vaguer or confirmed date is not a move), the
    total shift and the longest move (the earliest of equally long ones)."""
    group: Any = None  # film_id, country, type: a film id is never None
    group_country = group_kind = None
    first = first_start = first_announced = first_id = None
    current = start = end = None
    moves = longest = 0
    longest_shift: int | None = None
    for film_id, country, kind, date, new_start, new_end, announced, release_id in announcements:
        if film_id != group or country != group_country or kind != group_kind:
            if group is not None:
                yield (group, group_country, group_kind, first, current, moves,
                       _days_between(first_start, start), longest_shift, first_announced,
                       first_id)  # fmt: skip
            group, group_country, group_kind = film_id, country, kind
            first, first_start, first_announced, first_id = date, new_start, announced, release_id
            moves, longest, longest_shift = 0, -1, None
        elif (
            start is not None
            and end is not None
            and new_start is not None
            and new_end is not None
            and not (start <= new_start and new_end <= end)
            and not (new_start <= start and end <= new_end)
        ):
            moves += 1
            shift = _ordinal(new_start) - _ordinal(start)
            if abs(shift) > longest:
                longest, longest_shift = abs(shift), shift
        current, start, end = date, new_start, new_end
    if group is not None:
        yield (group, group_country, group_kind, first, current, moves,
               _days_between(first_start, start), longest_shift, first_announced,
               first_id)  # fmt: skip


def _days_between(earlier: str | None, later: str | None) -> int | None:
    """Days from one stored day (YYYY-MM-DD) to another; None when either is not known."""
    if earlier is None or later is None:
        return None
    return _ordinal(later) - _ordinal(earlier)


@functools.lru_cache(maxsize=1 << 16)
def _ordinal(day: str) -> int:
    return datetime.date.fromisoformat(day).toordinal()


# The current day-precision release days per country (worldwide ones as their own
# "country" ''), each film's day once, in a scratch table whose key (place, jday, film_id)
# lets each day find the days of the next :days days at its place by one range seek: no
# comparison with the whole country, and no subquery per release.
CLASH_DAYS_COLUMNS = (
    "place TEXT, day TEXT, jday INTEGER, film_id INTEGER, title TEXT, several INTEGER,"
    " PRIMARY KEY (place, jday, film_id)"
)
CLASH_DAYS_SQL = f"""
INSERT OR IGNORE INTO temp.{{table}}
SELECT coalesce(c.country, ''), c.date_start, CAST(julianday(c.date_start) + 0.5 AS INTEGER),
       c.film_id, {asof.title_sql("f.id", "f.title")}, 0
FROM ({asof.current_releases_sql("{country}")}) c JOIN films f ON f.id = c.film_id
WHERE length(c.date) = 10
"""
# The films with days of two types at a place: only their pairs can meet more than once.
SEVERAL_SQL = """
UPDATE temp.{table} SET several = 1 WHERE (place, film_id) IN
  (SELECT place, film_id FROM temp.{table} GROUP BY place, film_id HAVING count(*) > 1)
"""
CLASHES_SQL = """
WITH pairs AS NOT MATERIALIZED (
  SELECT a.place, min(a.film_id, b.film_id) AS lo, max(a.film_id, b.film_id) AS hi,
         b.jday - a.jday AS apart,
         CASE WHEN a.film_id < b.film_id THEN a.day ELSE b.day END AS lo_day,
         CASE WHEN a.film_id < b.film_id THEN b.day ELSE a.day END AS hi_day,
         CASE WHEN a.film_id < b.film_id THEN a.title ELSE b.title END AS lo_title,
         CASE WHEN a.film_id < b.film_id THEN b.title ELSE a.title END AS hi_title,
         a.several OR b.several AS several
  FROM temp.{table} a JOIN temp.{table} b
    ON b.place = a.place AND b.jday BETWEEN a.jday AND a.jday + :days
  WHERE b.film_id <> a.film_id AND (b.jday > a.jday OR b.film_id > a.film_id)
),
closest AS (
  SELECT place, lo, hi, apart, lo_day, hi_day, lo_title, hi_title FROM pairs WHERE NOT several
  UNION ALL
  -- A film with days of two types at a place meets another film more than once: keep the
  -- closest days (then the earliest), the other columns coming from the row with the minimum.
  SELECT place, lo, hi, apart, lo_day, hi_day, lo_title, hi_title FROM (
    SELECT place, lo, hi, apart, lo_day, hi_day, lo_title, hi_title,
           min(printf('%010d', apart) || lo_day || hi_day) AS best
    FROM pairs WHERE several GROUP BY place, lo, hi)
),
ordered AS (
  SELECT place, apart, lo, hi,
         CASE WHEN lo_day <= hi_day THEN lo_title ELSE hi_title END AS title_a,
         CASE WHEN lo_day <= hi_day THEN hi_title ELSE lo_title END AS title_b,
         min(lo_day, hi_day) AS date_a, max(lo_day, hi_day) AS date_b
  FROM closest
)
SELECT place, date_a, title_a, date_b, title_b, apart
FROM ordered
ORDER BY date_a, place, title_a, lo, hi
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
    params = asof.params(today, days=days, limit=sql_limit(limit))
    where = ""
    if wanted:
        where = "AND r.country = :country"
        params["country"] = wanted
    return _clash_rows(store, where, params)


def _clash_rows(store: Store, where: str, params: dict[str, Any]) -> Iterator[ClashRow]:
    table = f"clashes_scratch_{next(_tables)}"
    conn = store.conn
    conn.execute(f"CREATE TEMP TABLE {table} ({CLASH_DAYS_COLUMNS}) WITHOUT ROWID")
    rows = conn.cursor()
    try:
        conn.execute(CLASH_DAYS_SQL.format(table=table, country=where), params)
        conn.execute(SEVERAL_SQL.format(table=table))
        rows.row_factory = None
        rows.execute(CLASHES_SQL.format(table=table), params)
        for place, date_a, title_a, date_b, title_b, apart in rows:
            yield {
                "country": place or None,
                "date_a": from_iso(date_a),
                "title_a": title_a,
                "date_b": from_iso(date_b),
                "title_b": title_b,
                "days_apart": apart,
            }
    finally:
        rows.close()
        _drop_scratch(conn)
