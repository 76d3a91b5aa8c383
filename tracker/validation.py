"""What a stored value may be: one set of rules for add/edit, every importer and `check`.

Text: trimmed, at most MAX_TEXT characters, no control characters, no bidi controls (which
make a title display as something else), not made only of invisible characters. Numbers:
within the ranges below. Callers name the value (`what`) for the message.
"""

from __future__ import annotations

from tracker.errors import InvalidValue
from tracker.patterns import pattern

MAX_TEXT = 500
YEARS = (1850, 2200)
INSTALMENTS = (0, 999)
PRIORITIES = (1, 5)
RATINGS = (0.5, 5.0)
MAX_ID = 2**63 - 1  # SQLite's largest integer
DEFAULT_PRIORITY = 3

_CONTROL = pattern(r"[\x00-\x1f\x7f]")
# U+202A-202E (embeddings, overrides) and U+2066-2069 (isolates).
_BIDI = pattern("[\u202a-\u202e\u2066-\u2069]")
# Characters that print nothing: every format character (Unicode category Cf), Hangul
# fillers and variation selectors. A text of only these (and spaces) looks empty.
_INVISIBLE = (
    "\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160"
    "\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff"
    "\ufff9-\ufffb\uffa0\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f\U000e0100-\U000e01ef"
)
# One search that most texts fail: anything here needs the full look (`text_problem`).
SUSPECT = pattern(f"[\\x00-\\x1f\\x7f\u202a-\u202e\u2066-\u2069{_INVISIBLE}]")
_ONLY_INVISIBLE = pattern(f"[\\s{_INVISIBLE}]*")


def text_problem(text: str) -> str | None:
    """Why trimmed, non-empty `text` cannot be stored, or None."""
    if len(text) > MAX_TEXT:
        return f"is too long ({len(text)} characters; at most {MAX_TEXT})"
    if not SUSPECT.search(text):
        return None
    if _CONTROL.search(text):
        return "contains a control character"
    if _BIDI.search(text):
        return "contains a bidi control character (U+202A-202E, U+2066-2069)"
    if _ONLY_INVISIBLE.fullmatch(text):
        return "has no visible character"
    return None


def clean_text(value: str, what: str, *, required: bool = True) -> str:
    """Trimmed text fit for one table cell."""
    text = value.strip()
    if not text:
        if required:
            raise InvalidValue(f"{what} cannot be empty")
        return text
    problem = text_problem(text)
    if problem:
        raise InvalidValue(f"{what} {problem}")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidValue(f"{what} is not valid Unicode text") from None
    return text


def clean_optional(value: str | None, what: str) -> str | None:
    if value is None:
        return None
    return clean_text(value, what, required=False) or None


def _within(value: int, bounds: tuple[int, int], what: str, hint: str = "") -> int:
    low, high = bounds
    if not low <= value <= high:
        raise InvalidValue(f"{what} {value} is out of range ({hint or f'{low}-{high}'})")
    return value


def check_year(year: int | None) -> int | None:
    return None if year is None else _within(year, YEARS, "year")


def check_instalment(instalment: int | None) -> int | None:
    return None if instalment is None else _within(instalment, INSTALMENTS, "instalment")


def check_priority(priority: int | None) -> int:
    if priority is None:
        return DEFAULT_PRIORITY
    return _within(priority, PRIORITIES, "priority", "1 most wanted to 5")


def check_id(value: int, what: str = "id") -> int:
    return _within(value, (1, MAX_ID), what, "a whole number from 1")


def check_rating(rating: float | None) -> float | None:
    """0.5 to 5 in halves (Letterboxd's scale), or None."""
    if rating is None:
        return None
    low, high = RATINGS
    if not low <= rating <= high:
        raise InvalidValue(f"rating {rating:g} is out of range: use 0.5 to 5 in halves")
    if rating * 2 != int(rating * 2):  # in range, but no half
        raise InvalidValue(f"rating {rating:g} is not a whole or half star: use 0.5 to 5 in halves")
    return float(rating)
