"""Watchlists, the viewing diary, the changes digest, and --watchlist filters."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from tests.conftest import Run
from tracker.dates import from_iso

SHOW_KEYS = {
    "id", "title", "priority", "note", "added", "seen",
    "date", "precision", "country", "type", "days",
}  # fmt: skip
DIARY_KEYS = {"id", "title", "seen_on", "rating", "where", "note", "rewatch", "tags", "review"}
CHANGE_KEYS = [
    "announced", "film_id", "title", "kind", "country", "type", "old", "new", "shift_days",
]  # fmt: skip


def test_default_list_exists_and_watch_adds_to_it(demo: Run) -> None:
    assert [row["name"] for row in demo.json("watchlist", "list")] == ["watchlist"]
    out = demo("watch", "#7", "#8", "--priority", "2").stdout
    # Films are named by their title and year of the day (15 Oct 2020: the working title,
    # no year yet).
    assert "Added Mission: Impossible 7 #7 to 'watchlist'" in out
    rows = demo.json("watchlist", "show", "watchlist")
    assert [row["id"] for row in rows] == [7, 8]
    assert all(row["priority"] == 2 for row in rows)


def test_show_json_contract(demo: Run) -> None:
    demo("watch", "#7", "--note", "IMAX")
    (row,) = demo.json("watchlist", "show", "watchlist")
    assert set(row) >= SHOW_KEYS
    assert row == {
        **row,
        "id": 7,
        "priority": 3,
        "note": "IMAX",
        "added": "2020-10-15",
        "seen": False,
        "date": "2021-11-19",
        "precision": "day",
        "country": "US",
        "type": "theatrical",
        "days": 400,
    }


def test_adding_a_film_already_on_the_list_says_so_and_goes_on(demo: Run) -> None:
    demo("watch", "#7", "--priority", "1")
    out = demo("watch", "#7", "#8", "--priority", "5").stdout
    assert "is already on 'watchlist'" in out
    assert "Added Mission: Impossible 8 #8 to" in out
    rows = {row["id"]: row["priority"] for row in demo.json("watchlist", "show", "watchlist")}
    assert rows == {7: 1, 8: 5}  # the first entry is left as it was


def test_create_rename_delete_and_list(demo: Run) -> None:
    demo("watchlist", "create", "Summer", "--description", "cinema trips")
    demo("watchlist", "add", "summer", "#6", "#8")
    demo("seen", "#6", "--on", "2018-07-28")
    lists = demo.json("watchlist", "list")
    assert lists[1] == {
        "id": 2,
        "name": "Summer",
        "description": "cinema trips",
        "films": 2,
        "seen": 1,
    }
    demo("watchlist", "rename", "SUMMER", "Summer 2022")
    assert demo.json("watchlist", "list")[1]["name"] == "Summer 2022"
    assert "add --yes" in demo.error("watchlist", "delete", "summer 2022")
    demo("watchlist", "delete", "summer 2022", "--yes")
    assert [row["name"] for row in demo.json("watchlist", "list")] == ["watchlist"]
    assert [row["id"] for row in demo.json("list")] == list(range(1, 9))  # films stay


def test_remove_takes_films_off(demo: Run) -> None:
    demo("watch", "#7", "#8")
    demo("watchlist", "remove", "watchlist", "#7")
    assert [row["id"] for row in demo.json("watchlist", "show", "watchlist")] == [8]
    assert "is not on watchlist" in demo.error("watchlist", "remove", "watchlist", "#7")


def test_a_name_taken_is_named_as_stored(run: Run) -> None:
    """Names match whatever their case and accents: the error names the list that exists."""
    run("watchlist", "create", "Été")
    assert "a watchlist named 'Été' already exists" in run.error("watchlist", "create", "ete")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("watchlist", "show", "nope"), "no watchlist named 'nope'"),
        (("watchlist", "add", "nope", "#7"), "no watchlist named 'nope'"),
        (("watchlist", "create", "watchlist"), "already exists"),
        (("watchlist", "create", "  "), "cannot be empty"),
        (("watch", "#7", "--priority", "9"), "priority 9 is out of range"),
        (("watch", "no such film"), "no film matches"),
        (("watchlist", "show", "watchlist", "--sort", "colour"), "unknown sort 'colour'"),
        (("upcoming", "--watchlist", "nope"), "no watchlist named 'nope'"),
        (("countdown", "--watchlist", "nope"), "no watchlist named 'nope'"),
        (("changes", "--since", "2020-01-01", "--watchlist", "nope"), "no watchlist named"),
    ],
)
def test_bad_input_is_one_error_line_and_changes_nothing(
    demo: Run, db_bytes: object, args: tuple[str, ...], message: str
) -> None:
    before = demo.json("watchlist", "list")
    assert message in demo.error(*args)
    assert demo.json("watchlist", "list") == before


def test_unknown_list_suggests_the_closest(demo: Run) -> None:
    demo("watchlist", "create", "summer")
    assert "did you mean summer?" in demo.error("watchlist", "show", "sumer")


def test_a_film_already_on_the_list_uses_up_no_entry_id(demo: Run, isolated: Path) -> None:
    """`watch` of a film already on the list (and a Letterboxd watchlist imported again)
    adds nothing, and takes no id: the next entry gets the next id."""
    import sqlite3

    demo("watch", "#6")
    for _ in range(3):
        assert "already on 'watchlist'" in demo("watch", "#6").output
    demo("watch", "#7")
    with sqlite3.connect(isolated) as conn:
        query = "SELECT id FROM watchlist_entries WHERE film_id IN (6, 7) ORDER BY film_id"
        ids = [row[0] for row in conn.execute(query)]
    assert ids[1] == ids[0] + 1


def test_show_sorts(demo: Run) -> None:
    demo("watch", "#8", "--priority", "1")
    demo("watch", "#7", "--priority", "4")
    demo("watch", "#1", "--priority", "2")

    def order(sort: str) -> list[int]:
        return [row["id"] for row in demo.json("watchlist", "show", "watchlist", "--sort", sort)]

    assert order("release") == [1, 7, 8]
    assert order("priority") == [8, 1, 7]
    assert order("title") == [1, 7, 8]


def test_show_marks_seen_films_and_a_past_release(demo: Run) -> None:
    demo("watch", "#6")
    demo("seen", "#6", "--on", "2018-08-01")
    (row,) = demo.json("watchlist", "show", "watchlist")
    assert row["seen"] is True
    assert row["date"] == "2018-07-27" and row["days"] < 0


def test_tables_show_yes_or_no_where_csv_and_json_write_true_or_false(demo: Run) -> None:
    demo("watch", "#6", "#7")
    demo("seen", "#6", "--on", "2018-08-01")
    table = demo("watchlist", "show", "watchlist", "--sort", "title").output.splitlines()
    assert [line.split()[-1] for line in table[2:]] == ["no", "yes"]  # seen: the last column
    assert "True" not in "\n".join(table) and "False" not in "\n".join(table)
    rows = demo(
        "watchlist", "show", "watchlist", "--sort", "title", "-f", "csv"
    ).output.splitlines()
    seen = rows[0].split(",").index("seen")
    assert [row.split(",")[seen] for row in rows[1:]] == ["false", "true"]


def test_a_list_as_of_a_day_holds_what_it_held_then(demo: Run) -> None:
    """As of a day, a list holds the films added by then whose film was known then (#6 is
    known from its first date announced, Nov 2016; #7 and #8 from 14 Jan 2019), and a film
    counts as seen only once a viewing's day has come."""
    demo("--today", "2018-06-01", "watch", "#6", "#7")  # #7 not yet known: on the list, hidden
    demo("watch", "#8")  # added 2020-10-15
    demo("seen", "#6", "--on", "2018-08-01")

    def shown(day: str) -> list[tuple[int, bool]]:
        rows = demo.json("--today", day, "watchlist", "show", "watchlist")
        return [(row["id"], row["seen"]) for row in rows]

    assert shown("2018-05-31") == []
    assert shown("2018-06-01") == [(6, False)]  # #6 not seen yet; #7 not known yet
    assert shown("2018-07-31") == [(6, False)]
    assert shown("2018-08-01") == [(6, True)]
    assert shown("2019-01-14") == [(6, True), (7, False)]
    assert shown("2020-10-15") == [(6, True), (7, False), (8, False)]
    summary = demo.json("--today", "2018-07-31", "watchlist", "list")
    assert [(row["films"], row["seen"]) for row in summary] == [(1, 0)]
    summary = demo.json("--today", "2020-10-15", "watchlist", "list")
    assert [(row["films"], row["seen"]) for row in summary] == [(3, 1)]
    rows = demo.json("--today", "2019-01-14", "countdown", "--watchlist", "watchlist")
    assert sorted(row["id"] for row in rows) == [6, 7]
    # The filters of other commands read the same membership: #8 was added 2020-10-15.
    upcoming = demo.json("--today", "2020-10-14", "upcoming", "--watchlist", "watchlist")
    assert [row["id"] for row in upcoming] == [7]
    assert [row["id"] for row in demo.json("upcoming", "--watchlist", "watchlist")] == [7, 8]
    calendar = demo("--today", "2020-10-14", "export", "ics", "--watchlist", "watchlist").stdout
    assert "Mission: Impossible 7" in calendar and "Mission: Impossible 8" not in calendar
    changes = demo.json(
        "--today", "2020-10-14", "changes", "--since", "2019-01-01", "--watchlist", "watchlist"
    )
    assert changes and {row["film_id"] for row in changes} <= {6, 7}


def test_deleted_default_list_reads_empty_and_comes_back_on_watch(demo: Run) -> None:
    demo("watchlist", "delete", "watchlist", "--yes")
    assert demo.json("watchlist", "show", "watchlist") == []
    demo("watch", "#7")
    assert [row["id"] for row in demo.json("watchlist", "show")] == [7]


def test_removing_a_film_removes_its_entries_and_viewings(demo: Run) -> None:
    demo("watch", "#7")
    demo("seen", "#7", "--on", "2020-01-01")
    demo("remove", "#7", "--yes")
    assert demo.json("watchlist", "show", "watchlist") == []
    assert demo.json("diary") == []


# Diary -----------------------------------------------------------------------------------


def test_seen_and_diary(demo: Run) -> None:
    out = demo("seen", "#6", "--on", "2018-07-28", "--rating", "4.5", "--where", "Cinema").stdout
    assert out.strip() == "Seen Mission: Impossible – Fallout on Sat 28 Jul 2018 ★★★★½"
    demo("seen", "#6", "--note", "again at home", "--where", "home")
    rows = demo.json("diary")
    assert all(set(row) == DIARY_KEYS for row in rows)
    assert rows == [
        {
            "id": 2,
            "title": "Mission: Impossible – Fallout",
            "seen_on": "2020-10-15",
            "rating": None,
            "where": "home",
            "note": "again at home",
            "rewatch": False,
            "tags": None,
            "review": None,
        },
        {
            "id": 1,
            "title": "Mission: Impossible – Fallout",
            "seen_on": "2018-07-28",
            "rating": 4.5,
            "where": "cinema",
            "note": None,
            "rewatch": False,
            "tags": None,
            "review": None,
        },
    ]
    assert [row["id"] for row in demo.json("diary", "--year", "2018")] == [1]
    assert demo.json("diary", "--year", "2019") == []


def test_diary_table_shows_days_as_every_table_does_and_csv_keeps_iso(demo: Run) -> None:
    """The table writes a viewing's day as other tables write a day (Sat 28 Jul 2018);
    csv, tsv and json, scripts' contracts, keep its ISO text as the other commands do."""
    demo("seen", "#6", "--on", "2018-07-28", "--rating", "4.5")
    demo("seen", "#7", "--on", "2020-10-02")
    table = demo("diary").stdout.splitlines()
    assert table[0].split()[:3] == ["id", "title", "seen_on"]
    assert "Fri 2 Oct 2020" in table[2] and "Sat 28 Jul 2018" in table[3]
    assert "2018-07-28" not in demo("diary").stdout
    csv_lines = demo("diary", "--format", "csv").stdout.splitlines()
    assert csv_lines[1].split(",")[:3] == ["2", "Mission: Impossible 7", "2020-10-02"]
    assert demo("diary", "--format", "tsv").stdout.splitlines()[2].split("\t")[2] == "2018-07-28"
    assert [row["seen_on"] for row in demo.json("diary")] == ["2020-10-02", "2018-07-28"]


@pytest.mark.parametrize("rating", ["0", "5.5", "3.3", "-1", "nan"])
def test_rating_out_of_range(demo: Run, rating: str) -> None:
    line = demo.error("seen", "#6", "--rating", rating)
    assert "rating" in line
    assert demo.json("diary") == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--where", "car"), "unknown place 'car'"),
        (("--on", "2021-01-01"), "after today"),
        (("--on", "2021-05"), "not a single day"),
    ],
)
def test_seen_bad_input(demo: Run, args: tuple[str, ...], message: str) -> None:
    assert message in demo.error("seen", "#6", *args)
    assert demo.json("diary") == []


# upcoming / countdown --watchlist ----------------------------------------------------------


def test_upcoming_and_countdown_filter_to_a_list(demo: Run) -> None:
    assert [row["id"] for row in demo.json("upcoming")] == [7, 8]
    demo("watchlist", "create", "next")
    demo("watchlist", "add", "next", "#8", "#1")
    assert [row["id"] for row in demo.json("upcoming", "--watchlist", "next")] == [8]
    rows = demo.json("countdown", "--watchlist", "next")
    assert [(row["id"], row["days"]) for row in rows] == [(8, 750), (1, -8912)]
    assert demo.json("upcoming", "--watchlist", "watchlist") == []


def test_countdown_needs_a_film_or_a_list(demo: Run) -> None:
    assert "give a FILM or --watchlist" in demo.error("countdown")
    assert "not both" in demo.error("countdown", "#7", "--watchlist", "watchlist")


def test_countdown_of_a_list_keeps_undated_films(run: Run) -> None:
    run("add", "Someday")
    run("watch", "Someday")
    (row,) = run.json("countdown", "--watchlist", "watchlist")
    assert row["title"] == "Someday" and row["date"] is None and row["days"] is None


# changes ---------------------------------------------------------------------------------


def test_changes_digest_newest_first(demo: Run) -> None:
    rows = demo.json("changes", "--since", "2020-01-01")
    assert all(list(row) == CHANGE_KEYS for row in rows)
    assert [(row["film_id"], row["kind"], row["old"], row["new"]) for row in rows] == [
        (7, "status", "paused", "filming"),
        (8, "release_moved", "2022-08-05", "2022-11-04"),
        (7, "release_moved", "2021-07-23", "2021-11-19"),
        (7, "status", "announced", "paused"),
    ]
    move = rows[2]
    assert move["shift_days"] == 119 and move["country"] == "US" and move["type"] == "theatrical"
    assert move["announced"] == "2020-04-24"


def test_no_changes_names_the_day_as_tables_name_days(demo: Run) -> None:
    assert demo("changes", "--since", "2020-10-01").output == "No changes since Thu 1 Oct 2020.\n"


def test_changes_since_today_and_watchlist(run: Run) -> None:
    run("add", "Film A", "--release", "2021-05-01", "--status", "filming")
    run("add", "Film B", "--release", "2021-06-01")
    run("release", "Film A", "2021-08-01")
    run("release", "Film A", "2021-08-01")  # the same date again is not a change
    run("watch", "Film A")
    rows = run.json("changes", "--since", "2020-10-15", "--watchlist", "watchlist")
    assert {row["title"] for row in rows} == {"Film A"}
    moves = [row for row in rows if row["kind"] == "release_moved"]
    assert [(row["old"], row["new"], row["shift_days"]) for row in moves] == [
        ("2021-05-01", "2021-08-01", 92),
        (None, "2021-05-01", None),
    ]
    # Nothing announced after today counts; a later since finds nothing.
    assert run.json("--today", "2020-10-14", "changes", "--since", "2020-10-01") == []
    assert "after today" in run.error("changes", "--since", "2020-10-16")


def test_changes_include_retitles(demo: Run) -> None:
    def retitles(today: str, since: str) -> list[tuple[object, ...]]:
        rows = demo.json("--today", today, "changes", "--since", since)
        return [
            (r["film_id"], r["announced"], r["old"], r["new"])
            for r in rows
            if r["kind"] == "retitle"
        ]

    assert retitles("2025-01-01", "2024-01-01") == [
        (8, "2024-11-11", "Mission: Impossible 8", "Mission: Impossible – The Final Reckoning")
    ]
    assert retitles("2023-12-31", "2023-01-01") == [
        (8, "2023-10-23", "Mission: Impossible – Dead Reckoning Part Two", "Mission: Impossible 8")
    ]
    before = demo.json("--today", "2023-10-22", "changes", "--since", "2023-01-01")
    assert before and all(row["kind"] != "retitle" for row in before)


def test_changes_report_each_fact_in_the_week_it_became_known(demo: Run) -> None:
    """A fact counts from the last day of its window (`known_from`): a digest of every week
    from 1 May 2023 reports each change once, the vague ones too, in the week they closed."""
    day, end = datetime.date(2023, 5, 1), datetime.date(2024, 2, 1)
    weekly = []
    while day < end:
        today = (day + datetime.timedelta(6)).isoformat()
        for row in demo.json("--today", today, "changes", "--since", day.isoformat()):
            known_from = from_iso(row["announced"]).end
            assert known_from is not None and day <= known_from <= day + datetime.timedelta(6)
            weekly.append(row)
        day += datetime.timedelta(7)

    def fact(row: dict[str, object]) -> tuple[object, ...]:
        return (
            row["announced"],
            row["film_id"],
            row["kind"],
            row["country"],
            row["type"],
            row["new"],
        )

    facts = [fact(row) for row in weekly]
    assert len(facts) == len(set(facts))
    assert {
        ("2023-06", 7, "release_moved", "GB", "theatrical", "2023-07-10"),
        ("2023", 7, "release_moved", "IT", "premiere", "2023-06-19"),
        ("2023-07", 8, "status", None, None, "paused"),
    } <= set(facts)
    whole = demo.json("--today", end.isoformat(), "changes", "--since", "2023-05-01")
    assert sorted(map(fact, whole), key=str) == sorted(facts, key=str)


def test_changes_since_leave_out_what_became_known_before_it(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_TODAY", "2022-06-01")
    run("add", "Film A", "--status", "announced", "--on", "2021-01-01")
    run("status", "Film A", "filming", "--on", "2021-03")  # known from 31 March
    rows = run.json("--today", "2021-04-10", "changes", "--since", "2021-03-15")
    assert [(r["announced"], r["old"], r["new"]) for r in rows] == [
        ("2021-03", "announced", "filming")
    ]
    assert run.json("--today", "2021-04-10", "changes", "--since", "2021-04-01") == []
    assert run.json("--today", "2021-03-30", "changes", "--since", "2021-03-01") == []


def _alpha(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """Alpha Title, retitled and paused in "April 2022" (known from 30 April) and again on
    20 April (known that day), recorded on 1 June."""
    monkeypatch.setenv("TRACKER_TODAY", "2022-06-01")
    run("add", "Alpha Title", "--status", "announced", "--on", "2021-01-01")
    run("retitle", "Alpha Title", "Beta Secret", "--on", "2022-04")
    run("retitle", "Alpha Title", "Gamma Title", "--on", "2022-04-20")
    run("status", "Gamma Title", "paused", "--on", "2022-04")
    run("status", "Gamma Title", "filming", "--on", "2022-04-20")


def test_changes_name_the_previous_title_and_status_known_that_day(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    _alpha(run, monkeypatch)
    rows = run.json("--today", "2022-04-25", "changes", "--since", "2022-04-15")
    assert [(r["kind"], r["old"], r["new"]) for r in rows] == [
        ("status", "announced", "filming"),
        ("retitle", "Alpha Title", "Gamma Title"),
    ]
    rows = run.json("--today", "2022-04-30", "changes", "--since", "2022-04-15")
    assert [(r["announced"], r["kind"], r["old"], r["new"]) for r in rows] == [
        ("2022-04-20", "status", "paused", "filming"),
        ("2022-04-20", "retitle", "Beta Secret", "Gamma Title"),
        ("2022-04", "status", "announced", "paused"),
        ("2022-04", "retitle", "Alpha Title", "Beta Secret"),
    ]


def test_changes_name_the_previous_date_known_that_day(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_TODAY", "2022-06-01")
    run("add", "Film A", "--release", "2022-07-01", "--country", "US", "--announced", "2022-01-10")
    run("release", "Film A", "2022-08-01", "--country", "US", "--announced", "2022-04")
    run("release", "Film A", "2022-09-01", "--country", "US", "--announced", "2022-04-20")
    rows = run.json("--today", "2022-04-25", "changes", "--since", "2022-04-15")
    assert [(r["old"], r["new"], r["shift_days"]) for r in rows] == [
        ("2022-07-01", "2022-09-01", 62)
    ]
    rows = run.json("--today", "2022-04-30", "changes", "--since", "2022-04-15")
    assert [(r["old"], r["new"]) for r in rows] == [
        ("2022-08-01", "2022-09-01"),
        ("2022-07-01", "2022-08-01"),
    ]


# JSON export keeps watchlists and the diary ---------------------------------------------


def test_json_round_trip_keeps_lists_and_diary(demo: Run, tmp_path: Path) -> None:
    demo("watchlist", "create", "=cmd|' /C calc'!A0", "--description", "odd name")
    demo("watch", "#7", "--note", "IMAX", "--priority", "1")
    demo("watchlist", "add", "=cmd|' /C calc'!A0", "#8")
    demo("seen", "#6", "--on", "2018-07-28", "--rating", "4", "--where", "home")
    first = demo("export", "json").stdout
    document = json.loads(first)
    assert document["watchlists"][0]["entries"][0] == {
        "film": 7,
        "priority": 1,
        "note": "IMAX",
        "added": "2020-10-15",
    }
    assert document["diary"] == [
        {"film": 6, "seen_on": "2018-07-28", "rating": 4.0, "where": "home", "note": None}
    ]
    (tmp_path / "backup.json").write_text(first, encoding="utf-8")
    fresh = str(tmp_path / "fresh.db")
    demo("--db", fresh, "import", "json", str(tmp_path / "backup.json"))
    assert demo("--db", fresh, "export", "json").stdout == first


def test_json_import_rejects_an_entry_for_a_missing_film(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    document = {
        "format": "tracker",
        "version": 1,
        "films": [],
        "watchlists": [{"name": "x", "entries": [{"film": 3, "added": "2020-01-01"}]}],
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    assert "watchlists[0].entries[0].film: no film with id 3" in run.error(
        "import", "json", str(path)
    )
    assert [row["name"] for row in run.json("watchlist", "list")] == ["watchlist"]


def test_show_country_prefers_its_own_date_then_worldwide(demo: Run) -> None:
    demo("release", "#7", "2021-11-18", "--country", "GB")
    demo("release", "#8", "2022-11-01")  # worldwide
    demo("watch", "#7", "#8")
    rows = demo.json("watchlist", "show", "watchlist", "--country", "United Kingdom")
    assert [(row["id"], row["country"], row["date"]) for row in rows] == [
        (7, "GB", "2021-11-18"),
        (8, None, "2022-11-01"),
    ]
    assert "unknown country" in demo.error("watchlist", "show", "watchlist", "--country", "XX")


def test_a_film_not_yet_known_on_the_day_is_listed_from_when_it_is_said_aside(run: Run) -> None:
    """Put on a list, or seen, as of a day before anyone had heard of it: the list and the
    diary of that day leave it out, so the command says from when they show it."""
    run("--today", "2021-04-01", "add", "Top Gun: Maverick", "--on", "2021-03")
    note = "Note: #1 counts as known from Wed 31 Mar 2021\n"
    added = run("watch", "Top Gun: Maverick")
    assert (added.stdout, added.stderr) == ("Added Top Gun: Maverick #1 to 'watchlist'\n", note)
    assert run("watch", "Top Gun: Maverick").stderr == ""  # already there: nothing new
    assert run("seen", "Top Gun: Maverick", "--on", "2020-10-01").stderr == note
    assert run.json("watchlist", "show") == [] and run.json("diary") == []
    run("watchlist", "create", "later")
    assert run("--today", "2021-04-01", "watchlist", "add", "later", "#1").stderr == ""  # known
