"""Fixtures: every test gets its own database and a fixed today; nothing touches data/."""

from __future__ import annotations

import datetime
import functools
import json
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from tracker.cli import app
from tracker.store import Store, connect, memory_store, open_store

# No per-example time limit (a loaded CI machine is not a bug), and fixed examples under CI so
# a red run can be reproduced.
settings.register_profile("tracker", deadline=None, derandomize=bool(os.environ.get("CI")))
settings.load_profile("tracker")

TODAY = "2020-10-15"
DEMO = Path(__file__).resolve().parent.parent / "data" / "demo.json"


@pytest.fixture(scope="session")
def blank_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new, empty tracker database, made once: copying it is much faster than migrating."""
    path = tmp_path_factory.mktemp("template") / "tracker.db"
    open_store(path).close()
    return path


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, blank_database: Path) -> Path:
    """TRACKER_DB: an empty tracker database of the test's own (read commands refuse to run
    on a missing one; tests of that remove it first)."""
    db = tmp_path / "tracker.db"
    shutil.copyfile(blank_database, db)
    monkeypatch.setenv("TRACKER_DB", str(db))
    monkeypatch.setenv("TRACKER_TODAY", TODAY)
    return db


@functools.cache
def _migrated_in_memory() -> Store:
    return memory_store()


def blank_memory_store() -> Store:
    """A new, empty in-memory tracker database: a copy of one migrated once (migrating
    takes tens of milliseconds, which a hypothesis test would pay for every example)."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    _migrated_in_memory().conn.backup(conn)
    return connect(conn)


@pytest.fixture
def store() -> Iterator[Store]:
    opened = blank_memory_store()
    yield opened
    opened.close()


@pytest.fixture
def today() -> datetime.date:
    return datetime.date.fromisoformat(TODAY)


class Run:
    """Runs the real CLI; `json()` parses --format json output."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, code: int = 0) -> Any:
        result = self.runner.invoke(app, list(args))
        assert result.exit_code == code, (
            f"exit {result.exit_code} != {code}\nstdout: {result.stdout}\n"
            f"stderr: {result.stderr}\n{result.exception!r}"
        )
        return result

    def json(self, *args: str) -> Any:
        return json.loads(self(*args, "--format", "json").stdout)

    def error(self, *args: str) -> str:
        """Run a command that must fail as a user error; return its one stderr line."""
        result = self(*args, code=1)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith("Error: "), lines[0]
        assert "Traceback" not in result.stdout + result.stderr
        return lines[0]


@pytest.fixture
def run() -> Run:
    return Run()


@pytest.fixture
def demo(run: Run) -> Run:
    """The CLI over a database loaded with the demo dataset."""
    run("import", "json", str(DEMO))
    return run


DbFile = Callable[[], bytes]


@pytest.fixture
def db_bytes(isolated: Path) -> DbFile:
    return lambda: isolated.read_bytes() if isolated.exists() else b""
