"""How far release dates slipped (delays).

It costs no query per film, and does not hold the catalogue in memory. delays is one
query: it walks the films and, for each, its known announcements in index order ((film,
country, type), then the order announced), and folds each (film, country, type) into one
row as it goes (a date announced once is its own row; one announced several times goes
through delay_fold, a function SQLite calls once per such group). Each row is one text: its
place in the report (the sort key, which SQLite's sorter compares byte by byte, spilling to
a temporary file), then its cells, worked out once, where the row is made; as CSV, SQLite
writes the whole line (render.sql_csv_line) and a second thread quotes and writes them.
With --limit N, only the films that can give the first N rows are read (_leading_floor).
"""

from __future__ import annotations

import datetime
import functools
import sqlite3
from collections.abc import Iterator

from tracker import asof
from tracker.cells import MAY_START_A_FORMULA as FORMULA_START
from tracker.cells import neutralise, sql_neutralise
from tracker.csv_lines import UNIT
from tracker.dates import day_number, from_iso
from tracker.domain.films import known_franchise
from tracker.errors import BadFile, InvalidDate
from tracker.limits import close_cursor, sql_limit
from tracker.store import Store, shift_bounds
from tracker.views.rows import DelayRow

# A row's place in the report (most delayed first: total shift, none last; then moves, the
# film, the first announcement's day and id) as a text that sorts byte by byte, 70
# characters: the part (1 later or moved, 2 unchanged, 3 earlier, 4 TBA at either end),
# the total shift (the moves' days summed) and the moves counted down from fixed bases (a
# move is at most the 3.65 million days between years 1 and 9999: beyond 10**8 days a total
# would need dozens of moves across the whole calendar, and sort out of place), the film,
# then the first announcement's day and id. One text compared with memcmp: sorting on the
# columns themselves compares most rows on several equal ones first.
_TOTAL_BASE = 10**8
_MOVES_BASE = 10**10 - 1
_KEY_HEAD = "%d%09d%010d"  # the part, the total shift and the moves counted down
_SORT_KEY = _KEY_HEAD + "%020d%s%020d"  # then the film, the first announcement's day and id
SORT_KEY_LENGTH = 70
# A row's text after its key: its head (the CSV line's first cells and a UNIT, or nothing)
# and the last five cells joined by UNIT.
_ROW_TEXT = _SORT_KEY + "%s%s\x1f%s\x1f%d\x1f%s\x1f%s"

# The film's title on :today; the title history only for the few films that have one.
_TITLE = (
    "CASE WHEN f.id IN (SELECT film_id FROM titles)"
    f" THEN {asof.title_sql('f.id', 'f.title')} ELSE f.title END"
)

# One row per (film, country, type): for each film (in id order), the grouping walks the
# index on (film_id, country, type, announced_start, id): no sort of the history, one read
# of it. The join drops the releases of a film gone (deleted by another program). A group
# of one announcement is that announcement (its bare columns): first and current date, no
# moves, no shift unless TBA (part 2, or 4 when TBA). A group of several goes through
# delay_fold ({fold}), which returns the row's text. The row's text (row_text) is its sort
# key, {head} (the CSV line's first four cells and a UNIT, or nothing), then the last five
# cells. The names the CSV line reads (id, title, country, type) are columns of `a` (which
# SQLite flattens into the grouping). {columns}: the result's columns, row_text last.
DELAYS_SQL = f"""
WITH a AS (
  SELECT f.id, {_TITLE} AS title, r.country, r.type, r.id AS release_id,
         r.announced_start, r.date, r.date_start
  FROM films f JOIN releases r ON r.film_id = f.id
  WHERE {asof.known("r")} {{franchise}}
)
SELECT {{columns}}
  CASE WHEN count(*) > 1 THEN {{fold}}
    ELSE printf('%s%020d%s%020d%s%s{UNIT}%s{UNIT}0{UNIT}%s{UNIT}',
      CASE WHEN date_start IS NULL THEN '{_KEY_HEAD % (4, _TOTAL_BASE, _MOVES_BASE)}'
        ELSE '{_KEY_HEAD % (2, _TOTAL_BASE, _MOVES_BASE)}' END,
      id, announced_start, release_id, {{head}}, {{date}}, {{date}},
      CASE WHEN date_start IS NOT NULL THEN 0 END)
  END AS row_text
FROM a
GROUP BY id, country, type
ORDER BY row_text
{{limit}}
"""

# delay_fold's reading of a group: its dates (TBA as '') in the order the walk reads them,
# the first announcement's day and id from the group's bare columns (SQLite takes them from
# the group's first row). Neither is promised by SQLite's documentation: _walk_keeps_order
# checks this SQLite once, and each statement's plan is checked for the index walk; where
# either fails, _SORTED_FOLD passes texts that sort as announced (the day, the id padded to
# 20 digits, then the date) and delay_fold_sorted sorts them first.
_WALKED_FOLD = (
    "delay_fold(id, announced_start, release_id, group_concat(ifnull(date, ''), ';'), :raw, {head})"
)
_SORTED_FOLD = (
    "delay_fold_sorted(id, group_concat(announced_start || printf('%020d', release_id)"
    " || ifnull(date, ''), ';'), :raw, {head})"
)
_WALKED_INDEX = "USING INDEX idx_releases_film_id_country_type_announced_start_id"


def delays_sql(
    columns: str, head: str, raw: bool, franchise: str = "", limited: bool = False,
    walked: bool = True,
) -> str:  # fmt: skip
    """DELAYS_SQL over the result `columns` (each followed by a comma) and row_text, `head`
    the SQL of the text between a row's key and its last five cells, their dates neutralised
    unless `raw`, `franchise` being more conditions on the announcements `r` and films `f`;
    LIMIT :limit when `limited` (SQLite then keeps the first rows in a b-tree; without, its
    sorter sorts them all); delay_fold reads its dates in the walk's order when `walked`."""
    fold = _WALKED_FOLD if walked else _SORTED_FOLD
    return DELAYS_SQL.format(
        columns=columns,
        fold=fold.format(head=head),
        head=head,
        date="date" if raw else sql_neutralise("date"),
        franchise=franchise,
        limit="LIMIT :limit" if limited else "",
    )


ROW_COLUMNS = "id, title, country, type,"
# The columns a CSV line's head writes (then a UNIT and the last five cells, which
# delay_fold or the query wrote, their dates neutralised there), and those written as
# they are.
LINE_COLUMNS = ("id", "title", "country", "type")
AS_IS_COLUMNS = frozenset({"id"})


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
    """The rows of `delays` as lines of text made by SQLite, `line` being the SQL of the
    text of a row's first cells, over LINE_COLUMNS (render.sql_csv_line, AS_IS_COLUMNS as
    they are, the others neutralised unless `raw`, as the last five cells' dates are), in
    batches: for reports of millions of rows that need no Python object per cell."""
    franchise = known_franchise(store, franchise)
    return _delay_texts(store, today, franchise, sql_limit(limit), line, raw)


def _delay_texts(
    store: Store, today: datetime.date, franchise: str | None, limit: int, line: str, raw: bool
) -> Iterator[list[str]]:
    began = not store.conn.in_transaction
    texts = _delay_query(store, today, franchise, limit, "", f"{line} || '{UNIT}'", raw)
    key = SORT_KEY_LENGTH
    try:
        while batch := texts.fetchmany(2000):
            yield [text[key:] for (text,) in batch]
    finally:
        close_cursor(texts)
        _end_snapshot(store, began)


def _delay_query(
    store: Store,
    today: datetime.date,
    franchise: str | None,
    limit: int,
    columns: str,
    head: str,
    raw: bool,
) -> sqlite3.Cursor:
    params = asof.params(today, raw=raw, limit=limit)
    where = ""
    if franchise is not None:
        where = "AND f.id IN (SELECT id FROM films WHERE franchise = :franchise COLLATE NOCASE)"
        params["franchise"] = franchise.strip()
    _define_delay_fold(store.conn)
    # The sorter sorts and writes each full batch of rows in threads of its own (no GIL)
    # while this one walks the history on: -8% at a million films on two cores.
    store.conn.execute("PRAGMA threads = 2")
    if limit > 0:
        if not store.conn.in_transaction:
            # The probe and the report read one snapshot: a write between them by another
            # process could leave out the rows it read the floor from. Ended by the
            # reader (_end_snapshot).
            store.conn.execute("BEGIN")
        floor = _leading_floor(store.conn, where, params, limit)
        if floor is not None:
            where += _LEADING
            params["floor"] = floor
    sql = _statement(store.conn, columns, head, raw, where, limit > 0, params)
    rows = store.conn.cursor()
    rows.row_factory = None  # plain tuples: the fastest rows sqlite3 makes
    rows.execute(sql, params)
    return rows


def _end_snapshot(store: Store, began: bool) -> None:
    """End the read transaction _delay_query began, unless the database is closed by now (a
    reader dropped after its connection, as close_cursor allows)."""
    try:
        if began and store.conn.in_transaction:
            store.conn.execute("COMMIT")
    except sqlite3.ProgrammingError:
        pass


def _statement(
    conn: sqlite3.Connection,
    columns: str,
    head: str,
    raw: bool,
    where: str,
    limited: bool,
    params: dict[str, object],
) -> str:
    sql = delays_sql(columns, head, raw, where, limited=limited)
    if not (_walk_keeps_order() and _walks_the_index(conn, sql, params)):
        sql = delays_sql(columns, head, raw, where, limited=limited, walked=False)
    return sql


# Only the films whose dates were ever moved later by at least :floor days in all
# (store.shift_bounds).
_LEADING = f" AND f.id IN (SELECT film_id FROM {shift_bounds.TABLE} WHERE bound >= :floor)"


def _leading_floor(
    conn: sqlite3.Connection, where: str, params: dict[str, object], limit: int
) -> int | None:
    """The least bound (store.shift_bounds) of the films the first `limit` rows are read
    from, or None when they need every film. A probe reads the films bounded by at least B,
    the `limit`-th highest bound. When its last row is a delay of T days, T >= 1, the films
    bounded by at least min(B, T) hold the first rows: any other film shows less than T on
    any day. When the probe finds fewer rows, or its last is no delay, it reads sixteen
    times as many films, and so on. For `--limit 1` at a million films, one film's history
    is read (twice) instead of all of them."""
    if not shift_bounds.exists(conn):
        return None
    depth = limit
    while True:
        deepest = conn.execute(
            f"SELECT bound FROM {shift_bounds.TABLE} ORDER BY bound DESC LIMIT 1 OFFSET ?",
            [depth - 1],
        ).fetchone()
        floor = (
            deepest[0]
            if deepest
            else conn.execute(f"SELECT min(bound) FROM {shift_bounds.TABLE}").fetchone()[0]
        )
        if floor is None:
            return None  # no film's dates ever moved later
        probe = {**params, "floor": floor}
        rows = conn.cursor()
        rows.row_factory = None
        rows.execute(_statement(conn, "", "''", True, where + _LEADING, True, probe), probe)
        found, last = 0, ""
        for row in rows:  # only the last row is kept: a --limit may be large
            found, last = found + 1, row[0]
        if found == limit and (delay := _delay_of(last)) >= 1:
            return int(min(floor, delay))
        if deepest is None:
            return None  # every bounded film was read: the first rows need the others too
        depth *= 16


def _delay_of(row_text: str) -> int:
    """The total shift of a row later than it began (part 1), from its sort key; -1 for any
    other row."""
    return _TOTAL_BASE - int(row_text[1:10]) if row_text[0] == "1" else -1


def _delay_rows(
    store: Store, today: datetime.date, franchise: str | None, limit: int
) -> Iterator[DelayRow]:
    began = not store.conn.in_transaction
    rows = _delay_query(store, today, franchise, limit, ROW_COLUMNS, "''", raw=True)
    key = SORT_KEY_LENGTH
    try:
        for film_id, title, country, kind, text in rows:
            cells = text[key:].split(UNIT)
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
        _end_snapshot(store, began)


@functools.cache
def _walk_keeps_order() -> bool:
    """Whether this SQLite groups rows read in an index's order as _WALKED_FOLD needs:
    group_concat in that order, bare columns from each group's first row. Tried once, on a
    few rows in memory (stored out of order, one group's first row NULL)."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.executescript(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, g INTEGER, k TEXT, v TEXT);"
            " CREATE INDEX t_g ON t (g, k, id);"
            " INSERT INTO t VALUES (3, 1, 'a', 'x'), (1, 1, 'b', 'y'), (2, 1, 'b', 'z'),"
            " (5, 2, 'c', NULL), (4, 2, 'd', 'w');"
        )
        rows = conn.execute(
            "SELECT g, id, v, group_concat(ifnull(v, ''), ';') FROM t WHERE k > '' GROUP BY g"
        ).fetchall()
    finally:
        conn.close()
    return rows == [(1, 3, "x", "x;y;z"), (2, 5, None, ";w")]


def _walks_the_index(conn: sqlite3.Connection, sql: str, params: dict[str, object]) -> bool:
    """Whether the statement groups the announcements as it walks their index (no sort
    for the grouping), so that each group's rows come in the order announced."""
    plan = [step for (_, _, _, step) in conn.execute("EXPLAIN QUERY PLAN " + sql, params)]
    return any(_WALKED_INDEX in step for step in plan) and not any(
        "GROUP BY" in step for step in plan
    )


def _define_delay_fold(conn: sqlite3.Connection) -> None:
    """Make delay_fold (and delay_fold_sorted) known to the connection, once: SQLite
    refuses to (re)define a function while another report's statement is being read."""
    known = conn.execute("SELECT 1 FROM pragma_function_list WHERE name = 'delay_fold'").fetchone()
    if known is None:
        conn.create_function("delay_fold_sorted", 4, delay_fold_sorted, deterministic=True)
        conn.create_function("delay_fold", 6, delay_fold, deterministic=True)


# A stored date -> its window as two day ordinals (None: TBA, or a text tracker cannot
# read, whose window is unknown); a report reads the same dates a million times over.
_WINDOWS: dict[str, tuple[int, int] | None] = {}


def _window(date: str) -> tuple[int, int] | None:
    if len(date) == 10 and date[4] == "-" == date[7]:  # a day: most dates, quickest read
        try:
            day = day_number(date)
        except ValueError:
            return None
        window = (day, day)
    else:
        try:
            fuzzy = from_iso(date)
        except InvalidDate:
            return None
        if fuzzy.start is None or fuzzy.end is None:
            return None
        window = (fuzzy.start.toordinal(), fuzzy.end.toordinal())
    if len(_WINDOWS) >= 1 << 16:
        _WINDOWS.clear()
    _WINDOWS[date] = window
    return window


def delay_fold(film_id: int, first_day: str, first_id: int, dates: str, raw: int, head: str) -> str:
    """A (film, country, type)'s dates (stored texts joined by ';', '' for TBA, in the order
    announced) folded into its row's text: its sort key (_SORT_KEY; the first announcement
    was made on `first_day` and has id `first_id`), `head`, then its last five cells joined
    by UNIT: the first and the current date (neutralised unless `raw`), the moves, the total
    shift and the longest move in days ('' when none). A move is a new date whose window and
    the previous one's are both known and neither holds the other
    (tracker.dates.classify_change: a refined, vaguer or confirmed date is not a move); the
    longest is the earliest of equally long ones. Called once for each date announced more
    than once: millions of times at most, so written for speed (day ordinals of each date's
    window from a plain dict)."""
    texts = dates.split(";")
    windows = _WINDOWS
    first_date = texts[0]
    previous = windows.get(first_date)
    if previous is None and first_date:
        previous = _window(first_date)
    known_first = previous is not None
    moves = moved = 0  # moved: the days of every move, summed
    longest = -1
    longest_shift: int | str = ""
    for text in texts[1:]:
        window = windows.get(text)
        if window is None and text:
            window = _window(text)
        if window is not None and previous is not None:
            start, end = previous
            new_start, new_end = window
            if (new_start < start or end < new_end) and (start < new_start or new_end < end):
                moves += 1  # neither window holds the other
                shift = new_start - start
                moved += shift
                if abs(shift) > longest:
                    longest, longest_shift = abs(shift), shift
        previous = window
    current_date = texts[-1]
    if not raw and (first_date[:1] in FORMULA_START or current_date[:1] in FORMULA_START):
        first_date, current_date = neutralise(first_date), neutralise(current_date)
    total: int | str = ""  # TBA at either end: no total shift (part 4)
    part, total_code = 4, _TOTAL_BASE
    if known_first and previous is not None:
        # Moves only: a date made exact (refined) or vaguer shifts nothing.
        part = 1 if moved > 0 or (moved == 0 and moves) else 2 if moved == 0 else 3
        total, total_code = moved, _TOTAL_BASE - moved
    return _ROW_TEXT % (
        part, total_code, _MOVES_BASE - moves, film_id, first_day, first_id, head,
        first_date, current_date, moves, total, longest_shift,
    )  # fmt: skip


def delay_fold_sorted(film_id: int, announcements: str, raw: int, head: str) -> str:
    """delay_fold of a group's announcements in any order, each its day, its id padded to
    20 digits and its date (_SORTED_FOLD): for a SQLite, or a plan, that does not read them
    in the order announced."""
    texts = sorted(announcements.split(";"))
    first = texts[0]
    dates = ";".join(text[30:] for text in texts)
    return delay_fold(film_id, first[:10], int(first[10:30]), dates, raw, head)
