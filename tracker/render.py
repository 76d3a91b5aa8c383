"""One renderer for every command and every --format: table, csv, tsv, json.

Commands hand over plain rows (dicts). Dates travel as FuzzyDate or datetime.date and are
written as ISO text in json/csv/tsv and in their human form in tables.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from typing import Any

from tracker.cells import MAY_START_A_FORMULA, cell, neutralise
from tracker.dates import FuzzyDate

FORMATS = ("table", "csv", "tsv", "json")
Row = Mapping[str, Any]


def columns_of(row_type: type) -> list[str]:
    """The keys of a row's TypedDict, in order: the columns of csv, tsv and table output.
    A reader declares `class DiaryEntry(TypedDict)` and returns `list[DiaryEntry]`, so mypy
    checks every key and type of the JSON; the CLI passes `columns=columns_of(DiaryEntry)`."""
    return list(row_type.__annotations__)


def pick(row_type: type, *columns: str) -> list[str]:
    """Some of a row's columns (what a table shows), each checked to be one of its keys."""
    keys = columns_of(row_type)
    unknown = [column for column in columns if column not in keys]
    if unknown:
        raise ValueError(f"{row_type.__name__} has no {', '.join(unknown)}")
    return list(columns)


def to_plain(value: Any) -> Any:
    """The JSON form of a value: dates as ISO strings, nested rows as objects."""
    if isinstance(value, FuzzyDate):
        return value.iso
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {key: to_plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(item) for item in value]
    return value


def to_json(value: Any) -> str:
    import json  # not for tables: a start-up saved

    return json.dumps(to_plain(value), ensure_ascii=False, indent=2)


def _table_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):  # a person reads yes/no; csv and json write true/false
        return "yes" if value else "no"
    if isinstance(value, FuzzyDate):
        return value.display()
    if isinstance(value, (list, tuple)):
        return ", ".join(str(_table_cell(item)) for item in value)
    if isinstance(value, Mapping):  # {"imdb": "tt0117060"} -> imdb:tt0117060
        return ", ".join(f"{key}:{_table_cell(item)}" for key, item in value.items())
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def _flat_cell(value: Any, raw: bool) -> str:
    """A csv/tsv cell: ISO dates, lists of words joined, nested objects as JSON; every
    one through the one neutraliser (tracker.cells)."""
    kind = type(value)
    if kind is str or kind is int or value is None:  # most cells: nothing to make plain
        return cell(value, raw=raw)
    if kind is FuzzyDate:
        return cell(value.iso, raw=raw)
    value = to_plain(value)
    if isinstance(value, dict) or (
        isinstance(value, list) and any(isinstance(item, dict) for item in value)
    ):
        import json

        value = json.dumps(value, ensure_ascii=False)
    return cell(value, raw=raw)


def _flat_cells(row: Row, columns: Sequence[str], raw: bool) -> list[str]:
    """A row's csv/tsv cells: `_flat_cell` of each, with the common cells (text that cannot
    start a formula, whole numbers, nothing, dates) settled here without a call."""
    cells: list[str] = []
    for column in columns:
        value: Any = row.get(column)
        if type(value) is FuzzyDate:
            value = value.iso
        kind = type(value)
        if kind is str:
            cells.append(value if raw or not value or value[0] not in MAY_START_A_FORMULA
                         else neutralise(value))  # fmt: skip
        elif kind is int:
            cells.append(str(value))
        elif value is None:
            cells.append("")
        else:
            cells.append(_flat_cell(value, raw))
    return cells


def table(
    rows: Sequence[Row],
    columns: Sequence[str] | None = None,
    tablefmt: str = "simple",
    width: int | None = None,
) -> str:
    """A text table; with `width` (a terminal's), the widest text column is shortened with
    "…" until the table fits."""
    if tablefmt not in _OWN_LAYOUTS:
        tablefmt = _known_tablefmt(tablefmt)
    if not rows:
        return ""
    columns = list(columns or rows[0].keys())
    body = [[_table_cell(row.get(column)) for column in columns] for row in rows]
    text = _tabulate(body, columns, tablefmt)
    if width is None:
        return text
    from wcwidth import wcswidth

    for _ in range(4 * len(columns)):
        excess = max(wcswidth(line) for line in text.splitlines()) - width
        if excess <= 0:
            break
        widths = [
            max((wcswidth(cell) for row in body if isinstance(cell := row[i], str)), default=0)
            for i in range(len(columns))
        ]
        widest = max(range(len(columns)), key=lambda i: widths[i])
        floor = max(wcswidth(columns[widest]), 6)
        if widths[widest] <= floor:
            break  # nothing left to shorten: the terminal is narrower than the table's bones
        limit = max(widths[widest] - excess, floor)
        for row in body:
            if isinstance(row[widest], str):
                row[widest] = shorten(row[widest], limit)
        text = _tabulate(body, columns, tablefmt)
    return text


def _tabulate(body: list[list[Any]], columns: list[str], tablefmt: str) -> str:
    if tablefmt in _OWN_LAYOUTS:
        text = _plain_layout(body, columns, tablefmt == "simple")
        if text is not None:
            return text
    from tabulate import tabulate  # costly import: only when a table needs it

    return tabulate(body, headers=columns, tablefmt=tablefmt, disable_numparse=True)


_OWN_LAYOUTS = ("simple", "plain")


def _known_tablefmt(tablefmt: str) -> str:
    """The tabulate style meant (any case): tabulate writes an unknown one as "simple"
    without a word, so an unknown one is an error naming the styles."""
    from tabulate import tabulate_formats

    if tablefmt in tabulate_formats:
        return tablefmt
    from tracker.choices import choose

    return choose(tablefmt, sorted(tabulate_formats), "--tablefmt")


def _plain_layout(body: list[list[Any]], columns: list[str], rule: bool) -> str | None:
    """tabulate's "simple" (`rule`: dashes under the header) or "plain" layout, written
    here when every cell is one line of printable ASCII, a whole number or nothing; None
    otherwise (tabulate then lays it out). tabulate works out a type, the visible width
    (through wcwidth) and the ANSI codes of every cell: ~10 µs a cell, and ~6 ms of
    imports for every table a command prints. Byte for byte tabulate's output (with
    disable_numparse every column is text, so left aligned; a test compares the two)."""
    texts: list[list[str]] = []
    for row in body:
        line: list[str] = []
        for value in row:
            kind = type(value)
            if kind is str:
                if not (value.isascii() and value.isprintable()):
                    return None
                line.append(value.strip())
            elif value is None:
                line.append("")
            elif kind is int:
                line.append(str(value))
            else:
                return None
        texts.append(line)
    if not all(column.isascii() and column.isprintable() for column in columns):
        return None
    # A column is as wide as its widest cell, and two wider than its header at least.
    widths = [len(column) + 2 for column in columns]
    for line in texts:
        for index, text in enumerate(line):
            if len(text) > widths[index]:
                widths[index] = len(text)

    def laid_out(cells: list[str]) -> str:
        return "  ".join(
            text.ljust(width) for text, width in zip(cells, widths, strict=True)
        ).rstrip()

    lines = [laid_out(columns)]
    if rule:
        lines.append("  ".join("-" * width for width in widths))
    lines.extend(laid_out(line) for line in texts)
    return "\n".join(lines)


def shorten(text: str, limit: int) -> str:
    """`text` in at most `limit` terminal columns, ending in "…" when cut."""
    from wcwidth import wcswidth

    if wcswidth(text) <= limit:
        return text
    kept = []
    used = 1  # the ellipsis
    for char in text:
        size = max(wcswidth(char), 0)
        if used + size > limit:
            break
        kept.append(char)
        used += size
    return "".join(kept).rstrip() + "…"


def tsv_escape(text: str) -> str:
    """IANA text/tab-separated-values has no quoting: tab, line breaks and the backslash
    inside a cell are written as \\t, \\n, \\r and \\\\ (as PostgreSQL's COPY and most TSV
    readers expect)."""
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text


def tsv_unescape(text: str) -> str:
    """The inverse of `tsv_escape`."""
    if "\\" not in text:
        return text
    out = []
    chars = iter(text)
    for char in chars:
        if char == "\\":
            following = next(chars, "")
            out.append(
                {"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}.get(following, char + following)
            )
        else:
            out.append(char)
    return "".join(out)


def delimited(rows: Sequence[Row], columns: Sequence[str], fmt: str, raw: bool = False) -> str:
    """CSV (RFC 4180: minimal quoting, CRLF after every line, as `export csv` writes) or
    TSV (IANA: no quoting, escapes, LF lines)."""
    if fmt == "tsv":
        lines = ["\t".join(tsv_escape(column) for column in columns)]
        lines.extend(
            "\t".join(tsv_escape(text) for text in _flat_cells(row, columns, raw)) for row in rows
        )
        return "\n".join(lines) + "\n"
    import csv

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(_flat_cells(row, columns, raw))
    return out.getvalue()


def render(
    data: Sequence[Row] | Row,
    fmt: str = "table",
    *,
    columns: Sequence[str] | None = None,
    table_columns: Sequence[str] | None = None,
    tablefmt: str = "simple",
    text: str | None = None,
    empty: str = "Nothing to show.",
    raw: bool = False,
    width: int | None = None,
) -> str:
    """Render a list of rows, or one record (a Mapping), in the chosen format.

    `columns` fixes the csv/tsv header even when there are no rows; `table_columns`
    picks what a table shows; `text` replaces the table for one-line answers. csv and tsv
    end every line (the last too) with their line ending; `raw` writes their cells as stored
    (not neutralised); `width` fits tables to a terminal that wide.
    """
    if fmt == "json":
        return to_json(data)
    if isinstance(data, Mapping):
        return _render_record(data, fmt, tablefmt, text, raw, width)
    rows = list(data)
    all_columns = list(columns or (rows[0].keys() if rows else []))
    if fmt in ("csv", "tsv"):
        return delimited(rows, all_columns, fmt, raw)
    if not rows:
        return empty
    return table(rows, table_columns or all_columns, tablefmt, width)


def stream(
    rows: Iterable[Row], fmt: str, columns: Sequence[str], raw: bool = False
) -> Iterator[str]:
    """csv, tsv or json of rows read one at a time (from a cursor), as pieces of text:
    together exactly what `render` writes for the same rows, without holding them all."""
    if fmt == "json":
        opened = False
        for row in rows:
            body = to_json(row).replace("\n", "\n  ")
            yield ("[\n  " if not opened else ",\n  ") + body
            opened = True
        yield "\n]" if opened else "[]"
        return
    if fmt == "tsv":
        yield "\t".join(tsv_escape(column) for column in columns) + "\n"
        for row in rows:
            cells = (tsv_escape(text) for text in _flat_cells(row, columns, raw))
            yield "\t".join(cells) + "\n"
        return
    import csv

    class Line:
        def write(self, text: str) -> str:
            return text

    writer = csv.writer(Line(), lineterminator="\r\n")
    yield writer.writerow(columns)
    for row in rows:
        yield writer.writerow(_flat_cells(row, columns, raw))


def sql_csv_line(columns: Sequence[str], numbers: Collection[str], raw: bool = False) -> str:
    """SQL for one line of a `csv_batch` over a query's result columns named `columns`: what
    `stream` writes for a row of those cells, when each is NULL, a whole number (the columns
    in `numbers`) or text (a date as its stored ISO text). For reports of millions of rows,
    whose cells SQLite writes without a Python object per row or cell (tracker.csv_lines)."""
    from tracker.cells import sql_neutralise
    from tracker.csv_lines import printf_line

    cells = []
    for column in columns:
        name = '"' + column.replace('"', '""') + '"'
        cells.append(name if raw or column in numbers else sql_neutralise(name))
    return printf_line(cells)


def csv_header(columns: Sequence[str]) -> str:
    """The CSV header line `stream` writes for `columns` (before the `csv_batch`es of a
    report whose lines SQLite wrote)."""
    import csv

    class Line:
        def write(self, text: str) -> str:
            return text

    return str(csv.writer(Line(), lineterminator="\r\n").writerow(columns))


def csv_batch(batch: Sequence[str], width: int) -> str:
    """CSV text of a batch of lines made by `sql_csv_line` over `width` columns ('' for
    none)."""
    from tracker.csv_lines import RECORD, csv_blob

    return csv_blob(RECORD.join(batch), len(batch), width, "--format json") if batch else ""


def _render_record(
    record: Row, fmt: str, tablefmt: str, text: str | None, raw: bool, width: int | None
) -> str:
    if fmt in ("csv", "tsv"):
        return delimited([record], list(record.keys()), fmt, raw)
    if text is not None:
        return text
    scalars = [
        {"field": key, "value": _table_cell(value)}
        for key, value in record.items()
        if not _is_row_list(value)
    ]
    # The fields of a record: no rule under "field value" unless another style was asked for.
    style = "plain" if tablefmt == "simple" else tablefmt
    parts = [table(scalars, ["field", "value"], style, width)]
    for key, value in record.items():
        if _is_row_list(value) and value:
            parts.append(f"\n{key}:\n" + table(value, None, tablefmt, width))
    return "\n".join(parts)


def _is_row_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and isinstance(value[0], Mapping)
