"""Production tracking: shoots, credits and people, notes, retitles, sources, show."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from tests.conftest import DbFile, Run

MI7 = "Mission: Impossible 7"
MI8 = "Mission: Impossible 8"
SHOOT_KEYS = ["id", "place", "region", "country", "start", "end", "films", "note"]


@pytest.fixture
def two(run: Run) -> Run:
    """Two films of one franchise, 7 and 8, tracked on 2020-10-15."""
    run("add", "Mission: Impossible 7", "--franchise", "MI", "-n", "7", "--status", "filming")
    run("add", "Mission: Impossible 8", "--franchise", "MI", "-n", "8")
    return run


# --- shoots ---------------------------------------------------------------------------


def test_shoot_add_stores_the_country_code_and_shares_the_shoot(two: Run) -> None:
    assert two("shoot", "add", MI7, "Stranda", "--country", "Norway", "--region", "Stranda",
               "--to", "2020-10", "--also", MI8, "--note", "fight on top of a moving train",
               "--source", "https://example.com/a").stdout.strip() == "#1"  # fmt: skip
    assert two.json("shoot", "list") == []  # ended "2020-10": known from 31 Oct 2020
    rows = two.json("--today", "2020-11-01", "shoot", "list")
    assert rows == [
        {
            "id": 1,
            "place": "Stranda",
            "region": "Stranda",
            "country": "NO",
            "start": None,
            "end": "2020-10",
            "films": [MI7, MI8],
            "note": "fight on top of a moving train",
        }
    ]
    assert list(rows[0]) == SHOOT_KEYS
    assert [row["id"] for row in two.json("--today", "2020-11-01", "shoot", "list", MI8)] == [1]


def test_shoot_list_filters_by_film_country_and_now(two: Run) -> None:
    two("shoot", "add", MI7, "Venice", "-c", "IT", "--from", "2020-02", "--to", "2020-02")
    two("shoot", "add", MI7, "Rome", "-c", "it", "--from", "2020-01", "--to", "2021")
    two("shoot", "add", MI8, "Abu Dhabi", "-c", "UAE", "--from", "2020-09-01")
    two("shoot", "add", MI8, "London", "-c", "GB", "--from", "2021-03-01", "--to", "2021-06")
    two("shoot", "add", MI8, "Paris", "-c", "FR", "--from", "2020")  # known from 31 Dec 2020
    assert [r["place"] for r in two.json("shoot", "list")] == ["Rome", "Venice", "Abu Dhabi"]
    assert [r["place"] for r in two.json("shoot", "list", MI7)] == ["Rome", "Venice"]
    assert [r["place"] for r in two.json("shoot", "list", "-c", "Italy")] == ["Rome", "Venice"]
    assert [r["place"] for r in two.json("shoot", "list", "--now")] == ["Rome"]
    later = two.json("--today", "2021-03-02", "shoot", "list", "--now")
    assert [r["place"] for r in later] == ["Rome", "London"]
    assert "Paris" in [r["place"] for r in two.json("--today", "2020-12-31", "shoot", "list")]


def test_a_shoot_going_on_shows_no_end_until_it_has_passed(two: Run) -> None:
    two("shoot", "add", MI7, "Rome", "-c", "IT", "--from", "2020-10-01", "--to", "2020-12")

    def end(day: str) -> str | None:
        ends: list[str | None] = [row["end"] for row in two.json("--today", day, "shoot", "list")]
        return ends[0]

    # Recorded on no day of its own, an end ahead may be later news: it waits to pass.
    assert end("2020-10-15") is None and end("2020-12-30") is None  # Dec counts from the 31st
    assert end("2020-12-31") == "2020-12"
    assert [row["place"] for row in two.json("shoot", "list", "--now")] == ["Rome"]
    assert two.json("show", MI7)["shoots"][0]["end"] is None


def test_a_planned_shoot_counts_from_the_day_it_was_announced(two: Run) -> None:
    at = ("--today", "2020-11-01")
    assert two(*at, "shoot", "add", MI8, "Oslo", "-c", "NO", "--from", "2021-02-01", "--to",
               "2021-03-15", "--announced", "2020-10-20").stdout == "#1\n"  # fmt: skip
    two(*at, "shoot", "add", MI8, "Rome", "-c", "IT", "--from", "2021-04-01", "--to", "2021-05")

    def listed(day: str) -> list[tuple[str, str | None]]:
        return [(row["place"], row["end"]) for row in two.json("--today", day, "shoot", "list")]

    # Known, with its planned end, from its announcement; the other waits for its start.
    assert listed("2020-10-19") == []
    assert listed("2020-10-20") == [("Oslo", "2021-03-15")]
    assert listed("2021-04-01") == [("Oslo", "2021-03-15"), ("Rome", None)]
    assert two.json("--today", "2020-12-01", "shoot", "list", "--now") == []  # not begun
    exported = two("export", "json").stdout
    assert '"announced":"2020-10-20"' in exported and exported.count('"announced":"20') == 1
    two(*at, "shoot", "edit", "#2", "--announced", "2020-10")
    assert listed("2020-10-31") == [("Oslo", "2021-03-15"), ("Rome", "2021-05")]
    two(*at, "shoot", "edit", "#2", "--announced", "TBA")  # TBA clears it
    assert listed("2020-10-31") == [("Oslo", "2021-03-15")]
    assert two.error(*at, "shoot", "add", MI8, "Bergen", "-c", "NO", "--announced", "2021") == (
        "Error: announced 2021 is after today (2020-11-01)"
    )
    # Begun "in Feb 2021": not known from its start before the 28th, but announced.
    two(*at, "shoot", "add", MI8, "Tromsø", "-c", "NO", "--from", "2021-02", "--to", "2021-03",
        "--announced", "2020-10-25")  # fmt: skip
    now = two.json("--today", "2021-02-10", "shoot", "list", "--now")
    assert [row["place"] for row in now] == ["Oslo", "Tromsø"]


def test_shoot_edit_changes_fields_and_adds_a_film(two: Run) -> None:
    two("shoot", "add", MI7, "Venise", "-c", "FR")
    two("shoot", "edit", "#1", "--place", "Venice", "--country", "Italy", "--from", "2020-02",
        "--also", MI8, "--note", "paused")  # fmt: skip
    (row,) = two.json("shoot", "list")
    assert (row["place"], row["country"], row["start"], row["films"], row["note"]) == (
        "Venice", "IT", "2020-02", [MI7, MI8], "paused",
    )  # fmt: skip
    two("shoot", "edit", "1", "--from", "TBA", "--note", "")
    (row,) = two.json("shoot", "list")
    assert (row["start"], row["note"]) == (None, None)


def test_shoot_remove_deletes_it(two: Run) -> None:
    two("shoot", "add", MI7, "Venice", "-c", "IT")
    assert "Removed shoot #1" in two("shoot", "remove", "#1").stdout
    assert two.json("shoot", "list") == []
    assert "no shoot #1" in two.error("shoot", "remove", "#1")


def test_removing_a_film_keeps_shared_shoots_and_drops_orphans(two: Run) -> None:
    two("shoot", "add", MI7, "Stranda", "-c", "NO", "--also", MI8)
    two("shoot", "add", MI7, "Venice", "-c", "IT")
    two("credit", "add", MI7, "Tom Cruise", "--role", "cast")
    two("note", MI7, "a ramp", "--kind", "stunt")
    two("remove", MI7, "--yes")
    rows = two.json("shoot", "list")
    assert [(r["place"], r["films"]) for r in rows] == [("Stranda", [MI8])]
    two("remove", MI8, "--yes")
    assert two.json("shoot", "list") == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2020-10", "--to", "2020-09"], "is before the start"),
        (["--from", "2021", "--to", "2020-12-31"], "is before the start"),
        (["--country", "Norwy"], "did you mean Norway (NO)"),
        (["--country", "ZZ"], "unknown country code"),
        (["--from", "31/12/2020"], "numeric dates"),
        (["--also", "Nonexistent film"], "no film matches"),
    ],
)
def test_bad_shoots_are_refused_and_change_nothing(
    two: Run, db_bytes: DbFile, args: list[str], message: str
) -> None:
    base = {"--country": "NO"}
    options = [*args] if "--country" in args else [*args, "--country", base["--country"]]
    before = db_bytes()
    assert message in two.error("shoot", "add", MI7, "Stranda", *options)
    assert db_bytes() == before
    assert two.json("shoot", "list") == []


def test_shoot_for_an_unknown_film_is_refused(two: Run) -> None:
    assert "no film matches 'Top Gun'" in two.error("shoot", "add", "Top Gun", "X", "-c", "US")


def test_shoot_edit_refuses_an_end_before_the_start(two: Run) -> None:
    two("shoot", "add", MI7, "Venice", "-c", "IT", "--from", "2020-02")
    assert "before the start" in two.error("shoot", "edit", "#1", "--to", "2019")
    assert "not a shoot id" in two.error("shoot", "edit", "Venice", "--to", "2021")
    assert two.json("shoot", "list")[0]["end"] is None


def test_shoot_without_a_country_is_a_usage_error(two: Run) -> None:
    assert "Missing option '--country'" in two.error("shoot", "add", MI7, "Venice")


# --- credits and people ---------------------------------------------------------------


def test_the_same_person_across_films_is_one_person(two: Run) -> None:
    two("credit", "add", MI7, "Christopher McQuarrie", "--role", "director")
    two("credit", "add", MI8, "christopher mcquarrie", "--role", "Director")
    two("credit", "add", MI7, "Christopher McQuarrie", "--role", "writer")
    two("release", MI7, "2021-11-19", "--country", "US")
    record = two.json("person", "McQuarrie")
    assert record["name"] == "Christopher McQuarrie"
    assert [(f["id"], f["title"], f["role"], f["status"]) for f in record["films"]] == [
        (1, MI7, "director", "filming"),
        (1, MI7, "writer", "filming"),
        (2, MI8, "director", "announced"),
    ]
    assert {"id", "title", "role", "character", "status"} <= set(record["films"][0])
    assert record["films"][0]["next_release"] == "2021-11-19"
    table = two("person", "christopher mcquarrie").stdout
    assert "Fri 19 Nov 2021" in table and table.startswith("Christopher McQuarrie")


def test_credit_with_character_and_removal(two: Run) -> None:
    two("credit", "add", MI7, "Rebecca Ferguson", "--role", "cast", "--character", "Ilsa Faust")
    (film,) = two.json("person", "Rebecca Ferguson")["films"]
    assert (film["role"], film["character"]) == ("cast", "Ilsa Faust")
    assert "Removed 1 credit" in two("credit", "remove", MI7, "Ferguson").stdout
    assert two.json("person", "Rebecca Ferguson")["films"] == []
    assert "has no credit" in two.error("credit", "remove", MI7, "Ferguson")


def test_bad_credits_are_refused(two: Run, db_bytes: DbFile) -> None:
    before = db_bytes()
    error = two.error("credit", "add", MI7, "Tom Cruise", "--role", "actor")
    assert "unknown role 'actor'" in error and "valid: director" in error
    assert "did you mean director" in two.error("credit", "add", MI7, "X", "--role", "directer")
    assert "no film matches" in two.error(
        "credit", "add", "Top Gun", "Tom Cruise", "--role", "cast"
    )
    assert db_bytes() == before
    two("credit", "add", MI7, "Tom Cruise", "--role", "cast")
    (credit,) = two.json("show", MI7)["credits"]
    error = two.error("credit", "add", MI7, "tom cruise", "--role", "cast", "--character", "Ethan")
    assert error == (  # a character for a credit made without one: the way to add it
        f"Error: tom cruise is already credited as cast on film #1 (credit #{credit['id']},"
        f" which `tracker amend credit {credit['id']}` changes)"
    )
    assert "did you mean Tom Cruise" in two.error("person", "Tom Cruse")


def test_person_table_for_someone_without_credits(two: Run) -> None:
    two("credit", "add", MI7, "Simon Pegg", "--role", "cast")
    two("credit", "remove", MI7, "Simon Pegg")
    assert "Simon Pegg: no credits." in two("person", "Simon Pegg").stdout


# --- notes and retitles ---------------------------------------------------------------


def test_note_kinds_and_as_of(two: Run) -> None:
    two("note", MI7, "a long ramp for a possible bike stunt", "--kind", "stunt", "--on", "2020")
    # A note is recorded once it has happened: as of its day, not before.
    two(
        "--today",
        "2021-05-20",
        "note",
        MI7,
        "first trailer",
        "--kind",
        "trailer",
        "--on",
        "2021-05",
    )
    two("note", MI7, "on set today")
    events = two.json("show", MI7)["events"]
    # The stunt, dated only "2020", is known from the year's last day.
    assert [(e["date"], e["kind"]) for e in events] == [("2020-10-15", "news")]
    year_end = two.json("--today", "2020-12-31", "show", MI7)["events"]
    assert [(e["date"], e["kind"]) for e in year_end] == [("2020-10-15", "news"), ("2020", "stunt")]
    later = two.json("--today", "2021-06-01", "show", MI7)["events"]
    assert later[0]["kind"] == "trailer"


def test_bad_notes_are_refused(two: Run) -> None:
    error = two.error("note", MI7, "x", "--kind", "teazer")
    assert "did you mean teaser" in error
    assert "unknown note kind 'retitle'" in two.error("note", MI7, "x", "--kind", "retitle")
    assert "needs a date" in two.error("note", MI7, "x", "--on", "TBA")
    assert "cannot be empty" in two.error("note", MI7, " ")
    assert two.json("show", MI7)["events"] == []


def test_retitle_renames_keeps_the_old_title_and_records_the_event(two: Run) -> None:
    out = two("retitle", MI8, "Mission: Impossible – The Final Reckoning", "--on", "2020-10-01",
              "--source", "https://example.com/retitle").stdout  # fmt: skip
    assert "→ Mission: Impossible – The Final Reckoning" in out
    shown = two.json("show", "Mission: Impossible 8")
    assert shown["title"] == "Mission: Impossible – The Final Reckoning"
    assert [title["title"] for title in shown["titles"]][0] == "Mission: Impossible 8"
    assert shown["aliases"] == []  # the old title is in the history, with its day
    (fact,) = two.json("timeline", "--kind", "retitle")
    assert (fact["date"], fact["kind"], fact["film_id"], fact["source"]) == (
        "2020-10-01", "retitle", 2, "https://example.com/retitle",
    )  # fmt: skip
    assert "Mission: Impossible 8" in fact["text"]


def test_a_retitle_extends_the_title_history_the_digest_reads(two: Run) -> None:
    from tracker.store import open_store

    two("retitle", MI8, "The Final Reckoning", "--on", "2020-09-01")
    store = open_store()
    rows = store.rows("SELECT title, on_date, on_start FROM titles WHERE film_id = 2 ORDER BY id")
    store.close()
    assert [tuple(row) for row in rows] == [
        (MI8, None, None),  # the first title holds for every day before a retitle
        ("The Final Reckoning", "2020-09-01", "2020-09-01"),
    ]
    (change,) = [c for c in two.json("changes", "--since", "2020-09-01") if c["kind"] == "retitle"]
    assert (change["old"], change["new"]) == (MI8, "The Final Reckoning")


def test_bad_retitles_are_refused(two: Run, db_bytes: DbFile) -> None:
    before = db_bytes()
    assert "already has that title" in two.error("retitle", MI7, MI7)
    assert "after today" in two.error("retitle", MI7, "New", "--on", "2021")
    assert "already tracked" in two.error("retitle", MI7, MI8)
    assert db_bytes() == before


# --- sources and show -----------------------------------------------------------------


def test_sources_list_what_each_backs(two: Run) -> None:
    url = "https://example.com/norway"
    two("status", MI7, "filming", "--on", "2020-10", "--source", url)
    two("release", MI7, "2021-11-19", "-c", "US", "--source", url)
    two("shoot", "add", MI7, "Stranda", "-c", "NO", "--to", "2020-10", "--source", url)
    two("note", MI7, "ramp", "--kind", "stunt", "--on", "2020", "--source", "https://b.example")
    two(
        "--today",
        "2021-03-01",
        "note",
        MI7,
        "later",
        "--on",
        "2021",
        "--source",
        "https://later.example",
    )
    two("source", url, "--title", "MI wraps in Norway", "--publisher", "Example News")
    assert [row["url"] for row in two.json("sources", MI7)] == [url]  # the rest: later
    rows = two.json("--today", "2021-01-01", "sources", MI7)
    assert [row["url"] for row in rows] == [url, "https://b.example"]
    assert rows[0]["title"] == "MI wraps in Norway"
    assert rows[0]["publisher"] == "Example News"
    assert rows[0]["backs"] == [
        "status filming (Oct 2020)",
        "release theatrical (US) Fri 19 Nov 2021 (announced Thu 15 Oct 2020)",
        "shoot Stranda (NO)",
    ]
    assert rows[1]["backs"] == ["stunt (2020)"]
    two("source", url, "--publisher", "Other")
    assert two.json("--today", "2021-01-01", "sources", MI7)[0]["title"] == "MI wraps in Norway"
    assert two("sources", MI8).stdout.strip() == "No sources recorded."


def test_sources_list_the_sources_of_titles_known_on_the_day(two: Run) -> None:
    url = "https://example.com/mi9-title"
    two("retitle", MI8, "The Eighth", "--on", "2020-10", "--source", url)  # known from 31 Oct
    assert two("sources", "The Eighth").stdout.strip() == "No sources recorded."
    rows = two.json("--today", "2020-11-01", "sources", "The Eighth")
    assert [(row["url"], row["backs"]) for row in rows] == [(url, ["title The Eighth (Oct 2020)"])]
    two("--today", "2020-11-02", "retitle", MI8, "The Eighth Part", "--source", "https://b.example")
    rows = two.json("--today", "2020-11-02", "sources", MI8)
    assert [(row["url"], row["backs"]) for row in rows] == [
        (url, ["title The Eighth (Oct 2020)"]),
        ("https://b.example", ["title The Eighth Part (Mon 2 Nov 2020)"]),
    ]
    assert two.json("--today", "2020-11-01", "show", MI8)["titles"] == [
        {"title": MI8, "from": None, "precision": None, "source": None},
        {"title": "The Eighth", "from": "2020-10", "precision": "month", "source": url},
    ]


def test_show_gains_shoots_credits_events_and_date_moves(demo: Run) -> None:
    shown = demo.json("show", MI7)
    assert shown["date_moves"] == 1  # 23 Jul 2021 -> 19 Nov 2021 ("2021" -> 23 Jul was refined)
    # As of 15 Oct 2020: Venice's 2020-10 shoot counts from 31 Oct.
    assert [s["place"] for s in shown["shoots"]] == [
        "Venice",
        "Leavesden",
        "Åndalsnes",
        "Helsetkopen",
        "Rome",
    ]
    assert ("Tom Cruise", "cast") in [(c["name"], c["role"]) for c in shown["credits"]]
    assert [e["kind"] for e in shown["events"]] == ["stunt", "stunt"]
    assert demo.json("--today", "2026-01-01", "show", MI7)["date_moves"] == 5
    table = demo("show", MI7).stdout
    assert "shoots:" in table and "credits:" in table and "events:" in table


def test_undo_of_describing_a_described_source_restores_it(run: Run, isolated: Path) -> None:
    def sources() -> list[tuple[str, str | None, str | None]]:
        with closing(sqlite3.connect(isolated)) as conn:
            return conn.execute("SELECT url, title, publisher FROM sources").fetchall()

    url = "https://example.com/x"
    run("source", url, "--title", "Ex", "--publisher", "Pub")
    described = sources()
    run("source", url, "--title", "T2", "--publisher", "P2")
    assert sources() == [(url, "T2", "P2")]
    run("undo")  # the row was deleted: REPLACE's delete left nothing in the undo log
    assert sources() == described == [(url, "Ex", "Pub")]
    run("undo")  # redo
    assert sources() == [(url, "T2", "P2")]


def test_shoot_edit_with_nothing_to_change_is_refused_and_keeps_undo(
    two: Run, db_bytes: DbFile
) -> None:
    """A bare `shoot edit ID` took the one undo slot from the change before (audit 2, item 10)."""
    two("shoot", "add", MI7, "Lyon", "-c", "FR", "--from", "2020-01", "--note", "hi")
    two("status", MI7, "wrapped")
    before = db_bytes()
    line = two.error("shoot", "edit", "#1")
    assert line == (
        "Error: nothing to change: give at least one of --place, --region, --country, --from,"
        " --to, --also, --note, --source, --announced"
    )
    assert db_bytes() == before
    same = two("shoot", "edit", "#1", "--place", "Lyon", "-c", "FR", "--from", "2020-01",
               "--note", "hi", "--also", MI7)  # fmt: skip
    assert same.stdout.strip() == "Nothing changed: shoot #1: Lyon (FR)"
    assert two("undo").stdout.startswith(f'Undid: status "{MI7}" wrapped')
    assert two("shoot", "edit", "#1", "--note", "").stdout.startswith("Updated shoot #1")
