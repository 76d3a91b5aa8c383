"""The benchmark: build (and cache) a 1,000,000-film, a 100,000-film and a 1,000-film
database of the same shape through tracker's bulk path, then time each command on the sizes
side by side.

    .venv/bin/python scripts/bench.py [--runs 7] [--large 1000000] [--medium 100000]
                                      [--small 1000] [--write]

Databases are cached in .bench/ (git-ignored) and rebuilt when the schema changes or their
content is not what the build wrote (a `bench` row in `meta` records the size and seed).
Commands this checkout does not have yet print "n/a (not built yet)". `--write` replaces
the results in docs/benchmarks.md. Runs are paired (small, large, small, large, ... each a
fresh process, as a user's would be), so drift of a shared machine lands in both sides of a
pair: a ratio is the median of the per-pair ratios, with their min–max. Peak memory comes
from GNU time.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import itertools
import os
import platform
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / ".bench"
BIN = Path(sys.executable).parent
TRACKER = [str(BIN / "tracker")]
PYTHON = sys.executable
TODAY = "2020-10-15"
NA = "n/a (not built yet)"
WATCHLIST_FILMS = 1000
DEFAULT_LIST = 1  # the `watchlist` list every database starts with (m003_watchlists)

sys.path.insert(0, str(ROOT))

from tracker.choices import RELEASE_TYPES, STATUSES  # noqa: E402
from tracker.dates import TBA, FuzzyDate  # noqa: E402
from tracker.names import name_key  # noqa: E402
from tracker.store import migrations, open_store  # noqa: E402
from tracker.store.bulk import bulk_load  # noqa: E402

# 50 countries; US is far the most common, as in real release data.
_COUNTRY_TEXT = (
    "US GB FR DE IT ES CA AU JP KR CN IN BR MX AR RU NL BE SE NO DK FI PL PT IE AT CH CZ HU"
    " GR TR IL ZA NG EG SA AE TH VN PH ID MY SG NZ CL CO PE UA RO HK"
)
COUNTRIES = _COUNTRY_TEXT.split()
assert len(COUNTRIES) == 50


# Building ----------------------------------------------------------------------------------


def _fuzzy(rng: random.Random, day: datetime.date) -> FuzzyDate:
    """A date around `day` at a random precision (every precision occurs, TBA included)."""
    pick = rng.random()
    if pick < 0.55:
        return FuzzyDate("day", day.year, day.month, day.day)
    if pick < 0.75:
        return FuzzyDate("month", day.year, day.month)
    if pick < 0.87:
        return FuzzyDate("quarter", day.year, quarter=(day.month - 1) // 3 + 1)
    if pick < 0.96:
        return FuzzyDate("year", day.year)
    return FuzzyDate("unknown")


def _key(rng: random.Random) -> tuple[str | None, str]:
    pick = rng.random()
    if pick < 0.15:
        country = None
    elif pick < 0.40:
        country = "US"
    else:
        country = rng.choice(COUNTRIES[1:])
    release_type = "theatrical" if rng.random() < 0.5 else rng.choice(RELEASE_TYPES)
    return country, release_type


def _film_rows(
    first_id: int, count: int, seed: int
) -> Iterator[tuple[tuple[Any, ...], tuple[Any, ...], list[tuple[Any, ...]]]]:
    """(film, status, releases) per film: three announcements each, spread over keys so
    that films move (one key announced three times, or two keys, or three)."""
    rng = random.Random(seed)
    low = datetime.date(1960, 1, 1).toordinal()
    high = datetime.date(2032, 12, 31).toordinal()
    for film_id in range(first_id, first_id + count):
        target = datetime.date.fromordinal(rng.randint(low, high))
        title = f"Film {film_id}"
        franchise = f"Franchise {film_id // 10}" if film_id % 3 == 0 else None
        film = (film_id, title, name_key(title), target.year, franchise, film_id % 10 or None)
        shape = rng.random()
        keys = [_key(rng)]
        keys = keys * 3 if shape < 0.4 else keys * 2 + [_key(rng)] if shape < 0.8 else keys
        while len(keys) < 3:
            keys.append(_key(rng))
        announced = target - datetime.timedelta(days=rng.randint(200, 900))
        releases = []
        for step, (country, release_type) in enumerate(keys):
            moved = target + datetime.timedelta(days=rng.randint(-60, 120) * step)
            date = _fuzzy(rng, moved)
            when = announced + datetime.timedelta(days=rng.randint(0, 150) * step)
            releases.append(
                (
                    film_id,
                    country,
                    release_type,
                    date.iso,
                    date.start and date.start.isoformat(),
                    date.end and date.end.isoformat(),
                    when.isoformat(),
                    when.isoformat(),
                    None,
                    "moved" if step else None,
                )
            )
        status = "released" if target.toordinal() < 737713 else rng.choice(STATUSES[:6])
        first = announced.isoformat()
        yield film, (film_id, status, first, first, None, None), releases


def _production_rows(
    film_ids: range, first_shoot: int, people: int, seed: int
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Shoots, shoot links and credits for some films: every other film has a shoot (every
    sixth shares it with the film before, as back-to-back shoots do); every film has a
    director and a lead, every third a writer, drawn from a pool of `people`."""
    rng = random.Random(seed)
    shoots: list[tuple[Any, ...]] = []
    links: list[tuple[Any, ...]] = []
    credits: list[tuple[Any, ...]] = []
    low = datetime.date(1958, 1, 1).toordinal()
    high = datetime.date(2031, 12, 31).toordinal()
    shoot_id = first_shoot
    for film_id in film_ids:
        director = (film_id * 7919) % people + 1
        lead = (film_id * 104729 + 1) % people + 1
        credits.append((film_id, director, "director", None))
        credits.append((film_id, lead, "cast", f"Character {film_id}"))
        if film_id % 3 == 0:
            credits.append((film_id, (film_id * 31 + 2) % people + 1, "writer", None))
        if film_id % 2:
            continue
        first = datetime.date.fromordinal(rng.randint(low, high))
        last = first + datetime.timedelta(days=rng.randint(20, 150))
        pick = rng.random()
        if pick < 0.6:
            start = FuzzyDate("day", first.year, first.month, first.day)
            end = FuzzyDate("day", last.year, last.month, last.day)
        elif pick < 0.9:
            start = FuzzyDate("month", first.year, first.month)
            end = FuzzyDate("month", last.year, last.month) if last.month != first.month else TBA
        else:
            start, end = TBA, TBA
        shoots.append(
            (
                shoot_id,
                f"Stage {film_id % 97}",
                None,
                COUNTRIES[film_id % len(COUNTRIES)],
                start.iso,
                start.start and start.start.isoformat(),
                end.iso,
                end.start and end.start.isoformat(),
                None,
                None,
            )
        )
        links.append((shoot_id, film_id))
        if film_id % 6 == 0:
            links.append((shoot_id, film_id - 1))
        shoot_id += 1
    return shoots, links, credits


def build(path: Path, films: int, seed: int = 5) -> None:
    """Build the database in one bulk transaction, then move it into place."""
    partial = path.with_name(path.name + ".partial")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    started = time.perf_counter()
    store = open_store(partial)
    batch = 50_000
    people = max(films // 4, 10)
    with bulk_load(store, f"benchmark data ({films} films)") as loader:
        first = loader.next_id("films")
        first_person = loader.next_id("people")
        loader.insert(
            "people",
            (
                (person, f"Person {person}", f"person {person}")
                for person in range(first_person, first_person + people)
            ),
        )
        for offset in range(0, films, batch):
            chunk = list(_film_rows(first + offset, min(batch, films - offset), seed + offset))
            loader.insert("films", (film for film, _, _ in chunk))
            loader.insert("status_events", (status for _, status, _ in chunk))
            loader.insert("releases", (row for _, _, rows in chunk for row in rows))
            shoots, links, credits = _production_rows(
                range(first + offset, first + offset + len(chunk)),
                loader.next_id("shoots"),
                people,
                seed + offset + 1,
            )
            loader.insert("shoots", shoots)
            loader.insert("shoot_films", links)
            loader.insert("credits", ((f, first_person - 1 + p, r, c) for f, p, r, c in credits))
            print(f"  {path.name}: {offset + len(chunk):,} films", file=sys.stderr, flush=True)
        # A 1,000-film watchlist spread over the whole catalogue, on the default list.
        step = max(films // WATCHLIST_FILMS, 1)
        picked = range(first, first + films, step)[:WATCHLIST_FILMS]
        loader.insert(
            "watchlist_entries",
            ((DEFAULT_LIST, film_id, 1 + film_id % 5, None, "2020-01-01") for film_id in picked),
        )
    with store.transaction():
        store.conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('bench', ?)",
            [bench_mark(films, seed)],
        )
    store.conn.execute("ANALYZE")
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    os.replace(partial, path)
    for leftover in (Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    print(f"  built {path.name} in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def bench_mark(films: int, seed: int = 5) -> str:
    """What `build` writes into meta: the size and seed it built."""
    return f"films={films} seed={seed}"


def what_is_wrong(path: Path, films: int | None) -> str | None:
    """Why a cached database cannot be used as it is (None: it can). `films` None: any
    non-empty database of the current schema (the demo)."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if tuple(migrations.applied(conn)) != migrations.KNOWN:
                return "schema changed"
            count = conn.execute("SELECT count(*) FROM films").fetchone()[0]
            if films is None:
                return None if count else "no films"
            mark = conn.execute("SELECT value FROM meta WHERE key = 'bench'").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        return f"unreadable ({error})"
    if mark is None or mark[0] != bench_mark(films) or count != films:
        return f"not the {films:,}-film build ({count:,} films, mark {mark})"
    return None


def cached(films: int) -> Path:
    """The database of this size, rebuilt if missing, built by another schema, or not
    holding what the build writes."""
    BENCH.mkdir(exist_ok=True)
    path = BENCH / f"films-{films}.db"
    if path.exists():
        wrong = what_is_wrong(path, films)
        if wrong is None:
            return path
        print(f"  {path.name}: {wrong}, rebuilding", file=sys.stderr)
        path.unlink()
    build(path, films)
    return path


def demo_db() -> Path:
    path = BENCH / "demo.db"
    if path.exists() and (wrong := what_is_wrong(path, None)) is not None:
        print(f"  {path.name}: {wrong}, rebuilding", file=sys.stderr)
        path.unlink()
    if not path.exists():
        run_once([*TRACKER, "--db", str(path), "import", "json", str(ROOT / "data/demo.json")])
    return path


# Timing ------------------------------------------------------------------------------------


@dataclass
class Timing:
    seconds: float
    peak_mib: float


# As a user runs it: bytecode cached (some shells set PYTHONDONTWRITEBYTECODE, which would
# make every run compile tracker's modules again).
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


GNU_TIME = Path("/usr/bin/time")


def run_once(
    argv: list[str],
    stdin: Path | None = None,
    *,
    memory: bool = True,
    stdout: Path | None = None,
) -> Timing:
    """Time one fresh process; its peak memory comes from GNU time when there is one.

    (A child's own ru_maxrss is no good on Linux: it starts at the RSS of the process that
    forked it, here this script, so a command is measured through /usr/bin/time.)"""
    report = None
    if memory and GNU_TIME.exists():
        handle, name = tempfile.mkstemp(suffix=".time", dir=BENCH)
        os.close(handle)
        report = Path(name)
        argv = [str(GNU_TIME), "-f", "%M", "-o", str(report), *argv]
    try:
        with open(stdout or os.devnull, "w") as sink, open(stdin or os.devnull, "rb") as source:
            started = time.perf_counter()
            process = subprocess.Popen(
                argv, stdout=sink, stderr=subprocess.PIPE, stdin=source, env=ENV
            )
            _, status, usage = os.wait4(process.pid, 0)
            elapsed = time.perf_counter() - started
            process.returncode = os.waitstatus_to_exitcode(status)
            assert process.stderr is not None
            error = process.stderr.read().decode(errors="replace")
            process.stderr.close()
        if process.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} exited {process.returncode}: {error.strip()}")
        peak_kib = usage.ru_maxrss
        if report is not None:
            peak_kib = int(report.read_text().split()[-1])
    finally:
        if report is not None:
            report.unlink(missing_ok=True)
    return Timing(elapsed, peak_kib / 1024)


def median(argv: list[str], runs: int) -> Timing:
    """Median time of `runs` fresh processes (timed bare, so GNU time adds nothing); peak
    memory from one more run, the first, which also warms the page cache."""
    peak = run_once(argv).peak_mib
    timings = [run_once(argv, memory=False) for _ in range(runs)]
    return Timing(statistics.median(t.seconds for t in timings), peak)


@dataclass
class Pair:
    a: Timing  # medians of each side
    b: Timing
    ratio: float  # median of the per-pair ratios b / a
    low: float
    high: float


def paired(argv_a: list[str], argv_b: list[str], runs: int, before: Any = None) -> Pair:
    """Run a, b, a, b, ... (fresh processes), so machine drift lands in both sides of each
    pair; peak memory from one more run of each, first (which also warms the page cache)."""
    if before is not None:
        before()
    peak_a = run_once(argv_a).peak_mib
    if before is not None:
        before()
    peak_b = run_once(argv_b).peak_mib
    pairs = []
    for _ in range(runs):
        if before is not None:
            before()
        a = run_once(argv_a, memory=False)
        if before is not None:
            before()
        pairs.append((a, run_once(argv_b, memory=False)))
    ratios = [b.seconds / a.seconds for a, b in pairs]
    return Pair(
        Timing(statistics.median(a.seconds for a, _ in pairs), peak_a),
        Timing(statistics.median(b.seconds for _, b in pairs), peak_b),
        statistics.median(ratios),
        min(ratios),
        max(ratios),
    )


def has_command(*words: str) -> bool:
    """Does this checkout's tracker have the (sub)command? `--help` of a missing one exits 2."""
    result = subprocess.run(
        [*TRACKER, *words, "--help"], capture_output=True, text=True, check=False
    )
    return result.returncode == 0


# The report --------------------------------------------------------------------------------

Row = tuple[str, str, str, str, str, str]  # what, small/a, large/b, ratio, goal, verdict


def ms(timing: Timing | None) -> str:
    return "n/a" if timing is None else f"{timing.seconds * 1000:.0f} ms"


def verdict(ratio: float, goal: float) -> str:
    return "met" if ratio <= goal else "missed"


def compare(what: str, a: Timing, b: Timing, goal: float) -> Row:
    ratio = b.seconds / a.seconds
    return (what, ms(a), ms(b), f"{ratio:.2f}×", f"≤ {goal}×", verdict(ratio, goal))


def compare_pair(what: str, pair: Pair, goal: float) -> Row:
    spread = f"{pair.ratio:.2f}× ({pair.low:.2f}–{pair.high:.2f})"
    return (what, ms(pair.a), ms(pair.b), spread, f"≤ {goal}×", verdict(pair.ratio, goal))


def upcoming_sql(today: str) -> str:
    """What `upcoming --limit 50` answers, as one plain SQL query (sqlite-utils query)."""
    return f"""
SELECT f.id, f.title, min(r.date_start) AS date_start
FROM releases r JOIN films f ON f.id = r.film_id
WHERE r.announced_start <= '{today}' AND r.date_end >= '{today}'
  AND r.id = (SELECT c.id FROM releases c WHERE c.film_id = r.film_id
              AND c.country IS r.country AND c.type = r.type
              AND c.announced_start <= '{today}'
              ORDER BY c.announced_start DESC, c.id DESC LIMIT 1)
GROUP BY f.id ORDER BY min(r.date_start), f.id LIMIT 50"""


def films_csv(large: Path, large_n: int) -> Path:
    """The 1M-row films CSV, written (once) by `tracker export csv films` itself, so it has
    exactly the columns `import csv films` reads back."""
    path = BENCH / f"films-{large_n}.csv"
    if not path.exists():
        partial = path.with_suffix(".partial")
        run_once(
            [*TRACKER, "--db", str(large), "export", "csv", "films", "-o", str(partial)],
            memory=False,
        )
        os.replace(partial, path)
    from tracker.exchange.csv import TABLES

    with path.open(encoding="utf-8", newline="") as handle:
        header = handle.readline().strip()
    assert header == ",".join(TABLES["films"].columns), header
    return path


BARE_IMPORT = """
import csv, sqlite3, sys
conn = sqlite3.connect(sys.argv[2], isolation_level=None)
conn.execute("CREATE TABLE films (id INTEGER PRIMARY KEY, title TEXT, year INTEGER,"
             " franchise TEXT, instalment INTEGER)")
conn.execute("BEGIN")
with open(sys.argv[1], newline="", encoding="utf-8") as handle:
    reader = csv.reader(handle); next(reader)
    conn.executemany("INSERT INTO films (id, title, year, franchise, instalment)"
                     " VALUES (?, ?, ?, ?, ?)", reader)
conn.execute("COMMIT")
"""


def big_median(
    argv: list[str], runs: int, before: Any = None, stdout: Path | None = None
) -> Timing:
    """Median of `runs` runs of a long command (the first through GNU time for its peak
    memory: for a run of seconds its overhead is noise); `before()` resets its target."""
    timings = []
    for run in range(runs):
        if before is not None:
            before()
        timings.append(run_once(argv, memory=run == 0, stdout=stdout))
    return Timing(statistics.median(t.seconds for t in timings), timings[0].peak_mib)


@contextlib.contextmanager
def running_server(db: Path) -> Iterator[tuple[str, int]]:
    """`tracker serve` on `db` at a free port, once it answers: (its base URL, its pid).
    Stopped on leaving."""
    import socket
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    argv = [*TRACKER, "--db", str(db), "--today", TODAY, "serve", "--port", str(port)]
    server = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"{base}/-/versions.json").read()
                break
            except OSError:
                time.sleep(0.1)
        yield base, server.pid
    finally:
        server.terminate()
        server.wait()


def served_calendar(db: Path, runs: int) -> Timing:
    """Median time of GET /calendar.ics?watchlist=watchlist from a running `tracker serve`
    (the server's start is not timed: a subscribed calendar polls a running server)."""
    import urllib.request

    with running_server(db) as (base, _):
        url = f"{base}/calendar.ics?watchlist=watchlist"
        urllib.request.urlopen(url).read()  # warm the page cache once
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            urllib.request.urlopen(url).read()
            timings.append(time.perf_counter() - started)
    return Timing(statistics.median(timings), 0.0)


def served_calendar_peak(db: Path) -> Timing:
    """Time of GET /calendar.ics (the whole calendar) from a running `tracker serve`, read
    and dropped a block at a time as a subscribing client would; the peak memory is the
    server's (VmHWM, its own high-water mark: start-up and every request so far)."""
    import urllib.request

    with running_server(db) as (base, pid):
        started = time.perf_counter()
        with urllib.request.urlopen(f"{base}/calendar.ics") as response:
            while response.read(1 << 16):
                pass
        elapsed = time.perf_counter() - started
        status = Path(f"/proc/{pid}/status").read_text()
        (peak_kib,) = (int(line.split()[1]) for line in status.splitlines()
                       if line.startswith("VmHWM:"))  # fmt: skip
    return Timing(elapsed, peak_kib / 1024)


def counts(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        found = {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in (
                "films",
                "releases",
                "status_events",
                "shoots",
                "shoot_films",
                "people",
                "credits",
                "watchlist_entries",
            )
        }
    finally:
        conn.close()
    return ", ".join(f"{count:,} {table}" for table, count in found.items())


def bench(
    runs: int, large_n: int, medium_n: int, small_n: int, big_runs: int
) -> tuple[list[Row], list[str]]:
    notes: list[str] = []
    small, medium, large = cached(small_n), cached(medium_n), cached(large_n)
    demo = demo_db()
    for name, path, size in (("1M", large, large_n), ("100k", medium, medium_n)):
        notes.append(f"the {name} database holds {counts(path)}")
        notes.append(f"bytes per film at {size:,} films: {path.stat().st_size / size:,.0f}")
    notes.append(f"the 1k database holds {counts(small)}")
    rows: list[Row] = []
    today = ["--today", TODAY]

    def on(path: Path, args: list[str]) -> list[str]:
        return [*TRACKER, "--db", str(path), *today, *args]

    def both(what: str, args: list[str], goal: float, extra: str = "") -> None:
        pair = paired(on(small, args), on(large, args), runs)
        rows.append(compare_pair(f"`{what}`: 1M vs 1k{extra}", pair, goal))
        notes.append(f"peak memory of `{what}` at 1M: {pair.b.peak_mib:.0f} MiB")

    for fmt in ([], ["--format", "json"]):
        suffix = " -f json" if fmt else ""
        both(f"upcoming --limit 50{suffix}", ["upcoming", "--limit", "50", *fmt], 1.2)
        both(
            f"upcoming --limit 50 --country US{suffix}",
            ["upcoming", "--limit", "50", "--country", "US", *fmt],
            1.2,
        )
    both("upcoming --franchise", ["upcoming", "--franchise", "Franchise 12", "--limit", "50"], 1.2)
    # One film in the middle of each database, named by title as a user would.
    for command in ("countdown", "history", "show", "timeline"):
        if not has_command(command):
            rows.append((f"`{command}` of one film: 1M vs 1k", NA, NA, "", "≤ 1.2×", ""))
            continue
        title_small, title_large = f"Film {small_n // 2}", f"Film {large_n // 2}"
        pair = paired(on(small, [command, title_small]), on(large, [command, title_large]), runs)
        rows.append(compare_pair(f"`{command}` of one film: 1M vs 1k", pair, 1.2))
        notes.append(f"peak memory of `{command}` of one film at 1M: {pair.b.peak_mib:.0f} MiB")
    # A search for one film's title, typed as a user would (issue 10).
    if has_command("search"):
        search = paired(
            on(small, ["search", f"film {small_n // 2}"]),
            on(large, ["search", f"film {large_n // 2}"]),
            runs,
        )
        rows.append(compare_pair("`search` of one film's title: 1M vs 1k", search, 1.2))
        notes.append(f"peak memory of `search` at 1M: {search.b.peak_mib:.0f} MiB")
    else:
        rows.append(("`search` of one film's title: 1M vs 1k", NA, NA, "", "≤ 1.2×", ""))
    # Not in the table: the 1,000-film watchlist at both sizes.
    if has_command("watchlist", "show"):
        both("watchlist show", ["watchlist", "show", "watchlist"], 1.2, " (extra)")
        both(
            "upcoming --watchlist watchlist",
            ["upcoming", "--watchlist", "watchlist", "--limit", "50"],
            1.2,
            " (extra)",
        )
        if has_command("serve"):
            a, b = served_calendar(small, runs), served_calendar(large, runs)
            what = "served `/calendar.ics?watchlist=watchlist` (1,000 films): 1M vs 1k"
            rows.append(compare(what, a, b, 1.5))
    # A week back: what the window holds, not the database.
    week_back = (datetime.date.fromisoformat(TODAY) - datetime.timedelta(days=7)).isoformat()
    both("changes --since a week back", ["changes", "--since", week_back], 1.5)
    # Listings with --limit: the first row costs the same at any size. (A film's own
    # listings, history, statuses, sources, timeline FILM, are per film: timed above.)
    year_back = (datetime.date.fromisoformat(TODAY) - datetime.timedelta(days=365)).isoformat()
    listings = (
        ["list"],
        ["delays"],
        ["clashes"],
        ["filming"],
        ["diary"],
        ["changes", "--since", year_back],
        ["shoot", "list"],
        ["shoot", "list", "--now"],
        ["watchlist", "show", "watchlist"],
        ["timeline"],
    )
    for listing in listings:
        words = list(itertools.takewhile(lambda word: not word.startswith("-"), listing))
        if "--limit" in help_text(*words[:2]):
            both(f"{' '.join(listing)} --limit 1", [*listing, "--limit", "1"], 1.2)

    catalogue_reports(rows, notes, on, medium, large, big_runs)

    baseline = [PYTHON, "-c", "import sqlite3"]
    version = paired(baseline, [*TRACKER, "--version"], runs * 2)
    rows.append(compare_pair("`tracker --version` vs `python -c 'import sqlite3'`", version, 1.5))
    for fmt in ([], ["--format", "json"]):
        demo_run = paired(baseline, on(demo, ["upcoming", *fmt]), runs * 2)
        label = "`upcoming` on the demo DB" + (" -f json" if fmt else "")
        rows.append(compare_pair(f"{label} vs `python -c 'import sqlite3'`", demo_run, 5))

    sql = median([str(BIN / "sqlite-utils"), "query", str(large), upcoming_sql(TODAY)], 3)
    ours = median([*TRACKER, "--db", str(large), *today, "upcoming", "--limit", "50"], runs)
    rows.append(compare("`upcoming --limit 50` at 1M vs `sqlite-utils query`", sql, ours, 0.5))

    with tempfile.TemporaryDirectory(dir=BENCH) as scratch:
        folder = Path(scratch)
        import_rows = (
            "`import csv films` (1M rows) vs `sqlite-utils insert --csv`",
            "`import csv films` (1M rows) vs csv + executemany",
        )
        if has_command("import", "csv", "films"):
            csv_file = films_csv(large, large_n)
            target = folder / "import.db"

            fresh = fresh_database(target)

            ours = big_median(
                [*TRACKER, "--db", str(target), "import", "csv", "films", str(csv_file)],
                big_runs,
                fresh,
            )
            log_rows = sqlite3.connect(target).execute("SELECT count(*) FROM undo_log").fetchone()
            notes.append(f"undo log after `import csv films` of 1M rows: {log_rows[0]} row(s)")
            utils = big_median(
                [str(BIN / "sqlite-utils"), "insert", str(target), "films", str(csv_file), "--csv"],
                big_runs,
                fresh,
            )
            bare = big_median(
                [PYTHON, "-c", BARE_IMPORT, str(csv_file), str(target)], big_runs, fresh
            )
            fresh()
            rows.append(compare(import_rows[0], utils, ours, 0.2))
            rows.append(compare(import_rows[1], bare, ours, 4))
            rows.append(_memory_row("peak memory of `import csv films` (1M rows)", ours))
            notes.append(
                f"peak memory of `sqlite-utils insert --csv`: {utils.peak_mib:.0f} MiB,"
                f" of csv + executemany: {bare.peak_mib:.0f} MiB"
            )
        else:
            rows.append((import_rows[0], NA, NA, "", "≤ 0.2×", ""))
            rows.append((import_rows[1], NA, NA, "", "≤ 4×", ""))
            rows.append(
                ("peak memory of `import csv films` (1M rows)", NA, "", "", "≤ 100 MiB", "")
            )
        export_row = "`export csv releases` (3M rows) vs `sqlite3 -csv`"
        if has_command("export", "csv", "releases"):
            out = folder / "releases.csv"
            ours = big_median(
                [*TRACKER, "--db", str(large), "export", "csv", "releases", "-o", str(out)],
                big_runs,
            )
            shell = shutil.which("sqlite3")
            if shell is None:
                rows.append((export_row, "skipped", ms(ours), "", "≤ 2×", "no sqlite3 shell"))
                notes.append(
                    "`sqlite3 -csv` not measured: no sqlite3 shell on PATH (Debian: apt-get"
                    " install sqlite3)"
                )
            else:
                # The same columns and order as the export, written to a file too.
                query = (
                    "SELECT film_id, country, type, date, announced, source, note"
                    " FROM releases ORDER BY id"
                )
                plain = big_median(
                    [shell, "-csv", "-header", str(large), query], big_runs, stdout=out
                )
                rows.append(compare(export_row, plain, ours, 2))
                notes.append(f"peak memory of `sqlite3 -csv`: {plain.peak_mib:.0f} MiB")
            rows.append(_memory_row("peak memory of `export csv releases` (3M rows)", ours))
        else:
            rows.append((export_row, NA, NA, "", "≤ 2×", ""))
            rows.append(
                ("peak memory of `export csv releases` (3M rows)", NA, "", "", "≤ 100 MiB", "")
            )
        exchange_rows(rows, notes, folder, large, big_runs)
        rows.append(tmdb_collection_row(folder, big_runs))
        rows.append(letterboxd_row(folder, big_runs))
    return rows, notes


def help_text(*words: str) -> str:
    result = subprocess.run(
        [*TRACKER, *words, "--help"], capture_output=True, text=True, check=False
    )
    return result.stdout if result.returncode == 0 else ""


def catalogue_reports(
    rows: list[Row], notes: list[str], on: Any, medium: Path, large: Path, big_runs: int
) -> None:
    """delays, clashes, filming, list and timeline over the whole catalogue: 1M vs 100k
    (linear is 10×), the reports against a full read of the history (`export csv releases`)
    on the same database, and their peak memory. As CSV, which streams: a table lines up
    every row first."""
    floor = big_median(on(large, ["export", "csv", "releases"]), big_runs)
    for command in (["delays"], ["clashes"], ["filming"], ["list"], ["timeline"], ["check"]):
        what = " ".join(command)
        if not has_command(*command):
            rows.append((f"`{what}`: 1M vs 100k", NA, NA, "", "≤ 12×", ""))
            continue
        argv = command if command == ["check"] else [*command, "--format", "csv"]
        pair = paired(on(medium, argv), on(large, argv), big_runs)
        if command == ["check"]:  # no goal in the issue: shown for the record
            notes.append(f"`check`: {ms(pair.a)} at 100k, {ms(pair.b)} at 1M")
            continue
        rows.append(compare_pair(f"`{what}`: 1M vs 100k", pair, 12))
        if command not in (["list"], ["timeline"]):  # listings, not reports on the history
            rows.append(compare(f"`{what}` vs `export csv releases` at 1M", floor, pair.b, 3))
        rows.append(_memory_row(f"peak memory of `{what}` at 1M", pair.b))


def exchange_rows(
    rows: list[Row], notes: list[str], folder: Path, large: Path, big_runs: int
) -> None:
    """export json against export csv of the same rows; export ics against export csv
    releases; import json against import csv of the same rows; undo of the json import
    against the import.

    The same rows: `export csv` writes films and releases only, while the 1M database's
    document also holds its statuses, shoots and credits (8.7M rows against 4M). So the
    export goal is timed on the database that the CSV path's own import builds (its films
    and releases, nothing else), both exports of it in turn; the whole database's export is
    timed too, for its peak memory (goal) and its time (a note). The import goal keeps the
    whole document against the CSV path's two files: the stricter of the two readings."""
    export = [*TRACKER, "--db", str(large), "export"]
    csv_out, json_out, ics_out = folder / "r.csv", folder / "all.json", folder / "all.ics"
    films_file = folder / "films.csv"
    csv_time = big_median([*export, "csv", "releases", "-o", str(csv_out)], big_runs)
    films_time = big_median([*export, "csv", "films", "-o", str(films_file)], big_runs)
    whole_csv = csv_time.seconds + films_time.seconds
    json_time = big_median([*export, "json", "-o", str(json_out)], big_runs)
    notes.append(
        f"`export json` of the whole 1M database (films, releases, statuses, shoots, credits"
        f" and people): {json_time.seconds:.1f} s,"
        f" {json_time.seconds / whole_csv:.2f}× `export csv films` + `releases` of it"
        f" ({whole_csv:.1f} s), {json_out.stat().st_size / 1e6:,.0f} MB"
    )
    rows.append(_memory_row("peak memory of `export json` at 1M (the whole database)", json_time))
    ics_time = big_median([*export, "ics", "-o", str(ics_out)], big_runs)
    rows.append(compare("`export ics` vs `export csv releases` at 1M", csv_time, ics_time, 10))
    rows.append(_memory_row("peak memory of `export ics` at 1M", ics_time))
    if has_command("serve"):
        served = served_calendar_peak(large)
        rows.append(_memory_row("peak memory of `serve` sending /calendar.ics at 1M", served))
        notes.append(f"served /calendar.ics at 1M (the whole calendar): {served.seconds:.1f} s")
    ics_out.unlink(missing_ok=True)

    target = folder / "json-import.db"

    fresh = fresh_database(target)

    into = [*TRACKER, "--db", str(target)]
    imported = big_median([*into, "import", "json", str(json_out)], big_runs, fresh)
    log_rows = sqlite3.connect(target).execute("SELECT count(*) FROM undo_log").fetchone()
    notes.append(f"undo log after `import json` of 1M films: {log_rows[0]} row(s)")
    undo = run_once([*into, "undo"])
    rows.append(compare("`undo` of `import json` vs the import, at 1M", imported, undo, 1))
    # The CSV path for the same rows: films, then releases, into an empty database.
    fresh()
    started = time.perf_counter()
    run_once([*into, "import", "csv", "films", str(films_file)], memory=False)
    run_once([*into, "import", "csv", "releases", str(csv_out)], memory=False)
    csv_import = Timing(time.perf_counter() - started, 0)
    rows.append(compare("`import json` vs `import csv` films + releases, at 1M", csv_import,
                        imported, 4))  # fmt: skip
    rows.append(_memory_row("peak memory of `import json` at 1M", imported))
    # Both exports of the rows the CSV path holds (that database, just built).
    same = [*into, "export"]
    csv_same = [
        big_median([*same, "csv", table, "-o", str(folder / f"same-{table}.csv")], big_runs)
        for table in ("films", "releases")
    ]
    json_same = big_median([*same, "json", "-o", str(json_out)], big_runs)
    rows.append(
        compare(
            "`export json` vs `export csv films` + `releases`, the same rows (1M films, 3M"
            " releases)",
            Timing(sum(timing.seconds for timing in csv_same), 0),
            json_same,
            3,
        )
    )
    rows.append(_memory_row("peak memory of `export json` of the same rows", json_same))
    fresh()


def collection_file(path: Path, parts: int, seed: int = 5) -> Path:
    """A TMDB /collection/{id} response with `parts` films, shuffled as TMDB lists them, one
    in 20 an unreleased placeholder without a date."""
    import json

    rng = random.Random(seed)
    first = datetime.date(1950, 1, 1)
    entries = [
        {
            "id": 10_000 + number,
            "title": f"Saga Part {number}",
            "original_title": f"Saga Part {number}",
            "media_type": "movie",
            "adult": False,
            "release_date": ""
            if number % 20 == 0
            else (first + datetime.timedelta(days=rng.randrange(27_000))).isoformat(),
        }
        for number in range(1, parts + 1)
    ]
    rng.shuffle(entries)
    body = {
        "id": 99,
        "name": "Saga Collection",
        "original_name": "Saga Collection",
        "parts": entries,
    }
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


def tmdb_collection_row(folder: Path, runs: int) -> Row:
    """`import tmdb` of a 1,000-part collection into a fresh database, and the same file
    again (every date unchanged)."""
    what = "`import tmdb` of a 1,000-part collection: fresh DB / again (unchanged)"
    if not has_command("import", "tmdb"):
        return (what, NA, NA, "", "", "")
    source = collection_file(folder / "collection.json", 1000)
    target = folder / "tmdb.db"

    fresh = fresh_database(target)

    argv = [*TRACKER, "--db", str(target), "--today", TODAY, "import", "tmdb", str(source)]
    first = big_median(argv, runs, fresh)
    again = big_median(argv, runs)
    return (what, ms(first), ms(again), f"{again.seconds / first.seconds:.2f}×", "", "")


def letterboxd_diary(path: Path, rows: int) -> Path:
    """A Letterboxd diary export of `rows` viewings of 2,500 films (some rewatched, tagged
    and rated), as tests/test_letterboxd.py builds it."""
    lines = ["Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date"]
    for number in range(rows):
        day = datetime.date(2015, 1, 1) + datetime.timedelta(days=number // 2)
        lines.append(
            f"{day},Film {number % 2500},{1950 + number % 2500 % 70},https://boxd.it/e{number},"
            f'{1 + number % 5},{"Yes" if number % 7 == 0 else ""},"a, b",{day}'
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def letterboxd_row(folder: Path, runs: int) -> Row:
    """Issue 12: a full real Letterboxd export of a few thousand rows imports in under 2 s
    (into a fresh database, the whole command)."""
    what = "`import letterboxd` of a 3,000-row diary into a fresh DB"
    if not has_command("import", "letterboxd"):
        return (what, "", NA, "", "≤ 2 s", "")
    source = letterboxd_diary(folder / "diary.csv", 3000)
    target = folder / "letterboxd.db"

    fresh = fresh_database(target)

    argv = [*TRACKER, "--db", str(target), "--today", TODAY, "import", "letterboxd", str(source)]
    took = big_median(argv, runs, fresh)
    fresh()
    return (what, "", ms(took), "", "≤ 2 s", "met" if took.seconds <= 2 else "missed")


def fresh_database(target: Path) -> Callable[[], None]:
    """What makes `target` a fresh database again before a timed import: no file (nor its
    write-ahead log)."""

    def fresh() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)

    return fresh


def _memory_row(what: str, timing: Timing) -> Row:
    peak = timing.peak_mib
    return (what, "", f"{peak:.0f} MiB", "", "≤ 100 MiB", "met" if peak <= 100 else "missed")


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return " (" + " ".join(line.split(":", 1)[1].split()) + ")"
    except OSError:
        pass
    return ""


def machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs{cpu_model()}, "
        f"{memory:.1f} GiB memory, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}"
    )


def table(
    rows: list[Row], runs: int, large_n: int, medium_n: int, small_n: int, big_runs: int
) -> str:
    lines = [
        f"Run {datetime.date.today().isoformat()} on {machine()}; "
        f"{large_n:,}, {medium_n:,} and {small_n:,} films; paired runs ({runs} pairs, fresh"
        f" process each; {big_runs} for whole-catalogue commands): a ratio is the median of"
        " the per-pair ratios (min–max).",
        "",
        "| what | baseline / 1k | tracker / 1M | ratio | goal | |",
        "|---|---|---|---|---|---|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--medium", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument(
        "--big-runs", type=int, default=3, help="runs of each 1M import and 3M export"
    )
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    options = parser.parse_args()
    if options.build_only:
        cached(options.small)
        cached(options.medium)
        cached(options.large)
        return
    sizes = (options.large, options.medium, options.small)
    rows, notes = bench(options.runs, *sizes, options.big_runs)
    text = table(rows, options.runs, *sizes, options.big_runs)
    text += "\n\n" + "\n".join(f"- {note}" for note in notes)
    print(text)
    if options.write:
        _write(text)


START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def _write(text: str) -> None:
    doc = ROOT / "docs" / "benchmarks.md"
    current = doc.read_text(encoding="utf-8") if doc.exists() else f"{START}\n{END}\n"
    head, _, rest = current.partition(START)
    _, _, tail = rest.partition(END)
    doc.write_text(f"{head}{START}\n{text}\n{END}{tail}", encoding="utf-8")
    print(f"wrote {doc}", file=sys.stderr)


if __name__ == "__main__":
    main()
