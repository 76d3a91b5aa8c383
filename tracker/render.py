"""One renderer for every command and every --format: table, csv, tsv, json.

Commands hand over plain rows (dicts). Dates travel as FuzzyDate or datetime.date and are
written as ISO text in json/csv/tsv and in their human form in tables.
"""

from __future__ import annotations

import datetime
import io
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

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
    return json.dumps(to_plain(value), ensure_ascii=False, indent=2)


def _table_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, FuzzyDate):
        return value.display()
    if isinstance(value, (list, tuple)):
        return ", ".join(str(_table_cell(item)) for item in value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def _flat_cell(value: Any) -> Any:
    """A csv/tsv cell: ISO dates, lists joined, nested objects as JSON."""
    value = to_plain(value)
    if value is None:
        return ""
    if isinstance(value, list) and all(not isinstance(item, dict) for item in value):
        return "; ".join(str(item) for item in value)
    if isinstance(value, (list, dict)):
        value = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str):
        from tracker.cells import neutralise  # cells a spreadsheet would run as formulas

        return neutralise(value)
    return value


def table(
    rows: Sequence[Row], columns: Sequence[str] | None = None, tablefmt: str = "simple"
) -> str:
    if not rows:
        return ""
    from tabulate import tabulate  # costly import: only when a table is printed

    columns = list(columns or rows[0].keys())
    body = [[_table_cell(row.get(column)) for column in columns] for row in rows]
    return tabulate(body, headers=columns, tablefmt=tablefmt, disable_numparse=True)


def delimited(rows: Sequence[Row], columns: Sequence[str], delimiter: str) -> str:
    import csv

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_flat_cell(row.get(column)) for column in columns])
    return out.getvalue().rstrip("\n")


def render(
    data: Sequence[Row] | Row,
    fmt: str = "table",
    *,
    columns: Sequence[str] | None = None,
    table_columns: Sequence[str] | None = None,
    tablefmt: str = "simple",
    text: str | None = None,
    empty: str = "Nothing to show.",
) -> str:
    """Render a list of rows, or one record (a Mapping), in the chosen format.

    `columns` fixes the csv/tsv header even when there are no rows; `table_columns`
    picks what a table shows; `text` replaces the table for one-line answers.
    """
    if fmt == "json":
        return to_json(data)
    if isinstance(data, Mapping):
        return _render_record(data, fmt, tablefmt, text)
    rows = list(data)
    all_columns = list(columns or (rows[0].keys() if rows else []))
    if fmt in ("csv", "tsv"):
        return delimited(rows, all_columns, "," if fmt == "csv" else "\t")
    if not rows:
        return empty
    return table(rows, table_columns or all_columns, tablefmt)


def stream(rows: Iterable[Row], fmt: str, columns: Sequence[str]) -> Iterator[str]:
    """csv, tsv or json of rows read one at a time (from a cursor), as lines of text: what
    `render` prints for the same rows, without ever holding them all."""
    if fmt == "json":
        opened = False
        for row in rows:
            body = to_json(row).replace("\n", "\n  ")
            yield ("[\n  " if not opened else ",\n  ") + body
            opened = True
        yield "\n]" if opened else "[]"
        return
    import csv

    class Line:
        def write(self, text: str) -> str:
            return text

    writer = csv.writer(Line(), delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
    yield writer.writerow(columns)[:-1]
    for row in rows:
        yield "\n" + writer.writerow([_flat_cell(row.get(column)) for column in columns])[:-1]


def _render_record(record: Row, fmt: str, tablefmt: str, text: str | None) -> str:
    if fmt in ("csv", "tsv"):
        delimiter = "," if fmt == "csv" else "\t"
        return delimited([record], list(record.keys()), delimiter)
    if text is not None:
        return text
    scalars = [
        {"field": key, "value": _table_cell(value)}
        for key, value in record.items()
        if not _is_row_list(value)
    ]
    parts = [table(scalars, ["field", "value"], "plain")]
    for key, value in record.items():
        if _is_row_list(value) and value:
            parts.append(f"\n{key}:\n" + table(value, None, tablefmt))
    return "\n".join(parts)


def _is_row_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and isinstance(value[0], Mapping)
