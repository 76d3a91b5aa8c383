"""`countdown` says when the film it counts down to is cancelled: its last date still
counts, but the table line and the rows (a `status` key after the others) tell."""

from __future__ import annotations

import pytest

from tests.conftest import Run


@pytest.fixture
def cancelled(run: Run) -> Run:
    run("--today", "2024-01-01", "add", "C1", "--release", "2025-05-01", "-c", "US")
    run("--today", "2024-03-01", "status", "C1", "cancelled")
    run("--today", "2024-03-01", "watch", "C1")
    return run


def test_countdown_says_the_film_is_cancelled(cancelled: Run) -> None:
    line = cancelled("--today", "2024-03-01", "countdown", "C1").stdout.strip()
    assert (
        line
        == "C1 · theatrical (US) · Thu 1 May 2025 · in 426 days (1 year, 2 months) · film cancelled"
    )
    before = cancelled("--today", "2024-02-01", "countdown", "C1").stdout.strip()
    assert before == "C1 · theatrical (US) · Thu 1 May 2025 · in 455 days (1 year, 3 months)"


def test_the_countdown_rows_end_with_the_status_of_the_day(cancelled: Run) -> None:
    row = cancelled.json("--today", "2024-03-01", "countdown", "C1")
    assert list(row) == ["id", "title", "date", "precision", "country", "type", "days", "human",
                         "status"]  # fmt: skip
    assert (row["days"], row["status"]) == (426, "cancelled")
    assert cancelled.json("--today", "2024-02-01", "countdown", "C1")["status"] == "announced"
    (listed,) = cancelled.json("--today", "2024-03-01", "countdown", "--watchlist", "watchlist")
    assert listed == row
    table = cancelled("--today", "2024-03-01", "countdown", "--watchlist", "watchlist").stdout
    assert table.splitlines()[0].split()[-1] == "status"
    assert table.splitlines()[2].split()[-1] == "cancelled"
