"""What `tracker info` tells: which database this is, how big, at which schema, what it holds,
and what last changed it."""

from __future__ import annotations

import datetime
from typing import Any

from tracker.store import migrations
from tracker.store.connection import Store

# What the counts line up, in the order shown.
COUNTED = {
    "films": "films",
    "releases": "releases",
    "shoots": "shoots",
    "people": "people",
    "watchlists": "watchlists",
    "watchlist_entries": "watchlist_entries",
    "viewings": "viewings",
}


def database_uuid(store: Store) -> str | None:
    """The database's UUID (table `meta`, m005): calendar UIDs and feed ids derive from it,
    and a JSON export carries it."""
    value = store.value("SELECT value FROM meta WHERE key = 'uuid'")
    return None if value is None else str(value)


def database_info(store: Store) -> dict[str, Any]:
    """path, size (bytes, the -wal file included), schema (the last migration applied and
    how many), uuid, a count per table, and the last change (the command `tracker undo`
    would revert, and when the file was last written)."""
    path = store.path
    size = 0
    modified: datetime.datetime | None = None
    if path is not None:
        for part in (path, path.with_name(path.name + "-wal")):
            try:  # one look: another process's -wal can vanish between two
                stat = part.stat()
            except OSError:
                continue
            size += stat.st_size
            when = datetime.datetime.fromtimestamp(stat.st_mtime).replace(microsecond=0)
            modified = when if modified is None else max(modified, when)
    applied = migrations.applied(store.conn)
    tables = {name for (name,) in store.rows("SELECT name FROM sqlite_master WHERE type = 'table'")}
    info: dict[str, Any] = {
        "path": str(path.resolve()) if path is not None else ":memory:",
        "size_bytes": size,
        "schema_version": len(applied),
        "schema": applied[-1] if applied else None,
        "uuid": database_uuid(store) if "meta" in tables else None,
    }
    for key, table in COUNTED.items():
        info[key] = int(store.value(f"SELECT count(*) FROM {table}")) if table in tables else 0
    label = None
    if "undo_state" in tables and store.value("SELECT count(*) FROM undo_log"):
        label = store.value("SELECT label FROM undo_state WHERE id = 1")
    info["last_change"] = label
    info["last_written"] = modified
    return info
