"""What a command changed, for the on-change hook (`tracker.hooks`).

The changes come from one place: the rows the undo log recorded for each committed
transaction (`Store.committed`, filled by `Store.transaction` only when a hook exists), so
every command that writes (and `sync`, `undo`, imports) fires hooks without knowing of them.
Each is worked out as of the command's day: the dates, titles and statuses it compares are
those known then. Bulk loads log one compact entry instead of rows, and are not reported row
by row.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from tracker.store import Store

# A log entry: (table, op, rowid, old row as JSON or None), as store/undo.py writes them.
LogEntry = tuple[str, str, int, str | None]
ReleaseKey = tuple[int, str | None, str]  # (film, country, type)
KINDS = ("moved", "refined", "vaguer", "tba", "status", "retitled", "added", "removed")


def changes(
    store: Store, entries: Iterable[LogEntry], today: datetime.date
) -> list[dict[str, Any]]:
    """What the logged row changes mean as of `today` (the command's day), one object per
    change, in the order made. A film is named by its title on `today`."""
    import json

    entries = list(entries)
    found: list[dict[str, Any]] = []
    new_films = {row_id for table, op, row_id, _ in entries if (table, op) == ("films", "insert")}
    inserted = {row_id for table, op, row_id, _ in entries if (table, op) == ("releases", "insert")}
    dated_films: set[int] = set()
    # Deleted and amended announcements change a date only through the current one: each
    # (film, country, type) they touch is compared as a whole, before and after.
    touched: dict[ReleaseKey, list[dict[str, Any]]] = {}
    changed: set[int] = set()  # the ids of the announcements deleted or amended
    # Statuses and titles deleted or amended (undo of `status` or `retitle`, `delete status`,
    # `amend status|title`): the film's status or title of the day, compared before and after.
    corrected: dict[str, dict[int, list[dict[str, Any]]]] = {}
    corrected_ids: dict[str, set[int]] = {}
    for table, op, row_id, old in entries:
        if table == "releases" and op == "insert":
            change = _release_change(store, row_id, inserted, today)
            if change is not None:
                dated_films.add(change["film"])
                found.append(change)
        elif table == "releases" and op in ("delete", "update") and old is not None:
            row = json.loads(old)
            changed.add(row_id)
            now = store.row("SELECT film_id, country, type FROM releases WHERE id = ?", [row_id])
            # An announcement moved onto another film (merge) counts for that film only.
            if now is None or store.value("SELECT 1 FROM films WHERE id = ?", [row["film_id"]]):
                touched.setdefault((row["film_id"], row["country"], row["type"]), []).append(row)
            if now is not None:  # amended in place, or onto another film
                touched.setdefault((now["film_id"], now["country"], now["type"]), [])
        elif table == "status_events" and op == "insert":
            # A new film's first status is part of it being added, not a change.
            found.extend(
                c for c in _status_change(store, row_id, today) if c["film"] not in new_films
            )
        elif table == "titles" and op == "insert":
            found.extend(_retitle(store, row_id, today))
        elif table in _LATEST_OF_DAY and op in ("delete", "update") and old is not None:
            row = json.loads(old)
            corrected.setdefault(table, {}).setdefault(row["film_id"], []).append(row)
            corrected_ids.setdefault(table, set()).add(row_id)
            now = store.value(f"SELECT film_id FROM {table} WHERE id = ?", [row_id])
            if now is not None:  # amended in place (or moved onto another film by merge)
                corrected[table].setdefault(now, [])
    for table, films in corrected.items():
        for film_id, rows in films.items():
            found.extend(_latest_change(store, table, film_id, rows, corrected_ids[table], today))
    for film_id in sorted(new_films - dated_films):
        if store.value("SELECT 1 FROM films WHERE id = ?", [film_id]):
            found.append(_object("added", film_id, _title(store, entries, film_id, today)))
    reported: set[int] = set()
    for key, rows in touched.items():
        for change in _current_change(store, entries, key, rows, inserted, changed, today):
            reported.add(change["film"])
            found.append(change)
    for film_id in _removed_films(entries):
        if film_id not in reported:
            found.append(_object("removed", film_id, _title(store, entries, film_id, today)))
    return found


def _removed_films(entries: list[LogEntry]) -> list[int]:
    """Films deleted (`remove`, undoing `add`), but not those merged into another film:
    their facts live on under it."""
    import json

    gone = [row_id for table, op, row_id, _ in entries if (table, op) == ("films", "delete")]
    moved = {
        json.loads(old).get("film_id")
        for table, op, _, old in entries
        if op == "update" and old is not None and table != "films"
    }
    return [film_id for film_id in gone if film_id not in moved]


# The columns of an announcement that decide the current date of its (film, country, type).
_RELEASE_COLUMNS = ("id", "date", "announced", "announced_start", "source")


def _current_change(
    store: Store,
    entries: list[LogEntry],
    key: ReleaseKey,
    old_rows: list[dict[str, Any]],
    inserted: set[int],
    changed: set[int],
    today: datetime.date,
) -> list[dict[str, Any]]:
    """The change to the current date of one (film, country, type) on `today` made by
    deleting or amending announcements (`old_rows`: those of this key as they were;
    `changed`: the ids of those deleted or amended; the `inserted` ones are reported on
    their own by `_release_change`). Deleting or amending one that is not current, or not
    known yet, changes nothing; deleting the current one goes back to the one before it
    (or removes the release)."""
    import json

    from tracker.asof import params, window_end
    from tracker.dates import classify_change, from_iso, move_days

    film_id, country, release_type = key
    was = json.dumps([{c: row.get(c) for c in _RELEASE_COLUMNS} for row in old_rows])
    columns = ", ".join(_RELEASE_COLUMNS)
    picked = ", ".join(f"json_extract(value, '$.{c}') AS {c}" for c in _RELEASE_COLUMNS)
    rows = (
        f"SELECT {columns} FROM releases WHERE film_id = :film AND country IS :country"
        " AND type = :type"
    )
    now = f"{rows} AND id NOT IN (SELECT value FROM json_each(:inserted))"
    before = (
        f"{rows} AND id NOT IN (SELECT value FROM json_each(:changed))"
        f" UNION ALL SELECT {picked} FROM json_each(:was)"
    )

    def current(rows_sql: str) -> Any:
        return store.row(
            f"SELECT * FROM ({rows_sql}) c WHERE {window_end('c', 'announced')} <= :today"
            " ORDER BY c.announced_start DESC, c.id DESC LIMIT 1",
            params(
                today,
                film=film_id,
                country=country,
                type=release_type,
                inserted=_json_ids(inserted),
                changed=_json_ids(inserted | changed),
                was=was,
            ),
        )

    old, new = current(before), current(now)
    if old is None and new is None:
        return []
    title = _title(store, entries, film_id, today)
    if new is None:
        kind, shift, shown = "removed", None, old
    elif old is None:
        kind, shift, shown = "added", None, new
    else:
        old_date, new_date = from_iso(old["date"]), from_iso(new["date"])
        kind = classify_change(old_date, new_date)
        if kind == "confirmed":
            return []
        shift, shown = move_days(old_date, new_date), new
    return [
        _object(
            kind,
            film_id,
            title,
            country=country,
            release_type=release_type,
            old=old["date"] if old is not None else None,
            new=new["date"] if new is not None else None,
            shift_days=shift,
            announced=shown["announced"],
            source=shown["source"],
        )
    ]


def _title(store: Store, entries: list[LogEntry], film_id: int, today: datetime.date) -> str | None:
    """The film's title on `today`; for a film this command deleted, from its deleted rows."""
    import json

    from tracker.asof import params, title_on, window_end

    if store.value("SELECT 1 FROM films WHERE id = ?", [film_id]):
        return title_on(store, film_id, today)
    titles = [
        json.loads(old)
        for table, op, _, old in entries
        if (table, op) == ("titles", "delete") and old is not None
    ]
    rows = json.dumps([t for t in titles if t["film_id"] == film_id])
    title: str | None = store.value(
        "WITH t AS (SELECT json_extract(value, '$.id') AS id, json_extract(value, '$.title')"
        " AS title, json_extract(value, '$.on_date') AS on_date,"
        " json_extract(value, '$.on_start') AS on_start FROM json_each(:rows))"
        f" SELECT coalesce((SELECT title FROM t WHERE {window_end('t', 'on_date')} <= :today"
        " ORDER BY on_start DESC, id DESC LIMIT 1),"
        " (SELECT title FROM t ORDER BY on_start, id LIMIT 1))",
        params(today, rows=rows),
    )
    return title or _deleted_title(entries, film_id)


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


def _release_change(
    store: Store, release_id: int, inserted: set[int], today: datetime.date
) -> dict[str, Any] | None:
    """A new announcement, against the one before it known on `today`. One that does not
    become the current date on `today` (not known yet, or behind a later one known that
    this command did not add, as when undoing the deletion of a superseded announcement)
    changes nothing."""
    from tracker.asof import params, previous_release_sql, title_sql
    from tracker.dates import classify_change, from_iso, move_days

    # The one before: the latest announcement known on `today` before this one (as `history`
    # and `changes` take it), not one dated earlier that nobody knew of yet.
    row = store.row(
        f"SELECT r.*, {title_sql('f.id', 'f.title')} AS title, p.date AS old_date,"
        " p.id IS NOT NULL AS had_one,"
        " r.known_from <= :today AND NOT EXISTS (SELECT 1 FROM releases l"
        "   WHERE l.film_id = r.film_id AND l.country IS r.country AND l.type = r.type"
        "   AND l.known_from <= :today AND l.id NOT IN (SELECT value FROM json_each(:inserted))"
        "   AND (l.announced_start > r.announced_start"
        "        OR (l.announced_start = r.announced_start AND l.id > r.id))) AS current"
        " FROM releases r JOIN films f ON f.id = r.film_id"
        f" LEFT JOIN releases p ON p.id = {previous_release_sql('r')} WHERE r.id = :release",
        params(today, release=release_id, inserted=_json_ids(inserted)),
    )
    if row is None or not row["current"]:
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


def _json_ids(ids: set[int]) -> str:
    import json

    return json.dumps(sorted(ids))


def _status_change(store: Store, event_id: int, today: datetime.date) -> list[dict[str, Any]]:
    from tracker.asof import params, previous_status_sql, title_sql

    row = store.row(
        f"SELECT s.*, {title_sql('f.id', 'f.title')} AS title,"
        f" {previous_status_sql('s')} AS old_status"
        " FROM status_events s JOIN films f ON f.id = s.film_id WHERE s.id = :event",
        params(today, event=event_id),
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


# The tables whose latest row known on a day is a film's state of that day, with the
# column holding that state and the hook's kind for a change of it.
_LATEST_OF_DAY = {"status_events": ("status", "status"), "titles": ("title", "retitled")}
_DAY_SOURCE = ("on_date", "on_start", "source")


def _latest_change(
    store: Store,
    table: str,
    film_id: int,
    old_rows: list[dict[str, Any]],
    changed: set[int],
    today: datetime.date,
) -> list[dict[str, Any]]:
    """The change to a film's status (or title) on `today` made by deleting or amending rows
    of `table` (`old_rows`: this film's as they were; `changed`: the ids deleted or
    amended): the latest known on `today` before and after. A first title has no day and
    holds until a retitle is known; a film this command removed is reported as removed."""
    import json

    from tracker.asof import params, title_on, window_end

    if not store.value("SELECT 1 FROM films WHERE id = ?", [film_id]):
        return []
    column, kind = _LATEST_OF_DAY[table]
    columns = f"id, {column} AS value, on_date, on_start, source"
    picked = ", ".join(
        f"json_extract(value, '$.{c}') AS {name}"
        for c, name in (("id", "id"), (column, "value"), *((c, c) for c in _DAY_SOURCE))
    )
    latest = (
        f" SELECT * FROM rows w WHERE w.on_date IS NULL OR {window_end('w', 'on_date')} <= :today"
        " ORDER BY w.on_date IS NOT NULL DESC, w.on_start DESC, w.id DESC LIMIT 1"
    )
    now_rows = f"SELECT {columns} FROM {table} WHERE film_id = :film"
    was_rows = (
        f"{now_rows} AND id NOT IN (SELECT value FROM json_each(:changed))"
        f" UNION ALL SELECT {picked} FROM json_each(:was)"
    )
    args = params(today, film=film_id, changed=_json_ids(changed), was=json.dumps(old_rows))
    before = store.row(f"WITH rows AS ({was_rows}){latest}", args)
    after = store.row(f"WITH rows AS ({now_rows}){latest}", args)
    old, new = (None if r is None else r["value"] for r in (before, after))
    if old == new or new is None:
        return []
    assert after is not None
    return [
        _object(
            kind,
            film_id,
            title_on(store, film_id, today),
            old=old,
            new=new,
            announced=after["on_date"],
            source=after["source"],
        )
    ]


def _retitle(store: Store, title_id: int, today: datetime.date) -> list[dict[str, Any]]:
    """A title taken from a day, with the title it replaced (a first title is no change)."""
    from tracker.asof import params, previous_title_sql, title_on

    row = store.row(
        f"SELECT t.*, {previous_title_sql('t')} AS old_title"
        " FROM titles t WHERE t.id = :title AND t.on_date IS NOT NULL",
        params(today, title=title_id),
    )
    if row is None or row["old_title"] is None:
        return []
    return [
        _object(
            "retitled",
            row["film_id"],
            title_on(store, row["film_id"], today),
            old=row["old_title"],
            new=row["title"],
            announced=row["on_date"],
            source=row["source"],
        )
    ]
