"""The chunked CSV export (SQLite builds each chunk, a writer thread quotes it) writes
exactly what the row-by-row path writes, across chunk borders and id gaps."""

from __future__ import annotations

import io
import sqlite3

import pytest

from tests.conftest import Run
from tracker.errors import BadFile
from tracker.exchange import csv as csvio
from tracker.store import open_store


def row_by_row(conn: sqlite3.Connection, name: str) -> str:
    spec = csvio.TABLES[name]
    lines = [line for (line,) in conn.execute(spec.export_sql)]
    body = csvio.csv_text(lines, len(spec.header)) if lines else ""
    return ",".join(spec.header) + "\r\n" + body


@pytest.mark.parametrize("chunk", [1, 3, 7, 100000])
def test_chunks_match_the_row_by_row_export(
    demo: Run, isolated: object, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    demo("add", 'Comma, Quote "and" =Formula', "--year", "2022", "--franchise", "-x")
    demo("release", "#9", "2022-05", "--country", "FR", "--note", 'a "b", c')
    demo("remove", "#2", "--yes")  # a gap in the ids
    monkeypatch.setattr(csvio, "EXPORT_CHUNK", chunk)
    store = open_store(str(isolated))
    try:
        for name in ("films", "releases"):
            out = io.StringIO(newline="")
            count = csvio.export(store, name, out)
            assert out.getvalue() == row_by_row(store.conn, name)
            assert count == store.value(f"SELECT count(*) FROM {name}") > 0
    finally:
        store.close()


def test_a_bad_cell_found_by_the_writer_thread_is_the_error(
    demo: Run, isolated: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    conn = sqlite3.connect(str(isolated))
    conn.execute("UPDATE releases SET note = 'a\x1fb' WHERE id = 3")
    conn.commit()
    conn.close()
    monkeypatch.setattr(csvio, "EXPORT_CHUNK", 2)
    store = open_store(str(isolated))
    try:
        with pytest.raises(BadFile, match="control characters"):
            csvio.export(store, "releases", io.StringIO(newline=""))
        assert not store.conn.in_transaction
    finally:
        store.close()
