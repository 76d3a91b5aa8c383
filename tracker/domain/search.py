"""`tracker search`: films ranked by where the text matched (title first, notes last),
through the full-text index (`store.fts`), with the words compared by `name_key`."""

from __future__ import annotations

import datetime
from typing import Any, TypedDict

from tracker import asof
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
        # Every title the film had by today (one from a later day is not known yet); the
        # one of the day is its "title", earlier ones are "former title"s.
        "title",
        "SELECT t.film_id, length(t.title_key), t.title FROM titles t"
        f" WHERE {asof.title_known_sql('t')} AND t.id IN"
        " (SELECT rowid FROM titles_fts WHERE titles_fts MATCH :q LIMIT :n)",
        True,
    ),
    (
        # A film loaded in bulk has no title history: its stored title is its only one.
        "title",
        "SELECT f.id, length(f.title_key), NULL FROM films f"
        " WHERE NOT EXISTS (SELECT 1 FROM titles t WHERE t.film_id = f.id) AND f.id IN"
        " (SELECT rowid FROM films_fts WHERE films_fts MATCH '{title_key} : ' || :q LIMIT :n)",
        False,
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
        # Shoots and notes as listings show them: only those known by today.
        "shoot",
        "SELECT s.film_id, length(sh.place), sh.place FROM shoots sh"
        f" JOIN shoot_films s ON s.shoot_id = sh.id WHERE {asof.shoot_known_sql('sh')}"
        " AND sh.id IN (SELECT rowid"
        " FROM shoots_fts WHERE shoots_fts MATCH '{place region} : ' || :q LIMIT :n)",
        True,
    ),
    (
        "note",
        "SELECT s.film_id, length(sh.note), NULL FROM shoots sh"
        f" JOIN shoot_films s ON s.shoot_id = sh.id WHERE {asof.shoot_known_sql('sh')}"
        " AND sh.id IN (SELECT rowid"
        " FROM shoots_fts WHERE shoots_fts MATCH '{note} : ' || :q LIMIT :n)"
        " UNION ALL SELECT e.film_id, length(e.text), NULL FROM events e"
        f" WHERE {asof.known('e')} AND e.id IN"
        " (SELECT rowid FROM events_fts WHERE events_fts MATCH :q LIMIT :n)",
        False,
    ),
)
ORDER = ("title", "former title", "alias", "franchise", "person", "shoot", "note")


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
    places: dict[int, list[tuple[str, str | None]]] = {}
    titles: dict[int, str] = {}  # each film's title of the day
    for label, sql, detailed in PLACES:
        found_rows = store.conn.execute(sql, asof.params(today, q=query, n=CANDIDATES))
        for film_id, closeness, detail in found_rows:
            where = label
            if label == "title" and detail is not None:
                if film_id not in titles:
                    titles[film_id] = asof.title_on(store, film_id, today)
                where = "title" if detail == titles[film_id] else "former title"
            shown = detail if detailed and where != "title" else None
            found = places.setdefault(film_id, [])
            if shown is not None and (
                shown == titles.get(film_id) or any(shown == other for _, other in found)
            ):
                continue  # the same text found in two places: say it once
            if where not in (place for place, _ in found):  # each place once, best first
                found.append((where, shown))
            rank = (ORDER.index(where), closeness or 0)
            best[film_id] = min(best.get(film_id, rank), rank)
    ranked = sorted(best, key=lambda film_id: (*best[film_id], film_id))
    rows: list[SearchRow] = []
    for film_id in ranked:
        if len(rows) == limit:
            break
        if not asof.film_known(store, film_id, today):
            continue
        films = asof.films_on(store, [film_id], today)
        if not films:
            continue  # found in the rows of a film gone (deleted by another program)
        film = films[0]
        rows.append(
            {
                "id": film.id,
                "title": film.title,
                "year": film.year,
                "franchise": film.franchise,
                "status": asof.status_on(store, film.id, today),
                "matched": ", ".join(
                    f"{place}: {detail}" if detail else place
                    for place, detail in sorted(
                        places[film_id], key=lambda item: ORDER.index(item[0])
                    )
                ),
            }
        )
    return rows


def result_columns() -> list[str]:
    return list(SearchRow.__annotations__)


def as_dicts(rows: list[SearchRow]) -> list[dict[str, Any]]:
    return [dict(row) for row in rows]
