"""Every command explains itself and shows an example."""

from __future__ import annotations

from collections.abc import Iterator

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
