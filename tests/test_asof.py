"""The as-of rules (tracker.asof), through the CLI and the library: a fact counts from the last
day of its window, titles of the day, refinements are not moves, countdowns to windows."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import Run
from tracker import asof
from tracker.dates import FuzzyDate, classify_change, countdown, move_days, parse_date
from tracker.domain import films, releases
from tracker.store import Store

TODAY = datetime.date(2020, 10, 15)


# --- known from the last day of a window --------------------------------------------------


def test_an_announcement_dated_to_a_month_counts_from_its_last_day(run: Run) -> None:
    run("add", "Dune", "--on", "2020-01-01")
    run("release", "Dune", "2021-12-17", "-c", "US", "--announced", "2020-01-10")
    run("release", "Dune", "2022-03-04", "-c", "US", "--announced", "2020-09")
    assert run.json("--today", "2020-09-29", "countdown", "Dune")["date"] == "2021-12-17"
    assert run.json("--today", "2020-09-30", "countdown", "Dune")["date"] == "2022-03-04"
    dates = [entry["date"] for entry in run.json("--today", "2020-09-29", "history", "Dune")]
    assert dates == ["2021-12-17"]


def test_a_fact_announced_this_year_says_when_it_will_count(run: Run) -> None:
    run("add", "Dune")
    out = run("release", "Dune", "2021", "--announced", "2020").stdout
    assert "counts from Thu 31 Dec 2020, the end of 2020" in out
    assert "has no release date yet" in run.error("countdown", "Dune")


def test_every_fact_dated_to_a_window_still_open_says_when_it_will_count(run: Run) -> None:
    """A status, note, retitle or shoot dated "Oct 2020" on 15 Oct 2020 is stored but not
    shown until the 31st: the command says so (a shoot's aside on stderr, the id alone on
    stdout for scripts)."""
    run("add", "Dune", "--on", "2020-01")
    waits = "; counts from Sat 31 Oct 2020, the end of Oct 2020"
    assert run("status", "Dune", "filming", "--on", "2020-10").stdout.endswith(waits + "\n")
    assert run("note", "Dune", "teaser", "--on", "2020-10").stdout.endswith(waits + "\n")
    assert run("retitle", "Dune", "Dune: Part One", "--on", "2020-10").stdout.endswith(waits + "\n")
    shot = run("shoot", "add", "Dune", "Budapest", "-c", "HU", "--from", "2020-10")
    assert shot.stdout == "#1\n"
    assert shot.stderr == "Note: shoot #1 counts from Sat 31 Oct 2020, the end of Oct 2020\n"
    # A day already passed, or the window closed: nothing to add.
    assert run("status", "Dune", "wrapped", "--on", "2020-10-14").stdout == (
        "Dune: wrapped from Wed 14 Oct 2020\n"
    )
    assert run("shoot", "add", "Dune", "Jordan", "-c", "JO", "--from", "2020-09").stderr == ""


def test_a_film_first_heard_of_in_a_month_still_open_says_when_it_will_be_listed(
    run: Run,
) -> None:
    added = run("add", "Dune", "--on", "2020-10")  # on 15 Oct 2020
    assert (added.stdout, added.stderr) == (
        "#1\n",
        "Note: #1 counts as known from Sat 31 Oct 2020\n",
    )
    assert run.json("list") == []
    assert [film["title"] for film in run.json("--today", "2020-10-31", "list")] == ["Dune"]
    assert run("add", "Arrival", "--on", "2020-10-14").stderr == ""  # known at once


def test_statuses_events_and_titles_follow_the_same_rule(run: Run) -> None:
    run("add", "Dune", "--status", "announced", "--on", "2019-01-01")
    run("status", "Dune", "filming", "--on", "2020-03")
    run("note", "Dune", "first look", "--kind", "teaser", "--on", "2020-Q2")
    run("retitle", "Dune", "Dune: Part One", "--on", "2020")
    march = run.json("--today", "2020-03-30", "show", "Dune")
    assert (march["status"], march["title"], march["events"]) == ("announced", "Dune", [])
    april = run.json("--today", "2020-04-01", "show", "Dune")
    assert (april["status"], april["title"], april["events"]) == ("filming", "Dune", [])
    july = run.json("--today", "2020-07-01", "show", "Dune")
    assert [event["kind"] for event in july["events"]] == ["teaser"]
    assert july["title"] == "Dune"
    assert run.json("--today", "2020-12-31", "show", "Dune")["title"] == "Dune: Part One"


# --- titles of the day ----------------------------------------------------------------------


@pytest.fixture
def retitled(run: Run) -> Run:
    run("add", "Mission: Impossible 8", "--on", "2019-01-14", "--release", "2022-08-05",
        "--country", "US", "--announced", "2019-02-01")  # fmt: skip
    run("--today", "2022-05-01", "retitle", "Mission: Impossible 8",
        "Mission: Impossible – Dead Reckoning Part Two", "--on", "2022-04-28")  # fmt: skip
    run("--today", "2025-01-01", "retitle", "Dead Reckoning Part Two",
        "Mission: Impossible – The Final Reckoning", "--on", "2024-11-11",
        "--source", "https://example.com/final")  # fmt: skip
    return run


def test_every_listing_shows_the_title_of_the_day(retitled: Run) -> None:
    for day, title in [
        ("2019-06-01", "Mission: Impossible 8"),
        ("2022-04-28", "Mission: Impossible – Dead Reckoning Part Two"),
        ("2024-11-11", "Mission: Impossible – The Final Reckoning"),
    ]:
        assert retitled.json("--today", day, "list")[0]["title"] == title
        assert retitled.json("--today", day, "show", "#1")["title"] == title
        assert retitled.json("--today", day, "countdown", "#1")["title"] == title
        assert retitled.json("--today", day, "delays")[0]["title"] == title
    upcoming = retitled.json("--today", "2019-06-01", "upcoming")
    assert [row["title"] for row in upcoming] == ["Mission: Impossible 8"]


def test_the_diary_shows_what_was_seen_by_the_day_under_its_title_of_the_day(
    retitled: Run,
) -> None:
    retitled("--today", "2022-05-01", "seen", "#1", "--on", "2019-06-01", "--rating", "4")
    retitled("--today", "2025-01-01", "seen", "#1", "--on", "2024-12-01")
    then = retitled.json("--today", "2020-01-01", "diary")
    assert [(row["title"], row["seen_on"]) for row in then] == [
        ("Mission: Impossible 8", "2019-06-01")
    ]
    later = retitled.json("--today", "2025-01-01", "diary", "--year", "2019")
    assert [row["title"] for row in later] == ["Mission: Impossible – The Final Reckoning"]
    assert len(retitled.json("--today", "2025-01-01", "diary")) == 2


def test_any_title_the_film_ever_had_names_it(retitled: Run) -> None:
    for name in ("Mission: Impossible 8", "Dead Reckoning Part Two", "The Final Reckoning"):
        assert retitled.json("--today", "2019-06-01", "show", name)["id"] == 1


def test_show_lists_the_titles_known_on_the_day(retitled: Run) -> None:
    titles = retitled.json("--today", "2025-01-01", "show", "#1")["titles"]
    assert titles == [
        {"title": "Mission: Impossible 8", "from": None, "precision": None, "source": None},
        {
            "title": "Mission: Impossible – Dead Reckoning Part Two",
            "from": "2022-04-28",
            "precision": "day",
            "source": None,
        },
        {
            "title": "Mission: Impossible – The Final Reckoning",
            "from": "2024-11-11",
            "precision": "day",
            "source": "https://example.com/final",
        },
    ]
    assert len(retitled.json("--today", "2023-01-01", "show", "#1")["titles"]) == 2


def test_retitles_are_in_the_timeline_and_the_digest(retitled: Run) -> None:
    facts = retitled.json("--today", "2025-01-01", "timeline", "#1", "--kind", "retitle")
    assert [fact["date"] for fact in facts] == ["2022-04-28", "2024-11-11"]
    digest = retitled.json("--today", "2025-01-01", "changes", "--since", "2024-01-01")
    assert [(c["kind"], c["old"], c["new"]) for c in digest] == [
        (
            "retitle",
            "Mission: Impossible – Dead Reckoning Part Two",
            "Mission: Impossible – The Final Reckoning",
        )
    ]


def test_a_retitle_known_before_its_film_is_in_the_digest_of_the_window_it_became_known(
    run: Run,
) -> None:
    """Retitled on 1 Mar, heard of from 10 Jun (its first date announced): the retitle
    waits for the film, then shows in the window holding 10 Jun, under its own day (as in
    `timeline`). Back-to-back weekly windows report it once, in that week."""
    run("add", "Alpha")
    run("retitle", "Alpha", "Beta", "--on", "2020-03-01")
    run("release", "Beta", "2021-05-01", "--country", "US", "--announced", "2020-06-10")
    found: dict[str, list[tuple[str, str, str | None, str]]] = {}
    start = datetime.date(2020, 2, 24)
    while start < datetime.date(2020, 7, 31):
        end = start + datetime.timedelta(days=6)
        digest = run.json("--today", end.isoformat(), "changes", "--since", start.isoformat())
        if digest:
            found[start.isoformat()] = [
                (c["kind"], c["announced"], c["old"], c["new"]) for c in digest
            ]
        start = end + datetime.timedelta(days=1)
    assert found == {
        "2020-06-08": [
            ("release_moved", "2020-06-10", None, "2021-05-01"),
            ("retitle", "2020-03-01", "Alpha", "Beta"),
        ]
    }
    # Not before the film was known, in a window holding the retitle's day.
    assert run.json("--today", "2020-06-09", "changes", "--since", "2020-01-01") == []
    # Once known, a window from before the retitle still holds it once.
    whole = run.json("--today", "2020-06-30", "changes", "--since", "2020-01-01")
    assert [c["kind"] for c in whole] == ["release_moved", "retitle"]


# --- refinements are not moves ---------------------------------------------------------------


def test_a_film_is_known_from_its_first_status_or_first_date_announced(demo: Run) -> None:
    """Mission: Impossible III's date was announced in Sep 2005 (known from the 30th), its
    first status came in 2006: every command agrees it is known from 30 Sep 2005."""

    def seen_by(day: str) -> dict[str, bool]:
        def has_3(*command: str) -> bool:
            return any(row["id"] == 3 for row in demo.json("--today", day, *command))

        person = demo.json("--today", day, "person", "J. J. Abrams")
        return {
            "list": has_3("list"),
            "search": has_3("search", "impossible iii"),
            "upcoming": has_3("upcoming"),
            "person": any(film["id"] == 3 for film in person["films"]),
        }

    assert seen_by("2005-09-29") == dict.fromkeys(["list", "search", "upcoming", "person"], False)
    assert seen_by("2005-09-30") == dict.fromkeys(["list", "search", "upcoming", "person"], True)


def test_a_date_made_exact_is_refined_not_moved(run: Run) -> None:
    run("add", "Avatar 4", "--on", "2020-01-01")
    run("release", "Avatar 4", "Q3 2027", "--announced", "2020-02-01")
    out = run("release", "Avatar 4", "2027-07-04").stdout
    assert out.strip().endswith("refined from Q3 2027 to Sun 4 Jul 2027")
    out = run("release", "Avatar 4", "Q3 2027").stdout
    assert out.strip().endswith("made vaguer: from Sun 4 Jul 2027 to Q3 2027")
    out = run("release", "Avatar 4", "Q3 2027", "--source", "https://example.com/2").stdout
    assert out.strip().endswith("confirmed: Q3 2027")
    out = run("release", "Avatar 4", "TBA").stdout
    assert out.strip().endswith("now TBA (was Q3 2027)")
    history = run.json("history", "Avatar 4")
    assert [(h["change"], h["shift_days"]) for h in history] == [
        ("first", None),
        ("refined", None),
        ("vaguer", None),
        ("confirmed", None),
        ("tba", None),
    ]
    assert run.json("delays")[0]["moves"] == 0
    assert run.json("show", "Avatar 4")["date_moves"] == 0
    digest = run.json("changes", "--since", "2020-01-01")
    moves = [(c["old"], c["new"]) for c in digest if c["kind"] == "release_moved"]
    assert moves == [("2027-Q3", None), (None, "2027-Q3")]  # TBA, then the first date


def test_a_real_move_counts_with_its_shift(run: Run) -> None:
    run("add", "Avatar 4", "--on", "2020-01-01")
    run("release", "Avatar 4", "Q3 2027", "--announced", "2020-02-01")
    out = run("release", "Avatar 4", "2028-12-22").stdout
    assert "moved from Q3 2027 to Fri 22 Dec 2028 (+540 days)" in out
    assert run.json("history", "Avatar 4")[-1]["shift_days"] == 540
    assert run.json("delays")[0]["moves"] == 1


def _fuzzy_dates() -> st.SearchStrategy[FuzzyDate]:
    day = st.dates(datetime.date(2020, 1, 1), datetime.date(2030, 12, 31))
    return st.one_of(
        day.map(lambda d: FuzzyDate("day", d.year, d.month, d.day)),
        day.map(lambda d: FuzzyDate("month", d.year, d.month)),
        day.map(lambda d: FuzzyDate("quarter", d.year, quarter=(d.month - 1) // 3 + 1)),
        day.map(lambda d: FuzzyDate("year", d.year)),
        st.just(FuzzyDate("unknown")),
    )


@given(_fuzzy_dates(), _fuzzy_dates())
def test_only_a_move_has_a_shift_and_refining_reverses_to_vaguer(
    old: FuzzyDate, new: FuzzyDate
) -> None:
    change = classify_change(old, new)
    assert (move_days(old, new) is not None) == (change == "moved")
    if change == "refined" and old.start is not None:
        assert classify_change(new, old) == "vaguer"
    if old == new:
        assert change == "confirmed"


# --- countdowns to windows ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "days", "words"),
    [
        (datetime.date(2027, 5, 25), 37, "in Q3 2027 · window opens in 37 days"),
        (datetime.date(2027, 9, 10), 0, "in Q3 2027 · window open, closes in 20 days"),
        (datetime.date(2027, 9, 30), 0, "in Q3 2027 · window open, closes today"),
        (datetime.date(2027, 10, 1), -1, "Q3 2027 · window closed 1 day ago"),
    ],
)
def test_a_countdown_names_a_window_honestly(today: datetime.date, days: int, words: str) -> None:
    assert countdown(parse_date("Q3 2027"), today) == (days, words)


def test_countdown_of_a_passed_window_counts_from_its_last_day(run: Run) -> None:
    run("add", "Film", "--release", "Q2 2027")
    row = run.json("--today", "2027-07-02", "countdown", "Film")
    assert (row["days"], row["human"]) == (-2, "Q2 2027 · window closed 2 days ago")


def test_a_countdown_line_names_a_window_once(run: Run) -> None:
    run("add", "Film", "--release", "Q2 2027")
    lines = [
        run("--today", day, "countdown", "Film").stdout for day in ("2027-03-02", "2027-07-02")
    ]
    assert lines == [
        "Film · theatrical (worldwide) · in Q2 2027 · window opens in 30 days\n",
        "Film · theatrical (worldwide) · Q2 2027 · window closed 2 days ago\n",
    ]


# --- the library ---------------------------------------------------------------------------


def test_the_rules_answer_the_same_from_python(store: Store) -> None:
    film = films.add_film(store, "Dune", today=TODAY, on=parse_date("2019-03"))
    releases.announce(
        store, film, parse_date("2020-11-20"), today=TODAY, announced=parse_date("2019-03-21")
    )
    releases.announce(
        store, film, parse_date("2021-10-01"), today=TODAY, announced=parse_date("2020-06")
    )
    assert asof.status_on(store, film.id, datetime.date(2019, 3, 30)) is None
    assert asof.status_on(store, film.id, datetime.date(2019, 3, 31)) == "announced"
    # Known from its date announced on 21 Mar, before its status (known from 31 Mar).
    assert not asof.film_known(store, film.id, datetime.date(2019, 3, 20))
    assert asof.film_known(store, film.id, datetime.date(2019, 3, 21))
    on_june_29 = asof.current_releases(store, film.id, datetime.date(2020, 6, 29))
    assert [r.date.iso for r in on_june_29] == ["2020-11-20"]
    on_june_30 = asof.current_releases(store, film.id, datetime.date(2020, 6, 30))
    assert [r.date.iso for r in on_june_30] == ["2021-10-01"]
    films.retitle(store, film, "Dune: Part One", parse_date("2020-09-01"), today=TODAY)
    assert asof.title_on(store, film.id, datetime.date(2020, 8, 31)) == "Dune"
    assert asof.title_on(store, film.id, datetime.date(2020, 9, 1)) == "Dune: Part One"


def test_a_failed_library_write_changes_nothing(store: Store) -> None:
    film = films.add_film(store, "Dune", today=TODAY)
    before = store.value("SELECT count(*) FROM releases")
    with pytest.raises(Exception, match="unknown release type"):
        releases.announce(store, film, parse_date("2021"), today=TODAY, release_type="cinema")
    assert store.value("SELECT count(*) FROM releases") == before
    assert not store.conn.in_transaction


def test_a_move_is_from_the_date_known_before_it_not_one_known_later(run: Run) -> None:
    """A date announced "July 2020" counts from 31 July: on 20 July, the date announced on
    15 July moved from the one before it, in `changes` as in `history`."""
    run("add", "Leak", "--on", "2019-01-01")
    run("release", "#1", "2021-05-01", "--country", "US", "--announced", "2020-01-01")
    run("release", "#1", "2021-09-09", "--country", "US", "--announced", "2020-07")
    run("release", "#1", "2021-12-12", "--country", "US", "--announced", "2020-07-15")
    then = run.json("--today", "2020-07-20", "changes", "--since", "2020-07-01")
    assert [(row["old"], row["new"], row["shift_days"]) for row in then] == [
        ("2021-05-01", "2021-12-12", 225)
    ]
    history = run.json("--today", "2020-07-20", "history", "#1")
    assert [(row["previous"], row["date"]) for row in history][-1] == ("2021-05-01", "2021-12-12")
    later = run.json("--today", "2020-08-01", "changes", "--since", "2020-07-01")
    assert [(row["old"], row["new"]) for row in later] == [
        ("2021-09-09", "2021-12-12"),
        ("2021-05-01", "2021-09-09"),
    ]


def test_messages_name_a_film_by_its_title_and_year_of_the_day(demo: Run) -> None:
    # On 15 Oct 2020 MI7 and MI8 had their working titles and no year (both came out later,
    # under other titles): no message of that day may name them otherwise.
    day = ("--today", "2020-10-15")
    for reader in ("show", "timeline", "sync"):
        ambiguous = demo.error(*day, reader, "Reckoning")
        assert "Mission: Impossible 7 #7" in ambiguous and "Mission: Impossible 8 #8" in ambiguous
        assert "Reckoning Part One" not in ambiguous and "(2023)" not in ambiguous
    unknown = demo.error(*day, "show", "Mision Imposible 7")
    assert "Mission: Impossible 7 #7" in unknown and "(2023)" not in unknown
    removing = demo.error(*day, "remove", "#8")
    assert "Mission: Impossible 8 #8" in removing and "(2025)" not in removing
    demo(*day, "add", "MI Seven")
    merging = demo.error(*day, "merge", "MI Seven", "#7")
    assert "onto Mission: Impossible 7 #7;" in merging
    merged = demo(*day, "merge", "MI Seven", "#7", "--yes").stdout
    assert merged.strip() == "Merged MI Seven #9 into Mission: Impossible 7 #7"
    # An edit of the title on that day gives it a title from that day (the later titles stay).
    edited = demo(*day, "edit", "#7", "--title", "MI Lies").stdout
    assert edited.strip() == "Updated MI Lies #7"


def test_a_retitle_checks_the_stored_year_whatever_the_day(run: Run) -> None:
    # The uniqueness of (title, year) is the stored year's, not the year shown on a day.
    run("add", "Dune", "--year", "2021", "--release", "2021-10-22", "--announced", "2020-10-01")
    run("add", "Arrakis", "--year", "2021", "--release", "2021-12-01", "--announced", "2020-10-01")
    assert "Dune" in run.error("retitle", "Arrakis", "Dune", "--on", "2020-10-10")
