"""`export ics`: an RFC 5545 calendar read back by icalendar and by vobject, an independent
reader."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import icalendar
import vobject

from tests.conftest import Run


def events(text: str) -> dict[str, Any]:
    """The VEVENTs by UID, read with icalendar."""
    calendar = icalendar.Calendar.from_ical(text)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def vevents(text: str) -> list[Any]:
    """The VEVENTs read with vobject (its own parser: unfolding, unescaping, values)."""
    calendar = vobject.readOne(text)
    return list(calendar.vevent_list)


VARIETY = "variety.com/2020/film/box-office/mission-impossible-sequels-get-pushed-back-1234589362/"
MI7_DESCRIPTION = f"Status: filming\nFranchise: Mission: Impossible\nSource: {VARIETY}"
# Its title on the day asked (15 Oct 2020): "Dead Reckoning Part One" came in 2022.
MI7_SUMMARY = "Mission: Impossible 7 (theatrical, US)"


def ics(run: Run, *args: str) -> str:
    result = run("export", "ics", *args)
    return result.stdout_bytes.decode("utf-8")


def test_one_all_day_event_per_current_day_release(demo: Run) -> None:
    text = ics(demo)
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    found = events(text)
    assert len(found) == 9  # each current date: 8 US theatrical, 1 US limited
    mi7 = found["film-7-us-theatrical@tracker.invalid"]
    assert str(mi7["SUMMARY"]) == MI7_SUMMARY
    assert mi7.decoded("DTSTART") == datetime.date(2021, 11, 19)
    assert mi7.decoded("DTEND") == datetime.date(2021, 11, 20)
    # Moved on 24 Apr 2020 (the seed article restating it, "2020-10", counts from 31 Oct).
    assert mi7.decoded("DTSTAMP") == datetime.datetime(2020, 4, 24, tzinfo=datetime.timezone.utc)
    assert str(mi7["STATUS"]) == "CONFIRMED"
    assert str(mi7["DESCRIPTION"]) == MI7_DESCRIPTION
    assert mi7["SEQUENCE"] == 2  # changed twice: 2021, then 23 Jul 2021, then 19 Nov 2021


def test_the_second_reader_agrees(demo: Run) -> None:
    text = ics(demo)
    read = {event.uid.value: event for event in vevents(text)}
    assert set(read) == set(events(text))
    mi7 = read["film-7-us-theatrical@tracker.invalid"]
    assert mi7.summary.value == MI7_SUMMARY
    assert mi7.dtstart.value == datetime.date(2021, 11, 19)
    assert mi7.dtend.value == datetime.date(2021, 11, 20)
    assert mi7.sequence.value == "2"
    assert mi7.description.value == MI7_DESCRIPTION
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))


def test_uid_is_stable_and_sequence_grows_when_the_date_moves(demo: Run) -> None:
    before = events(ics(demo))["film-8-us-theatrical@tracker.invalid"]
    demo("release", "#8", "2023-01-13", "--country", "US")
    after = events(ics(demo))["film-8-us-theatrical@tracker.invalid"]
    assert after["SEQUENCE"] == before["SEQUENCE"] + 1
    assert after.decoded("DTSTART") == datetime.date(2023, 1, 13)
    demo("release", "#8", "2023-01-13", "--country", "US")  # the same date again
    again = events(ics(demo))["film-8-us-theatrical@tracker.invalid"]
    assert again["SEQUENCE"] == after["SEQUENCE"]


def test_same_database_gives_the_same_file(demo: Run) -> None:
    assert ics(demo) == ics(demo)


def test_approximate_turns_month_and_quarter_dates_into_tentative_spans(run: Run) -> None:
    run("add", "Month Film", "--release", "2021-07", "--country", "GB")
    run("add", "Quarter Film", "--release", "Q3 2021")
    run("add", "Year Film", "--release", "2022")
    run(
        "add",
        "Day Film",
        "--release",
        "2021-02-05",
        "--franchise",
        "Saga",
        "--source",
        "https://e.x/1",
    )
    result = run("export", "ics")
    assert len(events(result.stdout_bytes.decode())) == 1
    assert result.stderr.strip() == (
        "Left out 3 releases without an exact day (add --approximate for month and quarter dates)"
    )
    result = run("export", "ics", "--approximate")
    found = events(result.stdout_bytes.decode())
    assert len(found) == 3
    assert result.stderr.strip() == "Left out 1 release without an exact day"
    month = found["film-1-gb-theatrical@tracker.invalid"]
    assert str(month["STATUS"]) == "TENTATIVE"
    assert month.decoded("DTSTART") == datetime.date(2021, 7, 1)
    assert month.decoded("DTEND") == datetime.date(2021, 8, 1)
    quarter = found["film-2-worldwide-theatrical@tracker.invalid"]
    assert str(quarter["SUMMARY"]) == "Quarter Film (theatrical, worldwide)"
    assert quarter.decoded("DTEND") == datetime.date(2021, 10, 1)
    day = found["film-4-worldwide-theatrical@tracker.invalid"]
    assert "Franchise: Saga" in str(day["DESCRIPTION"])
    assert "Source: https://e.x/1" in str(day["DESCRIPTION"])
    assert str(day["URL"]) == "https://e.x/1"
    assert [event.status.value for event in vevents(result.stdout_bytes.decode())].count(
        "TENTATIVE"
    ) == 2


def test_filters_watchlist_country_type(demo: Run, tmp_path: Path) -> None:
    demo("release", "#7", "2021-11-18", "--country", "GB", "--type", "digital")
    demo("release", "#8", "2022-11-01")  # worldwide theatrical
    demo("watchlist", "create", "next")
    demo("watchlist", "add", "next", "#7", "#8")
    target = tmp_path / "next.ics"
    out = demo("export", "ics", "--watchlist", "next", "-o", str(target)).stdout
    assert out.strip() == f"Wrote 4 events to {target}"
    text = target.read_text(encoding="utf-8")
    assert "X-WR-CALNAME:Film releases: next" in text
    assert sorted(events(text)) == [
        "film-7-gb-digital@tracker.invalid",
        "film-7-us-theatrical@tracker.invalid",
        "film-8-us-theatrical@tracker.invalid",
        "film-8-worldwide-theatrical@tracker.invalid",
    ]
    gb = events(ics(demo, "--watchlist", "next", "--country", "GB"))
    # GB's own date, and the worldwide date where GB has none of that type.
    assert sorted(gb) == [
        "film-7-gb-digital@tracker.invalid",
        "film-8-worldwide-theatrical@tracker.invalid",
    ]
    digital = events(ics(demo, "--type", "digital"))
    assert list(digital) == ["film-7-gb-digital@tracker.invalid"]


def test_bad_filters_are_one_error(demo: Run) -> None:
    assert "no watchlist named" in demo.error("export", "ics", "--watchlist", "nope")
    assert "unknown release type" in demo.error("export", "ics", "--type", "cinema")
    assert "country" in demo.error("export", "ics", "--country", "Narnia")


def test_escaping_of_odd_titles_is_read_back_exactly(run: Run) -> None:
    title = 'Commas, semi;colons\\ and "quotes" — ünïcödé ' + "long " * 12
    run("add", title.strip(), "--release", "2021-02-05")
    text = ics(run)
    (event,) = vevents(text)
    assert event.summary.value == f"{title.strip()} (theatrical, worldwide)"
    (same,) = events(text).values()
    assert str(same["SUMMARY"]) == event.summary.value


def test_the_streamed_calendar_is_what_icalendar_writes_whole(demo: Run, tmp_path: Path) -> None:
    """Events are written one at a time; the file is exactly the calendar icalendar would
    serialise with every event added (read back and written again: unchanged)."""
    for args in ([], ["--country", "US", "--approximate"]):
        demo("export", "ics", *args, "-o", str(tmp_path / "c.ics"))
        written = (tmp_path / "c.ics").read_bytes()
        whole = icalendar.Calendar.from_ical(written)
        assert len(whole.walk("VEVENT")) > 1
        assert whole.to_ical() == written
