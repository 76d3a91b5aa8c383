"""What makes a database the same database after a restore from JSON: its UUID (calendar
UIDs and feed ids derive from it), the largest id each table ever gave (ids are never
given twice), and its deleted releases (calendars cancel them and count them in SEQUENCE).

The export writes `uuid` and `ids` beside `format` and `version`, and the section
`deleted_releases`. An import into a database that holds no film and no deleted release
takes the UUID; into any database, each table's id high-water mark is raised to at least
the file's.
Files written before these members existed import as they always did.
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from tracker.errors import BadFile
from tracker.exchange.json_reader import ImportContext, Reader
from tracker.store import Store
from tracker.store.info import database_uuid
from tracker.validation import MAX_ID

TOMBSTONES = "release_tombstones"


def id_marks(store: Store) -> dict[str, int]:
    """The largest id each tracker table ever gave (its AUTOINCREMENT counter), by name."""
    tables = set(_counted_tables(store))
    rows = store.rows("SELECT name, seq FROM sqlite_sequence WHERE seq > 0 ORDER BY name")
    return {row["name"]: int(row["seq"]) for row in rows if row["name"] in tables}


def header_text(store: Store) -> str:
    """The identity members as they follow `version` in an export."""
    marks = json.dumps(id_marks(store), separators=(", ", ": "))
    return f',\n  "uuid": {json.dumps(database_uuid(store))},\n  "ids": {marks}'


def holds_nothing(store: Store) -> bool:
    """A database no calendar can show anything of: no film, no deleted release (a new one,
    or one whose import was undone). Only such a database takes the file's UUID."""
    deleted = _has_tombstones(store) and store.value(f"SELECT EXISTS (SELECT 1 FROM {TOMBSTONES})")
    return not deleted and not store.value("SELECT EXISTS (SELECT 1 FROM films)")


def _has_tombstones(store: Store) -> bool:
    """Whether the database has the table of deleted releases (m010 on)."""
    return bool(
        store.value("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [TOMBSTONES])
    )


def film_id_mark(store: Store) -> int:
    """The largest film id the database ever gave (or holds)."""
    return int(
        store.value(
            "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'films'), 0),"
            " coalesce((SELECT max(id) FROM films), 0))"
        )
    )


def check_identity(key: str, value: Any) -> Any:
    """A header member `uuid` or `ids`, checked as read (applied after the sections)."""
    if value is None:
        return None
    if key == "uuid":
        try:
            return str(uuid.UUID(value)) if isinstance(value, str) else _not_a_uuid(value)
        except ValueError:
            return _not_a_uuid(value)
    if not isinstance(value, dict):
        raise BadFile("ids: expected an object of table names and ids")
    ids = Reader(value, "ids")
    return {name: ids.integer(name, required=True) for name in value}


def _not_a_uuid(value: Any) -> None:
    raise BadFile(f"uuid: not a UUID: {json.dumps(value)[:40]}")


def apply_identity(store: Store, header: dict[str, Any], empty: bool) -> None:
    """After the sections are loaded: the file's UUID (into a database that held nothing:
    `empty`, see holds_nothing), and every id high-water mark raised to at least the
    file's, so no id the file's database gave is given again here. A table this database
    lacks is skipped."""
    if empty and header.get("uuid"):
        # Logged by the undo trigger of `meta`: undoing the import puts the old one back.
        store.conn.execute("UPDATE meta SET value = ? WHERE key = 'uuid'", [header["uuid"]])
    counted = _counted_tables(store)
    for table, mark in (header.get("ids") or {}).items():
        if mark < 0 or mark > MAX_ID:
            raise BadFile(f"ids.{table}: {mark} is not an id")
        if table in counted:
            raise_mark(store, table, mark)


def raise_mark(store: Store, table: str, mark: int) -> None:
    """Make `table`'s next id come after `mark` (never lowered: ids given stay given)."""
    conn = store.conn
    if conn.execute("SELECT 1 FROM sqlite_sequence WHERE name = ?", [table]).fetchone():
        conn.execute("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?", [mark, table])
    elif mark > 0:
        conn.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", [table, mark])


def _counted_tables(store: Store) -> list[str]:
    """The tracker tables whose ids come from an AUTOINCREMENT counter."""
    from tracker.store.undo import user_tables

    counted = {
        name
        for (name,) in store.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%AUTOINCREMENT%'"
        )
    }
    return [table for table in user_tables(store.conn) if table in counted]


# The deleted releases ------------------------------------------------------------------

# A tombstone's id is its release's id, which the file does not carry (an import numbers
# releases afresh). What readers need of it is whether its release is back (an undone
# delete: calendars count that change too), so a release that is back is written as where
# it is in the file: its film and its place among that film's releases. Those come first,
# in the order an import numbers releases; then the others, in id order: an import gives
# them new ids in that order, so export, import and export again write the same text.
DELETED_RELEASES_SQL = (
    "SELECT t.film_id, t.title, t.franchise, t.watchlists, t.country, t.type, t.date,"
    " t.announced, t.source, t.removed, l.film_id AS back_film,"
    " (SELECT count(*) FROM releases x WHERE x.film_id = l.film_id AND x.id < l.id)"
    "  AS back_place"
    f" FROM {TOMBSTONES} t LEFT JOIN releases l ON l.id = t.id"
    " ORDER BY l.id IS NULL, l.film_id, l.id, t.id"
)


def dump_deleted_releases(store: Store) -> Iterator[str]:
    if not _has_tombstones(store):
        return
    names = {row["id"]: row["name"] for row in store.rows("SELECT id, name FROM watchlists")}
    for row in store.rows(DELETED_RELEASES_SQL):
        item: dict[str, Any] = {"film": row["film_id"], "title": row["title"]}
        item["franchise"] = row["franchise"]
        # The lists the film was on, by name (ids are the database's own); a list deleted
        # since cannot be asked for, so it is left out.
        on = [int(i) for i in (row["watchlists"] or "").split(",") if i]
        item["watchlists"] = sorted(names[i] for i in on if i in names)
        for key in ("country", "type", "date", "announced", "source", "removed"):
            item[key] = row[key]
        if row["back_film"] is not None:
            item["restored"] = {"film": row["back_film"], "release": row["back_place"]}
        yield json.dumps(item, ensure_ascii=False)


def load_deleted_releases(store: Store, items: Iterable[Reader], context: ImportContext) -> None:
    """Tombstones for the file's deleted releases. One whose film was removed keeps that
    film's id only where the id never named a film here (else it is left out: it would
    cancel or count against another film's events). Undoing the import removes them."""
    from tracker.store.undo import bulk_entry

    conn = store.conn
    if not _has_tombstones(store):  # (only an old schema, in its migration's tests)
        for item in items:
            raise item.fail("this database's schema has no deleted releases")
        return
    floor = int(store.value(f"SELECT coalesce(max(id), 0) FROM {TOMBSTONES}"))
    last_id = max(
        floor,
        int(store.value("SELECT coalesce(max(id), 0) FROM releases")),
        int(
            store.value(
                "SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = ?", ["releases"]
            )
        ),
    )
    lists = {
        row["name_key"]: row["id"] for row in store.rows("SELECT name_key, id FROM watchlists")
    }
    removed_films = 0  # the largest id of a removed film kept
    for item in items:
        film = _film_of(store, item, context)
        if film is None:
            continue
        restored = item.child("restored")
        if restored.names():
            tombstone_id = _restored_release(store, restored, context)
            if tombstone_id <= floor:
                continue  # (only a hand-made database has tombstones past its releases)
        else:
            last_id += 1
            tombstone_id = last_id
        if film in context.film_ids:
            film_id = context.film_ids[film]
        else:
            film_id, removed_films = film, max(removed_films, film)
        row = _tombstone(item, tombstone_id, film_id, lists)
        columns = ", ".join(row)
        marks = ", ".join(f":{column}" for column in row)
        conn.execute(f"INSERT OR IGNORE INTO {TOMBSTONES} ({columns}) VALUES ({marks})", row)
    # Those ids are taken, as they were in the file's database.
    raise_mark(store, "releases", last_id)
    raise_mark(store, "films", removed_films)
    if conn.execute(f"SELECT 1 FROM {TOMBSTONES} WHERE id > ? LIMIT 1", [floor]).fetchone():
        bulk_entry(conn, TOMBSTONES, floor)


def _film_of(store: Store, item: Reader, context: ImportContext) -> int | None:
    """The item's film in the file, or None to leave it out: a removed film whose id
    named a film here, or names one now."""
    film = item.integer("film", required=True)
    assert film is not None
    if film < 1:
        raise BadFile(f"{item.at('film')}: {film} is not an id (a whole number from 1)")
    if film in context.film_ids:
        return film
    if film <= context.film_id_mark or context.film_ids.taken(film):
        return None
    if store.value("SELECT 1 FROM films WHERE id = ?", [film]):
        return None  # (a film of the file without an id in it was given this one)
    return film


def _restored_release(store: Store, restored: Reader, context: ImportContext) -> int:
    """The id the import gave the release that is back."""
    film = context.film_id(restored)
    place = restored.integer("release", required=True)
    assert place is not None
    found = store.value(
        "SELECT id FROM releases WHERE film_id = ? ORDER BY id LIMIT 1 OFFSET ?",
        [film, max(place, 0)],
    )
    if place < 0 or found is None:
        raise BadFile(f"{restored.at('release')}: film {film} has no release {place} in this file")
    return int(found)


def _tombstone(
    item: Reader, tombstone_id: int, film_id: int, lists: dict[str, int]
) -> dict[str, Any]:
    from tracker.choices import RELEASE_TYPES, choose
    from tracker.names import name_key

    date = item.date("date")
    announced = item.date("announced", required=True)
    assert announced is not None
    removed = item.text("removed", required=True) or ""
    try:
        datetime.date.fromisoformat(removed)
    except ValueError:
        raise BadFile(f"{item.at('removed')}: expected a day (YYYY-MM-DD)") from None
    names = item.items("watchlists")
    if not all(isinstance(name.data, str) for name in names):
        raise BadFile(f"{item.at('watchlists')}: expected a list of text")
    on = sorted({lists[key] for key in (name_key(n.data) for n in names) if key in lists})
    with item.reporting():
        release_type = choose(item.text("type", required=True) or "", RELEASE_TYPES, "release type")
    return {
        "id": tombstone_id,
        "film_id": film_id,
        "title": item.text("title"),
        "franchise": item.text("franchise"),
        "watchlists": "".join(f",{i}" for i in on) + "," if on else None,
        "country": item.text("country"),
        "type": release_type,
        "date": None if date is None else date.iso,
        "date_start": None if date is None or date.start is None else date.start.isoformat(),
        "announced": announced.iso,
        "announced_start": None if announced.start is None else announced.start.isoformat(),
        "source": item.text("source"),
        "removed": removed,
    }
