"""Per film, the most days any of its release dates was ever reported as moved later: what
lets `delays --limit N` find its first rows without folding every film's history.

`delays` sorts by the days a (film, country, type)'s moves add up to, as of the day asked:
its announcements known that day, in the order announced (views.delays). On any day the
known ones are those with `known_from` up to a threshold, so a group can only ever show the
totals of its announcements known by one of its own `known_from` days. `bound` is the
largest of those totals over all the film's groups (positive ones only: a film whose dates
never added up to a delay has no row). A film without a bound of at least T shows no total
of T on any day, so the first N rows of `delays` are among the films bounded by at least
the N-th row's total, whatever the day.

Kept by triggers on `releases`, in SQL (the same moves as `dates.classify_change`: both
windows known, neither holding the other; the shift is start to start), so a write by any
program keeps it. A bulk append sets the insert trigger aside and bounds the films it added
to in one statement (`AppendLog.close`); a bulk undo (the undo triggers off) does the same
for the films it touched (`undo.revert_last`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

TABLE = "release_shift_bounds"
# The triggers run only when undo's are on, as the tombstones' do: a bulk undo turns them
# off and bounds the films it touched at the end.
_ENABLED = "coalesce((SELECT enabled FROM undo_state WHERE id = 1), 1)"
_INSERT_TRIGGER = f"{TABLE}_ai"
# The films a bulk change touched, to be bound again at its end.
_NOTED = "CREATE TEMP TABLE IF NOT EXISTS shift_films (film_id INTEGER PRIMARY KEY)"


def bounds_sql(films: str) -> str:
    """SELECT film_id, bound for the films `films` (a condition on `t`, the releases read)
    keeps, where bound > 0: for each announcement t, the total of its group's moves among
    the announcements known by t's day, in the order announced; the largest per film."""
    return f"""SELECT film_id, CAST(max(total) AS INTEGER) FROM (
  SELECT film_id, sum(CASE WHEN ps IS NOT NULL AND pe IS NOT NULL
      AND date_start IS NOT NULL AND date_end IS NOT NULL
      AND (date_start < ps OR pe < date_end) AND (ps < date_start OR date_end < pe)
    THEN julianday(date_start) - julianday(ps) ELSE 0 END) AS total
  FROM (
    SELECT t.id AS tid, s.film_id, s.date_start, s.date_end,
      lag(s.date_start) OVER known AS ps, lag(s.date_end) OVER known AS pe
    FROM releases t JOIN releases s ON s.film_id = t.film_id AND s.country IS t.country
      AND s.type = t.type AND s.known_from <= t.known_from
    WHERE {films}
    WINDOW known AS (PARTITION BY t.id ORDER BY s.announced_start, s.id)
  ) GROUP BY tid
) GROUP BY film_id HAVING max(total) > 0"""


def _rebound(films: str, subject: str) -> str:
    """The statements that bound again the films `subject` names (SQL of a set of ids)."""
    return (
        f"DELETE FROM {TABLE} WHERE film_id IN ({subject});"
        f" INSERT INTO {TABLE} (film_id, bound) {bounds_sql(films)};"
    )


def _trigger(name: str, event: str, films: str, subject: str) -> str:
    return (
        f"CREATE TRIGGER {name} AFTER {event} ON releases WHEN {_ENABLED}"
        f" BEGIN {_rebound(films, subject)} END"
    )


TRIGGERS = (
    _trigger(_INSERT_TRIGGER, "INSERT", "t.film_id = new.film_id", "new.film_id"),
    _trigger(f"{TABLE}_ad", "DELETE", "t.film_id = old.film_id", "old.film_id"),
    _trigger(
        f"{TABLE}_au",
        "UPDATE OF id, film_id, country, type, date, date_start, date_end, announced,"
        " announced_start",  # id: it orders announcements made on one day
        "t.film_id IN (old.film_id, new.film_id)",
        "old.film_id, new.film_id",
    ),
)


def create(conn: sqlite3.Connection) -> None:
    """The table, its index, its triggers, and every film's bound (a migration)."""
    conn.execute(f"CREATE TABLE {TABLE} (film_id INTEGER PRIMARY KEY, bound INTEGER NOT NULL)")
    conn.execute(f"CREATE INDEX {TABLE}_bound ON {TABLE} (bound)")
    for trigger in TRIGGERS:
        conn.execute(trigger)
    _bound_every_film(conn)


def _bound_every_film(conn: sqlite3.Connection) -> None:
    conn.execute(f"DELETE FROM {TABLE}")
    conn.execute(f"INSERT INTO {TABLE} (film_id, bound) {bounds_sql('1')}")


def exists(conn: sqlite3.Connection) -> bool:
    return bool(
        conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [TABLE]
        ).fetchone()
    )


def set_aside_insert_trigger(conn: sqlite3.Connection) -> bool:
    """Drop the insert trigger for a bulk append (inside its transaction); True when there
    was one, to be put back by `bound_appended`."""
    found = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ?", [_INSERT_TRIGGER]
    ).fetchone()
    if found:
        conn.execute(f"DROP TRIGGER {_INSERT_TRIGGER}")
    return found is not None


def bound_appended(conn: sqlite3.Connection, after_rowid: int, rowids: list[int]) -> None:
    """Bound again the films of the releases appended after `after_rowid` (and of these
    lower rowids), and put the insert trigger back."""
    if after_rowid == 0 and not rowids:  # into an empty table: every film, no id list
        _bound_every_film(conn)
    else:
        touch_after(conn, after_rowid)
        touch(conn, rowids)
        bound_touched(conn)
    conn.execute(TRIGGERS[0])


def touch(conn: sqlite3.Connection, rowids: Iterable[int], films: Iterable[int] = ()) -> None:
    """Note the films of these releases (by rowid), and these films, to be bound again by
    `bound_touched`."""
    conn.execute(_NOTED)
    conn.executemany(
        "INSERT OR IGNORE INTO temp.shift_films SELECT film_id FROM releases WHERE rowid = ?",
        [(rowid,) for rowid in rowids],
    )
    conn.executemany(
        "INSERT OR IGNORE INTO temp.shift_films VALUES (?)", [(film,) for film in films]
    )


def touch_after(conn: sqlite3.Connection, after_rowid: int) -> None:
    """Note the films of the releases after `after_rowid` (a bulk entry about to be undone)."""
    conn.execute(_NOTED)
    conn.execute(
        "INSERT OR IGNORE INTO temp.shift_films SELECT film_id FROM releases WHERE rowid > ?",
        [after_rowid],
    )


def bound_touched(conn: sqlite3.Connection) -> None:
    """Bound again every film noted (`touch`, `touch_after`), and forget them."""
    conn.execute(_NOTED)
    subject = "SELECT film_id FROM temp.shift_films"
    conn.execute(f"DELETE FROM {TABLE} WHERE film_id IN ({subject})")
    conn.execute(f"INSERT INTO {TABLE} (film_id, bound) {bounds_sql(f't.film_id IN ({subject})')}")
    conn.execute("DROP TABLE temp.shift_films")


def stale_films(conn: sqlite3.Connection) -> int:
    """How many films' stored bounds differ from their history: none, while the triggers
    and the bulk paths keep them (the tests' check)."""
    stored = f"SELECT film_id, bound FROM {TABLE}"
    return int(
        conn.execute(
            f"SELECT (SELECT count(*) FROM ({stored} EXCEPT {bounds_sql('1')}))"
            f" + (SELECT count(*) FROM ({bounds_sql('1')} EXCEPT {stored}))"
        ).fetchone()[0]
    )
