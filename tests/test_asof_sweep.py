"""The promise every listing keeps: as of a day it shows nothing that was not known by then.

One film is followed from 2019; from July 2020 on, every kind of fact about it changes
(title, release date, status, shoot, note, source, viewing), and a second film is first
heard of, as is a third whose retitle and note are dated before anyone knew of it. Every
reading command, asked as of June 2020, must show none of it; asked as of 2021, the same
commands must show it (so the sweep cannot pass by showing nothing). A fourth film, filmed
before it was first heard of, keeps its shoots hidden until then.
"""

from __future__ import annotations

import pytest

from tests.conftest import Run

BEFORE, AFTER = "2020-06-01", "2021-01-01"
# Words and days that only facts known from July 2020 hold.
LATER = ("zqnew", "zqlater", "zqplace", "zqnews", "zqsource", "2023-03-03", "2022-02-02",
         "post-production", "zqearly", "zqrenamed", "zqsecret", "zqhidden")  # fmt: skip


@pytest.fixture
def followed(run: Run) -> Run:
    at = ("--today", "2020-08-01")
    run(*at, "add", "Known Film", "--on", "2019-01-01", "--release", "2021-05-01",
        "--country", "US", "--announced", "2019-01-01")  # fmt: skip
    run(*at, "status", "#1", "filming", "--on", "2019-05-01")
    run(*at, "shoot", "add", "#1", "Oldtown", "--country", "NO", "--from", "2019-05-01",
        "--to", "2021-12-31")  # fmt: skip
    run(*at, "credit", "add", "#1", "Ann Director", "--role", "director")
    run(*at, "watch", "#1")
    run(*at, "seen", "#1", "--on", "2019-06-01")
    # Known from July 2020 on.
    run(*at, "retitle", "#1", "Zqnew Title", "--on", "2020-07-01")
    run(*at, "release", "#1", "2023-03-03", "--country", "US", "--announced", "2020-07-01",
        "--source", "https://zqsource.example/move")  # fmt: skip
    run(*at, "release", "#1", "2022-02-02", "--country", "FR", "--announced", "2020-07-02")
    run(*at, "status", "#1", "post-production", "--on", "2020-07-01")
    run(*at, "shoot", "add", "#1", "Zqplace", "--country", "NO", "--from", "2020-07-01",
        "--to", "2021-12-31")  # fmt: skip
    run(*at, "note", "#1", "Zqnews of the shoot", "--on", "2020-07-03")
    run(*at, "seen", "#1", "--on", "2020-07-04")
    run(*at, "add", "Zqlater Film", "--on", "2020-07-05", "--release", "2021-05-02",
        "--country", "US", "--announced", "2020-07-05")  # fmt: skip
    # On the list since May 2020, before anyone knew of it: hidden until then all the same.
    run("--today", "2020-05-01", "watch", "Zqlater Film")
    # Seen in May 2020 too (a preview): the diary waits for the film as the list does.
    run(*at, "seen", "Zqlater Film", "--on", "2020-05-03")
    # First heard of in July 2020, but retitled (and in the news) in May by its record: its
    # retitle and note wait until the film is known (`changes` and `timeline` as `list`).
    run(*at, "add", "Zqearly Film", "--on", "2020-07-06")
    run(*at, "retitle", "Zqearly Film", "Zqrenamed", "--on", "2020-05-01")
    run(*at, "note", "Zqrenamed", "news of the film", "--on", "2020-05-02")
    # Filmed in secret from May 2020, at a place of its own and back to back with the first
    # film, but first heard of in July: its shoots, and its name on the shared one, wait too.
    run(*at, "add", "Zqsecret Film", "--on", "2020-07-07", "--release", "2021-09-09",
        "--country", "US", "--announced", "2020-07-07")  # fmt: skip
    run(*at, "shoot", "add", "Zqsecret Film", "Zqhidden", "--country", "NO", "--from",
        "2020-05-01", "--to", "2021-06-30")  # fmt: skip
    run(*at, "shoot", "add", "#1", "Sharedtown", "--country", "NO", "--from", "2020-05-01",
        "--to", "2021-06-30", "--also", "Zqsecret Film")  # fmt: skip
    return run


READERS = [
    ("list",),
    ("show", "#1"),
    ("search", "film"),
    ("search", "zqplace"),  # a shoot's place
    ("search", "zqnews"),  # a note
    ("upcoming",),
    ("countdown", "#1"),
    ("history", "#1"),
    ("statuses", "#1"),
    ("sources", "#1"),
    ("timeline",),
    ("timeline", "#1"),
    ("delays",),
    ("filming",),
    ("clashes", "--days", "400"),
    ("changes", "--since", "2019-01-01"),
    ("shoot", "list"),
    ("shoot", "list", "--now"),
    ("person", "Ann Director"),
    ("watchlist", "show", "watchlist"),
    ("countdown", "--watchlist", "watchlist"),
    ("upcoming", "--watchlist", "watchlist"),
    ("diary",),
]


def test_no_reader_shows_what_was_not_yet_known(followed: Run) -> None:
    leaks = {}
    for reader in READERS:
        then = followed("--today", BEFORE, *reader, "--format", "json").stdout.lower()
        leaks[" ".join(reader)] = [word for word in LATER if word in then]
    assert {reader: words for reader, words in leaks.items() if words} == {}


def test_the_same_readers_show_it_once_known(followed: Run) -> None:
    seen = " ".join(
        followed("--today", AFTER, *reader, "--format", "json").stdout.lower() for reader in READERS
    )
    assert [word for word in LATER if word not in seen] == []


def test_the_chart_draws_only_films_known_by_the_day(followed: Run) -> None:
    def drawn(day: str) -> str:  # the legend names every phase, so it is left out
        lines = followed("--today", day, "timeline", "--chart").stdout.lower().splitlines()
        return "\n".join(line for line in lines if not line.startswith("- development"))

    then, later = drawn(BEFORE), drawn(AFTER)
    assert "known film" in then and [word for word in LATER if word in then] == []
    assert "zqlater film" in later and "zqsecret film" in later


def test_films_are_listed_in_the_order_of_their_titles_of_the_day(run: Run) -> None:
    at = ("--today", "2020-08-01")
    run(*at, "add", "Beta", "--on", "2019-01-01")
    run(*at, "add", "Gamma", "--on", "2019-01-01")
    run(*at, "retitle", "Gamma", "Alpha", "--on", "2020-07-01")

    def titles(day: str) -> list[str]:
        return [film["title"] for film in run.json("--today", day, "list")]

    assert titles(BEFORE) == ["Beta", "Gamma"]  # not ordered by the later title, Alpha
    assert titles(AFTER) == ["Alpha", "Beta"]


def test_films_are_ordered_by_their_years_of_the_day(run: Run) -> None:
    """The stored year is the one a film came out in: before a date in it was known, list
    and person order the film as one of no year, not by the year to come."""
    at = ("--today", "2020-08-01")
    run(*at, "add", "Alpha", "--year", "2021", "--on", "2019-01-01", "--release",
        "2020-12-01", "--country", "US", "--announced", "2019-01-01")  # fmt: skip
    run(*at, "release", "Alpha", "2021-03-03", "--country", "US", "--announced", "2020-07-01")
    run(*at, "add", "Beta", "--year", "2022", "--on", "2019-01-01", "--release",
        "2022-05-05", "--country", "US", "--announced", "2019-01-01")  # fmt: skip
    for film in ("Alpha", "Beta"):
        run(*at, "credit", "add", film, "Ann Director", "--role", "director")

    def order(day: str) -> list[tuple[str, str]]:
        listed = [film["title"] for film in run.json("--today", day, "list")]
        person = run.json("--today", day, "person", "Ann Director")["films"]
        return [(title, film["title"]) for title, film in zip(listed, person, strict=True)]

    assert order(BEFORE) == [("Beta", "Beta"), ("Alpha", "Alpha")]
    assert order(AFTER) == [("Alpha", "Alpha"), ("Beta", "Beta")]


def test_the_calendar_holds_only_dates_known_by_the_day(followed: Run) -> None:
    then = followed("--today", BEFORE, "export", "ics").stdout.lower()
    later = followed("--today", AFTER, "export", "ics").stdout.lower()
    assert "20210501" in then and "20230303" not in then and "zqnew" not in then
    assert "20230303" in later and "zqnew" in later


def test_a_shoot_shared_with_a_film_not_yet_known_names_only_the_known_one(
    followed: Run,
) -> None:
    def films_at(day: str) -> list[list[str]]:
        rows = followed.json("--today", day, "shoot", "list", "--now")
        return [row["films"] for row in rows if row["place"] == "Sharedtown"]

    assert films_at(BEFORE) == [["Known Film"]]
    assert films_at(AFTER) == [["Zqnew Title", "Zqsecret Film"]]
