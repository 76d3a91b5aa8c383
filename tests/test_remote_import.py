"""`import tmdb` and `import wikidata`: every fixture with the counts its contents imply,
re-imports that change nothing, change logs replayed as history, all or nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Run

FIXTURES = Path(__file__).parent / "fixtures"
TMDB = FIXTURES / "tmdb"
WIKIDATA = FIXTURES / "wikidata"
LATER = ("--today", "2024-06-01")  # after every date the fixtures publish


def counts(report: dict[str, Any]) -> tuple[int, ...]:
    return (
        report["films_created"],
        report["films_matched"],
        report["announcements_added"],
        report["release_events_added"],
        report["unchanged"],
        report["skipped"],
    )


def imported(run: Run, source: str, *paths: Path, today: tuple[str, ...] = LATER) -> list[Any]:
    return run.json(*today, "import", source, *map(str, paths))  # type: ignore[no-any-return]


# (file, created, matched, announcements, release events, unchanged, skipped)
TMDB_FILES = [
    # 3 parts, each a worldwide date.
    ("collection-264.json", 3, 0, 3, 0, 0, 0),
    # Images only: no film named, nothing to record.
    ("movie-19995-changes.json", 0, 0, 0, 0, 0, 0),
    # No per-country dates: the top-level (earliest anywhere) date, worldwide.
    ("movie-47964.json", 1, 0, 1, 0, 0, 0),
    # 46 countries, one theatrical entry each.
    ("movie-87421-append-all.json", 1, 0, 46, 0, 0, 0),
    # One release_dates item (country inside value); the film named by its title items.
    ("movie-changes-release_dates-item.json", 1, 0, 1, 0, 0, 0),
    # US: premiere, theatrical (+1 later entry), digital (+1 second service), physical;
    # GB, TW, DE theatrical; FR premiere and theatrical; XX and a type 7 skipped.
    ("movie-693134-made.json", 1, 0, 9, 2, 0, 2),
    # 3 parts in release order, the undated one TBA.
    ("collection-726871-made.json", 3, 0, 3, 0, 0, 0),
    # US: 4 days of changes (two entries on the last: one an event), GB 2; deleted ignored,
    # country ZZ skipped.
    ("movie-693134-changes.json", 1, 0, 6, 1, 0, 1),
]


@pytest.mark.parametrize(("name", *"cmaeus"), TMDB_FILES)
def test_each_tmdb_fixture_imports_with_its_counts_and_again_changes_nothing(
    run: Run, name: str, c: int, m: int, a: int, e: int, u: int, s: int
) -> None:
    [first] = imported(run, "tmdb", TMDB / name)
    assert first["file"] == name
    assert counts(first) == (c, m, a, e, u, s)
    [again] = imported(run, "tmdb", TMDB / name)
    films = c + m
    assert counts(again) == (0, films, 0, 0, a + e, s)


def test_release_dates_alone_need_their_film_and_change_nothing(run: Run) -> None:
    error = run.error(*LATER, "import", "tmdb", str(TMDB / "movie-47964-release_dates.json"))
    assert "no film with tmdb 47964" in error
    assert run.json("list") == []


def test_release_dates_with_their_movie_in_one_run_in_any_order(run: Run) -> None:
    reports = imported(
        run, "tmdb", TMDB / "movie-47964-release_dates.json", TMDB / "movie-47964.json"
    )
    assert [counts(r) for r in reports] == [(0, 1, 74, 0, 0, 0), (1, 0, 1, 0, 0, 0)]
    show = run.json(*LATER, "show", "A Good Day to Die Hard")
    assert show["franchise"] == "Die Hard"
    assert show["status"] == "released"
    assert len(show["releases"]) == 75


# (file, created, matched, announcements, release events, unchanged, skipped)
WIKIDATA_FILES = [
    # One year-precision P577 written +1931-01-01, no P291: worldwide 1931; 8 cast members
    # and 2 directors unnamed in the file (no labels) are skipped.
    ("Q2262932.json", 1, 0, 1, 0, 0, 10),
    # No film properties at all (somevalue/novalue of a subreddit id).
    ("somevalue-novalue.json", 0, 0, 0, 0, 0, 0),
    # One row: Tarzan (2013), a 1 January with no precision: the year 2013.
    ("sparql-tarzan-2013.json", 1, 0, 1, 0, 0, 0),
    # US and GB (one statement, two P291), FR (a month), JP (somevalue: TBA), worldwide
    # (+1 later date as an event); deprecated and novalue left out; Kosovo (XK, not ISO), an
    # unlabelled cast member and an unlabelled place skipped.
    ("Q104791523-made.json", 1, 0, 5, 1, 0, 3),
]


@pytest.mark.parametrize(("name", *"cmaeus"), WIKIDATA_FILES)
def test_each_wikidata_fixture_imports_with_its_counts_and_again_changes_nothing(
    run: Run, name: str, c: int, m: int, a: int, e: int, u: int, s: int
) -> None:
    [first] = imported(run, "wikidata", WIKIDATA / name)
    assert counts(first) == (c, m, a, e, u, s)
    [again] = imported(run, "wikidata", WIKIDATA / name)
    assert counts(again) == (0, c + m, 0, 0, a + e, s)


def test_a_tmdb_movie_brings_its_names_ids_credits_and_certifications(run: Run) -> None:
    imported(run, "tmdb", TMDB / "movie-693134-made.json")
    show = run.json(*LATER, "show", "Dune 2")  # an alternative title finds it
    assert (show["title"], show["year"], show["franchise"]) == ("Dune: Part Two", 2024, "Dune")
    assert show["aliases"] == ["Dune 2", "Dune : Deuxième Partie"]
    credits = {(c["name"], c["role"]) for c in show["credits"]}
    assert credits == {
        ("Timothée Chalamet", "cast"),
        ("Zendaya", "cast"),
        ("Denis Villeneuve", "director"),
        ("Denis Villeneuve", "writer"),
        ("Jon Spaihts", "writer"),
        ("Hans Zimmer", "composer"),
        ("Greig Fraser", "cinematographer"),
    }
    current = {(r["country"], r["type"]): r for r in show["releases"]}
    # The earliest entry of a (country, type) is its date; the later one is an event.
    assert current[("US", "theatrical")]["date"] == "2024-02-29"
    events = {(e["date"], e["text"]) for e in show["events"]}
    assert events == {
        ("2024-03-01", "theatrical (US)"),
        ("2024-04-16", "digital (US) · Apple TV"),
    }
    assert run.json(*LATER, "history", "Dune 2") and all(
        r["shift_days"] is None for r in run.json(*LATER, "history", "Dune 2")
    )  # further entries are never moves
    import sqlite3

    conn = sqlite3.connect(str(run_db()))
    rows = dict(
        conn.execute(
            "SELECT country || ' ' || type, certification FROM releases WHERE certification"
            " IS NOT NULL"
        ).fetchall()
    )
    ids = dict(conn.execute("SELECT scheme, value FROM external_ids").fetchall())
    conn.close()
    assert rows["GB theatrical"] == "12A"  # trimmed
    assert rows["US physical"] == "PG-13"
    assert rows["TW theatrical"] == "輔12"
    assert "DE theatrical" in rows and "US digital" not in rows  # "" is none
    assert ids == {"tmdb": "693134", "imdb": "tt15239678"}


def run_db() -> Path:
    import os

    return Path(os.environ["TRACKER_DB"])


def test_a_replayed_change_log_is_the_history_with_the_days_it_was_published(run: Run) -> None:
    imported(run, "tmdb", TMDB / "movie-693134-changes.json")
    history = run.json(*LATER, "history", "Dune: Part Two")
    us = [(h["announced"], h["date"], h["shift_days"]) for h in history if h["country"] == "US"]
    assert us == [
        ("2022-11-01", "2023-11-17", None),
        ("2023-04-04", "2023-11-03", -14),
        ("2023-08-24", "2024-03-15", 133),
        ("2023-11-10", "2024-02-29", -15),
    ]
    # As of a day, only what was published by then.
    then = run.json("--today", "2023-09-01", "show", "Dune: Part Two")["releases"]
    assert {(r["country"], r["date"]) for r in then} == {("US", "2024-03-15"), ("GB", "2024-03-15")}
    assert run.error("--today", "2022-10-31", "history", "Dune: Part Two") == (
        "Error: 'Dune: Part Two' was not yet known on Mon 31 Oct 2022"
    )
    # The movie response, published later, agrees with what the log ended on: unchanged.
    [movie] = imported(run, "tmdb", TMDB / "movie-693134-made.json")
    assert movie["films_matched"] == 1 and movie["films_created"] == 0
    assert movie["unchanged"] == 3  # US and GB theatrical, and the US 1 March event


def test_a_collection_numbers_its_parts_in_release_order(run: Run) -> None:
    imported(run, "tmdb", TMDB / "collection-726871-made.json")
    films = run.json(*LATER, "list")
    assert [(f["title"], f["franchise"], f["instalment"]) for f in films] == [
        ("Dune", "Dune", 1),
        ("Dune: Part Two", "Dune", 2),
        ("Dune: Part Three", "Dune", 3),
    ]
    three = run.json(*LATER, "show", "Dune: Part Three")
    assert [(r["country"], r["date"]) for r in three["releases"]] == [(None, None)]


def test_wikidata_dates_keep_precision_countries_sources_and_retrieval_days(run: Run) -> None:
    imported(run, "wikidata", WIKIDATA / "Q104791523-made.json")
    show = run.json(*LATER, "show", "Dune: Part Two")
    assert (show["franchise"], show["instalment"]) == ("Dune", 2)
    releases = {r["country"]: r for r in show["releases"]}
    assert releases["US"]["date"] == releases["GB"]["date"] == "2024-03-01"
    assert releases["US"]["announced"] == "2024-01-20"  # the reference's P813
    assert releases["US"]["source"] == "https://www.boxofficemojo.com/title/tt15239678/"
    assert (releases["FR"]["date"], releases["FR"]["precision"]) == ("2024-02", "month")
    assert releases["FR"]["source"] == "https://www.wikidata.org/wiki/Q1230513"  # P248
    assert releases["FR"]["announced"] == "2024-06-01"  # no P813: the import day
    assert releases["JP"]["date"] is None  # somevalue: TBA
    assert releases[None]["date"] == "2024-02-15"
    assert releases[None]["source"] == "https://www.wikidata.org/wiki/Q104791523"
    assert {(c["name"], c["role"]) for c in show["credits"]} == {
        ("Denis Villeneuve", "director"),
        ("Timothée Chalamet", "cast"),
    }
    assert [(s["place"], s["country"]) for s in show["shoots"]] == [("United Arab Emirates", "AE")]


def test_tmdb_and_wikidata_meet_on_one_film_by_id(run: Run) -> None:
    imported(run, "tmdb", TMDB / "movie-693134-made.json")
    [report] = imported(run, "wikidata", WIKIDATA / "Q104791523-made.json")
    assert (report["films_created"], report["films_matched"]) == (0, 1)
    # Wikidata's February contains TMDB's 28 February: nothing new. Its TBA adds nothing.
    fr = [r for r in run.json(*LATER, "history", "Dune: Part Two") if r["country"] == "FR"]
    assert [r["date"] for r in fr if r["type"] == "theatrical"] == ["2024-02-28"]
    assert len(run.json(*LATER, "list")) == 1


def test_a_bad_file_in_a_run_changes_nothing(run: Run, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"id": 1, "title": ', encoding="utf-8")
    error = run.error("import", "tmdb", str(TMDB / "collection-264.json"), str(broken))
    assert error.startswith("Error: ") and "broken.json: not JSON" in error
    assert run.json("list") == []
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"hello": "world"}), encoding="utf-8")
    assert "not a TMDB" in run.error("import", "tmdb", str(wrong))
    assert "not Wikidata" in run.error("import", "wikidata", str(wrong))
    assert "missing.json: no such file" in run.error(
        "import", "tmdb", str(tmp_path / "missing.json")
    )


def test_a_failure_midway_rolls_back_the_files_before_it(run: Run, tmp_path: Path) -> None:
    orphan = tmp_path / "movie-5-release_dates.json"
    orphan.write_text(json.dumps({"id": 5, "results": []}), encoding="utf-8")
    dated = tmp_path / "movie-6-release_dates.json"
    entry = {"release_date": "2024-01-01T00:00:00.000Z", "type": 3, "note": ""}
    dated.write_text(
        json.dumps({"id": 6, "results": [{"iso_3166_1": "US", "release_dates": [entry]}]}),
        encoding="utf-8",
    )
    error = run.error("import", "tmdb", str(TMDB / "collection-264.json"), str(orphan), str(dated))
    assert "no film with tmdb 6" in error
    assert run.json("list") == []


def test_a_part_past_the_999th_is_imported_unnumbered(store: Any, today: Any) -> None:
    from tracker.domain.films import get_film
    from tracker.exchange.remote_import import write_all
    from tracker.exchange.remote_records import FilmRecord

    records = [
        FilmRecord(ids={"tmdb": str(n)}, source="s", title=f"Part {n}", franchise="F", instalment=n)
        for n in (999, 1000)
    ]
    [report] = write_all(store, [("saga", records)], today=today)
    assert report.films_created == 2
    assert [get_film(store, i).instalment for i in (1, 2)] == [999, None]


def test_certifications_and_release_events_survive_a_json_round_trip(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    imported(run, "tmdb", TMDB / "movie-693134-made.json")
    exported = run("export", "json").stdout
    document = json.loads(exported)
    [film] = document["films"]
    rated = {(r["country"], r["type"]): r.get("certification") for r in film["releases"]}
    assert rated[("GB", "theatrical")] == "12A" and rated[("US", "digital")] is None
    assert sorted(e["text"] for e in document["events"] if e["kind"] == "release") == [
        "digital (US) · Apple TV",
        "theatrical (US)",
    ]
    backup = tmp_path / "backup.json"
    backup.write_text(exported, encoding="utf-8")
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "fresh.db"))
    run("import", "json", str(backup))
    assert json.loads(run("export", "json").stdout) == document
