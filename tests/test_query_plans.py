"""The hot queries never read every film or announcement: each statement that `upcoming`,
`countdown`, `history`, `show`, `list --franchise`, `changes --since` and `delays
--franchise` run is checked with EXPLAIN QUERY PLAN for full scans; the catalogue-wide
reports (delays, clashes, filming) read each table once, never once per film; and every
index on the big tables is used by some listing."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from tracker.dates import parse_date
from tracker.domain.diary import entries
from tracker.domain.films import add_film, resolve
from tracker.domain.releases import announce
from tracker.domain.shoots import add_shoot
from tracker.domain.sources import sources_of
from tracker.store import Store
from tracker.views.changes import changes
from tracker.views.clashes import clashes
from tracker.views.delays import delays
from tracker.views.films import list_films, statuses_of
from tracker.views.lists import countdowns, show_list
from tracker.views.overview import show
from tracker.views.production import filming_now, list_shoots, person
from tracker.views.releases import countdown, history, upcoming
from tracker.views.timeline import TIMELINE_KINDS, Selection, select_films, timeline

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
        day, last = parse_date("2020-10-01"), parse_date("2020-12")
        add_shoot(store, [film], "Oslo", "NO", start=day, end=last)
        # Film 3's digital day clashes with Film 0's theatrical one (its earliest stays 2020-10).
        announce(
            store, film, parse_date("2021-03-08"), today=today, country="US", release_type="digital"
        )
    return store


# Plans taken as each statement starts, while everything it reads (a report's
# materialized rows) still exists.
PLANS: dict[str, list[str]] = {}


def statements(
    store: Store, call: Callable[[], Any], kinds: tuple[str, ...] = ("SELECT", "WITH")
) -> list[str]:
    seen: list[str] = []

    def trace(sql: str) -> None:
        if sql.lstrip().upper().startswith(kinds):
            seen.append(sql)
            PLANS[sql] = plan_of(store, sql)

    store.conn.set_trace_callback(trace)
    try:
        call()
    finally:
        store.conn.set_trace_callback(None)
    return seen


def plan_of(store: Store, sql: str) -> list[str]:
    if sql in PLANS:
        return PLANS[sql]
    return [row[3] for row in store.conn.execute("EXPLAIN QUERY PLAN " + sql)]


def partial_indexes(store: Store) -> set[str]:
    """Indexes of only some rows (`... WHERE`): walking one whole is not a full scan."""
    rows = store.conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'")
    return {name for name, sql in rows if sql and " WHERE " in sql.upper()}


def full_scans(store: Store, sql: str) -> list[str]:
    aliases = {"r", "c", "f", "s", "e", "t", "q", "p"}
    partial = partial_indexes(store)
    return [
        detail
        for detail in plan_of(store, sql)
        if detail.startswith("SCAN ")
        and (detail.split()[1] in BIG_TABLES or detail.split()[1] in aliases)
        and not (detail.split()[-1] in partial and " USING " in detail)
    ]


HOT: dict[str, Callable[[Store, datetime.date], Any]] = {
    "upcoming --limit 50": lambda s, t: list(upcoming(s, t, limit=50)),
    "upcoming --country US --limit 50": lambda s, t: list(upcoming(s, t, country="US", limit=50)),
    "upcoming --type theatrical --days 400": lambda s, t: list(
        upcoming(s, t, release_type="theatrical", days=400)
    ),
    "upcoming --tba": lambda s, t: list(upcoming(s, t, tba=True, limit=50)),
    "countdown": lambda s, t: countdown(s, resolve(s, "Film 2"), t, country="GB"),
    "history": lambda s, t: list(history(s, resolve(s, "Film 2"), t)),
    "show": lambda s, t: show(s, resolve(s, "#3"), t),
    "upcoming --franchise f": lambda s, t: list(upcoming(s, t, franchise="f", limit=50)),
    "list --franchise f": lambda s, t: list(list_films(s, t, franchise="f")),
    "changes --since a week back": lambda s, t: list(
        changes(s, t, since=t - datetime.timedelta(7))
    ),
    "delays --franchise f": lambda s, t: list(delays(s, t, franchise="f")),
    "timeline --franchise f": lambda s, t: list(timeline(s, select_films(s, (), "f"), t)),
}
# Reports over the whole catalogue: they read the tables once (a full scan is their floor),
# but never run a statement per film.
CATALOGUE: dict[str, Callable[[Store, datetime.date], Any]] = {
    "delays": lambda s, t: list(delays(s, t)),
    "clashes": lambda s, t: list(clashes(s, t, days=400)),
    "filming": lambda s, t: list(filming_now(s, t)),
    "timeline": lambda s, t: list(timeline(s, Selection(), t)),
}


@pytest.mark.parametrize("name", HOT)
def test_hot_query_plans_have_no_full_scan(filled: Store, today: datetime.date, name: str) -> None:
    run = statements(filled, lambda: HOT[name](filled, today))
    assert run, "the call ran no SELECT at all"
    for sql in run:
        assert full_scans(filled, sql) == [], sql


def test_upcoming_walks_the_precision_indexes(filled: Store, today: datetime.date) -> None:
    run = statements(filled, lambda: list(upcoming(filled, today, country="US", limit=5)))
    plans = " ".join(
        row[3] for sql in run for row in filled.conn.execute("EXPLAIN QUERY PLAN " + sql)
    )
    assert "releases_country_upcoming" in plans
    run = statements(filled, lambda: list(upcoming(filled, today, limit=5)))
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
    rows = list(upcoming(filled, today))
    assert [(row["title"], row["date"].iso) for row in rows] == [
        ("Film 3", "2020-10"),
        ("Film 2", "2021"),
        ("Film 0", "2021-03-05"),
        ("Film 1", "2021-Q2"),
    ]


@pytest.mark.parametrize("name", CATALOGUE)
def test_catalogue_reports_run_as_many_statements_for_any_number_of_films(
    filled: Store, today: datetime.date, name: str
) -> None:
    before = statements(filled, lambda: CATALOGUE[name](filled, today))
    with filled.transaction():
        for number in range(5):
            film = add_film(filled, f"More {number}", today=today)
            announce(filled, film, parse_date(f"2021-03-0{number + 1}"), today=today, country="US")
    after = statements(filled, lambda: CATALOGUE[name](filled, today))
    assert 1 <= len(after) == len(before) <= 3, after
    assert CATALOGUE[name](filled, today), "the filled database has rows for every report"


def test_the_reports_read_the_history_in_index_order(filled: Store, today: datetime.date) -> None:
    """delays walks every announcement once in the index's order, film by film (no sort of
    the history, no subquery per row; it sorts only its result rows, once, by their sort
    key), as its fold of each group's dates in the walk's order needs."""
    reads = statements(filled, lambda: list(delays(filled, today)))
    reads += statements(filled, lambda: list(delays(filled, today, franchise="f")))
    history = [PLANS[sql] for sql in reads if "JOIN releases r" in sql]
    assert len(history) == 2
    for plan in history:  # one walk of the releases (no subquery into them per row)
        walks = [step for step in plan if "idx_releases" in step or "releases_" in step]
        assert len(walks) == 1 and "USING INDEX idx_releases_film_id_country_type" in walks[0]
        sorts = [step for step in plan if "TEMP B-TREE" in step]
        assert sorts == ["USE TEMP B-TREE FOR ORDER BY"], plan


@pytest.mark.parametrize(
    ("country", "index"),
    [(None, "releases_upcoming (<expr>=? AND date_start>?)"),
     ("US", "releases_country_upcoming (country=? AND <expr>=? AND date_start>?)")],
)  # fmt: skip
def test_clashes_walk_the_release_days_in_order(
    filled: Store, today: datetime.date, country: str | None, index: str
) -> None:
    """clashes is one statement that walks the day-precision releases in the order of their
    day (no sort: its first row costs the first days); each release's current check, its
    film's title and its film's other days at the place are seeks on that film's rows."""
    run = statements(filled, lambda: list(clashes(filled, today, days=400, country=country)))
    assert len(run) == 1
    plan = PLANS[run[0]]
    assert plan[0] == f"SEARCH r USING INDEX {index}"
    assert [step for step in plan if "TEMP B-TREE" in step or step.startswith("SCAN")] == []
    seeks = [step for step in plan[1:] if step.startswith("SEARCH")]
    per_film = ("idx_releases_film_id_country_type", "titles_film (film_id=?)", "(rowid=?)")
    assert seeks and all(any(key in step for key in per_film) for step in seeks), seeks


# The index each kind of fact walks in day order in the whole catalogue's timeline.
TIMELINE_DAY_INDEXES = {
    "status": "status_events_on",
    "shoot_start": "shoots_day",
    "release_announced": "releases_announced",
    "release": "releases_upcoming",
    "retitle": "titles_on",
    "shoot_end": "shoots_end",
    "note": "events_on",
}


def test_the_whole_timeline_walks_each_kinds_day_index(filled: Store, today: datetime.date) -> None:
    """`timeline --limit 1` of the whole catalogue is one statement: an arm per kind of
    fact, merged in day order; each arm walks an index on its day (from '' to today: past
    the undated rows) and sorts only the facts of one day by film and kind; the films are
    looked up by id. Its first row costs the same however many films there are."""
    with filled.transaction():
        film = resolve(filled, "Film 1")
        from tracker.domain.events import add_note
        from tracker.domain.films import retitle

        retitle(filled, film, "Film One", parse_date("2020-09-01"), today=today)
        add_note(filled, film, "a teaser", parse_date("2020-09-02"), kind="teaser", today=today)
    every = list(timeline(filled, Selection(), today))
    assert {row["kind"] for row in every} >= {"status", "release_announced", "retitle", "note"}
    (whole,) = statements(filled, lambda: list(timeline(filled, Selection(), today, limit=1)))
    assert whole.rstrip().endswith("LIMIT 1")
    plan = plan_of(filled, whole)
    assert "MERGE (UNION ALL)" in plan
    assert "USE TEMP B-TREE FOR ORDER BY" not in plan, plan
    for kind in TIMELINE_KINDS:
        (sql,) = statements(
            filled, lambda kind=kind: list(timeline(filled, Selection(), today, kinds=[kind]))
        )
        plan = plan_of(filled, sql)
        films = [step for step in plan if step.startswith(("SCAN f", "SEARCH f "))]
        assert films and all("INTEGER PRIMARY KEY" in step for step in films), plan
        scans = [step.split()[1] for step in plan if step.startswith("SCAN ")]
        assert scans == [], plan
        walks = [step for step in plan if f"USING INDEX {TIMELINE_DAY_INDEXES[kind]} (" in step]
        assert walks and all(">?" in step and "<?" in step for step in walks), plan
        assert "USE TEMP B-TREE FOR ORDER BY" not in plan, plan
        assert "USE TEMP B-TREE FOR RIGHT PART OF ORDER BY" in plan, plan


def test_a_timeline_of_some_films_builds_no_bloom_filter(
    filled: Store, today: datetime.date
) -> None:
    """The films of a timeline (named, a franchise's) are few: their facts are read by film.
    With statistics that make every shoot look many (as at a million films), SQLite must
    not build a Bloom filter over a whole table (a full read of the shoots, the titles) to
    join them: it does for a MATERIALIZED list of films, whose size it cannot tell."""
    with filled.transaction():
        films = [add_film(filled, f"Shot {number}", today=today) for number in range(40)]
        for number in range(200):
            add_shoot(
                filled, [films[number % 40]], "Oslo", "NO",
                start=parse_date("2020-01-01"), end=parse_date("2020-02"),
            )  # fmt: skip
    filled.conn.execute("ANALYZE")
    for chosen in (select_films(filled, ["Shot 3"]), select_films(filled, ["Shot 3"], "f")):
        (sql,) = statements(filled, lambda chosen=chosen: list(timeline(filled, chosen, today)))
        plan = plan_of(filled, sql)
        assert not [step for step in plan if "BLOOM FILTER" in step], plan
        assert full_scans(filled, sql) == [], sql


def test_the_tba_listing_reads_only_tba_rows(filled: Store, today: datetime.date) -> None:
    run = statements(filled, lambda: list(upcoming(filled, today, tba=True, limit=50)))
    tba = [sql for sql in run if "date_start IS NULL" in sql]
    assert tba and all("releases_tba" in " ".join(plan_of(filled, sql)) for sql in tba)


FRANCHISE_FILTERS = (
    "list --franchise f",
    "upcoming --franchise f",
    "delays --franchise f",
    "timeline --franchise f",
)


@pytest.mark.parametrize("name", FRANCHISE_FILTERS)
def test_franchise_filters_use_the_nocase_index(
    filled: Store, today: datetime.date, name: str
) -> None:
    """Also since the index holds only the films of a franchise (m016): each filter implies
    `franchise IS NOT NULL`, so the planner may still use it."""
    run = statements(filled, lambda: HOT[name](filled, today))
    plans = [plan_of(filled, sql) for sql in run if "franchise =" in sql]
    assert plans and all("films_franchise" in " ".join(p) for p in plans)


def test_the_franchise_index_holds_only_franchise_films(filled: Store) -> None:
    sql = filled.conn.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'films_franchise'"
    ).fetchone()[0]
    assert sql.endswith("WHERE franchise IS NOT NULL"), sql
    with_franchise = filled.conn.execute(
        "SELECT count(*) FROM films WHERE franchise IS NOT NULL"
    ).fetchone()[0]
    indexed = filled.conn.execute(
        "SELECT count(*) FROM films INDEXED BY films_franchise WHERE franchise >= ''"
    ).fetchone()[0]
    assert indexed == with_franchise > 0


def test_every_index_on_the_big_tables_serves_a_listing(
    filled: Store, today: datetime.date
) -> None:
    used = " ".join(
        detail
        for call in (*HOT.values(), *CATALOGUE.values())
        for sql in statements(filled, lambda call=call: call(filled, today))
        for detail in plan_of(filled, sql)
    )
    indexes = filled.conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        " AND sql NOT LIKE 'CREATE UNIQUE%' AND tbl_name IN ('films', 'releases',"
        " 'status_events', 'titles')"
    ).fetchall()
    # titles_key finds a film by a former title (resolve), not a listing.
    unused = [name for (name,) in indexes if name not in used and name != "titles_key"]
    assert unused == []


def test_the_duplicate_and_the_whole_date_indexes_are_gone(filled: Store) -> None:
    names = {row[0] for row in filled.conn.execute("SELECT name FROM sqlite_master")}
    assert "idx_films_title_key_year" not in names
    assert "idx_releases_date_start" not in names
    assert "idx_films_title_key_year_unique" in names


def test_a_watchlist_calendar_reads_only_the_lists_films(
    filled: Store, today: datetime.date
) -> None:
    from tracker.domain.watchlists import add_entry, get_list
    from tracker.exchange.ics import Filters, build

    with filled.transaction():
        for title in ("Film 1", "Film 2"):
            add_entry(filled, get_list(filled, "watchlist"), resolve(filled, title), today=today)
        filled.conn.execute("DELETE FROM releases WHERE film_id = 4")  # a tombstone to read
    run = statements(filled, lambda: build(filled, today, Filters(watchlist="watchlist")))
    assert any("release_tombstones" in sql for sql in run)
    for sql in run:
        assert full_scans(filled, sql) == [], sql


# The other listings (issue 15: every listing takes --limit and reads from a cursor).
LISTINGS: dict[str, Callable[[Store, datetime.date], Any]] = {
    "changes --since a week back --limit 1": lambda s, t: list(
        changes(s, t, since=t - datetime.timedelta(7), limit=1)
    ),
    "history --limit 1": lambda s, t: list(history(s, resolve(s, "Film 3"), t, limit=1)),
    "statuses --limit 1": lambda s, t: list(statuses_of(s, resolve(s, "Film 3").id, t, limit=1)),
    "sources --limit 1": lambda s, t: list(sources_of(s, resolve(s, "Film 3"), t, limit=1)),
    "shoot list FILM --limit 1": lambda s, t: list(
        list_shoots(s, t, film=resolve(s, "Film 3"), limit=1)
    ),
    "shoot list --now --limit 1": lambda s, t: list(list_shoots(s, t, now=True, limit=1)),
    "filming --limit 1": lambda s, t: list(filming_now(s, t, limit=1)),
    "timeline FILM --limit 1": lambda s, t: list(
        timeline(s, Selection((resolve(s, "Film 3"),)), t, limit=1)
    ),
    "watchlist show --limit 1": lambda s, t: show_list(s, "watchlist", t, limit=1),
    "countdown --watchlist --limit 1": lambda s, t: countdowns(s, "watchlist", t, limit=1),
    "person --limit 1": lambda s, t: person(s, "Ann Director", t, limit=1)["films"],
    "diary --limit 1": lambda s, t: list(entries(s, t, limit=1)),
}


@pytest.fixture
def listed(filled: Store, today: datetime.date) -> Store:
    """`filled`, with what the other listings list: a credit, viewings, a watchlist, a
    sourced status."""
    from tracker.domain.diary import record_viewing
    from tracker.domain.films import record_status
    from tracker.domain.people import add_credit
    from tracker.domain.watchlists import add_entry, get_list

    with filled.transaction():
        film = resolve(filled, "Film 3")
        add_credit(filled, film, "Ann Director", "director")
        record_viewing(filled, film, seen_on=today, today=today)
        record_viewing(filled, resolve(filled, "Film 1"), seen_on=None, today=today)
        add_entry(filled, get_list(filled, "watchlist", create_default=True), film, today=today)
        on = parse_date("2020-09")
        record_status(filled, film.id, "filming", on, None, "https://example.com/s", today=today)
    return filled


@pytest.mark.parametrize("name", LISTINGS)
def test_listings_of_one_film_or_list_read_no_table_whole(
    listed: Store, today: datetime.date, name: str
) -> None:
    assert LISTINGS[name](listed, today), "the listing has rows to show"
    run = statements(listed, lambda: LISTINGS[name](listed, today))
    assert run, "the call ran no SELECT at all"
    for sql in run:
        assert full_scans(listed, sql) == [], sql


def test_limited_listings_put_the_limit_in_their_sql(listed: Store, today: datetime.date) -> None:
    """The database stops reading at the limit: the reader's own statement ends with it (the
    trace shows the statement with its parameters filled in)."""
    for name in ("history", "statuses", "shoot list", "person", "diary"):
        call = next(LISTINGS[key] for key in LISTINGS if key.startswith(name))
        run = statements(listed, lambda call=call: call(listed, today))
        assert any(sql.rstrip().endswith("LIMIT 1") for sql in run), (name, run)


def test_the_diary_walks_the_day_index_backwards(listed: Store, today: datetime.date) -> None:
    """Its first rows cost the same however long the diary is: no sort of every viewing."""
    run = statements(listed, lambda: list(entries(listed, today, limit=1)))
    dated = [plan_of(listed, sql) for sql in run if "ORDER BY v.seen_on DESC" in sql]
    assert dated and any("idx_viewings_seen_on" in step for step in dated[0]), dated
    assert not any("TEMP B-TREE" in step for step in dated[0]), dated


def test_changes_merge_the_kinds_as_they_read_them(listed: Store, today: datetime.date) -> None:
    """Each kind is read newest first (one statement each), so `--limit` stops them all."""
    every = list(changes(listed, today, since=today - datetime.timedelta(400)))
    assert len(every) >= 3
    days = [row["announced"].start for row in every]
    assert days == sorted(days, reverse=True)
    for count in range(1, len(every) + 1):
        assert (
            list(changes(listed, today, since=today - datetime.timedelta(400), limit=count))
            == (every[:count])
        )
    run = statements(listed, lambda: list(changes(listed, today, since=today, limit=1)))
    assert len(run) == 3, run


def test_a_whole_shoot_list_walks_the_shoots_in_order(listed: Store, today: datetime.date) -> None:
    """`shoot list --limit 1` walks shoots_day (m012) in the list's order, with no sort, and
    never reads the films, releases or statuses whole. The dated shoots' walk starts past
    the undated ones (a range search: they sort first in the index)."""
    run = statements(listed, lambda: list(list_shoots(listed, today, limit=1)))
    shoot_reads = [sql for sql in run if "FROM shoots s" in sql]
    assert shoot_reads, run
    for sql in shoot_reads:
        plan = plan_of(listed, sql)
        assert any("USING INDEX shoots_day" in step for step in plan), plan
        assert "USE TEMP B-TREE FOR ORDER BY" not in plan, plan
    dated = plan_of(listed, shoot_reads[0])
    assert any("USING INDEX shoots_day (<expr>>?)" in step for step in dated), dated
    for sql in run:
        scans = [step for step in plan_of(listed, sql) if step.startswith("SCAN ")]
        assert not [step for step in scans if step.split()[1] in BIG_TABLES], sql


def test_the_shoots_of_the_day_are_one_range_search_per_span_class(
    listed: Store, today: datetime.date
) -> None:
    """`shoot list --now` and `filming` find the shoots holding the day by one range search
    of shoots_span per window-length class (m013: the classes are a table of constant rows
    joined to the index), never by walking every shoot begun before the day (shoots_day) or
    every shoot."""
    from tracker.store.migrations import SHOOT_SPAN_BOUNDS

    for call in (
        lambda: list(list_shoots(listed, today, now=True, limit=1)),
        lambda: list(filming_now(listed, today, limit=1)),
    ):
        assert call(), "the day has a shoot"
        run = statements(listed, call)
        plans = [plan_of(listed, sql) for sql in run if "span_class" in sql]
        assert len(plans) == 1, run
        (plan,) = plans
        assert f"SCAN {len(SHOOT_SPAN_BOUNDS) + 1} CONSTANT ROWS" in plan, plan
        ranges = [step for step in plan if "shoots_span" in step]
        assert ranges == [
            "SEARCH h USING INDEX shoots_span (span_class=? AND start_key>? AND start_key<?)"
        ]
        assert not [step for step in plan if "shoots_day" in step], plan
        assert not [step for step in plan if step.split()[:2] in (["SCAN", "s"], ["SCAN", "h"])]


def test_filming_merges_the_shoots_with_the_statuses_walked_in_film_order(
    listed: Store, today: datetime.date
) -> None:
    """`filming --limit 1` stops both of its reads: the films whose status is filming come
    from status_events_status in film order (no sort of them all: only rows of one film are
    ordered further), merged with the films of the day's shoots."""
    run = statements(listed, lambda: list(filming_now(listed, today, limit=1)))
    assert len(run) == 1, run
    plan = plan_of(listed, run[0])
    assert plan[0] == "MERGE (UNION)", plan
    assert "SEARCH e USING INDEX status_events_status (status=?)" in plan, plan
    assert plan[-1] == "USE TEMP B-TREE FOR RIGHT PART OF ORDER BY", plan
    assert not [step for step in plan if step.startswith("SCAN e")], plan
    assert [row["id"] for row in filming_now(listed, today, limit=1)] == [4]


def test_list_walks_the_franchise_index_in_order(filled: Store, today: datetime.date) -> None:
    """`list --limit 1` works out the title and status of the films it shows, not of every
    film: the franchise films come from the index in order (sorted only within one
    franchise and instalment), and the films of no franchise are read only after them: the
    walk starts past them (a range search, not a scan from the index's first entry, where
    the films of no franchise sort)."""
    run = statements(filled, lambda: next(list_films(filled, today, limit=1)))
    assert len(run) == 1, run
    plan = plan_of(filled, run[0])
    assert any("USING INDEX films_franchise (franchise>?)" in step for step in plan), plan
    assert not any(step == "USE TEMP B-TREE FOR ORDER BY" for step in plan), plan


def test_a_watchlists_upcoming_reads_its_films_releases_once(
    listed: Store, today: datetime.date
) -> None:
    """A watchlist's films are few and read by film: one query for their releases, not one
    per precision class (each of which read every release of every film on the list)."""
    for country, places in ((None, 1), ("US", 2)):
        run = statements(
            listed,
            lambda c=country: list(upcoming(listed, today, watchlist="watchlist", country=c)),
        )
        reads = [sql for sql in run if "FROM releases r" in sql and "date_end" in sql]
        assert len(reads) == places, reads
        for sql in reads:
            plan = " ".join(plan_of(listed, sql))
            assert "watchlist_entries" in plan and "SCAN r" not in plan, plan


def test_the_duplicate_checks_look_titles_up_by_index(filled: Store, today: datetime.date) -> None:
    from tracker.domain.films import films_by_former_titles, insert_film, refuse_duplicate

    def checks() -> None:
        refuse_duplicate(filled, "Brand New", None)
        with filled.transaction():
            insert_film(filled, "Brand New Too", year=2030)
        films_by_former_titles(filled, ["film 1", "brand new"])

    seen = statements(filled, checks)
    assert len(seen) >= 4
    for sql in seen:
        assert full_scans(filled, sql) == [], sql
