"""The SQL views of m010_views, read with plain sqlite3 as any SQLite tool would: the state
known on the real today (date('now')), never what is announced for a later day."""

from __future__ import annotations

import datetime
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DEMO, Run
from tracker.store import migrations

REAL_TODAY = datetime.date.today()
LATER = (REAL_TODAY + datetime.timedelta(days=30)).isoformat()  # not known yet


def query(db: Path, sql: str) -> list[dict[str, Any]]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in conn.execute(sql)]
    finally:
        conn.close()


@pytest.fixture
def films(run: Run) -> Run:
    """Two films with a history; some of it announced after the real today."""
    run("add", "Far Film", "--release", "2099-05-01", "--country", "US")
    run("release", "Far Film", "2099-06-12", "--country", "US", "--source", "https://e.x/far")
    run("release", "Far Film", "2099-Q3")  # worldwide, a quarter
    run("status", "Far Film", "filming")
    run("add", "Old Film", "--release", "2001-03-02")
    # Announced after the real today: no view may show it yet.
    run("--today", LATER, "release", "Far Film", "2100-01-01", "--country", "US")
    run("--today", LATER, "status", "Far Film", "wrapped")
    run("--today", LATER, "retitle", "Far Film", "Farther Film")
    return run


def test_current_releases_is_the_latest_known_announcement(films: Run, isolated: Path) -> None:
    rows = query(isolated, "SELECT * FROM current_releases ORDER BY film, country, type")
    assert rows == [
        {
            "film": 1,
            "title": "Far Film",  # the retitle is not known yet
            "country": None,
            "type": "theatrical",
            "date": "2099-Q3",
            "precision": "quarter",
            "date_start": "2099-07-01",
            "date_end": "2099-09-30",
            "announced": "2020-10-15",
            "source": None,
        },
        {
            "film": 1,
            "title": "Far Film",
            "country": "US",
            "type": "theatrical",
            "date": "2099-06-12",
            "precision": "day",
            "date_start": "2099-06-12",
            "date_end": "2099-06-12",
            "announced": "2020-10-15",
            "source": "https://e.x/far",
        },
        {
            "film": 2,
            "title": "Old Film",
            "country": None,
            "type": "theatrical",
            "date": "2001-03-02",
            "precision": "day",
            "date_start": "2001-03-02",
            "date_end": "2001-03-02",
            "announced": "2020-10-15",
            "source": None,
        },
    ]


def test_upcoming_is_each_films_earliest_release_not_past(films: Run, isolated: Path) -> None:
    rows = query(isolated, "SELECT * FROM upcoming")
    days = (datetime.date(2099, 6, 12) - REAL_TODAY).days
    assert rows == [
        {
            "film": 1,
            "title": "Far Film",
            "country": "US",
            "type": "theatrical",
            "date": "2099-06-12",
            "precision": "day",
            "days": days,
        }
    ]


def test_film_status_and_date_moves_as_known_today(films: Run, isolated: Path) -> None:
    assert query(isolated, "SELECT * FROM film_status ORDER BY film") == [
        {"film": 1, "title": "Far Film", "status": "filming", "since": "2020-10-15"},
        {"film": 2, "title": "Old Film", "status": "announced", "since": "2020-10-15"},
    ]
    assert query(isolated, "SELECT * FROM date_moves") == [
        {
            "film": 1,
            "title": "Far Film",
            "country": "US",
            "type": "theatrical",
            "old": "2099-05-01",
            "new": "2099-06-12",
            "shift_days": 42,
            "announced": "2020-10-15",
            "source": "https://e.x/far",
        }
    ]


def test_the_demo_views_agree_with_the_commands(demo: Run, isolated: Path) -> None:
    today = REAL_TODAY.isoformat()
    shown = {(row["id"], row["status"]) for row in demo.json("--today", today, "list")}
    assert {(r["film"], r["status"]) for r in query(isolated, "SELECT * FROM film_status")} == (
        shown
    )
    for film in range(1, 9):  # moves only, as history and show count them
        history = demo.json("--today", today, "history", f"#{film}")
        moves = [
            (e["previous"], e["date"], e["shift_days"]) for e in history if e["change"] == "moved"
        ]
        rows = query(isolated, f"SELECT old, new, shift_days FROM date_moves WHERE film = {film}")
        assert sorted((r["old"], r["new"], r["shift_days"]) for r in rows) == sorted(moves)
        assert len(rows) == demo.json("--today", today, "show", f"#{film}")["date_moves"]


def test_views_leave_undo_check_and_export_alone(films: Run, isolated: Path) -> None:
    assert films("check").exit_code == 0
    undo_tables = query(
        isolated,
        "SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'undo_%'",
    )
    names = {row["tbl_name"] for row in undo_tables}
    assert "releases" in names
    assert names.isdisjoint({"current_releases", "upcoming", "film_status", "date_moves"})
    assert "release_tombstones" not in names
    films("release", "Old Film", "2001-04-06")
    films("undo")
    assert query(isolated, "SELECT date FROM current_releases WHERE film = 2") == [
        {"date": "2001-03-02"}
    ]
    exported = films("export", "json").stdout
    assert "release_tombstones" not in exported and "current_releases" not in exported


def test_m010_adds_the_views_to_a_database_with_data(
    run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    upto = migrations.KNOWN.index("m010_views")
    isolated.unlink()  # the fixture's blank database is at the latest schema
    with monkeypatch.context() as before:
        before.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:upto])
        before.setattr(migrations, "KNOWN", migrations.KNOWN[:upto])
        run("import", "json", str(DEMO))
    # Migrated on this open: the data is what an import at the latest schema holds (today's
    # export reads columns of later migrations, so it is compared after, less the UUID).
    migrated = run("export", "json").stdout
    other = isolated.with_name("latest.db")
    run("--db", str(other), "import", "json", str(DEMO))
    latest = run("--db", str(other), "export", "json").stdout

    def without_uuid(text: str) -> list[str]:
        return [line for line in text.splitlines() if not line.lstrip().startswith('"uuid"')]

    assert without_uuid(migrated) == without_uuid(latest)
    # Every demo announcement is long known: one current date per (film, country, type).
    keys = query(isolated, "SELECT count(*) AS n FROM (SELECT DISTINCT film_id, country, type"
                 " FROM releases)")  # fmt: skip
    assert len(query(isolated, "SELECT * FROM current_releases")) == keys[0]["n"] > 9
    assert query(isolated, "SELECT count(*) AS n FROM release_tombstones") == [{"n": 0}]
