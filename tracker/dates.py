"""Fuzzy release dates: a day, a month, a quarter, a year, or not known yet (TBA).

Stored form (`FuzzyDate.iso`, also used in JSON): "2021-11-19", "2026-07", "2026-Q3",
"2026", or None for TBA. `from_iso` reads that form back; `parse_date` reads what a
user types and refuses anything it cannot read without guessing.

Only the standard library is imported at module level: dateutil is imported inside the
functions that need it, so that importing this module stays cheap.
"""

from __future__ import annotations

import datetime
from functools import cached_property, lru_cache

from tracker.errors import InvalidDate
from tracker.patterns import pattern

PRECISIONS = ("day", "month", "quarter", "year", "unknown")

MIN_YEAR = 1000
MAX_YEAR = 9999

# English names, so display never depends on the locale.
MONTH_NAMES = (
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
)
WEEKDAY_NAMES = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)

# Lower-case month words a user may write -> month number.
_MONTH_WORDS: dict[str, int] = {}
for _number, _name in enumerate(MONTH_NAMES, start=1):
    _MONTH_WORDS[_name.lower()] = _number
    _MONTH_WORDS[_name[:3].lower()] = _number
_MONTH_WORDS["sept"] = 9
# Lower-case weekday words -> weekday number (Monday is 0, as date.weekday()).
_WEEKDAY_WORDS: dict[str, int] = {}
for _number, _name in enumerate(WEEKDAY_NAMES):
    _WEEKDAY_WORDS[_name.lower()] = _number
    _WEEKDAY_WORDS[_name[:3].lower()] = _number
del _number, _name

_TBA_WORDS = frozenset({"tba", "tbc", "tbd", "unknown"})

_FORMS = "use YYYY-MM-DD, YYYY-MM, Q3 YYYY, YYYY or TBA"
_ISO_HINT = "write it as YYYY-MM-DD"

# Stored forms (strict, what `iso` writes).
_STORED_DAY = pattern(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_STORED_MONTH = pattern(r"([0-9]{4})-([0-9]{2})")
_STORED_QUARTER = pattern(r"([0-9]{4})-Q([0-9])")
_STORED_YEAR = pattern(r"[0-9]{4}")

# User forms, matched against the stripped, lower-cased text with whitespace collapsed.
_USER_DAY = pattern(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_USER_MONTH = pattern(r"([0-9]{4})-([0-9]{1,2})")
_USER_QUARTER_FIRST = pattern(r"q([0-9])[ -]?([0-9]{4})")
_USER_YEAR_FIRST = pattern(r"([0-9]{4})[ -]?q([0-9])")
_USER_YEAR = pattern(r"[0-9]{4}")
# Numbers only, not in YYYY-MM-DD order: 05/06/2021, 5.6.2021, 05-06-21, 2021/11/19...
_NUMERIC_DAY_FIRST = pattern(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{2}|[0-9]{4})")
_NUMERIC_OTHER = pattern(r"[0-9]{1,4}[/.-][0-9]{1,2}[/.-][0-9]{1,4}")
_DAY_TOKEN = pattern(r"([0-9]{1,2})(?:st|nd|rd|th)?")
_YEAR_TOKEN = pattern(r"[0-9]{4}")


def _problem(
    precision: str,
    year: int | None,
    month: int | None,
    day: int | None,
    quarter: int | None,
) -> str | None:
    """Why these fields do not make a FuzzyDate, or None when they do."""
    if precision not in PRECISIONS:
        return f"precision must be one of {', '.join(PRECISIONS)}"
    if precision == "unknown":
        if (year, month, day, quarter) != (None, None, None, None):
            return "an unknown (TBA) date has no year, month, day or quarter"
        return None
    if year is None or not MIN_YEAR <= year <= MAX_YEAR:
        return f"year must be between {MIN_YEAR} and {MAX_YEAR}"
    wants_month = precision in ("day", "month")
    if wants_month != (month is not None):
        return f"a {precision} date {'needs' if wants_month else 'has no'} month"
    if (precision == "day") != (day is not None):
        return f"a {precision} date {'needs' if precision == 'day' else 'has no'} day"
    if (precision == "quarter") != (quarter is not None):
        needs = precision == "quarter"
        return f"a {precision} date {'needs' if needs else 'has no'} quarter"
    if month is not None and not 1 <= month <= 12:
        return "month must be between 1 and 12"
    if quarter is not None and not 1 <= quarter <= 4:
        return "quarter must be between 1 and 4"
    if day is not None and month is not None and not 1 <= day <= _month_days(year, month):
        return "day is out of range for month"
    return None


def _month_days(year: int, month: int) -> int:
    """Days in a month (calendar.monthrange without importing calendar and locale)."""
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


class FuzzyDate:
    """A release date known to a day, a month, a quarter, a year, or not at all. A value:
    immutable, equal and hashed by its fields. (Written out rather than a frozen dataclass,
    whose generated methods cost every command a millisecond of start-up.)"""

    precision: str
    year: int | None
    month: int | None
    day: int | None
    quarter: int | None

    def __init__(
        self,
        precision: str,
        year: int | None = None,
        month: int | None = None,
        day: int | None = None,
        quarter: int | None = None,
    ):
        problem = _problem(precision, year, month, day, quarter)
        if problem:
            raise ValueError(f"invalid FuzzyDate: {problem}")
        fields = self.__dict__
        fields["precision"], fields["year"], fields["month"] = precision, year, month
        fields["day"], fields["quarter"] = day, quarter

    def _fields(self) -> tuple[str, int | None, int | None, int | None, int | None]:
        return (self.precision, self.year, self.month, self.day, self.quarter)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not FuzzyDate:
            return NotImplemented
        assert isinstance(other, FuzzyDate)
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        precision, year, month, day, quarter = self._fields()
        return (
            f"FuzzyDate(precision={precision!r}, year={year!r}, month={month!r},"
            f" day={day!r}, quarter={quarter!r})"
        )

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"FuzzyDate is immutable: cannot set {name}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"FuzzyDate is immutable: cannot delete {name}")

    @property
    def is_day(self) -> bool:
        return self.precision == "day"

    @cached_property  # frozen: worked out once (importers reuse dates)
    def iso(self) -> str | None:
        """The stored form: 2021-11-19, 2026-07, 2026-Q3, 2026, or None for TBA."""
        if self.precision == "day":
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.precision == "month":
            return f"{self.year:04d}-{self.month:02d}"
        if self.precision == "quarter":
            return f"{self.year:04d}-Q{self.quarter}"
        if self.precision == "year":
            return f"{self.year:04d}"
        return None

    @cached_property
    def start(self) -> datetime.date | None:
        """The first day of the window (None for TBA)."""
        if self.year is None:
            return None
        if self.precision == "day":
            assert self.month is not None and self.day is not None
            return datetime.date(self.year, self.month, self.day)
        return datetime.date(self.year, self._first_month, 1)

    @cached_property
    def end(self) -> datetime.date | None:
        """The last day of the window (None for TBA)."""
        if self.year is None:
            return None
        if self.precision == "day":
            return self.start
        last_month = self._first_month + {"month": 0, "quarter": 2}.get(self.precision, 11)
        last_day = _month_days(self.year, last_month)
        return datetime.date(self.year, last_month, last_day)

    @property
    def _first_month(self) -> int:
        if self.month is not None:
            return self.month
        if self.quarter is not None:
            return 3 * self.quarter - 2
        return 1

    def display(self) -> str:
        """Table form: Fri 19 Nov 2021, Jul 2026, Q3 2026, 2026, TBA."""
        return self._display

    @cached_property  # a report shows the same (shared, see _from_stored) dates many times
    def _display(self) -> str:
        if self.precision == "day":
            start = self.start
            assert start is not None
            weekday = WEEKDAY_NAMES[start.weekday()][:3]
            return f"{weekday} {start.day} {MONTH_NAMES[start.month - 1][:3]} {start.year}"
        if self.precision == "month":
            assert self.month is not None
            return f"{MONTH_NAMES[self.month - 1][:3]} {self.year}"
        if self.precision == "quarter":
            return f"Q{self.quarter} {self.year}"
        if self.precision == "year":
            return str(self.year)
        return "TBA"

    def __str__(self) -> str:
        return self._display


TBA = FuzzyDate("unknown")


def _make(
    text: str,
    precision: str,
    year: int,
    month: int | None = None,
    day: int | None = None,
    quarter: int | None = None,
) -> FuzzyDate:
    """A FuzzyDate, or InvalidDate naming the text and what is wrong with it."""
    problem = _problem(precision, year, month, day, quarter)
    if problem:
        raise InvalidDate(f"invalid date '{text}': {problem}")
    return FuzzyDate(precision, year, month, day, quarter)


def from_iso(text: str | None) -> FuzzyDate:
    """Read the stored form back (exactly what `FuzzyDate.iso` writes; None or "" is TBA)."""
    if text is None or text == "":
        return TBA
    if not isinstance(text, str):
        raise InvalidDate(f"invalid stored date {text!r}")
    return _from_stored(text)


# A FuzzyDate is immutable, so one object can stand for every equal stored date: a report
# reads the same days a million times over. 65,536 dates (every day of 150 years and more)
# take at most some 30 MB; the bench's 28,000 distinct dates about 10 MB.
@lru_cache(maxsize=1 << 16)
def _from_stored(text: str) -> FuzzyDate:
    m = _STORED_DAY.fullmatch(text)
    if m:
        return _make(text, "day", int(m[1]), int(m[2]), int(m[3]))
    m = _STORED_MONTH.fullmatch(text)
    if m:
        return _make(text, "month", int(m[1]), int(m[2]))
    m = _STORED_QUARTER.fullmatch(text)
    if m:
        return _make(text, "quarter", int(m[1]), quarter=int(m[2]))
    if _STORED_YEAR.fullmatch(text):
        return _make(text, "year", int(text))
    raise InvalidDate(
        f"invalid stored date {text!r}: expected YYYY-MM-DD, YYYY-MM, YYYY-QN or YYYY"
    )


def parse_date(text: str) -> FuzzyDate:
    """Read a date as a user writes it; raise InvalidDate for anything else.

    Accepted: 2021-11-19, "19 Nov 2021", "November 19, 2021", "Fri 19 Nov 2021";
    2026-07, "July 2026"; "Q3 2026", "2026-Q3"; 2026; TBA, TBC, TBD, unknown.
    Numeric dates such as 05/06/2021 are refused: day and month could be swapped.
    """
    if not isinstance(text, str):
        raise InvalidDate(f"cannot read date {text!r}: {_FORMS}")
    return _from_user(text)


# As `_from_stored`: an import reads the same few thousand dates over and over.
@lru_cache(maxsize=1 << 16)
def _from_user(text: str) -> FuzzyDate:
    shown = " ".join(text.split())  # one line, for messages
    low = shown.lower()
    if not low:
        raise InvalidDate(f"no date given: {_FORMS}")
    if low in _TBA_WORDS:
        return TBA

    m = _USER_DAY.fullmatch(low)
    if m:
        return _make(shown, "day", int(m[1]), int(m[2]), int(m[3]))
    m = _USER_MONTH.fullmatch(low)
    if m:
        return _make(shown, "month", int(m[1]), int(m[2]))
    m = _USER_QUARTER_FIRST.fullmatch(low)
    if m:
        return _make(shown, "quarter", int(m[2]), quarter=int(m[1]))
    m = _USER_YEAR_FIRST.fullmatch(low)
    if m:
        return _make(shown, "quarter", int(m[1]), quarter=int(m[2]))
    if _USER_YEAR.fullmatch(low):
        return _make(shown, "year", int(low))

    m = _NUMERIC_DAY_FIRST.fullmatch(low)
    if m and int(m[1]) != int(m[2]) and 1 <= int(m[1]) <= 12 and 1 <= int(m[2]) <= 12:
        raise InvalidDate(f"ambiguous date '{shown}': day and month could be swapped; {_ISO_HINT}")
    if m or _NUMERIC_OTHER.fullmatch(low):
        raise InvalidDate(
            f"cannot read date '{shown}': numeric dates are only read as YYYY-MM-DD; {_ISO_HINT}"
        )

    words = low.replace(",", " ").replace(".", " ").split()
    if len(words) == 2 and words[0] in _MONTH_WORDS and _YEAR_TOKEN.fullmatch(words[1]):
        return _make(shown, "month", int(words[1]), _MONTH_WORDS[words[0]])
    written = _written_day(shown, words)
    if written is not None:
        return written
    raise InvalidDate(f"cannot read date '{shown}': {_FORMS}")


def _written_day(shown: str, words: list[str]) -> FuzzyDate | None:
    """A written day ("Fri 19 Nov 2021", "November 19, 2021"), or None if not that form.

    The form is checked here first, so that every part (day, month name, 4-digit year) is
    present; dateutil then reads it, and must agree with the parts found.
    """
    weekday: int | None = None
    if len(words) == 4 and words[0] in _WEEKDAY_WORDS:
        weekday = _WEEKDAY_WORDS[words[0]]
        words = words[1:]
    if len(words) != 3 or not _YEAR_TOKEN.fullmatch(words[2]):
        return None
    first, second, year_word = words
    day_match = _DAY_TOKEN.fullmatch(first)
    if day_match and second in _MONTH_WORDS:
        day, month = int(day_match[1]), _MONTH_WORDS[second]
    else:
        day_match = _DAY_TOKEN.fullmatch(second)
        if not (day_match and first in _MONTH_WORDS):
            return None
        day, month = int(day_match[1]), _MONTH_WORDS[first]
    year = int(year_word)
    # Range problems (year 0999, Feb 30) get a clear message before dateutil sees them.
    result = _make(shown, "day", year, month, day)

    import dateutil.parser  # only for written days: keeps importing this module cheap

    try:
        parsed = dateutil.parser.parse(" ".join(words), default=datetime.datetime(2000, 1, 1))
    except (ValueError, OverflowError, TypeError) as exc:  # ParserError is a ValueError
        raise InvalidDate(f"cannot read date '{shown}': {_FORMS}") from exc
    if (parsed.year, parsed.month, parsed.day) != (year, month, day):
        raise InvalidDate(f"cannot read date '{shown}': {_FORMS}")
    if weekday is not None and parsed.weekday() != weekday:
        raise InvalidDate(
            f"invalid date '{shown}': {result.display()[4:]} is a {WEEKDAY_NAMES[parsed.weekday()]}"
        )
    return result


def parse_day(text: str) -> datetime.date:
    """Like parse_date, but only a single day is accepted."""
    date = parse_date(text)
    if not date.is_day:
        shown = " ".join(text.split())
        raise InvalidDate(f"'{shown}' is not a single day: write YYYY-MM-DD")
    start = date.start
    assert start is not None
    return start


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}{'' if count == 1 else 's'}"


def human_span(start: datetime.date, end: datetime.date) -> str:
    """The calendar distance between two days: "1 year, 1 month, 4 days" (order-free)."""
    from dateutil.relativedelta import relativedelta

    if end < start:
        start, end = end, start
    delta = relativedelta(end, start)
    parts = [
        _plural(count, unit)
        for count, unit in ((delta.years, "year"), (delta.months, "month"), (delta.days, "day"))
        if count
    ]
    return ", ".join(parts) if parts else "0 days"


def countdown_text(today: datetime.date, target: datetime.date) -> str:
    """ "in 400 days (1 year, 1 month, 4 days)", "400 days ago (...)", or "today"."""
    days = (target - today).days
    if days == 0:
        return "today"
    span = human_span(today, target)
    if days > 0:
        return f"in {_plural(days, 'day')} ({span})"
    return f"{_plural(-days, 'day')} ago ({span})"


def shift_days(old: FuzzyDate, new: FuzzyDate) -> int | None:
    """Days from the start of the old window to the start of the new; None if either is TBA."""
    if old.start is None or new.start is None:
        return None
    return (new.start - old.start).days


# How a new date for a (film, country, type) relates to the one before it.
CHANGES = ("first", "moved", "refined", "vaguer", "confirmed", "tba")


def classify_change(old: FuzzyDate | None, new: FuzzyDate) -> str:
    """first (nothing before), confirmed (the same date again), tba (no date any more),
    refined (inside the old window: only more precise), vaguer (the old window inside the
    new one), or moved."""
    if old is None:
        return "first"
    if new == old:
        return "confirmed"
    if new.start is None or new.end is None:
        return "tba"
    if old.start is None or old.end is None:
        return "refined"  # from TBA to any date: nothing known moved
    if old.start <= new.start and new.end <= old.end:
        return "refined"
    if new.start <= old.start and old.end <= new.end:
        return "vaguer"
    return "moved"


def move_days(old: FuzzyDate | None, new: FuzzyDate) -> int | None:
    """The shift of a move in days (start to start); None for any other kind of change."""
    if old is None or classify_change(old, new) != "moved":
        return None
    return shift_days(old, new)


def describe_move(old: FuzzyDate | None, new: FuzzyDate) -> str:
    """One line for a date change: "moved from Fri 19 Nov 2021 to Fri 27 May 2022 (+189 days)",
    "refined from Q3 2027 to Sun 4 Jul 2027", "confirmed: Fri 19 Nov 2021"."""
    change = classify_change(old, new)
    if old is None:
        return f"set to {new}"
    if change == "confirmed":
        return f"confirmed: {new}"
    if change == "tba":
        return f"now TBA (was {old})"
    if change == "refined":
        return f"refined from {old} to {new}"
    if change == "vaguer":
        return f"made vaguer: from {old} to {new}"
    shift = shift_days(old, new)
    assert shift is not None
    return f"moved from {old} to {new} ({shift:+d} day{'' if abs(shift) == 1 else 's'})"


def countdown(date: FuzzyDate, today: datetime.date) -> tuple[int, str]:
    """(days, words) from today to a date. A day: "in 400 days (1 year, 1 month, 4 days)".
    A window names itself honestly: "in Q3 2027 · window opens in 37 days", "in Q3 2027 ·
    window open, closes in 20 days", "Q2 2027 · window closed 1 day ago"; its days count to
    its first day, are 0 while it is open, and count from its last day once it has closed."""
    start, end = date.start, date.end
    if start is None or end is None:
        raise ValueError("a TBA date has no countdown")
    if date.is_day:
        return (start - today).days, countdown_text(today, start)
    if today < start:
        days = (start - today).days
        return days, f"in {date} · window opens in {_plural(days, 'day')}"
    if today <= end:
        left = (end - today).days
        closes = "closes today" if left == 0 else f"closes in {_plural(left, 'day')}"
        return 0, f"in {date} · window open, {closes}"
    ago = (today - end).days
    return -ago, f"{date} · window closed {_plural(ago, 'day')} ago"


def of_day(day: datetime.date) -> FuzzyDate:
    """The day-precision FuzzyDate of a calendar day."""
    return FuzzyDate("day", day.year, day.month, day.day)


def counting_from(when: FuzzyDate, today: datetime.date) -> str:
    """ "; counts from Fri 31 Jan 2025, the end of Jan 2025" when a fact dated `when` will
    only count as known after `today` (the last day of its window is still ahead), else "":
    said when it is recorded, so a listing of the day that leaves it out is no surprise."""
    if when.end is None or when.end <= today:
        return ""
    return f"; counts from {of_day(when.end)}, the end of {when}"


def plus_days(day: datetime.date, days: int) -> datetime.date:
    """`day` moved by `days`, held within the calendar (year 1 to 9999): `--days 3000000`
    and `--today 9999-12-31` ask for every day there is, not for an overflow."""
    try:
        return day + datetime.timedelta(days=days)
    except OverflowError:
        return datetime.date.max if days > 0 else datetime.date.min


def check_happened(date: FuzzyDate, today: datetime.date, what: str) -> FuzzyDate:
    """Refuse the day something happened (announced, a status, an event, a viewing) when it
    is TBA (it happened on some day) or in the future: its window starts after today
    (2020-10 is fine on 2020-10-15). `what` starts the message: "status on 2021 is after
    today (2020-10-15)"."""
    if date.start is None:
        raise InvalidDate(f"{what} needs a date, not TBA")
    if date.start > today:
        raise InvalidDate(f"{what} {date.display()} is after today ({today.isoformat()})")
    return date


# ISO day -> its ordinal, for readers that count the days between millions of stored days
# (delays, clashes): a plain dict, a third of the time of functools.lru_cache. Readers on
# a hot path may look a day up in it first themselves.
DAY_NUMBERS: dict[str, int] = {}


def day_number(day: str) -> int:
    """The ordinal of an ISO day (YYYY-MM-DD), remembered (at most 65,536 days)."""
    number = DAY_NUMBERS.get(day)
    if number is None:
        if len(DAY_NUMBERS) >= 1 << 16:
            DAY_NUMBERS.clear()
        number = DAY_NUMBERS[day] = datetime.date.fromisoformat(day).toordinal()
    return number
