"""The shoots holding a day, found by window-length class (m013, issue 15): the span-class
search (`asof.shoot_now_sql`) finds exactly the shoots the plain rule (`shoot_holds_sql`)
and the Python rule (`Shoot.known_on` and `Shoot.holds`) find, for shoots of every class,
every precision and none, on any day; `shoot list --now` and `filming` use it."""

from __future__ import annotations

import datetime
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Run
from tracker import asof
from tracker.dates import TBA, FuzzyDate, parse_date
from tracker.domain.films import add_film
from tracker.domain.shoots import add_shoot, get_shoot, shoots
from tracker.store import Store, memory_store, migrations
from tracker.store.migrations import SHOOT_SPAN_BOUNDS
from tracker.views.production import filming_now, list_shoots

DAY = datetime.timedelta(days=1)


def fuzzy(day: datetime.date, precision: str) -> FuzzyDate:
    """The date of `precision` around `day`."""
    if precision == "day":
        return FuzzyDate("day", day.year, day.month, day.day)
    if precision == "month":
        return FuzzyDate("month", day.year, day.month)
    if precision == "quarter":
        return FuzzyDate("quarter", day.year, quarter=(day.month - 1) // 3 + 1)
    if precision == "year":
        return FuzzyDate("year", day.year)
    return TBA


def found(store: Store, rule: str, today: datetime.date) -> list[int]:
    """Ids of the shoots `rule` (an SQL condition on shoot `s`) finds on `today`."""
    rows = store.conn.execute(
        f"SELECT s.id FROM shoots s WHERE {rule} ORDER BY s.id", asof.params(today)
    )
    return [shoot_id for (shoot_id,) in rows]


def by_python(store: Store, today: datetime.date) -> list[int]:
    return sorted(
        shoot.id for shoot in shoots(store) if shoot.known_on(today) and shoot.holds(today)
    )


def span_classes(store: Store) -> dict[int, int | None]:
    return dict(store.conn.execute("SELECT id, span_class FROM shoots").fetchall())


def assert_all_rules_agree(store: Store, today: datetime.date) -> list[int]:
    bucketed = found(store, asof.shoot_now_sql("s"), today)
    assert bucketed == found(store, asof.shoot_holds_sql("s"), today), today
    assert bucketed == by_python(store, today), today
    listed = [row["id"] for row in list_shoots(store, today, now=True)]
    assert sorted(listed) == bucketed, today
    return bucketed


# Edge cases ---------------------------------------------------------------------------


@pytest.fixture
def spans(store: Store, today: datetime.date) -> dict[str, int]:
    """Shoots of every length class, at every precision, with no end, with no start, and
    one of twelve years (Boyhood's): name -> shoot id."""
    made: dict[str, int] = {}
    with store.transaction():
        # Known long before its first shoot: a shoot waits for its film to be known.
        film = add_film(store, "Spans", today=today, on=parse_date("1990"))

        def shoot(name: str, start: FuzzyDate, end: FuzzyDate = TBA) -> None:
            made[name] = add_shoot(store, [film], name, "US", start=start, end=end).id

        first = datetime.date(2020, 1, 6)
        for bound in SHOOT_SPAN_BOUNDS:  # a window of exactly each bound, and one day more
            for days in (bound, bound + 1):
                shoot(f"{days} days", fuzzy(first, "day"), fuzzy(first + days * DAY, "day"))
        shoot("one day", parse_date("2020-10-15"), parse_date("2020-10-15"))
        shoot("a month", parse_date("2020-10"))
        shoot("a month to a month", parse_date("2020-09"), parse_date("2020-10"))
        shoot("a quarter", parse_date("2020-Q4"))
        shoot("a quarter to a year", parse_date("2020-Q3"), parse_date("2021"))
        shoot("a year", parse_date("2020"))
        shoot("no end", parse_date("2020-10-01"))
        shoot("no start", TBA, parse_date("2020-12-31"))
        shoot("no dates", TBA, TBA)
        shoot("boyhood", parse_date("2002-05-15"), parse_date("2013-10-15"))
    return made


def test_every_length_class_has_its_shoots(store: Store, spans: dict[str, int]) -> None:
    classes = span_classes(store)
    for number, bound in enumerate(SHOOT_SPAN_BOUNDS):
        assert classes[spans[f"{bound} days"]] == number, bound
        assert classes[spans[f"{bound + 1} days"]] == number + 1, bound
    unbounded = len(SHOOT_SPAN_BOUNDS)
    assert classes[spans["boyhood"]] == unbounded
    assert classes[spans["no start"]] is None and classes[spans["no dates"]] is None
    # Fuzzy windows count from the first day of the start to the last day of the end.
    assert classes[spans["a month"]] == 2  # 30 days
    assert classes[spans["a quarter"]] == 4  # 91 days
    assert classes[spans["a year"]] == 6  # 365 days
    assert classes[spans["a quarter to a year"]] == 7  # 1 Jul 2020 to 31 Dec 2021: 548 days
    assert classes[spans["no end"]] == 0  # its start's window: one day


@pytest.mark.parametrize(
    "day",
    [
        "2020-01-06",  # the first day of the classed shoots
        "2020-01-14",  # the last day of the 8-day shoot
        "2020-01-15",  # the first day after it, the last of the 9-day one
        "2020-10-14",
        "2020-10-15",
        "2020-10-31",  # the last day of a month window
        "2020-12-31",  # the last day of a quarter and a year window
        "2021-01-01",
        "2021-12-31",
        "2031-03-22",  # the last day of the 4097-day shoot
        "2031-03-23",
        "2002-05-15",  # Boyhood's first day (not known yet: only its end makes it known)
        "2013-10-15",  # and its last
        "2008-01-01",
    ],
)
def test_the_span_search_finds_what_the_rule_finds(
    store: Store, spans: dict[str, int], day: str
) -> None:
    assert_all_rules_agree(store, datetime.date.fromisoformat(day))


def test_today_on_the_first_and_last_day_of_each_window(
    store: Store, spans: dict[str, int]
) -> None:
    for name, shoot_id in spans.items():
        shoot = get_shoot(store, shoot_id)
        first, last = shoot.start.start, shoot.last_day
        if first is None or last is None:
            continue
        known = shoot.start.end
        assert known is not None
        for day in (first, last, first - DAY, last + DAY):
            holding = found(store, asof.shoot_now_sql("s"), day)
            assert (shoot_id in holding) == (known <= day and first <= day <= last), (name, day)
        assert assert_all_rules_agree(store, last) is not None


def test_a_twelve_year_shoot_is_found_in_its_eighth_year(
    store: Store, spans: dict[str, int]
) -> None:
    boyhood = get_shoot(store, spans["boyhood"])
    day = datetime.date(2013, 10, 15)  # known on its last day: its start is a day
    assert boyhood.known_on(day)
    assert spans["boyhood"] in found(store, asof.shoot_now_sql("s"), day)
    assert spans["boyhood"] in found(store, asof.shoot_now_sql("s"), datetime.date(2009, 6, 1))


def test_a_shoot_with_no_start_is_never_filming(store: Store, spans: dict[str, int]) -> None:
    for day in ("2020-10-15", "2020-12-31"):
        holding = found(store, asof.shoot_now_sql("s"), datetime.date.fromisoformat(day))
        assert spans["no start"] not in holding and spans["no dates"] not in holding


def test_edits_move_a_shoot_between_classes(store: Store, spans: dict[str, int]) -> None:
    from tracker.domain.shoots import edit_shoot

    shoot = get_shoot(store, spans["one day"])
    assert span_classes(store)[shoot.id] == 0
    with store.transaction():
        edit_shoot(store, shoot, end=parse_date("2024"))
    assert span_classes(store)[shoot.id] == 8  # 15 Oct 2020 to 31 Dec 2024: 1538 days
    assert shoot.id in found(store, asof.shoot_now_sql("s"), datetime.date(2024, 12, 31))


# The bucketed search is the rule, over random shoots and days ----------------------------


# The rule as it read before m013, with the stored known_from (m005).
KNOWN_FROM_RULE = (
    "s.known_from <= :today AND s.start_key <= :today AND coalesce("
    + migrations.window_end_sql("end").replace('"end"', 's."end"')
    + ", s.known_from) >= :today"
)

PRECISIONS = st.sampled_from(["day", "day", "month", "quarter", "year", "unknown"])


@st.composite
def random_shoots(draw: st.DrawFn) -> list[tuple[FuzzyDate, FuzzyDate]]:
    """Shoots around 2020 whose windows last from nothing to over twenty years (an end
    before the start too: stored data the writers would refuse)."""
    made = []
    for _ in range(draw(st.integers(1, 6))):
        first = draw(st.dates(datetime.date(2005, 1, 1), datetime.date(2025, 12, 31)))
        at_bounds = st.sampled_from([b + d for b in SHOOT_SPAN_BOUNDS for d in (-1, 0, 1)])
        length = draw(st.one_of(st.integers(-40, 300), st.integers(0, 9000), at_bounds))
        last = first + length * DAY
        made.append((fuzzy(first, draw(PRECISIONS)), fuzzy(last, draw(PRECISIONS))))
    return made


@pytest.fixture(scope="module")
def scratch() -> Iterator[Store]:
    opened = memory_store()
    yield opened
    opened.close()


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    made=random_shoots(),
    days=st.lists(st.dates(datetime.date(2004, 6, 1), datetime.date(2051, 12, 31)), max_size=4),
    offsets=st.lists(st.integers(-3, 9100), min_size=1, max_size=4),
)
def test_the_span_search_is_the_plain_rule(
    scratch: Store,
    made: list[tuple[FuzzyDate, FuzzyDate]],
    days: list[datetime.date],
    offsets: list[int],
) -> None:
    conn = scratch.conn
    conn.execute("BEGIN")
    try:
        for start, end in made:
            conn.execute(
                'INSERT INTO shoots (place, country, start, start_key, "end", end_key)'
                " VALUES ('Set', 'US', ?, ?, ?, ?)",
                [
                    start.iso,
                    start.start and start.start.isoformat(),
                    end.iso,
                    end.start and end.start.isoformat(),
                ],
            )
        # Days on and beside the windows' edges, near them, and anywhere.
        edges = [
            day + step * DAY
            for start, end in made
            for day in (start.start, end.end or start.end)
            if day is not None
            for step in (-1, 0, 1)
        ]
        starts = [start.start for start, _ in made if start.start is not None]
        near = [first + offset * DAY for first in starts[:1] for offset in offsets]
        for today in [*days, *edges, *near]:
            bucketed = found(scratch, asof.shoot_now_sql("s"), today)
            assert bucketed == found(scratch, asof.shoot_holds_sql("s"), today), today
            assert bucketed == found(scratch, KNOWN_FROM_RULE, today), today
            assert bucketed == by_python(scratch, today), today
    finally:
        conn.execute("ROLLBACK")


# Through the commands ------------------------------------------------------------------


def test_the_listings_stop_at_their_limit_in_order(store: Store, today: datetime.date) -> None:
    with store.transaction():
        films = [add_film(store, f"Film {number}", today=today) for number in range(6)]
        for number, film in enumerate(films):
            start = today - (40 * number + 1) * DAY
            add_shoot(store, [film], f"Set {number}", "US", start=fuzzy(start, "day"),
                      end=fuzzy(today + number * DAY, "day"))  # fmt: skip
        from tracker.domain.films import record_status

        on = parse_date("2020-10-15")  # after each film's first status (added today)
        record_status(store, films[2].id, "filming", on, today=today)
        other = add_film(store, "Only filming", today=today)
        record_status(store, other.id, "filming", on, today=today)
    every = [row["id"] for row in list_shoots(store, today, now=True)]
    assert len(every) == 6
    for count in range(1, 7):
        assert [row["id"] for row in list_shoots(store, today, now=True, limit=count)] == (
            every[:count]
        )
    rows = list(filming_now(store, today))
    assert [row["id"] for row in rows] == sorted(film.id for film in [*films, other])
    for count in range(1, len(rows) + 1):
        assert list(filming_now(store, today, limit=count)) == rows[:count]


def test_shoots_loaded_in_bulk_are_found(run: Run, isolated: Path, tmp_path: Path) -> None:
    """A JSON import into an empty database loads the shoots through the bulk path (their
    indexes dropped and built again): the span index finds them."""
    run("add", "Boyhood", "--year", "2014", "--on", "2002-05")
    run("shoot", "add", "Boyhood", "Houston", "--country", "US", "--from", "2002-05-15",
        "--to", "2013-10")  # fmt: skip
    run("shoot", "add", "Boyhood", "Austin", "--country", "US", "--from", "2020-10-01",
        "--to", "2020-10-20")  # fmt: skip
    saved = tmp_path / "saved.json"
    run("export", "json", "-o", str(saved))
    isolated.unlink()
    run("import", "json", str(saved))
    assert [row["place"] for row in run.json("shoot", "list", "--now")] == ["Austin"]
    on_the_last_day = run.json("--today", "2013-10-31", "shoot", "list", "--now")
    assert [row["place"] for row in on_the_last_day] == ["Houston"]
    assert [row["title"] for row in run.json("filming")] == ["Boyhood"]


# The migration on an existing database --------------------------------------------------


def test_m013_classes_the_shoots_of_an_existing_database(run: Run, isolated: Path) -> None:
    from sqlite_utils import Database, Migrations

    isolated.unlink()
    conn = sqlite3.connect(isolated)
    older = Migrations(migrations.MIGRATION_SET)
    for function in migrations.MIGRATIONS[: migrations.KNOWN.index("m013_shoot_spans")]:
        older()(function)
    older.apply(Database(conn))
    conn.executescript(
        "INSERT INTO films (id, title, title_key, year) VALUES (1, 'Boyhood', 'boyhood', 2014);"
        'INSERT INTO shoots (id, place, country, start, start_key, "end", end_key) VALUES'
        " (1, 'Houston', 'US', '2002-05', '2002-05-01', '2013-10', '2013-10-01'),"
        " (2, 'Austin', 'US', '2020-10-01', '2020-10-01', '2020-10-20', '2020-10-20'),"
        " (3, 'Nowhere', 'US', NULL, NULL, '2020-12', '2020-12-01');"
        "INSERT INTO shoot_films VALUES (1, 1), (2, 1), (3, 1);"
    )
    conn.commit()
    conn.close()
    assert [row["place"] for row in run.json("shoot", "list", "--now")] == ["Austin"]
    on_the_last_day = run.json("--today", "2013-10-31", "shoot", "list", "--now")
    assert [row["place"] for row in on_the_last_day] == ["Houston"]
    conn = sqlite3.connect(isolated)
    assert "m013_shoot_spans" in migrations.applied(conn)
    assert conn.execute("SELECT id, span_class FROM shoots ORDER BY id").fetchall() == [
        (1, len(SHOOT_SPAN_BOUNDS)),
        (2, 2),
        (3, None),
    ]
    names = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
    assert {"shoots_span", "status_events_status"} <= names
    conn.close()
