"""Migrations: a blank database and a database at an earlier schema both reach the latest."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import Run
from tracker.store import migrations

OLD_EIGHT = "Mission: Impossible – Dead Reckoning Part Two"
NEW_EIGHT = "Mission: Impossible – The Final Reckoning"


def build_before_m005(run: Run, db: Path) -> None:
    """Films and releases written by the CLI, and a retitle as the CLI of the time stored it
    (an event, the film renamed, the old title an alias): today's retitle and JSON importer
    write the title history, which such a database has no table for."""
    run("add", "Mission: Impossible", "--year", "1996", "--status", "released")
    run("add", OLD_EIGHT, "--year", "2025")
    later = ("--today", "2024-12-01")
    run(*later, "release", "#2", "2024-06-28", "--country", "US", "--announced", "2022-01-21")
    run(*later, "release", "#2", "2025-05-23", "--country", "US", "--announced", "2023-10-23")
    conn = sqlite3.connect(db)
    conn.execute(
        "INSERT INTO events (film_id, kind, on_date, on_start, text, old_title, new_title)"
        " VALUES (2, 'retitle', '2024-11-11', '2024-11-11', 'retitled', ?, ?)",
        [OLD_EIGHT, NEW_EIGHT],
    )
    conn.execute(
        "UPDATE films SET title = ?, title_key = ? WHERE id = 2", [NEW_EIGHT, NEW_EIGHT.casefold()]
    )
    conn.execute(
        "INSERT INTO aliases (film_id, alias, alias_key) VALUES (2, ?, ?)",
        [OLD_EIGHT, OLD_EIGHT.casefold()],
    )
    conn.commit()
    conn.close()


def test_m005_keeps_the_data_and_never_reuses_ids(
    run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    upto = migrations.KNOWN.index("m005_asof")
    with monkeypatch.context() as before:
        before.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:upto])
        before.setattr(migrations, "KNOWN", migrations.KNOWN[:upto])
        build_before_m005(run, isolated)
        listed = run.json("list")
        history = run.json("history", "#2")
    # Opening migrates, losing nothing.
    assert run.json("list") == listed
    assert run.json("history", "#2") == history
    conn = sqlite3.connect(isolated)
    assert migrations.applied(conn) == list(migrations.KNOWN)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    uuid = conn.execute("SELECT value FROM meta WHERE key = 'uuid'").fetchone()[0]
    assert len(uuid) == 36
    # Every film has its first title, and the retitled films their later ones, in order.
    films = conn.execute("SELECT count(*) FROM films").fetchone()[0]
    firsts = conn.execute("SELECT count(*) FROM titles WHERE on_date IS NULL").fetchone()[0]
    assert firsts == films
    rows = conn.execute("SELECT title, title_key FROM titles").fetchall()
    assert all(key == title.casefold() for title, key in rows)
    eight = conn.execute("SELECT title, on_date FROM titles WHERE film_id = 2 ORDER BY id")
    assert eight.fetchall() == [(OLD_EIGHT, None), (NEW_EIGHT, "2024-11-11")]
    conn.close()
    # The migrated title history exports as `titles`, and a former title still names the film.
    exported = json.loads(run("export", "json").stdout)
    assert [title["title"] for title in exported["films"][1]["titles"]] == [OLD_EIGHT, NEW_EIGHT]
    assert run.json("show", OLD_EIGHT)["id"] == 2
    last = max(film["id"] for film in run.json("list"))
    run("remove", f"#{last}", "--yes")
    assert run("add", "A new film").stdout.strip() == f"#{last + 1}"


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
