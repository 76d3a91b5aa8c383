"""The films section of the JSON export: each film with its titles, statuses, releases,
ids and rating, written as JSON text by SQLite and read back in batches."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from tracker.choices import RELEASE_TYPES, choose
from tracker.dates import TBA
from tracker.domain.films import (
    add_alias,
    film_record,
    insert_film,
    status_record,
    title_record,
)
from tracker.domain.identifiers import set_external_id
from tracker.domain.releases import normalise_country, release_record
from tracker.errors import BadFile, DuplicateFilm, InvalidValue
from tracker.exchange import json_lists
from tracker.exchange.json_items import chunked_items, json_object_text, member, value
from tracker.exchange.json_reader import FilmIds, ImportContext, Reader
from tracker.store import Store
from tracker.store.bulk import insert_batch
from tracker.validation import clean_optional


def _array(item: str, select: str) -> str:
    """SQL: the JSON array text of `item` over the rows `select` gives, in its order (the
    aggregate reads the ordered subquery as it comes; SQLite 3.40 has no ORDER BY inside
    one). `item` is built in the aggregate itself, so json_object's JSON stays JSON."""
    return f"(SELECT json_group_array({item}) FROM ({select}))"


def _in_id_order(table: str, columns: str) -> str:
    """SQL: the columns of film f's rows of `table`, in id order. The ids come from the
    film_id index and the rows by id (an IN on the id is read in order): no sorter a film,
    which `WHERE film_id = f.id ORDER BY id` needs (its index is not in id order), and
    which was a third of the time of a film's releases."""
    return (
        f"SELECT {columns} FROM {table} t WHERE t.id IN"
        f" (SELECT id FROM {table} WHERE film_id = f.id) ORDER BY t.id"
    )


def _sparse(table: str, array: str) -> str:
    """SQL: `array`, or [] straight from the film_id index when film f has no rows in
    `table` (most films have no aliases and no former titles)."""
    return (
        f"CASE WHEN EXISTS (SELECT 1 FROM {table} WHERE film_id = f.id) THEN {array} ELSE '[]' END"
    )


_RELEASE = (
    "'country', country, 'type', type, 'date', date, 'announced', announced,"
    " 'source', source, 'note', note"
)
# A film as the text of one JSON object, built by SQLite: the keys export has always
# written, in that order; a release's `certification` (m009), the film's `ids` and its own
# rating only where there are some.
FILM_ITEM_SQL = json_object_text(
    "json_object('id', f.id, 'title', f.title, 'year', f.year, 'franchise', f.franchise,"
    " 'instalment', f.instalment)",
    [
        ("aliases", _sparse("aliases", _array("alias", _in_id_order("aliases", "alias")))),
        (
            "titles",
            _sparse(
                "titles",
                _array(
                    "json_object('title', title, 'on', on_date, 'source', source)",
                    "SELECT title, on_date, source FROM titles WHERE film_id = f.id"
                    " ORDER BY on_start, id",
                ),
            ),
        ),
        (
            "statuses",
            _array(
                "json_object('status', status, 'on', on_date, 'note', note, 'source', source)",
                _in_id_order("status_events", "status, on_date, note, source"),
            ),
        ),
        (
            "releases",
            _array(
                f"CASE WHEN coalesce(certification, '') = '' THEN json_object({_RELEASE})"
                f" ELSE json_object({_RELEASE}, 'certification', certification) END",
                _in_id_order(
                    "releases", "country, type, date, announced, source, note, certification"
                ),
            ),
        ),
    ],
    optional=(
        "CASE WHEN EXISTS (SELECT 1 FROM external_ids x WHERE x.film_id = f.id)"
        f" THEN ',' || {member('ids')} || (SELECT json_group_object(scheme, value) FROM"
        " (SELECT scheme, value FROM external_ids x WHERE x.film_id = f.id"
        " ORDER BY CASE scheme {schemes} ELSE {others} END, scheme)) ELSE '' END"
        " || CASE WHEN r.film_id IS NULL THEN ''"
        f" ELSE ',' || {member('rating')} || {value('r.rating')}"
        f" || ',' || {member('rated_on')} || {value('r.rated_on')} END"
    ),
)


def dump_films(store: Store) -> Iterator[str]:
    """The films with their facts as JSON text, built by SQLite a chunk at a time."""
    from tracker.domain.identifiers import SCHEMES

    # Known schemes in their order, then any other alphabetically (as external_ids_of).
    schemes = " ".join(f"WHEN '{scheme}' THEN {rank}" for rank, scheme in enumerate(SCHEMES))
    item = FILM_ITEM_SQL.replace("{schemes}", schemes).replace("{others}", str(len(SCHEMES)))
    return chunked_items(
        store, item, "films f LEFT JOIN film_ratings r ON r.film_id = f.id", "f.id"
    )


def load_films(store: Store, films: Iterable[Reader], context: ImportContext) -> None:
    """Films with their statuses and releases, checked one by one as they are read and
    inserted a few thousand at a time (executemany). A film with aliases, former titles,
    external ids or a rating goes in at once, since those rows refer to it."""
    batch = _FilmBatch(store, context.film_ids, context.film_id_mark)
    for film in films:
        file_id = film.integer("id")
        if file_id is not None and file_id < 1:
            raise BadFile(f"{film.at('id')}: {file_id} is not an id (a whole number from 1)")
        if file_id is not None and file_id in context.film_ids:
            raise BadFile(f"{film.at('id')}: film id {file_id} is in this file twice")
        aliases = [alias.data for alias in film.items("aliases")]
        if not all(isinstance(alias, str) for alias in aliases):
            raise BadFile(f"{film.at('aliases')}: expected a list of text")
        ids, titles = film.child("ids"), _title_history(film.items("titles"))
        with film.reporting():
            record = film_record(
                _latest(titles) or film.text("title", required=True) or "",
                year=film.integer("year"),
                franchise=film.text("franchise"),
                instalment=film.integer("instalment"),
            )
        new_id = batch.film(record, file_id, film)
        if file_id is not None:
            context.film_ids[file_id] = new_id
        for status in film.items("statuses"):
            on = status.date("on", required=True)
            assert on is not None
            with status.reporting():
                batch.add(
                    "status_events",
                    status_record(
                        new_id,
                        status.text("status", required=True) or "",
                        on,
                        status.text("note"),
                        status.text("source"),
                    ),
                )
        for release in film.items("releases"):
            date = release.date("date")
            announced = release.date("announced", required=True)
            assert announced is not None
            with release.reporting():
                row = release_record(
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
                row["certification"] = clean_optional(
                    release.text("certification"), "a certification"
                )
                batch.add("releases", row)
        if aliases or ids.names() or titles or film.number("rating") is not None:
            batch.flush()
            for title in titles:  # first: an alias repeating a title is not kept
                store.insert("titles", {"film_id": new_id, **title})
            for alias in aliases:
                with film.reporting():
                    add_alias(store, new_id, alias)
            for scheme in ids.names():
                with ids.reporting():
                    set_external_id(store, new_id, scheme, ids.text(scheme, required=True) or "")
            json_lists.load_film_rating(store, new_id, film)
        elif batch.full():
            batch.flush()
    batch.flush()


class _FilmBatch:
    """Rows of films, status_events and releases waiting for one executemany each. A film
    keeps its id from the file unless the database gave that id before (`given`: it holds
    that film, or held it: a removed film's id names it still in calendars, whose cancelled
    events a new film of that id would revive); then it gets the next id, as AUTOINCREMENT
    would give it."""

    SIZE = 2000  # films

    def __init__(self, store: Store, film_ids: FilmIds, given: int):
        self.store = store
        self.film_ids = film_ids  # the ids given to the file's films so far
        self.given = given  # the largest film id this database ever gave (0: it takes the file's)
        self.rows: dict[str, list[dict[str, Any]]] = {
            "films": [], "status_events": [], "releases": []
        }  # fmt: skip
        self.readers: list[Reader] = []  # of the films waiting, to name one that clashes
        self.had_films = bool(store.value("SELECT EXISTS (SELECT 1 FROM films)"))
        self.unnamed: set[int] = set()  # ids given to films without one in the file
        self.top = int(
            store.value(
                "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'films'), 0),"
                " coalesce((SELECT max(id) FROM films), 0))"
            )
        )

    def film(self, record: dict[str, Any], file_id: int | None, reader: Reader) -> int:
        new_id = self.top + 1 if file_id is None or self._taken(file_id) else file_id
        self.top = max(self.top, new_id)
        if file_id is None:
            self.unnamed.add(new_id)
        self.rows["films"].append({"id": new_id, **record})
        self.readers.append(reader)
        return new_id

    def _taken(self, film_id: int) -> bool:
        if film_id <= self.given or film_id in self.unnamed or self.film_ids.taken(film_id):
            return True
        return self.had_films and bool(
            self.store.value("SELECT 1 FROM films WHERE id = ?", [film_id])
        )

    def add(self, table: str, record: dict[str, Any]) -> None:
        self.rows[table].append(record)

    def full(self) -> bool:
        return len(self.rows["films"]) >= self.SIZE

    def flush(self) -> None:
        """Insert what waits, films first (the others refer to them)."""
        conn = self.store.conn
        films = self.rows["films"]
        if films:
            insert_batch(self.store, _insert_sql("films", films[0]), films, self._name_the_clash)
        for table in ("status_events", "releases"):
            if self.rows[table]:
                conn.executemany(_insert_sql(table, self.rows[table][0]), self.rows[table])
        for rows in self.rows.values():
            rows.clear()
        self.readers.clear()

    def _name_the_clash(self) -> None:
        """The film of the batch that is already tracked (or twice in the file): insert
        them one by one, checked as `add` checks them, to name it."""
        for record, reader in zip(self.rows["films"], self.readers, strict=True):
            with reader.reporting():
                try:
                    insert_film(
                        self.store,
                        record["title"],
                        year=record["year"],
                        franchise=record["franchise"],
                        instalment=record["instalment"],
                        film_id=record["id"],
                    )
                except DuplicateFilm as error:
                    raise DuplicateFilm(in_the_file(str(error))) from None


# What `add` tells a user to do about a film already tracked; a file is changed instead.
OPTION_HINT = "; give a different --year for a remake"
FILE_HINT = "; if it is another film (a remake), give it its own year or title in the file"


def in_the_file(message: str) -> str:
    """A duplicate film's message with the advice for a file rather than a command."""
    return message.replace(OPTION_HINT, FILE_HINT)


def _insert_sql(table: str, record: dict[str, Any]) -> str:
    columns = ", ".join(f'"{column}"' for column in record)
    names = ", ".join(f":{column}" for column in record)
    return f'INSERT INTO "{table}" ({columns}) VALUES ({names})'


def _title_history(items: list[Reader]) -> list[dict[str, Any]]:
    """A film's title history, checked (rows of titles without the film): the first title
    (its day may be unknown), then each later one from its day. None in a file keeps none."""
    history = []
    for index, item in enumerate(items):
        title = item.text("title", required=True) or ""
        on = item.date("on", required=index > 0)
        with item.reporting():
            if index > 0 and on is not None and on.start is None:
                raise InvalidValue("a title's day cannot be TBA")
            row = title_record(0, title, on, item.text("source"))
        del row["film_id"]
        history.append(row)
    return history


def _latest(history: list[dict[str, Any]]) -> str | None:
    """The title of the history's latest day (of two on the same day, the later listed),
    which is the film's title; what `insert_title` would leave in films.title."""
    if not history:
        return None
    latest = max(enumerate(history), key=lambda pair: (pair[1]["on_start"] or "", pair[0]))
    return str(latest[1]["title"])
