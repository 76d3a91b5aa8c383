"""The demo dataset (data/demo.json, written by scripts/demo_facts.py) against the facts file it
is built from: the CLI must answer each day as it was known then."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from tests.conftest import DEMO, Run

ROOT = DEMO.parent.parent
SEED = (
    "https://www.news18.com/news/movies/"
    "tom-cruise-films-mission-impossible-stunt-scene-on-top-of-moving-train-2934837.html"
)
MI7 = "Mission: Impossible 7"
MI8 = "Mission: Impossible 8"


def exported(demo: Run) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(demo("export", "json").stdout)
    return document


def test_the_file_is_what_the_script_writes() -> None:
    written = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "demo_facts.py")],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    ).stdout
    assert written == DEMO.read_text(encoding="utf-8")


def test_the_eight_films_in_order(demo: Run) -> None:
    films = demo.json("--today", "2026-01-01", "list")
    assert [(film["id"], film["instalment"], film["year"]) for film in films] == [
        (1, 1, 1996), (2, 2, 2000), (3, 3, 2006), (4, 4, 2011), (5, 5, 2015), (6, 6, 2018),
        (7, 7, 2023), (8, 8, 2025),
    ]  # fmt: skip


def test_a_year_shows_once_a_date_in_it_was_announced_or_it_is_over(demo: Run) -> None:
    def years(day: str) -> list[int | None]:
        return [film["year"] for film in demo.json("--today", day, "list")][6:]

    # 15 Oct 2020: 7 was due in Nov 2021 and 8 in Nov 2022; both came out later.
    assert years("2020-10-15") == [None, None]
    assert demo.json("--today", "2020-10-15", "show", MI7)["year"] is None
    assert years("2022-02-01") == [2023, None]  # 7 moved to 14 Jul 2023 in Jan 2022
    assert years("2026-01-01") == [2023, 2025]


def test_seven_counts_to_27_may_2022_as_of_july_2021(demo: Run) -> None:
    data = demo.json("--today", "2021-07-01", "countdown", MI7)
    assert (data["id"], data["date"], data["country"], data["days"]) == (7, "2022-05-27", "US", 330)
    line = demo("--today", "2021-07-01", "countdown", MI7).stdout
    assert "Fri 27 May 2022 · in 330 days" in line


def test_eight_counts_to_28_june_2024_on_sevens_release_day(demo: Run) -> None:
    data = demo.json("--today", "2023-07-12", "countdown", MI8)
    assert (data["id"], data["date"], data["country"], data["days"]) == (8, "2024-06-28", "US", 352)
    assert "Fri 28 Jun 2024" in demo("--today", "2023-07-12", "countdown", MI8).stdout


def test_as_of_june_2019_seven_and_eight_have_their_first_titles(demo: Run) -> None:
    assert demo.json("--today", "2019-06-01", "show", "#7")["title"] == MI7
    assert demo("--today", "2019-06-01", "countdown", "#7").stdout == (
        "Mission: Impossible 7 · theatrical (US) · Fri 23 Jul 2021 · in 783 days"
        " (2 years, 1 month, 22 days)\n"
    )
    assert demo("--today", "2019-06-01", "upcoming").stdout == (
        "id    title                  date             country    type        days    status\n"
        "----  ---------------------  ---------------  ---------  ----------  ------  ---------\n"
        "7     Mission: Impossible 7  Fri 23 Jul 2021  US         theatrical  783     announced\n"
        "8     Mission: Impossible 8  Fri 5 Aug 2022   US         theatrical  1161    announced\n"
    )


def test_eight_has_each_of_its_titles_on_its_day(demo: Run) -> None:
    def title(today: str) -> str:
        return str(demo.json("--today", today, "show", "#8")["title"])

    assert title("2022-04-27") == MI8
    assert title("2022-04-28") == "Mission: Impossible – Dead Reckoning Part Two"
    assert title("2023-10-23") == MI8
    assert title("2024-11-11") == "Mission: Impossible – The Final Reckoning"


def test_title_history_of_seven_and_eight(demo: Run) -> None:
    films = exported(demo)["films"]
    titles = {film["id"]: [(t["title"], t["on"]) for t in film["titles"]] for film in films}
    assert titles[7] == [
        (MI7, None),
        ("Mission: Impossible – Dead Reckoning Part One", "2022-04-28"),
    ]
    assert titles[8] == [
        (MI8, None),
        ("Mission: Impossible – Dead Reckoning Part Two", "2022-04-28"),
        (MI8, "2023-10-23"),
        ("Mission: Impossible – The Final Reckoning", "2024-11-11"),
    ]
    # Title changes are title history, not retitle events.
    assert all(event["kind"] != "retitle" for event in exported(demo)["events"])


@pytest.mark.parametrize(
    ("name", "film_id"),
    [
        (MI7, 7),
        ("Mission: Impossible – Dead Reckoning Part One", 7),
        ("Mission: Impossible – Dead Reckoning Part Two", 8),
        ("dead reckoning part two", 8),
        ("Mission: Impossible – The Final Reckoning", 8),
    ],
)
def test_every_title_still_names_its_film(demo: Run, name: str, film_id: int) -> None:
    assert demo.json("show", name)["id"] == film_id


def test_every_fact_carries_a_source(demo: Run) -> None:
    document = exported(demo)
    facts = [
        *(fact for film in document["films"] for key in ("titles", "statuses", "releases")
          for fact in film[key]),
        *document["shoots"],
        *document["events"],
    ]  # fmt: skip
    assert facts and all(fact["source"] for fact in facts)
    described = {source["url"] for source in document["sources"]}
    assert {fact["source"] for fact in facts} <= described


def test_announcements_of_eight_on_their_days(demo: Run) -> None:
    history = demo.json("--today", "2026-01-01", "history", MI8)
    assert [(h["country"], h["type"], h["date"], h["announced"]) for h in history] == [
        ("US", "theatrical", "2022", "2019-01-14"),
        ("US", "theatrical", "2022-08-05", "2019-02-01"),
        ("US", "theatrical", "2022-11-04", "2020-04-24"),
        ("US", "theatrical", "2023-07-07", "2021-04-09"),
        ("US", "theatrical", "2024-06-28", "2022-01-21"),
        ("US", "theatrical", "2025-05-23", "2023-10-23"),
        # Announced at the precision their sources give: a year, a publication month.
        ("JP", "premiere", "2025-05-05", "2025"),
        ("FR", "premiere", "2025-05-14", "2025-04"),
        ("GB", "theatrical", "2025-05-21", "2025-05"),
    ]


def test_premieres_and_gb_dates_of_seven(demo: Run) -> None:
    history = demo.json("--today", "2026-01-01", "history", MI7)
    others = [(h["country"], h["type"], h["date"], h["announced"], h["note"]) for h in history
              if h["country"] != "US"]  # fmt: skip
    assert others == [
        ("IT", "premiere", "2023-06-19", "2023", "Rome"),
        ("GB", "theatrical", "2023-07-10", "2023-06", None),
    ]


def test_the_seed_article_and_its_correction(demo: Run) -> None:
    # The back-to-back claim as the article made it, then the plan dropped, each sourced.
    statuses = [
        s for s in exported(demo)["films"][7]["statuses"] if s["on"] in ("2020-10", "2021-02")
    ]
    assert [(s["status"], s["on"], s["source"] == SEED) for s in statuses] == [
        ("filming", "2020-10", True),
        ("announced", "2021-02", False),
    ]
    assert demo.json("--today", "2020-11-01", "show", MI8)["status"] == "filming"
    assert demo.json("--today", "2021-03-01", "show", MI8)["status"] == "announced"
    # The article's release date for 7 is kept as its own announcement.
    article = [h for h in demo.json("--today", "2020-11-01", "history", MI7) if h["source"] == SEED]
    assert [(h["date"], h["announced"]) for h in article] == [("2021-11-19", "2020-10")]


def test_norway_stunts_and_shoots_of_seven(demo: Run) -> None:
    notes = demo.json("timeline", MI7, "--kind", "note", "--from", "2020-09", "--to", "2020-09")
    assert [(row["date"], row["text"]) for row in notes] == [
        ("2020-09-05", "stunt: train-fight rehearsal at Åndalsnes (Rauma)"),
        ("2020-09-06", "stunt: Day 1 of the Norway shoot: the motorbike ramp jump at Helsetkopen"
                       " (Stranda)"),
    ]  # fmt: skip
    shoots = demo.json("--today", "2022-01-01", "show", MI7)["shoots"]
    places = [(s["place"], s["country"], s["start"], s["end"]) for s in shoots]
    assert ("Helsetkopen", "NO", "2020-09-06", "2020-10-04") in places
    assert ("Abu Dhabi", "AE", "2021-01-21", "2021-02-14") in places
    assert ("Birmingham New Street station", "GB", "2021-08", "2021-08") in places


def test_production_of_eight(demo: Run) -> None:
    def status(today: str) -> str:
        return str(demo.json("--today", today, "show", MI8)["status"])

    assert [status(day) for day in ("2022-04-01", "2023-08-01", "2024-04-01", "2024-12-01")] == [
        "filming", "paused", "filming", "wrapped",
    ]  # fmt: skip
    credits = demo.json("show", MI8)["credits"]
    assert ("Hayley Atwell", "cast") in [(c["name"], c["role"]) for c in credits]


def test_the_seed_article_is_known_from_the_end_of_its_month(demo: Run) -> None:
    # Published "2020-10": on 15 Oct 2020 it may not have been out yet.
    assert demo.json("--today", "2020-10-15", "show", MI8)["status"] == "announced"
    assert demo.json("--today", "2020-10-31", "show", MI8)["status"] == "filming"
