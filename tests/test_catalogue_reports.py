"""delays, clashes and filming are one query each over the whole catalogue: on random
catalogues they give exactly what the per-film rules (history, current releases, shoots of
the day) give, film by film."""

from __future__ import annotations

import datetime
import random
from itertools import combinations
from typing import Any

import pytest

from tests.conftest import Run
from tracker import asof
from tracker.dates import from_iso, of_day, parse_date, shift_days
from tracker.domain.films import add_film, record_status, retitle
from tracker.domain.releases import announce
from tracker.domain.shoots import add_shoot, shoots
from tracker.render import sql_csv_line
from tracker.store import Store
from tracker.views.clashes import clashes
from tracker.views.delays import AS_IS_COLUMNS, LINE_COLUMNS, delay_lines, delays
from tracker.views.production import filming_now
from tracker.views.releases import history

LATE = datetime.date(2030, 1, 1)
DAYS = ["2021-03-05", "2021-03-09", "2021-03-12", "2021-03-20", "2021-04-01", "2022-01-07"]
DATES = [*DAYS, "2021-03", "2021-Q1", "2021", "2022-Q3", "TBA"]
ANNOUNCED = ["2020-01-10", "2020-05", "2020-06-01", "2020-Q3", "2020-11-02", "2021"]
STATUSES = ["announced", "filming", "post-production", "paused"]
AS_OF = [datetime.date(2020, 6, 1), datetime.date(2020, 12, 1), datetime.date(2022, 6, 1)]


def catalogue(store: Store, seed: int) -> None:
    pick = random.Random(seed)
    with store.transaction():
        films = [
            add_film(
                store, f"Film {seed}.{n}", today=LATE, franchise=pick.choice(["Saga", "saga", None])
            )
            for n in range(8)
        ]
        for film in films:
            if pick.random() < 0.3:
                retitle(store, film, f"Film {film.id} renamed", parse_date("2020-09"), today=LATE)
            for _ in range(pick.randrange(5)):
                record_status(
                    store, film.id, pick.choice(STATUSES), parse_date(pick.choice(ANNOUNCED))
                )
            for _ in range(pick.randrange(7)):
                announce(
                    store, film, parse_date(pick.choice(DATES)), today=LATE,
                    country=pick.choice(["US", "GB", None]),
                    release_type=pick.choice(["theatrical", "digital"]),
                    announced=parse_date(pick.choice(ANNOUNCED)),
                )  # fmt: skip
        for _ in range(5):
            start = pick.choice(["2020-05", "2020-06-01", "2020-11", "TBA"])
            end = pick.choice(["2020-12-20", "2021", "TBA"])
            add_shoot(
                store, pick.sample(films, pick.randrange(1, 3)), pick.choice(["Oslo", "Rome"]),
                "NO", region=pick.choice([None, "Viken"]), start=parse_date(start),
                end=parse_date(end),
            )  # fmt: skip


def delays_film_by_film(store: Store, today: datetime.date, franchise: str | None) -> list[Any]:
    """The per-film rule: each film's history, grouped by (country, type)."""
    where = "" if franchise is None else " WHERE franchise = ? COLLATE NOCASE"
    ids = [r["id"] for r in store.rows(f"SELECT id FROM films{where} ORDER BY id",
                                       [] if franchise is None else [franchise])]  # fmt: skip
    rows = []
    for film in asof.films_on(store, ids, today):
        groups: dict[Any, list[dict[str, Any]]] = {}
        for entry in history(store, film, today):
            groups.setdefault((entry["country"], entry["type"]), []).append(entry)
        for (country, release_type), entries in groups.items():
            moves = [e for e in entries if e["change"] == "moved"]
            shifts = [e["shift_days"] for e in moves]
            first, current = entries[0]["date"], entries[-1]["date"]
            rows.append({
                "id": film.id, "title": film.title, "country": country, "type": release_type,
                "first": first, "current": current, "moves": len(moves),
                "total_shift_days": None if shift_days(first, current) is None else sum(shifts),
                "longest_shift_days": max(shifts, key=abs) if shifts else None,
            })  # fmt: skip
    rows.sort(key=lambda r: (r["total_shift_days"] is None, -(r["total_shift_days"] or 0),
                             -r["moves"], r["id"]))  # fmt: skip
    return rows


def clashes_film_by_film(store: Store, today: datetime.date, days: int, wanted: str | None) -> Any:
    dates: dict[Any, dict[int, set[datetime.date]]] = {}
    titles = {}
    ids = [r["id"] for r in store.rows("SELECT id FROM films ORDER BY id")]
    for film in asof.films_on(store, ids, today):
        titles[film.id] = film.title
        for release in asof.current_releases(store, film.id, today):
            if release.date.is_day and not (wanted and release.country != wanted):
                assert release.date.start is not None
                dates.setdefault(release.country, {}).setdefault(film.id, set()).add(
                    release.date.start)  # fmt: skip
    rows = []
    for where, films in dates.items():
        for a, b in combinations(sorted(films), 2):
            apart, day_a, day_b = min((abs((y - x).days), x, y) for x in films[a] for y in films[b])
            if apart <= days:
                first, second = (a, b) if (day_a, a) <= (day_b, b) else (b, a)
                if first != a:
                    day_a, day_b = day_b, day_a
                rows.append({"country": where, "date_a": of_day(day_a), "title_a": titles[first],
                             "date_b": of_day(day_b), "title_b": titles[second],
                             "days_apart": apart})  # fmt: skip
    rows.sort(key=lambda r: (r["date_a"].start, r["country"] or "", r["title_a"]))
    return rows


def filming_film_by_film(store: Store, today: datetime.date) -> list[Any]:
    places: dict[int, list[str]] = {}
    for shoot in shoots(store):
        if shoot.known_on(today) and shoot.holds(today):
            for film_id in shoot.film_ids:
                if asof.film_known(store, film_id, today):  # a shoot waits for its film
                    places.setdefault(film_id, []).append(shoot.where)
    ids = [r["id"] for r in store.rows("SELECT id FROM films ORDER BY id")]
    filming = {i for i in ids if asof.status_on(store, i, today) == "filming"}
    return [
        {"id": f.id, "title": f.title, "status": asof.status_on(store, f.id, today),
         "where": places.get(f.id, [])}
        for f in asof.films_on(store, sorted(filming | set(places)), today)
    ]  # fmt: skip


@pytest.mark.parametrize("seed", range(12))
def test_catalogue_reports_match_the_film_by_film_rules(store: Store, seed: int) -> None:
    catalogue(store, seed)
    for today in AS_OF:
        for franchise in (None, "SAGA "):
            wanted = None if franchise is None else franchise.strip()
            assert list(delays(store, today, franchise=franchise)) == delays_film_by_film(
                store, today, wanted
            )
        for days, country in ((7, None), (0, None), (30, "US"), (400, "GB")):
            assert list(clashes(store, today, days=days, country=country)) == (
                clashes_film_by_film(store, today, days, country)
            )
        assert list(filming_now(store, today)) == filming_film_by_film(store, today)


def test_delays_match_when_sqlite_does_not_group_in_the_walks_order(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where SQLite does not read each group in the order announced (another version, or a
    plan that sorts to group), delays passes each announcement's day and id and sorts them
    (delay_fold_sorted): the same rows and lines as the walk's order gives."""
    from tracker.views import delays as view

    for seed in (5, 6, 7):
        catalogue(store, seed)
    line = sql_csv_line(LINE_COLUMNS, AS_IS_COLUMNS)
    walked = [(list(delays(store, day)), list(delay_lines(store, day, line))) for day in AS_OF]
    monkeypatch.setattr(view, "_walk_keeps_order", lambda: False)
    seen: list[str] = []
    store.conn.set_trace_callback(seen.append)
    try:
        for today, (rows, lines) in zip(AS_OF, walked, strict=True):
            assert list(delays(store, today)) == rows == delays_film_by_film(store, today, None)
            assert list(delay_lines(store, today, line)) == lines
    finally:
        store.conn.set_trace_callback(None)
    assert any("delay_fold_sorted(" in sql for sql in seen)
    assert not any("delay_fold(" in sql for sql in seen)


def test_a_plan_that_sorts_to_group_is_not_taken_for_the_walk(store: Store) -> None:
    from tracker.views.delays import _define_delay_fold, _walks_the_index, delays_sql

    catalogue(store, 8)
    _define_delay_fold(store.conn)
    params = asof.params(LATE, raw=1, limit=-1)
    assert _walks_the_index(store.conn, delays_sql("", "''", True), params)
    sorting = delays_sql("", "''", True).replace("GROUP BY id,", "GROUP BY date, id,")
    assert not _walks_the_index(store.conn, sorting, params)


def test_the_random_catalogues_hold_moves_clashes_and_shoots(store: Store) -> None:
    """The comparison above is not vacuous: the catalogues have all three."""
    found = {"moves": 0, "clashes": 0, "filming": 0}
    catalogue(store, 0)
    catalogue(store, 1)
    for today in AS_OF:
        found["moves"] += sum(row["moves"] for row in delays(store, today))
        found["clashes"] += len(list(clashes(store, today, days=30)))
        found["filming"] += len(list(filming_now(store, today)))
    assert all(found.values()), found


def test_delay_rows_read_stored_dates(store: Store) -> None:
    catalogue(store, 3)
    for row in delays(store, LATE):
        assert row["first"] == from_iso(row["first"].iso)


@pytest.mark.parametrize("command", ["delays", "clashes", "filming"])
def test_limit_keeps_the_first_rows(run: Run, command: str) -> None:
    for title, day in (
        ("Film A", "2020-10-01"),
        ("Film B", "2020-10-03"),
        ("Film C", "2020-10-04"),
    ):
        run("add", title, "--status", "filming", "--on", "2020-09", "--release", day)
        run("release", title, "2020-10-20", "--announced", "2020-10-10")
    every = run.json(command)
    assert len(every) >= 2
    assert run.json(command, "--limit", "2") == every[:2]
    assert "at least 1" in run.error(command, "--limit", "0")


def test_reports_read_at_once_on_one_connection_leave_no_scratch_tables(store: Store) -> None:
    """delays and clashes read at once on one connection: neither disturbs the other, one
    stopped early does not break the other, and no TEMP table is left once they are done."""
    catalogue(store, 4)
    today = AS_OF[-1]
    every_delay = list(delays(store, today))
    every_clash = list(clashes(store, today, days=30))
    assert every_delay and every_clash
    stopped = delays(store, today)
    next(stopped)
    reading = clashes(store, today, days=30)
    first = next(reading)
    other = delays(store, today)
    assert list(other) == every_delay
    stopped.close()
    assert [first, *reading] == every_clash
    left = store.rows("SELECT name FROM sqlite_temp_master WHERE type = 'table'")
    assert [row["name"] for row in left] == []


def test_a_report_stopped_after_its_database_closed_closes_quietly(store: Store) -> None:
    """`delays | head` at exit: the reader is dropped after the database is closed. Its
    cursor has nothing left to close, and nothing is printed ("Exception ignored")."""
    catalogue(store, 4)
    today = AS_OF[-1]
    line = sql_csv_line(LINE_COLUMNS, AS_IS_COLUMNS)
    readers = [
        delays(store, today),
        clashes(store, today, days=30),
        delay_lines(store, today, line),
    ]
    for reader in readers:
        next(reader)
    store.conn.close()
    for reader in readers:
        reader.close()  # raised sqlite3.ProgrammingError before
