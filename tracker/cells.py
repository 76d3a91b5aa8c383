"""Cells written for spreadsheets: the one neutraliser every CSV and TSV cell passes through.

A cell a spreadsheet would run as a formula (starting with = + - @, tab or carriage return)
gets a leading apostrophe (OWASP's advice); `restore` takes it off again. A cell that already
starts with apostrophes before such a character gets one more, so the round trip is exact.
"""

from __future__ import annotations

import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NEEDS_QUOTE = re.compile(r"'*[=+\-@\t\r]")
_QUOTED = re.compile(r"'+[=+\-@\t\r]")


def neutralise(value: str) -> str:
    """Make a cell inert for spreadsheets: "=1+2" -> "'=1+2"."""
    return "'" + value if _NEEDS_QUOTE.match(value) else value


def restore(value: str) -> str:
    """Undo `neutralise`: "'=1+2" -> "=1+2"; any other text is left as is."""
    return value[1:] if _QUOTED.match(value) else value
