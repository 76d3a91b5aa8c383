"""The streamed calendar (tracker.exchange.ics) is byte for byte what the builder before it
wrote (tests/ics_reference.py: the whole calendar built in icalendar, then serialised),
on the demo and on a generated database of every kind of history, under every filter."""

from __future__ import annotations

import datetime
import random
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import icalendar
from hypothesis import example, given
from hypothesis import strategies as st

from tests import ics_reference
from tests.conftest import Run
from tracker.cli import app
from tracker.exchange import ics
from tracker.exchange import ics_lines as ical
from tracker.store import Store, open_store

FILTERS: list[dict[str, Any]] = [
    {},
    {"approximate": True},
    {"country": "US"},
    {"country": "GB", "approximate": True},
    {"types": ("theatrical", "digital")},
    {"franchise": "saga"},
    {"watchlist": "watchlist"},
    {"watchlist": "watchlist", "country": "US", "approximate": True},
    {"days": 400},
    {"days": 0, "approximate": True},
]


def same_calendars(store: Store, days: list[datetime.date]) -> int:
    """Asserts the new and the old builder agree; returns how many events were compared."""
    compared = 0
    for today in days:
        for options in FILTERS:
            old = ics_reference.build(store, today, ics_reference.Filters(**options))
            calendar = ics.stream(store, today, ics.Filters(**options))
            text = "".join(calendar)
            assert text == old.text, (today, options)
            assert (calendar.events, calendar.left_out, calendar.cancelled) == (
                old.events,
                old.left_out,
                old.cancelled,
            ), (today, options)
            compared += old.events
    return compared


@contextmanager
def opened(path: Path) -> Iterator[Store]:
    store = open_store(path)
    try:
        yield store
    finally:
        store.close()


def attempt(run: Run, *args: str) -> None:
    """A command that may be refused (removing a removed film, undoing twice): a user error
    at worst."""
    result = run.runner.invoke(app, list(args))
    assert result.exit_code in (0, 1), (args, result.stderr, result.exception)
    assert result.exit_code == 0 or result.stderr.startswith("Error: "), result.stderr


def test_the_demo_calendar_is_the_same_as_before(demo: Run, isolated: Path) -> None:
    demo("watchlist", "add", "watchlist", "#1", "#2", "#5")
    for film in ("#2", "#5"):  # FILTERS' franchise (an unknown one is an error)
        demo("edit", film, "--franchise", "Saga")
    with opened(isolated) as store:
        days = [datetime.date(2020, 10, 15), datetime.date(2019, 1, 1), datetime.date(2023, 6, 1)]
        assert same_calendars(store, days) > 50


def test_a_varied_calendar_is_the_same_as_before(run: Run, isolated: Path) -> None:
    """Moves, vaguer and TBA dates, cancelled and revived films, removed films and undone
    removals, retitles (titles that sort apart), franchises, lists, sources with odd text."""
    pick = random.Random(15)
    titles = [
        "Zeta", "alpha", "Alpha", "Émile", "émile 2", "ß Film", "Beta, Part; One", "beta",
        "Omega\\N", "Ünïcödé " + "long " * 14, "Mid", "mid",
    ]  # fmt: skip
    dates = ["2020-11-05", "2021-02", "2021-Q3", "2022", "TBA", "2020-10-20", "2019-05-01"]
    countries = ["US", "GB", ""]
    types = ["theatrical", "digital", "premiere"]
    for n, title in enumerate(titles, 1):
        extra = ["--franchise", "Saga"] if n % 3 == 0 else []
        run("add", title, "--year", str(2000 + n), "--release", pick.choice(dates[:4]),
            "--announced", "2019-03-01", *extra)  # fmt: skip
        if n % 2:
            run("watchlist", "add", "watchlist", f"#{n}")
    for step in range(70):
        film = f"#{pick.randint(1, len(titles))}"
        roll = pick.random()
        if roll < 0.6:
            country = pick.choice(countries)
            where = ["--country", country] if country else []
            source = pick.choice(["https://e.x/a,b;c", "http://e.x/" + "x" * 80, "a book", ""])
            attempt(run, "release", film, pick.choice(dates), *where, "--type", pick.choice(types),
                "--announced", f"20{pick.randint(19, 21)}-0{pick.randint(1, 9)}-1{step % 10}",
                *(["--source", source] if source else []))  # fmt: skip
        elif roll < 0.75:
            status = pick.choice(["cancelled", "filming", "cancelled", "released"])
            attempt(run, "status", film, status, "--on", f"2020-0{pick.randint(1, 9)}-01")
        elif roll < 0.82:
            attempt(run, "retitle", film, pick.choice(titles) + f" {step}", "--on", "2020-06-01")
        elif roll < 0.9:
            attempt(run, "remove", film, "--yes")
            if pick.random() < 0.4:
                attempt(run, "undo")
        else:
            attempt(run, "undo")
    for film, status, day in [
        ("#2", "cancelled", "2020-10-01"),
        ("#4", "cancelled", "2020-08-01"),
        ("#4", "filming", "2020-09-01"),
        ("#6", "cancelled", "2020-02-01"),
    ]:
        attempt(run, "status", film, status, "--on", day)  # fmt: skip
    with opened(isolated) as store:
        days = [datetime.date(2020, 10, 15), datetime.date(2021, 5, 1), datetime.date(2020, 3, 1)]
        assert same_calendars(store, days) > 100


def component(name: str, properties: list[tuple[str, str]]) -> str:
    """A component's text as ics.py writes an event: BEGIN, each (name with parameters,
    value) through ical.line, END."""
    lines = "".join(ical.line(key, value) for key, value in properties)
    return f"BEGIN:{name}\r\n{lines}END:{name}\r\n"


@given(st.text())
@example("\ufeffA title after a byte-order mark")
@example("Back\\Nslash, semi;colon\r\ncarriage\rreturn " + "é^\\" * 40)
def test_text_lines_are_what_icalendar_writes(value: str) -> None:
    event = icalendar.Event()
    event.add("summary", value)
    event.add("description", "Status: x\n" + value)
    expected = event.to_ical().decode("utf-8")
    properties = [("SUMMARY", ical.text(value)), ("DESCRIPTION", ical.text("Status: x\n" + value))]
    assert component("VEVENT", properties) == expected


@given(st.text().filter(lambda text: "\r" not in text and "\n" not in text))
def test_uri_lines_are_what_icalendar_writes(value: str) -> None:
    event = icalendar.Event()
    event.add("url", "https://" + value)
    expected = event.to_ical().decode("utf-8")
    assert component("VEVENT", [("URL", "https://" + value)]) == expected


def test_days_are_what_icalendar_writes() -> None:
    for day in (datetime.date(1, 1, 1), datetime.date(987, 6, 5), datetime.date(2021, 12, 31)):
        event = icalendar.Event()
        event.add("dtstart", day)
        event.add("dtstamp", datetime.datetime.combine(day, datetime.time(), datetime.UTC))
        expected = event.to_ical().decode("utf-8")
        properties = [("DTSTART;VALUE=DATE", ical.day(day)), ("DTSTAMP", ical.midnight_utc(day))]
        assert component("VEVENT", properties) == expected


@given(
    st.uuids(),
    st.integers(min_value=1, max_value=2**62),
    st.one_of(st.none(), st.sampled_from(["US", "GB", "FR"])),
    st.sampled_from(["premiere", "theatrical", "tv"]),
)
def test_uids_are_uuid5_of_the_database_and_the_release(
    database: uuid.UUID, film_id: int, country: str | None, release_type: str
) -> None:
    name = f"{film_id}/{country or 'worldwide'}/{release_type}"
    assert (
        ics.uid(database, film_id, country, release_type) == f"{uuid.uuid5(database, name)}@tracker"
    )


@given(st.text())
@example("Film releases: Sci-fi, horror; etc")
@example("\ufeff" + "x" * 90)
def test_the_calendar_head_is_what_icalendar_writes(name: str) -> None:
    calendar = icalendar.Calendar()
    calendar.add("prodid", ics.PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", icalendar.vText(name))
    calendar.add("x-published-ttl", icalendar.vDuration(datetime.timedelta(hours=12)))
    expected = calendar.to_ical().decode("utf-8")
    assert ics.calendar_head(name) + "END:VCALENDAR\r\n" == expected
