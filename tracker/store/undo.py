"""One level of undo, recorded by triggers (SQLite's undo/redo pattern, with data not SQL).

Every user table has three triggers that write the inverse of each row change into
`undo_log`: an insert logs the rowid to delete, an update or delete logs the old row as a
JSON object. Rows logged by the running transaction carry command 0 ("pending"); just before
the top-level COMMIT, `seal` makes them the one undoable command (1) and drops the previous
one, so the log only ever holds the last command that changed data: writing never copies
the database, and the log is as small as that command. Rows another program logged (the
triggers fire for the sqlite3 shell too) are sealed as their own command when tracker next
writes.

Bulk loads and CSV imports switch the triggers off (`undo_state.enabled = 0`) and log one
compact "delete every row after rowid N" entry per table instead (`bulk_entry`, written by
`tracker.bulk.AppendLog`); a command holding such an entry is undone with the triggers off,
so it cannot be redone.

`install_triggers` (re)creates the triggers for every table that exists; m004_safety calls it,
and `store._migrate` calls it again after any later migration, so tables and columns added
later are covered too. Table and column names in the log are checked against the schema
before use; values always travel as parameters.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

PENDING = 0
LAST = 1
UNDO_PREFIX = "undo of: "
OUTSIDE = "changes made outside tracker (e.g. with the sqlite3 shell)"
LOG_TABLES = ("undo_log", "undo_state")
# Tables no command undoes: the calendar's tombstones (m010_views) record deletions as they
# happened, and readers skip those whose release is back.
KEPT_OUT = ("release_tombstones",)
# Tables derived from others and kept by their own triggers, as the full-text index is.
DERIVED = ("release_shift_bounds",)
TRIGGER_PREFIX = "undo_"
TABLE_NAMES_SQL = "SELECT name FROM sqlite_master WHERE type = 'table'"


def create_tables(conn: sqlite3.Connection) -> None:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS undo_log ("
        " seq INTEGER PRIMARY KEY,"
        " command INTEGER NOT NULL DEFAULT 0,"
        " tbl TEXT NOT NULL,"
        " op TEXT NOT NULL,"  # insert | update | delete | bulk_insert
        " row_id INTEGER,"
        " old TEXT)"  # JSON object of the old row (update, delete)
    )
    conn.execute("CREATE INDEX IF NOT EXISTS undo_log_command ON undo_log (command, seq)")
    conn.execute(
        "CREATE TABLE IF NOT EXISTS undo_state ("
        " id INTEGER PRIMARY KEY CHECK (id = 1),"
        " enabled INTEGER NOT NULL,"
        " label TEXT)"
    )
    conn.execute("INSERT OR IGNORE INTO undo_state (id, enabled, label) VALUES (1, 1, NULL)")


def user_tables(conn: sqlite3.Connection) -> list[str]:
    """Every table holding tracker data (not SQLite's, not the migration log, not ours, not
    the full-text index, which its own triggers keep in step with the tables undo reverts)."""
    from tracker.store.fts import is_index_table

    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " AND name NOT LIKE '\\_sqlite\\_%' ESCAPE '\\' ORDER BY name"
    )
    return [
        name
        for (name,) in rows
        if name not in LOG_TABLES + KEPT_OUT + DERIVED and not is_index_table(name)
    ]


def columns_of(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute("SELECT * FROM pragma_table_info(?)", [table])]


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def install_triggers(conn: sqlite3.Connection) -> None:
    """(Re)create the undo triggers of every user table. Safe to call again at any time."""
    create_tables(conn)
    existing = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'undo\\_%' ESCAPE '\\'"
    ).fetchall()
    for (name,) in existing:
        conn.execute(f"DROP TRIGGER IF EXISTS {_ident(name)}")
    enabled = "(SELECT enabled FROM undo_state WHERE id = 1)"
    for table in user_tables(conn):
        columns = columns_of(conn, table)
        old_json = "json_object(" + ", ".join(f"{_literal(c)}, old.{_ident(c)}" for c in columns)
        old_json += ")"
        name, tbl = _ident(table), _literal(table)
        conn.execute(
            f"CREATE TRIGGER {_ident(TRIGGER_PREFIX + table + '_ins')} AFTER INSERT ON {name}"
            f" WHEN {enabled} BEGIN"
            f" INSERT INTO undo_log (tbl, op, row_id) VALUES ({tbl}, 'insert', new.rowid); END"
        )
        conn.execute(
            f"CREATE TRIGGER {_ident(TRIGGER_PREFIX + table + '_upd')} AFTER UPDATE ON {name}"
            f" WHEN {enabled} BEGIN"
            f" INSERT INTO undo_log (tbl, op, row_id, old)"
            f" VALUES ({tbl}, 'update', old.rowid, {old_json}); END"
        )
        conn.execute(
            f"CREATE TRIGGER {_ident(TRIGGER_PREFIX + table + '_del')} AFTER DELETE ON {name}"
            f" WHEN {enabled} BEGIN"
            f" INSERT INTO undo_log (tbl, op, row_id, old)"
            f" VALUES ({tbl}, 'delete', old.rowid, {old_json}); END"
        )


def has_log(conn: sqlite3.Connection) -> bool:
    return (
        conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'undo_log'"
        ).fetchone()
        is not None
    )


def set_enabled(conn: sqlite3.Connection, enabled: bool) -> None:
    conn.execute("UPDATE undo_state SET enabled = ? WHERE id = 1", [int(enabled)])


def bulk_entry(conn: sqlite3.Connection, table: str, after_rowid: int) -> None:
    """Log "undo = delete every row of table after this rowid" (for bulk appends)."""
    conn.execute(
        "INSERT INTO undo_log (tbl, op, row_id) VALUES (?, 'bulk_insert', ?)", [table, after_rowid]
    )


def drop_insert_trigger(conn: sqlite3.Connection, table: str) -> str | None:
    """Drop a table's insert trigger (inside a transaction); returns its SQL to restore it.

    Cheaper than `set_enabled(False)`: a trigger that fires, even one whose WHEN is false,
    makes every INSERT run its program (and, inside a savepoint, keep a statement journal),
    which doubles the cost of a bulk append."""
    name = TRIGGER_PREFIX + table + "_ins"
    row = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", [name]
    ).fetchone()
    if row is None:
        return None
    conn.execute(f"DROP TRIGGER {_ident(name)}")
    return str(row[0])


def log_inserts(conn: sqlite3.Connection, rows: list[tuple[str, int]]) -> None:
    """Log single inserted rows (table, rowid), as the insert trigger would have."""
    conn.executemany("INSERT INTO undo_log (tbl, op, row_id) VALUES (?, 'insert', ?)", rows)


def seal(conn: sqlite3.Connection, label: str | None) -> None:
    """Make what this transaction logged the one undoable command (call before COMMIT)."""
    if not has_log(conn):
        return
    pending = conn.execute("SELECT 1 FROM undo_log WHERE command = ? LIMIT 1", [PENDING]).fetchone()
    if pending is None:
        return  # nothing changed: the previous command stays undoable
    conn.execute("DELETE FROM undo_log WHERE command = ?", [LAST])
    conn.execute("UPDATE undo_log SET command = ? WHERE command = ?", [LAST, PENDING])
    conn.execute("UPDATE undo_state SET label = ? WHERE id = 1", [label or "a change"])


def pending_entries(conn: sqlite3.Connection) -> list[tuple[str, str, int, str | None]]:
    """What the running transaction logged, oldest first: (table, op, rowid, old JSON)."""
    if not has_log(conn):
        return []
    rows = conn.execute(
        "SELECT tbl, op, row_id, old FROM undo_log WHERE command = ? ORDER BY seq", [PENDING]
    )
    return [(str(t), str(op), int(r), old) for t, op, r, old in rows]


def forget_pending(conn: sqlite3.Connection) -> None:
    """Schema migrations are not undoable: drop whatever they logged."""
    if has_log(conn):
        conn.execute("DELETE FROM undo_log WHERE command = ?", [PENDING])


@dataclass(frozen=True)
class Reverted:
    label: str
    changes: dict[str, int]  # table -> rows put back

    @property
    def message(self) -> str:
        counts = ", ".join(f"{table} {count}" for table, count in sorted(self.changes.items()))
        if self.label.startswith(UNDO_PREFIX):
            return f"Redid: {self.label[len(UNDO_PREFIX) :]} (rows changed: {counts})"
        return f"Undid: {self.label} (rows changed: {counts})"

    @property
    def next_label(self) -> str:
        """What undoing this undo would do: redo the command (or undo it again)."""
        if self.label.startswith(UNDO_PREFIX):
            return self.label[len(UNDO_PREFIX) :]
        return UNDO_PREFIX + self.label


def last_label(conn: sqlite3.Connection) -> str | None:
    if not has_log(conn):
        return None
    if conn.execute("SELECT 1 FROM undo_log WHERE command = ? LIMIT 1", [LAST]).fetchone():
        value = conn.execute("SELECT label FROM undo_state WHERE id = 1").fetchone()
        return str(value[0]) if value and value[0] else "a change"
    return None


def _deleted_since(conn: sqlite3.Connection, seq: int, table: str, row_id: int) -> bool:
    """Whether the triggers logged the delete of the row after log entry `seq`."""
    row = conn.execute(
        "SELECT 1 FROM undo_log WHERE seq > ? AND tbl = ? AND op = 'delete' AND row_id = ?",
        [seq, table, row_id],
    ).fetchone()
    return row is not None


def _note_films_of_releases(
    conn: sqlite3.Connection, entries: list[tuple[str, str, int, str | None]]
) -> None:
    """With the triggers off, a revert bounds the films whose releases it changes again at
    its end (store.shift_bounds): note them now, while their rows are there."""
    from tracker.store import shift_bounds

    if not shift_bounds.exists(conn):
        return
    rowids: list[int] = []
    films: list[int] = []
    for table, op, row_id, old in entries:
        if table != "releases":
            continue
        if op == "bulk_insert":
            shift_bounds.touch_after(conn, row_id)
            continue
        rowids.append(row_id)
        if old is not None:
            film = json.loads(old).get("film_id")
            if isinstance(film, int):
                films.append(film)
    shift_bounds.touch(conn, rowids, films)


def revert_last(
    conn: sqlite3.Connection, progress: Callable[[int, int], None] | None = None
) -> Reverted | None:
    """Apply the inverse of the last command, newest change first. Call inside a
    transaction. The triggers stay on, so what this does becomes the next undo (a redo).
    `progress(done, total)` hears how far a large revert has come."""
    label = last_label(conn)
    if label is None:
        return None
    entries = conn.execute(
        "SELECT tbl, op, row_id, old FROM undo_log WHERE command = ? ORDER BY seq DESC", [LAST]
    ).fetchall()
    # (A table kept out of undo has entries only where a command logged its own: an
    # import's tombstones, loaded from the file.)
    kept_out = [t for t in KEPT_OUT if t in {n for (n,) in conn.execute(TABLE_NAMES_SQL)}]
    known = {table: set(columns_of(conn, table)) for table in [*user_tables(conn), *kept_out]}
    # A command with a bulk entry (a bulk load, a CSV import) is reverted with the triggers
    # off: a million deletes would each log their row, so it cannot be redone.
    bulk = any(op == "bulk_insert" for _, op, _, _ in entries)
    if bulk:
        set_enabled(conn, False)
        _note_films_of_releases(conn, entries)
    # The rows each bulk entry added, counted before any delete: a row that goes with
    # another (a shoot whose last film goes, by trigger) still counts as undone.
    added = {
        (table, row_id): conn.execute(
            f"SELECT count(*) FROM {_ident(table)} WHERE rowid > ?", [row_id]
        ).fetchone()[0]
        for table, op, row_id, _ in entries
        if op == "bulk_insert" and table in known
    }
    # Likewise a row inserted that an earlier delete of this revert took with it (the
    # shoot of `shoot add`, once its films' links are gone): the triggers log that delete,
    # so a row found gone is looked for there (and, with the triggers off, up front).
    logged_from = conn.execute("SELECT coalesce(max(seq), 0) FROM undo_log").fetchone()[0]
    present = {
        (table, row_id)
        for table, op, row_id, _ in entries
        if bulk
        and op == "insert"
        and table in known
        and conn.execute(f"SELECT 1 FROM {_ident(table)} WHERE rowid = ?", [row_id]).fetchone()
    }
    changes: dict[str, int] = {}
    for done, (table, op, row_id, old) in enumerate(entries):
        if progress is not None and done % 1000 == 0 and len(entries) >= 5000:
            progress(done, len(entries))
        if table not in known:
            continue  # a table dropped since: nothing to put back
        name = _ident(table)
        if op == "insert":
            count = conn.execute(f"DELETE FROM {name} WHERE rowid = ?", [row_id]).rowcount
            if count == 0:
                count = int(
                    (table, row_id) in present or _deleted_since(conn, logged_from, table, row_id)
                )
        elif op == "bulk_insert":
            conn.execute(f"DELETE FROM {name} WHERE rowid > ?", [row_id])
            count = added[(table, row_id)]
        else:
            values: dict[str, Any] = {
                key: value for key, value in json.loads(old).items() if key in known[table]
            }
            if op == "update":
                sets = ", ".join(f"{_ident(column)} = ?" for column in values)
                count = conn.execute(
                    f"UPDATE {name} SET {sets} WHERE rowid = ?", [*values.values(), row_id]
                ).rowcount
            else:
                marks = ", ".join("?" for _ in values)
                columns = ", ".join(_ident(column) for column in values)
                count = conn.execute(
                    f"INSERT INTO {name} ({columns}) VALUES ({marks})", list(values.values())
                ).rowcount
        changes[table] = changes.get(table, 0) + count
    if bulk:
        set_enabled(conn, True)
        from tracker.store import shift_bounds

        if shift_bounds.exists(conn):
            shift_bounds.bound_touched(conn)
    # Drop the reverted entries now; seal() turns what the revert logged into the redo.
    conn.execute("DELETE FROM undo_log WHERE command = ?", [LAST])
    return Reverted(label, changes)
