"""The full-text index behind `tracker search`: one SQLite FTS5 table per searched table,
holding that table's text by rowid (external content, as sqlite-utils' `enable_fts` makes
them) and kept in step by insert/update/delete triggers named as sqlite-utils names them.

Titles, aliases and names are indexed by their `name_key`, so a search forgives what
`name_key` forgives. Bulk appends (bulk loads, CSV imports) set the insert trigger aside and
index the appended rows with one statement at the end (`AppendLog`). Undo needs nothing
special: reverting a row fires the same triggers.
"""

from __future__ import annotations

import sqlite3

# Table -> its indexed columns.
FTS_COLUMNS: dict[str, tuple[str, ...]] = {
    "films": ("title_key", "franchise"),
    "titles": ("title_key",),
    "aliases": ("alias_key",),
    "people": ("name_key",),
    "shoots": ("place", "region", "note"),
    "events": ("text",),
}
SHADOW_SUFFIXES = ("_data", "_idx", "_content", "_docsize", "_config")  # _docsize: before m014


def fts_name(table: str) -> str:
    return f"{table}_fts"


def is_index_table(name: str) -> bool:
    """An FTS table or one of its shadow tables (no undo triggers, no export)."""
    for table in FTS_COLUMNS:
        base = fts_name(table)
        if name == base or name in (base + suffix for suffix in SHADOW_SUFFIXES):
            return True
    return False


def _quoted(columns: tuple[str, ...], prefix: str = "") -> str:
    return ", ".join(f'{prefix}"{column}"' for column in columns)


def insert_trigger_sql(table: str) -> str:
    columns = FTS_COLUMNS[table]
    return (
        f'CREATE TRIGGER "{table}_ai" AFTER INSERT ON "{table}" BEGIN'
        f' INSERT INTO "{fts_name(table)}" (rowid, {_quoted(columns)})'
        f" VALUES (new.rowid, {_quoted(columns, 'new.')}); END"
    )


def create_index(conn: sqlite3.Connection, table: str) -> None:
    """The FTS table of `table`, filled from its rows, and its three triggers."""
    columns = FTS_COLUMNS[table]
    fts = fts_name(table)
    # columnsize=0: no per-row sizes table. Only bm25 reads it, and search ranks by where
    # and how closely the text matched (domain.search); writing it was 40% of indexing.
    conn.execute(
        f'CREATE VIRTUAL TABLE "{fts}" USING FTS5 ({_quoted(columns)},'
        f" content=\"{table}\", content_rowid='rowid',"
        " tokenize='unicode61 remove_diacritics 2', columnsize=0)"
    )
    conn.execute(f'INSERT INTO "{fts}" ("{fts}") VALUES (\'rebuild\')')
    delete = (
        f'INSERT INTO "{fts}" ("{fts}", rowid, {_quoted(columns)})'
        f" VALUES ('delete', old.rowid, {_quoted(columns, 'old.')});"
    )
    conn.execute(insert_trigger_sql(table))
    conn.execute(f'CREATE TRIGGER "{table}_ad" AFTER DELETE ON "{table}" BEGIN {delete} END')
    conn.execute(
        f'CREATE TRIGGER "{table}_au" AFTER UPDATE OF {_quoted(columns)} ON "{table}" BEGIN'
        f' {delete} INSERT INTO "{fts}" (rowid, {_quoted(columns)})'
        f" VALUES (new.rowid, {_quoted(columns, 'new.')}); END"
    )


def drop_index(conn: sqlite3.Connection, table: str) -> None:
    """`table`'s FTS table and its triggers, gone (the table's own rows stay)."""
    for suffix in ("ai", "ad", "au"):
        conn.execute(f'DROP TRIGGER IF EXISTS "{table}_{suffix}"')
    conn.execute(f'DROP TABLE IF EXISTS "{fts_name(table)}"')


def set_aside_insert_trigger(conn: sqlite3.Connection, table: str) -> bool:
    """Drop `table`'s FTS insert trigger for a bulk append (inside its transaction); True
    when there was one, to be put back by `index_appended`."""
    if table not in FTS_COLUMNS:
        return False
    found = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ?", [f"{table}_ai"]
    ).fetchone()
    if found:
        conn.execute(f'DROP TRIGGER "{table}_ai"')
    return found is not None


def index_appended(
    conn: sqlite3.Connection, table: str, after_rowid: int, rowids: list[int]
) -> None:
    """Index the rows appended after `after_rowid` (and these lower rowids) in one
    statement each, and put the insert trigger back."""
    columns = FTS_COLUMNS[table]
    fts = fts_name(table)
    insert = f'INSERT INTO "{fts}" (rowid, {_quoted(columns)}) SELECT rowid, {_quoted(columns)}'
    conn.execute(f'{insert} FROM "{table}" WHERE rowid > ?', [after_rowid])
    if rowids:
        conn.execute(
            f'{insert} FROM "{table}" WHERE rowid IN (SELECT value FROM json_each(?))',
            [f"[{','.join(str(rowid) for rowid in rowids)}]"],
        )
    conn.execute(insert_trigger_sql(table))
