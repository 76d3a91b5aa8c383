"""A film's ids in other services (tmdb, imdb, wikidata, ...): one film per (scheme, value).

A minimal version for the TMDB and Wikidata importers; issue 10 writes the full one.
"""

from __future__ import annotations

from tracker.domain.films import get_film
from tracker.errors import InvalidValue
from tracker.records import Film
from tracker.store import Store
from tracker.store.connection import atomic
from tracker.validation import clean_text


def film_by_external_id(store: Store, scheme: str, value: str) -> Film | None:
    row = store.row(
        "SELECT film_id FROM external_ids WHERE scheme = ? AND value = ?",
        [scheme.strip().lower(), value.strip()],
    )
    return get_film(store, row["film_id"]) if row is not None else None


@atomic
def set_external_id(store: Store, film_id: int, scheme: str, value: str) -> None:
    """Give a film its id in a scheme (replacing the one it had)."""
    scheme = clean_text(scheme, "an id scheme").lower()
    value = clean_text(value, f"a {scheme} id")
    holder = film_by_external_id(store, scheme, value)
    if holder is not None and holder.id != film_id:
        raise InvalidValue(f"{scheme} id {value} already belongs to {holder.label}")
    if holder is not None:
        return
    store.conn.execute(
        "DELETE FROM external_ids WHERE film_id = ? AND scheme = ?", [film_id, scheme]
    )
    store.insert("external_ids", {"film_id": film_id, "scheme": scheme, "value": value})


def external_ids_of(store: Store, film_id: int) -> dict[str, str]:
    rows = store.rows(
        "SELECT scheme, value FROM external_ids WHERE film_id = ? ORDER BY scheme", [film_id]
    )
    return {row["scheme"]: row["value"] for row in rows}
