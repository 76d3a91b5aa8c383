"""Every command explains itself and shows an example."""

from __future__ import annotations

import importlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


def _entries() -> Iterator[tuple[tuple[str, ...], str]]:
    from tracker.cli.registry import COMMANDS, Group

    for name, entry in COMMANDS.items():
        if isinstance(entry, Group):
            yield from (((name, sub), target) for sub, target in entry.commands.items())
        else:
            yield (name,), entry


def test_the_registry_names_every_command_function_once() -> None:
    import importlib
    import inspect

    registered = [target for _, target in _entries()]
    assert len(registered) == len(set(registered))
    for target in registered:
        module_name, _, function_name = target.partition(".")
        found = getattr(importlib.import_module(f"tracker.cli.{module_name}"), function_name)
        assert callable(found), target
    # A function written as a command (its help has an example) but left out is found here.
    modules = Path(__file__).resolve().parent.parent / "tracker" / "cli"
    defined = set()
    for path in sorted(modules.glob("*.py")):
        module = importlib.import_module(f"tracker.cli.{path.stem}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module.__name__ and "Example: tracker" in (
                function.__doc__ or ""
            ):
                defined.add(f"{path.stem}.{name}")
    assert defined - {"root.root"} == set(registered)  # the root callback is no command


def test_the_whole_cli_is_what_the_registry_says() -> None:
    whole = get_command(app)
    assert isinstance(whole, typer.core.TyperGroup)
    assert [path for path, _ in _commands(whole)] == [path for path, _ in _entries()]


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
    assert wrong.returncode == 1 and "upcoming" in wrong.stderr
    assert wrong.stderr.startswith("Error: ") and wrong.stderr.count("\n") == 1


def test_a_command_builds_only_itself(tmp_path: Path) -> None:
    import subprocess
    import sys

    from tracker.cli import LazyCommands

    code = (
        "import sys\n"
        "from tracker.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(name for name in sys.modules if name.startswith('tracker.cli.')))\n"
    )
    from tracker.store import open_store

    open_store(tmp_path / "t.db").close()  # a read command needs a database
    argv = ["--db", str(tmp_path / "t.db"), "--today", "2020-10-15", "watchlist", "list"]
    done = subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    *output, modules = done.stdout.strip().splitlines()
    assert "watchlist" in output[-1]  # the default list, as `watchlist list` shows it
    assert modules == str(
        ["tracker.cli.common", "tracker.cli.registry", "tracker.cli.root", "tracker.cli.watchlists"]
    )
    lazy = LazyCommands({"one": "films.add", "two": "films.edit"})
    assert list(lazy) == ["one", "two"] and lazy.built == {}
    assert lazy["two"].name == "two" and list(lazy.built) == ["two"]


def test_the_architecture_page_names_every_command_and_what_it_calls() -> None:
    import ast
    import re

    root = Path(__file__).resolve().parent.parent
    page = (root / "docs" / "architecture.md").read_text(encoding="utf-8")
    table = page.split("## Every command in one step", 1)[1]
    rows = re.findall(r"^\| `([^`]+)` \| `([^`]+)` \| `([^`]+)` \|$", table, flags=re.M)
    assert [(tuple(command.split()), cli) for command, cli, _ in rows] == list(_entries())
    for command, cli, library in rows:
        module, name = library.rsplit(".", 1)
        source = (root / "tracker" / "cli" / f"{cli.split('.')[0]}.py").read_text()
        imported = {
            (node.module, alias.name)
            for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.ImportFrom)
            for alias in node.names
        }
        assert (f"tracker.{module}", name) in imported, command


def test_the_serve_help_names_the_extra_to_install(run: Run) -> None:
    assert "pip install 'tracker[serve]'" in " ".join(run("serve", "--help").stdout.split())


def test_an_unknown_table_style_is_an_error_naming_the_styles(demo: Run) -> None:
    message = demo.error("list", "--tablefmt", "grd")
    assert message.startswith("Error: unknown --tablefmt 'grd'; did you mean grid?")
    assert demo("list", "--tablefmt", "GRID").stdout == demo("list", "--tablefmt", "grid").stdout


def test_a_record_takes_the_table_style_asked_for(demo: Run) -> None:
    plain = demo("show", "#1").stdout
    assert plain.splitlines()[0].split() == ["field", "value"]  # no rule: the default
    grid = demo("show", "#1", "--tablefmt", "grid").stdout
    assert grid.startswith("+---") and "| field " in grid.splitlines()[1]


def test_an_empty_today_is_an_error_not_the_real_today(demo: Run) -> None:
    assert demo.error("--today", "", "list") == (
        "Error: --today needs a day (YYYY-MM-DD), not an empty text"
    )


def test_run_as_a_module_it_is_still_named_tracker(tmp_path: Path) -> None:
    """`python -m tracker`: undo and info name the command `add ...`, not `-m tracker add`;
    help and errors say `tracker` (audit 2, item 15)."""
    import subprocess
    import sys

    env = {**os.environ, "TRACKER_DB": str(tmp_path / "t.db"), "TRACKER_TODAY": "2020-10-15"}

    def module(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "tracker", *args],
            capture_output=True, text=True, env=env, check=False,
        )  # fmt: skip

    module("add", "Via module")
    assert json.loads(module("info", "-f", "json").stdout)["last_change"] == 'add "Via module"'
    assert module("undo").stdout.startswith('Undid: add "Via module"')
    assert "(see 'tracker list --help')" in module("list", "--frob").stderr
    assert "Usage: tracker list" in module("list", "--help").stdout


def test_the_command_lists_show_each_summary_on_one_line(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A docstring's first paragraph spans lines; the list of commands shows it as one line
    (Typer's rich help kept the breaks: "... external ids (an" / "empty id removes it)")."""
    import inspect

    from tracker.cli.registry import COMMANDS, Group

    monkeypatch.setenv("COLUMNS", "2000")
    for group, entries in [((), COMMANDS), *(((n,), e.commands) for n, e in _groups())]:
        shown = run(*group, "--help").stdout
        for name, entry in entries.items():
            if isinstance(entry, Group):
                continue
            module, _, function = entry.partition(".")
            doc = getattr(importlib.import_module(f"tracker.cli.{module}"), function).__doc__
            first = " ".join(inspect.cleandoc(doc).split("\n\n")[0].split()).replace("\\[", "[")
            assert f" {name} " in shown and f" {first} " in shown, (group, name)


def test_a_help_paragraph_is_wrapped_to_the_terminal_not_to_the_source(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Typer's rich help keeps the line breaks of a docstring's later paragraphs: at 80
    columns `delays --help` printed "... total_shift_days is" / "the days of" / "every move
    summed ...". Each paragraph is one line for Typer to wrap."""
    root = get_command(app)
    assert isinstance(root, typer.core.TyperGroup)
    for path, command in _commands(root):
        for paragraph in (command.help or "").split("\n\n"):
            assert "\n" not in paragraph, path
    monkeypatch.setenv("COLUMNS", "80")
    shown = [line.strip() for line in run("delays", "--help").stdout.splitlines()]
    assert "the days of every move summed, longest_shift_days the longest move." in shown


def _groups() -> Iterator[tuple[str, Any]]:
    from tracker.cli.registry import COMMANDS, Group

    return ((name, entry) for name, entry in COMMANDS.items() if isinstance(entry, Group))


# Options named alike that mean something else, or commands whose short forms are taken
# by other options (amend takes every kind's options; -r is its --rating).
OTHER_MEANING = {("import letterboxd", "--kind"), ("sync", "--source")}
OWN_SHORTS = {"amend"}


def test_an_option_has_one_short_form_across_commands() -> None:
    """`upcoming -d 30` and `export ics -d 30` alike: a long option has the same short form
    (or none) wherever it means the same."""
    root = get_command(app)
    assert isinstance(root, typer.core.TyperGroup)
    shorts: dict[str, dict[str, set[str]]] = {}
    for path, command in _commands(root):
        name = " ".join(path)
        if name in OWN_SHORTS:
            continue
        for param in command.params:
            longs = [o for o in param.opts if o.startswith("--")]
            if param.param_type_name != "option" or not longs or (name, longs[0]) in OTHER_MEANING:
                continue
            short = ",".join(sorted(o for o in param.opts if not o.startswith("--")))
            shorts.setdefault(longs[0], {}).setdefault(short, set()).add(name)
    mixed = {option: forms for option, forms in shorts.items() if len(forms) > 1}
    assert mixed == {}
