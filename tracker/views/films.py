"""`list`: the films known on a day, each under its title and with its status of that day."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterator

from tracker import asof
from tracker.choices import STATUSES, choose
from tracker.limits import first, sql_limit
from tracker.records import Film, film_from_row
from tracker.store import Store
from tracker.views.rows import FilmRow, StatusRow


def film_row(film: Film, status: str | None) -> FilmRow:
    """A film as listings show it (its title as given: callers pass the title of the day)."""
    return {
        "id": film.id,
        "title": film.title,
        "year": film.year,
        "franchise": film.franchise,
        "instalment": film.instalment,
        "status": status,
    }


def list_films(
    store: Store,
    today: datetime.date,
    *,
    franchise: str | None = None,
    status: str | None = None,
    title: str | None = None,
    limit: int | None = None,
) -> Iterator[FilmRow]:
    """Films known on `today` (a film added later is not listed), franchise by franchise;
    `title` keeps those with it in a title they had by today (compared by name_key),
    `status` those with that status today, `limit` the first so many. Read from a cursor."""
    if franchise is not None:  # the domain's film module only for the filter that needs it
        from tracker.domain.films import known_franchise

        franchise = known_franchise(store, franchise)
    where = [asof.film_known_sql("films.id")]
    args = asof.params(today, limit=sql_limit(limit))
    if status:
        where.append(f"{asof.status_sql('films.id')} = :status")
        args["status"] = choose(status, STATUSES, "status")
    if franchise:
        where.append("franchise = :franchise COLLATE NOCASE")
        args["franchise"] = franchise.strip()
    if title is not None and title.strip():
        # Any title the film had by today (a bulk-loaded film has only its stored one).
        where.append(
            "(EXISTS (SELECT 1 FROM titles t WHERE t.film_id = films.id"
            " AND (t.on_date IS NULL OR t.known_from <= :today) AND instr(t.title_key, :title))"
            " OR (NOT EXISTS (SELECT 1 FROM titles t WHERE t.film_id = films.id)"
            " AND instr(title_key, :title)))"
        )
        from tracker.names import name_key

        args["title"] = name_key(title)
    select = (
        f"SELECT id, {asof.title_sql('films.id')} AS title,"
        f" {asof.year_sql('films.id')} AS year, franchise, instalment,"
        f" {asof.status_sql('films.id')} AS status FROM films{{}} WHERE {' AND '.join(where)}"
    )
    # Franchise films first, then the others: two queries, so the first walks the franchise
    # index in order (sorting only within an instalment; the planner, left to itself, sorts
    # every film, working out each one's title and status first) and its first rows come
    # at once however many films there are. `>= ''` (not IS NOT NULL, which the planner
    # does not turn into a range) starts the walk after the films with no franchise.
    year = asof.year_sql("films.id")  # the year of the day: the stored one may be unknown
    then = f" instalment, {year} IS NULL, {year}, {asof.title_key_sql('films.id')} LIMIT :limit"
    parts = [
        select.format(" INDEXED BY films_franchise")
        + f" AND franchise COLLATE NOCASE >= '' ORDER BY franchise COLLATE NOCASE,{then}"
    ]
    if not franchise:
        parts.append(f"{select.format('')} AND franchise IS NULL ORDER BY{then}")
    rows = itertools.chain.from_iterable(store.conn.execute(sql, args) for sql in parts)
    return (film_row(film_from_row(row), row["status"]) for row in first(rows, limit))


def statuses_of(
    store: Store, film_id: int, today: datetime.date, *, limit: int | None = None
) -> Iterator[StatusRow]:
    """A film's status changes known by today, in order, each with its id; `limit`: the
    first so many. Read from a cursor."""
    from tracker.dates import from_iso

    rows = store.conn.execute(
        f"SELECT * FROM status_events s WHERE s.film_id = :film AND {asof.known('s')}"
        " ORDER BY s.on_start, s.id LIMIT :limit",
        asof.params(today, film=film_id, limit=sql_limit(limit)),
    )
    return (
        {
            "id": row["id"],
            "date": (date := from_iso(row["on_date"])),
            "precision": date.precision,
            "status": row["status"],
            "note": row["note"],
            "source": row["source"],
        }
        for row in rows
    )
