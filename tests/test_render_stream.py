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
