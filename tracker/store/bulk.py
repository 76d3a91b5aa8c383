"""Loading many rows at once: one transaction, `executemany`, and one compact undo entry per
table instead of a logged inverse for every row.

Rows are plain tuples already checked by the caller (the benchmark builds them with
FuzzyDate, so stored dates are exactly what `insert_release` would write). Ids are
appended after the largest existing id, which is what lets undo remove a bulk load with one
`DELETE ... WHERE rowid > N` per table. `AppendLog` and `unlogged` are the two halves of that
mechanism, shared with `tracker.csvio`'s import.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from tracker.store import Store

FILM_COLUMNS = ("id", "title", "title_key", "year", "franchise", "instalment")
STATUS_COLUMNS = ("film_id", "status", "on_date", "on_start", "note", "source")
RELEASE_COLUMNS = (
    "film_id", "country", "type", "date", "date_start", "date_end",
    "announced", "announced_start", "source", "note",
)  # fmt: skip
SHOOT_COLUMNS = (
    "id", "place", "region", "country", "start", "start_key", "end", "end_key", "note", "source",
)  # fmt: skip
SHOOT_FILM_COLUMNS = ("shoot_id", "film_id")
PEOPLE_COLUMNS = ("id", "name", "name_key")
CREDIT_COLUMNS = ("film_id", "person_id", "role", "character")
WATCHLIST_ENTRY_COLUMNS = ("watchlist_id", "film_id", "priority", "note", "added")
TABLE_COLUMNS = {
    "films": FILM_COLUMNS,
    "status_events": STATUS_COLUMNS,
    "releases": RELEASE_COLUMNS,
    "shoots": SHOOT_COLUMNS,
    "shoot_films": SHOOT_FILM_COLUMNS,
    "people": PEOPLE_COLUMNS,
    "credits": CREDIT_COLUMNS,
    "watchlist_entries": WATCHLIST_ENTRY_COLUMNS,
}


class AppendLog:
    """The compact undo of rows appended inside one transaction, instead of a log row each.

    `watch(table)` notes the table's largest rowid before the first append and drops the
    table's per-row insert trigger; `close()`, called at the end of the transaction, puts the
    triggers back and logs one "delete every row after it" entry per table that grew. (A
    rollback brings the triggers back too: DDL is transactional.) Logged last, those entries are reverted first, before anything the triggers logged
    during the same command (a watchlist the rows belong to, say). A row given an explicit id
    at or below that rowid (a CSV of films with ids into a gap) is logged on its own
    (`explicit`), so undo still removes exactly the rows that were added."""

    def __init__(self, store: Store, *, index_later: bool = True):
        self.store = store
        # Whether the full-text insert triggers are set aside and the appended rows indexed
        # in one statement at the end: only for loads that never update a row they appended
        # (an update would make the index drop an entry it never had, and break it).
        self.index_later = index_later
        self.floors: dict[str, int] = {}
        self.low: list[tuple[str, int]] = []
        self.triggers: list[str] = []
        self.indexed: list[str] = []  # tables whose full-text insert trigger is set aside
        self.bounded = False  # whether the release shift bounds' insert trigger is set aside

    def watch(self, table: str) -> int:
        """Start tracking appends to `table`; returns the rowid new rows come after."""
        if table not in self.floors:
            from tracker.store.fts import set_aside_insert_trigger
            from tracker.store.undo import drop_insert_trigger, user_tables

            if table not in user_tables(self.store.conn):  # a fixed name, checked anyway
                raise ValueError(f"no table {table!r} to append to")
            self.floors[table] = int(
                self.store.value(f'SELECT coalesce(max(rowid), 0) FROM "{table}"')
            )
            trigger = drop_insert_trigger(self.store.conn, table)
            if trigger is not None:
                self.triggers.append(trigger)
            if self.index_later and set_aside_insert_trigger(self.store.conn, table):
                self.indexed.append(table)
            if table == "releases":
                from tracker.store import shift_bounds

                self.bounded = shift_bounds.set_aside_insert_trigger(self.store.conn)
        return self.floors[table]

    def explicit(self, table: str, rowids: Iterable[int | None]) -> None:
        """Rows of `table` inserted with these ids (None: SQLite chose one after the end)."""
        floor = self.floors[table]
        self.low.extend((table, rowid) for rowid in rowids if rowid is not None and rowid <= floor)

    def track(self, table: str, rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
        """Pass rows through, noting explicit ids (the first value) at or below the floor."""
        floor = self.floors[table]
        for row in rows:
            if row[0] is not None and row[0] <= floor:
                self.low.append((table, row[0]))
            yield row

    def index_now(self, tables: Collection[str] | None = None) -> None:
        """Index the rows appended so far to `tables` (default: all; one statement per table)
        and put their full-text insert triggers back: before a stretch of the load that may
        update rows it added to them. The others stay set aside until `close`."""
        from tracker.store.fts import index_appended

        for table in self.indexed:
            if tables is None or table in tables:
                low = [rowid for name, rowid in self.low if name == table]
                index_appended(self.store.conn, table, self.floors[table], low)
        self.indexed = [
            table for table in self.indexed if tables is not None and table not in tables
        ]

    def close(self) -> None:
        from tracker.store.undo import bulk_entry, log_inserts

        conn = self.store.conn
        self.index_now()
        for trigger in self.triggers:
            conn.execute(trigger)
        self.triggers = []
        if self.bounded:
            from tracker.store import shift_bounds

            low = [rowid for name, rowid in self.low if name == "releases"]
            shift_bounds.bound_appended(conn, self.floors["releases"], low)
            self.bounded = False
        log_inserts(conn, self.low)
        for table, floor in self.floors.items():
            if conn.execute(f'SELECT 1 FROM "{table}" WHERE rowid > ? LIMIT 1', [floor]).fetchone():
                bulk_entry(conn, table, floor)
        self.low = []


def insert_batch(
    store: Store, sql: str, rows: Sequence[Any], name_the_bad_row: Callable[[], None]
) -> None:
    """`executemany` of a batch, all or nothing. When a row breaks a constraint (a unique
    index), the batch is rolled back and `name_the_bad_row` inserts it again one row at a
    time, checked the slow way, so that its error names the row; the constraint's own error
    follows if it does not raise."""
    try:
        with store.transaction():  # inside the load's own: a savepoint, undone on failure
            store.conn.executemany(sql, rows)
    except sqlite3.IntegrityError:
        name_the_bad_row()
        raise


@contextmanager
def indexes_set_aside(store: Store, tables: Iterable[str]) -> Iterator[None]:
    """For a load into tables that are empty now: their indexes that check nothing (not
    UNIQUE) are dropped, and built once when the load is done, which is much faster than
    updating them row by row. Inside the load's own transaction, so a failed load (a
    rollback) brings them back as they were."""
    empty = [
        table
        for table in tables
        if not store.conn.execute(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone()
    ]
    marks = ", ".join("?" for _ in empty)
    indexes = store.rows(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        f" AND tbl_name IN ({marks}) AND sql NOT LIKE 'CREATE UNIQUE%'",
        empty,
    )
    for index in indexes:
        store.conn.execute(f'DROP INDEX "{index["name"]}"')
    yield
    for index in indexes:
        store.conn.execute(index["sql"])


@contextmanager
def unlogged(store: Store) -> Iterator[None]:
    """The per-row undo triggers off for a stretch of appends (inside a transaction; pair it
    with an `AppendLog`)."""
    from tracker.store.undo import set_enabled

    set_enabled(store.conn, False)
    try:
        yield
    finally:
        set_enabled(store.conn, True)


class BulkLoader:
    """Appends rows to the tracker's tables inside one transaction (see `bulk_load`)."""

    def __init__(self, store: Store):
        self.store = store
        self.appends = AppendLog(store)

    def next_id(self, table: str) -> int:
        self._check(table)
        return int(self.store.value(f"SELECT coalesce(max(rowid), 0) FROM {table}")) + 1

    def insert(self, table: str, rows: Iterable[tuple[Any, ...]]) -> int:
        """Append rows (tuples in TABLE_COLUMNS[table] order); returns how many."""
        columns = self._check(table)
        self.appends.watch(table)
        if columns[0] == "id":
            rows = self.appends.track(table, rows)
        marks = ", ".join("?" for _ in columns)
        cursor = self.store.conn.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows
        )
        return cursor.rowcount

    @staticmethod
    def _check(table: str) -> tuple[str, ...]:
        if table not in TABLE_COLUMNS:  # names come from this fixed list only
            raise ValueError(f"bulk loading is not supported for table {table!r}")
        return TABLE_COLUMNS[table]


@contextmanager
def bulk_load(store: Store, label: str = "a bulk load") -> Iterator[BulkLoader]:
    """All or nothing, with the per-row undo triggers off; undo removes the whole load."""
    previous = store.label
    store.label = label
    try:
        with store.transaction(), unlogged(store):
            loader = BulkLoader(store)
            yield loader
            loader.appends.close()
    finally:
        store.label = previous
