"""Cells written for spreadsheets: the one neutraliser every CSV and TSV cell passes through.

A cell a spreadsheet would run as a formula (starting with = + - @, tab or carriage return)
gets a leading apostrophe (OWASP's advice); `restore` takes it off again. A cell that already
starts with apostrophes before such a character gets one more, so the round trip is exact.

`cell` is the door every writer of CSV or TSV goes through, whatever the value's type: text
(titles, reviews, list-valued cells joined into one) is neutralised, numbers are written as
numbers (a spreadsheet never runs "-3" as a formula), a boolean as true or false (as JSON
writes it), nothing is an empty cell. `raw=True`
(listings' `--raw`, for scripts) writes text as stored.
"""

from __future__ import annotations

from typing import Any

from tracker.patterns import pattern

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NEEDS_QUOTE = pattern(r"'*[=+\-@\t\r]")
_QUOTED = pattern(r"'+[=+\-@\t\r]")
# A cell can need the apostrophe only when it starts with one of these: most cells are
# settled by one look at their first character, without the pattern.
MAY_START_A_FORMULA = frozenset("'=+-@\t\r")
LIST_SEPARATOR = "; "


def neutralise(value: str) -> str:
    """Make a cell inert for spreadsheets: "=1+2" -> "'=1+2"."""
    if not value or value[0] not in MAY_START_A_FORMULA:
        return value
    return "'" + value if _NEEDS_QUOTE.match(value) else value


def sql_neutralise(expression: str) -> str:
    """`neutralise` in SQL, for cells SQLite writes itself. unicode() (the code of the first
    character: = + - @ tab CR ') is a cheap first test that most cells fail."""
    return (
        f"(CASE WHEN unicode({expression}) IN (61, 43, 45, 64, 9, 13, 39)"
        f" AND substr(ltrim({expression}, ''''), 1, 1) IN ('=', '+', '-', '@', char(9), char(13))"
        f" THEN '''' || {expression} ELSE {expression} END)"
    )


def restore(value: str) -> str:
    """Undo `neutralise`: "'=1+2" -> "=1+2"; any other text is left as is."""
    return value[1:] if _QUOTED.match(value) else value


def cell(value: Any, *, raw: bool = False) -> str:
    """The text of one CSV/TSV cell, made inert unless `raw`. A list becomes one cell
    ("a; b"), neutralised as a whole (its first item is what a spreadsheet reads first)."""
    kind = type(value)
    if kind is str:  # the common cases first: a cell is written millions of times
        return value if raw else neutralise(value)
    if kind is int:
        return str(value)
    if value is None:
        return ""
    if kind is bool:  # as JSON writes it (and tracker's Letterboxd export, its Rewatch)
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (list, tuple)):
        value = LIST_SEPARATOR.join(cell(item, raw=True) for item in value)
    text = str(value)
    return text if raw else neutralise(text)
