"""Migrations: a blank database and a database at an earlier schema both reach the latest."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import Run
from tracker.store import migrations

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
