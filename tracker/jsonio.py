"""The whole database as one JSON document, and back, losslessly.

Export, import into an empty database and export again gives identical JSON. Each part of
the tracker contributes a section (a dumper and a loader); derived values are not written.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker import production_io
from tracker.choices import RELEASE_TYPES, STATUSES, choose
from tracker.dates import TBA, FuzzyDate, parse_date
from tracker.errors import BadFile, TrackerError
from tracker.films import insert_film, record_status
from tracker.releases import insert_release, normalise_country
from tracker.store import Store

FORMAT_NAME = "tracker"
FORMAT_VERSION = 1


@dataclass
class ImportContext:
    """What loaders share: the file's film ids mapped to the database's."""

    film_ids: dict[int, int] = field(default_factory=dict)

    def film_id(self, item: Reader, key: str = "film") -> int:
        """The database id of the film an item refers to by its id in the file."""
        file_id = item.integer(key, required=True)
        if file_id is None or file_id not in self.film_ids:
            raise BadFile(f"{item.at(key)}: no film with id {file_id} in this file")
        return self.film_ids[file_id]


class Reader:
    """Reads typed values out of parsed JSON, naming the path of whatever is wrong."""

    def __init__(self, data: Any, path: str):
        self.data = data
        self.path = path

    def fail(self, message: str) -> BadFile:
        return BadFile(f"{self.path}: {message}" if self.path else message)

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def _raw(self, key: str, required: bool) -> Any:
        if not isinstance(self.data, dict):
            raise self.fail("expected an object")
        if key not in self.data or self.data[key] is None:
            if required:
                raise BadFile(f"{self.at(key)}: missing")
            return None
        return self.data[key]

    def text(self, key: str, required: bool = False) -> str | None:
        value = self._raw(key, required)
        if value is not None and not isinstance(value, str):
            raise BadFile(f"{self.at(key)}: expected text, got {json.dumps(value)[:40]}")
        return value

    def integer(self, key: str, required: bool = False) -> int | None:
        value = self._raw(key, required)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise BadFile(f"{self.at(key)}: expected a whole number, got {json.dumps(value)[:40]}")
        return value

    def number(self, key: str, required: bool = False) -> float | None:
        value = self._raw(key, required)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise BadFile(f"{self.at(key)}: expected a number, got {json.dumps(value)[:40]}")
        return value

    def date(self, key: str, required: bool = False) -> FuzzyDate | None:
        value = self.text(key, required)
        if value is None:
            return None
        try:
            return parse_date(value)
        except TrackerError as error:
            raise BadFile(f"{self.at(key)}: {error}") from None

    def items(self, key: str) -> list[Reader]:
        value = self._raw(key, False)
        if value is None:
            return []
        if not isinstance(value, list):
            raise BadFile(f"{self.at(key)}: expected a list")
        return [Reader(item, f"{self.at(key)}[{index}]") for index, item in enumerate(value)]

    @contextmanager
    def reporting(self) -> Iterator[None]:
        """Report a library error raised inside the block at this path."""
        try:
            yield
        except BadFile:
            raise
        except TrackerError as error:
            raise self.fail(str(error)) from None


# Films -------------------------------------------------------------------------------


def dump_films(store: Store) -> list[dict[str, Any]]:
    films = []
    for film in store.rows("SELECT * FROM films ORDER BY id"):
        film_id = film["id"]
        aliases = store.rows("SELECT alias FROM aliases WHERE film_id = ? ORDER BY id", [film_id])
        statuses = store.rows(
            "SELECT * FROM status_events WHERE film_id = ? ORDER BY id", [film_id]
        )
        releases = store.rows("SELECT * FROM releases WHERE film_id = ? ORDER BY id", [film_id])
        films.append(
            {
                "id": film_id,
                "title": film["title"],
                "year": film["year"],
                "franchise": film["franchise"],
                "instalment": film["instalment"],
                "aliases": [row["alias"] for row in aliases],
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
                    }
                    for row in releases
                ],
            }
        )
    return films


def load_films(store: Store, films: list[Reader], context: ImportContext) -> None:
    for film in films:
        file_id = film.integer("id")
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
                )


Dumper = Callable[[Store], list[dict[str, Any]]]
Loader = Callable[[Store, list[Reader], ImportContext], None]
# In import order: a section may refer to the films loaded before it.
SECTIONS: list[tuple[str, Dumper, Loader]] = [("films", dump_films, load_films)]
# Production (issue 3).
SECTIONS += [
    ("sources", production_io.dump_sources, production_io.load_sources),
    ("people", production_io.dump_people, production_io.load_people),
    ("shoots", production_io.dump_shoots, production_io.load_shoots),
    ("credits", production_io.dump_credits, production_io.load_credits),
    ("events", production_io.dump_events, production_io.load_events),
]


def _watchlist_sections() -> list[tuple[str, Dumper, Loader]]:
    from tracker.diary import dump_diary, load_diary
    from tracker.watchlists import dump_watchlists, load_watchlists

    return [("watchlists", dump_watchlists, load_watchlists), ("diary", dump_diary, load_diary)]


SECTIONS += _watchlist_sections()


def export_all(store: Store) -> dict[str, Any]:
    document: dict[str, Any] = {"format": FORMAT_NAME, "version": FORMAT_VERSION}
    for name, dump, _ in SECTIONS:
        document[name] = dump(store)
    return document


def export_text(store: Store) -> str:
    return json.dumps(export_all(store), ensure_ascii=False, indent=2) + "\n"


def read_document(path: Path) -> Any:
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


def import_all(store: Store, document: Any, name: str = "import") -> dict[str, int]:
    """Load a whole document, all or nothing; returns how many items each section had."""
    try:
        return _import(store, document)
    except BadFile as error:
        raise BadFile(f"{name}: {error}") from None


def _import(store: Store, document: Any) -> dict[str, int]:
    root = Reader(document, "")
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise BadFile('not a tracker export (expected an object with "format": "tracker")')
    version = root.integer("version", required=True)
    if version is None or version > FORMAT_VERSION:
        raise BadFile(f"format version {version} is newer than this tracker reads")
    context = ImportContext()
    counts = {}
    with store.transaction():
        for section, _, load in SECTIONS:
            items = root.items(section)
            load(store, items, context)
            counts[section] = len(items)
    return counts
