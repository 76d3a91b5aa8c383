"""Loading many rows at once: one transaction, `executemany`, and one compact undo entry per
table instead of a logged inverse for every row.

Rows are plain tuples already checked by the caller (the benchmark builds them with
FuzzyDate, so stored dates are exactly what `insert_release` would write). Ids are
appended after the largest existing id, which is what lets undo remove a bulk load with one
`DELETE ... WHERE rowid > N` per table.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from tracker.store import Store

FILM_COLUMNS = ("id", "title", "title_key", "year", "franchise", "instalment")
STATUS_COLUMNS = ("film_id", "status", "on_date", "on_start", "note", "source")
RELEASE_COLUMNS = (
    "film_id", "country", "type", "date", "date_start", "date_end",
    "announced", "announced_start", "source", "note",
)  # fmt: skip
TABLE_COLUMNS = {
    "films": FILM_COLUMNS,
    "status_events": STATUS_COLUMNS,
    "releases": RELEASE_COLUMNS,
}


class BulkLoader:
    """Appends rows to the tracker's tables inside one transaction (see `bulk_load`)."""

    def __init__(self, store: Store):
        self.store = store
        self.logged: set[str] = set()

    def next_id(self, table: str) -> int:
        self._check(table)
        return int(self.store.value(f"SELECT coalesce(max(rowid), 0) FROM {table}")) + 1

    def insert(self, table: str, rows: Iterable[tuple[Any, ...]]) -> int:
        """Append rows (tuples in TABLE_COLUMNS[table] order); returns how many."""
        from tracker.undo import bulk_entry

        columns = self._check(table)
        if table not in self.logged:
            last = int(self.store.value(f"SELECT coalesce(max(rowid), 0) FROM {table}"))
            bulk_entry(self.store.conn, table, last)
            self.logged.add(table)
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
    from tracker.undo import set_enabled

    previous = store.label
    store.label = label
    try:
        with store.transaction():
            set_enabled(store.conn, False)
            yield BulkLoader(store)
            set_enabled(store.conn, True)
    finally:
        store.label = previous
