"""The JSON export sections of production tracking: sources, people, shoots, credits, events.

Films are referred to by their id in the file's `films` section; people by name. Rows are
written in id order and read back in that order, so export, import, export is identical.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from tracker.dates import TBA, FuzzyDate
from tracker.domain.events import insert_event
from tracker.domain.films import insert_title
from tracker.domain.people import credit_record, insert_credit, person_id
from tracker.domain.shoots import insert_shoot
from tracker.domain.sources import describe_source
from tracker.errors import BadFile
from tracker.exchange.json_items import chunked_items
from tracker.exchange.json_reader import ImportContext, Reader
from tracker.names import name_key
from tracker.store import Store
from tracker.store.bulk import insert_batch


def dump_sources(store: Store) -> Iterator[str]:
    return _items(
        store,
        "SELECT json_object('url', url, 'title', title, 'publisher', publisher)"
        " FROM sources ORDER BY url",
    )


def _items(store: Store, sql: str) -> Iterator[str]:
    """Each row's one column: an item's JSON text, built by SQLite."""
    return (text for (text,) in store.conn.execute(sql))


def load_sources(store: Store, items: Iterable[Reader], context: ImportContext) -> None:
    for item in items:
        with item.reporting():
            describe_source(
                store,
                item.text("url", required=True) or "",
                title=item.text("title"),
                publisher=item.text("publisher"),
            )


def dump_people(store: Store) -> Iterator[str]:
    return chunked_items(store, "json_object('name', name)", "people", "id")


def load_people(store: Store, items: Iterable[Reader], context: ImportContext) -> None:
    for item in items:
        with item.reporting():
            person_id(store, item.text("name", required=True) or "")


_SHOOT_MEMBERS = (
    "'films', json((SELECT json_group_array(film_id) FROM"
    " (SELECT film_id FROM shoot_films WHERE shoot_id = s.id ORDER BY film_id))),"
    " 'place', place, 'region', region, 'country', country, 'start', start, 'end', end,"
    " 'note', note, 'source', source"
)


def dump_shoots(store: Store) -> Iterator[str]:
    # `announced` (m020) only where there is one: older files and readers stay as they were.
    return chunked_items(
        store,
        f"CASE WHEN announced IS NULL THEN json_object({_SHOOT_MEMBERS})"
        f" ELSE json_object({_SHOOT_MEMBERS}, 'announced', announced) END",
        "shoots s",
        "s.id",
    )


def load_shoots(store: Store, items: Iterable[Reader], context: ImportContext) -> None:
    for item in items:
        films = item.items("films")
        if not films:
            raise BadFile(f"{item.at('films')}: a shoot needs at least one film")
        film_ids = []
        for film in films:
            if not isinstance(film.data, int) or isinstance(film.data, bool):
                raise film.fail("expected a film id")
            if film.data not in context.film_ids:
                raise film.fail(f"no film with id {film.data} in the films section")
            film_ids.append(context.film_ids[film.data])
        start, end = item.date("start"), item.date("end")
        with item.reporting():
            insert_shoot(
                store,
                film_ids,
                item.text("place", required=True) or "",
                item.text("country", required=True) or "",
                region=item.text("region"),
                start=start or TBA,
                end=end or TBA,
                note=item.text("note"),
                source=item.text("source"),
                announced=item.date("announced") or TBA,
            )


def dump_credits(store: Store) -> Iterator[str]:
    return chunked_items(
        store,
        "json_object('film', c.film_id, 'person', p.name, 'role', c.role,"
        " 'character', c.character)",
        "credits c JOIN people p ON p.id = c.person_id",
        "c.id",
    )


def load_credits(store: Store, items: Iterable[Reader], context: ImportContext) -> None:
    """Checked one by one, inserted a few thousand at a time."""
    waiting: list[_Credit] = []
    for item in items:
        film_id = context.film_id(item, "film")
        fields = (
            item.text("person", required=True) or "",
            item.text("role", required=True) or "",
            item.text("character"),
        )
        with item.reporting():
            waiting.append((item, film_id, fields, credit_record(store, film_id, *fields)))
        if len(waiting) >= BATCH:
            _insert_credits(store, waiting)
    _insert_credits(store, waiting)


BATCH = 5000
# A credit read: its reader, film id, (person, role, character) and checked row.
_Credit = tuple[Reader, int, tuple[str, str, str | None], dict[str, Any]]


def _insert_credits(store: Store, waiting: list[_Credit]) -> None:
    """A credit given twice (the unique index says so) is named by inserting the batch again
    one by one, as `credit add` checks it."""
    if not waiting:
        return

    def name_it() -> None:
        for item, film_id, fields, _ in waiting:
            with item.reporting():
                insert_credit(store, film_id, *fields)

    insert_batch(
        store,
        "INSERT INTO credits (film_id, person_id, role, character)"
        " VALUES (:film_id, :person_id, :role, :character)",
        [record for *_, record in waiting],
        name_it,
    )
    waiting.clear()


def dump_events(store: Store) -> Iterator[str]:
    return chunked_items(
        store,
        "json_object('film', film_id, 'kind', kind, 'on', on_date, 'text', text,"
        " 'source', source, 'old_title', old_title, 'new_title', new_title)",
        "events",
        "id",
    )


def load_events(store: Store, items: Iterable[Reader], context: ImportContext) -> None:
    for item in items:
        film_id = context.film_id(item, "film")
        on = item.date("on", required=True)
        assert on is not None
        if item.text("kind") == "retitle":
            _load_old_retitle(store, film_id, item, on)
            continue
        with item.reporting():
            insert_event(
                store,
                film_id,
                item.text("kind", required=True) or "",
                on,
                item.text("text"),
                source=item.text("source"),
                old_title=item.text("old_title"),
                new_title=item.text("new_title"),
            )


def _load_old_retitle(store: Store, film_id: int, item: Reader, on: FuzzyDate) -> None:
    """An export made before title history kept a retitle as an event: it becomes a title
    from its day (the old title the film's first, if it has no history yet)."""
    old, new = item.text("old_title", required=True), item.text("new_title", required=True)
    assert old is not None and new is not None
    with item.reporting():
        if not store.value("SELECT 1 FROM titles WHERE film_id = ?", [film_id]):
            store.insert("titles", {"film_id": film_id, "title": old, "title_key": name_key(old)})
        insert_title(store, film_id, new, on, item.text("source"))
