"""Mistakes click catches (unknown options, bad or missing values) and long user text in
error lines: one `Error:` line on stderr, exit 1, as every other mistake (audit 2, items 7
and 20h)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import Run
from tracker.cli.root import LINE_LIMIT, QUOTED_LIMIT, error_line


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["seen", "#1", "--rating", ""],
            "Error: Invalid value for '--rating' / '-r': '' is not a valid number"
            " (see 'tracker seen --help')",
        ),
        (
            ["list", "--limit", "abc"],
            "Error: Invalid value for '--limit' / '-l': 'abc' is not a valid whole number"
            " (see 'tracker list --help')",
        ),
        (
            ["list", "-l=-1"],
            "Error: Invalid value for '--limit' / '-l': '=-1' is not a valid whole number"
            " (see 'tracker list --help')",
        ),
        (
            ["amend", "release", "-1", "--note", "x"],
            "Error: No such option: -1; to give '-1' as a value, put it last, after --:"
            " tracker amend release --note x -- -1 (see 'tracker amend --help')",
        ),
        (
            ["add", "-Minus", "--year", "2020"],
            "Error: No such option: -M; to give '-Minus' as a value, put it last, after --:"
            " tracker add --year 2020 -- -Minus (see 'tracker add --help')",
        ),
        (["add", "-x"], "Error: No such option: -x (see 'tracker add --help')"),
    ],
    ids=["float", "integer", "integer-after-equals", "negative-id", "dash-title", "unknown"],
)
def test_a_usage_error_is_one_line_and_exit_one(run: Run, args: list[str], expected: str) -> None:
    run("add", "Seed")
    assert run.error(*args) == expected
    assert [film["title"] for film in run.json("list")] == ["Seed"]


def test_the_hint_for_a_dash_title_works(run: Run) -> None:
    run("add", "--year", "2020", "--", "-Minus")
    assert [(f["title"], f["year"]) for f in run.json("list")] == [("-Minus", 2020)]


def test_a_group_without_a_command_prints_its_help(run: Run) -> None:
    result = run("shoot", code=2)
    assert "Usage" in result.stdout + result.stderr
    assert "Error" not in result.stderr


def test_a_huge_name_is_shortened_in_the_error_line(run: Run) -> None:
    name = "x" * 100_000
    line = run.error("show", name)
    assert len(line) < 300
    assert f"'{'x' * 199}…'" in line and line.startswith("Error: no film matches 'xxx")


def test_a_huge_value_of_a_typed_option_is_shortened_too(run: Run) -> None:
    line = run.error("list", "--limit", "9" * 1000 + "x")
    assert len(line) < 400 and "…' is not a valid whole number" in line


def test_an_apostrophe_in_a_long_name_does_not_end_the_quote(run: Run) -> None:
    name = "Don't " + "y" * 5000
    line = run.error("show", name)
    assert line.startswith("Error: no film matches 'Don't yyy") and len(line) < 300


def test_every_error_line_stays_of_sane_length(run: Run) -> None:
    """Text not in quotes (a path) is cut at the line's limit."""
    line = run.error("--db", "/" + "d" * 3000 + "/x.db", "list")
    assert len(line) <= len("Error: ") + 1000 and line.endswith("…")


@given(st.text(max_size=3000), st.text(max_size=3000))
def test_an_error_line_is_one_line_of_bounded_length(before: str, quoted: str) -> None:
    line = error_line(f"{before} '{quoted}' after")
    assert line.startswith("Error: ") and len(line) <= len("Error: ") + LINE_LIMIT
    assert len(line.splitlines()) == 1 and line.isprintable()


@given(st.text(alphabet=st.characters(exclude_characters="'"), max_size=QUOTED_LIMIT))
def test_a_short_quoted_text_is_kept_whole(name: str) -> None:
    assert error_line(f"no film matches '{name}'") == f"Error: no film matches '{name}'" or (
        not name.isprintable()
    )
