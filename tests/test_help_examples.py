"""Every command's help example runs, as a newcomer would type it, on the demo database."""

from __future__ import annotations

import shlex
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.main import get_command
from typer.testing import CliRunner

from tests.conftest import DEMO, Run
from tracker.cli import app

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The day a newcomer runs the examples on (the demo's story is over by then).
NOW = "2026-01-01"
# What an example needs that the demo database does not hold: commands run first.
SETUP: dict[tuple[str, ...], list[list[str]]] = {
    ("import", "json"): [["export", "json", "-o", "backup.json"]],
    ("merge",): [["add", "MI7 Dead Reckoning", "--year", "2023"]],
    ("import", "csv"): [["export", "csv", "films", "-o", "films.csv"]],
    ("watchlist", "rename"): [["watchlist", "create", "summer"]],
    ("watchlist", "delete"): [["watchlist", "create", "summer"]],
    ("watchlist", "add"): [["watchlist", "create", "summer"]],
    ("watchlist", "remove"): [
        ["watchlist", "create", "summer"],
        ["watchlist", "add", "summer", "#7"],
    ],
}
# Examples of what only the user's own data holds, which may well be empty.
MAY_FIND_NOTHING = {("diary",), ("changes",), ("watchlist", "show"), ("clashes",)}
# Examples that need the network or run until stopped.
NOT_RUN = {("fetch", "tmdb"), ("fetch", "wikidata"), ("sync",), ("serve",)}


def _commands(
    group: typer.core.TyperGroup, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], typer.core.TyperCommand]]:
    for name, command in group.commands.items():
        if isinstance(command, typer.core.TyperGroup):
            yield from _commands(command, (*prefix, name))
        else:
            yield (*prefix, name), command


def _examples() -> list[tuple[tuple[str, ...], str]]:
    root = get_command(app)
    assert isinstance(root, typer.core.TyperGroup)
    found = []
    for path, command in _commands(root):
        for line in (command.help or "").splitlines():
            if line.strip().startswith("Example: tracker "):
                found.append((path, line.strip().removeprefix("Example: tracker ")))
    return found


EXAMPLES = _examples()


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory: pytest.TempPathFactory, blank_database: Path) -> Path:
    path = tmp_path_factory.mktemp("examples") / "demo.db"
    shutil.copyfile(blank_database, path)
    result = CliRunner().invoke(app, ["--db", str(path), "import", "json", str(DEMO)])
    assert result.exit_code == 0, result.stderr
    return path


def test_every_command_has_an_example_here() -> None:
    assert len({path for path, _ in EXAMPLES}) >= 50


@pytest.mark.parametrize(("path", "example"), EXAMPLES, ids=[" ".join(p) for p, _ in EXAMPLES])
def test_the_help_example_runs_on_the_demo_database(
    path: tuple[str, ...],
    example: str,
    demo_database: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    run: Run,
) -> None:
    if path in NOT_RUN:
        pytest.skip("needs the network or runs until stopped")
    (tmp_path / "data").mkdir()
    db = tmp_path / "data" / "tracker.db"  # where the info example names it
    shutil.copyfile(demo_database, db)
    for fixture in ("tmdb/movie-47964.json", "tmdb/movie-47964-release_dates.json"):
        shutil.copy(FIXTURES / fixture, tmp_path)
    shutil.copy(FIXTURES / "wikidata" / "Q2262932.json", tmp_path)
    (tmp_path / "letterboxd-export").mkdir()
    (tmp_path / "letterboxd-export" / "diary.csv").write_text(
        "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\r\n"
        "2023-07-13,Mission: Impossible – Dead Reckoning Part One,2023,https://boxd.it/x,4,,,"
        "2023-07-12\r\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TRACKER_DB", str(db))
    monkeypatch.setenv("TRACKER_TODAY", NOW)
    for step in SETUP.get(path, []):
        run(*step)
    out = run(*shlex.split(example)).stdout
    if path not in MAY_FIND_NOTHING:  # an example finding nothing shows nothing
        assert not out.startswith("No "), out
