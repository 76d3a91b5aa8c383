"""`export ics`: an RFC 5545 calendar read back by icalendar and by vobject (an independent
reader), whose events a subscribing calendar can update in place by UID."""

from __future__ import annotations

import datetime
import uuid
from pathlib import Path
from typing import Any

import icalendar
import vobject

from tests.conftest import Run
from tracker.exchange.ics import database_uuid, uid
from tracker.store import open_store


def events(text: str) -> dict[str, Any]:
    """The VEVENTs by UID, read with icalendar."""
    calendar = icalendar.Calendar.from_ical(text)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def by_summary(text: str) -> dict[str, Any]:
    calendar = icalendar.Calendar.from_ical(text)
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def vevents(text: str) -> list[Any]:
    """The VEVENTs read with vobject (its own parser: unfolding, unescaping, values)."""
    calendar = vobject.readOne(text)
    return list(calendar.vevent_list)


VARIETY = "variety.com/2020/film/box-office/mission-impossible-sequels-get-pushed-back-1234589362/"
MI7_DESCRIPTION = (
    "Status: filming\nFranchise: Mission: Impossible\nLast move: moved from Fri 23 Jul 2021 to"
    f" Fri 19 Nov 2021 (+119 days), announced Fri 24 Apr 2020\nSource: {VARIETY}"
)
# Its title on the day asked (15 Oct 2020): "Dead Reckoning Part One" came in 2022.
MI7 = "Mission: Impossible 7 (theatrical, US)"


def ics(run: Run, *args: str) -> str:
    result = run("export", "ics", *args)
    return result.stdout_bytes.decode("utf-8")


class Subscriber:
    """A calendar app subscribed to the feed: it updates an event by UID when the new copy's
    SEQUENCE is not older, and never deletes one on its own (as RFC 5546 clients do)."""

    def __init__(self) -> None:
        self.events: dict[str, Any] = {}

    def refresh(self, text: str) -> None:
        for key, event in events(text).items():
            kept = self.events.get(key)
            if kept is None or event["SEQUENCE"] >= kept["SEQUENCE"]:
                self.events[key] = event


def test_one_all_day_event_per_current_day_release(demo: Run) -> None:
    text = ics(demo)
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    found = by_summary(text)
    assert len(found) == 9  # each current date: 8 US theatrical, 1 US limited
    mi7 = found[MI7]
    assert mi7.decoded("DTSTART") == datetime.date(2021, 11, 19)
    assert mi7.decoded("DTEND") == datetime.date(2021, 11, 20)
    # The day of its last change: the move announced on 24 Apr 2020 (the seed article
    # restating it, "2020-10", is no change).
    assert mi7.decoded("DTSTAMP") == datetime.datetime(2020, 4, 24, tzinfo=datetime.timezone.utc)
    assert str(mi7["STATUS"]) == "CONFIRMED"
    assert str(mi7["DESCRIPTION"]) == MI7_DESCRIPTION
    assert mi7["SEQUENCE"] == 2  # changed twice: 2021, then 23 Jul 2021, then 19 Nov 2021


def test_the_second_reader_agrees(demo: Run) -> None:
    text = ics(demo)
    read = {event.uid.value: event for event in vevents(text)}
    assert set(read) == set(events(text))
    mi7 = next(event for event in read.values() if event.summary.value == MI7)
    assert mi7.dtstart.value == datetime.date(2021, 11, 19)
    assert mi7.dtend.value == datetime.date(2021, 11, 20)
    assert mi7.sequence.value == "2"
    assert mi7.description.value == MI7_DESCRIPTION
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))


def test_uids_come_from_the_database_uuid_film_and_release(demo: Run, isolated: Path) -> None:
    store = open_store(isolated)
    database = database_uuid(store)
    store.close()
    found = by_summary(ics(demo))
    assert str(found[MI7]["UID"]) == f"{uuid.uuid5(database, '7/US/theatrical')}@tracker"
    assert str(found[MI7]["UID"]) == uid(database, 7, "US", "theatrical")
    assert len({str(event["UID"]) for event in found.values()}) == len(found)
    # Another database with the same films gives other UIDs: two calendars never collide.
    assert uid(uuid.uuid4(), 7, "US", "theatrical") != uid(database, 7, "US", "theatrical")


def test_a_removed_film_never_passes_its_uid_to_a_new_one(run: Run) -> None:
    run("add", "Old Film", "--release", "2021-02-05")
    (old,) = events(ics(run))
    run("remove", "Old Film", "--yes")
    run("add", "New Film", "--release", "2021-02-05")
    found = by_summary(ics(run))
    assert str(found["New Film (theatrical, worldwide)"]["UID"]) != old
    assert str(found["Cancelled: Old Film (theatrical, worldwide)"]["UID"]) == old


def test_uid_is_stable_and_sequence_grows_when_the_date_moves(demo: Run) -> None:
    part_two = "Mission: Impossible 8 (theatrical, US)"
    before = by_summary(ics(demo))[part_two]
    key = str(before["UID"])
    demo("release", "#8", "2023-01-13", "--country", "US")
    after = events(ics(demo))[key]
    assert after["SEQUENCE"] == before["SEQUENCE"] + 1
    assert after.decoded("DTSTART") == datetime.date(2023, 1, 13)
    assert after.decoded("DTSTAMP").date() == datetime.date(2020, 10, 15)  # the move's day
    demo("release", "#8", "2023-01-13", "--country", "US")  # the same date again
    again = events(ics(demo))[key]
    assert again["SEQUENCE"] == after["SEQUENCE"]
    assert again.decoded("DTSTAMP") == after.decoded("DTSTAMP")


def test_same_database_gives_the_same_file(demo: Run) -> None:
    assert ics(demo) == ics(demo)


def test_approximate_makes_month_and_quarter_dates_tentative_one_day_events(run: Run) -> None:
    run("add", "Month Film", "--release", "2021-07", "--country", "GB")
    run("add", "Quarter Film", "--release", "Q3 2021")
    run("add", "Year Film", "--release", "2022")
    run("add", "Day Film", "--release", "2021-02-05", "--franchise", "Saga", "--source",
        "https://e.x/1")  # fmt: skip
    result = run("export", "ics")
    assert len(events(result.stdout_bytes.decode())) == 1
    assert result.stderr.strip() == (
        "Left out 3 releases without an exact day (add --approximate for month and quarter dates)"
    )
    result = run("export", "ics", "--approximate")
    found = by_summary(result.stdout_bytes.decode())
    assert len(found) == 3
    assert result.stderr.strip() == "Left out 1 release without an exact day"
    month = found["Month Film (theatrical, GB): Jul 2021"]
    assert str(month["STATUS"]) == "TENTATIVE"
    assert month.decoded("DTSTART") == datetime.date(2021, 7, 1)
    assert month.decoded("DTEND") == datetime.date(2021, 7, 2)  # one day, not the month
    quarter = found["Quarter Film (theatrical, worldwide): Q3 2021"]
    assert str(quarter["STATUS"]) == "TENTATIVE"
    assert quarter.decoded("DTSTART") == datetime.date(2021, 7, 1)
    assert quarter.decoded("DTEND") == datetime.date(2021, 7, 2)
    assert "Date: Q3 2021 (no exact day yet)" in str(quarter["DESCRIPTION"])
    day = found["Day Film (theatrical, worldwide)"]
    assert "Franchise: Saga" in str(day["DESCRIPTION"])
    assert "Source: https://e.x/1" in str(day["DESCRIPTION"])
    assert str(day["URL"]) == "https://e.x/1"
    assert [event.status.value for event in vevents(result.stdout_bytes.decode())].count(
        "TENTATIVE"
    ) == 2


def test_a_date_turned_tba_is_cancelled_in_place_for_90_days(run: Run) -> None:
    run("add", "Moving Film", "--release", "2021-03-05")
    client = Subscriber()
    client.refresh(ics(run))
    (key,) = client.events
    run("release", "Moving Film", "2021-04-09")  # moved: updated in place
    client.refresh(ics(run))
    assert list(client.events) == [key]
    assert client.events[key].decoded("DTSTART") == datetime.date(2021, 4, 9)
    assert client.events[key]["SEQUENCE"] == 1
    run("release", "Moving Film", "TBA")
    client.refresh(ics(run))
    gone = client.events[key]
    assert str(gone["STATUS"]) == "CANCELLED"
    assert gone["SEQUENCE"] == 2
    assert gone.decoded("DTSTART") == datetime.date(2021, 4, 9)  # the date it no longer has
    assert str(gone["SUMMARY"]) == "Cancelled: Moving Film (theatrical, worldwide)"
    assert str(gone["DESCRIPTION"]).startswith(
        "Cancelled: the date is now TBA (announced Thu 15 Oct 2020)"
    )
    assert key in events(ics(run, "--days", "200"))  # still in the window it had
    assert key in events(run("--today", "2021-01-13", "export", "ics").stdout)  # day 90
    assert key not in events(run("--today", "2021-01-14", "export", "ics").stdout)
    run("release", "Moving Film", "2021-06-11")  # back on the calendar
    client.refresh(ics(run))
    back = client.events[key]
    assert str(back["STATUS"]) == "CONFIRMED" and back["SEQUENCE"] == 3


def test_an_undone_move_reaches_calendars_that_saw_it(run: Run) -> None:
    run("add", "Typo Film", "--release", "2021-03-05")
    run("release", "Typo Film", "2031-03-05")  # a typo
    client = Subscriber()
    client.refresh(ics(run))
    run("undo")
    client.refresh(ics(run))
    (event,) = client.events.values()
    assert event.decoded("DTSTART") == datetime.date(2021, 3, 5)
    assert event["SEQUENCE"] == 3  # higher than the typo's 1


def test_a_vaguer_date_keeps_the_tentative_event_only_with_approximate(run: Run) -> None:
    run("add", "Slipping Film", "--release", "2021-03-05")
    run("release", "Slipping Film", "2021-Q3")
    (plain,) = events(ics(run)).values()
    assert str(plain["STATUS"]) == "CANCELLED"
    assert "the date is now Q3 2021" in str(plain["DESCRIPTION"])
    (tentative,) = events(ics(run, "--approximate")).values()
    assert str(tentative["UID"]) == str(plain["UID"])
    assert str(tentative["STATUS"]) == "TENTATIVE"
    assert str(tentative["SUMMARY"]) == "Slipping Film (theatrical, worldwide): Q3 2021"


def test_a_cancelled_film_and_a_removed_film_stay_as_cancelled_events(run: Run) -> None:
    run("add", "Doomed Film", "--release", "2021-03-05")
    run("add", "Removed Film", "--release", "2021-05-07", "--country", "US")
    run("watchlist", "add", "watchlist", "Removed Film")
    client = Subscriber()
    client.refresh(ics(run))
    assert {str(e["STATUS"]) for e in client.events.values()} == {"CONFIRMED"}
    run("status", "Doomed Film", "cancelled")
    run("remove", "Removed Film", "--yes")
    client.refresh(ics(run))
    found = {str(e["SUMMARY"]): e for e in client.events.values()}
    doomed = found["Cancelled: Doomed Film (theatrical, worldwide)"]
    assert str(doomed["STATUS"]) == "CANCELLED" and doomed["SEQUENCE"] == 1
    assert str(doomed["DESCRIPTION"]).startswith("Cancelled: the film was cancelled\n")
    removed = found["Cancelled: Removed Film (theatrical, US)"]
    assert str(removed["STATUS"]) == "CANCELLED" and removed["SEQUENCE"] == 1
    assert removed.decoded("DTSTART") == datetime.date(2021, 5, 7)
    real_today = datetime.date.today()
    assert removed.decoded("DTSTAMP").date() == real_today  # the day it was deleted
    # Filters still see where it was: its country, type and lists.
    assert len(events(ics(run, "--watchlist", "watchlist"))) == 1
    assert len(events(ics(run, "--country", "US", "--type", "theatrical"))) == 2
    later = (real_today + datetime.timedelta(days=91)).isoformat()
    assert len(events(run("--today", later, "export", "ics").stdout)) == 0
    run("undo")  # the film is back: its event is confirmed again, under the same UID
    run("status", "Doomed Film", "filming")  # and the other film revived
    client.refresh(ics(run))
    found = {str(e["SUMMARY"]): e for e in client.events.values()}
    assert str(found["Removed Film (theatrical, US)"]["STATUS"]) == "CONFIRMED"
    assert found["Removed Film (theatrical, US)"]["SEQUENCE"] == 4  # 0 moves, 1 restored
    assert str(found["Doomed Film (theatrical, worldwide)"]["STATUS"]) == "CONFIRMED"
    assert found["Doomed Film (theatrical, worldwide)"]["SEQUENCE"] == 2


def test_a_removed_release_as_of_a_day_shows_only_what_was_known_then(run: Run) -> None:
    """A cancelled event (a tombstone) is read as of the day like a live one: the film under
    its title of the day, on a list only from the day it was added, and cancelled until a
    date of the same country and type is known again."""
    run("add", "Old Name", "--on", "2019-01-01", "--release", "2021-05-07", "--country", "US",
        "--announced", "2019-01-01")  # fmt: skip
    run("retitle", "#1", "New Name", "--on", "2020-07-01")
    run("release", "#1", "2022-01-01", "--country", "US", "--announced", "2020-07-01")
    run("--today", "2020-09-01", "watch", "#1")
    run("delete", "release", "1", "--yes")

    def summaries(day: str, *args: str) -> list[str]:
        text = run("--today", day, "export", "ics", *args).stdout_bytes.decode("utf-8")
        return sorted(by_summary(text))

    assert summaries("2020-06-01") == ["Cancelled: Old Name (theatrical, US)"]
    assert summaries("2020-06-01", "--watchlist", "watchlist") == []
    assert summaries("2020-10-01") == ["New Name (theatrical, US)"]
    assert summaries("2020-10-01", "--watchlist", "watchlist") == ["New Name (theatrical, US)"]


def test_a_deleted_announcement_counts_in_sequence_from_the_day_it_was_known(run: Run) -> None:
    run("add", "Seq Film", "--on", "2019-01-01", "--release", "2023-05-07", "--country", "US",
        "--announced", "2019-01-01")  # fmt: skip
    run("release", "#1", "2023-06-01", "--country", "US", "--announced", "2020-03-01")
    run("delete", "release", "2", "--yes")

    def sequence(day: str) -> int:
        text = run("--today", day, "export", "ics").stdout_bytes.decode("utf-8")
        (event,) = events(text).values()
        return int(event["SEQUENCE"])

    assert sequence("2020-02-29") == 0  # the deleted announcement was not made yet
    assert sequence("2020-03-01") == 3


def test_one_event_written_is_said_in_the_singular(run: Run, tmp_path: Path) -> None:
    run("add", "Solo", "--release", "2021-03-05", "--country", "US")
    target = tmp_path / "solo.ics"
    said = run("export", "ics", "-o", str(target)).stdout.strip()
    assert said == f"Wrote 1 event to {target}"


def test_filters_watchlist_country_type_franchise_days(demo: Run, tmp_path: Path) -> None:
    demo("release", "#7", "2021-11-18", "--country", "GB", "--type", "digital")
    demo("release", "#8", "2022-11-01")  # worldwide theatrical
    demo("watchlist", "create", "next")
    demo("watchlist", "add", "next", "#7", "#8")
    target = tmp_path / "next.ics"
    out = demo("export", "ics", "--watchlist", "next", "-o", str(target)).stdout
    assert out.strip() == f"Wrote 4 events to {target}"
    text = target.read_text(encoding="utf-8")
    assert "X-WR-CALNAME:Film releases: next" in text
    part_one, part_two = "Mission: Impossible 7", "Mission: Impossible 8"
    assert sorted(by_summary(text)) == [
        f"{part_one} (digital, GB)",
        f"{part_one} (theatrical, US)",
        f"{part_two} (theatrical, US)",
        f"{part_two} (theatrical, worldwide)",
    ]
    gb = by_summary(ics(demo, "--watchlist", "next", "--country", "GB"))
    # GB's own date, and the worldwide date where GB has none of that type.
    assert sorted(gb) == [
        f"{part_one} (digital, GB)",
        f"{part_two} (theatrical, worldwide)",
    ]
    assert list(by_summary(ics(demo, "--type", "digital"))) == [f"{part_one} (digital, GB)"]
    both = by_summary(ics(demo, "--type", "digital", "--type", "limited"))
    assert sorted(s.rsplit("(", 1)[1] for s in both) == ["digital, GB)", "limited, US)"]
    assert len(by_summary(ics(demo, "--franchise", "mission: impossible"))) == 11
    assert "no franchise 'Other'" in demo.error("export", "ics", "--franchise", "Other")
    soon = by_summary(ics(demo, "--days", "400"))  # to 2021-11-19 inclusive
    assert sorted(soon) == [f"{part_one} (digital, GB)", f"{part_one} (theatrical, US)"]


def test_the_calendar_name_is_escaped(run: Run) -> None:
    run("watchlist", "create", "Sci-fi, horror; etc")
    text = ics(run, "--watchlist", "Sci-fi, horror; etc")
    assert "X-WR-CALNAME:Film releases: Sci-fi\\, horror\\; etc" in text
    # icalendar's parser keeps an X- property raw: escaped as RFC 5545 TEXT.
    raw = str(icalendar.Calendar.from_ical(text)["X-WR-CALNAME"])
    assert raw == "Film releases: Sci-fi\\, horror\\; etc"
    assert vobject.readOne(text).x_wr_calname.value == "Film releases: Sci-fi, horror; etc"


def test_bad_filters_are_one_error(demo: Run) -> None:
    assert "no watchlist named" in demo.error("export", "ics", "--watchlist", "nope")
    assert "unknown release type" in demo.error("export", "ics", "--type", "cinema")
    assert "country" in demo.error("export", "ics", "--country", "Narnia")
    assert "--days cannot be negative" in demo.error("export", "ics", "--days", "-1")


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


def test_the_last_representable_day_is_a_one_day_event_without_dtend(
    run: Run, tmp_path: Path
) -> None:
    """The day after 9999-12-31 cannot be written: that day's event has no DTEND (RFC 5545
    3.6.1: a DATE DTSTART alone lasts one day), and the rest of the calendar is written."""
    run("add", "Last Day", "--release", "9999-12-31", "--country", "US")
    run("add", "Last Month", "--release", "9999-12", "--country", "US")
    run("add", "Last Quarter", "--release", "9999-Q4", "--country", "US")
    run("add", "Last Year", "--release", "9999", "--country", "US")
    run("add", "Soon", "--release", "2021-01-08", "--country", "US")
    text = ics(run, "--approximate")
    found = by_summary(text)
    assert sorted(found) == [
        "Last Day (theatrical, US)",
        "Last Month (theatrical, US): Dec 9999",
        "Last Quarter (theatrical, US): Q4 9999",
        "Soon (theatrical, US)",
    ]
    last = found["Last Day (theatrical, US)"]
    assert last.decoded("DTSTART") == datetime.date(9999, 12, 31)
    assert "DTEND" not in last
    month, quarter = (
        found["Last Month (theatrical, US): Dec 9999"],
        found["Last Quarter (theatrical, US): Q4 9999"],
    )
    assert (month.decoded("DTSTART"), month.decoded("DTEND")) == (
        datetime.date(9999, 12, 1),
        datetime.date(9999, 12, 2),
    )
    assert (quarter.decoded("DTSTART"), quarter.decoded("DTEND")) == (
        datetime.date(9999, 10, 1),
        datetime.date(9999, 10, 2),
    )
    assert found["Soon (theatrical, US)"].decoded("DTEND") == datetime.date(2021, 1, 9)
    # What icalendar writes for the same calendar, and a second reader agrees.
    assert icalendar.Calendar.from_ical(text).to_ical() == text.encode("utf-8")
    (read,) = [e for e in vevents(text) if e.summary.value == "Last Day (theatrical, US)"]
    assert read.dtstart.value == datetime.date(9999, 12, 31) and "dtend" not in read.contents
    target = tmp_path / "last.ics"
    assert run("export", "ics", "-o", str(target)).stdout.strip() == (f"Wrote 2 events to {target}")
    assert target.read_bytes() == ics(run).encode("utf-8")
    # Every day there is: the window reaches the last day instead of past it.
    assert len(by_summary(ics(run, "--days", "3000000"))) == 2
    last_day = run("--today", "9999-12-31", "export", "ics", "--days", "1").stdout
    assert list(by_summary(last_day)) == ["Last Day (theatrical, US)"]


def test_a_cancelled_last_day_is_written_too(run: Run) -> None:
    run("add", "Last Day", "--release", "9999-12-31", "--country", "US")
    run("status", "Last Day", "cancelled")
    (event,) = events(ics(run)).values()
    assert str(event["STATUS"]) == "CANCELLED" and "DTEND" not in event


def test_franchise_is_found_as_upcoming_finds_it_and_an_unknown_one_is_an_error(
    demo: Run, tmp_path: Path
) -> None:
    exact = by_summary(ics(demo, "--franchise", "Mission: Impossible"))
    assert len(exact) == 9
    # upcoming's forgiving spellings: without the colon, other case, spaces around.
    assert by_summary(ics(demo, "--franchise", "mission impossible")) == exact
    assert by_summary(ics(demo, "--franchise", "  MISSION IMPOSSIBLE ")) == exact
    for name in ("Mision Impossible", "Other", ""):
        message = demo.error("export", "ics", "--franchise", name)
        assert message == demo.error("upcoming", "--franchise", name)
        assert message.startswith(f"Error: no franchise '{name.strip()}'")
    assert "did you mean Mission: Impossible?" in demo.error(
        "export", "ics", "--franchise", "Mision Impossible"
    )
    target = tmp_path / "none.ics"
    demo.error("export", "ics", "--franchise", "nope", "-o", str(target))
    assert not target.exists()


def test_a_removed_franchise_keeps_its_cancelled_events(run: Run) -> None:
    """A franchise whose films were all removed is still a calendar's franchise while their
    cancelled events last, so subscribers drop the old dates."""
    run("add", "Gone", "--franchise", "Lost Saga", "--release", "2021-03-05", "--country", "US")
    run("remove", "Gone", "--yes")
    (event,) = events(ics(run, "--franchise", "lost saga")).values()
    assert str(event["STATUS"]) == "CANCELLED"
    assert "no franchise 'Lost Sag'" in run.error("export", "ics", "--franchise", "Lost Sag")


def test_url_is_written_only_for_a_web_address(run: Run) -> None:
    """A source is any text (`--source` accepts it as it is); only an http(s) URL with a host
    and nothing a URI cannot hold becomes the event's URL. Every source stays in the
    description."""
    sources = {
        "Web": "https://example.com/news?a=1&b=2#part",
        "Upper": "HTTP://Example.com/x",
        "Script": "javascript:alert(1)",
        "Spaced": "https://example.com/a b",
        "Ftp": "ftp://x y",
        "Words": "not a url",
        "No Host": "https:///path",
        "Quoted": 'https://example.com/"onmouseover',
        "Angled": "https://example.com/<script>",
        "Bad Port": "https://example.com:port/",
    }
    for day, (title, source) in enumerate(sources.items(), 1):
        run("add", title, "--release", f"2021-01-{day:02}", "--country", "US", "--source", source)
    text = ics(run)
    found = {summary.split(" (")[0]: event for summary, event in by_summary(text).items()}
    assert {title for title, event in found.items() if "URL" in event} == {"Web", "Upper"}
    assert str(found["Web"]["URL"]) == sources["Web"]
    for title, source in sources.items():
        assert str(found[title]["DESCRIPTION"]).endswith(f"\nSource: {source}"), title
    assert "URL:javascript" not in text and "URL:https://example.com/a b" not in text
