"""Rows read from a cursor are rendered as they come: `stream` writes exactly what `render`
writes for the same rows, in csv, tsv and json, whatever the cells hold."""

from __future__ import annotations

import datetime
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import Run
from tracker.dates import parse_date
from tracker.render import render, stream

COLUMNS = ["id", "title", "date", "where", "n"]
cells = st.one_of(
    st.none(),
    st.text(),
    st.integers(),
    st.sampled_from([parse_date("2021-11-19"), parse_date("2026-Q3"), parse_date("TBA")]),
    st.dates(min_value=datetime.date(1900, 1, 1)),
    st.lists(st.text(max_size=5), max_size=3),
)
rows = st.lists(st.fixed_dictionaries({column: cells for column in COLUMNS}), max_size=5)


@given(rows)
def test_stream_writes_what_render_writes(found: list[dict[str, Any]]) -> None:
    for fmt in ("csv", "tsv", "json"):
        for raw in (False, True):
            streamed = "".join(stream(iter(found), fmt, COLUMNS, raw))
            assert streamed == render(found, fmt, columns=COLUMNS, raw=raw), fmt


def test_stream_of_nothing() -> None:
    assert "".join(stream(iter([]), "json", COLUMNS)) == "[]"
    assert "".join(stream(iter([]), "csv", COLUMNS)) == ",".join(COLUMNS) + "\r\n"
    assert "".join(stream(iter([]), "tsv", COLUMNS)) == "\t".join(COLUMNS) + "\n"


def test_cli_streams_a_report_the_same_as_a_list(run: Run) -> None:
    run("add", "Film A", "--release", "2021-05-01", "--country", "US")
    run("add", "Film B", "--release", "2021-05-03", "--country", "US")
    assert run.json("clashes")[0]["days_apart"] == 2
    assert run("clashes", "-f", "csv").stdout.splitlines()[0] == (
        "country,date_a,title_a,date_b,title_b,days_apart"
    )
    assert run("clashes", "-f", "table").stdout.count("Film A") == 1


# Text as tracker stores it: anything but NUL (and lone surrogates, which SQLite cannot
# hold) and the separators U+001E/U+001F of render.csv_batch (the library refuses them).
sql_texts = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\x1e\x1f")
)
sql_rows = st.lists(
    st.fixed_dictionaries(
        {
            "id": st.integers(-(2**63), 2**63 - 1),
            "title": st.none() | sql_texts,
            "where": st.none()
            | st.sampled_from(
                ["=1+2", "'=x", "'", "a,b", 'say "hi"', "a\r\nb", "\tx", "-3", "@me", "", "plain"]
            ),
            "n": st.none() | st.integers(-(2**63), 2**63 - 1),
        }  # fmt: skip
    ),
    max_size=5,
)


@given(sql_rows)
def test_sqlite_writes_the_csv_lines_stream_writes(found: list[dict[str, Any]]) -> None:
    """render.sql_csv_line: the lines SQLite makes for a report are, byte for byte, the ones
    `stream` writes for the same rows, neutralised or --raw."""
    import sqlite3

    from tracker.render import csv_batch, csv_header, sql_csv_line

    columns = ["id", "title", "where", "n"]
    conn = sqlite3.connect(":memory:")
    conn.execute('CREATE TABLE t (k INTEGER, id INTEGER, title TEXT, "where" TEXT, n INTEGER)')
    conn.executemany(
        "INSERT INTO t VALUES (?, ?, ?, ?, ?)",
        [(k, row["id"], row["title"], row["where"], row["n"]) for k, row in enumerate(found)],
    )
    for raw in (False, True):
        line = sql_csv_line(columns, {"id", "n"}, raw=raw)
        made = [text for (text,) in conn.execute(f"SELECT {line} FROM t ORDER BY k")]
        pieces = [csv_header(columns), csv_batch(made[:2], 4), csv_batch(made[2:], 4)]
        assert "".join(pieces) == "".join(stream(iter(found), "csv", columns, raw))


def test_sqlite_lines_refuse_the_separators_in_a_cell() -> None:
    """A database written by another program may hold U+001F in a title: an error (a
    shifted row would be worse)."""
    import sqlite3

    import pytest

    from tracker.errors import BadFile
    from tracker.render import csv_batch, sql_csv_line

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (id INTEGER, title TEXT)")
    conn.execute("INSERT INTO t VALUES (1, 'a' || char(31) || 'b')")
    line = sql_csv_line(["id", "title"], {"id"})
    made = [text for (text,) in conn.execute(f"SELECT {line} FROM t")]
    with pytest.raises(BadFile, match="control characters"):
        csv_batch(made, 2)
