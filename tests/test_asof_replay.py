"""A replay oracle for the first promise: as of day D, show nothing not yet known on D.

A random history (seeded, so every run is the same) is recorded through the real CLI into
a database FULL. For a day D, PRUNED(D) is a copy of FULL with every row not yet known on D
deleted, by the rules of tracker/asof.py (ids are kept). PRUNED(D) holds only what was
known on D, so every reading command asked as of D must print the same on both: any
difference is a fact of FULL, not known on D, showing through a reader.
"""

from __future__ import annotations

import datetime
import json
import os
import random
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tracker import asof
from tracker.cli import app
from tracker.names import name_key
from tracker.store.migrations import FILM_CHILD_TABLES

# A few seeds by default (the suite stays fast); REPLAY_SEEDS=200 replays 200 histories.
SEEDS = tuple(range(1, int(os.environ.get("REPLAY_SEEDS", "2")) + 1))
FIRST_DAY = datetime.date(2019, 1, 1)
SPAN_DAYS = 4 * 365  # every dated fact falls in 2019..2022
RECORDED_ON = "2023-06-30"  # the day the whole history is typed in
BEFORE_ALL, AFTER_ALL = datetime.date(2018, 6, 1), datetime.date(2024, 6, 1)
NAMES = ("Amber", "Basalt", "Cobalt", "Dune", "Ember", "Fjord")
NEW_NAMES = ("Garnet", "Harbour", "Indigo", "Jasper", "Kelp", "Lumen")
PEOPLE = ("Ann Director", "Bo Writer", "Cy Actor")
PLACES = ("Stranda", "Oldtown", "Rauma", "Tromso")
COUNTRIES = (None, "US", "US", "FR")  # None: worldwide
TYPES = ("theatrical", "theatrical", "digital", "premiere")
STATUSES = ("development", "pre-production", "filming", "paused", "wrapped", "post-production",
            "cancelled", "released")  # fmt: skip

Cli = Callable[..., tuple[int, str]]


def cli(db: Path) -> Cli:
    runner = CliRunner()

    def run(*args: str, today: str = RECORDED_ON) -> tuple[int, str]:
        result = runner.invoke(app, ["--db", str(db), "--today", today, *args])
        assert result.exit_code in (0, 1), (args, result.stderr, result.exception)
        if result.exit_code == 1:  # a user error (a refused random write), never a crash
            assert result.stderr.startswith("Error: "), (args, result.stderr)
            return 1, result.stderr
        return 0, result.stdout

    return run


def random_day(rng: random.Random) -> datetime.date:
    return FIRST_DAY + datetime.timedelta(days=rng.randrange(SPAN_DAYS))


def fuzzy(rng: random.Random, day: datetime.date, *, tba: bool = False) -> str:
    """`day` at a random precision: a day, a month, a quarter, a year (or TBA)."""
    precision = rng.choice(("day", "day", "month", "quarter", "year", *(("tba",) if tba else ())))
    if precision == "day":
        return day.isoformat()
    if precision == "month":
        return day.isoformat()[:7]
    if precision == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    if precision == "year":
        return str(day.year)
    return "TBA"


def source(rng: random.Random) -> list[str]:
    """Now and then a source, from a few shared ones (a source backs facts of several
    films, known on different days)."""
    return ["--source", f"https://news.example/{rng.randrange(4)}"] if rng.random() < 0.4 else []


def release_date(rng: random.Random) -> str:
    day = FIRST_DAY + datetime.timedelta(days=rng.randrange(7 * 365))  # 2019..2025
    return fuzzy(rng, day, tba=True)


def record_history(run: Cli, rng: random.Random) -> None:
    """Films (two of a franchise), then their facts in a random order: releases announced at
    every precision per country and type (moves, refinements, TBA), status changes,
    retitles, notes, shoots (some shared, some before their film was heard of, one undated),
    credits, watchlist entries added on their day, and viewings."""
    films = []
    for number, name in enumerate(NAMES[: rng.randint(4, 6)]):
        args = [f"{name} Film", "--on", fuzzy(rng, random_day(rng))]
        args += ["--status", rng.choice(("announced", "rumored"))]
        if number < 2:
            args += ["--franchise", "Saga", "--instalment", str(number + 1)]
        if rng.random() < 0.3:
            args += ["--alias", f"{name} Working"]
        if rng.random() < 0.6:  # the year it came out in, told on no day of its own
            args += ["--year", str(rng.randint(2019, 2025))]
        if rng.random() < 0.5:
            args += ["--release", release_date(rng), "--announced", fuzzy(rng, random_day(rng))]
            if country := rng.choice(COUNTRIES):
                args += ["--country", country]
        code, out = run("add", *args)
        assert code == 0, out
        films.append(f"#{number + 1}")
    run("watchlist", "create", "later")
    writes: list[tuple[str, ...]] = []
    for number, film in enumerate(films):
        for _ in range(rng.randint(1, 4)):
            release = ["release", film, release_date(rng), "--type", rng.choice(TYPES)]
            release += ["--announced", fuzzy(rng, random_day(rng))]
            if country := rng.choice(COUNTRIES):
                release += ["--country", country]
            release += source(rng)
            writes.append(tuple(release))
        for _ in range(rng.randint(0, 3)):
            on = fuzzy(rng, random_day(rng))
            writes.append(("status", film, rng.choice(STATUSES), "--on", on, *source(rng)))
        for retitle in range(rng.choice((0, 0, 1, 2))):
            on = fuzzy(rng, random_day(rng))
            title = f"{NEW_NAMES[number]} Film{' Two' * retitle}"
            writes.append(("retitle", film, title, "--on", on, *source(rng)))
        for _ in range(rng.randint(0, 2)):
            on = fuzzy(rng, random_day(rng))
            text = f"Trailer of {NEW_NAMES[number]} news"
            writes.append(("note", film, text, "--on", on, *source(rng)))
        for person in rng.sample(PEOPLE, rng.randint(0, 2)):
            writes.append(("credit", "add", film, person, "--role", "director"))
        if rng.random() < 0.6:
            writes.append(("--today", random_day(rng).isoformat(), "watch", film))
        if rng.random() < 0.3:
            added = random_day(rng).isoformat()
            writes.append(("--today", added, "watchlist", "add", "later", film))
        for _ in range(rng.randint(0, 2)):
            seen = ("seen", film, "--on", random_day(rng).isoformat(), "--rating", "3.5")
            writes.append(seen)
        if rng.random() < 0.1:  # a new title from the day it is typed in
            writes.append(("edit", film, "--title", f"{NEW_NAMES[number]} Edited"))
    for number, place in enumerate(PLACES):
        shoot = ["shoot", "add", rng.choice(films), place, "--country", "NO"]
        if number > 0:  # the first is undated: always known
            start = random_day(rng)
            shoot += ["--from", fuzzy(rng, start)]
            if rng.random() < 0.7:
                end = start + datetime.timedelta(days=rng.randrange(400))
                shoot += ["--to", fuzzy(rng, end)]
        if rng.random() < 0.5:
            shoot += ["--also", rng.choice(films)]
        if rng.random() < 0.3:  # a planned shoot: known, start and end, from its announcement
            shoot += ["--announced", fuzzy(rng, random_day(rng))]
        writes.append((*shoot, *source(rng)))
    rng.shuffle(writes)
    # Then corrections by id: an announcement deleted (a tombstone) or moved to another day,
    # a status change deleted.
    for _ in range(2):
        release = str(rng.randint(1, 8))
        if rng.random() < 0.5:
            writes.append(("delete", "release", release, "--yes"))
        else:
            writes.append(("amend", "release", release, "--announced", random_day(rng).isoformat()))
    writes.append(("delete", "status", str(rng.randint(1, 8)), "--yes"))
    for write in writes:
        if write[0] == "--today":
            run(*write[2:], today=write[1])
        else:
            run(*write)


def prune(full: Path, copy: Path, day: datetime.date) -> None:
    """`copy`: `full` with every row not known on `day` deleted (asof.py's rules)."""
    shutil.copyfile(full, copy)
    conn = sqlite3.connect(copy, isolation_level=None)
    today = asof.params(day)
    conn.execute("BEGIN")
    # Which films were known is read before any of their facts goes.
    gone = [
        film_id
        for (film_id,) in conn.execute(
            f"SELECT id FROM films WHERE NOT {asof.film_known_sql('films.id')}", today
        )
    ]
    kept_tombstones = [row[0] for row in conn.execute("SELECT id FROM release_tombstones")]
    # The stored year is the film's outcome: on D only what year_sql tells of it was known.
    conn.execute(f"UPDATE films SET year = {asof.year_sql('films.id')}", today)
    for table in ("releases", "status_events", "events", "release_tombstones"):
        conn.execute(f"DELETE FROM {table} WHERE known_from > :today", today)
    # A film's first title (on_date NULL) holds from the start.
    conn.execute("DELETE FROM titles WHERE on_date IS NOT NULL AND known_from > :today", today)
    # An undated shoot (known_from NULL) is always known, a planned one from the day it was
    # announced (m020); the trigger of m003 deletes a shoot with its last film.
    announced_end = asof.window_end("s", "announced")
    conn.execute(
        "DELETE FROM shoot_films WHERE shoot_id IN (SELECT id FROM shoots s"
        f" WHERE s.known_from > :today AND NOT coalesce({announced_end} <= :today, 0))",
        today,
    )
    conn.execute("DELETE FROM viewings WHERE seen_on > :today", today)
    conn.execute("DELETE FROM watchlist_entries WHERE added > :today", today)
    conn.execute("DELETE FROM film_ratings WHERE rated_on > :today", today)
    for film_id in gone:
        for table in [*FILM_CHILD_TABLES, "release_tombstones"]:
            conn.execute(f"DELETE FROM {table} WHERE film_id = ?", [film_id])
        conn.execute("DELETE FROM films WHERE id = ?", [film_id])
    # Deleting a release leaves a tombstone (a removal export ics reports): pruning is no
    # removal. The removals themselves stay: they are dated by the clock (m010's trigger,
    # date('now')), not by a day of the history.
    conn.execute(
        "DELETE FROM release_tombstones WHERE id NOT IN (SELECT value FROM json_each(?))",
        [str(kept_tombstones)],
    )
    # films.title is the latest title: on D it is the latest one known (title_sql).
    for film_id, title in list(
        conn.execute(f"SELECT id, {asof.title_sql('films.id')} FROM films", today)
    ):
        conn.execute(
            "UPDATE films SET title = ?, title_key = ? WHERE id = ?",
            [title, name_key(title), film_id],
        )
    conn.execute("COMMIT")
    conn.close()


def days_to_ask(full: Path, rng: random.Random) -> list[datetime.date]:
    """Before anything, after everything, a day in the middle, and the last day of a
    vague fact's window with the day before it (the day it becomes known, and not yet)."""
    conn = sqlite3.connect(full)
    closing = sorted(
        row[0]
        for row in conn.execute(
            "SELECT known_from FROM releases WHERE length(announced) < 10"
            " UNION SELECT known_from FROM status_events WHERE length(on_date) < 10"
            " UNION SELECT known_from FROM titles WHERE length(on_date) < 10"
            " UNION SELECT known_from FROM events WHERE length(on_date) < 10"
            " UNION SELECT known_from FROM shoots WHERE known_from IS NOT NULL"
            f" UNION SELECT {asof.window_end('s', 'announced')} FROM shoots s"
            " WHERE s.announced IS NOT NULL"
        )
    )
    conn.close()
    days = [BEFORE_ALL, AFTER_ALL, random_day(rng)]
    if closing:
        last = datetime.date.fromisoformat(rng.choice(closing))
        days += [last - datetime.timedelta(days=1), last]
    return days


def readers(full: Path, day: datetime.date, rng: random.Random) -> Iterator[tuple[str, ...]]:
    """Every reading command as of `day` (with --format json where it has one). Commands
    about one film ask of three films known on `day` (PRUNED(day) has no other: a film is
    named by #ID, which resolves any film, known or not). Left out: `info` (the file's
    own counts, path and last write, as of no day), `export json`, `csv` and `letterboxd`
    (backups of the whole file: they take no --today), `serve` (its calendar is export
    ics's builder) and `check`."""
    conn = sqlite3.connect(full)
    known = [
        film_id
        for (film_id,) in conn.execute(
            f"SELECT id FROM films WHERE {asof.film_known_sql('films.id')}", asof.params(day)
        )
    ]
    conn.close()
    since = (day - datetime.timedelta(days=400)).isoformat()
    as_json = ("--format", "json")
    yield from [
        ("list", *as_json),
        ("list", "--franchise", "Saga", *as_json),
        ("upcoming", *as_json),
        ("upcoming", "--tba", *as_json),
        ("upcoming", "--country", "US", *as_json),
        ("upcoming", "--franchise", "Saga", *as_json),
        ("upcoming", "--watchlist", "watchlist", *as_json),
        ("upcoming", "--days", "120", "--type", "digital", *as_json),
        ("list", "--status", "filming", *as_json),
        ("list", "--title", NEW_NAMES[0], *as_json),
        ("list", "--title", "working", *as_json),
        ("countdown", *as_json),
        ("countdown", "--watchlist", "watchlist", *as_json),
        ("countdown", "--country", "FR", *as_json),
        ("timeline", *as_json),
        ("timeline", "--franchise", "Saga", *as_json),
        ("timeline", "--chart"),  # text only
        ("delays", *as_json),
        ("clashes", "--days", "400", *as_json),
        ("clashes", "--days", "400", "--country", "US", *as_json),
        ("filming", *as_json),
        ("changes", "--since", since, *as_json),
        ("changes", "--since", "2018-01-01", *as_json),
        ("shoot", "list", *as_json),
        ("shoot", "list", "--now", *as_json),
        ("watchlist", "list", *as_json),
        ("watchlist", "show", "watchlist", *as_json),
        ("watchlist", "show", "later", "--country", "US", "--sort", "priority", *as_json),
        ("diary", *as_json),
        ("diary", "--year", "2020", *as_json),
        ("timeline", "--from", "2020", "--to", "2021-06", "--kind", "release", *as_json),
        ("changes", "--watchlist", "watchlist", "--since", "2018-01-01", *as_json),
        ("delays", "--franchise", "Saga", *as_json),
        ("upcoming", "--limit", "2", *as_json),
        ("export", "ics"),
        ("export", "ics", "--watchlist", "watchlist", "--country", "US", "--approximate"),
    ]
    for word in ("film", "working", NAMES[0], NEW_NAMES[0], "trailer", "rauma"):
        yield ("search", word, *as_json)
    for person in PEOPLE[:2]:
        yield ("person", person, *as_json)
    for film_id in rng.sample(known, min(3, len(known))):
        film = f"#{film_id}"
        for command in ("show", "countdown", "history", "statuses", "sources", "timeline"):
            yield (command, film, *as_json)


def comparable(reader: tuple[str, ...], code: int, out: str) -> str:
    """What a reader said: its exit code and output."""
    out = f"{code} {out}"
    if reader[0] == "export":
        # DTSTAMP is when the event last changed in the file (a removal is dated by the
        # clock), not a fact of the day.
        return "\n".join(line for line in out.splitlines() if not line.startswith("DTSTAMP"))
    return out


def refused_franchise(reader: tuple[str, ...], whole: str, known: str) -> bool:
    """The one difference allowed: `--franchise` is checked against the whole database
    (domain.films.known_franchise: a misspelt name is an error, not an empty listing), so
    a franchise none of whose films is known on D lists nothing on FULL and is refused on
    PRUNED, which holds none of them. FULL shows nothing of those films either way."""
    refused = known.startswith("1 Error: no franchise")
    return "--franchise" in reader and whole.strip() == "0 []" and refused


def leaks(seed: int, tmp_path: Path) -> dict[str, dict[str, tuple[str, str]]]:
    rng = random.Random(seed)
    full = tmp_path / "full.db"
    record_history(cli(full), rng)
    found: dict[str, dict[str, tuple[str, str]]] = {}
    for day in days_to_ask(full, rng):
        pruned = tmp_path / f"pruned-{day}.db"
        prune(full, pruned, day)
        on_full, on_pruned = cli(full), cli(pruned)
        for reader in readers(full, day, rng):
            whole = comparable(reader, *on_full(*reader, today=day.isoformat()))
            known = comparable(reader, *on_pruned(*reader, today=day.isoformat()))
            if whole != known and not refused_franchise(reader, whole, known):
                found.setdefault(day.isoformat(), {})[" ".join(reader)] = (whole, known)
    return found


@pytest.mark.parametrize("seed", SEEDS)
def test_every_reader_shows_on_a_day_only_what_was_known_that_day(
    seed: int, tmp_path: Path
) -> None:
    assert leaks(seed, tmp_path) == {}
    # Not vacuous: the history holds films, none known before it and all of them after.
    run = cli(tmp_path / "full.db")
    assert run("list", "--format", "json", today=BEFORE_ALL.isoformat()) == (0, "[]\n")
    _, listed = run("list", "--format", "json", today=AFTER_ALL.isoformat())
    assert len(json.loads(listed)) >= 4
