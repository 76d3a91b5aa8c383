"""Every command explains itself and shows an example."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.main import get_command

from tests.conftest import Run
from tracker.cli import app


def _commands(
    group: typer.core.TyperGroup, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], typer.core.TyperCommand]]:
    for name, command in group.commands.items():
        if isinstance(command, typer.core.TyperGroup):
            yield from _commands(command, (*prefix, name))
        else:
            yield (*prefix, name), command


def test_every_command_has_help_with_an_example(run: Run) -> None:
    root = get_command(app)
    assert isinstance(root, typer.core.TyperGroup)
    commands = list(_commands(root))
    assert len(commands) >= 10
    for path, command in commands:
        assert command.help and "Example: tracker" in command.help, path
        assert run(*path, "--help").exit_code == 0


def test_every_command_is_found_where_main_looks_for_it() -> None:
    from tracker.cli import COMMAND_MODULES, build_app

    whole = get_command(app)
    assert isinstance(whole, typer.core.TyperGroup)
    assert set(whole.commands) == set(COMMAND_MODULES)
    for name in COMMAND_MODULES:
        lean = get_command(build_app(name))
        assert isinstance(lean, typer.core.TyperGroup)
        assert name in lean.commands
        assert lean.commands[name].help == whole.commands[name].help


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["upcoming", "--limit", "5"], "upcoming"),
        (["--db", "x.db", "--today", "2020-10-15", "show", "#1"], "show"),
        (["--db=x.db", "list"], "list"),
        (["--help", "list"], None),
        (["--version"], None),
        ([], None),
    ],
)
def test_main_reads_the_command_from_the_arguments(argv: list[str], expected: str | None) -> None:
    from tracker.cli import command_in

    assert command_in(argv) == expected


def test_the_installed_command_runs_a_lean_app(tmp_path: Path) -> None:
    import subprocess
    import sys

    env = {**os.environ, "TRACKER_DB": str(tmp_path / "t.db"), "TRACKER_TODAY": "2020-10-15"}
    done = subprocess.run(
        [sys.executable, "-m", "tracker", "add", "Dune", "--year", "2021"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert (done.returncode, done.stdout.strip()) == (0, "#1")
    wrong = subprocess.run(
        [sys.executable, "-m", "tracker", "upcomming"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert wrong.returncode == 2 and "upcoming" in wrong.stderr
