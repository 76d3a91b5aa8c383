"""Release announcements, upcoming, countdown and history through the CLI."""

from __future__ import annotations

import csv
import io

import pytest

from tests.conftest import DbFile, Run

UPCOMING_KEYS = {
    "id", "title", "year", "franchise", "instalment", "status",
    "date", "precision", "country", "type", "days",
}  # fmt: skip


def test_release_says_what_moved(run: Run) -> None:
    run("add", "MI7")
    run("release", "MI7", "2021-11-19", "--country", "US", "--announced", "2020-04")
    out = run("release", "MI7", "2022-05-27", "--country", "US").stdout
    assert "moved from Fri 19 Nov 2021 to Fri 27 May 2022 (+189 days)" in out
    assert "theatrical (US)" in out


def test_first_release_says_it_was_set(run: Run) -> None:
    run("add", "MI7")
    assert "set to Fri 23 Jul 2021" in run("release", "MI7", "July 23, 2021").stdout


def test_a_backdated_announcement_does_not_replace_a_later_one(run: Run) -> None:
    run("add", "F")
    run("release", "F", "2022-01-01", "--announced", "2020-06-01")
    out = run("release", "F", "2021-06-01", "--announced", "2019-01-01").stdout
    assert "still stands" in out
    assert run.json("show", "F")["releases"][0]["date"] == "2022-01-01"


def test_an_announcement_after_today_is_refused(run: Run) -> None:
    run("add", "F")
    assert "after today" in run.error("release", "F", "2030", "--announced", "2021-01-01")
    assert run.json("history", "F") == []


def test_a_day_that_happened_cannot_be_tba(run: Run, db_bytes: DbFile) -> None:
    """Found by the fuzz test: an announcement or a retitle on TBA was a traceback (an
    assertion deep in the as-of code); it is one Error line, and nothing changes."""
    run("add", "F")
    before = db_bytes()
    assert run.error("release", "F", "2030", "--announced", "TBA") == (
        "Error: announced needs a date, not TBA"
    )
    assert run.error("retitle", "F", "G", "--on", "tba") == "Error: retitled needs a date, not TBA"
    assert db_bytes() == before


def test_history_of_mission_impossible_7_shows_every_announcement(demo: Run) -> None:
    every = demo.json("--today", "2026-01-01", "history", "Mission: Impossible 7")
    assert [(h["country"], h["type"]) for h in every if h["country"] != "US"] == [
        ("IT", "premiere"),
        ("GB", "theatrical"),
    ]
    history = [h for h in every if h["country"] == "US"]
    assert [h["date"] for h in history] == [
        "2021", "2021-07-23", "2021-11-19", "2021-11-19", "2022-05-27", "2022-09-30",
        "2023-07-14", "2023-07-12",
    ]  # fmt: skip
    assert [h["shift_days"] for h in history] == [None, None, 119, None, 189, 126, 287, -2]
    assert [h["change"] for h in history] == [
        "first", "refined", "moved", "confirmed", "moved", "moved", "moved", "moved",
    ]  # fmt: skip
    assert [h["previous"] for h in history][:3] == [None, "2021", "2021-07-23"]
    assert [h["announced"] for h in history] == [
        "2019-01-14", "2019-02-01", "2020-04-24", "2020-10", "2021-04-09", "2021-09-01",
        "2022-01-21", "2023-04-27",
    ]  # fmt: skip
    assert set(history[0]) == {
        "id", "country", "type", "date", "precision", "previous", "change", "shift_days",
        "announced", "source", "note",
    }  # fmt: skip


def test_history_as_of_a_day_hides_later_announcements(demo: Run) -> None:
    history = demo.json("history", "Mission: Impossible 7")  # today 2020-10-15
    assert [h["date"] for h in history] == ["2021", "2021-07-23", "2021-11-19"]
    # The seed article's "2020-10" restatement counts from 31 Oct 2020.
    later = demo.json("--today", "2020-10-31", "history", "Mission: Impossible 7")
    assert [h["change"] for h in later][-1] == "confirmed"


def test_upcoming_as_of_the_article_day(demo: Run) -> None:
    rows = demo.json("upcoming")
    assert [(r["id"], r["date"], r["precision"], r["country"], r["days"]) for r in rows] == [
        (7, "2021-11-19", "day", "US", 400),
        (8, "2022-11-04", "day", "US", 750),
    ]
    assert set(rows[0]) == UPCOMING_KEYS
    assert rows[0]["status"] == "filming"


def test_upcoming_follows_the_moves_as_of_each_day(demo: Run) -> None:
    assert [r["date"] for r in demo.json("--today", "2019-06-01", "upcoming")] == [
        "2021-07-23",
        "2022-08-05",
    ]
    assert [r["date"] for r in demo.json("--today", "2021-12-01", "upcoming")] == [
        "2022-09-30",
        "2023-07-07",
    ]
    assert [r["date"] for r in demo.json("--today", "2024-01-01", "upcoming")] == ["2025-05-23"]
    assert demo.json("--today", "2026-01-01", "upcoming") == []


def test_upcoming_filters(demo: Run) -> None:
    run = demo
    run("add", "World", "--release", "2021-03")
    assert [r["title"] for r in run.json("upcoming", "--days", "450")] == [
        "World",
        "Mission: Impossible 7",  # its title on 15 Oct 2020
    ]
    assert [r["id"] for r in run.json("upcoming", "--limit", "1")] == [9]
    assert [r["id"] for r in run.json("upcoming", "--franchise", "Mission: Impossible")] == [7, 8]
    assert run.json("upcoming", "--type", "digital") == []


def test_upcoming_by_country_falls_back_to_the_worldwide_date(run: Run) -> None:
    run("add", "A", "--release", "2021-05-01")
    run("release", "A", "2021-04-01", "--country", "GB")
    run("add", "B", "--release", "2021-06-01")
    gb = run.json("upcoming", "--country", "gb")
    assert [(r["title"], r["country"], r["date"]) for r in gb] == [
        ("A", "GB", "2021-04-01"),
        ("B", None, "2021-06-01"),
    ]
    fr = run.json("upcoming", "--country", "France")
    assert [(r["title"], r["country"]) for r in fr] == [("A", None), ("B", None)]


def test_coarse_dates_stay_upcoming_until_their_window_passes(run: Run) -> None:
    run("add", "Month", "--release", "2020-10")
    run("add", "Quarter", "--release", "Q1 2021")
    run("add", "Year", "--release", "2020")
    rows = run.json("upcoming")
    assert [(r["title"], r["date"], r["precision"], r["days"]) for r in rows] == [
        ("Year", "2020", "year", 0),
        ("Month", "2020-10", "month", 0),
        ("Quarter", "2021-Q1", "quarter", 78),
    ]
    assert [r["title"] for r in run.json("--today", "2021-01-01", "upcoming")] == ["Quarter"]


def test_tba_dates_only_with_tba_and_last(run: Run) -> None:
    run("add", "Someday", "--release", "TBA")
    run("add", "Soon", "--release", "2021")
    assert [r["title"] for r in run.json("upcoming")] == ["Soon"]
    rows = run.json("upcoming", "--tba")
    assert [(r["title"], r["date"], r["precision"], r["days"]) for r in rows] == [
        ("Soon", "2021", "year", 78),
        ("Someday", None, "unknown", None),
    ]
    assert "TBA" in run("upcoming", "--tba").stdout


def test_one_row_per_film_with_its_earliest_release(run: Run) -> None:
    run("add", "A", "--release", "2021-06-01", "--country", "US")
    run("release", "A", "2021-05-01", "--country", "US", "--type", "premiere")
    rows = run.json("upcoming")
    assert [(r["type"], r["date"]) for r in rows] == [("premiere", "2021-05-01")]


def test_countdown_line_and_json(demo: Run) -> None:
    line = demo("countdown", "Mission: Impossible 7").stdout.strip()
    assert line == (
        "Mission: Impossible 7 · theatrical (US) · Fri 19 Nov 2021"
        " · in 400 days (1 year, 1 month, 4 days)"
    )
    data = demo.json("countdown", "Mission: Impossible 7", "--country", "US")
    assert data == {
        "id": 7,
        "title": "Mission: Impossible 7",
        "date": "2021-11-19",
        "precision": "day",
        "country": "US",
        "type": "theatrical",
        "days": 400,
        "human": "in 400 days (1 year, 1 month, 4 days)",
        "status": "filming",
    }


def test_countdown_to_a_past_release_counts_back(demo: Run) -> None:
    data = demo.json("--today", "2026-11-24", "countdown", "#1")
    assert data["days"] < 0 and data["human"].endswith("ago (30 years, 6 months, 2 days)")


def test_countdown_prefers_the_next_release_over_a_past_one(demo: Run) -> None:
    # The wide date is known from its own day (when it was announced is not known).
    data = demo.json("--today", "2011-12-21", "countdown", "Ghost Protocol")
    assert (data["type"], data["date"], data["days"]) == ("theatrical", "2011-12-21", 0)
    limited = demo.json("--today", "2011-12-21", "countdown", "Ghost Protocol", "-t", "limited")
    assert limited["days"] == -5


def test_countdown_without_a_date_is_an_error(run: Run) -> None:
    run("add", "Someday", "--release", "TBA")
    assert "no release date" in run.error("countdown", "Someday")


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_delimited_output_has_a_header_and_iso_dates(demo: Run, fmt: str) -> None:
    out = demo("upcoming", "--format", fmt).stdout
    rows = list(csv.DictReader(io.StringIO(out), delimiter="," if fmt == "csv" else "\t"))
    assert rows[0]["date"] == "2021-11-19" and rows[0]["title"].startswith("Mission")
    assert list(rows[0]) == sorted(UPCOMING_KEYS, key=list(rows[0]).index)


def test_empty_results_are_an_empty_json_list_and_a_header_only_csv(run: Run) -> None:
    assert run.json("upcoming") == []
    assert run("upcoming", "--format", "csv").stdout.strip().startswith("id,title")
    assert "Nothing upcoming" in run("upcoming").stdout


def test_tablefmt_passes_a_tabulate_style(demo: Run) -> None:
    out = demo("upcoming", "--tablefmt", "github").stdout
    assert out.splitlines()[0].startswith("| id")


def test_tables_align_wide_characters(run: Run) -> None:
    run("add", "千と千尋の神隠し", "--release", "2021-01-01")
    run("add", "Up", "--release", "2021-02-01")
    from wcwidth import wcswidth

    rows = run("upcoming").stdout.splitlines()[2:]
    # The date column starts at the same screen column on both rows.
    assert len({wcswidth(line[: line.index("2021")]) for line in rows}) == 1
