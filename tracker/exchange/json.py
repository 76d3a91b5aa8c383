"""The whole database as one JSON document, and back, losslessly.

Export, import into an empty database and export again gives identical JSON. Each part of
the tracker contributes a section (a dumper and a loader); derived values are not written.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from tracker.choices import RELEASE_TYPES, STATUSES, choose
from tracker.dates import TBA
from tracker.domain.films import insert_film, insert_title, record_status, title_record
from tracker.domain.identifiers import external_ids_of, set_external_id
from tracker.domain.releases import insert_release, normalise_country
from tracker.errors import BadFile
from tracker.exchange import json_lists, json_production
from tracker.exchange.json_reader import ImportContext, Reader
from tracker.store import Store
from tracker.store.bulk import AppendLog

FORMAT_NAME = "tracker"
FORMAT_VERSION = 1


# Films -------------------------------------------------------------------------------


def dump_films(store: Store) -> Iterator[dict[str, Any]]:
    """Each film with its facts, read one film at a time (from a cursor over the films)."""
    for film in store.conn.execute("SELECT * FROM films ORDER BY id"):
        film_id = film["id"]
        aliases = store.rows("SELECT alias FROM aliases WHERE film_id = ? ORDER BY id", [film_id])
        statuses = store.rows(
            "SELECT * FROM status_events WHERE film_id = ? ORDER BY id", [film_id]
        )
        releases = store.rows("SELECT * FROM releases WHERE film_id = ? ORDER BY id", [film_id])
        ids = external_ids_of(store, film_id)
        titles = store.rows(
            "SELECT title, on_date, source FROM titles WHERE film_id = ? ORDER BY on_start, id",
            [film_id],
        )
        film_entry: dict[str, Any] = {
            "id": film_id,
            "title": film["title"],
            "year": film["year"],
            "franchise": film["franchise"],
            "instalment": film["instalment"],
            "aliases": [row["alias"] for row in aliases],
            "titles": [
                {"title": row["title"], "on": row["on_date"], "source": row["source"]}
                for row in titles
            ],
            "statuses": [
                {
                    "status": row["status"],
                    "on": row["on_date"],
                    "note": row["note"],
                    "source": row["source"],
                }
                for row in statuses
            ],
            "releases": [
                {
                    "country": row["country"],
                    "type": row["type"],
                    "date": row["date"],
                    "announced": row["announced"],
                    "source": row["source"],
                    "note": row["note"],
                    # TMDB's age rating (m009), written only where there is one.
                    **({"certification": row["certification"]} if _rated(row) else {}),
                }
                for row in releases
            ],
            # Only films that have external ids carry the object.
            **({"ids": ids} if ids else {}),
        }
        film_entry.update(json_lists.film_rating(store, film_id))
        yield film_entry


def _rated(row: Any) -> bool:
    # sqlite3.Row: `in` looks at values, keys() at column names (older schemas lack it).
    return "certification" in row.keys() and bool(row["certification"])  # noqa: SIM118


def load_films(store: Store, films: list[Reader], context: ImportContext) -> None:
    for film in films:
        file_id = film.integer("id")
        if file_id is not None and file_id < 1:
            raise BadFile(f"{film.at('id')}: {file_id} is not an id (a whole number from 1)")
        if file_id is not None and file_id in context.film_ids:
            raise BadFile(f"{film.at('id')}: film id {file_id} is in this file twice")
        aliases = [alias.data for alias in film.items("aliases")]
        if not all(isinstance(alias, str) for alias in aliases):
            raise BadFile(f"{film.at('aliases')}: expected a list of text")
        taken = file_id is not None and store.value("SELECT 1 FROM films WHERE id = ?", [file_id])
        with film.reporting():
            new_id = insert_film(
                store,
                film.text("title", required=True) or "",
                year=film.integer("year"),
                franchise=film.text("franchise"),
                instalment=film.integer("instalment"),
                aliases=aliases,
                film_id=None if taken else file_id,
            )
        if file_id is not None:
            context.film_ids[file_id] = new_id
        ids = film.child("ids")
        for scheme in ids.names():
            with ids.reporting():
                set_external_id(store, new_id, scheme, ids.text(scheme, required=True) or "")
        _load_titles(store, new_id, film)
        json_lists.load_film_rating(store, new_id, film)
        for status in film.items("statuses"):
            on = status.date("on", required=True)
            assert on is not None
            with status.reporting():
                record_status(
                    store,
                    new_id,
                    choose(status.text("status", required=True) or "", STATUSES, "status"),
                    on,
                    status.text("note"),
                    status.text("source"),
                )
        for release in film.items("releases"):
            date = release.date("date")
            announced = release.date("announced", required=True)
            assert announced is not None
            with release.reporting():
                insert_release(
                    store,
                    new_id,
                    date or TBA,
                    normalise_country(release.text("country")),
                    choose(
                        release.text("type", required=True) or "", RELEASE_TYPES, "release type"
                    ),
                    announced,
                    source=release.text("source"),
                    note=release.text("note"),
                    certification=release.text("certification"),
                )


def _load_titles(store: Store, film_id: int, film: Reader) -> None:
    """A film's title history: the first title (its day may be unknown), then each later one
    from its day; the film's `title` is the latest. A file without titles keeps none."""
    for index, item in enumerate(film.items("titles")):
        title = item.text("title", required=True) or ""
        on = item.date("on", required=index > 0)
        with item.reporting():
            if index == 0:
                store.insert("titles", title_record(film_id, title, on, item.text("source")))
            else:
                insert_title(store, film_id, title, on, item.text("source"))


Dumper = Callable[[Store], Iterable[dict[str, Any]]]
Loader = Callable[[Store, list[Reader], ImportContext], None]
# In import order: a section may refer to the films loaded before it.
SECTIONS: list[tuple[str, Dumper, Loader]] = [("films", dump_films, load_films)]
# Production (issue 3).
SECTIONS += [
    ("sources", json_production.dump_sources, json_production.load_sources),
    ("people", json_production.dump_people, json_production.load_people),
    ("shoots", json_production.dump_shoots, json_production.load_shoots),
    ("credits", json_production.dump_credits, json_production.load_credits),
    ("events", json_production.dump_events, json_production.load_events),
]

SECTIONS += [
    ("watchlists", json_lists.dump_watchlists, json_lists.load_watchlists),
    ("diary", json_lists.dump_diary, json_lists.load_diary),
]


def export_all(store: Store) -> dict[str, Any]:
    document: dict[str, Any] = {"format": FORMAT_NAME, "version": FORMAT_VERSION}
    for name, dump, _ in SECTIONS:
        document[name] = list(dump(store))
    return document


def export_text(store: Store) -> str:
    return "".join(export_chunks(store))


def export_chunks(store: Store) -> Iterator[str]:
    """The document as `json.dumps(export_all(store), indent=2)` writes it, plus a final
    newline, written a section item at a time: a million films never sit in memory."""

    def dumped(value: Any, depth: int) -> str:
        return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + "  " * depth)

    yield "{\n" + f'  "format": {dumped(FORMAT_NAME, 1)},\n  "version": {dumped(FORMAT_VERSION, 1)}'
    for name, dump, _ in SECTIONS:
        opened = False
        for item in dump(store):
            yield (",\n    " if opened else f",\n  {dumped(name, 1)}: [\n    ") + dumped(item, 2)
            opened = True
        yield "\n  ]" if opened else f",\n  {dumped(name, 1)}: []"
    yield "\n}\n"


# Read whole into memory (about 5 times its size) until the import streams.
MAX_JSON_BYTES = 1024 * 1024 * 1024


def read_document(path: Path) -> Any:
    from tracker.files import check_input

    check_input(path, limit=MAX_JSON_BYTES, kind="JSON export")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise BadFile(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise BadFile(f"{path}: cannot read: {error}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise BadFile(
            f"{path}: invalid JSON at line {error.lineno} column {error.colno}: {error.msg}"
        ) from None
    except RecursionError:
        raise BadFile(f"{path}: JSON nested too deeply for a tracker export") from None
    except ValueError as error:  # a number of more than 4,300 digits
        raise BadFile(f"{path}: {str(error).split(';')[0]}") from None


def import_all(
    store: Store, document: Any, name: str = "import", today: datetime.date | None = None
) -> dict[str, int]:
    """Load a whole document, all or nothing; returns how many items each section had.
    A diary day after `today` (default: the real date) is refused, as `seen` refuses it."""
    try:
        return _import(store, document, today or datetime.date.today())
    except BadFile as error:
        raise BadFile(f"{name}: {error}") from None


def _import(store: Store, document: Any, today: datetime.date) -> dict[str, int]:
    root = Reader(document, "")
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise BadFile('not a tracker export (expected an object with "format": "tracker")')
    version = root.integer("version", required=True)
    if version is None or version > FORMAT_VERSION:
        raise BadFile(f"format version {version} is newer than this tracker reads")
    context = ImportContext(today=today)
    counts = {}
    with store.transaction():
        appends = _compact_undo(store)
        for section, _, load in SECTIONS:
            items = root.items(section)
            load(store, items, context)
            counts[section] = len(items)
        # A film given its file's id in a gap below the largest id is undone on its own.
        appends.explicit("films", context.film_ids.values())
        appends.close()
    return counts


def _compact_undo(store: Store) -> AppendLog:
    """Undo of an import as one "delete the rows after N" entry per table it appended to (as
    the CSV import does), not a logged inverse per row: undoing a million films is quick.
    Changes to rows that were there before (a list's note, say) are still logged row by row."""
    from tracker.store.undo import user_tables

    # The JSON sections update rows they just added (a film's latest title): the full-text
    # index follows each row as it goes.
    appends = AppendLog(store, index_later=False)
    # Parents first: undo reverts the entries last to first, children before their parents.
    parents = ["films", "people", "shoots", "watchlists", "sources"]
    tables = user_tables(store.conn)
    for table in [*[t for t in parents if t in tables], *[t for t in tables if t not in parents]]:
        appends.watch(table)
    return appends
