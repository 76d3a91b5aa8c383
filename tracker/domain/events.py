"""Dated events of a film: notes a fan follows (news, teasers, trailers, stunts, premieres).

Retitles live in the film's title history (`titles`, see `domain.films.retitle`); the
`retitle` kind and the old_title/new_title columns remain only so exports made before it
still load.
"""

from __future__ import annotations

import datetime

from tracker.choices import choose
from tracker.dates import FuzzyDate, check_happened
from tracker.errors import InvalidDate, InvalidValue
from tracker.records import Film
from tracker.store import Store
from tracker.store.connection import atomic
from tracker.validation import clean_optional, clean_text

NOTE_KINDS = ("news", "teaser", "trailer", "stunt", "premiere", "other")
DEFAULT_NOTE_KIND = "news"
# "release": a further release of one (country, type) beyond its date (a re-release, a
# second streaming service, a second premiere), as importers from TMDB and Wikidata keep them.
EVENT_KINDS = (*NOTE_KINDS, "retitle", "release")


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


@atomic
def add_note(
    store: Store,
    film: Film,
    text: str,
    on: FuzzyDate,
    *,
    kind: str = DEFAULT_NOTE_KIND,
    source: str | None = None,
    today: datetime.date | None = None,
) -> int:
    """A dated note of one of the NOTE_KINDS; given `today`, a day after it is refused. Call
    inside a transaction."""
    kind = choose(kind, NOTE_KINDS, "note kind")
    if today is not None:
        check_happened(on, today, f"{kind} on")
    return insert_event(store, film.id, kind, on, clean_text(text, "a note"), source=source)


def title_as_of(store: Store, film: Film, today: datetime.date) -> str:
    """Kept for callers not yet moved to `tracker.asof.title_on`."""
    from tracker.asof import title_on

    return title_on(store, film.id, today)
