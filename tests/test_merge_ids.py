"""Merging duplicates, external ids, shell completion, and m006 recomputing stored keys."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DEMO, Run
from tracker.domain.identifiers import (
    external_ids_of,
    film_by_external_id,
    normalise,
    set_external_id,
)
from tracker.errors import DuplicateFilm, InvalidValue
from tracker.store import Store, migrations


def facts_of(document: dict[str, Any], film_id: int) -> list[tuple[str, str]]:
    """Every fact of the export that belongs to a film, with the film's id blanked out."""
    found: list[tuple[str, str]] = []
    for film in document["films"]:
        if film["id"] == film_id:
            for key in ("statuses", "releases"):
                found += [(key, json.dumps(item, sort_keys=True)) for item in film[key]]
            found += [("ids", json.dumps(film.get("ids", {}), sort_keys=True))]
    for section, key in (("credits", "film"), ("events", "film")):
        found += [
            (section, json.dumps({**item, key: None}, sort_keys=True))
            for item in document[section]
            if item[key] == film_id
        ]
    found += [
        ("shoots", json.dumps({**shoot, "films": None}, sort_keys=True))
        for shoot in document["shoots"]
        if film_id in shoot["films"]
    ]
    for watchlist in document["watchlists"]:
        found += [
            ("watchlists", f"{watchlist['name']}:{entry['priority']}")
            for entry in watchlist["entries"]
            if entry["film"] == film_id
        ]
    found += [
        ("diary", json.dumps({**item, "film": None}, sort_keys=True))
        for item in document["diary"]
        if item["film"] == film_id
    ]
    return found


@pytest.fixture
def duplicate(demo: Run) -> Run:
    """Film #9: a second copy of #7 (Dead Reckoning) with facts of its own."""
    demo("add", "Mission Impossible 7 Dead Reckoning", "--year", "2022", "--imdb", "tt9603212",
         "--alias", "MI7", "--release", "2023-07-14", "--country", "GB")  # fmt: skip
    demo("status", "#9", "filming", "--on", "2020-03")
    demo("note", "#9", "Rome chase filmed", "--kind", "stunt", "--on", "2020-01")
    demo("shoot", "add", "#9", "Rome Airport", "--country", "IT", "--from", "2020-01")
    demo("credit", "add", "#9", "Hayley Atwell", "--role", "cast")
    demo("credit", "add", "#9", "Tom Cruise", "--role", "cast")  # #7 has this credit too
    demo("watch", "#9")
    demo("seen", "#9", "--on", "2020-01-02", "--rating", "4")
    return demo


def test_merge_moves_every_fact_onto_into(duplicate: Run) -> None:
    before = json.loads(duplicate("export", "json").stdout)
    mine, theirs = facts_of(before, 9), facts_of(before, 7)
    assert len(mine) >= 9
    assert duplicate.error("merge", "#9", "#7").endswith("add --yes to confirm")
    out = duplicate("merge", "#9", "#7", "--yes").stdout
    assert out.strip() == (
        # As of 15 Oct 2020: #9's year 2022 had no date in it; #7 now holds #9's 2023 date.
        "Merged Mission Impossible 7 Dead Reckoning #9 into Mission: Impossible 7 (2023) #7"
    )
    after = json.loads(duplicate("export", "json").stdout)
    assert [film["id"] for film in after["films"]] == [1, 2, 3, 4, 5, 6, 7, 8]
    merged = facts_of(after, 7)
    for fact in theirs + mine:
        if fact[0] != "ids":
            assert fact in merged, fact
    seven = next(film for film in after["films"] if film["id"] == 7)
    assert seven["ids"] == {"imdb": "tt9603212"}
    # Its title and aliases name the film that stayed.
    assert "Mission Impossible 7 Dead Reckoning" in seven["aliases"]
    assert "MI7" in seven["aliases"]
    assert duplicate.json("show", "mi7")["id"] == 7
    assert duplicate.json("show", "imdb:tt9603212")["id"] == 7


def test_merge_is_undoable(duplicate: Run) -> None:
    before = json.loads(duplicate("export", "json").stdout)
    duplicate("merge", "#9", "#7", "--yes")
    assert "merge" in duplicate("undo").stdout
    after = json.loads(duplicate("export", "json").stdout)
    # All is back but the id counters ("ids"): ids the merge gave are never given again.
    assert after.pop("ids")["aliases"] > before.pop("ids")["aliases"]
    assert after == before


def test_merge_refuses_itself_and_clashing_ids(duplicate: Run) -> None:
    assert duplicate.error("merge", "#7", "#7", "--yes").startswith("Error: cannot merge")
    duplicate("edit", "#7", "--imdb", "tt9999999")
    message = duplicate.error("merge", "#9", "#7", "--yes")
    assert "imdb:tt9603212" in message and "imdb:tt9999999" in message


def test_external_ids_on_add_edit_show_and_as_names(run: Run) -> None:
    run("add", "Jerry Maguire", "--year", "1996", "--imdb", "TT0116695", "--tmdb", "9390",
        "--wikidata", "q1140317", "--letterboxd", "http://letterboxd.com/film/Jerry-Maguire")  # fmt: skip
    shown = run.json("show", "Jerry Maguire")
    assert shown["ids"] == {
        "imdb": "tt0116695",
        "tmdb": "9390",
        "wikidata": "Q1140317",
        "letterboxd": "https://letterboxd.com/film/jerry-maguire/",
    }
    assert "imdb:tt0116695, tmdb:9390" in run("show", "#1").stdout
    for name in ("imdb:tt0116695", "TMDB:9390", "wikidata:Q1140317"):
        assert run.json("show", name)["id"] == 1
    run("edit", "#1", "--tmdb", "1")
    assert run.json("show", "#1")["ids"]["tmdb"] == "1"
    run("add", "Other", "--year", "2000")
    assert run.error("edit", "#2", "--imdb", "tt0116695") == (
        "Error: imdb:tt0116695 already names Jerry Maguire (1996) #1"
    )
    assert run.error("add", "Bad", "--imdb", "0116695").startswith("Error: '0116695' is not")
    assert run.error("add", "Bad", "--letterboxd", "https://example.com/x").startswith("Error:")
    assert len(run.json("list")) == 2  # a refused add changed nothing


def test_an_empty_id_removes_it_and_undo_brings_it_back(run: Run) -> None:
    """A wrong id could be replaced but never removed, and it blocks a merge (audit 2,
    item 14)."""
    run("add", "One", "--year", "2020", "--imdb", "tt0000001")
    run("add", "Two", "--year", "2020", "--imdb", "tt0000002", "--tmdb", "5")
    assert run.error("merge", "One", "Two", "--yes").startswith("Error: One (2020) #1 has imdb")
    assert run("edit", "Two", "--imdb", "").stdout.strip() == "Updated Two (2020) #2"
    assert run.json("show", "Two")["ids"] == {"tmdb": "5"}
    assert run("edit", "Two", "--imdb", " ").stdout.strip() == "Nothing changed: Two (2020) #2"
    run("undo")
    assert run.json("show", "Two")["ids"] == {"imdb": "tt0000002", "tmdb": "5"}
    run("undo")  # redo: removed again
    run("merge", "One", "Two", "--yes")
    assert run.json("show", "Two")["ids"] == {"imdb": "tt0000001", "tmdb": "5"}


@pytest.mark.parametrize(
    ("option", "named"),
    [
        ("--imdb", "an IMDb id"),
        ("--tmdb", "a TMDB id"),
        ("--wikidata", "a Wikidata id"),
        ("--letterboxd", "a Letterboxd id"),
    ],
)
def test_a_wrong_id_is_named_in_good_english(run: Run, option: str, named: str) -> None:
    assert run.error("add", "Bad", option, "x").startswith(f"Error: 'x' is not {named} (")


def test_external_ids_round_trip_through_json(run: Run, tmp_path: Path) -> None:
    run("add", "Jerry Maguire", "--year", "1996", "--imdb", "tt0116695")
    exported = run("export", "json").stdout
    assert json.loads(exported)["films"][0]["ids"] == {"imdb": "tt0116695"}
    path = tmp_path / "all.json"
    path.write_text(exported, encoding="utf-8")
    run("--db", str(tmp_path / "other.db"), "import", "json", str(path))
    assert run("--db", str(tmp_path / "other.db"), "export", "json").stdout == exported
    bad = json.loads(exported)
    bad["films"][0]["ids"] = {"imdb": "nope"}
    path.write_text(json.dumps(bad), encoding="utf-8")
    message = run.error("--db", str(tmp_path / "third.db"), "import", "json", str(path))
    assert "films[0].ids" in message and "not an IMDb id" in message


def test_the_identifier_functions_importers_call(store: Store) -> None:
    with store.transaction():
        film_id = store.insert("films", {"title": "Heat", "title_key": "heat", "year": 1995})
        set_external_id(store, film_id, "imdb", "tt0113277")
        set_external_id(store, film_id, "letterboxd", "https://boxd.it/29Xe")
    assert external_ids_of(store, film_id) == {
        "imdb": "tt0113277",
        "letterboxd": "https://boxd.it/29Xe",
    }
    found = film_by_external_id(store, "imdb", " TT0113277 ")
    assert found is not None and found.id == film_id
    assert film_by_external_id(store, "imdb", "tt0000001") is None
    assert film_by_external_id(store, "imdb", "not an id") is None
    assert normalise("tmdb", "0954") == "954"
    with pytest.raises(InvalidValue, match="unknown id scheme"):
        normalise("netflix", "1")
    with store.transaction():
        other = store.insert("films", {"title": "Ronin", "title_key": "ronin", "year": 1998})
        with pytest.raises(DuplicateFilm):
            set_external_id(store, other, "imdb", "tt0113277")


# Completion ----------------------------------------------------------------------------


def complete(run: Run, words: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What bash completion offers for the last of `words`."""
    monkeypatch.setenv("_TRACKER_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", words)
    monkeypatch.setenv("COMP_CWORD", str(len(words.split()) - (0 if words.endswith(" ") else 1)))
    result = run.runner.invoke(run_app(), [], prog_name="tracker")
    monkeypatch.delenv("_TRACKER_COMPLETE")
    return [line for line in result.stdout.splitlines() if line]


def run_app() -> Any:
    from tracker.cli import app

    return app


def test_completion_offers_names_from_the_database(
    demo: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo("watchlist", "create", "Summer")
    films = complete(demo, "tracker show Mission", monkeypatch)
    assert "Mission: Impossible – Fallout" in films and len(films) == 8
    assert complete(demo, "tracker show miss", monkeypatch)[0] == "mission: Impossible"
    assert complete(demo, "tracker show #1", monkeypatch) == ["#1"]
    assert complete(demo, "tracker status #1 pa", monkeypatch) == ["paused"]
    assert complete(demo, "tracker release #1 2030 --type th", monkeypatch) == ["theatrical"]
    assert complete(demo, "tracker release #1 2030 --country NO", monkeypatch)[0] == "NO"
    assert "norway" in complete(demo, "tracker release #1 2030 --country nor", monkeypatch)
    assert complete(demo, "tracker watchlist show Su", monkeypatch) == ["Summer"]
    assert complete(demo, "tracker note #1 x --kind tr", monkeypatch) == ["trailer"]
    assert "search" in complete(demo, "tracker se", monkeypatch)


def test_completion_without_a_database_offers_nothing(
    run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    isolated.unlink()  # the fixture's blank database
    assert complete(run, "tracker show M", monkeypatch) == []
    assert not isolated.exists()  # completing never creates the database


def test_show_completion_prints_a_script(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    for shell, marker in (
        ("bash", "complete -o default"),
        ("zsh", "compdef"),
        ("fish", "complete"),
    ):
        result = run.runner.invoke(run_app(), ["--show-completion", shell], prog_name="tracker")
        assert result.exit_code == 0
        assert "_TRACKER_COMPLETE" in result.stdout and marker in result.stdout


# m006 ----------------------------------------------------------------------------------


def test_m006_recomputes_keys_and_keeps_every_row(
    run: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:

    # A database with every migration but m006 (today's importer needs the later tables),
    # and m014, which rebuilds the search index m006 makes.
    skipped = ("m006_names", "m014_fts_without_sizes")
    others = tuple(m for m in migrations.MIGRATIONS if m.__name__ not in skipped)
    isolated.unlink()  # the fixture's blank database is at the latest schema
    with monkeypatch.context() as before:
        before.setattr(migrations, "MIGRATIONS", others)
        before.setattr(migrations, "KNOWN", tuple(m.__name__ for m in others))
        run("import", "json", str(DEMO))
        conn = sqlite3.connect(isolated, isolation_level=None)
        # What m005's keys allowed and m006's join: one film twice, a person twice, two
        # lists whose names differ only by punctuation.
        conn.execute(
            "INSERT INTO films (title, title_key, year) VALUES ('Heat II', 'heat ii', 1995)"
        )
        conn.execute("INSERT INTO films (title, title_key, year) VALUES ('Heat 2', 'heat 2', 1995)")
        conn.execute("INSERT INTO people (name, name_key) VALUES ('Zoë Saldaña', 'zoë saldaña')")
        conn.execute("INSERT INTO people (name, name_key) VALUES ('Zoe Saldana', 'zoe saldana')")
        people = conn.execute("SELECT id FROM people WHERE name LIKE 'Zo%' ORDER BY id").fetchall()
        for person, film in zip(people, (1, 2), strict=True):
            conn.execute(
                "INSERT INTO credits (film_id, person_id, role) VALUES (?, ?, 'cast')",
                [film, person[0]],
            )
        conn.execute("INSERT INTO watchlists (name, name_key) VALUES ('Must-see', 'must-see')")
        conn.execute("INSERT INTO watchlists (name, name_key) VALUES ('must see', 'must see')")
        conn.close()
        exported = json.loads(run("export", "json").stdout)
    conn = sqlite3.connect(isolated, isolation_level=None)
    run("list")  # opening migrates
    keys = dict(conn.execute("SELECT title, title_key FROM films").fetchall())
    assert keys["Mission: Impossible – Fallout"] == "mission impossible fallout"
    assert keys["Heat II"] == "heat 2" and keys["Heat 2"].startswith("heat 2 #")
    zoe = conn.execute("SELECT id, name_key FROM people WHERE name LIKE 'Zo%'").fetchall()
    assert len(zoe) == 1 and zoe[0][1] == "zoe saldana"
    assert conn.execute(
        "SELECT count(*) FROM credits WHERE person_id = ?", [zoe[0][0]]
    ).fetchone() == (2,)
    lists = [row[0] for row in conn.execute("SELECT name FROM watchlists ORDER BY id")]
    assert lists[-2:] == ["Must-see", "must see (2)"]
    conn.close()
    # Both Heats are still there; check names the pair, merge joins them.
    assert "same title and year as another film" in run("check", code=1).stdout
    after = json.loads(run("export", "json").stdout)
    assert after["films"] == exported["films"]
    assert len(run.json("search", "fallout")) == 1
    heat = run.json("list", "--title", "heat")
    run("merge", f"#{heat[1]['id']}", f"#{heat[0]['id']}", "--yes")
    assert run("check").exit_code == 0
