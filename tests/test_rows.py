"""Row shapes are declared once, as TypedDicts: the JSON keys and the csv columns are theirs."""

from __future__ import annotations

from typing import TypedDict

import pytest

from tests.conftest import Run
from tracker.domain.diary import DiaryEntry
from tracker.domain.sources import SourceRow
from tracker.domain.watchlists import ListSummary
from tracker.render import columns_of, pick
from tracker.views.production import ShootRow
from tracker.views.rows import (
    ChangeRow,
    CountdownRow,
    DelayRow,
    FilmingRow,
    FilmRow,
    HistoryEntry,
    ListEntry,
    StatusRow,
    TimelineRow,
    UpcomingRow,
)


class _Base(TypedDict):
    id: int
    title: str


class _Row(_Base):
    days: int | None


def test_columns_are_the_keys_in_order_inherited_first() -> None:
    assert columns_of(_Row) == ["id", "title", "days"]
    assert pick(_Row, "title", "id") == ["title", "id"]
    with pytest.raises(ValueError, match="_Row has no date"):
        pick(_Row, "id", "date")


@pytest.mark.parametrize(
    ("row_type", "command"),
    [
        (DiaryEntry, ["diary"]),
        (ListSummary, ["watchlist", "list"]),
        (ShootRow, ["shoot", "list"]),
        (SourceRow, ["sources", "Mission: Impossible 7"]),
    ],
)
def test_json_and_csv_follow_the_row_type(demo: Run, row_type: type, command: list[str]) -> None:
    demo("seen", "Mission: Impossible 7", "--on", "2020-10-01", "--rating", "4")
    demo("note", "Mission: Impossible 7", "a stunt", "--on", "2020-09", "--source", "https://a.b/c")
    rows = demo.json(*command)
    assert rows, command
    assert all(list(row) == columns_of(row_type) for row in rows)
    header = demo(*command, "--format", "csv").stdout.splitlines()[0]
    assert header.split(",") == columns_of(row_type)


@pytest.mark.parametrize(
    ("row_type", "command"),
    [
        (FilmRow, ["list"]),
        (UpcomingRow, ["upcoming"]),
        (HistoryEntry, ["history", "#7"]),
        (StatusRow, ["statuses", "#7"]),
        (ListEntry, ["watchlist", "show", "watchlist"]),
        (CountdownRow, ["countdown", "--watchlist", "watchlist"]),
        (DelayRow, ["--today", "2026-01-01", "delays"]),
        (FilmingRow, ["filming"]),
        (ChangeRow, ["changes", "--since", "2019-01-01"]),
        (TimelineRow, ["timeline", "#7"]),
    ],
)
def test_the_as_of_readers_follow_their_row_types(
    demo: Run, row_type: type, command: list[str]
) -> None:
    demo("watch", "#7", "#8")
    rows = demo.json(*command)
    assert rows, command
    assert all(list(row) == columns_of(row_type) for row in rows)
    header = demo(*command, "--format", "csv").stdout.splitlines()[0]
    assert header.split(",") == columns_of(row_type)
