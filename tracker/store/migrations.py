"""The schema, as an ordered list of sqlite-utils migrations.

A released migration is never edited: change the schema by appending a new function to
MIGRATIONS. `sqlite_utils` is imported only when a migration has to run, so commands on an
up-to-date database start without paying for it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

MIGRATION_SET = "tracker"

# Tables holding rows that belong to one film; a migration adding one adds it here.
FILM_CHILD_TABLES = ["aliases", "status_events", "releases", "watchlist_entries", "viewings"]
# Production (issue 3): a shoot whose last film goes is deleted by a trigger.
FILM_CHILD_TABLES += ["shoot_films", "credits", "events"]


def m001_core(db: Database) -> None:
    db.table("films").create(
        {
            "id": int,
            "title": str,
            "title_key": str,  # casefolded title: Unicode-aware case-insensitive lookup
            "year": int,
            "franchise": str,
            "instalment": int,
        },
        pk="id",
        not_null={"title", "title_key"},
    )
    db.table("films").create_index(["title_key", "year"])
    db.table("films").create_index(["franchise", "instalment"])
    db.table("aliases").create(
        {"id": int, "film_id": int, "alias": str, "alias_key": str},
        pk="id",
        not_null={"film_id", "alias", "alias_key"},
        foreign_keys=[("film_id", "films", "id")],
    )
    db.table("aliases").create_index(["alias_key"])
    db.table("aliases").create_index(["film_id", "alias_key"], unique=True)
    db.table("status_events").create(
        {
            "id": int,
            "film_id": int,
            "status": str,
            "on_date": str,
            "on_start": str,  # first day of on_date's window, for as-of queries
            "note": str,
            "source": str,
        },
        pk="id",
        not_null={"film_id", "status"},
        foreign_keys=[("film_id", "films", "id")],
    )
    db.table("status_events").create_index(["film_id", "on_start", "id"])
    db.table("releases").create(
        {
            "id": int,
            "film_id": int,
            "country": str,  # ISO 3166-1 alpha-2, NULL for worldwide/unspecified
            "type": str,
            "date": str,  # "2021-11-19", "2026-07", "2026-Q3", "2026", NULL for TBA
            "date_start": str,
            "date_end": str,
            "announced": str,
            "announced_start": str,
            "source": str,
            "note": str,
        },
        pk="id",
        not_null={"film_id", "type"},
        foreign_keys=[("film_id", "films", "id")],
    )
    # The current date of (film, country, type) is its latest announcement on or before
    # today: this index answers that with one seek per key.
    db.table("releases").create_index(["film_id", "country", "type", "announced_start", "id"])
    # upcoming walks announcements in date order from today.
    db.table("releases").create_index(["date_start"])


def m002_production(db: Database) -> None:
    """Production tracking: shoots (shared by films), people and credits, dated events
    (notes and retitles), and the descriptions of source URLs."""
    db.table("shoots").create(
        {
            "id": int,
            "place": str,
            "region": str,
            "country": str,  # ISO 3166-1 alpha-2
            "start": str,  # fuzzy ISO text, NULL when not known
            "start_key": str,  # first day of start's window, for sorting and as-of
            "end": str,
            "end_key": str,  # first day of end's window
            "note": str,
            "source": str,
        },
        pk="id",
        not_null={"place", "country"},
    )
    db.table("shoot_films").create(
        {"shoot_id": int, "film_id": int},
        pk=("shoot_id", "film_id"),
        not_null={"shoot_id", "film_id"},
        foreign_keys=[("shoot_id", "shoots", "id"), ("film_id", "films", "id")],
    )
    db.table("shoot_films").create_index(["film_id"])
    # A shoot lives as long as one of its films does.
    db.execute(
        "CREATE TRIGGER shoot_films_orphans AFTER DELETE ON shoot_films"
        " WHEN NOT EXISTS (SELECT 1 FROM shoot_films WHERE shoot_id = OLD.shoot_id)"
        " BEGIN DELETE FROM shoots WHERE id = OLD.shoot_id; END"
    )
    db.table("people").create(
        {"id": int, "name": str, "name_key": str},
        pk="id",
        not_null={"name", "name_key"},
    )
    db.table("people").create_index(["name_key"], unique=True)
    db.table("credits").create(
        {"id": int, "film_id": int, "person_id": int, "role": str, "character": str},
        pk="id",
        not_null={"film_id", "person_id", "role"},
        foreign_keys=[("film_id", "films", "id"), ("person_id", "people", "id")],
    )
    db.table("credits").create_index(["film_id", "person_id", "role"], unique=True)
    db.table("credits").create_index(["person_id"])
    db.table("events").create(
        {
            "id": int,
            "film_id": int,
            "kind": str,  # news, teaser, trailer, stunt, premiere, other, retitle
            "on_date": str,
            "on_start": str,  # first day of on_date's window, for as-of queries
            "text": str,
            "source": str,
            "old_title": str,  # retitle only
            "new_title": str,  # retitle only
        },
        pk="id",
        not_null={"film_id", "kind", "on_date", "on_start"},
        foreign_keys=[("film_id", "films", "id")],
    )
    db.table("events").create_index(["film_id", "on_start", "id"])
    db.table("events").create_index(["kind", "on_start"])
    db.table("sources").create(
        {"url": str, "title": str, "publisher": str},
        pk="url",
    )


def m003_watchlists(db: Database) -> None:
    db.table("watchlists").create(
        {"id": int, "name": str, "name_key": str, "description": str},
        pk="id",
        not_null={"name", "name_key"},
    )
    db.table("watchlists").create_index(["name_key"], unique=True)
    # The default list every fan has; `tracker watch FILM` adds to it.
    db.table("watchlists").insert({"name": "watchlist", "name_key": "watchlist"})
    db.table("watchlist_entries").create(
        {
            "id": int,
            "watchlist_id": int,
            "film_id": int,
            "priority": int,  # 1 (most wanted) to 5
            "note": str,
            "added": str,  # the day the film was put on the list
        },
        pk="id",
        not_null={"watchlist_id", "film_id", "priority", "added"},
        foreign_keys=[("watchlist_id", "watchlists", "id"), ("film_id", "films", "id")],
    )
    db.table("watchlist_entries").create_index(["watchlist_id", "film_id"], unique=True)
    db.table("watchlist_entries").create_index(["film_id"])
    db.table("viewings").create(
        {
            "id": int,
            "film_id": int,
            "seen_on": str,  # a day, YYYY-MM-DD
            "rating": float,  # 0.5 to 5 in halves, or NULL
            "place": str,  # cinema, home, other, or NULL
            "note": str,
        },
        pk="id",
        not_null={"film_id", "seen_on"},
        foreign_keys=[("film_id", "films", "id")],
    )
    db.table("viewings").create_index(["film_id", "seen_on"])
    db.table("viewings").create_index(["seen_on"])
    # One film per title and year (what insert_film checks), enforced by SQLite too, so a
    # bulk CSV import can rely on it instead of looking every row up first.
    db.execute(
        "CREATE UNIQUE INDEX IF NOT EXISTS idx_films_title_key_year_unique"
        " ON films (title_key, ifnull(year, 0))"
    )


def m004_safety(db: Database) -> None:
    """Indexes that keep `upcoming` size-independent, and the undo log with its triggers."""
    # A window of a given precision starts at most so long before a day it contains (a day:
    # 0 days, a month or quarter (7-character dates): 92, a year: 366), so `upcoming` walks
    # one short range per precision class instead of a year's worth of every announcement.
    db.execute(
        "CREATE INDEX IF NOT EXISTS releases_upcoming ON releases (length(date), date_start)"
    )
    db.execute(
        "CREATE INDEX IF NOT EXISTS releases_country_upcoming"
        " ON releases (country, length(date), date_start)"
    )
    from tracker.store.undo import install_triggers

    install_triggers(db.conn)


MIGRATIONS: tuple[Callable[[Database], None], ...] = (
    m001_core,
    m002_production,
    m003_watchlists,
    m004_safety,
)
KNOWN = tuple(m.__name__ for m in MIGRATIONS)


def applied(conn: sqlite3.Connection) -> list[str]:
    """Names of the migrations this database has had, read without sqlite_utils."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlite_migrations'"
    ).fetchone()
    if not exists:
        return []
    rows = conn.execute(
        "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid",
        [MIGRATION_SET],
    )
    return [name for (name,) in rows]


def apply_pending(conn: sqlite3.Connection) -> None:
    """Run every pending migration, each recorded with it, inside the caller's transaction."""
    from sqlite_utils import Database, Migrations

    migrations = Migrations(MIGRATION_SET)
    for function in MIGRATIONS:
        migrations()(function)
    migrations.apply(Database(conn))
