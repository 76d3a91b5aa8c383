"""Whole-database JSON export and import: lossless, all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import DEMO, Run


def test_demo_round_trips_to_identical_json(demo: Run, tmp_path: Path) -> None:
    first = demo("export", "json").stdout
    assert json.loads(first) == json.loads(DEMO.read_text(encoding="utf-8"))
    fresh = tmp_path / "fresh.db"
    out = tmp_path / "again.json"
    dump = tmp_path / "first.json"
    dump.write_text(first, encoding="utf-8")
    demo("--db", str(fresh), "import", "json", str(dump))
    demo("--db", str(fresh), "export", "json", "-o", str(out))
    assert out.read_text(encoding="utf-8") == first


def test_import_reports_how_much_it_read(run: Run) -> None:
    assert "Imported 8 films" in run("import", "json", str(DEMO)).stdout


def _write(tmp_path: Path, document: object) -> str:
    path = tmp_path / "in.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


def test_malformed_json_names_where_it_failed(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"format": "tracker",\n "films": [}', encoding="utf-8")
    message = run.error("import", "json", str(path))
    assert "invalid JSON at line 2 column" in message


def test_a_bad_value_deep_in_the_file_imports_nothing(run: Run, tmp_path: Path) -> None:
    document = json.loads(DEMO.read_text(encoding="utf-8"))
    document["films"][6]["releases"][2]["date"] = "2022-02-30"
    message = run.error("import", "json", _write(tmp_path, document))
    assert "films[6].releases[2].date" in message and "2022-02-30" in message
    assert run.json("list") == []


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ([], "not a tracker export"),
        ({"format": "tracker", "version": 99, "films": []}, "newer"),
        ({"format": "tracker", "version": 1, "films": {}}, "films: expected a list"),
        ({"format": "tracker", "version": 1, "films": [{"id": 1}]}, "films[0].title: missing"),
        (
            {"format": "tracker", "version": 1, "films": [{"title": "A", "year": "x"}]},
            "films[0].year: expected a whole number",
        ),
        (
            {"format": "tracker", "version": 1,
             "films": [{"title": "A", "statuses": [{"status": "shot", "on": "2020"}]}]},
            "films[0].statuses[0]: unknown status 'shot'",
        ),
        (
            {"format": "tracker", "version": 1, "films": [{"title": "A"}, {"title": "a"}]},
            "films[1]: A is already tracked",
        ),
    ],
)  # fmt: skip
def test_bad_documents_are_refused_with_their_path(
    run: Run, tmp_path: Path, document: object, expected: str
) -> None:
    assert expected in run.error("import", "json", _write(tmp_path, document))
    assert run.json("list") == []


def test_a_missing_file_is_an_error(run: Run, tmp_path: Path) -> None:
    assert "no such file" in run.error("import", "json", str(tmp_path / "nope.json"))


def test_import_into_a_used_database_keeps_existing_ids(demo: Run, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    demo("--db", str(other), "add", "Dune")
    demo("--db", str(other), "import", "json", str(DEMO))
    films = demo.json("--db", str(other), "list")
    assert len(films) == 9
    assert demo.json("--db", str(other), "show", "Dune")["id"] == 1
