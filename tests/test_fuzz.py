"""Hypothesis drives the CLI with arbitrary text: every run ends in exit 0, 1 or 2 without a
traceback, and the database stays sound. Every user value reaches SQLite as a parameter."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tracker.cli import app

TEXT = st.one_of(
    st.text(max_size=30),
    st.just(""),
    st.text(alphabet=st.characters(max_codepoint=31), max_size=5),
    st.text(min_size=490, max_size=520),
    st.sampled_from(["Dune", "dune", "#1", "Dune (2021)", "Dune 2", "TBA", "US", "--help"]),
)
DATES = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["2021-11-19", "2026-07", "Q3 2026", "2026", "TBA", "2021-02-30", "0000"]),
)
COUNTRIES = st.one_of(st.text(max_size=12), st.sampled_from(["US", "gb", "France", "XX", "UAE"]))
TYPES = st.one_of(st.text(max_size=12), st.sampled_from(["theatrical", "DIGITAL", "tv", "blu"]))
NUMBERS = st.one_of(st.integers(-10, 3000).map(str), st.text(max_size=6))


@st.composite
def commands(draw: st.DrawFn) -> list[str]:
    kind = draw(st.sampled_from(["add", "release", "upcoming", "film", "edit", "status", "undo"]))
    if kind == "undo":
        return ["undo"]
    if kind == "add":
        args = ["add", draw(TEXT)]
        for option, values in (
            ("--year", NUMBERS),
            ("--release", DATES),
            ("--country", COUNTRIES),
            ("--type", TYPES),
            ("--franchise", TEXT),
            ("--alias", TEXT),
        ):
            if draw(st.booleans()):
                args += [option, draw(values)]
        return args
    if kind == "release":
        args = ["release", draw(TEXT), draw(DATES)]
        if draw(st.booleans()):
            args += ["--country", draw(COUNTRIES)]
        if draw(st.booleans()):
            args += ["--announced", draw(DATES)]
        if draw(st.booleans()):
            args += ["--type", draw(TYPES), "--note", draw(TEXT)]
        return args
    if kind == "upcoming":
        args = ["upcoming"]
        for option, values in (
            ("--days", NUMBERS),
            ("--limit", NUMBERS),
            ("--country", COUNTRIES),
            ("--type", TYPES),
            ("--franchise", TEXT),
            ("--format", st.sampled_from(["json", "csv", "table", "xml", ""])),
            ("--tablefmt", TEXT),
        ):
            if draw(st.booleans()):
                args += [option, draw(values)]
        return args
    if kind == "edit":
        return ["edit", draw(TEXT), "--title", draw(TEXT), "--year", draw(NUMBERS)]
    if kind == "status":
        return ["status", draw(TEXT), draw(TEXT), "--on", draw(DATES)]
    sub = draw(st.sampled_from(["show", "countdown", "history", "remove"]))
    return [sub, draw(TEXT)]


def sound(db: Path) -> None:
    if not db.exists():
        return
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(commands(), min_size=1, max_size=4))
def test_any_input_gives_an_answer_or_one_error(isolated: Path, script: list[list[str]]) -> None:
    runner = CliRunner()
    for args in script:
        result = runner.invoke(app, args)
        assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.exception)
        if result.exception is not None:
            assert isinstance(result.exception, SystemExit), (args, repr(result.exception))
        assert "Traceback" not in result.stdout + result.stderr, args
        if result.exit_code == 1:
            lines = result.stderr.strip().splitlines()
            assert lines and lines[-1].startswith("Error: "), (args, result.stderr)
    sound(isolated)
    check = runner.invoke(app, ["check"])
    assert check.exit_code == 0, check.stdout


# Every value as a parameter ------------------------------------------------------------------

MARK = "zq'\"; DROP TABLE films; --"


class Recorder(sqlite3.Connection):
    seen: list[str] = []

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:  # type: ignore[override]
        Recorder.seen.append(sql)
        return super().execute(sql, *args)

    def executemany(self, sql: str, *args: Any) -> sqlite3.Cursor:  # type: ignore[override]
        Recorder.seen.append(sql)
        return super().executemany(sql, *args)


def test_user_values_never_become_sql_text(monkeypatch: pytest.MonkeyPatch) -> None:
    real_connect = sqlite3.connect
    monkeypatch.setattr(
        "tracker.store.connection.sqlite3.connect",
        lambda *args, **kwargs: real_connect(*args, factory=Recorder, **kwargs),
    )
    runner = CliRunner()
    title = f"Film {MARK}"
    for args in (
        ["add", title, "--franchise", MARK, "--alias", MARK, "--release", "2021-05"],
        ["release", title, "2021-06", "--note", MARK, "--source", MARK],
        ["edit", title, "--title", f"{title}!"],
        ["upcoming", "--franchise", MARK],
        ["list", "--franchise", MARK],
        ["show", MARK],
        ["history", f"{title}!"],
        ["countdown", MARK[:6]],
        ["upcoming", "--country", MARK],
        ["upcoming", "--type", MARK],
        ["list", "--status", MARK],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code in (0, 1), (args, result.stderr)
    assert Recorder.seen, "the recorder saw no SQL"
    assert not [sql for sql in Recorder.seen if "zq" in sql]
    assert runner.invoke(app, ["check"]).exit_code == 0


@pytest.mark.parametrize(
    ("args", "valid"),
    [
        (["upcoming", "--type", "theatrical; DROP TABLE films"], "premiere, limited, theatrical"),
        (["list", "--status", "id DESC"], "rumored, announced"),
        (["upcoming", "--format", "sql"], None),
    ],
)
def test_chosen_names_are_checked_against_fixed_lists(args: list[str], valid: str | None) -> None:
    result = CliRunner().invoke(app, args)
    if valid is None:
        assert result.exit_code == 1  # an Enum option: the usage error lists the choices
        assert "table" in result.stderr and "json" in result.stderr
    else:
        assert result.exit_code == 1
        assert valid in result.stderr


# Hostile inputs, as real processes (issue 11, finding 5) -------------------------------------


def tracker(*args: str | bytes, **options: Any) -> subprocess.CompletedProcess[bytes]:
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **options}
    return subprocess.run([sys.executable, "-m", "tracker", *args], timeout=120, **streams)


def one_error(result: subprocess.CompletedProcess[bytes]) -> str:
    assert result.returncode == 1, result
    assert b"Traceback" not in (result.stdout or b"") + result.stderr, result.stderr
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


@pytest.mark.parametrize(
    ("args", "answer"),
    [
        (["show", "#99999999999999999999"], "Error: no film #99999999999999999999"),
        (["history", "#18446744073709551616"], "Error: no film #18446744073709551616"),
        (["upcoming", "--days", "2147483648"], None),
        (["upcoming", "--days", "3000000"], None),
        (["--today", "9999-12-31", "upcoming", "--days", "1"], None),
    ],
)
def test_numbers_out_of_range_answer_without_a_traceback(
    demo: Any, args: list[str], answer: str | None
) -> None:
    result = tracker(*args)
    if answer is None:
        assert result.returncode == 0 and result.stderr == b"", result
    else:
        assert one_error(result) == answer


@pytest.mark.parametrize("command", [["show"], ["add"], ["list", "--franchise"], ["--db"]])
def test_arguments_that_are_not_utf8_are_one_error(demo: Any, command: list[str]) -> None:
    line = one_error(tracker(*command, b"Bad\xffname"))
    assert line == f"Error: argument {len(command) + 1} is not valid UTF-8 text"


def test_output_a_terminal_cannot_encode_is_escaped(demo: Any) -> None:
    result = tracker("list", env={**os.environ, "PYTHONIOENCODING": "latin-1"})
    assert result.returncode == 0, result.stderr
    assert b"Mission: Impossible \\u2013 Fallout" in result.stdout


@pytest.mark.parametrize("command", [["list"], ["export", "json"], ["show", "#1"]])
def test_a_full_disk_is_one_error(demo: Any, command: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        result = tracker(*command, stdout=full)
    assert "No space left on device" in one_error(result)


READERS = [
    ["list"], ["show", "#7"], ["upcoming"], ["countdown", "#8"], ["history", "#7"],
    ["timeline", "#7"], ["delays"], ["clashes"], ["filming"], ["changes", "--since", "2000"],
    ["watchlist", "show", "watchlist"], ["watchlist", "list"], ["diary"], ["sources", "#7"],
    ["shoot", "list"], ["person", "Tom Cruise"], ["check"], ["--help"], ["--version"],
    ["export", "json"], ["export", "csv", "releases"], ["export", "ics"],
    ["export", "letterboxd", "-w", "watchlist"], ["list", "-f", "json"], ["upcoming", "-f", "csv"],
]  # fmt: skip


def test_a_closed_pipe_ends_every_command_silently(demo: Any) -> None:
    processes = []
    for command in READERS:
        process = subprocess.Popen(
            [sys.executable, "-m", "tracker", *command],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert process.stdout is not None
        process.stdout.close()  # the reader is gone before the first line is written
        processes.append((command, process))
    for command, process in processes:
        _, errors = process.communicate(timeout=120)
        assert (command, process.returncode, errors) == (command, 0, b"")


def test_long_and_unreadable_paths_are_one_error(demo: Any, tmp_path: Path) -> None:
    assert "too long" in one_error(tracker("backup", str(tmp_path / ("b" * 300))))
    assert "Input/output error" in one_error(tracker("import", "csv", "films", "/proc/self/mem"))
    assert "Input/output error" in one_error(tracker("import", "json", "/proc/self/mem"))
