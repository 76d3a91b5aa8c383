"""A section's items as JSON text, built by SQLite a few thousand at a time.

A piece is a run of whole items, each on its own line (joined by ITEM_SEPARATOR): one
Python string a chunk rather than one a row, so a million films cost SQLite's work, not
Python's (fetching, yielding and writing 4M items one by one was a fifth of the export).
"""

from __future__ import annotations

from collections.abc import Iterator

from tracker.exchange.chunks import chunk_sql, read_chunks
from tracker.store import Store

ITEM_SEPARATOR = ",\n    "
CHUNK = 2000  # items a piece: a few MB of text at most


def chunked_items(store: Store, item: str, source: str, key: str) -> Iterator[str]:
    """Pieces of the items `item` (SQL) builds from `source`, in the order of `key` (see
    exchange.chunks); the caller holds one read transaction over them all (`export_chunks`)."""
    sql = chunk_sql(item, source, key, ITEM_SEPARATOR)
    return (piece for _, piece in read_chunks(store, sql, lambda: CHUNK))


def json_object_text(plain: str, members: list[tuple[str, str]], optional: str = "''") -> str:
    """SQL: the text of a JSON object, compact as json_object writes it: `plain` (SQL, a
    json_object of the first members, plain column values), then the (key, SQL giving
    the value's JSON text) members, then `optional` (SQL: more members, each after a
    comma, or ''). Concatenated: JSON built in a subquery comes out as plain text, which
    json_object would quote unless SQLite parsed it again. rtrim takes off only the
    object's own closing brace: no column's JSON value ends with one."""
    inner = " || ',' || ".join(f"{member(key)} || {value}" for key, value in members)
    return f"rtrim({plain}, '}}') || ',' || {inner} || {optional} || '}}'"


def member(key: str) -> str:
    """SQL: a member's key and colon."""
    return f"'\"{key}\":'"


def value(column: str) -> str:
    """SQL: a column's value as JSON text, as json_object writes it (text quoted and
    escaped, numbers as they are, NULL as null)."""
    return f"json_quote({column})"
