"""The renderer settles common cells (text, whole numbers, nothing, dates) without the
generic path; for any value it writes exactly what the generic path writes."""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from tracker.cells import LIST_SEPARATOR, cell, neutralise
from tracker.dates import FuzzyDate, from_iso
from tracker.render import _flat_cell, _flat_cells, to_plain

FORMULA = re.compile(r"'*[=+\-@\t\r]")


def generic_cell(value: Any, raw: bool) -> str:
    """The path every cell took before the fast one: plain form, JSON for nested objects,
    numbers as numbers, lists joined, text through the formula pattern."""
    value = to_plain(value)
    if isinstance(value, dict) or (
        isinstance(value, list) and any(isinstance(item, dict) for item in value)
    ):
        value = json.dumps(value, ensure_ascii=False)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (list, tuple)):
        value = LIST_SEPARATOR.join(generic_cell(item, True) for item in value)
    text = str(value)
    return text if raw else ("'" + text if FORMULA.match(text) else text)


fuzzy_dates = st.one_of(
    st.dates(min_value=datetime.date(1000, 1, 1)).map(lambda d: from_iso(d.isoformat())),
    st.builds(lambda y, m: FuzzyDate("month", y, m), st.integers(1000, 9999), st.integers(1, 12)),
    st.builds(
        lambda y, q: FuzzyDate("quarter", y, quarter=q), st.integers(1000, 9999), st.integers(1, 4)
    ),  # fmt: skip
    st.builds(lambda y: FuzzyDate("year", y), st.integers(1000, 9999)),
    st.just(FuzzyDate("unknown")),
)
formula_text = st.text(alphabet="'=+-@\t\r a1", max_size=6)
values = st.one_of(
    st.none(),
    st.text(),
    formula_text,
    st.integers(),
    st.booleans(),
    st.floats(allow_nan=True),
    fuzzy_dates,
    st.dates(),
    st.lists(st.one_of(st.text(max_size=4), formula_text), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@given(values, st.booleans())
def test_the_fast_path_writes_what_the_generic_path_writes(value: Any, raw: bool) -> None:
    expected = generic_cell(value, raw)
    assert _flat_cell(value, raw) == expected
    assert _flat_cells({"x": value, "y": value}, ["x", "y", "missing"], raw) == [
        expected,
        expected,
        "",
    ]
    if type(value) in (str, int) or value is None:
        assert cell(value, raw=raw) == expected


@given(st.one_of(st.text(), formula_text))
def test_neutralise_looks_past_the_first_character_only_when_it_must(text: str) -> None:
    assert neutralise(text) == ("'" + text if FORMULA.match(text) else text)


@given(fuzzy_dates)
def test_stored_dates_read_back_as_the_same_date(date: FuzzyDate) -> None:
    assert from_iso(date.iso) == date
    assert from_iso(date.iso) is from_iso(date.iso)  # one object per stored date
    assert from_iso(date.iso).iso == date.iso


# Text the import's cell checks look at: printable ASCII, the control, bidi and invisible
# characters validation looks for, line breaks, quotes that mark a neutralised cell.
CELL_TEXT = st.text(
    alphabet=st.sampled_from(
        list("ab Z9'=-\t\r\n\x00\x1f\x7f") + ["\u00e9", "\u202e", "\u2066", "\u200b", "\ufe0f"]
    )
    | st.characters(),
    max_size=12,
) | st.text(alphabet="ab ", min_size=495, max_size=505)


def generic_text(value: str) -> str | None:
    """A text cell the way every cell was checked before the fast path: restored, trimmed,
    line breaks made spaces, then the full validation."""
    from tracker.cells import restore
    from tracker.exchange.csv import _LINE_BREAKS, CellError
    from tracker.validation import _CONTROL, text_problem

    text = (restore(value) if value[:1] == "'" else value).strip()
    if not text:
        return None
    if _CONTROL.search(text):
        text = _LINE_BREAKS.sub(" ", text)
    problem = text_problem(text)
    if problem:
        raise CellError("note", problem.removeprefix("is "))
    return text


def outcome(check: Any, value: str) -> tuple[str, Any]:
    from tracker.exchange.csv import CellError

    try:
        return ("stored", check(value))
    except CellError as error:
        return ("refused", error.reason)


@given(CELL_TEXT)
def test_an_imported_text_cell_is_checked_as_the_generic_path_checks_it(value: str) -> None:
    from tracker.exchange.csv import _text

    assert outcome(lambda text: _text("note", text), value) == outcome(generic_text, value)


@given(CELL_TEXT)
def test_a_title_is_plain_exactly_when_validation_finds_nothing_to_look_at(value: str) -> None:
    from tracker.exchange.csv import _plain
    from tracker.validation import SUSPECT

    assert _plain(value) == (SUSPECT.search(value) is None)


# Whole-number cells: plain digits (in and out of range, leading zeros, 4-digit years around
# the bounds), other decimal digits (Arabic-Indic, full-width), signs, spaces and any text.
NUMBER_TEXT = (
    st.integers(min_value=-(10**20), max_value=10**20).map(str)
    | st.integers(min_value=10**17, max_value=10**20).map(str)
    | st.integers(min_value=1800, max_value=2300).map(str)
    | st.from_regex(r"\A0*[0-9]{1,20}\Z")
    | st.text(alphabet="0123456789\u0661\u0669\uff11 +-_", max_size=20)
    | st.characters().map(str)
)


@given(NUMBER_TEXT, NUMBER_TEXT)
@example("999999999999999999", "1850")  # 18 digits: the longest id the fast path reads
@example("9223372036854775807", "2200")  # MAX_ID, the last year
@example("9223372036854775808", "2000")  # one past each bound
@example("1", "1849")
@example("1", "2201")
@example("99999999999999999999", "")
@example("0001", "0999")
def test_an_imported_films_id_and_year_are_read_as_the_generic_path_reads_them(
    film_id: str, year: str
) -> None:
    """`import csv films` reads plain-digit ids and years with int() alone; any cell gives
    what _integer gives (the value, or the same refusal)."""
    from tracker.exchange.csv import _films_parse, _integer
    from tracker.validation import MAX_ID, YEARS

    def parsed(cells: list[str]) -> tuple[Any, Any]:
        row = _films_parse(cells, None)  # type: ignore[arg-type]  # films use no state
        return row[0], row[3]

    def generic(cells: list[str]) -> tuple[Any, Any]:
        number, _, when, _, _ = cells
        return (
            _integer("id", number, 1, MAX_ID) if number else None,
            _integer("year", when, *YEARS) if when else None,
        )

    cells = [film_id, "A Film", year, "", ""]
    assert outcome(lambda _: parsed(cells), "") == outcome(lambda _: generic(cells), "")
