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
# Identity and the as-of rules (m005).
FILM_CHILD_TABLES += ["titles", "external_ids"]
# Letterboxd both ways (m008): a film's own rating.
FILM_CHILD_TABLES += ["film_ratings"]


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


# The last day of a stored fuzzy date's window ("2021-09" -> "2021-09-30"), in SQL: a fact
# dated only to a month, quarter or year counts as known from that day (the as-of rule).
def window_end_sql(column: str) -> str:
    x = f'"{column}"'
    return (
        f"(CASE WHEN length({x}) = 10 THEN {x} WHEN length({x}) = 4 THEN {x} || '-12-31'"
        f" WHEN substr({x}, 6, 1) = 'Q' THEN date(substr({x}, 1, 4) || '-'"
        f" || printf('%02d', 3 * substr({x}, 7, 1)) || '-01', '+1 month', '-1 day')"
        f" WHEN length({x}) = 7 THEN date({x} || '-01', '+1 month', '-1 day') END)"
    )


# Tables whose ids m005 makes AUTOINCREMENT, so an id is never given to another row.
ID_TABLES = (
    "films", "aliases", "status_events", "releases", "shoots", "people", "credits",
    "events", "watchlists", "watchlist_entries", "viewings",
)  # fmt: skip


def _never_reuse_ids(db: Database) -> None:
    """Rebuild each table with AUTOINCREMENT ids (SQLite's 12-step table change; the caller
    has foreign keys off for it, and checks them before committing)."""
    conn = db.conn
    # Legacy renames leave other tables' triggers and references as written: they name the
    # table by the name it has again once the rebuilt copy is renamed.
    conn.execute("PRAGMA legacy_alter_table = ON")
    for table in ID_TABLES:
        sql = conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [table]
        ).fetchone()[0]
        plain = '"id" INTEGER PRIMARY KEY,'
        if plain not in sql:
            continue  # already AUTOINCREMENT (a database made by a later tracker)
        extras = conn.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger')"
            " AND sql IS NOT NULL AND name NOT LIKE 'undo\\_%' ESCAPE '\\'",
            [table],
        ).fetchall()
        columns = ", ".join(
            f'"{row[1]}"' for row in conn.execute("SELECT * FROM pragma_table_info(?)", [table])
        )
        rebuilt = sql.replace(plain, '"id" INTEGER PRIMARY KEY AUTOINCREMENT,', 1)
        rebuilt = rebuilt.replace(f'CREATE TABLE "{table}"', f'CREATE TABLE "{table}_new"', 1)
        conn.execute(rebuilt)
        conn.execute(f'INSERT INTO "{table}_new" ({columns}) SELECT {columns} FROM "{table}"')
        conn.execute(f'DROP TABLE "{table}"')
        conn.execute(f'ALTER TABLE "{table}_new" RENAME TO "{table}"')
        for (extra,) in extras:
            conn.execute(extra)
    conn.execute("PRAGMA legacy_alter_table = OFF")


def m005_asof(db: Database) -> None:
    """What the as-of rules and lasting identity need: ids never reused, a UUID per database,
    the day each dated fact counts as known from, title history, and external ids."""
    import uuid

    _never_reuse_ids(db)
    db.table("meta").create({"key": str, "value": str}, pk="key")
    db.table("meta").insert({"key": "uuid", "value": str(uuid.uuid4())})
    for table, column in (
        ("releases", "announced"),
        ("status_events", "on_date"),
        ("events", "on_date"),
    ):
        db.execute(
            f"ALTER TABLE {table} ADD COLUMN known_from TEXT"
            f" GENERATED ALWAYS AS {window_end_sql(column)} VIRTUAL"
        )
    # A shoot counts as known once its first known date's window has closed.
    db.execute(
        "ALTER TABLE shoots ADD COLUMN known_from TEXT GENERATED ALWAYS AS"
        f" (coalesce({window_end_sql('start')}, {window_end_sql('end')})) VIRTUAL"
    )
    # A film's titles, each from a day (NULL: its first title, which holds for every day
    # before the first retitle). films.title stays the latest title, for lookups and sorting.
    db.execute(
        "CREATE TABLE titles (id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " film_id INTEGER NOT NULL REFERENCES films(id), title TEXT NOT NULL,"
        " title_key TEXT NOT NULL, on_date TEXT, on_start TEXT, source TEXT,"
        f" known_from TEXT GENERATED ALWAYS AS {window_end_sql('on_date')} VIRTUAL)"
    )
    db.execute("CREATE INDEX titles_film ON titles (film_id, on_start, id)")
    db.execute("CREATE INDEX titles_key ON titles (title_key)")
    # Each film's first title, then one row per recorded retitle (events of kind retitle).
    db.execute(
        "INSERT INTO titles (film_id, title, title_key, on_date, on_start, source)"
        " SELECT f.id, coalesce(first.old_title, f.title), '', NULL, NULL, NULL FROM films f"
        " LEFT JOIN events first ON first.id = (SELECT e.id FROM events e"
        "   WHERE e.film_id = f.id AND e.kind = 'retitle' ORDER BY e.on_start, e.id LIMIT 1)"
        " ORDER BY f.id"
    )
    db.execute(
        "INSERT INTO titles (film_id, title, title_key, on_date, on_start, source)"
        " SELECT film_id, new_title, '', on_date, on_start, source FROM events"
        " WHERE kind = 'retitle' ORDER BY on_start, id"
    )
    db.register_function(lambda text: text.casefold(), name="casefold", deterministic=True)
    db.execute("UPDATE titles SET title_key = casefold(title)")
    db.execute(
        "CREATE TABLE external_ids (id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " film_id INTEGER NOT NULL REFERENCES films(id), scheme TEXT NOT NULL,"
        " value TEXT NOT NULL)"
    )
    db.execute("CREATE UNIQUE INDEX external_ids_value ON external_ids (scheme, value)")
    db.execute("CREATE INDEX external_ids_film ON external_ids (film_id)")


def duplicate_key(key: str, film_id: int) -> str:
    """The title key of a film m006 found sharing its key and year with an earlier film."""
    return f"{key} #{film_id}"


def _rekey_people(conn: sqlite3.Connection) -> None:
    """People whose names now share a key are one person (Zoë and Zoe Saldaña): their
    credits move to the first of them."""
    groups = conn.execute(
        "SELECT name_key(name), min(id) FROM people GROUP BY name_key(name) HAVING count(*) > 1"
    ).fetchall()
    for key, keep in groups:
        for (other,) in conn.execute(
            "SELECT id FROM people WHERE name_key(name) = ? AND id != ?", [key, keep]
        ).fetchall():
            conn.execute(
                "UPDATE OR IGNORE credits SET person_id = ? WHERE person_id = ?", [keep, other]
            )
            conn.execute("DELETE FROM credits WHERE person_id = ?", [other])
            conn.execute("DELETE FROM people WHERE id = ?", [other])
    # Through a placeholder, so no row meets another's old key on the way.
    conn.execute("UPDATE people SET name_key = '#' || id")
    conn.execute("UPDATE people SET name_key = name_key(name)")


def _rekey_watchlists(conn: sqlite3.Connection) -> None:
    """Lists whose names now share a key stay apart: the later ones are renamed "NAME (2)"."""
    from tracker.names import name_key

    taken: set[str] = set()
    conn.execute("UPDATE watchlists SET name_key = '#' || id")
    for list_id, name in conn.execute("SELECT id, name FROM watchlists ORDER BY id").fetchall():
        new_name, number = name, 1
        while name_key(new_name) in taken:
            number += 1
            new_name = f"{name} ({number})"
        taken.add(name_key(new_name))
        conn.execute(
            "UPDATE watchlists SET name = ?, name_key = ? WHERE id = ?",
            [new_name, name_key(new_name), list_id],
        )


def m006_names(db: Database) -> None:
    """Every stored name key recomputed by `names.name_key` (accents, dashes, punctuation,
    "&", Roman numerals), and the full-text index behind `tracker search`.

    Two films may now share a key and year (Part II and Part 2 of one year, added apart).
    The unique index on (title_key, year) stays (CSV imports rely on it), so the later film's
    key gets its id appended (`duplicate_key`): both stay findable (the titles table keeps
    the plain key), `tracker check` names the pair, and `tracker merge` joins them."""
    from tracker.names import name_key
    from tracker.store import fts

    conn = db.conn
    conn.create_function("name_key", 1, name_key, deterministic=True)
    conn.execute("UPDATE films SET title_key = '#' || id")
    taken: set[tuple[str, int]] = set()
    for film_id, title, year in conn.execute(
        "SELECT id, title, ifnull(year, 0) FROM films ORDER BY id"
    ).fetchall():
        key = name_key(title)
        if (key, year) in taken:
            key = duplicate_key(key, film_id)
        taken.add((key, year))
        conn.execute("UPDATE films SET title_key = ? WHERE id = ?", [key, film_id])
    conn.execute("UPDATE titles SET title_key = name_key(title)")
    # Two aliases of one film that now share a key are one alias.
    conn.execute(
        "DELETE FROM aliases WHERE id NOT IN"
        " (SELECT min(id) FROM aliases GROUP BY film_id, name_key(alias))"
    )
    conn.execute("UPDATE aliases SET alias_key = name_key(alias)")
    _rekey_people(conn)
    _rekey_watchlists(conn)
    for table in fts.FTS_COLUMNS:
        fts.create_index(conn, table)


# Written in the file's header (offset 68) by m007: `file` and tracker itself tell a tracker
# database from another program's SQLite file without reading a table ("Trkr").
APPLICATION_ID = int.from_bytes(b"Trkr", "big")


def m007_safety_marks(db: Database) -> None:
    """Mark the file as tracker's, so another program's SQLite database is never taken over."""
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def m009_real_data(db: Database) -> None:
    """Real data in (TMDB, Wikidata): a release's certification (TMDB's age rating, as the
    service wrote it, trimmed)."""
    db.execute("ALTER TABLE releases ADD COLUMN certification TEXT")


# A stored fuzzy date's precision, in SQL (the stored forms: see tracker.dates).
def precision_sql(column: str) -> str:
    x = f'"{column}"'
    return (
        f"(CASE WHEN {x} IS NULL THEN 'unknown' WHEN length({x}) = 10 THEN 'day'"
        f" WHEN length({x}) = 4 THEN 'year' WHEN substr({x}, 6, 1) = 'Q' THEN 'quarter'"
        " ELSE 'month' END)"
    )


# A film's title as of date('now'), by the rule of tracker.asof.title_sql (spelled out here:
# a migration must not change when that module does): its latest known title, else its
# first, else films.title.
_TITLE_NOW = (
    "coalesce((SELECT t.title FROM titles t WHERE t.film_id = f.id"
    " AND t.known_from <= date('now') ORDER BY t.on_start DESC, t.id DESC LIMIT 1),"
    " (SELECT t.title FROM titles t WHERE t.film_id = f.id ORDER BY t.on_start, t.id LIMIT 1),"
    " f.title)"
)
VIEWS = {
    # The date of each (film, country, type) known today: its latest known announcement.
    "current_releases": (
        f"SELECT r.film_id AS film, {_TITLE_NOW} AS title, r.country, r.type, r.date,"
        f" {precision_sql('date')} AS precision, r.date_start, r.date_end, r.announced,"
        " r.source FROM releases r JOIN films f ON f.id = r.film_id"
        " WHERE r.id = (SELECT c.id FROM releases c WHERE c.film_id = r.film_id"
        "   AND c.country IS r.country AND c.type = r.type AND c.known_from <= date('now')"
        "   ORDER BY c.announced_start DESC, c.id DESC LIMIT 1)"
    ),
    # Each film's earliest current release whose window has not passed (TBA ones last).
    "upcoming": (
        "SELECT film, title, country, type, date, precision,"
        " CAST(max(0, julianday(date_start) - julianday(date('now'))) AS INTEGER) AS days"
        " FROM (SELECT *, row_number() OVER (PARTITION BY film"
        "   ORDER BY date_start IS NULL, date_start, country IS NOT NULL, country, type) AS nth"
        "   FROM current_releases WHERE date_end IS NULL OR date_end >= date('now'))"
        " WHERE nth = 1 ORDER BY date_start IS NULL, date_start, title"
    ),
    # Each film's production status known today, and the day it took it.
    "film_status": (
        f"SELECT f.id AS film, {_TITLE_NOW} AS title, s.status, s.on_date AS since"
        " FROM films f LEFT JOIN status_events s ON s.id = (SELECT q.id FROM status_events q"
        "   WHERE q.film_id = f.id AND q.known_from <= date('now')"
        "   ORDER BY q.on_start DESC, q.id DESC LIMIT 1)"
    ),
    # Every announcement that changed the date of a (film, country, type), known today
    # (m017_date_moves_view keeps the moves only).
    "date_moves": (
        f"SELECT m.film_id AS film, {_TITLE_NOW} AS title, m.country, m.type, m.old, m.new,"
        " CAST(julianday(m.new_start) - julianday(m.old_start) AS INTEGER) AS shift_days,"
        " m.announced, m.source FROM (SELECT r.*, r.date AS new, r.date_start AS new_start,"
        "   lag(r.date) OVER key AS old, lag(r.date_start) OVER key AS old_start,"
        "   row_number() OVER key AS nth FROM releases r WHERE r.known_from <= date('now')"
        "   WINDOW key AS (PARTITION BY r.film_id, r.country, r.type"
        "     ORDER BY r.announced_start, r.id)) m JOIN films f ON f.id = m.film_id"
        " WHERE m.nth > 1 AND m.old IS NOT m.new"
    ),
}


def m010_views(db: Database) -> None:
    """SQL views of the current state (for Datasette and any SQLite tool), and tombstones:
    the deleted releases, so calendars can cancel their events (for 90 days)."""
    for name, sql in VIEWS.items():
        db.execute(f"CREATE VIEW {name} AS {sql}")
    # A copy of every deleted release, with what a calendar needs once its film is gone. Never
    # pruned: calendars count deletions in an event's SEQUENCE, which must never go down.
    # Written by a trigger (so the sqlite3 shell's deletes count too), kept out of undo
    # (undo.KEPT_OUT): a release put back by undo keeps its id, and readers skip tombstones
    # of live ids. A bulk undo (triggers off) leaves none.
    db.execute(
        "CREATE TABLE release_tombstones (id INTEGER PRIMARY KEY, film_id INTEGER NOT NULL,"
        " title TEXT, franchise TEXT, watchlists TEXT, country TEXT, type TEXT NOT NULL,"
        " date TEXT, date_start TEXT, announced TEXT, announced_start TEXT, source TEXT,"
        " removed TEXT NOT NULL,"
        f" known_from TEXT GENERATED ALWAYS AS {window_end_sql('announced')} VIRTUAL)"
    )
    db.execute("CREATE INDEX release_tombstones_removed ON release_tombstones (removed)")
    db.execute("CREATE INDEX release_tombstones_key ON release_tombstones (film_id, country, type)")
    db.execute(
        "CREATE TRIGGER releases_tombstone AFTER DELETE ON releases"
        " WHEN coalesce((SELECT enabled FROM undo_state WHERE id = 1), 1) BEGIN"
        " INSERT OR REPLACE INTO release_tombstones (id, film_id, title, franchise, watchlists,"
        "  country, type, date, date_start, announced, announced_start, source, removed)"
        " VALUES (OLD.id, OLD.film_id,"
        "  (SELECT title FROM films WHERE id = OLD.film_id),"
        "  (SELECT franchise FROM films WHERE id = OLD.film_id),"
        "  (SELECT ',' || group_concat(watchlist_id) || ',' FROM watchlist_entries"
        "   WHERE film_id = OLD.film_id),"
        "  OLD.country, OLD.type, OLD.date, OLD.date_start, OLD.announced,"
        "  OLD.announced_start, OLD.source, date('now'));"
        " END"
    )


def m008_letterboxd(db: Database) -> None:
    """What Letterboxd's files hold: a viewing may have no day (watched.csv says only "seen"),
    is a rewatch or not, has tags, a review (long text, line breaks kept) and the URI of its
    Letterboxd diary entry; a film has a rating of its own (ratings.csv)."""
    conn = db.conn
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'viewings'").fetchone()[0]
    if '"seen_on" TEXT NOT NULL' in sql:
        # SQLite cannot drop NOT NULL in place: rebuild the table (foreign keys are off).
        extras = conn.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'viewings'"
            " AND type IN ('index', 'trigger') AND sql IS NOT NULL"
            " AND name NOT LIKE 'undo\\_%' ESCAPE '\\'"
        ).fetchall()
        columns = ", ".join(f'"{row[1]}"' for row in conn.execute("PRAGMA table_info(viewings)"))
        rebuilt = sql.replace('"seen_on" TEXT NOT NULL', '"seen_on" TEXT', 1)
        rebuilt = rebuilt.replace('CREATE TABLE "viewings"', 'CREATE TABLE "viewings_new"', 1)
        last_id = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'viewings'").fetchone()
        conn.execute("PRAGMA legacy_alter_table = ON")
        conn.execute(rebuilt)
        conn.execute(f"INSERT INTO viewings_new ({columns}) SELECT {columns} FROM viewings")
        conn.execute("DROP TABLE viewings")
        conn.execute("ALTER TABLE viewings_new RENAME TO viewings")
        conn.execute("PRAGMA legacy_alter_table = OFF")
        if last_id is not None:  # ids of deleted viewings stay unused
            conn.execute(
                "UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'viewings'", last_id
            )
        for (extra,) in extras:
            conn.execute(extra)
    for column, kind in (
        ("rewatch", "INTEGER"),  # 1: seen before; NULL: not said
        ("tags", "TEXT"),  # Letterboxd's tags, as one comma-separated text
        ("review", "TEXT"),
        ("letterboxd_uri", "TEXT"),  # the diary entry's URI (a film's own is an external id)
    ):
        conn.execute(f"ALTER TABLE viewings ADD COLUMN {column} {kind}")
    conn.execute("CREATE INDEX viewings_letterboxd_uri ON viewings (letterboxd_uri)")
    conn.execute(
        "CREATE TABLE film_ratings (film_id INTEGER PRIMARY KEY REFERENCES films(id),"
        " rating REAL NOT NULL, rated_on TEXT)"
    )


def m011_indexes(db: Database) -> None:
    """Indexes the listings use at a million films (issue 15)."""
    # `changes --since D` reads the announcements, status changes and retitles from D on.
    db.execute("CREATE INDEX releases_announced ON releases (announced_start)")
    db.execute("CREATE INDEX status_events_on ON status_events (on_start)")
    db.execute("CREATE INDEX titles_on ON titles (on_start)")
    # Franchises are matched without case (`franchise = ? COLLATE NOCASE`), which a plain
    # index cannot serve; this one also gives `list` its franchise order.
    db.execute("DROP INDEX IF EXISTS idx_films_franchise_instalment")
    db.execute("CREATE INDEX films_franchise ON films (franchise COLLATE NOCASE, instalment)")
    # The unique (title_key, ifnull(year, 0)) index already serves every title lookup.
    db.execute("DROP INDEX IF EXISTS idx_films_title_key_year")
    # Only `upcoming --tba` read date_start IS NULL through the full date_start index (the
    # dated ranges go through releases_upcoming): a partial index holds just the TBA rows.
    db.execute("DROP INDEX IF EXISTS idx_releases_date_start")
    db.execute("CREATE INDEX releases_tba ON releases (id) WHERE date_start IS NULL")


def m012_shoot_order(db: Database) -> None:
    """`shoot list` walks the shoots in the order of their first known day (issue 15)."""
    db.execute("CREATE INDEX shoots_day ON shoots (coalesce(start_key, end_key), id)")


def m014_fts_without_sizes(db: Database) -> None:
    """The full-text indexes again, without the per-row sizes table only bm25 reads
    (`fts.create_index`): a bulk load of a million films indexes them in 1.0 s, not 1.8."""
    from tracker.store import fts

    for table in fts.FTS_COLUMNS:
        fts.drop_index(db.conn, table)
        fts.create_index(db.conn, table)


# The bounds (in days) of m013's shoot span classes: class i holds the shoots whose window
# lasts at most SHOOT_SPAN_BOUNDS[i] days (and more than the bound before); the class after
# the last holds the longer ones and those whose last day cannot be worked out.
SHOOT_SPAN_BOUNDS = (8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096)


def m013_shoot_spans(db: Database) -> None:
    """What `shoot list --now` and `filming` need to find the day's shoots and statuses at a
    million films (issue 15).

    No index finds "started by D and ends on or after D" without walking every shoot on one
    side of D; but a shoot whose window lasts at most N days and holds D started within N
    days before D. So each shoot gets its window's length class (`span_class`: from the first
    day of its start to the last day of its end, of its start when the end is not known, as
    `asof.shoot_holds_sql` reads it; NULL for a shoot with no start, which never holds a
    day), and the index on (span_class, start_key) gives one short range per class. It also
    holds start and end, so whether a shoot in the range holds D is worked out from the index
    alone. `filming` walks the films whose status is filming in film order: (status, film_id)."""
    last = f"coalesce({window_end_sql('end')}, known_from)"
    length = f"julianday({last}) - julianday(start_key)"
    ladder = " ".join(
        f"WHEN {length} <= {bound} THEN {number}" for number, bound in enumerate(SHOOT_SPAN_BOUNDS)
    )
    db.execute(
        "ALTER TABLE shoots ADD COLUMN span_class INTEGER GENERATED ALWAYS AS"
        f" (CASE WHEN start_key IS NULL THEN NULL {ladder} ELSE {len(SHOOT_SPAN_BOUNDS)} END)"
        " VIRTUAL"
    )
    db.execute('CREATE INDEX shoots_span ON shoots (span_class, start_key, start, "end")')
    db.execute("CREATE INDEX status_events_status ON status_events (status, film_id)")


def m015_fact_days(db: Database) -> None:
    """`timeline` over the whole catalogue walks each kind of fact in the order of its day
    (issue 15): shoot ends and notes had no index on their day, so every one of them was
    read and sorted before the first row (0.5 s at a million films)."""
    db.execute("CREATE INDEX shoots_end ON shoots (end_key)")
    db.execute("CREATE INDEX events_on ON events (on_start)")


def m016_franchise_films_only(db: Database) -> None:
    """The franchise index holds only the films of a franchise (issue 15): every query that
    reads it asks for a franchise (`= ? COLLATE NOCASE`, or `>= ''` for `list`'s order),
    and most films have none. A bulk load of a million films builds it in a fraction of
    the time (0.6 s of a 6 s import before), and the database is smaller."""
    db.execute("DROP INDEX films_franchise")
    db.execute(
        "CREATE INDEX films_franchise ON films (franchise COLLATE NOCASE, instalment)"
        " WHERE franchise IS NOT NULL"
    )


# date_moves as m017 makes it: the moves only (tracker.dates.classify_change: both windows
# known, neither holding the other), as `history`, `delays` and `show` count them.
_DATE_MOVES = (
    f"SELECT m.film_id AS film, {_TITLE_NOW} AS title, m.country, m.type, m.old, m.new,"
    " CAST(julianday(m.new_start) - julianday(m.old_start) AS INTEGER) AS shift_days,"
    " m.announced, m.source FROM (SELECT r.*, r.date AS new, r.date_start AS new_start,"
    "   r.date_end AS new_end, lag(r.date) OVER key AS old,"
    "   lag(r.date_start) OVER key AS old_start, lag(r.date_end) OVER key AS old_end"
    "   FROM releases r WHERE r.known_from <= date('now')"
    "   WINDOW key AS (PARTITION BY r.film_id, r.country, r.type"
    "     ORDER BY r.announced_start, r.id)) m JOIN films f ON f.id = m.film_id"
    " WHERE (m.new_start < m.old_start OR m.old_end < m.new_end)"
    " AND (m.old_start < m.new_start OR m.new_end < m.old_end)"
)


def m017_date_moves_view(db: Database) -> None:
    """The `date_moves` view counted every change of date as a move: a year made a day
    (refined), a day made a month (vaguer) and a date made TBA too. Now moves only."""
    db.execute("DROP VIEW date_moves")
    db.execute(f"CREATE VIEW date_moves AS {_DATE_MOVES}")


def m018_known_days(db: Database) -> None:
    """`changes --since D` lists the facts that became known from D on (`known_from`, the
    last day of their window), newest first by their first day. A fact's window is at most
    as long as its stored date says (asof.WINDOW_SPANS), so one range of (length of the
    date, first day) per length finds them in that order, reading besides only the vague
    facts begun before D. (m011's first-day indexes stay: the whole `timeline` walks them.)"""
    db.execute("CREATE INDEX releases_known ON releases (length(announced), announced_start)")
    db.execute("CREATE INDEX status_events_known ON status_events (length(on_date), on_start)")
    db.execute("CREATE INDEX titles_known ON titles (length(on_date), on_start)")


def m019_former_titles(db: Database) -> None:
    """Drop the aliases that merely repeat one of their film's titles (by key): retitles
    used to keep the replaced title as an alias, which has no day, so a later title showed
    on earlier days (`show`'s aliases, `search`). The title history keeps every one of them
    with its day, and they still name their film."""
    db.execute(
        "DELETE FROM aliases WHERE EXISTS (SELECT 1 FROM titles t"
        " WHERE t.film_id = aliases.film_id AND t.title_key = aliases.alias_key)"
        " OR EXISTS (SELECT 1 FROM films f"
        " WHERE f.id = aliases.film_id AND f.title_key = aliases.alias_key)"
    )


def m020_shoot_announced(db: Database) -> None:
    """A shoot's `announced` day (any precision, NULL: not given), as releases have: a
    planned shoot, with its start and end, counts as known from it (asof.shoot_known_sql);
    without it, from its start, as before."""
    db.execute("ALTER TABLE shoots ADD COLUMN announced TEXT")


def m021_release_shift_bounds(db: Database) -> None:
    """Per film, the most days its release dates were ever reported moved later, kept by
    triggers (store.shift_bounds): `delays --limit N` reads the few films that can lead."""
    from tracker.store import shift_bounds

    shift_bounds.create(db.conn)


MIGRATIONS: tuple[Callable[[Database], None], ...] = (
    m001_core,
    m002_production,
    m003_watchlists,
    m004_safety,
    m005_asof,
    m006_names,
    m007_safety_marks,
    m008_letterboxd,
    m009_real_data,
    m010_views,
    m011_indexes,
    m012_shoot_order,
    m013_shoot_spans,
    m014_fts_without_sizes,
    m015_fact_days,
    m016_franchise_films_only,
    m017_date_moves_view,
    m018_known_days,
    m019_former_titles,
    m020_shoot_announced,
    m021_release_shift_bounds,
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
