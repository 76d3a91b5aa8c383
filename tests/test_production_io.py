"""Production tables in the JSON export and the new commands' help."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from tests.conftest import DEMO, Run


def export(run: Run, *args: str) -> str:
    return str(run(*args, "export", "json").stdout)


def test_demo_round_trips_with_every_production_section(run: Run, tmp_path: Path) -> None:
    run("import", "json", str(DEMO))
    first = export(run)
    document = json.loads(first)
    assert [len(document[key]) for key in ("sources", "people", "shoots", "credits", "events")] == [
        29, 14, 12, 24, 7,
    ]  # fmt: skip
    # The demo file is written for people to read (indented); the export one item a line.
    # It predates the identity members (exchange.json_identity).
    for key in ("uuid", "ids", "deleted_releases"):
        document.pop(key)
    assert document == json.loads(DEMO.read_text(encoding="utf-8"))
    copy_path = tmp_path / "copy.json"
    copy_path.write_text(first, encoding="utf-8")
    other = str(tmp_path / "other.db")
    run("--db", other, "import", "json", str(copy_path))
    assert export(run, "--db", other) == first


def test_round_trip_after_cli_edits_with_gaps(run: Run, tmp_path: Path) -> None:
    run("add", "A")
    run("add", "B")
    run("shoot", "add", "A", "Oslo", "-c", "NO", "--from", "2020-Q3", "--also", "B")
    run("shoot", "add", "A", "Bergen", "-c", "NO", "--region", "Vestland")
    run("shoot", "remove", "#1")
    run("credit", "add", "B", "Ada", "--role", "composer")
    run("credit", "add", "A", "Ada", "--role", "cast", "--character", "Herself")
    run("note", "A", "teaser out", "--kind", "teaser", "--source", "https://x.example")
    run("retitle", "B", "B Prime", "--on", "2020-06")
    run("source", "https://x.example", "--title", "X")
    first = export(run)
    path = tmp_path / "a.json"
    path.write_text(first, encoding="utf-8")
    other = str(tmp_path / "other.db")
    run("--db", other, "import", "json", str(path))
    assert export(run, "--db", other) == first
    assert run.json("--db", other, "person", "Ada")["films"][0]["character"] == "Herself"


def _demo() -> dict[str, object]:
    return json.loads(DEMO.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("section", "index", "change", "message"),
    [
        ("shoots", 0, {"country": "Narnia"}, "shoots[0]: unknown country 'Narnia'"),
        ("shoots", 0, {"films": [99]}, "shoots[0].films[0]: no film with id 99"),
        ("shoots", 0, {"start": "2021", "end": "2020"}, "shoots[0]: the end"),
        ("credits", 0, {"role": "actor"}, "credits[0]: unknown role 'actor'"),
        ("credits", 0, {"film": 42}, "credits[0].film: no film with id 42"),
        ("events", 0, {"kind": "rumour"}, "events[0]: unknown event kind"),
        ("events", 0, {"on": None}, "events[0].on: missing"),
        ("events", 0, {"kind": "retitle"}, "events[0].old_title: missing"),
    ],
)
def test_bad_production_imports_name_the_place_and_change_nothing(
    run: Run, tmp_path: Path, section: str, index: int, change: dict[str, object], message: str
) -> None:
    document = copy.deepcopy(_demo())
    items = document[section]
    assert isinstance(items, list)
    items[index].update(change)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert message in run.error("import", "json", str(path))
    assert run.json("list") == []


def test_credits_find_their_people_across_batches(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """People named only by credits are added in the order first named, once each, and a
    name already stored (in any case or accent) is that person, across batches."""
    from tracker.exchange import json_production

    monkeypatch.setattr(json_production, "BATCH", 2)
    run("add", "Dune", "--on", "2020-01-01")
    run("credit", "add", "Dune", "Zoë Saldaña", "--role", "cast")
    document = {
        "format": "tracker",
        "version": 1,
        "films": [{"id": 1, "title": "Heat", "year": 1995}],
        "credits": [
            {"film": 1, "person": "Michael Mann", "role": "director"},
            {"film": 1, "person": "Al Pacino", "role": "cast"},
            {"film": 1, "person": "zoe saldana", "role": "cast"},
            {"film": 1, "person": "MICHAEL MANN", "role": "writer"},
            {"film": 1, "person": "Robert De Niro", "role": "cast"},
        ],
    }
    path = tmp_path / "credits.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    run("import", "json", str(path))
    exported = json.loads(run("export", "json").stdout)
    people = [row["name"] for row in exported["people"]]  # in id order
    assert people == ["Zoë Saldaña", "Michael Mann", "Al Pacino", "Robert De Niro"]
    credits = {(row["film"], row["person"], row["role"]) for row in exported["credits"]}
    assert {(2, "Michael Mann", "writer"), (2, "Zoë Saldaña", "cast")} <= credits
    assert len(credits) == 6


@pytest.mark.parametrize(
    "command",
    [
        ["shoot", "add"], ["shoot", "list"], ["shoot", "edit"], ["shoot", "remove"],
        ["credit", "add"], ["credit", "remove"], ["person"], ["note"], ["retitle"],
        ["sources"], ["source"], ["timeline"], ["delays"], ["filming"], ["clashes"],
    ],
)  # fmt: skip
def test_every_production_command_has_help_with_an_example(run: Run, command: list[str]) -> None:
    out = run(*command, "--help").stdout
    assert "Example: tracker " in out
