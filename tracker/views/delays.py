"""How far release dates slipped (delays).

It costs no query per film, and does not hold the catalogue in memory. delays is one
query: it reads every known announcement once in index order ((film, country, type), then
the order announced) and folds each (film, country, type) into one row as it goes (a date
announced once is its own row; one announced several times goes through delay_fold, a
function SQLite calls once per such group). The rows are written once to a scratch table
(a materialized CTE), then read out in three parts that follow each other in the report's
order, each sorted on its own (SQLite's sorter spills to a temporary file): the shifted and
moved, the unchanged (most rows, sorted by film alone), then the earlier and the TBA. As
CSV, SQLite also writes the lines (render.sql_csv_line), and a second thread quotes and
writes them.
"""

from __future__ import annotations

import contextlib
import datetime
import sqlite3
from collections.abc import Iterator

from tracker import asof
from tracker.dates import from_iso
from tracker.domain.films import known_franchise
from tracker.limits import sql_limit
from tracker.store import Store
from tracker.views.rows import DelayRow

# An announcement as one text for delay_fold: its day (always a whole ISO day) and its id
# padded to 20 digits (30 characters: the text orders as the order announced), its window's
# first and last day (10 characters each, blanks when TBA), then its date ('' when TBA).
_NO_DAY = "'          '"
_NO_WINDOW = " " * 10  # _NO_DAY as delay_fold reads it
_ANNOUNCEMENT = (
    f"r.announced_start || printf('%020d', r.id) || coalesce(r.date_start, {_NO_DAY})"
    f" || coalesce(r.date_end, {_NO_DAY}) || coalesce(r.date, '')"
)


def _folded(start: int, width: int, number: bool = False) -> str:
    """SQL: a field of delay_fold's text (1-based start), NULL when blank."""
    field = f"nullif(trim(substr(g.fold, {start}, {width})), '')"
    return f"CAST({field} AS INTEGER)" if number else field


# One row per (film, country, type). The grouping walks the index on (film_id, country,
# type, announced_start, id): no sort of the history, one read of it. A group of one
# announcement is that announcement (its bare columns): first and current date, no moves,
# no shift unless TBA. Only a group of several goes through delay_fold.
# {columns}: the result's columns (those of DelayRow, or one CSV line made of them).
# MATERIALIZED: each row's columns are worked out once, for the parts below to read.
DELAYS_SQL = f"""
WITH g AS (
  SELECT r.film_id, r.country, r.type, r.date, r.date_start, r.announced_start,
         r.id AS release_id,
         CASE WHEN count(*) > 1 THEN delay_fold(group_concat({_ANNOUNCEMENT}, ';')) END
           AS fold
  FROM releases r
  WHERE {asof.known("r")} {{franchise}}
  GROUP BY r.film_id, r.country, r.type
), d AS MATERIALIZED (
  SELECT g.film_id AS id, {asof.title_sql("f.id", "f.title")} AS title, g.country, g.type,
         CASE WHEN g.fold IS NULL THEN g.date ELSE {_folded(31, 10)} END AS first,
         CASE WHEN g.fold IS NULL THEN g.date ELSE {_folded(41, 10)} END AS "current",
         CASE WHEN g.fold IS NULL THEN 0 ELSE CAST(substr(g.fold, 51, 10) AS INTEGER) END
           AS moves,
         CASE WHEN g.fold IS NULL THEN (CASE WHEN g.date_start IS NOT NULL THEN 0 END)
              ELSE {_folded(72, 11, True)} END AS total_shift_days,
         CASE WHEN g.fold IS NOT NULL THEN {_folded(61, 11, True)} END AS longest_shift_days,
         CASE WHEN g.fold IS NULL THEN g.announced_start ELSE substr(g.fold, 1, 10) END
           AS first_day,
         CASE WHEN g.fold IS NULL THEN g.release_id
              ELSE CAST(substr(g.fold, 11, 20) AS INTEGER) END AS first_release
  FROM g JOIN films f ON f.id = g.film_id
)
{{parts}}
LIMIT :limit
"""
# Most delayed first: ORDER BY total_shift_days IS NULL, total_shift_days DESC, moves DESC,
# id, then the first announcement's (day, id), as three parts that follow each other in
# that order, each sorted on its own. Most rows (every date announced once) fall in the
# middle part, no shift and no move, sorted by film alone: one sort of the whole report
# spent most of its time comparing them on the columns they share (2 µs a row at 1M films).
DELAY_PARTS = (
    (
        "total_shift_days > 0 OR (total_shift_days = 0 AND moves > 0)",
        "total_shift_days DESC, moves DESC, id, first_day, first_release",
    ),
    ("total_shift_days = 0 AND moves = 0", "id, first_day, first_release"),
    (
        "total_shift_days < 0 OR total_shift_days IS NULL",
        "total_shift_days IS NULL, total_shift_days DESC, moves DESC, id, first_day, first_release",
    ),
)


def delays_sql(columns: str, franchise: str = "") -> str:
    """DELAYS_SQL over the result `columns` (SQL over d's columns), `franchise` being more
    conditions on the announcements `r`."""
    parts = "\nUNION ALL\n".join(
        f"SELECT * FROM (SELECT {columns} FROM d WHERE {where} ORDER BY {order})"
        for where, order in DELAY_PARTS
    )
    return DELAYS_SQL.format(franchise=franchise, parts=parts)


ROW_COLUMNS = (
    'id, title, country, type, first, "current", moves, total_shift_days, longest_shift_days'
)
# The columns a CSV line writes as numbers (the others are text or dates, as stored).
NUMBER_COLUMNS = frozenset({"id", "moves", "total_shift_days", "longest_shift_days"})


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


def delay_lines(
    store: Store,
    today: datetime.date,
    line: str,
    *,
    franchise: str | None = None,
    limit: int | None = None,
) -> Iterator[list[str]]:
    """The rows of `delays` as lines of text made by SQLite, `line` being the SQL of one
    row's text over DelayRow's columns (render.sql_csv_line), in batches: for reports of
    millions of rows that need no Python object per cell."""
    franchise = known_franchise(store, franchise)
    return _delay_texts(store, today, franchise, sql_limit(limit), line)


def _delay_texts(
    store: Store, today: datetime.date, franchise: str | None, limit: int, line: str
) -> Iterator[list[str]]:
    texts = _delay_query(store, today, franchise, limit, line)
    try:
        while batch := texts.fetchmany(2000):
            yield [text for (text,) in batch]
    finally:
        _close(texts)


def _close(cursor: sqlite3.Cursor) -> None:
    """A reader that stopped early leaves its cursor open; at exit (`| head`) the database
    may be closed first, and then there is nothing left to close."""
    with contextlib.suppress(sqlite3.ProgrammingError):
        cursor.close()


def _delay_query(
    store: Store, today: datetime.date, franchise: str | None, limit: int, columns: str
) -> sqlite3.Cursor:
    params = asof.params(today, limit=limit)
    where = ""
    if franchise is not None:
        where = (
            "AND r.film_id IN (SELECT id FROM films WHERE franchise = :franchise COLLATE NOCASE)"
        )
        params["franchise"] = franchise.strip()
    _define_delay_fold(store.conn)
    rows = store.conn.cursor()
    rows.row_factory = None  # plain tuples: the fastest rows sqlite3 makes
    rows.execute(delays_sql(columns, where), params)
    return rows


def _delay_rows(
    store: Store, today: datetime.date, franchise: str | None, limit: int
) -> Iterator[DelayRow]:
    rows = _delay_query(store, today, franchise, limit, ROW_COLUMNS)
    try:
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
        _close(rows)


def _define_delay_fold(conn: sqlite3.Connection) -> None:
    """Make delay_fold known to the connection, once: SQLite refuses to (re)define a
    function while another report's statement is being read."""
    known = conn.execute("SELECT 1 FROM pragma_function_list WHERE name = 'delay_fold'").fetchone()
    if known is None:
        conn.create_function("delay_fold", 1, delay_fold, deterministic=True)


def delay_fold(announcements: str) -> str:
    """A (film, country, type)'s announcements (_ANNOUNCEMENT texts joined by ';') folded
    into one fixed-width text: the first's key (30), the first and the current date (10
    each), the moves (10), the longest move and the total shift in days (11 each, blank
    when none). A move is a new date whose window and the previous one's are both known
    and neither holds the other (tracker.dates.classify_change: a refined, vaguer or
    confirmed date is not a move); the longest is the earliest of equally long ones.
    Called once for each date announced more than once: millions of times at most."""
    texts = announcements.split(";")
    texts.sort()  # the order announced
    first = current = texts[0]
    first_start = start = first[30:40]  # the previous window (blanks: TBA)
    end = first[40:50]
    moves = 0
    longest = -1
    longest_shift: int | str = ""
    for current in texts[1:]:
        new_start, new_end = current[30:40], current[40:50]
        if (
            (new_start < start or end < new_end)  # the old window does not hold the new
            and (start < new_start or new_end < end)  # nor the new the old
            and _NO_WINDOW not in (start, end, new_start, new_end)  # neither is TBA
        ):
            moves += 1
            shift = _ordinal(new_start) - _ordinal(start)
            if abs(shift) > longest:
                longest, longest_shift = abs(shift), shift
        start, end = new_start, new_end
    total: int | str = ""
    if first_start != _NO_WINDOW and start != _NO_WINDOW:
        total = _ordinal(start) - _ordinal(first_start)
    fields = (first[:30], first[50:], current[50:], moves, longest_shift, total)
    # %-formatting: half the time of an f-string with as many format specs
    return "%s%-10s%-10s%010d%11s%11s" % fields  # noqa: UP031


_ORDINALS: dict[str, int] = {}


def _ordinal(day: str) -> int:
    """The day's ordinal, remembered (a dict: a third of the time of functools.lru_cache)."""
    number = _ORDINALS.get(day)
    if number is None:
        if len(_ORDINALS) >= 1 << 16:
            _ORDINALS.clear()
        number = _ORDINALS[day] = datetime.date.fromisoformat(day).toordinal()
    return number
