"""`--limit N` on every listing: the first N rows of the listing without it, in the same
order, in every format; N < 1 is a user error that prints nothing. The readers stream from
a cursor (an iterator, not a list) and stop reading at the limit."""

from __future__ import annotations

import csv
import datetime
import gc
import io
from collections.abc import Iterator

import pytest

from tests.conftest import Run
from tracker.domain.diary import entries
from tracker.domain.films import add_film, record_status, resolve
from tracker.domain.shoots import add_shoot
from tracker.domain.sources import sources_of
from tracker.limits import first, sql_limit
from tracker.store import Store
from tracker.views.changes import changes
from tracker.views.films import list_films, statuses_of
from tracker.views.production import list_shoots
from tracker.views.releases import history, upcoming

MI7 = "Mission: Impossible 7"
# Each listing over the demo database (as of 2020-10-15) with at least two rows.
LISTINGS: dict[str, list[str]] = {
    "list": ["list"],
    "upcoming --tba": ["upcoming", "--tba"],
    "changes": ["changes", "--since", "2015-01-01"],
    "shoot list": ["shoot", "list"],
    "diary": ["diary"],
    "history": ["history", MI7],
    "timeline": ["timeline"],
    "watchlist show": ["watchlist", "show"],
    "watchlist list": ["watchlist", "list"],
    "countdown --watchlist": ["countdown", "--watchlist", "watchlist"],
    "statuses": ["statuses", MI7],
    "sources": ["sources", MI7],
}


@pytest.fixture
def listed(demo: Run) -> Run:
    """The demo, with a diary, a watchlist of three films and a second and third list."""
    for film, day in (("#1", "2020-01-02"), ("#2", "2020-03-04"), ("#3", "2020-03-04")):
        demo("seen", film, "--on", day)
    demo("seen", "#4", "--on", "2019-12-31")
    demo("watch", "#8", "#7", "#6", "#2")
    demo("watchlist", "create", "summer")
    demo("watchlist", "create", "autumn")
    return demo


@pytest.mark.parametrize("name", LISTINGS)
def test_limit_gives_the_first_rows_of_the_whole_listing(listed: Run, name: str) -> None:
    command = LISTINGS[name]
    every = listed.json(*command)
    assert len(every) >= 2, every
    for count in (1, 2, len(every), len(every) + 5):
        assert listed.json(*command, "--limit", str(count)) == every[:count]
    table = listed(*command, "-l", "1").stdout
    assert table == listed(*command, "--limit", "1").stdout
    assert table != listed(*command).stdout


@pytest.mark.parametrize("name", LISTINGS)
def test_a_limited_sheet_is_the_head_of_the_whole_one(listed: Run, name: str) -> None:
    command = LISTINGS[name]
    for fmt, delimiter in (("csv", ","), ("tsv", "\t")):
        whole = listed(*command, "--format", fmt).stdout
        head = listed(*command, "--format", fmt, "--limit", "2").stdout
        rows = list(csv.reader(io.StringIO(whole), delimiter=delimiter))
        assert len(rows) >= 3
        assert list(csv.reader(io.StringIO(head), delimiter=delimiter)) == rows[:3]  # header + 2


@pytest.mark.parametrize(
    "name", [*LISTINGS, "person", "delays", "clashes", "filming", "search", "timeline FILM"]
)
def test_a_limit_below_one_is_a_user_error_and_prints_nothing(listed: Run, name: str) -> None:
    command = {
        **LISTINGS,
        "person": ["person", "Christopher McQuarrie"],
        "delays": ["delays"],
        "clashes": ["clashes"],
        "filming": ["filming"],
        "search": ["search", "impossible"],
        "timeline FILM": ["timeline", MI7],
    }[name]
    for count, fmt in (("0", "table"), ("0", "csv"), ("-3", "tsv"), ("0", "json")):
        result = listed(*command, "--limit", count, "--format", fmt, code=1)
        assert result.stdout == ""
        assert result.stderr.strip() == "Error: --limit must be at least 1"


ALL_LISTINGS: dict[str, list[str]] = {
    **LISTINGS,
    "person": ["person", "Christopher McQuarrie"],
    "delays": ["delays"],
    "clashes": ["clashes", "--days", "4000"],
    "filming": ["filming"],
    "search": ["search", "impossible"],
    "timeline FILM": ["timeline", MI7],
}


@pytest.mark.parametrize("name", ALL_LISTINGS)
def test_a_limit_beyond_any_table_is_every_row(listed: Run, name: str) -> None:
    """A limit above SQLite's largest integer (2**63 - 1) can hold no fewer rows than the
    listing has: it is the whole listing, not a traceback."""
    command = ALL_LISTINGS[name]
    every = listed.json(*command)
    for count in (str(2**63 - 1), str(2**63), "1" + "0" * 30):
        assert listed.json(*command, "--limit", count) == every


def test_person_limits_the_films(demo: Run) -> None:
    every = demo.json("person", "Christopher McQuarrie")
    assert len(every["films"]) >= 3
    limited = demo.json("person", "Christopher McQuarrie", "--limit", "2")
    assert limited == {"name": every["name"], "films": every["films"][:2]}
    sheet = demo("person", "Christopher McQuarrie", "-f", "csv", "-l", "1").stdout
    assert len(sheet.splitlines()) == 2


def test_timeline_limits_the_facts_in_its_text_too(demo: Run) -> None:
    every = demo.json("timeline", MI7)
    text = demo("timeline", MI7, "--limit", "1").stdout
    assert every[0]["text"] in text and every[1]["text"] not in text
    assert "leave out --limit" in demo.error("timeline", MI7, "--chart", "--limit", "3")


def test_a_film_countdown_takes_no_limit(demo: Run) -> None:
    assert "--watchlist" in demo.error("countdown", MI7, "--limit", "2")


def test_shoot_list_limits_a_films_shoots_and_the_shoots_of_now(demo: Run) -> None:
    for command in (["shoot", "list", MI7], ["shoot", "list", "--now"]):
        every = demo.json(*command)
        assert every, command
        assert demo.json(*command, "--limit", "1") == every[:1]


def test_the_limit_helpers() -> None:
    assert sql_limit(None) == -1
    assert sql_limit(3) == 3
    assert list(first(iter(range(10)), 3)) == [0, 1, 2]
    assert list(first(range(2), None)) == [0, 1]
    numbers = iter(range(10))
    assert list(first(numbers, 2)) == [0, 1]
    assert next(numbers) == 2, "first() reads no further than the limit"


def test_readers_are_iterators_checked_before_the_first_row(
    store: Store, today: datetime.date
) -> None:
    film = add_film(store, "A Film", today=today)
    week = today - datetime.timedelta(days=7)
    readers: list[Iterator[object]] = [
        list_films(store, today),
        upcoming(store, today),
        changes(store, today, since=week),
        entries(store, today),
        history(store, film, today),
        statuses_of(store, film.id, today),
        sources_of(store, film, today),
        list_shoots(store, today),
    ]
    assert all(isinstance(reader, Iterator) for reader in readers)
    from tracker.errors import InvalidValue

    calls = [
        lambda: list_films(store, today, limit=0),
        lambda: upcoming(store, today, limit=0),
        lambda: changes(store, today, since=week, limit=0),
        lambda: entries(store, today, limit=0),
        lambda: history(store, film, today, limit=0),
        lambda: statuses_of(store, film.id, today, limit=0),
        lambda: sources_of(store, film, today, limit=0),
        lambda: list_shoots(store, today, limit=0),
    ]
    for call in calls:
        with pytest.raises(InvalidValue, match="at least 1"):
            call()  # raised by the call itself, not by the first next()


def test_shoot_list_keeps_the_python_rules_of_a_day(store: Store, today: datetime.date) -> None:
    """The SQL of `shoot list` (known, and `--now`) picks what Shoot.known_on and
    Shoot.holds pick, in the same order, on every day around the shoots' dates."""
    from tracker import asof
    from tracker.dates import TBA, parse_date
    from tracker.domain.shoots import shoots

    # Heard of long before the days asked: a shoot waits for its film to be known.
    film = add_film(store, "Shot", today=today, on=parse_date("2019"))
    windows = [
        ("2020-10-01", "2020-12"),
        ("2020-10", "TBA"),
        ("TBA", "2020-11-03"),
        ("TBA", "TBA"),
        ("2020-Q3", "2020-10-14"),
        ("2021", "2021"),
        ("2020-10-15", "2020-10-15"),
    ]
    with store.transaction():
        record_status(store, film.id, "filming", parse_date("2020-09"), None, None, today=today)
        for number, (start, end) in enumerate(windows):
            add_shoot(
                store,
                [film],
                f"Place {number}",
                "NO",
                start=parse_date(start) if start != "TBA" else TBA,
                end=parse_date(end) if end != "TBA" else TBA,
            )
    every = shoots(store)
    for offset in range(-40, 500, 7):
        day = today + datetime.timedelta(days=offset)
        film_known = asof.film_known(store, film.id, day)  # a shoot waits for its film
        known = [shoot.id for shoot in every if film_known and shoot.known_on(day)]
        now = [shoot.id for shoot in every if shoot.id in known and shoot.holds(day)]
        assert [row["id"] for row in list_shoots(store, day)] == known, day
        assert [row["id"] for row in list_shoots(store, day, now=True)] == now, day
        assert [row["id"] for row in list_shoots(store, day, film=resolve(store, "Shot"))] == known


@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
def test_a_reader_dropped_early_closes_after_the_database(
    store: Store, today: datetime.date
) -> None:
    """`tracker upcoming | head -2`: the reader of the rows is dropped half read and closed
    after the database is; closing it must not touch a cursor (heapq.merge closes what it
    reads from last, and a cursor's close() fails on a closed database)."""
    from tracker.dates import parse_date
    from tracker.domain.releases import announce

    with store.transaction():
        for number in range(4):
            film = add_film(store, f"Soon {number}", today=today)
            announce(store, film, parse_date(f"2020-11-0{number + 1}"), today=today)
    readers: list[Iterator[object]] = [
        upcoming(store, today),
        changes(store, today, since=today),
        list_films(store, today),
    ]
    for reader in readers:
        assert next(reader) and next(reader)
    store.conn.close()
    del readers, reader  # as the process ends: every generator is finalised
    gc.collect()
