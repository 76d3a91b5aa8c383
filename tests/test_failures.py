"""Concurrency, crashes and bad files: nothing is lost, nothing half-written, one clear error."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import DEMO, Run

PYTHON = sys.executable

# A worker process: runs the real CLI entry point for each command, in turn, each with its
# own connection (as separate `tracker` processes would), once every worker is ready.
WORKER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from tracker.cli import app

    worker, go = sys.argv[1], Path(sys.argv[2])
    while not go.exists():
        time.sleep(0.005)
    failures = []
    for n in range(25):
        title = f"Worker {worker} film {n}"
        for args in (["add", title], ["release", title, f"2021-{n % 12 + 1:02d}", "-c", "US"]):
            try:
                app(args, prog_name="tracker")
            except SystemExit as done:
                if done.code not in (0, None):
                    failures.append((args, done.code))
    print("FAILED", failures, file=sys.stderr) if failures else None
    sys.exit(1 if failures else 0)
    """
)


def test_four_processes_writing_at_once_lose_nothing(tmp_path: Path, isolated: Path) -> None:
    Run()("list")  # create and migrate the database first
    go = tmp_path / "go"
    workers = [
        subprocess.Popen(
            [PYTHON, "-c", WORKER, str(worker), str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for worker in range(4)
    ]
    time.sleep(0.3)  # let every worker import and wait at the start line
    go.touch()
    outputs = [worker.communicate(timeout=120) for worker in workers]
    for worker, (out, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, err
        assert "locked" not in out + err
    conn = sqlite3.connect(isolated)
    assert conn.execute("SELECT count(*) FROM films").fetchone()[0] == 100
    assert conn.execute("SELECT count(*) FROM releases").fetchone()[0] == 100
    per_worker = conn.execute(
        "SELECT substr(title, 1, 8), count(*) FROM films GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert per_worker == [(f"Worker {n}", 25) for n in range(4)]
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_separate_tracker_processes_write_at_once(isolated: Path) -> None:
    Run()("list")
    processes = [
        subprocess.Popen(
            [PYTHON, "-m", "tracker", "add", f"Process {n}", "--release", "2021-05"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    ]
    for process in processes:
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
        assert "locked" not in err
    conn = sqlite3.connect(isolated)
    assert conn.execute("SELECT count(*) FROM releases").fetchone()[0] == 4


# Crash --------------------------------------------------------------------------------------


def big_export(path: Path, films: int) -> None:
    document = {
        "format": "tracker",
        "version": 1,
        "films": [
            {
                "title": f"Crash test film {n}",
                "year": 1990 + n % 40,
                "aliases": [f"Crash alias {n}"],
                "statuses": [{"status": "announced", "on": "2019-01-01"}],
                "releases": [
                    {"country": "US", "type": "theatrical", "date": "2021-05", "announced": "2019"},
                    {"country": "GB", "type": "digital", "date": "2021-Q3", "announced": "2020"},
                ],
            }
            for n in range(films)
        ],
    }
    path.write_text(json.dumps(document), encoding="utf-8")


def test_an_import_killed_part_way_leaves_nothing_and_can_run_again(
    tmp_path: Path, isolated: Path
) -> None:
    run = Run()
    run("add", "Already here")
    source = tmp_path / "big.json"
    big_export(source, 6000)
    wal = Path(f"{isolated}-wal")
    process = subprocess.Popen(
        [PYTHON, "-m", "tracker", "import", "json", str(source)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    # The import is one transaction: once its pages spill into the WAL it is mid-way.
    deadline = time.monotonic() + 60
    while not (wal.exists() and wal.stat().st_size > 256 * 1024):
        assert process.poll() is None, "the import finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.002)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL

    conn = sqlite3.connect(isolated)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT title FROM films").fetchall() == [("Already here",)]
    assert conn.execute("SELECT count(*) FROM releases").fetchone()[0] == 0
    conn.close()
    again = subprocess.run(
        [PYTHON, "-m", "tracker", "import", "json", str(source)], capture_output=True, text=True
    )
    assert again.returncode == 0, again.stderr
    assert "Imported 6000 films" in again.stdout
    titles = {film["title"] for film in run.json("list")}
    assert len(titles) == 6001 and "Crash test film 5999" in titles


# Bad files ----------------------------------------------------------------------------------


def assert_refused(run: Run, path: Path, *args: str, mentions: str) -> None:
    before = path.read_bytes() if path.is_file() else None
    line = run.error("--db", str(path), *args)
    assert mentions in line
    if before is not None:
        assert path.read_bytes() == before


@pytest.fixture
def good_db(tmp_path: Path, run: Run) -> Path:
    path = tmp_path / "good.db"
    run("--db", str(path), "import", "json", str(DEMO))
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path: Path, run: Run) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my shopping list\n" * 100)
    assert_refused(run, notes, "list", mentions="not a SQLite database")
    assert_refused(run, notes, "add", "X", mentions="not a SQLite database")


def test_a_truncated_database_is_refused_untouched(tmp_path: Path, run: Run, good_db: Path) -> None:
    data = good_db.read_bytes()
    truncated = tmp_path / "truncated.db"
    truncated.write_bytes(data[: len(data) // 2])
    assert_refused(run, truncated, "list", mentions="damaged")
    assert_refused(run, truncated, "add", "X", mentions="damaged")


@pytest.fixture
def read_only_db(good_db: Path) -> Iterator[Path]:
    """A database the process cannot write: chmod, and for root (who ignores file modes)
    the immutable attribute."""
    good_db.chmod(0o444)
    immutable = False
    if os.geteuid() == 0:
        immutable = (
            subprocess.run(["chattr", "+i", str(good_db)], capture_output=True).returncode == 0
        )
        if not immutable:
            pytest.skip("running as root on a file system without chattr +i")
    yield good_db
    if immutable:
        subprocess.run(["chattr", "-i", str(good_db)], check=True)
    good_db.chmod(0o644)


def test_a_read_only_database_can_be_read_but_not_written(run: Run, read_only_db: Path) -> None:
    before = read_only_db.read_bytes()
    listed = run.json("--db", str(read_only_db), "list")
    assert len(listed) == 8
    assert_refused(run, read_only_db, "add", "X", mentions="readonly")
    assert read_only_db.read_bytes() == before


def test_a_database_in_a_folder_that_cannot_be_created(tmp_path: Path, run: Run) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    line = run.error("--db", str(blocker / "sub" / "tracker.db"), "add", "Dune")
    assert "cannot create the folder" in line
    assert blocker.read_text() == "not a folder"


def test_a_database_from_a_newer_version_is_refused_untouched(run: Run, good_db: Path) -> None:
    conn = sqlite3.connect(good_db)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
        " VALUES ('tracker', 'm999_from_the_future', '2030-01-01')"
    )
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    assert_refused(run, good_db, "list", mentions="newer version of tracker")
    assert_refused(run, good_db, "add", "X", mentions="newer version of tracker")
