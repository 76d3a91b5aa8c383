"""A film deleted by another program (the sqlite3 shell with foreign keys off) leaves its
releases, statuses, shoots, titles, list entries and viewings behind. `tracker check` reports
them; every listing keeps going and skips them, as the listings that join the films do."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import Run

READERS = [
    ("upcoming",),
    ("upcoming", "--tba"),
    ("upcoming", "--watchlist", "watchlist"),
    ("countdown", "--watchlist", "watchlist"),
    ("watchlist", "show", "watchlist"),
    ("list",),
    ("search", "film"),
    ("search", "keeper"),
    ("timeline",),
    ("delays",),
    ("clashes", "--days", "400"),
    ("changes", "--since", "2019-01-01"),
    ("diary",),
    ("filming",),
    ("shoot", "list"),
    ("person", "Ann Director"),
]


@pytest.fixture
def orphaned(run: Run, isolated: Path) -> Run:
    """Film #1 ('Gone Film', retitled 'Gone Again') is deleted behind tracker's back; film
    #2 ('Keeper Film') stays."""
    for title, day in (("Gone Film", "2021-05-01"), ("Keeper Film", "2021-05-03")):
        run("add", title, "--on", "2020-01-01", "--release", day, "--country", "US",
            "--announced", "2020-01-01")  # fmt: skip
        run("release", title, "2021-06-01", "--country", "US", "--announced", "2020-02-01")
        run("release", title, "TBA", "--country", "FR", "--announced", "2020-02-01")
        run("credit", "add", title, "Ann Director", "--role", "director")
        run("watch", title)
        run("seen", title, "--on", "2020-03-01")
    run("retitle", "Gone Film", "Gone Again", "--on", "2020-03-01")
    run("shoot", "add", "Gone Again", "Oslo", "-c", "NO", "--from", "2020-01-01", "--to", "2021")
    run("note", "Gone Again", "gone news", "--on", "2020-03-01")
    with sqlite3.connect(isolated) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("DELETE FROM films WHERE id = 1")
    conn.close()
    return run


@pytest.mark.parametrize("reader", READERS, ids=" ".join)
def test_every_listing_skips_the_rows_of_a_film_gone(
    orphaned: Run, reader: tuple[str, ...]
) -> None:
    out = orphaned(*reader, "--format", "json").stdout
    assert "gone" not in out.lower(), out
    if reader[0] not in ("timeline", "changes", "clashes", "shoot", "filming"):
        assert "Keeper Film" in out  # the other film is still there


def test_check_reports_the_rows_left_behind(orphaned: Run) -> None:
    result = orphaned("check", code=1)
    assert "points to a missing films row" in result.stdout + result.stderr
