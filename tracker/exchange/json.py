"""The whole database as one JSON document, and back, losslessly.

Export, import into an empty database and export again gives identical JSON. Each part of
the tracker contributes a section (a dumper and a loader); derived values are not written.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import IO, Any

from tracker.errors import BadFile
from tracker.exchange import json_films, json_identity, json_lists, json_production
from tracker.exchange.json_items import ITEM_SEPARATOR
from tracker.exchange.json_reader import ImportContext, Reader
from tracker.exchange.json_stream import JsonStream, Member, StreamError
from tracker.store import Store
from tracker.store.bulk import AppendLog, indexes_set_aside
from tracker.store.info import database_uuid

FORMAT_NAME = "tracker"
FORMAT_VERSION = 1


# A dumper gives its section's items as JSON text: pieces of one or more whole items, each
# on its own line (joined by json_items.ITEM_SEPARATOR).
Dumper = Callable[[Store], Iterable[str]]
Loader = Callable[[Store, Iterable[Reader], ImportContext], None]
# In import order: a section may refer to the films loaded before it.
SECTIONS: list[tuple[str, Dumper, Loader]] = [
    ("films", json_films.dump_films, json_films.load_films)
]
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
# Last: a deleted release may be back as one of the films' releases (json_identity).
SECTIONS += [
    (
        "deleted_releases",
        json_identity.dump_deleted_releases,
        json_identity.load_deleted_releases,
    ),
]
# Header members after "format" and "version": the database's identity (json_identity).
IDENTITY = ("uuid", "ids")


def export_all(store: Store) -> dict[str, Any]:
    """The document as Python values (what `export_chunks` writes, parsed)."""
    document: dict[str, Any] = {"format": FORMAT_NAME, "version": FORMAT_VERSION}
    document["uuid"] = database_uuid(store)
    document["ids"] = json_identity.id_marks(store)
    for name, dump, _ in SECTIONS:
        document[name] = [item for piece in dump(store) for item in json.loads(f"[{piece}]")]
    return document


EXPORT_CACHE_KIB = 32 * 1024


def export_chunks(store: Store) -> Generator[str, None, None]:
    """The document a section item at a time, one item per line: a million films never
    sit in memory, `grep` finds a film's line, and `import json` reads an item at a time."""
    conn = store.conn
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")  # one snapshot for every section and chunk
    yield "{\n" + f'  "format": "{FORMAT_NAME}",\n  "version": {FORMAT_VERSION}'
    yield json_identity.header_text(store)
    # Each film's facts and each credit's person are looked up by index: a larger page
    # cache keeps those pages (at a million films, a fifth of a credit's time went to
    # reading pages again), well within the export's memory budget.
    cache_size = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = {-EXPORT_CACHE_KIB}")
    try:
        for name, dump, _ in SECTIONS:
            opened = False
            for piece in dump(store):
                yield ITEM_SEPARATOR if opened else f',\n  "{name}": [\n    '
                yield piece  # (not added to the line above: a piece can be megabytes)
                opened = True
            yield "\n  ]" if opened else f',\n  "{name}": []'
    finally:
        conn.execute(f"PRAGMA cache_size = {int(cache_size)}")
        if own and conn.in_transaction:
            conn.execute("COMMIT")
    yield "\n}\n"


def write_export(store: Store, out: IO[str]) -> None:
    """Write `export_chunks` to `out`, the writing in a second thread while SQLite builds
    the next chunk (exchange.chunks.write_behind)."""
    from tracker.exchange.chunks import write_behind

    write_behind(export_chunks(store), out.write, depth=8)


# The import streams (a film at a time), so this only keeps out what is surely no export.
MAX_JSON_BYTES = 64 * 1024 * 1024 * 1024


def import_file(store: Store, path: Path, today: datetime.date | None = None) -> dict[str, int]:
    """Load a JSON export read a piece at a time: all or nothing; returns how many items
    each section had. A diary day after `today` (default: the real date) is refused."""
    from tracker.files import check_input

    check_input(path, limit=MAX_JSON_BYTES, kind="JSON export")

    @contextmanager
    def read() -> Iterator[Iterator[Member]]:
        try:
            handle = path.open(encoding="utf-8-sig")
        except OSError as error:
            raise StreamError(f"{path}: cannot read: {error.strerror or error}") from None
        with handle:
            yield JsonStream(handle, str(path)).members()

    # Sections load in SECTIONS order (a section may refer to the films before it). An
    # export lists them in that order, so one pass over the file loads everything; a file
    # written by hand in another order is read again for what had to wait.
    loaders = {section: load for section, _, load in SECTIONS}
    context = ImportContext(today=today or datetime.date.today())
    counts = dict.fromkeys(loaders, 0)
    header: dict[str, Any] = {}
    try:
        with store.transaction():
            empty = json_identity.holds_nothing(store)
            # Into a database holding nothing, no film id names a film of its own.
            context.film_id_mark = 0 if empty else json_identity.film_id_mark(store)
            appends = _compact_undo(store)
            with indexes_set_aside(store, BULK_TABLES):

                def films_loaded() -> None:
                    # A film given its file's id in a gap below the largest id is undone on
                    # its own. The search entries of the films section are written now, in
                    # one statement a table: later sections may update films (an old
                    # export's retitle events). People, shoots and notes are only ever
                    # appended to: theirs are written at the end (a trigger a row costs 14
                    # µs of a shoot's 26).
                    floor = appends.watch("films")
                    appends.explicit("films", context.film_ids.at_or_below(floor))
                    appends.index_now(FILM_SECTION_TABLES)

                _load_sections(store, read, loaders, counts, context, films_loaded, header)
            json_identity.apply_identity(store, header, empty)
            appends.close()
    except StreamError:
        raise
    except BadFile as error:
        raise BadFile(f"{path}: {error}") from None
    return counts


NOT_AN_EXPORT = 'not a tracker export (expected an object with "format": "tracker")'


# The tables the films section writes whose rows later sections may update.
FILM_SECTION_TABLES = ("films", "titles", "aliases")
# The tables an import fills most: into an empty one, its indexes are built once at the end.
BULK_TABLES = ("films", "status_events", "releases", "people", "shoots", "shoot_films", "credits")


def _load_sections(
    store: Store,
    read: Callable[[], AbstractContextManager[Iterator[Member]]],
    loaders: dict[str, Loader],
    counts: dict[str, int],
    context: ImportContext,
    films_loaded: Callable[[], None],
    header: dict[str, Any],
) -> None:
    """Load the file's sections in order (reading it again for those that had to wait);
    `header` gets its header members."""
    order = list(loaders)
    loaded: set[str] = set()
    present: set[str] | None = None  # the file's sections, known after the first pass

    def ready(section: str) -> bool:
        if "format" not in header or "version" not in header:
            return False  # (once both are there, they were checked)
        earlier = order[: order.index(section)]
        return all(s in loaded or (present is not None and s not in present) for s in earlier)

    for _ in range(len(order) + 1):
        seen: set[str] = set()
        with read() as members:
            for key, value in members:
                if key in seen:
                    raise BadFile(f"{key}: in this file twice")
                seen.add(key)
                if key in ("format", "version"):
                    _check_header(header, key, value)
                elif key in IDENTITY:
                    header[key] = json_identity.check_identity(key, value)
                elif key in loaders and key not in loaded and ready(key):
                    counts[key] = _load_section(store, key, value, loaders[key], context)
                    loaded.add(key)
                    if key == "films":
                        films_loaded()
        if "format" not in header:
            raise BadFile(NOT_AN_EXPORT)
        if "version" not in header:
            raise BadFile("version: missing")
        present = seen
        if all(section in loaded for section in order if section in seen):
            return


def _check_header(header: dict[str, Any], key: str, value: Any) -> None:
    """Note "format" or "version"; once both are there, check them."""
    header[key] = value
    if key == "format" and value != FORMAT_NAME:
        raise BadFile(NOT_AN_EXPORT)
    if "format" in header and "version" in header:
        version = Reader(header, "").integer("version", required=True)
        if version is None or version > FORMAT_VERSION:
            raise BadFile(f"format version {version} is newer than this tracker reads")


def _load_section(
    store: Store, section: str, value: Any, load: Loader, context: ImportContext
) -> int:
    if value is None:
        return 0
    if not isinstance(value, Iterator):
        raise BadFile(f"{section}: expected a list")
    count = 0

    root = Reader(None, "")

    def readers() -> Iterator[Reader]:
        nonlocal count
        for count, item in enumerate(value, 1):  # noqa: B007 (count is read after)
            yield Reader(item, section, root, count - 1)

    load(store, readers(), context)
    return count


def _compact_undo(store: Store) -> AppendLog:
    """Undo of an import as one "delete the rows after N" entry per table it appended to (as
    the CSV import does), not a logged inverse per row: undoing a million films is quick.
    Changes to rows that were there before (a list's note, say) are still logged row by row."""
    from tracker.store.undo import user_tables

    # The films section never updates a film it added, so the search index of what it
    # appends is written in one statement after it (`index_now`).
    appends = AppendLog(store)
    # Parents first: undo reverts the entries last to first, children before their parents.
    parents = ["films", "people", "shoots", "watchlists", "sources"]
    tables = user_tables(store.conn)
    for table in [*[t for t in parents if t in tables], *[t for t in tables if t not in parents]]:
        appends.watch(table)
    return appends
