"""A restore from `export json` keeps the database's identity: its UUID (calendar UIDs), the
ids it gave (never given again) and its deleted releases (cancelled events, SEQUENCE)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import DEMO, Run

ON = ("--today", "2026-11-26")


def _export(run: Run, db: Path, path: Path) -> str:
    run("--db", str(db), "export", "json", "-o", str(path))
    return path.read_text(encoding="utf-8")


def _uuid(run: Run, db: Path) -> str:
    return str(run.json("--db", str(db), "info")["uuid"])


def _events(run: Run, db: Path, *options: str) -> list[tuple[str, str, str]]:
    """Each event's UID, SEQUENCE and STATUS (the order of events is not part of it)."""
    text = run("--db", str(db), *ON, "export", "ics", *options).stdout
    text = "\n".join(text.splitlines()).replace("\n ", "")  # lines unfolded
    events = []
    for block in text.split("BEGIN:VEVENT")[1:]:
        lines = dict(line.split(":", 1) for line in block.splitlines() if ":" in line)
        events.append((lines["UID"], lines["SEQUENCE"], lines["STATUS"]))
    return sorted(events)


def _tombstones(db: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT id, film_id, country, type, date, watchlists FROM release_tombstones"
            " ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


def test_a_removed_film_s_id_is_not_given_again_after_a_restore(
    run: Run, isolated: Path, tmp_path: Path
) -> None:
    run(*ON, "add", "A")
    run(*ON, "add", "B")
    run(*ON, "remove", "B", "--yes")
    saved = tmp_path / "saved.json"
    _export(run, isolated, saved)
    restored = tmp_path / "restored.db"
    run("--db", str(restored), "import", "json", str(saved))
    assert "#3" in run("--db", str(restored), *ON, "add", "Z").stdout  # B was #2
    assert "#3" in run(*ON, "add", "Z").stdout
    assert _uuid(run, restored) == _uuid(run, isolated)


def test_a_restore_keeps_every_event_s_uid_and_sequence(
    run: Run, isolated: Path, tmp_path: Path
) -> None:
    """A moved date, a deleted release, a delete undone (its release back under its id,
    which the import renumbers) and a removed film that was on a list: the calendar of the
    restored database is the same events, with the same UIDs and SEQUENCE values."""
    run(*ON, "add", "A", "--release", "2027-01-01", "-c", "US")  # release #1
    run(*ON, "add", "B", "--release", "2027-03-01", "-c", "US")  # #2
    run(*ON, "watchlist", "add", "watchlist", "B")
    run(*ON, "release", "A", "2027-02-01", "-c", "FR")  # #3
    run(*ON, "release", "A", "2027-02-08", "-c", "FR")  # #4: a move
    run(*ON, "add", "C", "--release", "2027-04-01", "-c", "US")  # #5
    run(*ON, "delete", "release", "1", "--yes")  # a gap below live releases
    run(*ON, "delete", "release", "4", "--yes")
    run(*ON, "undo")  # #4 is back: its tombstone stays and counts
    run(*ON, "remove", "B", "--yes")
    original = _events(run, isolated)
    assert {sequence for _, sequence, _ in original} >= {"1", "5"}  # (#4: 1 move, 4 back)
    saved = tmp_path / "saved.json"
    first = _export(run, isolated, saved)

    restored = tmp_path / "restored.db"
    run("--db", str(restored), "import", "json", str(saved))
    assert _events(run, restored) == original
    on_list = ("--watchlist", "watchlist")
    assert _events(run, restored, *on_list) == _events(run, isolated, *on_list) != []
    assert len(_tombstones(restored)) == len(_tombstones(isolated)) == 3
    assert _export(run, restored, tmp_path / "again.json") == first
    # Later releases get ids after every one the original gave, tombstones' included.
    run("--db", str(restored), *ON, "release", "C", "2027-05-01", "-c", "GB")
    assert run.json("--db", str(restored), *ON, "history", "C")[-1]["id"] == 6


def test_an_old_export_imports_as_before(run: Run, isolated: Path, tmp_path: Path) -> None:
    """data/demo.json has no uuid, ids or deleted_releases: the database keeps its own UUID
    and its ids are those the import gave."""
    before = _uuid(run, isolated)
    run("import", "json", str(DEMO))
    assert _uuid(run, isolated) == before
    assert json.loads(run("export", "json").stdout)["ids"]["films"] == 8
    assert _tombstones(isolated) == []


def test_import_into_a_used_database_keeps_its_uuid_and_gives_no_file_id_again(
    run: Run, isolated: Path, tmp_path: Path
) -> None:
    """The target keeps its UUID; its counters rise past the file's; the deleted releases of
    the file's films come along under the films' new ids; one of a removed film whose id
    names a film here is left out (it would cancel that film's events)."""
    other = tmp_path / "other.db"
    at_other = ("--db", str(other), *ON)
    run(*at_other, "add", "Keep", "--release", "2027-01-01", "-c", "US")
    run(*at_other, "add", "Gone", "--release", "2027-02-01", "-c", "US")
    run(*at_other, "add", "Moved", "--release", "2027-03-01", "-c", "US")
    run(*at_other, "delete", "release", "3", "--yes")
    run(*at_other, "remove", "Gone", "--yes")  # film #2 and its release #2
    saved = tmp_path / "saved.json"
    _export(run, other, saved)

    run(*ON, "add", "Mine")
    run(*ON, "add", "Also Mine")  # #2: the file's removed film's id
    uuid = _uuid(run, isolated)
    run("import", "json", str(saved))
    assert _uuid(run, isolated) == uuid
    ids = {film["title"]: film["id"] for film in run.json(*ON, "list")}
    assert ids["Mine"] == 1 and ids["Also Mine"] == 2
    tombstones = _tombstones(isolated)
    assert [(film, country) for _, film, country, *_ in tombstones] == [(ids["Moved"], "US")]
    # Keep (#1 in the file) took #3, so Moved (#3) took #4: the next is #5, whatever the
    # file's counter (3) says.
    assert "#5" in run(*ON, "add", "Next").stdout
    assert tombstones[0][0] == 2  # numbered after the releases loaded (Keep's: #1)


def test_undo_of_an_import_puts_the_uuid_back_and_takes_the_tombstones(
    run: Run, isolated: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other.db"
    run("--db", str(other), *ON, "add", "A", "--release", "2027-01-01", "-c", "US")
    run("--db", str(other), *ON, "release", "A", "2027-02-01", "-c", "FR")
    run("--db", str(other), *ON, "delete", "release", "2", "--yes")
    run("--db", str(other), *ON, "add", "B", "--release", "2027-03-01", "-c", "US")
    run("--db", str(other), *ON, "remove", "B", "--yes")
    saved = tmp_path / "saved.json"
    _export(run, other, saved)

    before = json.loads(run("export", "json").stdout)
    run("import", "json", str(saved))
    assert _uuid(run, isolated) == _uuid(run, other) != before["uuid"]
    assert len(_tombstones(isolated)) == 2
    assert "release_tombstones 2" in run("undo").stdout
    after = json.loads(run("export", "json").stdout)
    assert _tombstones(isolated) == []
    # Ids the import gave stay given (an undo never lowers a counter); all else is back.
    assert after.pop("ids")["films"] == 2
    before.pop("ids")
    assert after == before
    run("import", "json", str(saved))  # empty again: it takes the UUID again
    assert _uuid(run, isolated) == _uuid(run, other)
    assert _events(run, isolated) == _events(run, other)  # B's removal too
    assert len(_tombstones(isolated)) == 2


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        ({"uuid": "not-a-uuid"}, "uuid: not a UUID"),
        ({"uuid": 7}, "uuid: not a UUID"),
        ({"ids": [1]}, "ids: expected an object"),
        ({"ids": {"films": "x"}}, "ids.films: expected a whole number"),
        ({"ids": {"films": -1}}, "ids.films: -1 is not an id"),
        (
            {"deleted_releases": [{"film": 1, "type": "theatrical", "announced": "2020",
                                   "removed": "2020-02-01", "restored": {"film": 1, "release": 3}}]},
            "deleted_releases[0].restored.release: film 1 has no release 3",
        ),
        (
            {"deleted_releases": [{"film": 1, "type": "theatrical", "announced": "2020",
                                   "removed": "yesterday"}]},
            "deleted_releases[0].removed: expected a day",
        ),
        (
            {"deleted_releases": [{"film": 1, "type": "bogus", "announced": "2020",
                                   "removed": "2020-02-01"}]},
            "deleted_releases[0]: ",
        ),
    ],
)  # fmt: skip
def test_bad_identity_members_are_refused(
    run: Run, tmp_path: Path, members: dict[str, object], expected: str
) -> None:
    document = {"format": "tracker", "version": 1, "films": [{"id": 1, "title": "A"}], **members}
    path = tmp_path / "in.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert expected in run.error("import", "json", str(path))
    assert run.json("list") == []


def test_a_film_already_tracked_names_what_to_change_in_the_file(run: Run, tmp_path: Path) -> None:
    run("add", "Heat", "--year", "1995")
    document = {"format": "tracker", "version": 1, "films": [{"title": "Heat", "year": 1995}]}
    path = tmp_path / "in.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    message = run.error("import", "json", str(path))
    assert "films[0]: Heat (1995) is already tracked as #1" in message
    assert "--year" not in message and "year or title in the file" in message
