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
CANDIDATES = 200  # index rows read per place, before films are ranked


class SearchRow(TypedDict):
    id: int
    title: str
    year: int | None
    franchise: str | None
    status: str | None
    matched: str


# Where a film can match, best first: (label, SQL giving (film_id, closeness, detail) for the
# query :q, reading at most :n index rows, whether `matched` shows the detail). Closeness is
# the length of the text matched (shorter: closer to what was typed); bm25 would cost a
# walk of every row holding a common word ("film"), which grows with the database.
PLACES: tuple[tuple[str, str, bool], ...] = (
    (
        "title",
        "SELECT f.id, length(f.title_key), NULL FROM films f WHERE f.id IN (SELECT rowid"
        " FROM films_fts WHERE films_fts MATCH '{title_key} : ' || :q LIMIT :n)",
        False,
    ),
    (
        "former title",
        "SELECT t.film_id, length(t.title_key), t.title FROM titles t"
        " JOIN films fl ON fl.id = t.film_id WHERE t.title_key != fl.title_key AND t.id IN"
        " (SELECT rowid FROM titles_fts WHERE titles_fts MATCH :q LIMIT :n)",
        True,
    ),
    (
        "alias",
        "SELECT a.film_id, length(a.alias_key), a.alias FROM aliases a WHERE a.id IN"
        " (SELECT rowid FROM aliases_fts WHERE aliases_fts MATCH :q LIMIT :n)",
        True,
    ),
    (
        "franchise",
        "SELECT f.id, length(f.franchise), NULL FROM films f WHERE f.id IN (SELECT rowid"
        " FROM films_fts WHERE films_fts MATCH '{franchise} : ' || :q LIMIT :n)",
        False,
    ),
    (
        "person",
        "SELECT c.film_id, length(p.name), p.name FROM people p"
        " JOIN credits c ON c.person_id = p.id WHERE p.id IN"
        " (SELECT rowid FROM people_fts WHERE people_fts MATCH :q LIMIT :n)",
        True,
    ),
    (
        "shoot",
        "SELECT s.film_id, length(sh.place), sh.place FROM shoots sh"
        " JOIN shoot_films s ON s.shoot_id = sh.id WHERE sh.id IN (SELECT rowid"
        " FROM shoots_fts WHERE shoots_fts MATCH '{place region} : ' || :q LIMIT :n)",
        True,
    ),
    (
        "note",
        "SELECT s.film_id, length(sh.note), NULL FROM shoots sh"
        " JOIN shoot_films s ON s.shoot_id = sh.id WHERE sh.id IN (SELECT rowid"
        " FROM shoots_fts WHERE shoots_fts MATCH '{note} : ' || :q LIMIT :n)"
        " UNION ALL SELECT e.film_id, length(e.text), NULL FROM events e WHERE e.id IN"
        " (SELECT rowid FROM events_fts WHERE events_fts MATCH :q LIMIT :n)",
        False,
    ),
)


def fts_query(text: str) -> str:
    """Every word of the text's key, all required; the last one as a prefix, as if still
    being typed ("dead reck"). Only the last is a prefix: a common prefix ("f*") merges
    the lists of many words, a cost that grows with the database."""
    words = ['"' + word + '"' for word in name_key(text).split() if word.isalnum()]
    return "(" + " AND ".join(words[:-1] + [words[-1] + "*"]) + ")"


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
    best: dict[int, tuple[int, int]] = {}
    places: dict[int, list[str]] = {}
    details: dict[int, list[str | None]] = {}
    for order, (label, sql, detailed) in enumerate(PLACES):
        for film_id, closeness, detail in store.conn.execute(sql, {"q": query, "n": CANDIDATES}):
            found = places.setdefault(film_id, [])
            if label not in found:  # each place once, with its first (best) detail
                found.append(label)
                details.setdefault(film_id, []).append(detail if detailed else None)
            best[film_id] = min(best.get(film_id, (order, closeness)), (order, closeness))
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
