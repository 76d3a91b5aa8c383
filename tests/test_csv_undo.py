"""`tracker undo` after `tracker import csv`: one compact entry, exactly the import removed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.conftest import Run
from tracker.store import Store
from tracker.store.bulk import bulk_load

DATA_TABLES = ("films", "releases", "watchlists", "watchlist_entries", "viewings")


def snapshot(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the tables a CSV import can touch, by rowid."""
    conn = sqlite3.connect(db)
    try:
        return {
            name: conn.execute(f"SELECT rowid, * FROM {name} ORDER BY rowid").fetchall()
            for name in DATA_TABLES
        }
    finally:
        conn.close()


def log(db: Path) -> list[tuple[str, str, int]]:
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute("SELECT tbl, op, row_id FROM undo_log ORDER BY seq").fetchall()
        assert conn.execute("SELECT enabled FROM undo_state").fetchone() == (1,)
        return rows
    finally:
        conn.close()


def films_file(path: Path, rows: int, first_id: int | None = None) -> Path:
    lines = ["id,title,year,franchise,instalment"]
    for n in range(rows):
        film_id = "" if first_id is None else str(first_id + n)
        lines.append(f"{film_id},{path.stem} {n},{1990 + n % 30},,")
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def test_undo_of_a_films_import_restores_the_previous_state(
    demo: Run, isolated: Path, tmp_path: Path
) -> None:
    before = snapshot(isolated)
    demo("import", "csv", "films", str(films_file(tmp_path / "f.csv", 300)))
    assert len(snapshot(isolated)["films"]) == len(before["films"]) + 300
    # One compact entry for 300 rows, not one log row per imported row.
    assert log(isolated) == [("films", "bulk_insert", before["films"][-1][0])]
    assert "import csv films" in demo("undo").stdout
    assert snapshot(isolated) == before
    assert demo.error("undo") == "Error: nothing to undo"  # a bulk undo is not redone


def test_the_undo_log_does_not_grow_with_the_file(run: Run, isolated: Path, tmp_path: Path) -> None:
    # Into an empty table (indexes dropped and rebuilt) and into a filled one alike.
    run("import", "csv", "films", str(films_file(tmp_path / "a.csv", 50)))
    assert len(log(isolated)) == 1
    run("import", "csv", "films", str(films_file(tmp_path / "b.csv", 2000, first_id=51)))
    assert log(isolated) == [("films", "bulk_insert", 50)]
    # The per-row trigger the import set aside is back: the next command is logged as usual.
    run("add", "After The Import", "--year", "2031")
    assert log(isolated) == [
        ("films", "insert", 2051),
        ("titles", "insert", 1),
        ("status_events", "insert", 1),
    ]


def test_films_with_ids_in_a_gap_are_undone_too(demo: Run, isolated: Path, tmp_path: Path) -> None:
    demo("add", "Briefly")  # #9, no release: no calendar ever showed it
    demo("add", "Last")
    demo("remove", "Briefly", "--yes")
    before = snapshot(isolated)
    path = tmp_path / "gap.csv"
    path.write_text(
        "id,title,year,franchise,instalment\n9,Back In The Gap,2001,,\n40,Later,2002,,\n"
    )
    demo("import", "csv", "films", str(path))
    assert sorted(log(isolated)) == [("films", "bulk_insert", 10), ("films", "insert", 9)]
    demo("undo")
    assert snapshot(isolated) == before


def test_undo_of_releases_watchlists_and_diary_imports(
    demo: Run, isolated: Path, tmp_path: Path
) -> None:
    demo("watch", "#1", "#2")
    demo("watchlist", "create", "later", "--description", "some day")
    demo("watchlist", "add", "later", "#4", "#5", "#6")
    demo("seen", "#1", "--on", "2020-01-02", "--rating", "4")
    demo("seen", "#2", "--on", "2020-02-03")
    demo("release", "#1", "2021-05-06", "--country", "FR")
    files = {}
    for name in ("releases", "watchlists", "diary"):
        files[name] = tmp_path / f"{name}.csv"
        demo("export", "csv", name, "-o", str(files[name]))
    # A new list (with another description) is created by the import, and undone with it.
    header, *rows = files["watchlists"].read_text(encoding="utf-8").splitlines()
    rows = [row.replace("later,some day", "again,other") for row in rows if row.startswith("later")]
    assert len(rows) == 3
    files["watchlists"].write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    demo("watchlist", "delete", "later", "--yes")
    for name, table in (
        ("releases", "releases"),
        ("watchlists", "watchlist_entries"),
        ("diary", "viewings"),
    ):
        before = snapshot(isolated)
        demo("import", "csv", name, str(files[name]))
        entries = log(isolated)
        assert [e for e in entries if e[1] == "bulk_insert"] == [
            (table, "bulk_insert", before[table][-1][0])
        ]
        # Only the new list itself is logged row by row, once, whatever the row count.
        if name == "watchlists":
            assert entries[0][:2] == ("watchlists", "insert")
            assert len(snapshot(isolated)["watchlist_entries"]) == len(before[table]) + 3
        assert len(entries) == (2 if name == "watchlists" else 1)
        demo("undo")
        assert snapshot(isolated) == before


def test_a_failed_or_dry_import_leaves_the_last_command_undoable(
    demo: Run, isolated: Path, tmp_path: Path
) -> None:
    demo("add", "Undo Me", "--year", "2030")
    bad = tmp_path / "bad.csv"
    bad.write_text("id,title,year,franchise,instalment\n,Fine,2001,,\n,,2002,,\n")
    demo.error("import", "csv", "films", str(bad))
    demo("import", "csv", "films", "--dry-run", str(films_file(tmp_path / "ok.csv", 20)))
    assert 'Undid: add "Undo Me"' in demo("undo").stdout
    assert "Undo Me" not in [film["title"] for film in demo.json("list")]


def test_a_bulk_load_puts_the_insert_triggers_back(store: Store) -> None:
    triggers = "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'undo%'"
    before = store.value(triggers)
    with bulk_load(store, "bench") as loader:
        loader.insert("films", [(1, "A", "a", 2001, None, None), (2, "B", "b", 2002, None, None)])
        loader.insert("people", [(1, "P", "p")])
        loader.insert("credits", [(1, 1, "director", None)])
        assert store.value(triggers) == before - 3  # set aside during the load
    assert store.value(triggers) == before
    assert [tuple(row) for row in store.rows("SELECT tbl, op, row_id FROM undo_log")] == [
        ("films", "bulk_insert", 0),
        ("people", "bulk_insert", 0),
        ("credits", "bulk_insert", 0),
    ]
    with store.transaction():
        store.insert("films", {"title": "C", "title_key": "c"})
    assert [tuple(row) for row in store.rows("SELECT tbl, op, row_id FROM undo_log")] == [
        ("films", "insert", 3)
    ]
