"""One set of rules for every stored value, whatever the way in (issue 11, finding 8)."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import Run
from tracker import validation
from tracker.errors import BadFile, InvalidValue
from tracker.files import check_input

INVISIBLE_OR_BIDI = [
    ("\u200b", "no visible character"),
    ("\ufeff\u200b ", "no visible character"),
    ("Heat\u202e", "bidi control"),
    ("\u2066Heat\u2069", "bidi control"),
]


@pytest.mark.parametrize(("title", "reason"), INVISIBLE_OR_BIDI)
def test_add_and_edit_refuse_invisible_and_bidi_titles(run: Run, title: str, reason: str) -> None:
    assert reason in run.error("add", title)
    run("add", "Heat")
    assert reason in run.error("edit", "Heat", "--title", title)


@pytest.mark.parametrize(("title", "reason"), INVISIBLE_OR_BIDI)
def test_imports_refuse_what_add_refuses(run: Run, tmp_path: Path, title: str, reason: str) -> None:
    csv_file = tmp_path / "films.csv"
    csv_file.write_text(f"id,title,year,franchise,instalment\n,{title},1995,,\n", "utf-8")
    assert reason in run.error("import", "csv", "films", str(csv_file))
    json_file = _document(tmp_path, films=[{"id": 1, "title": title}])
    assert reason in run.error("import", "json", str(json_file))
    assert run.json("list") == []


def test_titles_with_marks_that_are_not_controls_are_kept(run: Run) -> None:
    for title in ("Amélie", "ヒート", "שלום\u200f", "Zoë\u200d"):  # RLM and ZWJ inside text
        run("add", title)
    assert len(run.json("list")) == 4


def _document(tmp_path: Path, **sections: Any) -> Path:
    path = tmp_path / "import.json"
    path.write_text(json.dumps({"format": "tracker", "version": 1, **sections}), "utf-8")
    return path


@pytest.mark.parametrize(
    ("sections", "message"),
    [
        ({"films": [{"id": 0, "title": "A"}]}, "films[0].id: 0 is not an id"),
        ({"films": [{"id": -3, "title": "A"}]}, "films[0].id: -3 is not an id"),
        ({"films": [{"id": 2**64, "title": "A"}]}, "films[0].id: 18446744073709551616"),
        (
            {"films": [{"id": 1, "title": "A"}, {"id": 1, "title": "B"}]},
            "films[1].id: film id 1 is in this file twice",
        ),
        ({"films": [{"id": 1, "title": "A", "year": 10**30}]}, "out of range"),
        ({"films": [{"id": 1, "title": "A", "instalment": 5000}]}, "instalment 5000"),
        (
            {
                "films": [{"id": 1, "title": "A"}],
                "diary": [{"film": 1, "seen_on": "2020-10-16"}],
            },
            "after today (2020-10-15)",
        ),
    ],
)
def test_import_json_is_as_strict_as_add(
    run: Run, tmp_path: Path, sections: dict[str, Any], message: str
) -> None:
    assert message in run.error("import", "json", str(_document(tmp_path, **sections)))
    assert run.json("list") == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, "not a tracker export"),
        (
            '{"format": "tracker", "version": 1, "films": [' + "[" * 100_000 + "]" * 100_000 + "]}",
            "nested too deeply",
        ),
        ('{"format": "tracker", "version": ' + "9" * 5000 + "}", "digits"),
        (
            '{"format": "tracker", "version": 1, "films": [{"id": 1, "title": "A"}],'
            ' "diary": [{"film": 1, "seen_on": "2020-01-01", "rating": 1e999}]}',
            "rating: inf is out of range",
        ),
    ],
)
def test_hostile_json_is_one_error(run: Run, tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "hostile.json"
    path.write_text(text)
    assert message in run.error("import", "json", str(path))


@pytest.mark.parametrize(
    "kind", [["json"], ["csv", "films"], ["letterboxd"], ["tmdb"], ["wikidata"]]
)
def test_imports_refuse_what_is_not_a_regular_file(run: Run, kind: list[str]) -> None:
    assert "not a regular file" in run.error("import", *kind, "/dev/zero")


def test_a_file_over_the_size_for_its_kind_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_bytes(b" " * (3 * 1024 * 1024))
    with pytest.raises(BadFile, match="3 MiB; a JSON export larger than 2 MiB is refused"):
        check_input(path, limit=2 * 1024 * 1024, kind="JSON export")
    assert check_input(path, limit=4 * 1024 * 1024, kind="JSON export") == 3 * 1024 * 1024


def test_a_latin1_byte_is_reported_on_its_own_line(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "films.csv"
    path.write_bytes(b"id,title,year,franchise,instalment\n,Heat,1995,,\n,Caf\xe9,2001,,\n")
    assert run.error("import", "csv", "films", str(path)).endswith("line 3: not UTF-8 text")


def test_check_reports_stored_text_the_rules_refuse(run: Run, isolated: Path) -> None:
    import sqlite3

    run("add", "Heat")
    conn = sqlite3.connect(isolated)
    conn.execute("UPDATE films SET title = 'Heat\u202e', title_key = 'heat\u202e'")
    conn.commit()
    conn.close()
    assert "films #1: the title contains a bidi control" in run("check", code=1).stdout


@given(
    st.text(max_size=40)
    | st.text(st.characters(whitelist_categories=("Cf", "Zs")), min_size=1, max_size=5)
)
def test_clean_text_accepts_only_what_text_problem_allows(value: str) -> None:
    text = value.strip()
    try:
        cleaned = validation.clean_text(value, "a title")
    except InvalidValue:
        assert not text or validation.text_problem(text) or not _utf8(text)
    else:
        assert cleaned == text and validation.text_problem(text) is None
        assert not all(char.isspace() or unicodedata.category(char) == "Cf" for char in text)


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@pytest.mark.parametrize(
    ("rating", "message"),
    [
        ("4.25", "Error: rating 4.25 is not a whole or half star: use 0.5 to 5 in halves"),
        ("1.2", "Error: rating 1.2 is not a whole or half star: use 0.5 to 5 in halves"),
        ("0", "Error: rating 0 is out of range: use 0.5 to 5 in halves"),
        ("5.5", "Error: rating 5.5 is out of range: use 0.5 to 5 in halves"),
    ],
)
def test_a_rating_between_halves_is_not_called_out_of_range(
    run: Run, rating: str, message: str
) -> None:
    run("add", "Heat", "--year", "1995")
    assert run.error("seen", "Heat", "--rating", rating) == message
