"""`tracker search`: films ranked by where the text matched (title first, notes last),
through the full-text index (`store.fts`), with the words compared by `name_key`."""

from __future__ import annotations

import datetime
from typing import Any, TypedDict

from tracker.domain.films import get_film, status_as_of
from tracker.errors import InvalidValue
from tracker.names import name_key
from tracker.store import Store

DEFAULT_LIMIT = 20
CANDIDATES = 200  # best matches read per place, before films are ranked


class SearchRow(TypedDict):
    id: int
    title: str
    year: int | None
    franchise: str | None
    status: str | None
    matched: str


# Where a film can match, best first: (label, SQL giving (film_id, rank, detail) for the
# query :q reading at most :n index rows, whether `matched` shows the detail).
PLACES: tuple[tuple[str, str, bool], ...] = (
    (
        "title",
        "SELECT rowid, rank, NULL FROM films_fts WHERE films_fts MATCH '{title_key} : ' || :q",
        False,
    ),
    (
        "former title",
        "SELECT t.film_id, f.rank, t.title FROM (SELECT rowid, rank FROM titles_fts"
        " WHERE titles_fts MATCH :q ORDER BY rank LIMIT :n) f JOIN titles t ON t.id = f.rowid"
        " JOIN films fl ON fl.id = t.film_id WHERE t.title_key != fl.title_key",
        True,
    ),
    (
        "alias",
        "SELECT a.film_id, f.rank, a.alias FROM (SELECT rowid, rank FROM aliases_fts"
        " WHERE aliases_fts MATCH :q ORDER BY rank LIMIT :n) f JOIN aliases a ON a.id = f.rowid",
        True,
    ),
    (
        "franchise",
        "SELECT rowid, rank, NULL FROM films_fts WHERE films_fts MATCH '{franchise} : ' || :q",
        False,
    ),
    (
        "person",
        "SELECT c.film_id, f.rank, p.name FROM (SELECT rowid, rank FROM people_fts"
        " WHERE people_fts MATCH :q ORDER BY rank LIMIT :n) f JOIN people p ON p.id = f.rowid"
        " JOIN credits c ON c.person_id = p.id",
        True,
    ),
    (
        "shoot",
        "SELECT s.film_id, f.rank, sh.place FROM (SELECT rowid, rank FROM shoots_fts"
        " WHERE shoots_fts MATCH '{place region} : ' || :q ORDER BY rank LIMIT :n) f"
        " JOIN shoots sh ON sh.id = f.rowid JOIN shoot_films s ON s.shoot_id = sh.id",
        True,
    ),
    (
        "note",
        "SELECT s.film_id, f.rank, NULL FROM (SELECT rowid, rank FROM shoots_fts"
        " WHERE shoots_fts MATCH '{note} : ' || :q ORDER BY rank LIMIT :n) f"
        " JOIN shoot_films s ON s.shoot_id = f.rowid"
        " UNION ALL SELECT e.film_id, f.rank, NULL FROM (SELECT rowid, rank FROM events_fts"
        " WHERE events_fts MATCH :q ORDER BY rank LIMIT :n) f JOIN events e ON e.id = f.rowid",
        False,
    ),
)


def fts_query(text: str) -> str:
    """Every word of the text's key, each as a prefix ("moan" finds Moana), all required."""
    words = [word for word in name_key(text).split() if word.isalnum()]
    return "(" + " AND ".join('"' + word + '"*' for word in words) + ")"


def search(
    store: Store, text: str, today: datetime.date, *, limit: int = DEFAULT_LIMIT
) -> list[SearchRow]:
    """Films matching every word of `text` in one place: ranked by the best place they
    matched in, then by how well; `matched` lists the places."""
    if limit < 1:
        raise InvalidValue("--limit must be at least 1")
    if not any(word.isalnum() for word in name_key(text).split()):
        raise InvalidValue("search for at least one word")
    query = fts_query(text)
    best: dict[int, tuple[int, float]] = {}
    places: dict[int, list[str]] = {}
    details: dict[int, list[str | None]] = {}
    for order, (label, sql, detailed) in enumerate(PLACES):
        if "films_fts" in sql:  # one row per film: the index itself is the limit
            sql += " ORDER BY rank LIMIT :n"
        for film_id, rank, detail in store.conn.execute(sql, {"q": query, "n": CANDIDATES}):
            found = places.setdefault(film_id, [])
            if label not in found:  # each place once, with its first (best) detail
                found.append(label)
                details.setdefault(film_id, []).append(detail if detailed else None)
            best[film_id] = min(best.get(film_id, (order, rank)), (order, rank))
    ranked = sorted(best, key=lambda film_id: (*best[film_id], film_id))[:limit]
    rows: list[SearchRow] = []
    for film_id in ranked:
        film = get_film(store, film_id)
        rows.append(
            {
                "id": film.id,
                "title": film.title,
                "year": film.year,
                "franchise": film.franchise,
                "status": status_as_of(store, film.id, today),
                "matched": ", ".join(
                    f"{label}: {detail}" if detail else label
                    for label, detail in zip(places[film_id], details[film_id], strict=True)
                ),
            }
        )
    return rows


def result_columns() -> list[str]:
    return list(SearchRow.__annotations__)


def as_dicts(rows: list[SearchRow]) -> list[dict[str, Any]]:
    return [dict(row) for row in rows]
