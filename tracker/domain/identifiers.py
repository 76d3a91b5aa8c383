"""A film's ids in other services (scheme, value): letterboxd, imdb, tmdb, ...

Minimal version for the Letterboxd importer; the find-films work (issue 10) brings the full
one with the same three functions."""

from __future__ import annotations

from tracker.errors import InvalidValue
from tracker.store import Store


def film_by_external_id(store: Store, scheme: str, value: str) -> int | None:
    """The id of the film holding this external id, or None."""
    found = store.value(
        "SELECT film_id FROM external_ids WHERE scheme = ? AND value = ?", [scheme, value]
    )
    return None if found is None else int(found)


def set_external_id(store: Store, film_id: int, scheme: str, value: str) -> bool:
    """Give a film an external id; True when it is new. One id names one film."""
    holder = film_by_external_id(store, scheme, value)
    if holder == film_id:
        return False
    if holder is not None:
        raise InvalidValue(f"{scheme} id {value} already names film #{holder}")
    store.insert("external_ids", {"film_id": film_id, "scheme": scheme, "value": value})
    return True


def external_ids_of(store: Store, film_id: int) -> dict[str, list[str]]:
    """Every external id of a film, by scheme."""
    ids: dict[str, list[str]] = {}
    for row in store.rows(
        "SELECT scheme, value FROM external_ids WHERE film_id = ? ORDER BY scheme, id", [film_id]
    ):
        ids.setdefault(row["scheme"], []).append(row["value"])
    return ids
