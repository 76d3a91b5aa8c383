"""Hooks: after a command commits, an executable `on-change` in $TRACKER_HOOKS (default:
`hooks/` beside the database) gets one JSON object per change on stdin (JSON Lines).

The changes come from one place: the rows the undo log recorded for each committed
transaction (`Store.committed`, filled by `Store.transaction` only when a hook exists), so
every command that writes (and `sync`, `undo`, imports) fires hooks without knowing of them.
A hook runs after the commit: one that fails or runs too long is reported and the write
stays. Bulk loads log one compact entry instead of rows, and are not reported row by row.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from tracker.store import Store

HOOK_NAME = "on-change"
TIMEOUT_SECONDS = 10.0
# A log entry: (table, op, rowid, old row as JSON or None), as store/undo.py writes them.
LogEntry = tuple[str, str, int, str | None]
KINDS = ("moved", "refined", "vaguer", "tba", "status", "retitled", "added", "removed")


def hook_for(db_path: Path | None) -> Path | None:
    """The on-change executable that applies to a database, if there is one."""
    folder = os.environ.get("TRACKER_HOOKS")
    if folder is None:
        if db_path is None:
            return None
        folder = str(db_path.parent / "hooks")
    path = Path(folder) / HOOK_NAME
    return path if path.is_file() and os.access(path, os.X_OK) else None


def changes(store: Store, entries: Iterable[LogEntry]) -> list[dict[str, Any]]:
    """What the logged row changes mean, one object per change, in the order made."""
    import json

    entries = list(entries)
    found: list[dict[str, Any]] = []
    new_films = {row_id for table, op, row_id, _ in entries if (table, op) == ("films", "insert")}
    dated_films: set[int] = set()
    # A film's removal deletes every announcement: report one per (country, type), the last.
    removed: dict[tuple[int, str | None, str], dict[str, Any]] = {}
    for table, op, row_id, old in entries:
        if table == "releases" and op == "insert":
            change = _release_change(store, row_id)
            if change is not None:
                dated_films.add(change["film"])
                found.append(change)
        elif table == "releases" and op == "delete" and old is not None:
            row = json.loads(old)
            key = (row["film_id"], row["country"], row["type"])
            last = removed.get(key)
            if last is None or (row["announced_start"], row["id"]) > last["order"]:
                removed[key] = {"order": (row["announced_start"], row["id"]), "row": row}
        elif table == "releases" and op == "update" and old is not None:
            found.extend(_amended_release(store, json.loads(old)))
        elif table == "status_events" and op == "insert":
            # A new film's first status is part of it being added, not a change.
            found.extend(c for c in _status_change(store, row_id) if c["film"] not in new_films)
        elif table == "titles" and op == "insert":
            found.extend(_retitle(store, row_id))
    for film_id in sorted(new_films - dated_films):
        row = store.row("SELECT id, title FROM films WHERE id = ?", [film_id])
        if row is not None:
            found.append(_object("added", row["id"], row["title"]))
    for item in removed.values():
        found.extend(_removal(store, entries, item["row"]))
    return found


def _removal(store: Store, entries: list[LogEntry], row: dict[str, Any]) -> list[dict[str, Any]]:
    """A deleted announcement: the release is removed, or (when earlier announcements of it
    remain, as after undoing a `release`) its date goes back to the latest that remains."""
    from tracker.dates import classify_change, from_iso, move_days

    title = store.value("SELECT title FROM films WHERE id = ?", [row["film_id"]])
    left = store.row(
        "SELECT date, announced, source FROM releases WHERE film_id = ? AND country IS ?"
        " AND type = ? ORDER BY announced_start DESC, id DESC LIMIT 1",
        [row["film_id"], row["country"], row["type"]],
    )
    kind, new, shift = "removed", None, None
    announced, source = row["announced"], row["source"]
    if left is not None:
        old_date, new_date = from_iso(row["date"]), from_iso(left["date"])
        kind = classify_change(old_date, new_date)
        if kind == "confirmed":
            return []
        new, shift = left["date"], move_days(old_date, new_date)
        announced, source = left["announced"], left["source"]
    return [
        _object(
            kind,
            row["film_id"],
            title or _deleted_title(entries, row["film_id"]),
            country=row["country"],
            release_type=row["type"],
            old=row["date"],
            new=new,
            shift_days=shift,
            announced=announced,
            source=source,
        )
    ]


def _amended_release(store: Store, old: dict[str, Any]) -> list[dict[str, Any]]:
    """An announcement corrected in place (`amend`): a change when its date changed."""
    from tracker.dates import classify_change, from_iso, move_days

    row = store.row(
        "SELECT r.*, f.title FROM releases r JOIN films f ON f.id = r.film_id WHERE r.id = ?",
        [old["id"]],
    )
    if row is None or row["date"] == old["date"]:
        return []
    before, after = from_iso(old["date"]), from_iso(row["date"])
    return [
        _object(
            classify_change(before, after),
            row["film_id"],
            row["title"],
            country=row["country"],
            release_type=row["type"],
            old=old["date"],
            new=row["date"],
            shift_days=move_days(before, after),
            announced=row["announced"],
            source=row["source"],
        )
    ]


def _deleted_title(entries: list[LogEntry], film_id: int) -> str | None:
    import json

    for table, op, row_id, old in entries:
        if (table, op, row_id) == ("films", "delete", film_id) and old is not None:
            title: str = json.loads(old)["title"]
            return title
    return None


def _object(
    kind: str,
    film: int,
    title: str | None,
    *,
    country: str | None = None,
    release_type: str | None = None,
    old: str | None = None,
    new: str | None = None,
    shift_days: int | None = None,
    announced: str | None = None,
    source: str | None = None,
) -> dict[str, Any]:
    return {
        "kind": kind,
        "film": film,
        "title": title,
        "country": country,
        "type": release_type,
        "old": old,
        "new": new,
        "shift_days": shift_days,
        "announced": announced,
        "source": source,
    }


def _release_change(store: Store, release_id: int) -> dict[str, Any] | None:
    from tracker.dates import classify_change, from_iso, move_days

    row = store.row(
        "SELECT r.*, f.title, (SELECT p.date FROM releases p WHERE p.film_id = r.film_id"
        "   AND p.country IS r.country AND p.type = r.type AND p.id != r.id"
        "   AND (p.announced_start < r.announced_start"
        "        OR (p.announced_start = r.announced_start AND p.id < r.id))"
        "   ORDER BY p.announced_start DESC, p.id DESC LIMIT 1) AS old_date,"
        " EXISTS (SELECT 1 FROM releases p WHERE p.film_id = r.film_id AND p.country IS r.country"
        "   AND p.type = r.type AND p.id != r.id AND (p.announced_start < r.announced_start"
        "   OR (p.announced_start = r.announced_start AND p.id < r.id))) AS had_one"
        " FROM releases r JOIN films f ON f.id = r.film_id WHERE r.id = ?",
        [release_id],
    )
    if row is None:
        return None
    new = from_iso(row["date"])
    if row["had_one"]:
        old = from_iso(row["old_date"])
        kind = classify_change(old, new)
        if kind == "confirmed":
            return None  # the same date announced again: not a change
        shift = move_days(old, new)
    else:
        kind, shift = "added", None
    return _object(
        kind,
        row["film_id"],
        row["title"],
        country=row["country"],
        release_type=row["type"],
        old=row["old_date"],
        new=row["date"],
        shift_days=shift,
        announced=row["announced"],
        source=row["source"],
    )


def _status_change(store: Store, event_id: int) -> list[dict[str, Any]]:
    row = store.row(
        "SELECT s.*, f.title, (SELECT q.status FROM status_events q WHERE q.film_id = s.film_id"
        "   AND q.id != s.id AND (q.on_start < s.on_start OR (q.on_start = s.on_start"
        "   AND q.id < s.id)) ORDER BY q.on_start DESC, q.id DESC LIMIT 1) AS old_status"
        " FROM status_events s JOIN films f ON f.id = s.film_id WHERE s.id = ?",
        [event_id],
    )
    if row is None or row["old_status"] == row["status"]:
        return []
    return [
        _object(
            "status",
            row["film_id"],
            row["title"],
            old=row["old_status"],
            new=row["status"],
            announced=row["on_date"],
            source=row["source"],
        )
    ]


def _retitle(store: Store, title_id: int) -> list[dict[str, Any]]:
    """A title taken from a day, with the title it replaced (a first title is no change)."""
    row = store.row(
        "SELECT t.*, (SELECT q.title FROM titles q WHERE q.film_id = t.film_id AND q.id != t.id"
        "   AND (q.on_start < t.on_start OR q.on_start IS NULL"
        "        OR (q.on_start = t.on_start AND q.id < t.id))"
        "   ORDER BY q.on_start DESC, q.id DESC LIMIT 1) AS old_title"
        " FROM titles t WHERE t.id = ? AND t.on_date IS NOT NULL",
        [title_id],
    )
    if row is None or row["old_title"] is None:
        return []
    return [
        _object(
            "retitled",
            row["film_id"],
            row["title"],
            old=row["old_title"],
            new=row["title"],
            announced=row["on_date"],
            source=row["source"],
        )
    ]


def run_hook(hook: Path, found: list[dict[str, Any]], timeout: float | None = None) -> str | None:
    """Run the hook with the changes on stdin; a one-line problem, or None when it worked."""
    import json
    import signal
    import subprocess

    if not found:
        return None
    text = "".join(json.dumps(change, ensure_ascii=False) + "\n" for change in found)
    limit = TIMEOUT_SECONDS if timeout is None else timeout
    try:
        # Its own process group, so a timeout stops whatever the hook started too.
        process = subprocess.Popen(
            [str(hook)],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as error:
        return f"hook {hook} could not run: {error.strerror}; the change is saved"
    try:
        _, said = process.communicate(text.encode("utf-8"), timeout=limit)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return f"hook {hook} ran past {limit:g} s and was stopped; the change is saved"
    if process.returncode != 0:
        lines = said.decode("utf-8", "replace").strip().splitlines()
        why = f": {lines[-1]}" if lines else ""
        return f"hook {hook} failed (exit {process.returncode}){why}; the change is saved"
    return None
