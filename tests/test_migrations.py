"""Migrations: a blank database and a database at an earlier schema both reach the latest."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import DEMO, Run
from tracker.exchange import json as json_export
from tracker.names import name_key
from tracker.store import migrations


def test_m005_keeps_the_data_and_never_reuses_ids(
    run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    upto = migrations.KNOWN.index("m005_asof")
    with monkeypatch.context() as before:
        before.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:upto])
        before.setattr(migrations, "KNOWN", migrations.KNOWN[:upto])
        # Before m005 there is no external_ids table (and the demo has no ids).
        before.setattr(json_export, "external_ids_of", lambda store, film_id: {})
        run("import", "json", str(DEMO))
        exported = run("export", "json").stdout
    assert run("export", "json").stdout == exported  # opening migrates, losing nothing
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
    assert all(key == name_key(title) for title, key in rows)  # m006 recomputed them
    eight = conn.execute("SELECT title FROM titles WHERE film_id = 8 ORDER BY id").fetchall()
    assert [title for (title,) in eight] == [
        "Mission: Impossible – Dead Reckoning Part Two",
        "Mission: Impossible – The Final Reckoning",
    ]
    conn.close()
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
