"""The hot queries never read every film or announcement: each statement that `upcoming`,
`countdown`, `history` and `show` run is checked with EXPLAIN QUERY PLAN for full scans."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from tracker.dates import parse_date
from tracker.domain.films import add_film, resolve
from tracker.domain.releases import announce
from tracker.store import Store
from tracker.views.overview import show
from tracker.views.releases import countdown, history, upcoming

BIG_TABLES = ("releases", "films", "status_events", "aliases")


@pytest.fixture
def filled(store: Store, today: datetime.date) -> Store:
    with store.transaction():
        for number, (date, country) in enumerate(
            [("2021-03-05", "US"), ("2021-Q2", None), ("2021", "GB"), ("2020-10", "US")]
        ):
            film = add_film(store, f"Film {number}", today=today, franchise="F")
            announce(store, film, parse_date(date), today=today, country=country)
            announce(store, film, parse_date("TBA"), today=today, country="FR")
    return store


def statements(store: Store, call: Callable[[], Any]) -> list[str]:
    seen: list[str] = []
    store.conn.set_trace_callback(seen.append)
    try:
        call()
    finally:
        store.conn.set_trace_callback(None)
    return [sql for sql in seen if sql.lstrip().upper().startswith("SELECT")]


def full_scans(store: Store, sql: str) -> list[str]:
    plan = store.conn.execute("EXPLAIN QUERY PLAN " + sql).fetchall()
    details = [row[3] for row in plan]
    aliases = {"r", "c", "f"}
    return [
        detail
        for detail in details
        if detail.startswith("SCAN ")
        and (detail.split()[1] in BIG_TABLES or detail.split()[1] in aliases)
    ]


HOT: dict[str, Callable[[Store, datetime.date], Any]] = {
    "upcoming --limit 50": lambda s, t: upcoming(s, t, limit=50),
    "upcoming --country US --limit 50": lambda s, t: upcoming(s, t, country="US", limit=50),
    "upcoming --type theatrical --days 400": lambda s, t: upcoming(
        s, t, release_type="theatrical", days=400
    ),
    "upcoming --tba": lambda s, t: upcoming(s, t, tba=True, limit=50),
    "countdown": lambda s, t: countdown(s, resolve(s, "Film 2"), t, country="GB"),
    "history": lambda s, t: history(s, resolve(s, "Film 2"), t),
    "show": lambda s, t: show(s, resolve(s, "#3"), t),
}


@pytest.mark.parametrize("name", HOT)
def test_hot_query_plans_have_no_full_scan(filled: Store, today: datetime.date, name: str) -> None:
    run = statements(filled, lambda: HOT[name](filled, today))
    assert run, "the call ran no SELECT at all"
    for sql in run:
        assert full_scans(filled, sql) == [], sql


def test_upcoming_walks_the_precision_indexes(filled: Store, today: datetime.date) -> None:
    run = statements(filled, lambda: upcoming(filled, today, country="US", limit=5))
    plans = " ".join(
        row[3] for sql in run for row in filled.conn.execute("EXPLAIN QUERY PLAN " + sql)
    )
    assert "releases_country_upcoming" in plans
    run = statements(filled, lambda: upcoming(filled, today, limit=5))
    plans = " ".join(
        row[3] for sql in run for row in filled.conn.execute("EXPLAIN QUERY PLAN " + sql)
    )
    assert "releases_upcoming" in plans


def test_the_scan_detector_catches_a_full_scan(filled: Store) -> None:
    assert full_scans(filled, "SELECT * FROM releases WHERE note = 'x'") != []


def test_upcoming_still_finds_windows_that_began_before_today(
    filled: Store, today: datetime.date
) -> None:
    # 2020-10 (a month that began on 1 Oct) and 2021-Q2 / 2021 are found by their classes.
    rows = upcoming(filled, today)
    assert [(row["title"], row["date"].iso) for row in rows] == [
        ("Film 3", "2020-10"),
        ("Film 2", "2021"),
        ("Film 0", "2021-03-05"),
        ("Film 1", "2021-Q2"),
    ]
