"""Sources: where facts come from.

Every fact keeps its source URL in its own `source` column (status changes, release
announcements, shoots, events). The `sources` table only describes a URL (title, publisher),
so a source needs no registering before it is used.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import TypedDict

from tracker.asof import params, title_known_sql
from tracker.dates import from_iso
from tracker.domain.releases import release_where
from tracker.limits import first, sql_limit
from tracker.records import Film
from tracker.store import Store
from tracker.store.connection import atomic
from tracker.validation import clean_optional, clean_text


class SourceRecord(TypedDict):
    """A source URL and what describes it (`tracker source`)."""

    url: str
    title: str | None
    publisher: str | None


class SourceRow(SourceRecord):
    """A row of `tracker sources`: a source and the facts it backs."""

    backs: list[str]


@atomic
def describe_source(
    store: Store, url: str, *, title: str | None = None, publisher: str | None = None
) -> SourceRecord:
    """Set a source's title and publisher (a value not given is kept). Call inside a
    transaction."""
    url = clean_text(url, "a source")
    row = store.row("SELECT title, publisher FROM sources WHERE url = ?", [url])

    def kept(key: str, value: str | None) -> str | None:
        if value is not None:
            return clean_optional(value, f"a {key}")
        return row[key] if row is not None else None

    record: SourceRecord = {
        "url": url,
        "title": kept("title", title),
        "publisher": kept("publisher", publisher),
    }
    # An upsert, not INSERT OR REPLACE: REPLACE deletes the old row without firing the
    # delete trigger, so undo would only remove the row instead of restoring it.
    store.conn.execute(
        "INSERT INTO sources (url, title, publisher) VALUES (?, ?, ?)"
        " ON CONFLICT (url) DO UPDATE SET title = excluded.title, publisher = excluded.publisher",
        [record["url"], record["title"], record["publisher"]],
    )
    return record


def _facts(store: Store, film: Film, today: datetime.date) -> list[tuple[str, str]]:
    """(source, what it backs) for every sourced fact of the film known by today."""
    day = today.isoformat()
    facts: list[tuple[str, str]] = []
    for row in store.rows(
        "SELECT * FROM status_events WHERE film_id = ? AND source IS NOT NULL AND known_from <= ?"
        " ORDER BY on_start, id",
        [film.id, day],
    ):
        facts.append((row["source"], f"status {row['status']} ({from_iso(row['on_date'])})"))
    for row in store.rows(
        "SELECT * FROM releases WHERE film_id = ? AND source IS NOT NULL AND known_from <= ?"
        " ORDER BY announced_start, id",
        [film.id, day],
    ):
        where = release_where(row["type"], row["country"])
        facts.append(
            (
                row["source"],
                f"release {where} {from_iso(row['date'])} (announced {from_iso(row['announced'])})",
            )
        )
    for row in store.rows(
        "SELECT * FROM shoots WHERE source IS NOT NULL"
        " AND id IN (SELECT shoot_id FROM shoot_films WHERE film_id = ?)"
        " AND (known_from IS NULL OR known_from <= ?)"
        " ORDER BY coalesce(start_key, end_key), id",
        [film.id, day],
    ):
        facts.append((row["source"], f"shoot {row['place']} ({row['country']})"))
    for row in store.rows(
        "SELECT * FROM events WHERE film_id = ? AND source IS NOT NULL AND known_from <= ?"
        " ORDER BY on_start, id",
        [film.id, day],
    ):
        facts.append((row["source"], f"{row['kind']} ({from_iso(row['on_date'])})"))
    for row in store.rows(
        f"SELECT * FROM titles t WHERE t.film_id = :film AND t.source IS NOT NULL"
        f" AND {title_known_sql('t')} ORDER BY t.on_start, t.id",
        params(today, film=film.id),
    ):
        since = f" ({from_iso(row['on_date'])})" if row["on_date"] else ""
        facts.append((row["source"], f"title {row['title']}{since}"))
    return facts


def sources_of(
    store: Store, film: Film, today: datetime.date, *, limit: int | None = None
) -> Iterator[SourceRow]:
    """Each source of the film's facts known by today, with what it backs, in the order
    first cited; `limit`: the first so many. The facts are gathered whole (a source's row
    lists every fact it backs); only the sources shown are looked up."""
    sql_limit(limit)
    backs: dict[str, list[str]] = {}
    for source, fact in _facts(store, film, today):
        backs.setdefault(source, []).append(fact)
    return (_source_row(store, source, facts) for source, facts in first(backs.items(), limit))


def _source_row(store: Store, source: str, facts: list[str]) -> SourceRow:
    described = store.row("SELECT title, publisher FROM sources WHERE url = ?", [source])
    return {
        "url": source,
        "title": described["title"] if described else None,
        "publisher": described["publisher"] if described else None,
        "backs": facts,
    }
