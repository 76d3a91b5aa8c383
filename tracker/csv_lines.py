"""CSV lines SQLite writes itself, for exports and reports of millions of rows.

Each line is built by one printf in SQL (one allocation a line: fetching cells into Python
and writing them with csv.writer costs several times more), its cells split by UNIT; once
fetched, lines are joined by RECORD. Both are characters stored text never holds (the
library refuses control characters), so a batch is one string turned into CSV by
str.replace; only the few lines with a quote, a comma or a line break are quoted cell by
cell. RFC 4180: CRLF line ends, minimal quoting.
"""

from __future__ import annotations

from collections.abc import Sequence

from tracker.errors import BadFile
from tracker.patterns import pattern

UNIT = "\x1f"
RECORD = "\x1e"
_NEEDS_QUOTES = pattern('[",\r\n]')


def printf_line(cells: Sequence[str]) -> str:
    """SQL for one line of the SQL expressions `cells` (printf writes NULL as nothing)."""
    return f"printf('{UNIT.join(['%s'] * len(cells))}', {', '.join(cells)})"


def _quoted(line: str) -> str:
    return ",".join(
        '"' + cell.replace('"', '""') + '"' if _NEEDS_QUOTES.search(cell) else cell
        for cell in line.split(UNIT)
    )


def _plain(text: str) -> str:
    return text.replace(UNIT, ",").replace(RECORD, "\r\n")


def csv_blob(blob: str, count: int, width: int | None = None, instead: str = "JSON") -> str:
    """CSV text of `count` lines already joined by RECORD. With `width` (cells a line), a
    separator found inside a cell (only a database written by other tools can hold one) is
    an error naming what to use `instead`, rather than a shifted row."""
    if width is not None and (
        blob.count(UNIT) != count * (width - 1) or blob.count(RECORD) != count - 1
    ):
        raise BadFile(
            "the database holds text with control characters (U+001E/U+001F), which"
            f" tracker never writes; use {instead} instead"
        )
    parts = []
    done = 0
    for match in _NEEDS_QUOTES.finditer(blob):
        if match.start() < done:
            continue  # in a line already quoted
        start = blob.rfind(RECORD, 0, match.start()) + 1
        end = blob.find(RECORD, match.start())
        end = len(blob) if end < 0 else end
        parts.append(_plain(blob[done:start]))
        parts.append(_quoted(blob[start:end]))
        done = end
    parts.append(_plain(blob[done:]))
    parts.append("\r\n")
    return "".join(parts)
