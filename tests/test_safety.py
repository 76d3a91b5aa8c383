"""backup, check and undo."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import DEMO, Run
from tracker.store import Store, undo
from tracker.store.bulk import bulk_load


def test_backup_copies_everything_into_a_standalone_file(demo: Run, tmp_path: Path) -> None:
    target = tmp_path / "copies" / "backup.db"
    out = demo("backup", str(target)).stdout
    assert out.strip() == f"Backed up 8 films to {target}"
    copy = sqlite3.connect(target)
    assert copy.execute("SELECT count(*) FROM films").fetchone()[0] == 8
    assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert demo.json("--db", str(target), "upcoming") == demo.json("upcoming")


def test_backup_refuses_to_overwrite_without_force(demo: Run, tmp_path: Path) -> None:
    target = tmp_path / "backup.db"
    target.write_bytes(b"precious")
    assert "already exists" in demo.error("backup", str(target))
    assert target.read_bytes() == b"precious"
    demo("backup", str(target), "--force")
    assert target.read_bytes().startswith(b"SQLite format 3")


def test_backup_to_an_impossible_place_is_one_error(demo: Run, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert "cannot write backup" in demo.error("backup", str(blocker / "sub" / "b.db"))


def test_check_says_ok_on_a_healthy_database(demo: Run) -> None:
    assert demo("check").stdout.strip() == "ok"


def test_check_lists_each_problem_and_exits_1(demo: Run, isolated: Path) -> None:
    conn = sqlite3.connect(isolated)
    conn.execute("UPDATE releases SET date_start = '1999-01-01' WHERE id = 1")
    conn.execute("UPDATE films SET title_key = 'nonsense' WHERE id = 2")
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute(
        "INSERT INTO releases (film_id, type, date, date_start, date_end, announced,"
        " announced_start) VALUES (999, 'theatrical', '2021', '2021-01-01', '2021-12-31',"
        " '2020', '2020-01-01')"
    )
    conn.commit()
    conn.close()
    result = demo("check", code=1)
    problems = result.stdout.strip().splitlines()
    assert any(line.startswith("foreign key: releases") for line in problems)
    assert "films #2: title_key does not match the title" in problems
    assert any("releases dated '1996-05-22'" in line for line in problems)
    assert "releases: 1 row(s) belong to no film" in problems
    assert result.stderr.strip() == f"Error: check found {len(problems)} problem(s)"


def test_undo_reverts_the_last_command_and_says_what(run: Run) -> None:
    run("add", "Dune", "--year", "2021", "--release", "2020-12-18")
    run("release", "Dune", "2021-10-01", "--announced", "2020-10-15")
    out = run("undo").stdout
    assert out.startswith("Undid: release Dune 2021-10-01 --announced 2020-10-15")
    assert [row["date"] for row in run.json("history", "Dune")] == ["2020-12-18"]
    # Undo again redoes it; a third time undoes it once more.
    assert run("undo").stdout.startswith("Redid: release Dune 2021-10-01")
    assert len(run.json("history", "Dune")) == 2
    run("undo")
    assert len(run.json("history", "Dune")) == 1


def test_undo_restores_a_removed_film_with_everything_it_had(demo: Run) -> None:
    before = demo.json("show", "#7")
    history = demo.json("history", "#7")
    demo("remove", "#7", "--yes") if _remove_needs_yes(demo) else demo("remove", "#7")
    demo.error("show", "#7")
    assert "remove" in demo("undo").stdout
    assert demo.json("show", "#7") == before
    assert demo.json("history", "#7") == history
    assert demo("check").stdout.strip() == "ok"


def _remove_needs_yes(run: Run) -> bool:
    return "--yes" in run("remove", "--help").stdout


def test_undo_reverts_an_edit(run: Run) -> None:
    run("add", "Dune")
    run("edit", "Dune", "--title", "Dune: Part One")
    run("undo")
    assert [film["title"] for film in run.json("list")] == ["Dune"]


def test_a_failed_command_leaves_the_previous_one_undoable(run: Run) -> None:
    run("add", "Dune")
    run.error("release", "Dune", "not a date")
    run.error("add", "Dune")  # a duplicate: nothing written
    assert run("undo").stdout.startswith("Undid: add Dune")
    assert run.json("list") == []


def test_nothing_to_undo_is_one_error(run: Run) -> None:
    assert run.error("undo") == "Error: nothing to undo"


def test_undo_of_an_import_removes_it(demo: Run) -> None:
    assert "import json" in demo("undo").stdout
    assert demo.json("list") == []


def test_the_log_only_holds_the_last_command(run: Run, isolated: Path) -> None:
    run("import", "json", str(DEMO))
    run("add", "Dune")
    conn = sqlite3.connect(isolated)
    assert conn.execute("SELECT DISTINCT command FROM undo_log").fetchall() == [(1,)]
    # The film, its first title and its status.
    assert conn.execute("SELECT count(*) FROM undo_log").fetchone()[0] == 3


def test_a_bulk_load_logs_one_entry_per_table_and_undoes_whole(store: Store) -> None:
    with bulk_load(store, "bench") as loader:
        first = loader.next_id("films")
        loader.insert(
            "films", [(first + n, f"F{n}", f"f{n}", None, None, None) for n in range(500)]
        )
    assert store.value("SELECT count(*) FROM undo_log") == 1
    assert store.value("SELECT enabled FROM undo_state") == 1
    with store.transaction():
        reverted = undo.revert_last(store.conn)
    assert reverted is not None and reverted.changes == {"films": 500}
    assert store.value("SELECT count(*) FROM films") == 0
    assert store.value("SELECT count(*) FROM undo_log") == 0  # no per-row log of the undo


def test_bulk_loading_refuses_unknown_tables(store: Store) -> None:
    with pytest.raises(ValueError), bulk_load(store) as loader:
        loader.insert("sqlite_master", [])


def test_changes_made_outside_tracker_are_their_own_undo(run: Run, isolated: Path) -> None:
    run("add", "Dune")
    conn = sqlite3.connect(isolated)
    conn.execute("UPDATE films SET year = 2021")
    conn.commit()
    conn.close()
    run("add", "Tenet")
    assert run("undo").stdout.startswith("Undid: add Tenet")
    # The outside change was sealed when `add Tenet` began, so Tenet's undo left it alone.
    assert [(film["title"], film["year"]) for film in run.json("list")] == [("Dune", 2021)]


def test_backup_while_another_process_writes_is_consistent(
    run: Run, isolated: Path, tmp_path: Path
) -> None:
    import subprocess
    import sys

    run("import", "json", str(DEMO))
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys\n"
            "conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)\n"
            "for n in range(400):\n"
            "    conn.execute('BEGIN IMMEDIATE')\n"
            "    conn.execute('INSERT INTO films (title, title_key) VALUES (?, ?)', [f'W{n}', f'w{n}'])\n"
            "    conn.execute('INSERT INTO aliases (film_id, alias, alias_key)"
            " VALUES (last_insert_rowid(), ?, ?)', [f'A{n}', f'a{n}'])\n"
            "    conn.execute('COMMIT')\n",
            str(isolated),
        ]
    )
    copies = []
    for n in range(5):
        target = tmp_path / f"copy{n}.db"
        run("backup", str(target))
        copies.append(target)
    assert writer.wait(timeout=60) == 0
    for target in copies:
        copy = sqlite3.connect(target)
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        films, aliases = copy.execute(
            "SELECT (SELECT count(*) FROM films WHERE title LIKE 'W%'),"
            " (SELECT count(*) FROM aliases WHERE alias LIKE 'A%')"
        ).fetchone()
        assert films == aliases  # each snapshot holds whole transactions only


def test_undo_names_the_command_as_it_was_typed(run: Run) -> None:
    run("add", "Dune", "--year", "2021")
    assert run("undo").stdout.splitlines()[0].startswith("Undid: add Dune --year 2021 (")


def test_no_write_replaces_a_row_undo_covers() -> None:
    """REPLACE deletes the row it replaces without firing its delete trigger, so the undo log
    would only learn of the new row (undoing it deleted what was there before). Upserts and
    UPDATE keep the old row in the log; only the tables undo leaves alone may be replaced."""
    import re

    package = Path(__file__).resolve().parent.parent / "tracker"
    replacing = re.compile(
        r"(?:REPLACE\s+INTO|UPDATE\s+OR\s+REPLACE)\s+\"?([\w{}]+)", re.IGNORECASE
    )
    found = {
        (path.name, table)
        for path in package.rglob("*.py")
        for table in replacing.findall(path.read_text(encoding="utf-8"))
    }
    assert found  # the pattern finds the tombstones' trigger
    assert {table for _, table in found} <= set(undo.KEPT_OUT), found
