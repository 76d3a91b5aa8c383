"""Migrations: a blank database and a database at an earlier schema both reach the latest,
backed up first when they hold data; a newer schema is refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import DEMO, Run
from tracker.store import Store, connect, memory_store, migrations, open_store, undo

# Rows as tracker wrote them before m005: film 2 renamed with a retitle event.
OLD_ROWS = """
INSERT INTO films VALUES (1, 'Mission: Impossible 7', 'mission: impossible 7', 2023, 'MI', 7);
INSERT INTO films VALUES (2, 'The Final Reckoning', 'the final reckoning', 2025, 'MI', 8);
INSERT INTO status_events (film_id, status, on_date, on_start)
    VALUES (1, 'filming', '2020-10', '2020-10-01'), (2, 'announced', '2019-01-14', '2019-01-14');
INSERT INTO releases (film_id, country, type, date, date_start, date_end, announced,
    announced_start) VALUES
    (1, 'US', 'theatrical', '2021-07-23', '2021-07-23', '2021-07-23', '2019-02-01', '2019-02-01'),
    (1, 'US', 'theatrical', '2021-11-19', '2021-11-19', '2021-11-19', '2020-04', '2020-04-01'),
    (2, 'US', 'theatrical', '2025-05-23', '2025-05-23', '2025-05-23', '2023', '2023-01-01');
INSERT INTO events (film_id, kind, on_date, on_start, text, old_title, new_title)
    VALUES (2, 'retitle', '2024-11-11', '2024-11-11', 'retitled', 'Mission: Impossible 8',
    'The Final Reckoning');
"""


def old_database(path: Path, before: str) -> None:
    """A database at the schema just before migration `before`, holding OLD_ROWS."""
    from sqlite_utils import Database, Migrations

    path.unlink(missing_ok=True)  # the fixture's blank database is at the newest schema
    conn = sqlite3.connect(path)
    older = Migrations(migrations.MIGRATION_SET)
    for function in migrations.MIGRATIONS[: migrations.KNOWN.index(before)]:
        older()(function)
    older.apply(Database(conn))
    conn.executescript(OLD_ROWS)
    conn.commit()
    conn.close()


def test_a_database_before_the_undo_log_is_backed_up_and_migrated(run: Run, isolated: Path) -> None:
    old_database(isolated, "m004_safety")
    old = sqlite3.connect(isolated)
    assert old.execute("SELECT 1 FROM sqlite_master WHERE name = 'undo_log'").fetchone() is None
    old.close()
    assert [film["id"] for film in run.json("--today", "2021-01-01", "list")] == [1, 2]
    assert len(list(isolated.parent.glob("tracker.db.*.before-m004_safety.bak"))) == 1
    conn = sqlite3.connect(isolated)
    assert migrations.applied(conn) == list(migrations.KNOWN)
    indexes = {
        row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
    }
    assert {"releases_upcoming", "releases_country_upcoming"} <= indexes
    assert conn.execute("SELECT count(*) FROM undo_log").fetchone()[0] == 0  # nothing to undo
    run("add", "Dune")
    assert run("undo").stdout.startswith("Undid: add Dune")


def test_m005_keeps_the_data_and_never_reuses_ids(run: Run, isolated: Path) -> None:
    old_database(isolated, "m005_asof")
    run("list")  # opening migrates
    conn = sqlite3.connect(isolated)
    assert migrations.applied(conn) == list(migrations.KNOWN)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    uuid = conn.execute("SELECT value FROM meta WHERE key = 'uuid'").fetchone()[0]
    assert len(uuid) == 36
    # Every film has its first title; the retitled one its later title, from its day (keyed
    # by name_key since m006).
    titles = conn.execute("SELECT film_id, title, title_key, on_date FROM titles ORDER BY id")
    assert titles.fetchall() == [
        (1, "Mission: Impossible 7", "mission impossible 7", None),
        (2, "Mission: Impossible 8", "mission impossible 8", None),
        (2, "The Final Reckoning", "the final reckoning", "2024-11-11"),
    ]
    known = conn.execute("SELECT announced, known_from FROM releases ORDER BY id").fetchall()
    assert known == [
        ("2019-02-01", "2019-02-01"),
        ("2020-04", "2020-04-30"),
        ("2023", "2023-12-31"),
    ]
    conn.close()
    assert run.json("--today", "2024-11-10", "show", "#2")["title"] == "Mission: Impossible 8"
    assert run.json("--today", "2024-11-11", "show", "#2")["title"] == "The Final Reckoning"
    run("remove", "#2", "--yes")
    assert run("add", "A new film").stdout.strip() == "#3"  # never #2 again


@pytest.mark.parametrize(
    ("stored", "known_from"),
    [
        ("2021-09-14", "2021-09-14"),
        ("2020-02", "2020-02-29"),
        ("2021-Q3", "2021-09-30"),
        ("2021-Q4", "2021-12-31"),
        ("2021", "2021-12-31"),
    ],
)
def test_a_fuzzy_day_counts_as_known_from_the_end_of_its_window(
    run: Run, isolated: Path, stored: str, known_from: str
) -> None:
    run("add", "Dune")
    run("--today", "2022-06-01", "release", "Dune", "2030", "--announced", stored)
    conn = sqlite3.connect(isolated)
    assert conn.execute("SELECT known_from FROM releases").fetchone()[0] == known_from


def test_a_newer_schema_is_refused_and_untouched(run: Run, isolated: Path) -> None:
    run("add", "Dune")
    conn = sqlite3.connect(isolated)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, ?, ?)",
        ["tracker", "m999_future", "2030"],
    )
    conn.commit()
    conn.close()
    before = isolated.read_bytes()
    assert "newer version of tracker" in run.error("list")
    assert isolated.read_bytes() == before


def test_migrations_are_recorded_and_not_rerun(isolated: Path) -> None:
    store = open_store(isolated)
    assert migrations.applied(store.conn) == list(migrations.KNOWN)
    store.close()
    again = open_store(isolated)
    assert migrations.applied(again.conn) == list(migrations.KNOWN)
    again.close()


def test_triggers_cover_tables_added_by_later_migrations(store: Store) -> None:
    store.conn.execute("CREATE TABLE later (id INTEGER PRIMARY KEY, film_id INTEGER, place TEXT)")
    undo.install_triggers(store.conn)
    with store.transaction():
        store.conn.execute("INSERT INTO later (film_id, place) VALUES (1, 'Wadi Rum')")
    with store.transaction():
        store.conn.execute("UPDATE later SET place = 'Jordan'")
    with store.transaction():
        undo.revert_last(store.conn)
    assert store.value("SELECT place FROM later") == "Wadi Rum"


def test_a_migration_of_a_database_with_data_backs_it_up_first(
    run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("import", "json", str(DEMO))
    original = isolated.read_bytes()

    def m999_extra(db: object) -> None:
        db.execute("CREATE TABLE extra (id INTEGER PRIMARY KEY)")  # type: ignore[attr-defined]

    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, m999_extra))
    monkeypatch.setattr(migrations, "KNOWN", (*migrations.KNOWN, "m999_extra"))
    store = open_store(isolated)
    store.close()
    backups = list(isolated.parent.glob("tracker.db.*.before-m999_extra.bak"))
    assert len(backups) == 1
    copy = sqlite3.connect(backups[0])
    assert copy.execute("SELECT count(*) FROM films").fetchone()[0] == 8
    assert "m999_extra" not in migrations.applied(copy)
    assert original  # the database itself went on to be migrated
    migrated = sqlite3.connect(isolated)
    assert "m999_extra" in migrations.applied(migrated)
    trigger = "SELECT 1 FROM sqlite_master WHERE name = 'undo_extra_ins'"
    assert migrated.execute(trigger).fetchone() is not None


def test_a_new_empty_database_gets_no_backup(run: Run, isolated: Path) -> None:
    run("list")
    assert list(isolated.parent.glob("*.bak")) == []


def test_migration_makes_the_tables_and_the_default_list() -> None:
    store = memory_store()
    assert "m003_watchlists" in migrations.applied(store.conn)
    tables = {row["name"] for row in store.rows("SELECT name FROM sqlite_master")}
    assert {"watchlists", "watchlist_entries", "viewings"} <= tables
    assert [row["name"] for row in store.rows("SELECT name FROM watchlists")] == ["watchlist"]


def test_migration_upgrades_a_database_at_the_core_schema(tmp_path: Path) -> None:
    import sqlite3

    from sqlite_utils import Database, Migrations

    from tracker.store import open_store

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    core = Migrations(migrations.MIGRATION_SET)
    core()(migrations.m001_core)
    core.apply(Database(conn))
    conn.execute("INSERT INTO films (id, title, title_key, year) VALUES (1, 'Heat', 'heat', 1995)")
    conn.commit()
    conn.close()
    store = open_store(path)
    assert migrations.applied(store.conn) == list(migrations.KNOWN)
    assert store.value("SELECT title FROM films WHERE id = 1") == "Heat"
    assert store.value("SELECT name FROM watchlists") == "watchlist"
    indexes = {row["name"] for row in store.rows("SELECT name FROM sqlite_master")}
    assert "idx_films_title_key_year_unique" in indexes
    store.close()


def test_m002_migrates_a_database_at_the_previous_schema(tmp_path: Path) -> None:
    from sqlite_utils import Database, Migrations

    from tracker.store.migrations import MIGRATION_SET, m001_core

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrations = Migrations(MIGRATION_SET)
    migrations()(m001_core)
    migrations.apply(Database(conn))
    conn.execute("INSERT INTO films (title, title_key) VALUES ('Old', 'old')")
    store = connect(conn, path)
    tables = {row[0] for row in store.rows("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"shoots", "shoot_films", "people", "credits", "events", "sources"} <= tables
    columns = [row[1] for row in store.rows("PRAGMA table_info(events)")]
    assert columns == ["id", "film_id", "kind", "on_date", "on_start", "text", "source",
                       "old_title", "new_title"]  # fmt: skip
    assert store.value("SELECT title FROM films") == "Old"
    store.close()


def test_m008_lets_a_viewing_have_no_day_and_keeps_viewings(run: Run, isolated: Path) -> None:
    old_database(isolated, "m008_letterboxd")
    old = sqlite3.connect(isolated)
    old.executescript(
        "INSERT INTO viewings (film_id, seen_on, rating) VALUES (1, '2018-07-28', 4.5),"
        " (2, '2015-08-01', NULL); DELETE FROM viewings WHERE id = 2;"
    )
    old.commit()
    old.close()
    assert [(row["id"], row["seen_on"], row["rating"]) for row in run.json("diary")] == [
        (1, "2018-07-28", 4.5)
    ]
    conn = sqlite3.connect(isolated)
    assert migrations.applied(conn) == list(migrations.KNOWN)
    columns = {row[1]: row[3] for row in conn.execute("PRAGMA table_info(viewings)")}
    assert columns["seen_on"] == 0  # may be NULL now
    assert {"rewatch", "tags", "review", "letterboxd_uri"} <= set(columns)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()
    run("seen", "#2", "--on", "2015-08-01")
    assert [row["id"] for row in run.json("diary")] == [1, 3]  # id 2 never comes back


def test_m014_rebuilds_the_search_index_without_its_sizes_table(run: Run, isolated: Path) -> None:
    old_database(isolated, "m014_fts_without_sizes")
    old = sqlite3.connect(isolated)
    # The films index as m006 made it before m014: with a per-row sizes table.
    old.execute('DROP TABLE "films_fts"')
    old.execute(
        'CREATE VIRTUAL TABLE films_fts USING FTS5 (title_key, franchise, content="films",'
        " content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')"
    )
    old.execute("INSERT INTO films_fts (films_fts) VALUES ('rebuild')")
    old.commit()
    assert old.execute("SELECT count(*) FROM films_fts_docsize").fetchone()[0] == 2
    old.close()

    def found(text: str) -> list[int]:
        return [row["id"] for row in run.json("--today", "2021-01-01", "search", text)]

    assert (found("impossible"), found("final reckoning")) == ([1], [2])
    conn = sqlite3.connect(isolated)
    assert migrations.applied(conn) == list(migrations.KNOWN)
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert not {name for name in tables if name.endswith("_docsize")}
    assert {"films_fts", "titles_fts", "people_fts", "films_ai", "films_ad", "films_au"} <= tables
    conn.close()
    # The triggers keep the rebuilt index in step with edits and removals.
    run("edit", "#1", "--title", "Dead Reckoning")
    assert found("dead") == [1]
    run("remove", "#2", "--yes")
    assert found("final reckoning") == []


def test_m019_drops_the_aliases_that_repeat_a_title_of_their_film(run: Run, isolated: Path) -> None:
    from tracker.names import name_key

    old_database(isolated, "m019_former_titles")
    old = sqlite3.connect(isolated)
    aliases = [
        (2, "Mission: Impossible 8"),  # a former title, kept as an alias by a retitle
        (2, "MI8"),
        (1, "Mission Impossible 7"),  # its own title, spelled otherwise
        (1, "The Final Reckoning"),  # another film's title: an alias of this one
    ]
    old.executemany(
        "INSERT INTO aliases (film_id, alias, alias_key) VALUES (?, ?, ?)",
        [(film, alias, name_key(alias)) for film, alias in aliases],
    )
    for film_id, title in old.execute("SELECT id, title FROM films").fetchall():
        old.execute("UPDATE films SET title_key = ? WHERE id = ?", [name_key(title), film_id])
    old.executemany(  # film 2's title history, as a retitle wrote it
        "INSERT INTO titles (film_id, title, title_key, on_date, on_start) VALUES (?, ?, ?, ?, ?)",
        [
            (2, "Mission: Impossible 8", name_key("Mission: Impossible 8"), None, None),
            (2, "The Final Reckoning", name_key("The Final Reckoning"), "2024-11-11", "2024-11-11"),
        ],
    )
    old.commit()
    old.close()
    assert run.json("--today", "2021-01-01", "show", "#2")["aliases"] == ["MI8"]
    assert run.json("--today", "2021-01-01", "show", "#1")["aliases"] == ["The Final Reckoning"]
    # The former title still names its film, from its title history.
    assert run.json("--today", "2021-01-01", "show", "Mission: Impossible 8")["id"] == 2
    assert run.json("--today", "2021-01-01", "search", "mission impossible 8")[0]["id"] == 2
