"""Correcting a retitle: `amend title ID` (the id `timeline` shows for a retitle) changes its
day and source, checked as `retitle` checks them; a title is never deleted."""

from __future__ import annotations

import datetime

import pytest

from tests.conftest import Run
from tracker.dates import parse_date
from tracker.domain.corrections import Amendment, amend, delete
from tracker.domain.films import add_film, retitle
from tracker.errors import InvalidValue
from tracker.store import Store
from tracker.store.safety import check

TODAY = datetime.date(2020, 10, 15)


@pytest.fixture
def renamed(run: Run) -> Run:
    """Film #1, 'Seven', retitled 'Dead Reckoning' on 2020-06-10, then a note of its own."""
    run("add", "Seven", "--on", "2019-01-14")
    run("retitle", "Seven", "Dead Reckoning", "--on", "2020-06-10", "--source", "https://a.example")
    run("note", "#1", "a ramp", "--on", "2020-09-01")
    return run


def _retitle_row(run: Run) -> dict[str, object]:
    (row,) = run.json("timeline", "#1", "--kind", "retitle")
    return row  # type: ignore[no-any-return]


def test_the_id_timeline_shows_for_a_retitle_is_the_one_amend_title_takes(renamed: Run) -> None:
    row = _retitle_row(renamed)
    (note,) = renamed.json("timeline", "#1", "--kind", "note")
    out = renamed("amend", "title", str(row["id"]), "--on", "2020-06-12").stdout
    assert out.strip() == (
        f"title #{row['id']} (retitle from 'Seven' to 'Dead Reckoning'):"
        " day Wed 10 Jun 2020 → Fri 12 Jun 2020"
    )
    moved = _retitle_row(renamed)
    assert (moved["id"], moved["date"], moved["text"]) == (
        row["id"], "2020-06-12", "retitled from 'Seven' to 'Dead Reckoning'",
    )  # fmt: skip
    assert renamed.json("timeline", "#1", "--kind", "note") == [note]  # no other fact changed
    # Known from its new day: on the 11th the film was still 'Seven'.
    assert renamed.json("--today", "2020-06-11", "show", "#1")["title"] == "Seven"
    assert renamed.json("--today", "2020-06-12", "show", "#1")["title"] == "Dead Reckoning"


def test_amend_title_changes_the_source_and_undo_takes_it_back(renamed: Run) -> None:
    title_id = str(_retitle_row(renamed)["id"])
    out = renamed("amend", "title", f"#{title_id}", "--source", "").stdout
    assert out.strip().endswith("source https://a.example → (none)")
    assert _retitle_row(renamed)["source"] is None
    assert "Undid: amend title" in renamed("undo").stdout
    assert _retitle_row(renamed)["source"] == "https://a.example"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--on", "2020-10-16"), "retitled Fri 16 Oct 2020 is after today (2020-10-15)"),
        (("--on", "2021"), "retitled 2021 is after today"),
        (("--on", "TBA"), "retitled needs a date, not TBA"),
        (("--note", "x"), "--note does not apply to a title (it takes --on, --source)"),
        ((), "nothing to change: give one of --on, --source for a title"),
    ],
)
def test_amend_title_refuses_what_retitle_refuses(
    renamed: Run, args: tuple[str, ...], message: str
) -> None:
    title_id = str(_retitle_row(renamed)["id"])
    assert message in renamed.error("amend", "title", title_id, *args)


def test_a_films_first_title_has_no_day_to_amend(renamed: Run) -> None:
    first = renamed.json("timeline", "#1", "--kind", "retitle")[0]["id"] - 1
    error = renamed.error("amend", "title", str(first), "--on", "2019-01-01")
    assert error == (
        f"Error: title #{first} is Seven, the first title of Dead Reckoning: it has no day"
        " or source to amend (only a retitle's)"
    )


def test_a_title_is_never_deleted(renamed: Run) -> None:
    title_id = str(_retitle_row(renamed)["id"])
    for args in ((), ("--yes",)):
        error = renamed.error("delete", "title", title_id, *args)
        assert error.startswith("Error: a retitle is not deleted: it renamed its film")
        assert f"`tracker amend title {title_id} --on DAY` moves it" in error
    assert "a film keeps its first title" in renamed.error("delete", "title", "1", "--yes")
    assert _retitle_row(renamed)["id"] == int(title_id)


def test_moving_a_retitle_keeps_the_film_under_its_latest_title(store: Store) -> None:
    """Seven → Dead Reckoning (2020-03) → Part One (2020-06): Part One moved before Dead
    Reckoning makes Dead Reckoning the latest title, which the film's stored title follows."""
    film = add_film(store, "Seven", today=TODAY, on=parse_date("2019"))
    retitle(store, film, "Dead Reckoning", parse_date("2020-03-01"), today=TODAY)
    retitle(store, film, "Part One", parse_date("2020-06-01"), today=TODAY)
    part_one = store.value("SELECT id FROM titles WHERE title = 'Part One'")
    done = amend(store, "title", part_one, Amendment(on="2020-02"), today=TODAY)
    assert done.changes == (("day", "Mon 1 Jun 2020", "Feb 2020"),)
    assert store.value("SELECT title FROM films WHERE id = ?", [film.id]) == "Dead Reckoning"
    row = store.row("SELECT on_date, on_start, known_from FROM titles WHERE id = ?", [part_one])
    assert tuple(row) == ("2020-02", "2020-02-01", "2020-02-29")
    assert check(store) == []


def test_a_retitle_cannot_be_moved_to_follow_its_own_title(store: Store) -> None:
    """Seven → Eight (2020-03) → Seven (2020-06): moving Eight after the second Seven would
    retitle Seven to Seven, and the history stays as it was."""
    film = add_film(store, "Seven", today=TODAY, on=parse_date("2019"))
    retitle(store, film, "Eight", parse_date("2020-03-01"), today=TODAY)
    retitle(store, film, "Seven", parse_date("2020-06-01"), today=TODAY)
    eight = store.value("SELECT id FROM titles WHERE title = 'Eight'")
    with pytest.raises(InvalidValue, match="retitled to 'Seven' when it already had that title"):
        amend(store, "title", eight, Amendment(on="2020-07-01"), today=TODAY)
    assert store.value("SELECT on_date FROM titles WHERE id = ?", [eight]) == "2020-03-01"
    with pytest.raises(InvalidValue, match="a retitle is not deleted"):
        delete(store, "title", eight, today=TODAY)


def test_amend_event_on_a_retitles_id_points_to_amend_title(renamed: Run) -> None:
    title_id = str(_retitle_row(renamed)["id"])  # 2; the note is event #1
    error = renamed.error("amend", "event", title_id, "--on", "2020-06-12")
    assert error.startswith(f"Error: no event #{title_id} (see `tracker timeline")
    assert error.endswith("a retitle is a title`)")


def test_a_retitle_is_refused_where_the_next_title_has_its_name(store: Store) -> None:
    """Seven → Eight (2020-06-01): retitling to Eight on 2020 (from 1 Jan) would be followed
    by Eight again, retitling Eight to Eight; `amend title` refuses the same history."""
    film = add_film(store, "Seven", today=TODAY, on=parse_date("2019"))
    retitle(store, film, "Eight", parse_date("2020-06-01"), today=TODAY)
    eight = store.value("SELECT id FROM titles WHERE title = 'Eight'")
    with pytest.raises(InvalidValue) as refused:
        retitle(store, film, "eight", parse_date("2020"), today=TODAY)
    assert str(refused.value) == (
        f"Seven is already retitled 'Eight' on Mon 1 Jun 2020 (title #{eight});"
        f" to date that retitle otherwise: tracker amend title {eight} --on DAY"
    )
    assert store.value("SELECT count(*) FROM titles WHERE film_id = ?", [film.id]) == 2
    retitle(store, film, "Nine", parse_date("2020"), today=TODAY)  # another name is fine
    assert check(store) == []
