"""`delays --limit N` reads only the films whose dates ever moved later by enough
(store.shift_bounds): its rows are the first N of the whole report on any day, and the
stored bounds stay those of the history whatever writes it (commands, imports, undo,
another program)."""

from __future__ import annotations

import datetime
import random
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DEMO, Run
from tests.test_catalogue_reports import AS_OF, LATE, catalogue
from tracker.dates import parse_date
from tracker.domain.films import add_film
from tracker.domain.releases import announce
from tracker.store import Store, open_store, shift_bounds
from tracker.store.undo import revert_last
from tracker.views.delays import delays

DAYS = [*AS_OF, datetime.date(2020, 9, 1), datetime.date(2021, 1, 1), LATE]


def _first_rows_hold(store: Store, franchise: str | None = None) -> None:
    for today in DAYS:
        every = list(delays(store, today, franchise=franchise))
        for limit in (1, 2, 3, 5, 8, 40):
            assert list(delays(store, today, franchise=franchise, limit=limit)) == every[:limit], (
                today,
                limit,
            )


@pytest.mark.parametrize("seed", range(12))
def test_the_first_rows_are_those_of_the_whole_report_on_any_day(store: Store, seed: int) -> None:
    """Random catalogues (announcements known a month, a quarter or a year late, out of the
    order announced; TBA; refined and vaguer dates) give the same first rows both ways."""
    catalogue(store, seed)
    catalogue(store, seed + 100)
    assert shift_bounds.stale_films(store.conn) == 0
    _first_rows_hold(store)
    _first_rows_hold(store, franchise="Saga")


@pytest.mark.parametrize("seed", range(6))
def test_bounds_follow_deletes_updates_and_undo(store: Store, seed: int) -> None:
    pick = random.Random(seed)
    catalogue(store, seed)
    ids = [row[0] for row in store.conn.execute("SELECT id FROM releases")]
    with store.transaction():
        for release in pick.sample(ids, len(ids) // 3):
            store.conn.execute("DELETE FROM releases WHERE id = ?", [release])
        for release in pick.sample(ids, len(ids) // 3):
            store.conn.execute(
                "UPDATE releases SET date = '2023-06-01', date_start = '2023-06-01',"
                " date_end = '2023-06-01' WHERE id = ?",
                [release],
            )
    assert shift_bounds.stale_films(store.conn) == 0
    _first_rows_hold(store)
    with store.transaction():
        revert_last(store.conn)
    assert shift_bounds.stale_films(store.conn) == 0
    _first_rows_hold(store)


def test_a_history_that_came_back_earlier_still_bounds_the_film(store: Store) -> None:
    """Moved 100 days later, then back: the report as of the middle day shows +100, so the
    film is bounded by 100 though its total now is 0."""
    film = add_film(store, "Back and Forth", today=LATE)
    for date, announced in (("2021-01-01", "2020-01-01"), ("2021-04-11", "2020-02-01")):
        announce(store, film, parse_date(date), today=LATE, announced=parse_date(announced))
    announce(store, film, parse_date("2021-01-01"), today=LATE, announced=parse_date("2020-03"))
    bound = [tuple(row) for row in store.conn.execute("SELECT bound FROM release_shift_bounds")]
    assert bound == [(100,)]
    (middle,) = delays(store, datetime.date(2020, 2, 15), limit=1)
    assert middle["total_shift_days"] == 100
    (now,) = delays(store, LATE, limit=1)
    assert now["total_shift_days"] == 0 and now["moves"] == 2


def test_a_film_bounded_only_by_the_probes_last_delay_still_comes_first(store: Store) -> None:
    """The highest bound is Later's (+100, then -50: 50 days now); Steady moved +25 twice
    (50 days, as many moves, a lower id) and comes first. The probe of the highest bound
    finds only Later's row: the report reads every film bounded by its 50 days."""
    steady = add_film(store, "Steady", today=LATE)
    later = add_film(store, "Later", today=LATE)
    for film, dates in ((steady, ("2022-01-01", "2022-01-26", "2022-02-20")),
                        (later, ("2022-01-01", "2022-04-11", "2022-02-20"))):  # fmt: skip
        for date, announced in zip(dates, ("2020-01-01", "2020-02-01", "2020-03-01"), strict=True):
            announce(store, film, parse_date(date), today=LATE, announced=parse_date(announced))
    bounds = dict(tuple(row) for row in store.conn.execute("SELECT * FROM release_shift_bounds"))
    assert bounds == {steady.id: 50, later.id: 100}
    (first,) = delays(store, LATE, limit=1)
    assert (first["title"], first["total_shift_days"], first["moves"]) == ("Steady", 50, 2)
    assert [row["title"] for row in delays(store, LATE, limit=2)] == ["Steady", "Later"]


def test_the_first_row_reads_a_few_films_not_the_catalogue(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracker.views import delays as view

    folded: list[int] = []
    real_fold = view.delay_fold

    def counting_fold(film_id: int, *rest: object) -> str:
        folded.append(film_id)
        return real_fold(film_id, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(view, "delay_fold", counting_fold)
    with store.transaction():
        for n in range(60):
            film = add_film(store, f"Film {n}", today=LATE)
            for shift, announced in ((0, "2020-01-01"), (n, "2020-02-01"), (2 * n, "2020-03-01")):
                date = datetime.date(2022, 1, 1) + datetime.timedelta(days=shift)
                announce(
                    store, film, parse_date(date.isoformat()), today=LATE,
                    announced=parse_date(announced),
                )  # fmt: skip
    (first,) = delays(store, LATE, limit=1)
    assert first["title"] == "Film 59" and first["total_shift_days"] == 118
    assert len(folded) <= 2  # the probe and the report, of the one film that leads
    folded.clear()
    assert len(list(delays(store, LATE))) == 60
    assert len(folded) == 60  # every film announced three times


def test_imports_and_their_undo_keep_the_bounds(run: Run, isolated: Path, tmp_path: Path) -> None:
    run("add", "Arrival", "--release", "2016-11-11")
    run("import", "json", str(DEMO))
    assert _stale(isolated) == 0 and _bounds(isolated)
    run("undo")
    assert _stale(isolated) == 0 and not _bounds(isolated)
    run("import", "json", str(DEMO))
    before = _bounds(isolated)
    assert before  # the demo's films moved
    # Arrival (#1) moved a month later in the US, then back: bounded by 30 days.
    releases = tmp_path / "releases.csv"
    releases.write_text(
        "film_id,country,type,date,announced,source,note\n"
        "1,US,theatrical,2016-11-11,2016-01-05,,\n"
        "1,US,theatrical,2016-12-11,2016-02-05,,\n"
        "1,US,theatrical,2016-11-11,2016-03-05,,\n"
    )
    run("import", "csv", "releases", str(releases))
    assert _stale(isolated) == 0 and _bounds(isolated) == {**before, 1: 30}
    run("undo")
    assert _stale(isolated) == 0 and _bounds(isolated) == before


def test_another_programs_writes_keep_the_bounds(demo: Run, isolated: Path) -> None:
    """The triggers are SQL: the sqlite3 shell, Datasette or sqlite-utils keep them too."""
    conn = sqlite3.connect(isolated)
    with conn:
        conn.execute(
            "INSERT INTO releases (film_id, country, type, date, date_start, date_end,"
            " announced, announced_start) VALUES (1, 'US', 'theatrical', '1997-05-22',"
            " '1997-05-22', '1997-05-22', '1996-06', '1996-06-01')"
        )
    conn.close()
    assert _bounds(isolated)[1] == 365
    assert (
        demo("--today", "2000-01-01", "delays", "--limit", "1", "-f", "csv")
        .stdout.split("\n")[1]
        .startswith("1,Mission: Impossible,US,theatrical,1996-05-22,1997-05-22,1,365,365")
    )
    conn = sqlite3.connect(isolated)
    with conn:
        conn.execute("DELETE FROM releases WHERE announced = '1996-06'")
    conn.close()
    assert 1 not in _bounds(isolated) and _stale(isolated) == 0


def _bounds(path: Path) -> dict[int, int]:
    conn = sqlite3.connect(path)
    try:
        return dict(conn.execute("SELECT film_id, bound FROM release_shift_bounds"))
    finally:
        conn.close()


def _stale(path: Path) -> int:
    store = open_store(path)
    try:
        return shift_bounds.stale_films(store.conn)
    finally:
        store.conn.close()


def test_a_database_from_before_the_bounds_gets_them_when_opened(demo: Run, isolated: Path) -> None:
    conn = sqlite3.connect(isolated)
    with conn:
        for name in ("ai", "ad", "au"):
            conn.execute(f"DROP TRIGGER release_shift_bounds_{name}")
        conn.execute("DROP TABLE release_shift_bounds")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm021_release_shift_bounds'")
    conn.close()
    assert demo("delays", "--limit", "1", "-f", "json").stdout.count('"id"') == 1
    assert _bounds(isolated) == {7: 721, 8: 1022} and _stale(isolated) == 0


def test_renumbering_an_announcement_bounds_its_film_again(store: Store) -> None:
    """Two announcements of one day go in id order: another program renumbering one turns
    a move earlier into a move later, and the bound follows."""
    conn = store.conn
    with store.transaction():
        conn.execute("INSERT INTO films (id, title, title_key) VALUES (1, 'A', 'a'), (2, 'B', 'b')")
        insert = (
            "INSERT INTO releases (id, film_id, country, type, date, date_start, date_end,"
            " announced, announced_start) VALUES (?, ?, 'US', 'theatrical', ?, ?, ?,"
            " '2020-01-01', '2020-01-01')"
        )
        for row in ((1, 1, "2021-06-01"), (2, 1, "2021-01-01"), (3, 2, "2021-01-01"),
                    (4, 2, "2021-01-11")):  # fmt: skip
            conn.execute(insert, (*row, row[2], row[2]))
        conn.execute("UPDATE releases SET id = 10 WHERE id = 1")
    assert shift_bounds.stale_films(conn) == 0
    (first,) = delays(store, LATE, limit=1)
    assert (first["title"], first["total_shift_days"]) == ("A", 151)


def test_the_probe_and_the_report_read_one_snapshot(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process removing the leading film's dates between the probe and the report
    does not leave the report with nothing: both read the database as it was."""
    from tracker.views import delays as view

    store = open_store(isolated)
    for title, dates in (("A", ("2022-01-01", "2022-04-11")), ("B", ("2022-01-01", "2022-02-20"))):
        film = add_film(store, title, today=LATE)
        for date, announced in zip(dates, ("2020-01-01", "2020-02-01"), strict=True):
            announce(store, film, parse_date(date), today=LATE, announced=parse_date(announced))
    real_floor = view._leading_floor

    def floor_then_another_process_writes(*args: Any) -> int | None:
        floor = real_floor(*args)
        other = sqlite3.connect(isolated)
        with other:
            other.execute("DELETE FROM releases WHERE film_id = 1")
        other.close()
        return floor

    monkeypatch.setattr(view, "_leading_floor", floor_then_another_process_writes)
    try:
        rows = [(row["title"], row["total_shift_days"]) for row in delays(store, LATE, limit=1)]
        assert rows == [("A", 100)]
        assert not store.conn.in_transaction  # the snapshot ends with the rows
        monkeypatch.setattr(view, "_leading_floor", real_floor)
        assert [row["title"] for row in delays(store, LATE, limit=1)] == ["B"]
    finally:
        store.conn.close()
