"""`tracker search` and the full-text index behind it: ranked results with `matched`, and
an index that stays in step through edits, removals, undo and redo, bulk loads and CSV
imports."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import DEMO, Run
from tracker.store import Store
from tracker.store.bulk import bulk_load
from tracker.store.fts import FTS_COLUMNS, fts_name
from tracker.store.undo import user_tables

SEARCH_KEYS = ["id", "title", "year", "franchise", "status", "matched"]


def assert_index_in_step(where: sqlite3.Connection | Path) -> None:
    """FTS5's own check that every index holds exactly its table's rows (it raises if not)."""
    conn = sqlite3.connect(where, isolation_level=None) if isinstance(where, Path) else where
    try:
        for table in FTS_COLUMNS:
            fts = fts_name(table)
            conn.execute(f"INSERT INTO {fts} ({fts}, rank) VALUES ('integrity-check', 1)")
    finally:
        if isinstance(where, Path):
            conn.close()


def ids(rows: list[dict[str, object]]) -> list[object]:
    return [row["id"] for row in rows]


def test_search_ranks_by_where_it_matched(demo: Run) -> None:
    rows = demo.json("search", "impossible", "--limit", "3")
    assert len(rows) == 3 and all(list(row) == SEARCH_KEYS for row in rows)
    assert all(row["matched"].startswith("title") for row in rows)
    # A person, a shoot place, an alias: each says where it matched.
    cruise = demo.json("search", "tom cruise")
    assert cruise and all("person: Tom Cruise" in row["matched"] for row in cruise)
    assert demo.json("search", "venice")[0]["matched"] == "shoot: Venice"
    # #8 was called Dead Reckoning Part Two from 28 Apr 2022: before, nobody knew the name.
    assert demo.json("search", "dead reckoning part two") == []
    eight = demo.json("--today", "2023-01-01", "search", "dead reckoning part two")
    assert ids(eight) == [8] and eight[0]["matched"] == "title"
    assert eight[0]["title"] == "Mission: Impossible – Dead Reckoning Part Two"
    later = demo.json("--today", "2025-06-01", "search", "dead reckoning part two")
    assert later[0]["matched"] == "former title: Mission: Impossible – Dead Reckoning Part Two"
    assert later[0]["title"] == "Mission: Impossible – The Final Reckoning"
    # A title match comes before a mere note or person match.
    mixed = demo.json("search", "mission")
    assert mixed[0]["matched"].startswith("title")


def test_search_forgives_like_names_do(demo: Run) -> None:
    assert ids(demo.json("search", "IMPOSSIBLE — III")) == [3]
    assert ids(demo.json("search", "impossible 3")) == [3]
    assert ids(demo.json("search", "fallo")) == [6]  # words are prefixes


def test_search_without_results_and_bad_input(demo: Run) -> None:
    assert demo("search", "zzzzqqq").stdout.strip() == "No films."
    assert demo.json("search", "zzzzqqq") == []
    assert demo.error("search", "!!!") == "Error: search for at least one word"
    assert demo.error("search", "x", "--limit", "0") == "Error: --limit must be at least 1"
    assert demo.json("search", 'AND OR NOT "(*') == []  # never read as FTS syntax


def test_the_index_follows_edits_removals_undo_and_redo(demo: Run, isolated: Path) -> None:
    demo("edit", "#6", "--title", "Mission: Impossible – Zebra")
    assert ids(demo.json("search", "zebra")) == [6]
    assert demo.json("search", "fallout")[0]["matched"].startswith(("alias", "former title"))
    demo("undo")
    assert demo.json("search", "zebra") == []
    assert demo.json("search", "fallout")[0]["matched"].startswith("title")
    demo("undo")  # redo
    assert ids(demo.json("search", "zebra")) == [6]
    demo("remove", "#6", "--yes")
    assert demo.json("search", "zebra") == []
    demo("undo")
    assert ids(demo.json("search", "zebra")) == [6]
    assert_index_in_step(isolated)


def test_undo_leaves_the_index_tables_alone(store: Store) -> None:
    tables = user_tables(store.conn)
    assert "films" in tables
    assert not [table for table in tables if "_fts" in table]
    triggers = [row[0] for row in store.conn.execute("SELECT name FROM sqlite_master")]
    assert not [name for name in triggers if name.startswith("undo_") and "_fts" in name]


def test_a_csv_import_indexes_its_rows_and_undo_removes_them(
    demo: Run, isolated: Path, tmp_path: Path
) -> None:
    path = tmp_path / "films.csv"
    path.write_text("id,title,year,franchise,instalment\n,Quokka Rising,2030,Quokkas,1\n")
    demo("import", "csv", "films", str(path))
    found = demo.json("search", "quokka")
    assert [row["title"] for row in found] == ["Quokka Rising"]
    conn = sqlite3.connect(isolated)
    # The insert trigger is back after the import.
    assert conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'films_ai'").fetchone()
    conn.close()
    assert_index_in_step(isolated)
    demo("undo")
    assert demo.json("search", "quokka") == []
    assert_index_in_step(isolated)


def test_a_csv_import_into_an_empty_table_is_indexed(
    run: Run, isolated: Path, tmp_path: Path
) -> None:
    path = tmp_path / "films.csv"
    rows = "".join(f"{n},Wombat {n},{2000 + n},,\n" for n in range(1, 50))
    path.write_text("id,title,year,franchise,instalment\n" + rows)
    run("import", "csv", "films", str(path))
    assert len(run.json("search", "wombat", "--limit", "100")) == 49
    assert_index_in_step(isolated)


def test_a_bulk_load_indexes_appended_rows_in_one_go(store: Store) -> None:
    with bulk_load(store, "bench") as loader:
        loader.insert(
            "films", [(None, f"Numbat {n}", f"numbat {n}", 2000, None, None) for n in range(30)]
        )
        # Mid-load the trigger is set aside: nothing is indexed row by row.
        assert store.value("SELECT count(*) FROM films_fts WHERE films_fts MATCH 'numbat'") == 0
    assert store.value("SELECT count(*) FROM films_fts WHERE films_fts MATCH 'numbat'") == 30
    assert store.value("SELECT 1 FROM sqlite_master WHERE name = 'films_ai'") == 1
    assert_index_in_step(store.conn)


def test_a_failed_bulk_load_keeps_the_trigger(store: Store) -> None:
    with pytest.raises(RuntimeError), bulk_load(store) as loader:
        loader.insert("films", [(None, "Bilby", "bilby", 2000, None, None)])
        raise RuntimeError("stop")
    assert store.value("SELECT 1 FROM sqlite_master WHERE name = 'films_ai'") == 1
    assert_index_in_step(store.conn)


def test_a_json_import_keeps_the_index_in_step_and_its_undo_too(run: Run, isolated: Path) -> None:
    # The JSON sections update rows they just added (a film's latest title): the index must
    # follow each of them, or FTS5 reports the database as malformed.
    run("import", "json", str(DEMO))
    assert_index_in_step(isolated)
    # People, shoots and notes are indexed at the end of the import, and their triggers back.
    conn = sqlite3.connect(isolated)
    triggers = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert {f"{table}_ai" for table in FTS_COLUMNS} <= triggers
    assert run.json("search", "venice")[0]["matched"] == "shoot: Venice"
    assert run.json("search", "tom cruise")[0]["matched"].startswith("person")
    later = run.json("--today", "2023-01-01", "search", "Dead Reckoning Part Two")
    assert ids(later) == [8]
    run("undo")
    assert_index_in_step(isolated)
    assert run.json("search", "reckoning") == []


def test_search_finds_shoots_and_notes_only_from_the_day_they_were_known(demo: Run) -> None:
    # The Abu Dhabi shoot began in Jan 2021: `shoot list` and `show` hide it before.
    assert demo.json("--today", "2020-11-01", "search", "abu dhabi") == []
    later = demo.json("--today", "2021-06-01", "search", "abu dhabi")
    assert ids(later) == [7] and later[0]["matched"] == "shoot: Abu Dhabi"
    # Venice was first dated Feb 2020.
    assert demo.json("--today", "2019-06-01", "search", "venice") == []
    # A note (an event of Feb 2021) matches from its day only.
    assert demo.json("search", "plan dropped") == []
    assert ids(demo.json("--today", "2021-06-01", "search", "plan dropped")) == [8]


def test_a_title_shows_only_from_its_day_and_names_its_film_on_every_day(run: Run) -> None:
    run("--today", "2026-01-01", "add", "Project X", "--status", "announced", "--on", "2019-01-01")
    run("--today", "2026-01-01", "retitle", "Project X", "Working Title", "--on", "2022-01-01")
    run("--today", "2026-01-01", "retitle", "Working Title", "Final Title", "--on", "2024-01-01")
    then = ("--today", "2020-01-01")
    shown = run.json(*then, "show", "Final Title")  # a later title still names the film
    assert shown["title"] == "Project X"
    assert [title["title"] for title in shown["titles"]] == ["Project X"]
    assert shown["aliases"] == []  # later titles are not aliases of every day
    assert run.json(*then, "search", "working title") == []
    assert run.json(*then, "search", "final title") == []
    assert run.json(*then, "list", "--title", "working title") == []
    found = run.json("--today", "2023-01-01", "search", "working title")
    assert ids(found) == [1] and found[0]["matched"] == "title"
    found = run.json("--today", "2025-01-01", "search", "project x")
    assert found[0]["matched"] == "former title: Project X"
    assert run.json("--today", "2025-01-01", "show", "#1")["aliases"] == []


def test_a_later_title_of_the_demo_is_not_found_on_an_earlier_day(demo: Run) -> None:
    demo("--today", "2026-01-01", "retitle", "#8", "MI: Final Cut", "--on", "2025-12-01")
    assert demo.json("--today", "2019-06-01", "search", "final reckoning") == []
    assert demo.json("--today", "2019-06-01", "search", "final cut") == []
    assert ids(demo.json("--today", "2026-01-01", "search", "final cut")) == [8]
    assert demo.json("--today", "2019-06-01", "show", "MI: Final Cut")["id"] == 8


def test_merge_keeps_no_alias_repeating_a_title_of_the_film_that_stays(demo: Run) -> None:
    # #9 duplicates #7 under #7's first title: merged, that title names #7 from its history.
    demo("add", "Mission: Impossible 7", "--year", "2021", "--alias", "MI7 DR")
    demo("merge", "#9", "#7", "--yes")
    assert demo.json("show", "#7")["aliases"] == ["MI7 DR"]
    assert demo.json("show", "Mission: Impossible 7")["id"] == 7
    # Under its later title: found only from that title's day (28 Apr 2022).
    demo("add", "Mission: Impossible – Dead Reckoning Part One", "--year", "2021")
    demo("merge", "#10", "#7", "--yes")
    assert demo.json("show", "#7")["aliases"] == ["MI7 DR"]
    assert demo.json("search", "part one") == []
    assert ids(demo.json("--today", "2022-05-01", "search", "part one")) == [7]


def test_an_older_export_with_former_titles_as_aliases_imports_them_as_titles_only(
    run: Run, tmp_path: Path
) -> None:
    import json

    document = json.loads(DEMO.read_text(encoding="utf-8"))
    eight = next(film for film in document["films"] if film["id"] == 8)
    eight["aliases"] = ["Mission: Impossible 8", "Mission: Impossible – Dead Reckoning Part Two"]
    eight["aliases"] += ["MI8"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    run("import", "json", str(path))
    assert run.json("show", "#8")["aliases"] == ["MI8"]
    assert run.json("search", "dead reckoning part two") == []  # from 28 Apr 2022 only
    assert run.json("show", "Dead Reckoning Part Two")["id"] == 8
