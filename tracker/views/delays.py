"""How far release dates slipped (delays).

It costs no query per film, and does not hold the catalogue in memory. delays is one
query: it reads every known announcement once in index order ((film, country, type), then
the order announced) and folds each (film, country, type) into one row as it goes (a date
announced once is its own row; one announced several times goes through delay_fold, a
function SQLite calls once per such group). Each row carries its place in the report as one
text (the sort key) that SQLite's sorter compares byte by byte (spilling to a temporary
file), and its cells are worked out once, where the row is made. As CSV, SQLite also
writes the lines (render.sql_csv_line), and a second thread quotes and writes them.
"""

from __future__ import annotations

import datetime
import sqlite3
from collections.abc import Iterator

from tracker import asof
from tracker.cells import MAY_START_A_FORMULA as FORMULA_START
from tracker.cells import neutralise, sql_neutralise
from tracker.csv_lines import UNIT
from tracker.dates import DAY_NUMBERS, day_number, from_iso
from tracker.domain.films import known_franchise
from tracker.errors import BadFile
from tracker.limits import close_cursor, sql_limit
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

# A row's place in the report (most delayed first: total shift, none last; then moves, the
# film, the first announcement's day and id) as a text that sorts byte by byte, 70
# characters: the part (1 later or moved, 2 unchanged, 3 earlier, 4 TBA at either end),
# the total shift (the moves' days summed) and the moves counted down from fixed bases (a
# move is at most the 3.65 million days between years 1 and 9999: beyond 10**8 days a total
# would need dozens of moves across the whole calendar, and sort out of place), the film,
# then the first announcement's first
# 30 characters (its day and id). One text compared with memcmp: sorting on the columns
# themselves compares most rows on several equal ones first.
_TOTAL_BASE = 10**8
_MOVES_BASE = 10**10 - 1
_KEY_HEAD = "%d%09d%010d"  # the part, the total shift and the moves counted down
_SORT_KEY = _KEY_HEAD + "%020d%s"  # then the film and the first announcement's 30 characters
SORT_KEY_LENGTH = 70


_STORED_TITLE = "(SELECT f.title FROM films f WHERE f.id = r.film_id)"

# One row per (film, country, type), made as the grouping walks the index on (film_id,
# country, type, announced_start, id): no sort of the history, one read of it. A group of
# one announcement is that announcement (its bare columns): first and current date, no
# moves, no shift unless TBA (part 2, or 4 when TBA). A group of several goes through
# delay_fold, which returns its sort key and its last five cells (first, current, moves,
# total and longest shift) as one text. The title is looked up once per group, in the
# grouping (no join); the title history only for the few films that have one (retitled).
# MATERIALIZED: read as a co-routine instead, the groups cost more (their title above
# all). The releases of a film gone (deleted by another program) have no title: skipped.
# {columns}: the result's columns over id, title, country, type and tail (the last five
# cells, joined by UNIT).
DELAYS_SQL = f"""
WITH g AS MATERIALIZED (
  SELECT r.film_id AS id,
         CASE WHEN r.film_id IN (SELECT film_id FROM titles) AND {_STORED_TITLE} IS NOT NULL
           THEN {asof.title_sql("r.film_id", _STORED_TITLE)} ELSE {_STORED_TITLE} END AS title,
         r.country, r.type, r.date, r.date_start, r.announced_start, r.id AS release_id,
         CASE WHEN count(*) > 1
           THEN delay_fold(r.film_id, group_concat({_ANNOUNCEMENT}, ';'), :raw) END AS fold
  FROM releases r
  WHERE {asof.known("r")} {{franchise}}
  GROUP BY r.film_id, r.country, r.type
)
SELECT {{columns}} FROM (
  SELECT id, title, country, type,
         CASE WHEN fold IS NULL THEN {{single_tail}}
           ELSE substr(fold, {SORT_KEY_LENGTH + 1}) END AS tail,
         CASE WHEN fold IS NULL
           THEN printf('%s%020d%s%020d', CASE WHEN date_start IS NULL
             THEN '{_KEY_HEAD % (4, _TOTAL_BASE, _MOVES_BASE)}'
             ELSE '{_KEY_HEAD % (2, _TOTAL_BASE, _MOVES_BASE)}' END,
             id, announced_start, release_id)
           ELSE fold END AS sort_key
  FROM g WHERE title IS NOT NULL
)
ORDER BY sort_key
{{limit}}
"""


def delays_sql(columns: str, raw: bool, franchise: str = "", limited: bool = False) -> str:
    """DELAYS_SQL over the result `columns`, the dates in the tail neutralised unless `raw`,
    `franchise` being more conditions on the announcements `r`; LIMIT :limit when `limited`
    (SQLite then keeps the first rows in a b-tree; without, its sorter sorts them all)."""
    date = "date" if raw else sql_neutralise("date")
    single_tail = (
        f"printf('%s{UNIT}%s{UNIT}0{UNIT}%s{UNIT}', {date}, {date},"
        " CASE WHEN date_start IS NOT NULL THEN 0 END)"
    )
    return DELAYS_SQL.format(
        columns=columns,
        single_tail=single_tail,
        franchise=franchise,
        limit="LIMIT :limit" if limited else "",
    )


ROW_COLUMNS = "id, title, country, type, tail"
# The columns a CSV line writes as they are: the id, and the tail delay_fold or the query
# wrote (its dates neutralised there).
LINE_COLUMNS = ("id", "title", "country", "type", "tail")
AS_IS_COLUMNS = frozenset({"id", "tail"})


def delays(
    store: Store,
    today: datetime.date,
    *,
    franchise: str | None = None,
    limit: int | None = None,
) -> Iterator[DelayRow]:
    """Per film and (country, type): first and current date, the number of moves, the total
    shift (the moves' days summed) and the longest single move in days; most delayed first. Arguments are checked
    before the first row is asked for, so an unknown franchise prints nothing else."""
    franchise = known_franchise(store, franchise)
    return _delay_rows(store, today, franchise, sql_limit(limit))


def delay_lines(
    store: Store,
    today: datetime.date,
    line: str,
    *,
    raw: bool = False,
    franchise: str | None = None,
    limit: int | None = None,
) -> Iterator[list[str]]:
    """The rows of `delays` as lines of text made by SQLite, `line` being the SQL of one
    row's text over LINE_COLUMNS (render.sql_csv_line, AS_IS_COLUMNS as they are, the
    others neutralised unless `raw`, as the tail's dates are), in batches: for reports of
    millions of rows that need no Python object per cell."""
    franchise = known_franchise(store, franchise)
    return _delay_texts(store, today, franchise, sql_limit(limit), line, raw)


def _delay_texts(
    store: Store, today: datetime.date, franchise: str | None, limit: int, line: str, raw: bool
) -> Iterator[list[str]]:
    texts = _delay_query(store, today, franchise, limit, line, raw)
    try:
        while batch := texts.fetchmany(2000):
            yield [text for (text,) in batch]
    finally:
        close_cursor(texts)


def _delay_query(
    store: Store, today: datetime.date, franchise: str | None, limit: int, columns: str, raw: bool
) -> sqlite3.Cursor:
    params = asof.params(today, raw=raw, limit=limit)
    where = ""
    if franchise is not None:
        where = (
            "AND r.film_id IN (SELECT id FROM films WHERE franchise = :franchise COLLATE NOCASE)"
        )
        params["franchise"] = franchise.strip()
    _define_delay_fold(store.conn)
    # The sorter sorts and writes each full batch of rows in threads of its own (no GIL)
    # while this one walks the history on: -8% at a million films on two cores.
    store.conn.execute("PRAGMA threads = 2")
    rows = store.conn.cursor()
    rows.row_factory = None  # plain tuples: the fastest rows sqlite3 makes
    rows.execute(delays_sql(columns, raw, where, limited=limit > 0), params)
    return rows


def _delay_rows(
    store: Store, today: datetime.date, franchise: str | None, limit: int
) -> Iterator[DelayRow]:
    rows = _delay_query(store, today, franchise, limit, ROW_COLUMNS, raw=True)
    try:
        for film_id, title, country, kind, tail in rows:
            cells = tail.split(UNIT)
            if len(cells) != 5:
                raise BadFile(
                    "the database holds a release date with control characters (U+001F),"
                    " which tracker never writes"
                )
            first, current, moves, total, longest = cells
            yield {
                "id": film_id,
                "title": title,
                "country": country,
                "type": kind,
                "first": from_iso(first),
                "current": from_iso(current),
                "moves": int(moves),
                "total_shift_days": int(total) if total else None,
                "longest_shift_days": int(longest) if longest else None,
            }
    finally:
        close_cursor(rows)


def _define_delay_fold(conn: sqlite3.Connection) -> None:
    """Make delay_fold known to the connection, once: SQLite refuses to (re)define a
    function while another report's statement is being read."""
    known = conn.execute("SELECT 1 FROM pragma_function_list WHERE name = 'delay_fold'").fetchone()
    if known is None:
        conn.create_function("delay_fold", 3, delay_fold, deterministic=True)


def delay_fold(film_id: int, announcements: str, raw: int) -> str:
    """A (film, country, type)'s announcements (_ANNOUNCEMENT texts joined by ';') folded
    into its sort key (_SORT_KEY) followed by its last five cells joined by UNIT: the first
    and the current date (neutralised unless `raw`), the moves, the total shift and the
    longest move in days ('' when none). A move is a new date whose window and the previous
    one's are both known and neither holds the other (tracker.dates.classify_change: a
    refined, vaguer or confirmed date is not a move); the longest is the earliest of
    equally long ones. Called once for each date announced more than once: millions of
    times at most, so written for speed (one format, day ordinals from a plain dict)."""
    texts = announcements.split(";")
    texts.sort()  # the order announced
    first = texts[0]
    first_start = start = first[30:40]  # the previous window (blanks: TBA)
    end = first[40:50]
    moves = moved = 0  # moved: the days of every move, summed
    longest = -1
    longest_shift: int | str = ""
    ordinals = DAY_NUMBERS
    for current in texts[1:]:
        new_start, new_end = current[30:40], current[40:50]
        if (
            (new_start < start or end < new_end)  # the old window does not hold the new
            and (start < new_start or new_end < end)  # nor the new the old
            and _NO_WINDOW not in (start, end, new_start, new_end)  # neither is TBA
        ):
            moves += 1
            shift = (ordinals.get(new_start) or day_number(new_start)) - (
                ordinals.get(start) or day_number(start)
            )
            moved += shift
            if abs(shift) > longest:
                longest, longest_shift = abs(shift), shift
        start, end = new_start, new_end
    first_date, current_date = first[50:], texts[-1][50:]
    if not raw and (first_date[:1] in FORMULA_START or current_date[:1] in FORMULA_START):
        first_date, current_date = neutralise(first_date), neutralise(current_date)
    total: int | str = ""  # TBA at either end: no total shift (part 4)
    part, total_code = 4, _TOTAL_BASE
    if first_start != _NO_WINDOW and start != _NO_WINDOW:
        # Moves only: a date made exact (refined) or vaguer shifts nothing.
        part = 1 if moved > 0 or (moved == 0 and moves) else 2 if moved == 0 else 3
        total, total_code = moved, _TOTAL_BASE - moved
    key = (part, total_code, _MOVES_BASE - moves, film_id, first[:30])
    cells = (*key, first_date, current_date, moves, total, longest_shift)
    return (_SORT_KEY + "%s\x1f%s\x1f%d\x1f%s\x1f%s") % cells
