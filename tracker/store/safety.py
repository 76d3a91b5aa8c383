"""Backups and the health check: copies made with SQLite's online backup API, and every
invariant the tracker relies on, checked."""

from __future__ import annotations

import datetime
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.errors import DatabaseProblem

if TYPE_CHECKING:  # for annotations only: connection calls into this module
    from tracker.store.connection import Store


def backup(store: Store, target: Path, *, force: bool = False) -> Path:
    """Copy the database to `target` with the online backup API: a consistent snapshot even
    while another process writes. The copy is written beside the target and renamed into
    place (tracker.files), so a failed backup never leaves a half file under its name."""
    from tracker.files import database_files, output_target

    real = output_target(
        target, protect=database_files(store.path), replace_database=True, what="backup "
    )
    if real.exists() and not force:
        raise DatabaseProblem(f"{target} already exists; use --force to replace it")
    _copy(store.conn, store.path, target)
    return target


def _copy(source: sqlite3.Connection, path: Path | None, target: Path) -> None:
    from tracker.files import database_files, replacing

    protect = database_files(path)
    try:
        with replacing(target, protect=protect, replace_database=True, what="backup ") as partial:
            copy = sqlite3.connect(partial, isolation_level=None)
            try:
                source.backup(copy)
                copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            finally:
                copy.close()
    except sqlite3.Error as error:
        raise DatabaseProblem(f"cannot write backup {target}: {_reason(error)}") from None


def _reason(error: BaseException) -> str:
    return getattr(error, "strerror", None) or str(error)


def has_data(conn: sqlite3.Connection) -> bool:
    from tracker.store.undo import user_tables

    for table in user_tables(conn):
        name = '"' + table.replace('"', '""') + '"'
        if conn.execute(f"SELECT 1 FROM {name} LIMIT 1").fetchone():
            return True
    return False


def backup_before_migration(store: Store, pending: list[str]) -> Path | None:
    """Before a migration changes a database holding data, copy it beside itself. Called
    inside the migrating transaction (which holds the write lock): the copy is read through
    a second connection, which sees the database as it is before the migration."""
    if store.path is None or not pending or not has_data(store.conn):
        return None
    now = datetime.datetime.now()
    stamp = f"{now:%Y%m%d-%H%M%S}-{os.getpid()}"
    target = store.path.with_name(f"{store.path.name}.{stamp}.before-{pending[0]}.bak")
    reader = sqlite3.connect(store.path, timeout=60)
    try:
        _copy(reader, store.path, target)
    finally:
        reader.close()
    return target


def check(store: Store) -> list[str]:
    """Every problem found, one line each; an empty list means all is well. A database too
    damaged for SQLite to read through is one problem, with the way out."""
    found: list[str] = []
    try:
        for problem in _problems(store):
            found.append(problem)
    except sqlite3.DatabaseError as error:
        where = store.path or ":memory:"
        found.append(
            f"integrity: {error}: SQLite cannot read the whole database; restore a backup"
            f" (the automatic ones are {where}.*.bak)"
        )
    return found


def _problems(store: Store) -> Iterator[str]:
    conn = store.conn
    for (line,) in conn.execute("PRAGMA integrity_check"):
        if line != "ok":
            yield f"integrity: {line}"
    for row in conn.execute("PRAGMA foreign_key_check"):
        yield f"foreign key: {row[0]} row {row[1]} points to a missing {row[2]} row"
    yield from _film_problems(store)
    yield from _status_problems(store)
    yield from _release_problems(store)
    yield from _dated_problems(store)
    yield from _orphans(store)


def _film_problems(store: Store) -> Iterator[str]:
    from tracker.validation import text_problem

    for row in store.conn.execute("SELECT id, title, title_key FROM films"):
        if not row["title"] or row["title_key"] != row["title"].casefold():
            yield f"films #{row['id']}: title_key does not match the title"
        elif problem := text_problem(row["title"]):
            yield f"films #{row['id']}: the title {problem}"


def _status_problems(store: Store) -> Iterator[str]:
    from tracker.choices import STATUSES

    rows = store.conn.execute(
        "SELECT id, film_id, status, on_date, on_start FROM status_events"
        f" WHERE status NOT IN ({', '.join('?' for _ in STATUSES)}) OR on_start IS NULL",
        STATUSES,
    )
    for row in rows:
        yield f"status_events #{row['id']} (film #{row['film_id']}): bad status or date"
    # Each distinct stored date is parsed once, whatever the size of the table.
    for on_date, on_start in store.conn.execute(
        "SELECT DISTINCT on_date, on_start FROM status_events WHERE on_start IS NOT NULL"
    ):
        if _window(on_date)[0] != on_start:
            yield f"status_events dated {on_date!r}: stored start {on_start!r} is not derivable"


def _window(text: str | None) -> tuple[str | None, str | None]:
    from tracker.dates import from_iso
    from tracker.errors import TrackerError

    try:
        date = from_iso(text)
    except (TrackerError, ValueError):
        return ("invalid", "invalid")
    start, end = date.start, date.end
    return (
        None if start is None else start.isoformat(),
        None if end is None else end.isoformat(),
    )


def _release_problems(store: Store) -> Iterator[str]:
    from tracker.choices import RELEASE_TYPES
    from tracker.countries import CODES

    conn = store.conn
    marks = ", ".join("?" for _ in RELEASE_TYPES)
    for row in conn.execute(
        f"SELECT id, film_id FROM releases WHERE type NOT IN ({marks}) OR announced_start IS NULL",
        RELEASE_TYPES,
    ):
        yield f"releases #{row['id']} (film #{row['film_id']}): bad type or no announcement day"
    for date, start, end in conn.execute(
        "SELECT DISTINCT date, date_start, date_end FROM releases"
    ):
        if _window(date) != (start, end):
            yield f"releases dated {date!r}: stored window {start}..{end} is not derivable"
    for announced, start in conn.execute(
        "SELECT DISTINCT announced, announced_start FROM releases"
    ):
        derived = _window(announced)[0]
        if derived is None or derived != start:
            yield f"releases announced {announced!r}: stored start {start!r} is not derivable"
    for (country,) in conn.execute(
        "SELECT DISTINCT country FROM releases WHERE country IS NOT NULL"
    ):
        if country not in CODES:
            yield f"releases: unknown country code {country!r}"


def _dated_problems(store: Store) -> Iterator[str]:
    """Events' and shoots' stored first days, which as-of queries and sorting read, must be
    those of their dates (`amend` rewrites them together)."""
    for on_date, on_start in store.conn.execute("SELECT DISTINCT on_date, on_start FROM events"):
        if _window(on_date)[0] != on_start:
            yield f"events dated {on_date!r}: stored start {on_start!r} is not derivable"
    for column in ("start", "end"):
        for date, key in store.conn.execute(
            f'SELECT DISTINCT "{column}", {column}_key FROM shoots'
        ):
            if _window(date)[0] != key:
                yield f"shoots with {column} {date!r}: stored {column}_key {key!r} is not derivable"


def _orphans(store: Store) -> Iterator[str]:
    from tracker.store.migrations import FILM_CHILD_TABLES

    for table in FILM_CHILD_TABLES:
        name = '"' + table.replace('"', '""') + '"'
        count = store.value(
            f"SELECT count(*) FROM {name} WHERE film_id NOT IN (SELECT id FROM films)"
        )
        if count:
            yield f"{table}: {count} row(s) belong to no film"
