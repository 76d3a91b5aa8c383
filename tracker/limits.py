"""`--limit N`: the first N rows of a listing, in the listing's own order.

Readers put the limit in their SQL (`LIMIT :limit`, so the database stops reading) and,
where Python has the last word on which rows are kept, take the first N again with
`first`. Both check the number, so a listing rejects `--limit 0` before it prints.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, TypeVar

from tracker.errors import InvalidValue

if TYPE_CHECKING:
    import sqlite3

Row = TypeVar("Row")


# SQLite's largest integer (and islice's on 64-bit builds): no table holds more rows.
MOST_ROWS = 2**63 - 1


def sql_limit(limit: int | None) -> int:
    """SQL's LIMIT for `--limit` (-1: no limit); fewer than one row is a user error, and
    more than any table can hold is every row."""
    if limit is not None and limit < 1:
        raise InvalidValue("--limit must be at least 1")
    return -1 if limit is None or limit > MOST_ROWS else limit


def first(rows: Iterable[Row], limit: int | None) -> Iterator[Row]:
    """The first `limit` rows (every row when None), read no further than that."""
    count = sql_limit(limit)
    return iter(rows) if count < 0 else itertools.islice(rows, count)


def close_cursor(cursor: sqlite3.Cursor) -> None:
    """Close a reader's cursor. One that stopped early (`--limit`, `| head`) is still open;
    at exit the database may be closed first, and then there is nothing left to close."""
    import contextlib
    import sqlite3  # by the readers' time, long imported: not at every start-up

    with contextlib.suppress(sqlite3.ProgrammingError):
        cursor.close()
