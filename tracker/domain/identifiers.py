"""External ids: a film's IMDb, TMDB, Wikidata and Letterboxd identifiers.

Each is checked by its shape and stored in one spelling (`normalise`), unique per database,
at most one per scheme and film. Importers find a film by external id first
(`film_by_external_id`), then by title and year (`films.match_title_year`); `resolve`
takes `imdb:tt0117060` as a film's name.
"""

from __future__ import annotations

import re

from tracker.errors import DuplicateFilm, InvalidValue
from tracker.records import FILM_COLUMNS, Film, film_from_row
from tracker.store import Store
from tracker.store.connection import atomic

# Scheme -> (pattern of an accepted value, what it should look like, for the error).
SHAPES: dict[str, tuple[re.Pattern[str], str]] = {
    "imdb": (re.compile(r"^tt\d{7,10}$", re.IGNORECASE), "tt followed by 7 to 10 digits"),
    "tmdb": (re.compile(r"^\d{1,10}$"), "digits"),
    "wikidata": (re.compile(r"^Q\d{1,12}$", re.IGNORECASE), "Q followed by digits"),
    "letterboxd": (
        re.compile(
            r"^https?://(www\.)?(letterboxd\.com/film/[a-z0-9-]+/?|boxd\.it/[A-Za-z0-9]+)$",
            re.IGNORECASE,
        ),
        "a https://letterboxd.com/film/... or https://boxd.it/... URL",
    ),
}
SCHEMES = tuple(SHAPES)
# How an error names an id of each scheme.
AN_ID = {
    "imdb": "an IMDb id",
    "tmdb": "a TMDB id",
    "wikidata": "a Wikidata id",
    "letterboxd": "a Letterboxd id",
}


def scheme_of(scheme: str) -> str:
    name = scheme.strip().lower()
    if name not in SHAPES:
        raise InvalidValue(f"unknown id scheme '{scheme}' (one of {', '.join(SCHEMES)})")
    return name


def normalise(scheme: str, value: str) -> str:
    """The stored spelling of an id (tt0117060, Q17738, https://letterboxd.com/film/x/);
    InvalidValue when it does not have the scheme's shape."""
    scheme = scheme_of(scheme)
    text = value.strip()
    pattern, shape = SHAPES[scheme]
    if not pattern.match(text):
        raise InvalidValue(f"'{value}' is not {AN_ID[scheme]} ({shape})")
    if scheme == "imdb":
        return text.lower()
    if scheme == "wikidata":
        return text.upper()
    if scheme == "tmdb":
        return str(int(text))
    url = re.sub(r"^https?://(www\.)?", "https://", text)
    if "letterboxd.com/" in url.lower():
        url = url.lower().rstrip("/") + "/"
    return url


def film_by_external_id(store: Store, scheme: str, value: str) -> Film | None:
    """The film carrying this id, or None (also for a value not shaped like one)."""
    try:
        stored = normalise(scheme, value)
    except InvalidValue:
        return None
    # By SQL of its own: domain.films (resolve) imports this module.
    row = store.row(
        f"SELECT {FILM_COLUMNS} FROM films WHERE id ="
        " (SELECT film_id FROM external_ids WHERE scheme = ? AND value = ?)",
        [scheme_of(scheme), stored],
    )
    return film_from_row(row) if row is not None else None


@atomic
def set_external_id(store: Store, film_id: int, scheme: str, value: str) -> None:
    """Give a film its id of a scheme (replacing the one it had). Another film holding the
    same id is an error. All or nothing."""
    scheme = scheme_of(scheme)
    stored = normalise(scheme, value)
    holder = film_by_external_id(store, scheme, stored)
    if holder is not None and holder.id != film_id:
        raise DuplicateFilm(f"{scheme}:{stored} already names {holder.label}")
    if holder is not None:
        return
    store.conn.execute(
        "DELETE FROM external_ids WHERE film_id = ? AND scheme = ?", [film_id, scheme]
    )
    store.insert("external_ids", {"film_id": film_id, "scheme": scheme, "value": stored})


def external_ids_of(store: Store, film_id: int) -> dict[str, str]:
    """A film's ids, scheme -> value, in SCHEMES order."""
    rows = store.rows("SELECT scheme, value FROM external_ids WHERE film_id = ?", [film_id])
    found = {row["scheme"]: row["value"] for row in rows}
    return {scheme: found[scheme] for scheme in SCHEMES if scheme in found} | {
        scheme: value for scheme, value in sorted(found.items()) if scheme not in SHAPES
    }


@atomic
def remove_external_id(store: Store, film_id: int, scheme: str) -> None:
    """Take away a film's id of a scheme (a wrong one, which would block a merge)."""
    store.conn.execute(
        "DELETE FROM external_ids WHERE film_id = ? AND scheme = ?", [film_id, scheme_of(scheme)]
    )


@atomic
def set_external_ids(store: Store, /, film_id: int, **values: str | None) -> None:
    """Set the ids given (scheme=value; None leaves a scheme alone, an empty text removes
    the film's id of that scheme, as an empty text clears a note elsewhere)."""
    for scheme, value in values.items():
        if value is not None and not value.strip():
            remove_external_id(store, film_id, scheme)
        elif value is not None:
            set_external_id(store, film_id, scheme, value)
