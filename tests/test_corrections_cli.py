"""Corrections through the CLI: ids in listings, amend, delete, undo, and no future days for
what has happened."""

from __future__ import annotations

import pytest

from tests.conftest import DbFile, Run

MI7 = "Mission: Impossible 7"
MI8 = "Mission: Impossible 8"


@pytest.fixture
def film(run: Run) -> Run:
    """MI7 with one fact of every kind, recorded on 2020-10-15 and known by then (a fact dated
    to a month counts from its last day)."""
    run("add", MI7, "--status", "filming", "--on", "2020-09", "--release", "2021-11-19",
        "--country", "US", "--announced", "2020-04")  # fmt: skip
    run("add", MI8)
    run("note", MI7, "a long ramp", "--kind", "stunt", "--on", "2020-09")
    run("seen", MI7, "--on", "2020-10-01", "--rating", "4")
    run("shoot", "add", MI7, "Stranda", "-c", "NO", "--to", "2020-09", "--also", MI8)
    run("credit", "add", MI7, "Tom Cruise", "--role", "cast")
    return run


def _ids(run: Run) -> dict[str, int]:
    """The id of each kind of fact, read from the listings a user reads."""
    shown = run.json("show", MI7)
    return {
        "release": run.json("history", MI7)[0]["id"],
        "status": run.json("statuses", MI7)[0]["id"],
        "event": shown["events"][0]["id"],
        "viewing": run.json("diary")[0]["id"],
        "shoot": run.json("shoot", "list", MI7)[0]["id"],
        "credit": shown["credits"][0]["id"],
    }


def test_every_listing_shows_the_ids_of_its_facts(film: Run) -> None:
    ids = _ids(film)
    assert all(isinstance(value, int) for value in ids.values())
    statuses = film.json("statuses", MI7)
    assert statuses == [
        {"id": ids["status"], "date": "2020-09", "precision": "month", "status": "filming",
         "note": None, "source": None},
    ]  # fmt: skip
    shown = film.json("show", MI7)
    assert shown["releases"][0]["id"] == ids["release"]
    timeline = {(row["kind"], row["id"]) for row in film.json("timeline", MI7)}
    assert {("status", ids["status"]), ("release_announced", ids["release"]),
            ("note", ids["event"]), ("shoot_end", ids["shoot"])} <= timeline  # fmt: skip
    table = film("history", MI7).stdout.splitlines()
    assert table[0].split()[0] == "id" and table[2].split()[0] == str(ids["release"])
    assert film("statuses", MI7).stdout.splitlines()[0].split()[0] == "id"
    assert film("--today", "2020-08-01", "statuses", MI7).stdout.strip() == (
        "No status recorded yet."
    )


def test_add_takes_the_day_of_its_status_and_of_its_announcement(film: Run) -> None:
    (status,) = film.json("statuses", MI7)
    assert (status["date"], status["status"]) == ("2020-09", "filming")
    (announcement,) = film.json("history", MI7)
    assert (announcement["announced"], announcement["date"]) == ("2020-04", "2021-11-19")
    assert film.json("--today", "2020-08-31", "show", MI7)["status"] is None
    # Known from its date announced (Apr 2020: from the 30th), before its first status.
    assert [row["id"] for row in film.json("--today", "2020-08-31", "list")] == [1]
    assert film.json("--today", "2020-04-29", "list") == []  # not known to anyone yet
    assert "give --release too" in film.error("add", "X", "--announced", "2020")


FUTURE_DAYS = [
    (("add", "X", "--on", "2020-11"), "status on Nov 2020 is after today (2020-10-15)"),
    (("add", "X", "--release", "2022", "--announced", "2021"), "announced 2021 is after today"),
    (("status", MI7, "wrapped", "--on", "2020-10-16"), "status on Fri 16 Oct 2020 is after"),
    (("note", MI7, "x", "--on", "Q1 2021"), "news on Q1 2021 is after today"),
    (("retitle", MI7, "Dead Reckoning", "--on", "2021"), "retitled 2021 is after today"),
    (("seen", MI7, "--on", "2020-10-16"), "seen on 2020-10-16 is after today"),
]


def test_a_day_that_has_not_come_is_refused_for_what_happened(film: Run, db_bytes: DbFile) -> None:
    before = db_bytes()
    for args, message in FUTURE_DAYS:
        assert message in film.error(*args), args
    assert db_bytes() == before


def test_a_fuzzy_day_whose_window_has_begun_is_not_future(film: Run) -> None:
    film("status", MI7, "wrapped", "--on", "2020-10")
    film("note", MI7, "this year", "--on", "2020")
    film("status", MI7, "post-production", "--on", "Q4 2020")
    # Known from the last day of their windows.
    statuses = film.json("--today", "2021-01-01", "statuses", MI7)
    assert [row["date"] for row in statuses][-2:] == ["2020-10", "2020-Q4"]
    assert [row["date"] for row in film.json("statuses", MI7)] == ["2020-09"]


def test_release_dates_and_planned_shoots_may_be_in_the_future(film: Run) -> None:
    film("release", MI8, "2030-05-01", "--country", "US")
    film("shoot", "add", MI8, "Venice", "-c", "IT", "--from", "2021-03", "--to", "2021-04")
    assert film.json("history", MI8)[0]["date"] == "2030-05-01"
    assert film.json("--today", "2021-04-10", "shoot", "list", MI8, "--now")[0]["place"] == "Venice"


def test_amend_release_prints_what_changed_and_undo_reverts_it(film: Run) -> None:
    release = _ids(film)["release"]
    out = film("amend", "release", f"#{release}", "--date", "2022-05-27", "--announced", "2020-09",
               "--note", "pandemic").stdout.strip()  # fmt: skip
    assert out == (
        f"release #{release} ({MI7} · theatrical (US)): date Fri 19 Nov 2021 → Fri 27 May 2022;"
        " announced Apr 2020 → Sep 2020; note (none) → pandemic"
    )
    assert film.json("countdown", MI7)["date"] == "2022-05-27"
    assert film("check").stdout.strip() == "ok"
    undone = film("undo").stdout
    assert f"Undid: amend release #{release} --date 2022-05-27" in undone
    assert film.json("history", MI7)[0]["date"] == "2021-11-19"
    assert film("undo").stdout.startswith("Redid: amend release")
    assert film.json("history", MI7)[0]["note"] == "pandemic"


@pytest.mark.parametrize(
    ("kind", "options", "listing", "key", "value"),
    [
        ("release", ["--country", "GB", "--type", "digital", "--source", "https://a.x"],
         ("history", MI7), "type", "digital"),
        ("status", ["--on", "2020-08", "--status", "wrapped", "--source", "https://s.x",
                    "--note", "n"], ("statuses", MI7), "status", "wrapped"),
        ("event", ["--on", "2020-09", "--type", "teaser", "--note", "t", "--source", "https://e.x"],
         ("timeline", MI7, "--kind", "note"), "text", "teaser: t"),
        ("viewing", ["--on", "2020-10-02", "--rating", "4.5", "--where", "cinema", "--note", "v"],
         ("diary",), "rating", 4.5),
        ("shoot", ["--from", "2020-09", "--to", "2020-10", "--country", "Sweden",
                   "--source", "https://h.x", "--note", "s"], ("shoot", "list"), "country", "SE"),
        ("credit", ["--role", "producer", "--character", "Ethan"], None, "role", "producer"),
    ],
)  # fmt: skip
def test_amend_every_kind_with_its_options(
    film: Run, kind: str, options: list[str], listing: tuple[str, ...] | None, key: str,
    value: object,
) -> None:  # fmt: skip
    fact_id = _ids(film)[kind]
    out = film("amend", kind, str(fact_id), *options).stdout
    assert out.startswith(f"{kind} #{fact_id} (")
    rows = film.json(*listing) if listing else film.json("show", MI7)["credits"]
    (row,) = [row for row in rows if row["id"] == fact_id]
    assert row[key] == value
    assert film("check").stdout.strip() == "ok"
    film("undo")
    rows = film.json(*listing) if listing else film.json("show", MI7)["credits"]
    (row,) = [row for row in rows if row["id"] == fact_id]
    assert row[key] != value


@pytest.mark.parametrize("kind", ["release", "status", "event", "viewing", "shoot", "credit"])
def test_delete_needs_yes_then_removes_one_fact_and_undo_restores_it(
    film: Run, db_bytes: DbFile, kind: str
) -> None:
    fact_id = _ids(film)[kind]
    before = db_bytes()
    error = film.error("delete", kind, str(fact_id))
    assert error.startswith(f"Error: deleting {kind} #{fact_id} (") and "add --yes" in error
    assert db_bytes() == before
    assert film("delete", kind, f"#{fact_id}", "--yes").stdout.startswith(
        f"Deleted {kind} #{fact_id} ("
    )
    assert kind not in _ids_left(film)
    assert f"Undid: delete {kind}" in film("undo").stdout
    assert _ids(film)[kind] == fact_id


def _ids_left(run: Run) -> set[str]:
    shown = run.json("show", MI7)
    found = {
        "release": run.json("history", MI7),
        "status": run.json("statuses", MI7),
        "event": shown["events"],
        "viewing": run.json("diary"),
        "shoot": run.json("shoot", "list", MI7),
        "credit": shown["credits"],
    }
    return {kind for kind, rows in found.items() if rows}


MISTAKES = [
    (("amend", "release", "999", "--note", "x"), "no release #999 (see `tracker history FILM`)"),
    (("delete", "shoot", "999", "--yes"), "no shoot #999 (see `tracker shoot list`)"),
    (("amend", "status", "1", "--date", "2020"), "--date does not apply to a status"),
    (("amend", "credit", "1", "--on", "2020"), "--on does not apply to a credit"),
    (("amend", "viewing", "1"), "nothing to change: give one of --on, --rating"),
    (("amend", "film", "1", "--note", "x"), "unknown kind 'film'"),
    (("delete", "status", "one", "--yes"), "'one' is not a status id"),
    (("amend", "status", "1", "--on", "2021"), "status on 2021 is after today"),
    (("amend", "release", "1", "--announced", "TBA"), "announced needs a date, not TBA"),
    (("amend", "viewing", "1", "--rating", "7"), "rating 7 is out of range"),
]


def test_corrections_refuse_mistakes_in_one_line_and_change_nothing(
    film: Run, db_bytes: DbFile
) -> None:
    before = db_bytes()
    for args, message in MISTAKES:
        assert message in film.error(*args), args
    assert db_bytes() == before


def test_amend_and_delete_name_the_film_by_its_title_of_the_day(film: Run) -> None:
    """A retitle on 10 Oct: asked as of 5 Oct, amend and delete name the film by its title
    of that day (as every other message of a day does), not its stored, latest title."""
    film("retitle", MI7, "Dead Reckoning", "--on", "2020-10-10")
    ids = _ids(film)
    before = ("--today", "2020-10-05")
    amended = film(*before, "amend", "status", str(ids["status"]), "--note", "n").stdout
    assert amended.strip() == f"status #{ids['status']} ({MI7}): note (none) → n"
    asked = film.error(*before, "delete", "event", str(ids["event"]))
    assert f"({MI7} · stunt on Sep 2020: a long ramp)" in asked
    deleted = film(*before, "delete", "credit", str(ids["credit"]), "--yes").stdout
    assert deleted.strip() == f"Deleted credit #{ids['credit']} ({MI7} · Tom Cruise · cast)"
    shoot = film.error(*before, "delete", "shoot", str(ids["shoot"]))
    assert f"Stranda (NO) · {MI7}, {MI8}" in shoot
    # As of today (after the retitle), the film's new title.
    amended = film("amend", "status", str(ids["status"]), "--note", "m").stdout
    assert amended.strip() == f"status #{ids['status']} (Dead Reckoning): note n → m"
