"""Dated events of a film: notes a fan follows (news, teasers, trailers, stunts, premieres)
and retitles.

A retitle renames the film (the old title stays an alias, so it still finds the film) and is
kept as an event with `old_title` and `new_title`, so the history of titles is complete.
"""

from __future__ import annotations

import datetime
from typing import Any

from tracker.choices import choose
from tracker.dates import FuzzyDate, from_iso
from tracker.domain.films import Film, edit_film
from tracker.errors import InvalidDate, InvalidValue
from tracker.store import Store
from tracker.validation import clean_optional, clean_text

NOTE_KINDS = ("news", "teaser", "trailer", "stunt", "premiere", "other")
DEFAULT_NOTE_KIND = "news"
EVENT_KINDS = (*NOTE_KINDS, "retitle")


def insert_event(
    store: Store,
    film_id: int,
    kind: str,
    on: FuzzyDate,
    text: str | None,
    *,
    source: str | None = None,
    old_title: str | None = None,
    new_title: str | None = None,
) -> int:
    """Insert one checked event row. Call inside a transaction."""
    kind = choose(kind, EVENT_KINDS, "event kind")
    if on.start is None:
        raise InvalidDate("an event needs a date, not TBA")
    if kind == "retitle" and not (old_title and new_title):
        raise InvalidValue("a retitle needs the old and the new title")
    if kind != "retitle" and (old_title or new_title):
        raise InvalidValue("only a retitle has an old and a new title")
    return store.insert(
        "events",
        {
            "film_id": film_id,
            "kind": kind,
            "on_date": on.iso,
            "on_start": on.start.isoformat(),
            "text": clean_optional(text, "a text"),
            "source": clean_optional(source, "a source"),
            "old_title": clean_optional(old_title, "an old title"),
            "new_title": clean_optional(new_title, "a new title"),
        },
    )


def add_note(
    store: Store,
    film: Film,
    text: str,
    on: FuzzyDate,
    *,
    kind: str = DEFAULT_NOTE_KIND,
    source: str | None = None,
) -> int:
    """A dated note of one of the NOTE_KINDS. Call inside a transaction."""
    kind = choose(kind, NOTE_KINDS, "note kind")
    return insert_event(store, film.id, kind, on, clean_text(text, "a note"), source=source)


def retitle_text(old_title: str, new_title: str) -> str:
    return f"retitled from '{old_title}' to '{new_title}'"


def retitle(
    store: Store,
    film: Film,
    new_title: str,
    on: FuzzyDate,
    *,
    today: datetime.date,
    source: str | None = None,
) -> Film:
    """Rename a film (the old title stays an alias) and record the retitle. Call inside a
    transaction."""
    new_title = clean_text(new_title, "a title")
    if new_title == film.title:
        raise InvalidValue(f"{film.title} already has that title")
    if on.start is not None and on.start > today:
        raise InvalidDate(f"retitled {on.display()} is after today ({today.isoformat()})")
    renamed = edit_film(store, film, title=new_title)
    insert_event(
        store,
        film.id,
        "retitle",
        on,
        retitle_text(film.title, new_title),
        source=source,
        old_title=film.title,
        new_title=new_title,
    )
    return renamed


def title_as_of(store: Store, film: Film, today: datetime.date) -> str:
    """The film's title on a day: the old title of its first retitle after that day."""
    old: str | None = store.value(
        "SELECT old_title FROM events WHERE film_id = ? AND kind = 'retitle' AND on_start > ?"
        " ORDER BY on_start, id LIMIT 1",
        [film.id, today.isoformat()],
    )
    return old or film.title


def event_row(row: Any) -> dict[str, Any]:
    return {
        "date": from_iso(row["on_date"]),
        "kind": row["kind"],
        "text": row["text"],
        "source": row["source"],
    }


def events_of(
    store: Store, film_id: int, today: datetime.date, *, limit: int | None = None
) -> list[dict[str, Any]]:
    """Events that happened by today, latest first."""
    rows = store.rows(
        "SELECT * FROM events WHERE film_id = ? AND on_start <= ?"
        " ORDER BY on_start DESC, id DESC LIMIT ?",
        [film_id, today.isoformat(), -1 if limit is None else limit],
    )
    return [event_row(row) for row in rows]
