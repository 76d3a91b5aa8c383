"""The renderer settles common cells (text, whole numbers, nothing, dates) without the
generic path; for any value it writes exactly what the generic path writes."""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

from hypothesis import given
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
