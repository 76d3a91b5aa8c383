"""Corrections through the library: amend and delete one fact of each kind, by its id."""

from __future__ import annotations

import contextlib
import datetime
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.dates import FuzzyDate, check_happened, from_iso, parse_date
from tracker.domain import corrections, diary, events, films, people, releases, shoots
from tracker.domain.corrections import Amendment, amend, delete
from tracker.errors import InvalidDate, InvalidValue, TrackerError
from tracker.store import Store
from tracker.store.safety import check
from tracker.store.undo import last_label, revert_last

TODAY = datetime.date(2020, 10, 15)


@dataclass
class Facts:
    film: films.Film
    other: films.Film
    release: int
    status: int
    note: int
    viewing: int
    shoot: int
    credit: int


@pytest.fixture
def facts(store: Store) -> Facts:
    """One fact of every kind, recorded on 2020-10-15 by the usual write functions."""
    with store.transaction():
        film = films.add_film(store, "Mission: Impossible 7", today=TODAY, status="filming")
        other = films.add_film(store, "Mission: Impossible 8", today=TODAY)
        release = releases.announce(
            store, film, parse_date("2021-11-19"), today=TODAY, country="US",
            announced=parse_date("2020-04"), note="pandemic",
        ).release.id  # fmt: skip
        status = int(store.value("SELECT id FROM status_events WHERE film_id = ?", [film.id]))
        note = events.add_note(store, film, "a ramp", parse_date("2020"), kind="stunt")
        viewing = diary.record_viewing(store, film, seen_on=datetime.date(2020, 10, 1), today=TODAY)
        shoot = shoots.add_shoot(
            store, [film, other], "Stranda", "NO", end=parse_date("2020-10")
        ).id
        credit = people.insert_credit(store, film.id, "Tom Cruise", "cast")
    return Facts(film, other, release, status, note, viewing, shoot, credit)


def _row(store: Store, table: str, fact_id: int) -> dict[str, object]:
    row = store.row(f"SELECT * FROM {table} WHERE id = ?", [fact_id])
    assert row is not None
    return dict(row)


# --- release ------------------------------------------------------------------------------


def test_amend_release_rewrites_every_derived_column(store: Store, facts: Facts) -> None:
    done = amend(
        store, "release", facts.release,
        Amendment(date="Q2 2022", announced="2021-09", country="GB", type="digital",
                  source="https://example.com/a", note=""),
        today=datetime.date(2021, 10, 1),
    )  # fmt: skip
    row = _row(store, "releases", facts.release)
    assert (row["date"], row["date_start"], row["date_end"]) == (
        "2022-Q2",
        "2022-04-01",
        "2022-06-30",
    )
    assert (row["announced"], row["announced_start"], row["known_from"]) == (
        "2021-09", "2021-09-01", "2021-09-30",
    )  # fmt: skip
    assert (row["country"], row["type"], row["source"], row["note"]) == (
        "GB", "digital", "https://example.com/a", None,
    )  # fmt: skip
    assert done.message == (
        f"release #{facts.release} (Mission: Impossible 7 · theatrical (US)):"
        " date Fri 19 Nov 2021 → Q2 2022; announced Apr 2020 → Sep 2021; country US → GB;"
        " type theatrical → digital; source (none) → https://example.com/a;"
        " note pandemic → (none)"
    )
    assert check(store) == []


def test_amend_release_accepts_a_future_date_and_tba_and_worldwide(
    store: Store, facts: Facts
) -> None:
    amend(store, "release", f"#{facts.release}", Amendment(date="2030-01-01"), today=TODAY)
    assert _row(store, "releases", facts.release)["date_start"] == "2030-01-01"
    amend(store, "release", facts.release, Amendment(date="TBA", country="worldwide"), today=TODAY)
    row = _row(store, "releases", facts.release)
    assert (row["date"], row["date_start"], row["date_end"], row["country"]) == (
        None, None, None, None,
    )  # fmt: skip
    assert check(store) == []


def test_amend_release_refuses_a_future_or_tba_announcement(store: Store, facts: Facts) -> None:
    before = _row(store, "releases", facts.release)
    with pytest.raises(InvalidDate, match=r"announced 2021 is after today \(2020-10-15\)"):
        amend(store, "release", facts.release, Amendment(announced="2021"), today=TODAY)
    with pytest.raises(InvalidDate, match="needs a date, not TBA"):
        amend(store, "release", facts.release, Amendment(announced="TBA"), today=TODAY)
    with pytest.raises(InvalidValue, match="unknown release type"):
        amend(store, "release", facts.release, Amendment(type="cinema"), today=TODAY)
    with pytest.raises(InvalidValue, match="unknown country"):
        amend(store, "release", facts.release, Amendment(country="Narnia"), today=TODAY)
    assert _row(store, "releases", facts.release) == before


def test_an_announcement_known_only_this_month_is_not_future(store: Store, facts: Facts) -> None:
    amend(store, "release", facts.release, Amendment(announced="2020-10"), today=TODAY)
    assert _row(store, "releases", facts.release)["announced"] == "2020-10"


# --- status -------------------------------------------------------------------------------


def test_amend_status_changes_its_day_status_source_and_note(store: Store, facts: Facts) -> None:
    done = amend(
        store, "status", facts.status,
        Amendment(on="2020-02", status="paused", source="https://example.com/s", note="COVID"),
        today=TODAY,
    )  # fmt: skip
    row = _row(store, "status_events", facts.status)
    assert (row["on_date"], row["on_start"], row["known_from"]) == (
        "2020-02", "2020-02-01", "2020-02-29",
    )  # fmt: skip
    assert (row["status"], row["source"], row["note"]) == (
        "paused", "https://example.com/s", "COVID",
    )  # fmt: skip
    assert "day Thu 15 Oct 2020 → Feb 2020; status filming → paused" in done.message
    assert films.status_as_of(store, facts.film.id, datetime.date(2020, 3, 1)) == "paused"
    assert check(store) == []


def test_amend_status_refuses_a_future_day_and_a_bad_status(store: Store, facts: Facts) -> None:
    with pytest.raises(InvalidDate, match=r"status on Q1 2021 is after today"):
        amend(store, "status", facts.status, Amendment(on="Q1 2021"), today=TODAY)
    with pytest.raises(InvalidValue, match="did you mean filming"):
        amend(store, "status", facts.status, Amendment(status="filmng"), today=TODAY)
    assert _row(store, "status_events", facts.status)["status"] == "filming"


# --- event --------------------------------------------------------------------------------


def test_amend_event_changes_day_kind_text_and_source(store: Store, facts: Facts) -> None:
    done = amend(
        store, "event", facts.note,
        Amendment(on="2020-09-01", type="teaser", note="the bike ramp", source="https://e.x"),
        today=TODAY,
    )  # fmt: skip
    row = _row(store, "events", facts.note)
    assert (row["on_date"], row["on_start"], row["kind"], row["text"], row["source"]) == (
        "2020-09-01", "2020-09-01", "teaser", "the bike ramp", "https://e.x",
    )  # fmt: skip
    assert done.message.startswith(f"event #{facts.note} (Mission: Impossible 7 · stunt): day 2020")
    with pytest.raises(InvalidDate, match="teaser on Nov 2020 is after today"):
        amend(store, "event", facts.note, Amendment(on="2020-11"), today=TODAY)
    with pytest.raises(InvalidValue, match="unknown note kind"):
        amend(store, "event", facts.note, Amendment(type="retitle"), today=TODAY)
    assert check(store) == []


# --- viewing ------------------------------------------------------------------------------


def test_amend_viewing_changes_day_rating_place_and_note(store: Store, facts: Facts) -> None:
    done = amend(
        store, "viewing", facts.viewing,
        Amendment(on="2020-10-02", rating=4.5, where="Cinema", note="IMAX"), today=TODAY,
    )  # fmt: skip
    row = _row(store, "viewings", facts.viewing)
    assert (row["seen_on"], row["rating"], row["place"], row["note"]) == (
        "2020-10-02", 4.5, "cinema", "IMAX",
    )  # fmt: skip
    assert "rating (none) → ★★★★½" in done.message


@pytest.mark.parametrize(
    ("amendment", "message"),
    [
        (Amendment(on="2020-10-16"), "after today"),
        (Amendment(on="2020-10"), "one day"),
        (Amendment(rating=6), "out of range"),
        (Amendment(where="sofa"), "unknown place"),
    ],
)
def test_amend_viewing_refuses_what_seen_refuses(
    store: Store, facts: Facts, amendment: Amendment, message: str
) -> None:
    with pytest.raises(TrackerError, match=message):
        amend(store, "viewing", facts.viewing, amendment, today=TODAY)
    assert _row(store, "viewings", facts.viewing)["seen_on"] == "2020-10-01"


# --- shoot --------------------------------------------------------------------------------


def test_amend_shoot_may_plan_ahead_and_keeps_its_keys(store: Store, facts: Facts) -> None:
    done = amend(
        store, "shoot", facts.shoot,
        Amendment(start="2021-03", end="2021-Q2", country="Italy", source="https://s.x", note="n"),
        today=TODAY,
    )  # fmt: skip
    row = _row(store, "shoots", facts.shoot)
    assert (row["start"], row["start_key"], row["end"], row["end_key"], row["country"]) == (
        "2021-03", "2021-03-01", "2021-Q2", "2021-04-01", "IT",
    )  # fmt: skip
    assert (row["source"], row["note"]) == ("https://s.x", "n")
    assert done.message.startswith(f"shoot #{facts.shoot} (Stranda (NO)): from TBA → Mar 2021")
    amend(store, "shoot", facts.shoot, Amendment(start="TBA"), today=TODAY)
    assert _row(store, "shoots", facts.shoot)["start_key"] is None
    with pytest.raises(InvalidDate, match="before the start"):
        amend(store, "shoot", facts.shoot, Amendment(start="2021-07"), today=TODAY)
    assert check(store) == []


# --- credit -------------------------------------------------------------------------------


def test_amend_credit_changes_role_and_character(store: Store, facts: Facts) -> None:
    done = amend(
        store, "credit", facts.credit, Amendment(role="Producer", character="Ethan"), today=TODAY
    )
    row = _row(store, "credits", facts.credit)
    assert (row["role"], row["character"]) == ("producer", "Ethan")
    assert done.message == (
        f"credit #{facts.credit} (Mission: Impossible 7 · Tom Cruise):"
        " role cast → producer; character (none) → Ethan"
    )
    with store.transaction():
        people.insert_credit(store, facts.film.id, "Tom Cruise", "cast")
    with pytest.raises(InvalidValue, match="already credited as cast"):
        amend(store, "credit", facts.credit, Amendment(role="cast"), today=TODAY)
    amend(store, "credit", facts.credit, Amendment(character=""), today=TODAY)
    assert _row(store, "credits", facts.credit)["character"] is None


# --- every kind: delete, errors, transactions ---------------------------------------------

TABLES = {
    "release": "releases",
    "status": "status_events",
    "event": "events",
    "viewing": "viewings",
    "shoot": "shoots",
    "credit": "credits",
}


@pytest.mark.parametrize("kind", ["release", "status", "event", "viewing", "shoot", "credit"])
def test_delete_removes_one_fact_and_undo_brings_it_back(
    store: Store, facts: Facts, kind: str
) -> None:
    fact_id = {"event": facts.note}.get(kind) or getattr(facts, kind)
    before = _row(store, TABLES[kind], fact_id)
    others = store.value(f"SELECT count(*) FROM {TABLES[kind]}")
    done = delete(store, kind, fact_id, today=TODAY)
    assert done.message.startswith(f"Deleted {kind} #{fact_id} (")
    assert store.row(f"SELECT 1 FROM {TABLES[kind]} WHERE id = ?", [fact_id]) is None
    assert store.value(f"SELECT count(*) FROM {TABLES[kind]}") == others - 1
    assert last_label(store.conn) == f"delete {kind} #{fact_id}"  # the library's own label
    with store.transaction():
        revert_last(store.conn)
    assert _row(store, TABLES[kind], fact_id) == before
    assert check(store) == []


def test_deleting_a_shoot_drops_its_links_to_every_film(store: Store, facts: Facts) -> None:
    delete(store, "shoot", facts.shoot, today=TODAY)
    assert store.value("SELECT count(*) FROM shoot_films") == 0
    with store.transaction():
        revert_last(store.conn)
    assert store.value("SELECT count(*) FROM shoot_films WHERE shoot_id = ?", [facts.shoot]) == 2


@pytest.mark.parametrize(
    ("kind", "amendment", "message"),
    [
        ("release", Amendment(on="2020"), "--on does not apply to a release"),
        ("status", Amendment(date="2020"), "--date does not apply to a status"),
        ("event", Amendment(country="US"), "--country does not apply to an event"),
        ("viewing", Amendment(source="x"), "--source does not apply to a viewing"),
        ("shoot", Amendment(announced="2020"), "--announced does not apply to a shoot"),
        ("credit", Amendment(note="x"), "--note does not apply to a credit"),
        ("status", Amendment(), "nothing to change: give one of --on, --status"),
    ],
)
def test_an_option_that_does_not_apply_is_refused(
    store: Store, facts: Facts, kind: str, amendment: Amendment, message: str
) -> None:
    fact_id = {"event": facts.note}.get(kind) or getattr(facts, kind)
    with pytest.raises(InvalidValue, match=message):
        amend(store, kind, fact_id, amendment, today=TODAY)


def test_unknown_kinds_and_ids_are_refused(store: Store, facts: Facts) -> None:
    with pytest.raises(InvalidValue, match=r"no release #999 \(see `tracker history FILM`\)"):
        amend(store, "release", 999, Amendment(note="x"), today=TODAY)
    with pytest.raises(InvalidValue, match="no viewing #999"):
        delete(store, "viewing", "#999", today=TODAY)
    with pytest.raises(InvalidValue, match="did you mean release"):
        delete(store, "releases", facts.release, today=TODAY)
    with pytest.raises(InvalidValue, match="is not a status id"):
        delete(store, "status", "seven", today=TODAY)


def test_an_unchanged_value_writes_nothing(store: Store, facts: Facts) -> None:
    delete(store, "credit", facts.credit, today=TODAY)
    done = amend(store, "status", facts.status, Amendment(status="filming"), today=TODAY)
    assert done.message.endswith(": nothing changed")
    assert last_label(store.conn) == f"delete credit #{facts.credit}"  # still the last command


def test_the_callers_label_wins_and_a_nested_failure_rolls_back_only_its_part(
    store: Store, facts: Facts
) -> None:
    store.label = "a script's own batch"
    with store.transaction():
        amend(store, "release", facts.release, Amendment(note="first"), today=TODAY)
        with contextlib.suppress(InvalidDate):
            amend(
                store, "release", facts.release, Amendment(note="x", announced="2030"), today=TODAY
            )
    assert _row(store, "releases", facts.release)["note"] == "first"
    assert last_label(store.conn) == "a script's own batch"
    store.label = None
    amend(store, "release", facts.release, Amendment(note="second"), today=TODAY)
    assert last_label(store.conn) == f"amend release #{facts.release}"


@given(number=st.integers(min_value=0, max_value=10**12), hashed=st.booleans())
def test_fact_ids_read_with_or_without_a_hash(number: int, hashed: bool) -> None:
    assert corrections.parse_fact_id(f"{'#' if hashed else ''}{number}") == number


@given(text=st.text(max_size=20))
def test_any_other_id_text_is_refused_clearly(text: str) -> None:
    try:
        number = corrections.parse_fact_id(text)
    except InvalidValue as error:
        assert "is not a fact id" in str(error)
    else:
        assert number >= 0 and str(number) in text


days = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31))
fuzzy = st.one_of(
    days.map(lambda day: from_iso(day.isoformat())),
    days.map(lambda day: from_iso(day.isoformat()[:7])),
    days.map(lambda day: from_iso(f"{day.year}-Q{(day.month + 2) // 3}")),
    days.map(lambda day: from_iso(str(day.year))),
)


@given(date=fuzzy, today=days)
def test_a_day_is_in_the_future_when_its_window_starts_after_today(
    date: FuzzyDate, today: datetime.date
) -> None:
    assert date.start is not None
    if date.start > today:
        with pytest.raises(InvalidDate, match="is after today"):
            check_happened(date, today, "status on")
    else:
        assert check_happened(date, today, "status on") == date
