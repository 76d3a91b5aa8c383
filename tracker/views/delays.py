"""How far release dates slipped (delays), and films released too close together (clashes).

Neither costs a query per film, and neither holds the catalogue in memory. delays is one
query: it reads every known announcement once in index order ((film, country, type), then
the order announced), folds each (film, country, type) into one row as it goes (SQLite's
aggregates; only the moves of a date announced more than once are counted in Python, by a
function SQLite calls once per such group), and sorts the rows (SQLite's sorter spills to
a temporary file). clashes takes every current day-precision release in one grouped pass,
and each day meets the days of the next --days days at its place by a range seek on a
scratch table's key.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import itertools
import sqlite3
from collections.abc import Iterator
from typing import Any

from tracker import asof
from tracker.dates import from_iso
from tracker.domain.films import known_franchise
from tracker.domain.releases import normalise_country
from tracker.errors import InvalidValue
from tracker.limits import sql_limit
from tracker.store import Store
from tracker.views.rows import ClashRow, DelayRow

# An announcement as one text whose order is the order announced: its day (always a whole
# ISO day) and its id padded to 20 digits (30 characters), then its window's first day
# (10 characters, blanks when TBA) and its date or its window's last day.
_KEY = "r.announced_start || printf('%020d', r.id)"
_NO_DAY = "'          '"
_DATED = f"{_KEY} || coalesce(r.date_start, {_NO_DAY}) || coalesce(r.date, '')"
_WINDOW = f"{_KEY} || coalesce(r.date_start, {_NO_DAY}) || coalesce(r.date_end, {_NO_DAY})"
_STORED, _START = 41, 31  # where a _DATED text holds the date and the first day (1-based)
_MOVES_BITS = 32  # delay_moves: the number of moves above, the longest (offset) below


def _first_day(text: str) -> str:
    return f"nullif(substr({text}, {_START}, 10), {_NO_DAY})"


# One row per (film, country, type), most delayed first. The grouping walks the index on
# (film_id, country, type, announced_start, id): no sort of the history, one read of it.
# The first and the current announcement are the least and the greatest _DATED text of the
# group; a group of one announcement has no moves, so delay_moves sees only the others.
DELAYS_SQL = f"""
SELECT g.film_id, {asof.title_sql("f.id", "f.title")} AS title, g.country, g.type,
       nullif(substr(g.head, {_STORED}), '') AS first,
       nullif(substr(g.tail, {_STORED}), '') AS current,
       g.moves >> {_MOVES_BITS} AS moves, g.total_shift_days,
       CASE WHEN g.moves THEN (g.moves & {(1 << _MOVES_BITS) - 1}) - {1 << (_MOVES_BITS - 1)}
       END AS longest_shift_days
FROM (
  SELECT h.film_id, h.country, h.type, h.head, h.tail, h.moves,
         CAST(julianday({_first_day("h.tail")}) - julianday({_first_day("h.head")}) AS INTEGER)
           AS total_shift_days
  FROM (
    SELECT r.film_id, r.country, r.type, min({_DATED}) AS head, max({_DATED}) AS tail,
           CASE WHEN count(*) > 1 THEN delay_moves(group_concat({_WINDOW}, ';')) ELSE 0 END
             AS moves
    FROM releases r
    WHERE {asof.known("r")} {{franchise}}
    GROUP BY r.film_id, r.country, r.type
  ) h
) g JOIN films f ON f.id = g.film_id
ORDER BY g.total_shift_days IS NULL, g.total_shift_days DESC, moves DESC, g.film_id, g.head
LIMIT :limit
"""
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
    params = asof.params(today, limit=limit)
    where = ""
    if franchise is not None:
        where = (
            "AND r.film_id IN (SELECT id FROM films WHERE franchise = :franchise COLLATE NOCASE)"
        )
        params["franchise"] = franchise.strip()
    _define_delay_moves(store.conn)
    rows = store.conn.cursor()
    rows.row_factory = None  # plain tuples: the fastest rows sqlite3 makes
    try:
        rows.execute(DELAYS_SQL.format(franchise=where), params)
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
        rows.close()  # a reader that stopped early leaves it open


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


def _define_delay_moves(conn: sqlite3.Connection) -> None:
    """Make delay_moves known to the connection, once: SQLite refuses to (re)define a
    function while another report's statement is being read."""
    known = conn.execute(
        "SELECT 1 FROM pragma_function_list WHERE name = 'delay_moves'"
    ).fetchone()
    if known is None:
        conn.create_function("delay_moves", 1, delay_moves, deterministic=True)


def delay_moves(announcements: str) -> int:
    """The moves among a (film, country, type)'s announcements (_WINDOW texts joined by
    ';'), in the order announced: a move is a new date whose window and the previous one's
    are both known and neither holds the other (tracker.dates.classify_change: a refined,
    vaguer or confirmed date is not a move). Returns the number of moves shifted left by
    _MOVES_BITS, plus the longest move in days (the earliest of equally long ones, signed)
    offset to be positive; 0 when nothing moved."""
    moves = 0
    longest = -1
    longest_shift = 0
    start = end = None
    for text in sorted(announcements.split(";")):  # sorted: the order announced
        new_start: str | None = text[30:40]
        new_end: str | None = text[40:50]
        if new_start == "          ":
            new_start = None
        if new_end == "          ":
            new_end = None
        if (
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
        start, end = new_start, new_end
    if not moves:
        return 0
    return (moves << _MOVES_BITS) + longest_shift + (1 << (_MOVES_BITS - 1))


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
