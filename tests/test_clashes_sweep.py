"""clashes as a sweep in date order (tracker.views.clashes) gives, row for row and in the
same order, what the SQL it replaced gave over the whole catalogue: over random small
catalogues, against that SQL kept here as the oracle. And its first rows cost the first
days of the catalogue, not all of it."""

from __future__ import annotations

import contextlib
import datetime
import itertools
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import blank_memory_store
from tracker import asof
from tracker.dates import from_iso, of_day, parse_date
from tracker.domain.films import add_film, retitle
from tracker.domain.releases import announce
from tracker.errors import InvalidValue
from tracker.store import Store
from tracker.views.clashes import clashes

LATE = datetime.date(2030, 1, 1)

# --- the oracle: the SQL over the whole catalogue, as it was --------------------------

# The current day-precision release days per place (worldwide as ''), each film's day once.
CLASH_DAYS_COLUMNS = (
    "place TEXT, day TEXT, jday INTEGER, film_id INTEGER, title TEXT, several INTEGER,"
    " PRIMARY KEY (place, jday, film_id)"
)
CLASH_DAYS_SQL = f"""
INSERT OR IGNORE INTO temp.{{table}}
SELECT coalesce(c.country, ''), c.date_start, CAST(julianday(c.date_start) + 0.5 AS INTEGER),
       c.film_id, {asof.title_sql("f.id", "f.title")}, 0
FROM ({asof.current_releases_sql("{country}")}) c JOIN films f ON f.id = c.film_id
WHERE length(c.date) = 10
"""
SEVERAL_SQL = """
UPDATE temp.{table} SET several = 1 WHERE (place, film_id) IN
  (SELECT place, film_id FROM temp.{table} GROUP BY place, film_id HAVING count(*) > 1)
"""
CLASHES_SQL = """
WITH pairs AS NOT MATERIALIZED (
  SELECT a.place, min(a.film_id, b.film_id) AS lo, max(a.film_id, b.film_id) AS hi,
         b.jday - a.jday AS apart,
         CASE WHEN a.film_id < b.film_id THEN a.day ELSE b.day END AS lo_day,
         CASE WHEN a.film_id < b.film_id THEN b.day ELSE a.day END AS hi_day,
         CASE WHEN a.film_id < b.film_id THEN a.title ELSE b.title END AS lo_title,
         CASE WHEN a.film_id < b.film_id THEN b.title ELSE a.title END AS hi_title,
         a.several OR b.several AS several
  FROM temp.{table} a JOIN temp.{table} b
    ON b.place = a.place AND b.jday BETWEEN a.jday AND a.jday + :days
  WHERE b.film_id <> a.film_id AND (b.jday > a.jday OR b.film_id > a.film_id)
),
closest AS (
  SELECT place, lo, hi, apart, lo_day, hi_day, lo_title, hi_title FROM pairs WHERE NOT several
  UNION ALL
  SELECT place, lo, hi, apart, lo_day, hi_day, lo_title, hi_title FROM (
    SELECT place, lo, hi, apart, lo_day, hi_day, lo_title, hi_title,
           min(printf('%010d', apart) || lo_day || hi_day) AS best
    FROM pairs WHERE several GROUP BY place, lo, hi)
),
ordered AS (
  SELECT place, apart, lo, hi,
         CASE WHEN lo_day <= hi_day THEN lo_title ELSE hi_title END AS title_a,
         CASE WHEN lo_day <= hi_day THEN hi_title ELSE lo_title END AS title_b,
         min(lo_day, hi_day) AS date_a, max(lo_day, hi_day) AS date_b
  FROM closest
)
SELECT place, date_a, title_a, date_b, title_b, apart
FROM ordered
ORDER BY date_a, place, title_a, lo, hi
LIMIT :limit
"""


def old_clashes(
    store: Store, today: datetime.date, days: int, country: str | None, limit: int = -1
) -> list[dict[str, Any]]:
    params = asof.params(today, days=days, limit=limit)
    where = ""
    if country:
        where = "AND r.country = :country"
        params["country"] = country
    conn = store.conn
    conn.execute(f"CREATE TEMP TABLE oracle ({CLASH_DAYS_COLUMNS}) WITHOUT ROWID")
    try:
        conn.execute(CLASH_DAYS_SQL.format(table="oracle", country=where), params)
        conn.execute(SEVERAL_SQL.format(table="oracle"))
        rows = conn.execute(CLASHES_SQL.format(table="oracle"), params).fetchall()
    finally:
        conn.execute("DROP TABLE temp.oracle")
    return [
        {
            "country": place or None,
            "date_a": from_iso(date_a),
            "title_a": title_a,
            "date_b": from_iso(date_b),
            "title_b": title_b,
            "days_apart": apart,
        }
        for place, date_a, title_a, date_b, title_b, apart in rows
    ]


# --- random catalogues ---------------------------------------------------------------

# Days close together (ties, same-day pairs, pairs 1, 2, 7, 8, 30, 31 days apart), and
# dates that are no days: a month, a quarter, a year, TBA.
DAYS = ["2021-03-01", "2021-03-02", "2021-03-03", "2021-03-08", "2021-03-09", "2021-03-31"]
DATES = st.one_of(
    st.sampled_from(DAYS), st.sampled_from(DAYS),
    st.sampled_from(["2021-04-01", "2021-03", "2021-Q1", "2021", "TBA"]),
)  # fmt: skip
ANNOUNCED = st.sampled_from(["2020-01-10", "2020-05", "2020-06-01", "2020-Q3", "2021-01-01"])
TODAYS = st.sampled_from(["2020-06-01", "2020-07-15", "2020-12-31", "2029-01-01"])
TITLES = st.sampled_from(["Alpha", "beta", "Beta", "Ωmega"])


@st.composite
def catalogues(draw: st.DrawFn) -> list[tuple[str, tuple[Any, ...]]]:
    """Films (titles repeat: only their years differ), each with a few releases (several
    types and countries, worldwide, moved, announced after some --today), then retitles."""
    count = draw(st.integers(2, 6))
    writes: list[tuple[str, tuple[Any, ...]]] = [
        ("film", (draw(TITLES), 2000 + number)) for number in range(count)
    ]
    release = st.tuples(
        DATES, st.sampled_from(["US", "US", "GB", None]),
        st.sampled_from(["theatrical", "theatrical", "digital", "physical"]), ANNOUNCED,
    )  # fmt: skip
    for film in range(count):
        for fact in draw(st.lists(release, min_size=1, max_size=5)):
            writes.append(("release", (film, *fact)))
    retitles = st.lists(st.tuples(st.integers(0, count - 1), TITLES, ANNOUNCED), max_size=3)
    return writes + [("retitle", fact) for fact in draw(retitles)]


def build(writes: list[tuple[str, tuple[Any, ...]]]) -> Store:
    store = blank_memory_store()
    films = []
    with store.transaction():
        for kind, fact in writes:
            if kind == "film":
                title, year = fact
                films.append(add_film(store, title, today=LATE, year=year, on=parse_date("2019")))
            elif kind == "release":
                film, date, country, release_type, announced = fact
                announce(
                    store, films[film % len(films)], parse_date(date), today=LATE,
                    country=country, release_type=release_type, announced=parse_date(announced),
                )  # fmt: skip
            else:
                film, title, on = fact
                with contextlib.suppress(InvalidValue):  # the title it has then
                    retitle(store, films[film % len(films)], title, parse_date(on), today=LATE)
    return store


@settings(max_examples=80, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(catalogues(), TODAYS)
def test_the_sweep_gives_what_the_whole_catalogue_sql_gave(
    writes: list[tuple[str, tuple[Any, ...]]], today_text: str
) -> None:
    store = build(writes)
    today = datetime.date.fromisoformat(today_text)
    for days, country in itertools.product((0, 1, 7, 30), (None, "US", "GB")):
        expected = old_clashes(store, today, days, country)
        assert list(clashes(store, today, days=days, country=country)) == expected
        for limit in (1, 2, 5):
            assert (
                list(clashes(store, today, days=days, country=country, limit=limit))
                == (expected[:limit])
            )
    store.close()


def test_the_oracle_sees_what_the_rules_are_about() -> None:
    """Catalogues like the random ones hold what the comparison is about: a pair meeting
    twice (kept at its closest days), same-day pairs, equal titles, worldwide pairs, a
    moved date, a date not yet announced, a retitle."""
    writes: list[tuple[str, tuple[Any, ...]]] = [
        ("film", ("Alpha", 2000)),
        ("film", ("Alpha", 2001)),
        ("film", ("beta", 2002)),
        ("film", ("Beta", 2003)),
        ("release", (0, "2021-03-01", "US", "theatrical", "2020-01-10")),
        ("release", (0, "2021-03-08", "US", "digital", "2020-01-10")),
        ("release", (1, "2021-03-09", "US", "theatrical", "2020-01-10")),
        ("release", (2, "2021-03-02", "US", "theatrical", "2020-01-10")),
        ("release", (2, "2021-03-09", "US", "theatrical", "2020-06-01")),  # moved
        ("release", (3, "2021-03-09", "US", "theatrical", "2021-01-01")),  # announced later
        ("release", (2, "2021-03-03", None, "theatrical", "2020-01-10")),
        ("release", (3, "2021-03-03", None, "digital", "2020-01-10")),
        ("release", (1, "2021-03-03", None, "theatrical", "2020-05")),
        ("retitle", (3, "Alpha", "2020-06-01")),
    ]
    store = build(writes)
    rows = old_clashes(store, datetime.date(2020, 7, 15), 7, None)
    found = [
        (row["country"], row["date_a"].iso, row["title_a"], row["date_b"].iso, row["title_b"])
        for row in rows
    ]
    assert found == [
        (None, "2021-03-03", "Alpha", "2021-03-03", "beta"),
        (None, "2021-03-03", "Alpha", "2021-03-03", "Alpha"),  # film 4 retitled
        (None, "2021-03-03", "beta", "2021-03-03", "Alpha"),
        ("US", "2021-03-08", "Alpha", "2021-03-09", "Alpha"),  # not 1 March: 8 days apart
        ("US", "2021-03-08", "Alpha", "2021-03-09", "beta"),  # beta moved from 2 March
        ("US", "2021-03-09", "Alpha", "2021-03-09", "beta"),
    ]
    assert list(clashes(store, datetime.date(2020, 7, 15))) == rows
    later = datetime.date(2021, 6, 1)  # film 4's US day is known
    assert len(old_clashes(store, later, 7, "US")) == 6  # and film 4 with 1, 2 and 3
    assert list(clashes(store, later, country="US")) == old_clashes(store, later, 7, "US")
    store.close()


# --- the first rows cost the first days ----------------------------------------------


def steps_to_first_row(store: Store, today: datetime.date, limit: int | None = 1) -> int:
    """SQLite's virtual machine steps until clashes has its first row (with no limit: all
    its rows)."""
    steps = 0

    def count() -> int:
        nonlocal steps
        steps += 1
        return 0

    store.conn.set_progress_handler(count, 1)
    try:
        rows = clashes(store, today)
        assert list(itertools.islice(rows, limit))
    finally:
        store.conn.set_progress_handler(None, 1)
    return steps


def test_the_first_row_reads_no_further_than_its_days() -> None:
    """A hundred more films released later change nothing in what is read before the first
    row: the sweep reads the first day, the --days days after it, and the next day."""
    store = blank_memory_store()
    today = datetime.date(2020, 10, 15)
    with store.transaction():
        for title, day in (
            ("Early", "2021-03-01"), ("Close", "2021-03-05"), ("Month", "2021-03"),
            ("Next", "2021-03-20"), ("Last", "2021-06-30"),
        ):  # fmt: skip
            film = add_film(store, title, today=today)
            announce(store, film, parse_date(day), today=today, country="US")
    before = steps_to_first_row(store, today)
    with store.transaction():
        for number in range(100):
            film = add_film(store, f"Later {number}", today=today)
            day = datetime.date(2021, 4, 1) + datetime.timedelta(days=number % 40)
            announce(store, film, of_day(day), today=today, country="US")
    after = steps_to_first_row(store, today)
    assert before <= after <= before + 5  # a step or so for the bigger index
    assert steps_to_first_row(store, today, limit=None) > 20 * before  # all of it
    first = next(clashes(store, today))
    assert (first["title_a"], first["title_b"], first["days_apart"]) == ("Early", "Close", 4)
    store.close()


@pytest.mark.parametrize("days", [0, 7])
def test_a_huge_number_of_days_and_none(days: int) -> None:
    """--days 0 keeps only same-day pairs; any --days reaches no further than the data."""
    store = build([
        ("film", ("Alpha", 2000)), ("film", ("beta", 2001)), ("film", ("Gamma", 2002)),
        ("release", (0, "2021-03-01", "US", "theatrical", "2020-01-10")),
        ("release", (1, "2021-03-01", "US", "theatrical", "2020-01-10")),
        ("release", (2, "2021-03-31", "US", "theatrical", "2020-01-10")),
    ])  # fmt: skip
    today = datetime.date(2020, 10, 15)
    assert list(clashes(store, today, days=days)) == old_clashes(store, today, days, None)
    assert len(list(clashes(store, today, days=days))) == 1
    huge = 10**9
    assert list(clashes(store, today, days=huge)) == old_clashes(store, today, huge, None)
    assert len(list(clashes(store, today, days=huge))) == 3
    store.close()
