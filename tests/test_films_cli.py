"""Adding, naming, editing and removing films through the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import DbFile, Run


def test_version_prints_the_version(run: Run) -> None:
    assert run("--version").stdout.startswith("tracker 0.")


def test_no_arguments_prints_help_and_touches_no_database(run: Run, isolated: Path) -> None:
    isolated.unlink()
    result = run(code=2)
    assert "Usage" in result.stdout + result.stderr
    assert not isolated.exists()


def test_add_prints_the_new_id_and_records_the_film(run: Run) -> None:
    assert run("add", "Dune", "--year", "2021").stdout.strip() == "#1"
    assert run("add", "Tenet").stdout.strip() == "#2"
    films = run.json("list")
    assert [(f["id"], f["title"], f["year"], f["status"]) for f in films] == [
        (1, "Dune", 2021, "announced"),
        (2, "Tenet", None, "announced"),
    ]


def test_add_with_release_records_the_first_date(run: Run) -> None:
    run("add", "Dune", "--release", "2021-10-22", "--country", "us", "--type", "digital")
    history = run.json("history", "Dune")
    assert [(h["country"], h["type"], h["date"], h["previous"]) for h in history] == [
        ("US", "digital", "2021-10-22", None)
    ]


def test_same_title_and_year_twice_is_refused(run: Run) -> None:
    run("add", "Dune", "--year", "2021")
    message = run.error("add", "dune", "--year", "2021")
    assert message == "Error: Dune already exists (2021 #1); give --year for a remake"
    assert len(run.json("list")) == 1


def test_remakes_share_a_title_when_years_differ(run: Run) -> None:
    run("add", "Dune", "--year", "1984")
    run("add", "Dune", "--year", "2021")
    message = run.error("show", "Dune")
    assert "#1" in message and "#2" in message and "(1984)" in message and "(2021)" in message
    assert run.json("show", "Dune (2021)")["id"] == 2


@pytest.mark.parametrize(
    "name",
    ["#7", "mission: impossible – dead reckoning part one", "Mission: Impossible 7",
     "MISSION: IMPOSSIBLE 7", "Dead Reckoning Part One",
     "Mission: Impossible – Dead Reckoning Part One (2023)"],
)  # fmt: skip
def test_a_film_can_be_named_every_documented_way(demo: Run, name: str) -> None:
    assert demo.json("show", name)["id"] == 7


def test_a_former_title_still_names_the_film(demo: Run) -> None:
    assert demo.json("show", "Mission: Impossible – Dead Reckoning Part Two")["id"] == 8


def test_franchise_and_instalment_name_a_film(demo: Run) -> None:
    assert demo.json("show", "mission: impossible 5")["title"].endswith("Rogue Nation")


def test_a_title_that_is_a_number_names_its_film(run: Run) -> None:
    run("add", "1917", "--year", "2019")
    run("add", "2012", "--year", "2009")
    assert run.json("show", "2012")["year"] == 2009
    assert run.json("show", "1917")["id"] == 1


def test_an_ambiguous_part_lists_the_matches(demo: Run) -> None:
    message = demo.error("--today", "2026-01-01", "show", "Reckoning")  # both out by then
    assert "#7" in message and "#8" in message and "(2023)" in message


def test_an_unknown_film_is_an_error(demo: Run) -> None:
    assert "no film matches 'Top Gun'" in demo.error("show", "Top Gun")
    assert "no film #99" in demo.error("show", "#99")


def test_edit_keeps_the_old_title_in_the_title_history(run: Run) -> None:
    run("add", "Mission: Impossible 8", "--year", "2025", "--on", "2020-10-01")
    run("edit", "Mission: Impossible 8", "--title", "The Final Reckoning", "--instalment", "8")
    shown = run.json("show", "Mission: Impossible 8")  # the old title still names it
    assert shown["title"] == "The Final Reckoning"
    assert shown["instalment"] == 8
    assert [title["title"] for title in shown["titles"]] == [
        "Mission: Impossible 8", "The Final Reckoning",
    ]  # fmt: skip
    # Not an alias too: an alias has no day, so it would show the title on every day.
    assert shown["aliases"] == []
    earlier = run.json("--today", "2020-10-14", "show", "#1")
    assert (earlier["title"], earlier["aliases"]) == ("Mission: Impossible 8", [])


def test_add_refuses_a_title_a_film_had_before(demo: Run) -> None:
    # "Mission: Impossible 7" is #7's first title: still its name, not a new film's.
    for year in ((), ("--year", "2023")):
        assert demo.error("add", "Mission: Impossible 7", *year) == (
            "Error: Mission: Impossible – Dead Reckoning Part One already exists (2023 #7);"
            " give --year for a remake"
        )
    assert len(demo.json("list")) == 8
    assert demo.json("countdown", "Mission: Impossible 7", "-f", "json")["id"] == 7
    # Nor may another film of its year take it as a title.
    demo("add", "Other", "--year", "2023")
    assert demo.error("edit", "Other", "--title", "mission impossible 7") == (
        "Error: mission impossible 7 (2023) is a title of Mission: Impossible – Dead Reckoning"
        " Part One, already tracked as #7; give a different --year for a remake"
    )


def test_edit_to_an_existing_title_and_year_is_refused(run: Run) -> None:
    run("add", "A", "--year", "2020")
    run("add", "B", "--year", "2020")
    run.error("edit", "B", "--title", "a")
    assert run.json("show", "#2")["title"] == "B"


def test_remove_needs_yes(run: Run) -> None:
    run("add", "Dune", "--release", "2021")
    assert "--yes" in run.error("remove", "Dune")
    assert len(run.json("list")) == 1
    run("remove", "Dune", "--yes")
    assert run.json("list") == []


def test_status_changes_are_dated_and_answer_as_of_a_day(run: Run) -> None:
    run("add", "Dune")
    run("status", "Dune", "filming", "--on", "2019-03")
    run("status", "Dune", "wrapped", "--on", "2019-07-28")
    assert run.json("show", "Dune")["status"] == "announced"  # announced today (2020-10-15)
    assert run.json("--today", "2019-05-01", "show", "Dune")["status"] == "filming"
    assert run.json("--today", "2019-08-01", "show", "Dune")["status"] == "wrapped"
    # Before its first status, nobody had heard of it: nothing to show, not even its title.
    for reader in ("show", "countdown", "history", "statuses", "sources"):
        assert run.error("--today", "2019-01-01", reader, "Dune") == (
            "Error: 'Dune' was not yet known on Tue 1 Jan 2019"
        )


def test_the_same_status_change_again_is_not_stored_twice(run: Run) -> None:
    """A script run twice records each fact once; the first stays undoable, and the same
    status from a second source is a fact of its own."""
    run("add", "Alpha", "--status", "announced", "--on", "2020-01-10")
    run("status", "Alpha", "filming", "--on", "2020-03-01", "--source", "https://a.example")
    again = run("status", "Alpha", "filming", "--on", "2020-03-01", "--source", "https://a.example")
    assert again.stdout.startswith("Already recorded: Alpha: filming from")
    assert [row["status"] for row in run.json("statuses", "Alpha")] == ["announced", "filming"]
    run("undo")  # takes back the first `status filming`: the second wrote nothing
    assert [row["status"] for row in run.json("statuses", "Alpha")] == ["announced"]
    run("status", "Alpha", "filming", "--on", "2020-03-01", "--source", "https://a.example")
    run("status", "Alpha", "filming", "--on", "2020-03-01", "--source", "https://b.example")
    assert len(run.json("statuses", "Alpha")) == 3


def test_list_filters_by_franchise_and_status(demo: Run) -> None:
    run = demo
    run("add", "Dune")
    assert len(run.json("list", "--franchise", "mission: impossible")) == 8
    assert [f["id"] for f in run.json("list", "--status", "filming")] == [7]
    # 8 "filming" as the seed article (published 2020-10) says: known from 31 Oct 2020.
    filming = run.json("--today", "2020-11-01", "list", "--status", "filming")
    assert [f["id"] for f in filming] == [7, 8]
    assert set(filming[0]) == {"id", "title", "year", "franchise", "instalment", "status"}


def test_show_has_the_contract_keys(demo: Run) -> None:
    shown = demo.json("show", "Mission: Impossible 7")
    assert set(shown) >= {
        "id", "title", "year", "franchise", "instalment", "status", "aliases", "releases",
    }  # fmt: skip
    assert shown["status"] == "filming"
    history = demo.json("history", "Mission: Impossible 7")
    assert shown["releases"] == [
        {
            "id": history[-1]["id"],  # the announcement `amend release` corrects
            "country": "US",
            "type": "theatrical",
            "date": "2021-11-19",
            "precision": "day",
            "announced": "2020-04-24",
            "source": "variety.com/2020/film/box-office/mission-impossible-sequels-get-pushed-back-1234589362/",
        }
    ]


def test_show_table_prints_fields_and_releases(demo: Run) -> None:
    out = demo("show", "Mission: Impossible 7").stdout
    assert "Fri 19 Nov 2021" in out and "filming" in out and "releases:" in out


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["add", "X", "--status", "filmng"], "did you mean filming?"),
        (["add", "X", "--release", "2021", "--type", "theatre"], "did you mean theatrical?"),
        (["add", "X", "--release", "2021", "--country", "Norwya"], "Norway (NO)"),
        (["add", "X", "--release", "05/06/2021"], "YYYY-MM-DD"),
        (["add", "X", "--release", "2021-02-30"], "2021-02-30"),
        (["add", "X", "--year", "12"], "year 12"),
        (["add", "   "], "cannot be empty"),
        (["add", "bad\ttitle"], "control character"),
        (["--today", "soon", "list"], "soon"),
        (["--today", "2020-10", "list"], "not a single day"),
    ],
)
def test_bad_values_give_one_error_line_and_change_nothing(
    run: Run, args: list[str], expected: str
) -> None:
    assert expected in run.error(*args)
    assert run.json("list") == []


def test_today_comes_from_the_environment_when_not_given(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_TODAY", "2001-02-03")
    run("add", "Dune")
    assert run.json("history", "Dune") == []
    run("release", "Dune", "2002")
    assert run.json("history", "Dune")[0]["announced"] == "2001-02-03"
    monkeypatch.setenv("TRACKER_TODAY", "2001-02")  # a bad one is named as the variable's
    assert run.error("list") == (
        "Error: $TRACKER_TODAY: '2001-02' is not a single day: write YYYY-MM-DD"
    )
    assert run.error("--today", "soon", "list").startswith("Error: --today: cannot read date")


def test_usage_errors_are_one_error_line_and_exit_one(run: Run) -> None:
    assert run.error("add").startswith("Error: Missing argument 'title'")
    assert "'xml' is not one of" in run.error("list", "--format", "xml")


@pytest.mark.parametrize(
    ("options", "named"),
    [
        (["--note", "hello"], "--note describes --release"),
        (["--source", "https://x.example"], "--source describes --release"),
        (["--country", "Norway"], "--country describes --release"),
        (["--type", "digital"], "--type describes --release"),
        (
            ["--note", "n", "--source", "https://x.example", "-c", "US", "-t", "tv"],
            "--country, --type, --source and --note describe --release",
        ),
    ],
)
def test_add_refuses_release_options_without_a_release(
    run: Run, db_bytes: DbFile, options: list[str], named: str
) -> None:
    """They would be stored nowhere (audit 2, item 3), as --announced alone is refused."""
    run("add", "Seed")
    before = db_bytes()
    assert run.error("add", "Fut5", *options) == f"Error: {named}; give --release too"
    assert db_bytes() == before
    run("add", "Fut5", "--release", "2025", *options)
    assert [row["title"] for row in run.json("upcoming")] == ["Fut5"]


def test_edit_with_nothing_to_change_is_refused_and_keeps_undo(run: Run, db_bytes: DbFile) -> None:
    """A bare `edit FILM` took the one undo slot from the change before (audit 2, item 10)."""
    run("add", "S", "--year", "2025", "--release", "2025-12-19", "-c", "US")
    run("release", "S", "2026-01-01", "-c", "US")
    before = db_bytes()
    line = run.error("edit", "S")
    assert line.startswith("Error: nothing to change: give at least one of --title, --year,")
    assert db_bytes() == before
    same = run("edit", "S", "--title", "S", "--year", "2025", "--alias", "S")
    assert same.stdout.strip() == "Nothing changed: S (2025) #1"
    assert run("undo").stdout.startswith("Undid: release S 2026-01-01")
    assert run.json("history", "S")[-1]["date"] == "2025-12-19"


def test_edit_of_a_real_change_is_still_undoable(run: Run) -> None:
    run("add", "S", "--year", "2025")
    assert run("edit", "S", "--year", "2026").stdout.strip() == "Updated S (2026) #1"
    assert run("undo").stdout.startswith("Undid: edit S --year 2026")
    assert run.json("list")[0]["year"] == 2025
