"""Fuzzy dates: stored form, user input, windows, display, spans and moves."""

from __future__ import annotations

import calendar
import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.dates import (
    PRECISIONS,
    TBA,
    FuzzyDate,
    countdown_text,
    describe_move,
    from_iso,
    human_span,
    parse_date,
    parse_day,
    shift_days,
)
from tracker.errors import InvalidDate

D = datetime.date
years = st.integers(min_value=1000, max_value=9999)
days = st.dates(min_value=D(1000, 1, 1), max_value=D(9999, 12, 31))

day_dates = days.map(lambda d: FuzzyDate("day", d.year, d.month, d.day))
month_dates = st.builds(lambda y, m: FuzzyDate("month", y, m), years, st.integers(1, 12))
quarter_dates = st.builds(lambda y, q: FuzzyDate("quarter", y, quarter=q), years, st.integers(1, 4))
year_dates = years.map(lambda y: FuzzyDate("year", y))
fuzzy_dates = st.one_of(day_dates, month_dates, quarter_dates, year_dates, st.just(TBA))

# English names, so tests do not depend on the locale strftime would use.
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


# --- stored form ------------------------------------------------------------------------


@given(fuzzy_dates)
def test_iso_round_trips_through_from_iso_and_parse_date(date: FuzzyDate) -> None:
    assert from_iso(date.iso) == date
    if date.iso is not None:
        assert parse_date(date.iso) == date


@pytest.mark.parametrize(
    ("date", "iso"),
    [
        (FuzzyDate("day", 2021, 11, 19), "2021-11-19"),
        (FuzzyDate("month", 2026, 7), "2026-07"),
        (FuzzyDate("quarter", 2026, quarter=3), "2026-Q3"),
        (FuzzyDate("year", 2026), "2026"),
        (TBA, None),
    ],
)
def test_iso_form_for_each_precision(date: FuzzyDate, iso: str | None) -> None:
    assert date.iso == iso


def test_from_iso_reads_none_and_empty_as_tba() -> None:
    assert from_iso(None) == TBA
    assert from_iso("") == TBA


@pytest.mark.parametrize(
    "text", ["Nov 19 2021", "2021-1-5", " 2021-11-19", "2026-q3", "2021-02-30", "2021-13", "x"]
)
def test_from_iso_refuses_anything_but_the_stored_forms(text: str) -> None:
    with pytest.raises(InvalidDate):
        from_iso(text)


def test_fuzzy_date_refuses_inconsistent_fields() -> None:
    with pytest.raises(ValueError):
        FuzzyDate("day", 2021, 2, 30)
    with pytest.raises(ValueError):
        FuzzyDate("month", 2021, 7, 1)
    with pytest.raises(ValueError):
        FuzzyDate("weekish", 2021)


def test_fuzzy_dates_are_hashable_and_compare_by_value() -> None:
    assert {parse_date("Jul 2026"), parse_date("2026-07")} == {FuzzyDate("month", 2026, 7)}
    assert FuzzyDate("month", 2026, 7) != FuzzyDate("month", 2026, 8)
    assert FuzzyDate("year", 2026) != "2026"
    assert FuzzyDate("quarter", 2026, quarter=3) != FuzzyDate("year", 2026)


def test_fuzzy_dates_are_immutable_values() -> None:
    date = FuzzyDate("day", 2021, 11, 19)
    with pytest.raises(AttributeError):
        date.year = 2022  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del date.day
    assert date == FuzzyDate("day", 2021, 11, 19)
    assert repr(TBA) == (
        "FuzzyDate(precision='unknown', year=None, month=None, day=None, quarter=None)"
    )


# --- user input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2021-11-19",
        "Nov 19 2021",
        "Nov 19, 2021",
        "19 November 2021",
        "November 19, 2021",
        "Friday 19 November 2021",
        "19 Nov 2021",
        "Fri 19 Nov 2021",
        "  nov 19 2021  ",
        "NOVEMBER 19TH, 2021",
    ],
)
def test_parse_date_reads_day_forms(text: str) -> None:
    assert parse_date(text) == FuzzyDate("day", 2021, 11, 19)


@pytest.mark.parametrize("text", ["2026-07", "July 2026", "Jul 2026", "July, 2026", "jul 2026"])
def test_parse_date_reads_month_forms(text: str) -> None:
    assert parse_date(text) == FuzzyDate("month", 2026, 7)


@pytest.mark.parametrize("text", ["Q3 2026", "2026-Q3", "2026 Q3", "q3 2026"])
def test_parse_date_reads_quarter_forms(text: str) -> None:
    assert parse_date(text) == FuzzyDate("quarter", 2026, quarter=3)


def test_parse_date_reads_a_year() -> None:
    assert parse_date("2026") == FuzzyDate("year", 2026)


@pytest.mark.parametrize("text", ["TBA", "tbc", "TBD", "Unknown", " tba "])
def test_parse_date_reads_tba_words(text: str) -> None:
    date = parse_date(text)
    assert date.precision == "unknown"
    assert date.iso is None
    assert date.display() == "TBA"
    assert date.start is None and date.end is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2021-02-30", "day is out of range for month"),
        ("Feb 30 2021", "day is out of range for month"),
        ("2021-13", "month must be between 1 and 12"),
        ("Q5 2026", "quarter must be between 1 and 4"),
        ("0999", "year must be between 1000 and 9999"),
        ("Fri 20 Nov 2021", "20 Nov 2021 is a Saturday"),
    ],
)
def test_parse_date_refuses_impossible_dates(text: str, reason: str) -> None:
    with pytest.raises(InvalidDate, match=reason) as info:
        parse_date(text)
    assert str(info.value).startswith(f"invalid date '{text}'")


@pytest.mark.parametrize(
    "text", ["xyz", "July", "19", "Nov 19", "19 Nov", "Nov 2021 19", "19 Nov 21", "2021 Nov 19"]
)
def test_parse_date_refuses_incomplete_or_unknown_forms(text: str) -> None:
    with pytest.raises(InvalidDate, match="cannot read date .*: use YYYY-MM-DD"):
        parse_date(text)


@pytest.mark.parametrize("text", ["05/06/2021", "5.6.2021", "05-06-2021", "05/06/21"])
def test_parse_date_refuses_swappable_numeric_dates_with_iso_hint(text: str) -> None:
    with pytest.raises(InvalidDate, match="ambiguous date .*write it as YYYY-MM-DD"):
        parse_date(text)


@pytest.mark.parametrize("text", ["19/11/2021", "2021/11/19", "2021.11.19"])
def test_parse_date_refuses_other_numeric_dates_with_iso_hint(text: str) -> None:
    with pytest.raises(InvalidDate, match="write it as YYYY-MM-DD"):
        parse_date(text)


@given(st.integers(1, 12), st.integers(1, 12), years)
def test_day_month_swappable_numeric_dates_are_refused(day: int, month: int, year: int) -> None:
    if day == month:
        return
    with pytest.raises(InvalidDate, match="day and month could be swapped.*YYYY-MM-DD"):
        parse_date(f"{day:02d}/{month:02d}/{year}")


@given(days)
def test_written_days_parse_to_the_same_day(day: datetime.date) -> None:
    month = MONTHS[day.month - 1]
    expected = FuzzyDate("day", day.year, day.month, day.day)
    assert parse_date(f"{day.day:02d} {month} {day.year}") == expected  # "%d %B %Y"
    assert parse_date(f"{month[:3]} {day.day:02d} {day.year}") == expected  # "%b %d %Y"
    assert parse_date(f"{month} {day.day}, {day.year}") == expected
    assert parse_date(expected.display()) == expected


@settings(max_examples=200)
@given(st.text())
def test_parse_date_on_any_text_returns_a_date_or_raises_invalid_date(text: str) -> None:
    try:
        result = parse_date(text)
    except InvalidDate as exc:
        assert "\n" not in str(exc)
    else:
        assert isinstance(result, FuzzyDate)


@settings(max_examples=200)
@given(
    st.lists(
        st.sampled_from(
            ["19", "31", "0", "2021", "0999", "nov", "September", "fri", "q3", "-", "/", ",", " "]
        ),
        max_size=6,
    ).map("".join)
)
def test_parse_date_on_date_like_text_returns_a_date_or_raises_invalid_date(text: str) -> None:
    try:
        result = parse_date(text)
    except InvalidDate:
        pass
    else:
        assert isinstance(result, FuzzyDate)


@settings(max_examples=200)
@given(st.text())
def test_from_iso_on_any_text_returns_a_date_or_raises_invalid_date(text: str) -> None:
    try:
        result = from_iso(text)
    except InvalidDate:
        pass
    else:
        assert result.iso == (text or None)


def test_parse_day_returns_a_date() -> None:
    assert parse_day("2021-11-19") == D(2021, 11, 19)
    assert parse_day("19 Nov 2021") == D(2021, 11, 19)


@pytest.mark.parametrize("text", ["2026-07", "Q3 2026", "2026", "TBA"])
def test_parse_day_refuses_wider_windows(text: str) -> None:
    with pytest.raises(InvalidDate, match=f"'{text}' is not a single day: write YYYY-MM-DD"):
        parse_day(text)


# --- windows and display ----------------------------------------------------------------


@given(fuzzy_dates)
def test_start_is_not_after_end(date: FuzzyDate) -> None:
    if date.precision == "unknown":
        assert date.start is None and date.end is None
    else:
        assert date.start is not None and date.end is not None
        assert date.start <= date.end


@given(st.one_of(month_dates, quarter_dates, year_dates))
def test_window_has_the_right_length(date: FuzzyDate) -> None:
    assert date.start is not None and date.end is not None
    assert date.start.day == 1
    length = (date.end - date.start).days + 1
    assert date.year is not None
    if date.precision == "month":
        assert date.month is not None
        assert length == calendar.monthrange(date.year, date.month)[1]
    elif date.precision == "quarter":
        assert 90 <= length <= 92
        assert date.start.month == 3 * (date.quarter or 0) - 2
    else:
        assert length == (366 if calendar.isleap(date.year) else 365)
    assert date.end.day == calendar.monthrange(date.end.year, date.end.month)[1]


@given(day_dates)
def test_day_window_is_the_day(date: FuzzyDate) -> None:
    assert date.start == date.end == D(date.year or 0, date.month or 0, date.day or 0)
    assert date.is_day


@pytest.mark.parametrize(
    ("date", "shown"),
    [
        (FuzzyDate("day", 2021, 11, 19), "Fri 19 Nov 2021"),
        (FuzzyDate("day", 2022, 5, 7), "Sat 7 May 2022"),
        (FuzzyDate("month", 2026, 7), "Jul 2026"),
        (FuzzyDate("quarter", 2026, quarter=3), "Q3 2026"),
        (FuzzyDate("year", 2026), "2026"),
        (TBA, "TBA"),
    ],
)
def test_display_for_each_precision(date: FuzzyDate, shown: str) -> None:
    assert date.display() == shown
    assert str(date) == shown


@given(fuzzy_dates)
def test_display_of_each_date_reads_back_as_the_date(date: FuzzyDate) -> None:
    assert parse_date(date.display()) == date


def test_precisions_are_the_five_known() -> None:
    assert PRECISIONS == ("day", "month", "quarter", "year", "unknown")


# --- spans, countdowns, moves -----------------------------------------------------------


def test_human_span_counts_calendar_parts() -> None:
    assert human_span(D(2020, 10, 15), D(2021, 11, 19)) == "1 year, 1 month, 4 days"


def test_human_span_is_order_independent_and_pluralises() -> None:
    assert human_span(D(2021, 11, 19), D(2020, 10, 15)) == "1 year, 1 month, 4 days"
    assert human_span(D(2020, 1, 1), D(2023, 3, 2)) == "3 years, 2 months, 1 day"
    assert human_span(D(2020, 1, 1), D(2020, 1, 1)) == "0 days"
    assert human_span(D(2020, 1, 1), D(2021, 1, 1)) == "1 year"


@given(days, days)
def test_human_span_is_symmetric(a: datetime.date, b: datetime.date) -> None:
    assert human_span(a, b) == human_span(b, a)


def test_countdown_text_examples() -> None:
    assert countdown_text(D(2020, 10, 15), D(2021, 11, 19)) == (
        "in 400 days (1 year, 1 month, 4 days)"
    )
    assert countdown_text(D(2021, 11, 19), D(2020, 10, 15)) == (
        "400 days ago (1 year, 1 month, 4 days)"
    )
    assert countdown_text(D(2021, 1, 1), D(2021, 1, 1)) == "today"
    assert countdown_text(D(2021, 1, 1), D(2021, 1, 2)) == "in 1 day (1 day)"
    assert countdown_text(D(2021, 1, 2), D(2021, 1, 1)) == "1 day ago (1 day)"


def test_shift_days_between_window_starts() -> None:
    assert shift_days(parse_date("2021-11-19"), parse_date("2022-05-27")) == 189
    assert shift_days(parse_date("Jul 2026"), parse_date("Q3 2026")) == 0
    assert shift_days(parse_date("2026"), parse_date("2025-12-30")) == -2
    assert shift_days(TBA, parse_date("2026")) is None
    assert shift_days(parse_date("2026"), TBA) is None


def test_describe_move_examples() -> None:
    nov19 = parse_date("2021-11-19")
    assert describe_move(nov19, parse_date("2022-05-27")) == (
        "moved from Fri 19 Nov 2021 to Fri 27 May 2022 (+189 days)"
    )
    assert describe_move(nov19, parse_date("2021-11-17")) == (
        "moved from Fri 19 Nov 2021 to Wed 17 Nov 2021 (-2 days)"
    )
    assert describe_move(nov19, parse_date("2021-11-20")) == (
        "moved from Fri 19 Nov 2021 to Sat 20 Nov 2021 (+1 day)"
    )
    assert describe_move(nov19, parse_date("19 Nov 2021")) == "confirmed: Fri 19 Nov 2021"
    assert describe_move(None, nov19) == "set to Fri 19 Nov 2021"
    assert describe_move(TBA, parse_date("Jul 2026")) == "refined from TBA to Jul 2026"
    assert describe_move(parse_date("Jul 2026"), TBA) == "now TBA (was Jul 2026)"
    q3, july4 = parse_date("Q3 2027"), parse_date("2027-07-04")
    assert describe_move(q3, july4) == "refined from Q3 2027 to Sun 4 Jul 2027"
    assert describe_move(july4, q3) == "made vaguer: from Sun 4 Jul 2027 to Q3 2027"
    assert describe_move(q3, parse_date("2027-10-01")) == (
        "moved from Q3 2027 to Fri 1 Oct 2027 (+92 days)"
    )
