"""timeline (and --chart), delays, filming, clashes: on the demo data and small cases."""

from __future__ import annotations

import datetime
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import Run
from tracker.dates import from_iso, parse_date

MI7 = "Mission: Impossible 7"
MI8 = "Mission: Impossible 8"
TIMELINE_KEYS = ["date", "precision", "film_id", "title", "kind", "id", "text", "source"]
KINDS = {"status", "shoot_start", "shoot_end", "release_announced", "release", "retitle", "note"}


def starts(rows: list[dict[str, object]]) -> list[datetime.date]:
    days = [from_iso(str(row["date"])).start for row in rows]
    assert None not in days
    return days  # type: ignore[return-value]


# --- timeline -------------------------------------------------------------------------


def test_timeline_of_seven_as_of_the_seed_article(demo: Run) -> None:
    rows = demo.json("timeline", MI7)
    assert all(list(row) == TIMELINE_KEYS for row in rows)
    assert {row["film_id"] for row in rows} == {7}
    assert starts(rows) == sorted(starts(rows))
    assert max(starts(rows)) <= datetime.date(2020, 10, 15)
    facts = [(row["date"], row["kind"]) for row in rows]
    assert facts[:2] == [("2019-01-14", "status"), ("2019-01-14", "release_announced")]
    assert ("2020-07", "shoot_start") in facts and ("2020-10-04", "shoot_end") in facts
    # A teaser dated only "2020" counts from 31 Dec 2020; the seed article's "2020-10" facts
    # from 31 Oct.
    assert ("2020", "note") not in facts and ("2020-10", "release_announced") not in facts
    assert not {"release", "retitle"} & {kind for _, kind in facts}
    moved = [row for row in rows if row["date"] == "2020-04-24"]
    assert "+119 days" in moved[0]["text"] and moved[0]["precision"] == "day"
    later = demo.json("--today", "2020-10-31", "timeline", MI7)
    (article,) = [
        row for row in later if row["kind"] == "release_announced" and row["date"] == "2020-10"
    ]
    assert article["precision"] == "month" and "Fri 19 Nov 2021" in article["text"]


def test_timeline_later_has_the_retitles(demo: Run) -> None:
    rows = demo.json("--today", "2026-01-01", "timeline", "--franchise", "mission: impossible")
    assert {row["kind"] for row in rows} == KINDS
    retitles = [row for row in rows if row["kind"] == "retitle"]
    assert [(row["date"], row["film_id"], row["precision"]) for row in retitles] == [
        ("2022-04-28", 7, "day"), ("2022-04-28", 8, "day"), ("2023-10-23", 8, "day"),
        ("2024-11-11", 8, "day"),
    ]  # fmt: skip
    assert "Dead Reckoning Part Two" in retitles[2]["text"]


def test_timeline_later_has_every_other_kind(demo: Run) -> None:
    rows = demo.json("--today", "2026-01-01", "timeline", "--franchise", "mission: impossible")
    assert {row["kind"] for row in rows} >= KINDS - {"retitle"}
    releases = [(row["film_id"], row["date"]) for row in rows if row["kind"] == "release"]
    assert (7, "2023-07-12") in releases and (8, "2025-05-23") in releases
    assert (4, "2011-12-16") in releases
    assert starts(rows) == sorted(starts(rows))


def test_timeline_filters(demo: Run) -> None:
    rows = demo.json("--today", "2026-01-01", "timeline", MI7, MI8, "--from", "2021",
                     "--to", "2022-06", "--kind", "release_announced")  # fmt: skip
    assert [(row["film_id"], row["date"]) for row in rows] == [
        (7, "2021-04-09"), (8, "2021-04-09"), (7, "2021-09-01"), (7, "2022-01-21"),
        (8, "2022-01-21"),
    ]  # fmt: skip
    status = demo.json(
        "--today", "2026-01-01", "timeline", "--kind", "status", "--kind", "shoot_end", MI8
    )
    assert {row["kind"] for row in status} == {"status", "shoot_end"}
    assert demo.json("timeline", MI7, "--to", "2018") == []


def test_timeline_table_groups_by_year_and_month(demo: Run) -> None:
    out = demo("timeline", MI7).stdout.splitlines()
    assert out[0] == "2019" and out[1] == "  January"
    assert "2020" in out and "  February" in out and "  October" in out
    year = out.index("2020")
    assert year < out.index("  February", year) < out.index("  October", year)
    assert any("24 Feb 2020" in line and "paused" in line for line in out)


def test_timeline_of_several_films_names_each_by_its_title_then(demo: Run) -> None:
    several = demo("timeline", MI7, MI8).stdout
    assert "Mission: Impossible 8: " in several
    assert "Mission: Impossible – The Final Reckoning" not in several


def test_timeline_titles_are_those_of_the_day(demo: Run) -> None:
    def titles(today: str) -> set[str]:
        return {row["title"] for row in demo.json("--today", today, "timeline", MI8)}

    assert titles("2020-10-15") == {"Mission: Impossible 8"}
    assert titles("2023-01-01") == {"Mission: Impossible – Dead Reckoning Part Two"}
    assert titles("2024-01-01") == {"Mission: Impossible 8"}
    assert titles("2025-01-01") == {"Mission: Impossible – The Final Reckoning"}


def test_timeline_names_the_previous_title_and_date_known_that_day(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A retitle or announcement dated "April 2022" counts from 30 April: on 25 April the
    ones of 20 April followed what was known before them, not it."""
    monkeypatch.setenv("TRACKER_TODAY", "2022-06-01")
    run(
        "add",
        "Alpha Title",
        "--release",
        "2022-07-01",
        "--country",
        "US",
        "--announced",
        "2022-01-10",
    )
    run("retitle", "Alpha Title", "Beta Secret", "--on", "2022-04")
    run("retitle", "Alpha Title", "Gamma Title", "--on", "2022-04-20")
    run("release", "Gamma Title", "2022-08-01", "--country", "US", "--announced", "2022-04")
    run("release", "Gamma Title", "2022-09-01", "--country", "US", "--announced", "2022-04-20")

    def facts(today: str) -> list[tuple[str, str]]:
        rows = run.json("--today", today, "timeline", "Gamma Title", "--kind", "retitle")
        rows += run.json("--today", today, "timeline", "Gamma Title", "--kind", "release_announced")
        return [(row["date"], row["text"]) for row in rows]

    on_25th = facts("2022-04-25")
    assert [text for _, text in on_25th if "retitled" in text] == [
        "retitled from 'Alpha Title' to 'Gamma Title'"
    ]
    assert "Beta Secret" not in run("--today", "2022-04-25", "timeline", "Gamma Title").stdout
    on_30th = facts("2022-04-30")
    assert [text for _, text in on_30th if "retitled" in text] == [
        "retitled from 'Alpha Title' to 'Beta Secret'",
        "retitled from 'Beta Secret' to 'Gamma Title'",
    ]
    announced = [text for day, text in on_25th if day == "2022-04-20" and "retitled" not in text]
    later = [text for day, text in on_30th if day == "2022-04-20" and "retitled" not in text]
    assert len(announced) == len(later) == 1 and announced != later
    assert "Fri 1 Jul 2022" in announced[0] and "Mon 1 Aug 2022" in later[0]


def test_timeline_bad_input(demo: Run) -> None:
    assert "did you mean shoot_start" in demo.error("timeline", "--kind", "shoot_stat")
    assert "--to is before --from" in demo.error("timeline", "--from", "2021", "--to", "2020")
    assert "no film matches" in demo.error("timeline", "Top Gun")
    assert "leave out --format" in demo.error("timeline", "--chart", "--format", "json")


def test_timeline_of_an_empty_database(run: Run) -> None:
    assert run("timeline").stdout.strip() == "No facts to show."
    assert run.json("timeline") == []


# --- chart ----------------------------------------------------------------------------


@pytest.mark.parametrize("today", ["2020-10-15", "2026-01-01"])
def test_chart_fits_80_columns(demo: Run, monkeypatch: pytest.MonkeyPatch, today: str) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    out = demo("--today", today, "timeline", "--chart").stdout.splitlines()
    assert max(len(line) for line in out) <= 80
    assert out[-1].startswith("- development")
    films = [line for line in out[1:-3] if not line.startswith(" ")]
    assert len(films) == 8
    # 7 under its title of the day.
    assert films[6].startswith("Mission: Impossible 7" if today < "2022" else "7. Dead Reckoning")


def chart_labels(demo: Run, today: str) -> list[str]:
    out = demo("--today", today, "timeline", "--chart").stdout.splitlines()
    return [line for line in out[1:-3] if not line.startswith(" ")]


def test_chart_names_films_by_their_last_title(demo: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    assert chart_labels(demo, "2026-01-01")[7].startswith("8. The Final Reckoning")


def test_chart_names_films_by_their_title_of_the_day(
    demo: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    assert chart_labels(demo, "2023-01-01")[7].startswith("8. Dead Reckoning Part Two")


def test_chart_marks_phases_pauses_shoots_and_release(
    demo: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    out = demo("--today", "2026-01-01", "timeline", MI7, "--chart").stdout.splitlines()
    assert max(len(line) for line in out) <= 100
    film = out[1]
    bar = film[film.index(" ", 30) :]
    assert bar.index("-") < bar.index("!") < bar.index("#") < bar.index("~") < bar.index("*")
    assert any(line.startswith("  Venice (IT)") and "#" in line for line in out)
    assert any(line.startswith("today ^") and "^" in line[8:] for line in out)


def test_chart_never_exceeds_a_narrow_terminal(demo: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "50")
    out = demo("timeline", "--chart").stdout.splitlines()
    assert max(len(line) for line in out) <= 50


# --- delays ---------------------------------------------------------------------------

DELAY_KEYS = ["id", "title", "country", "type", "first", "current", "moves",
              "total_shift_days", "longest_shift_days"]  # fmt: skip


def test_delays_most_delayed_first(demo: Run) -> None:
    rows = demo.json("--today", "2026-01-01", "delays", "--franchise", "Mission: Impossible")
    assert all(list(row) == DELAY_KEYS for row in rows)
    eight, seven = rows[0], rows[1]
    # Moves only: a year made a day is refined, and shifts nothing; the total is the moves'
    # days summed.
    assert (eight["id"], eight["first"], eight["current"], eight["moves"]) == (
        8, "2022", "2025-05-23", 4,
    )  # fmt: skip
    assert (eight["total_shift_days"], eight["longest_shift_days"]) == (1022, 357)
    assert (seven["id"], seven["moves"], seven["total_shift_days"]) == (7, 5, 719)
    assert seven["longest_shift_days"] == 287
    assert rows[2]["moves"] == 0 and rows[2]["longest_shift_days"] is None
    # Rogue Nation moved earlier: least delayed, last.
    assert (rows[-1]["id"], rows[-1]["moves"], rows[-1]["total_shift_days"]) == (5, 1, -147)


def test_delays_as_of_the_seed_article(demo: Run) -> None:
    rows = demo.json("delays")
    assert [(r["id"], r["moves"], r["total_shift_days"]) for r in rows[:2]] == [
        (7, 1, 119),  # "2021", refined to 23 Jul 2021, moved to 19 Nov 2021
        (8, 1, 91),
    ]


def test_delays_longest_move_keeps_its_sign(run: Run) -> None:
    run("add", "Film", "--release", "2022-01-10", "--country", "FR")
    run("release", "Film", "2021-12-01", "--country", "FR")
    (row,) = run.json("delays")
    assert (row["moves"], row["total_shift_days"], row["longest_shift_days"]) == (1, -40, -40)


# --- filming --------------------------------------------------------------------------


def test_filming_as_of_the_seed_article(demo: Run) -> None:
    rows = demo.json("filming")
    assert [(row["id"], row["status"], row["where"]) for row in rows] == [
        (7, "filming", ["Leavesden, England (GB)"]),
    ]
    # 8 "filming" as the seed article (published 2020-10) says, with no shoot of its own.
    later = demo.json("--today", "2020-11-01", "filming")
    assert [(row["id"], row["status"], row["where"]) for row in later] == [
        (7, "filming", ["Leavesden, England (GB)"]),
        (8, "filming", []),
    ]


def test_filming_includes_a_shoot_holding_today_and_nothing_later(run: Run) -> None:
    run("add", "Film A", "--status", "pre-production")
    run("shoot", "add", "Film A", "Oslo", "-c", "NO", "--from", "2020-10-01", "--to", "2020-10-20")
    assert [(r["title"], r["where"]) for r in run.json("filming")] == [("Film A", ["Oslo (NO)"])]
    assert run.json("--today", "2020-10-21", "filming") == []
    assert run("--today", "2020-10-21", "filming").stdout.strip() == "Nothing is filming."


# --- clashes --------------------------------------------------------------------------

CLASH_KEYS = ["country", "date_a", "title_a", "date_b", "title_b", "days_apart"]


@pytest.fixture
def three(run: Run) -> Run:
    run("add", "Alpha", "--release", "2021-07-09", "--country", "US")
    run("add", "Beta", "--release", "2021-07-02", "--country", "US")
    run("add", "Gamma", "--release", "2021-07-05", "--country", "GB")
    run("add", "Delta", "--release", "2021-07", "--country", "US")  # month precision: ignored
    return run


def test_clashes_pairs_within_days_in_the_same_country(three: Run) -> None:
    rows = three.json("clashes")
    assert rows == [
        {
            "country": "US",
            "date_a": "2021-07-02",
            "title_a": "Beta",
            "date_b": "2021-07-09",
            "title_b": "Alpha",
            "days_apart": 7,
        }
    ]
    assert three.json("clashes", "--days", "6") == []
    assert three.json("clashes", "--country", "GB") == []
    assert len(three.json("clashes", "--country", "United States")) == 1


def test_clashes_use_current_dates_as_of_today(three: Run) -> None:
    three("release", "Alpha", "2021-09-01", "--country", "US")
    assert three.json("clashes") == []
    assert len(three.json("--today", "2020-10-14", "clashes")) == 0  # nothing announced yet


def test_clashes_keep_each_pairs_closest_days(run: Run) -> None:
    """A film with days of two types meets another once, at their closest days; a film
    never clashes with itself; on one day the film added first comes first; worldwide
    days meet only worldwide ones; --days 0 keeps only the same day."""
    run("add", "Zed", "--release", "2021-07-01", "--country", "US")
    run("release", "Zed", "2021-07-20", "--country", "US", "--type", "digital")
    run("add", "Ace", "--release", "2021-07-18", "--country", "US")
    run("add", "Bee", "--release", "2021-07-20", "--country", "US")
    run("add", "World", "--release", "2021-07-19")
    run("add", "Earth", "--release", "2021-07-19")

    def clashes(*options: str) -> list[list[object]]:
        return [[row[key] for key in CLASH_KEYS] for row in run.json("clashes", *options)]

    assert clashes("--days", "30") == [
        ["US", "2021-07-18", "Ace", "2021-07-20", "Zed", 2],  # not Zed's 1 July (17 apart)
        ["US", "2021-07-18", "Ace", "2021-07-20", "Bee", 2],
        [None, "2021-07-19", "World", "2021-07-19", "Earth", 0],
        ["US", "2021-07-20", "Zed", "2021-07-20", "Bee", 0],
    ]
    assert clashes("--days", "0") == [
        [None, "2021-07-19", "World", "2021-07-19", "Earth", 0],
        ["US", "2021-07-20", "Zed", "2021-07-20", "Bee", 0],
    ]
    assert clashes("--days", "1", "--country", "US") == [
        ["US", "2021-07-20", "Zed", "2021-07-20", "Bee", 0]
    ]


def test_clashes_bad_input(three: Run) -> None:
    assert "cannot be negative" in three.error("clashes", "--days", "-1")
    assert "did you mean" in three.error("clashes", "--country", "Untied States")


# --- properties -----------------------------------------------------------------------


@given(st.integers(min_value=1, max_value=10**9), st.sampled_from(["#", "# ", ""]))
def test_shoot_ids_parse(number: int, prefix: str) -> None:
    from tracker.domain.shoots import parse_shoot_id

    assert parse_shoot_id(f"{prefix}{number}") == number


@given(st.text(alphabet="abc#-. ", min_size=1, max_size=8))
def test_non_ids_are_refused(text: str) -> None:
    from tracker.domain.shoots import parse_shoot_id
    from tracker.errors import InvalidValue

    with pytest.raises(InvalidValue):
        parse_shoot_id(text)


def test_chart_of_a_film_whose_only_fact_is_a_future_release(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracker.domain.films import resolve
    from tracker.store import open_store
    from tracker.views.chart import chart

    monkeypatch.setenv("COLUMNS", "80")
    run("add", "Future", "--release", "2022-05-01")
    store = open_store()
    store.conn.execute("DELETE FROM status_events")
    drawn = chart(store, [resolve(store, "Future")], datetime.date(2020, 10, 15), width=80)
    store.close()
    lines = drawn.splitlines()
    assert lines[1].rstrip().endswith("*")
    assert lines[-2].startswith("today ^ ^")


def test_chart_shows_the_current_phase_however_short(
    demo: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    # Paused since that very day.
    out = demo("--today", "2020-02-24", "timeline", MI7, "--chart").stdout.splitlines()
    bar = out[1].split("  ")[0]
    assert bar.rstrip().endswith("-!")


def test_delays_csv_is_what_the_renderer_writes_for_its_rows(run: Run) -> None:
    """delays --format csv has SQLite write its lines (millions of rows): they are what the
    one renderer writes for the report's rows, titles neutralised and quoted (or --raw)."""
    from tracker.render import render

    run("add", '=Evil, "Quoted" film', "--release", "2022-01-10", "--country", "FR")
    run("release", '=Evil, "Quoted" film', "2022-03", "--country", "FR")
    run("release", '=Evil, "Quoted" film', "2021-12-01", "--country", "FR")
    run("add", "Plain", "--release", "2023")
    run("add", "Unknown", "--release", "TBA", "--country", "US")
    rows = run.json("delays")
    assert [(row["id"], row["moves"]) for row in rows] == [(2, 0), (1, 2), (3, 0)]
    for raw in ([], ["--raw"]):
        shown = run(*raw, "delays", "--format", "csv").stdout_bytes.decode()
        assert shown == render(rows, "csv", columns=DELAY_KEYS, raw=bool(raw))
    assert "'=Evil" in run("delays", "-f", "csv").stdout
    assert run("delays", "-f", "csv", "--limit", "1").stdout_bytes.count(b"\r\n") == 2


def test_delays_csv_checks_the_franchise_before_any_line(run: Run) -> None:
    run("add", "MI 1", "--franchise", "Mission", "--release", "2022-01-10")
    result = run("delays", "-f", "csv", "--franchise", "Nope", code=1)
    assert result.stdout == "" and result.stderr.startswith("Error: no franchise")
    assert "MI 1" in run("delays", "-f", "csv", "--franchise", "mission").stdout


def test_delays_csv_refuses_a_title_holding_its_separators(run: Run, isolated: Path) -> None:
    """The lines are quoted in a second thread: what it refuses is still one Error line."""
    run("add", "Plain", "--release", "2023")
    with sqlite3.connect(isolated) as conn:  # a database written by another program
        conn.execute("UPDATE films SET title = 'A\x1fB'")
        conn.execute("UPDATE titles SET title = 'A\x1fB'")
    conn.close()
    result = run("delays", "-f", "csv", code=1)
    assert result.stderr.startswith("Error:") and "--format json" in result.stderr
    assert run("delays", "-f", "json").stdout.count("A\\u001fB") == 1


# A date's announcements, each its (announced day, date): windows as tracker.dates makes them.
FOLDED = [
    [("2020-01-01", "2021-03-10"), ("2020-02-01", "2021-06-01")],  # later: one move
    [("2020-01-01", "2021-03-10"), ("2020-02-01", "2021-03-01")],  # earlier
    [("2020-01-01", "2021"), ("2020-02-01", "2021-03-10")],  # refined: later, no move
    [("2020-01-01", "2021-03-10"), ("2020-02-01", "2021-04-01"), ("2020-03-01", "2021-03-10")],
    [("2020-01-01", "2021-03-10"), ("2020-02-01", "2021")],  # vaguer: earlier, no move
    [("2020-01-01", "2021-03-10"), ("2020-01-01", "2021-03-10")],  # confirmed: unchanged
    [("2020-01-01", "TBA"), ("2020-02-01", "2021-03-10")],  # TBA first: no total
    [("2020-01-01", "2021-03-10"), ("2020-02-01", "2021-04-01"), ("2020-03-01", "TBA")],
]


def _announcements(dates: list[tuple[str, str]]) -> str:
    """The texts delay_fold_sorted reads (views.delays._SORTED_FOLD) for these
    announcements, newest first: it sorts them itself."""
    texts = [
        f"{announced}{number:020d}{parse_date(text).iso or ''}"
        for number, (announced, text) in enumerate(dates, 1)
    ]
    return ";".join(reversed(texts))


def test_delay_sort_keys_order_rows_as_the_report_does() -> None:
    """delay_fold's rows sort by their key (their text's first SORT_KEY_LENGTH characters,
    compared byte by byte) exactly as the report orders them: total shift, none last; then
    moves, the film. delay_fold_sorted, for a SQLite that does not read a group in the
    order announced, sorts its announcements first and gives the same rows."""
    from tracker.csv_lines import UNIT
    from tracker.views.delays import SORT_KEY_LENGTH, delay_fold, delay_fold_sorted

    rows = []
    for film_id in (7, 12):
        for dates in FOLDED:
            in_order = ";".join(parse_date(text).iso or "" for _, text in dates)
            text = delay_fold(film_id, dates[0][0], 1, in_order, 1, "")
            assert delay_fold_sorted(film_id, _announcements(dates), 1, "") == text
            _, _, moves, total, _ = text[SORT_KEY_LENGTH:].split(UNIT)
            rows.append((text, film_id, int(moves), int(total) if total else None))
    assert {row[3] is None for row in rows} == {True, False}
    assert {(row[3] or 0) < 0 for row in rows} == {True, False}
    assert {row[2] for row in rows} >= {0, 1, 2}

    def order(row: tuple[str, int, int, int | None]) -> tuple[bool, int, int, int]:
        _, film_id, moves, total = row
        return (total is None, -(total or 0), -moves, film_id)

    assert sorted(rows) == sorted(rows, key=order)
