"""Whole-database JSON export and import: lossless, all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import DEMO, Run


def test_demo_round_trips_to_identical_json(demo: Run, tmp_path: Path) -> None:
    first = demo("export", "json").stdout
    exported = json.loads(first)
    # data/demo.json predates the identity members (json_identity): it still reads as it did.
    identity = {key: exported.pop(key) for key in ("uuid", "ids", "deleted_releases")}
    assert exported == json.loads(DEMO.read_text(encoding="utf-8"))
    assert identity["ids"]["films"] == 8 and identity["deleted_releases"] == []
    fresh = tmp_path / "fresh.db"
    out = tmp_path / "again.json"
    dump = tmp_path / "first.json"
    dump.write_text(first, encoding="utf-8")
    demo("--db", str(fresh), "import", "json", str(dump))
    demo("--db", str(fresh), "export", "json", "-o", str(out))
    assert out.read_text(encoding="utf-8") == first


def test_import_reports_how_much_it_read(run: Run) -> None:
    """Each section's items counted as a person counts them: one film, 14 people, no diary
    entries (not the file's own names: `1 watchlists`, `0 deleted_releases`)."""
    assert run("import", "json", str(DEMO)).stdout == (
        "Imported 8 films, 29 sources, 14 people, 12 shoots, 24 credits, 7 events,"
        " 1 watchlist, 0 diary entries, 0 deleted releases\n"
    )


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


def _titled(titles: list[dict[str, object]], title: str = "Working Title") -> dict[str, object]:
    film = {"id": 1, "title": title, "year": 2025, "titles": titles}
    return {"format": "tracker", "version": 1, "films": [film]}


LATER = ("--today", "2026-01-01")


def test_titles_load_into_the_history_and_the_film_takes_the_last(run: Run, tmp_path: Path) -> None:
    eight = {"title": "Eight", "on": None, "source": "https://a.example"}
    part_two = {"title": "Part Two", "on": "2022-04", "source": None}
    final = {"title": "Final", "on": "2024-11-11", "source": "https://c.example"}
    run("import", "json", _write(tmp_path, _titled([eight, final, part_two])))
    # The last by day, whatever the order in the file; exported in order of day.
    exported = json.loads(run("export", "json").stdout)["films"][0]
    assert exported["title"] == "Final"
    assert exported["titles"] == [eight, part_two, final]
    assert [film["title"] for film in run.json(*LATER, "list")] == ["Final"]
    assert [film["title"] for film in run.json("--today", "2022-05-01", "list")] == ["Part Two"]
    for former in ("Eight", "part two"):
        assert run.json(*LATER, "show", former)["id"] == 1


def test_titles_on_the_same_day_take_the_later_one(run: Run, tmp_path: Path) -> None:
    titles = [
        {"title": "First", "on": None, "source": None},
        {"title": "Second", "on": "2022", "source": None},
        {"title": "Third", "on": "2022", "source": None},
    ]
    run("import", "json", _write(tmp_path, _titled(titles)))
    assert [film["title"] for film in run.json(*LATER, "list")] == ["Third"]


def test_an_export_without_titles_names_the_film_by_its_title(run: Run, tmp_path: Path) -> None:
    old = {"format": "tracker", "version": 1, "films": [{"id": 1, "title": "Dune", "year": 2021}]}
    run("import", "json", _write(tmp_path, old))
    assert run.json("show", "Dune")["title"] == "Dune"
    exported = json.loads(run("export", "json").stdout)
    assert exported["films"][0]["title"] == "Dune"


def test_old_demo_exports_without_titles_still_import(run: Run, tmp_path: Path) -> None:
    document = json.loads(DEMO.read_text(encoding="utf-8"))
    for film in document["films"]:
        del film["titles"]
    run("import", "json", _write(tmp_path, document))
    assert run.json(*LATER, "show", "#8")["title"] == "Mission: Impossible – The Final Reckoning"


@pytest.mark.parametrize(
    ("titles", "expected"),
    [
        ([{"on": None}], "films[0].titles[0].title: missing"),
        ([{"title": "A", "on": "2022-02-30"}], "films[0].titles[0].on: "),
        ([{"title": "A"}, {"title": "B"}], "films[0].titles[1].on: missing"),
        ([{"title": "A"}, {"title": "B", "on": "TBA"}], "films[0].titles[1]: a title's day"),
        ([{"title": " ", "on": None}], "films[0].titles[0]: a title cannot be empty"),
        ("A", "films[0].titles: expected a list"),
    ],
)
def test_bad_titles_are_refused_with_their_path(
    run: Run, tmp_path: Path, titles: object, expected: str
) -> None:
    document = _titled([])
    document["films"][0]["titles"] = titles  # type: ignore[index]
    assert expected in run.error("import", "json", _write(tmp_path, document))
    assert run.json("list") == []


def test_a_retitle_extends_the_history_and_round_trips(demo: Run, tmp_path: Path) -> None:
    demo("retitle", "#1", "MI One", "--on", "2020", "--source", "https://x.example")
    first = demo("export", "json").stdout
    titles = json.loads(first)["films"][0]["titles"]
    assert titles == [
        {
            "title": "Mission: Impossible",
            "on": None,
            "source": "https://en.wikipedia.org/wiki/Mission:_Impossible_(film)",
        },
        {"title": "MI One", "on": "2020", "source": "https://x.example"},
    ]
    dump = tmp_path / "first.json"
    dump.write_text(first, encoding="utf-8")
    fresh = str(tmp_path / "fresh.db")
    demo("--db", fresh, "import", "json", str(dump))
    assert demo("--db", fresh, "export", "json").stdout == first


def test_the_export_is_one_item_per_line_and_parses_to_the_document(
    demo: Run, isolated: Path
) -> None:
    """export json writes a film at a time, each item on its own line: what a line-oriented
    tool (grep, diff) can use, and the whole still one JSON document."""
    import json as std_json

    from tracker.exchange.json import export_all, export_chunks
    from tracker.store import open_store

    store = open_store(isolated)
    try:
        text = "".join(export_chunks(store))
        document = export_all(store)
    finally:
        store.close()
    assert std_json.loads(text) == document
    assert demo("export", "json").stdout == text
    lines = text.splitlines()
    film_lines = [line for line in lines if line.startswith('    {"id":')]
    assert len(film_lines) == len(document["films"])
    assert [std_json.loads(line.rstrip(",")) for line in film_lines] == document["films"]


def test_a_film_with_every_optional_part_exports_each_key_in_order(isolated: Path) -> None:
    """Aliases, the title history, ids (known schemes in their order), the film's own
    rating and a release's certification: written where there are some, and only there."""
    import datetime

    from tracker.dates import TBA, parse_date
    from tracker.domain.diary import set_film_rating
    from tracker.domain.films import add_film, retitle
    from tracker.domain.identifiers import set_external_ids
    from tracker.domain.releases import insert_release
    from tracker.exchange.json import export_all
    from tracker.store import open_store

    today = datetime.date(2021, 1, 1)
    store = open_store(isolated)
    try:
        film = add_film(store, "Heat", today=today, year=1995, aliases=["Heat (1995)"])
        set_external_ids(store, film.id, wikidata="Q112315", imdb="tt0113277")
        set_film_rating(store, film.id, 4.5, datetime.date(2020, 5, 1))
        with store.transaction():
            insert_release(
                store, film.id, parse_date("1995-12-15"), "US", "theatrical",
                parse_date("1995-06-01"), certification="R",
            )  # fmt: skip
            insert_release(store, film.id, TBA, None, "digital", parse_date("1995-07-01"))
        retitle(store, film, "Heat Returns", parse_date("2020-06-01"), today=today)
        plain = add_film(store, "Ronin", today=today, year=1998)
        films = export_all(store)["films"]
    finally:
        store.close()
    assert films[0] == {
        "id": film.id,
        "title": "Heat Returns",
        "year": 1995,
        "franchise": None,
        "instalment": None,
        "aliases": ["Heat (1995)"],  # "Heat" is in the title history, not an alias
        "titles": [
            {"title": "Heat", "on": None, "source": None},
            {"title": "Heat Returns", "on": "2020-06-01", "source": None},
        ],
        "statuses": [{"status": "announced", "on": "2021-01-01", "note": None, "source": None}],
        "releases": [
            {
                "country": "US",
                "type": "theatrical",
                "date": "1995-12-15",
                "announced": "1995-06-01",
                "source": None,
                "note": None,
                "certification": "R",
            },
            {
                "country": None,
                "type": "digital",
                "date": None,
                "announced": "1995-07-01",
                "source": None,
                "note": None,
            },
        ],
        "ids": {"imdb": "tt0113277", "wikidata": "Q112315"},
        "rating": 4.5,
        "rated_on": "2020-05-01",
    }
    assert list(films[0]) == [
        "id", "title", "year", "franchise", "instalment", "aliases", "titles", "statuses",
        "releases", "ids", "rating", "rated_on",
    ]  # fmt: skip
    assert films[1]["id"] == plain.id and "ids" not in films[1] and "rating" not in films[1]


def test_undo_of_an_import_is_one_entry_per_table(demo: Run, isolated: Path) -> None:
    """Undo of a JSON import deletes the rows after each table's old end, one log entry per
    table (not one per row), and leaves the database as it was."""
    import sqlite3

    conn = sqlite3.connect(isolated)
    logged = dict(conn.execute("SELECT op, count(*) FROM undo_log GROUP BY op").fetchall())
    tables = "SELECT count(DISTINCT tbl) FROM undo_log WHERE op = 'bulk_insert'"
    inserted = conn.execute(tables).fetchone()[0]
    conn.close()
    assert "insert" not in logged  # no row of its own for an appended row
    assert logged["bulk_insert"] == inserted > 5
    assert sum(logged.values()) < 20  # the rest: a few changes to rows that were there
    assert demo.json("list") != []
    demo("undo")
    assert demo.json("list") == []
    assert demo.error("undo") == "Error: nothing to undo"  # a bulk undo is not redone (as CSV)


def test_an_import_never_gives_a_film_an_id_this_database_gave_before(
    run: Run, tmp_path: Path
) -> None:
    """A removed film's id is not given again, even when the file asks for it (as tombstones
    of the file's removed films are left out when their id is one this database gave), and
    undo removes only what came."""
    for title in ("One", "Two", "Three"):
        run("add", title)
    run("remove", "Two", "--yes")
    document = {"format": "tracker", "version": 1, "films": [{"id": 2, "title": "Gap"}]}
    path = tmp_path / "gap.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    run("import", "json", str(path))
    films = sorted((f["id"], f["title"]) for f in run.json("list"))
    assert films == [(1, "One"), (3, "Three"), (4, "Gap")]
    run("undo")
    assert sorted((f["id"], f["title"]) for f in run.json("list")) == [(1, "One"), (3, "Three")]


def test_an_imported_film_does_not_revive_a_removed_films_cancelled_event(
    run: Run, tmp_path: Path
) -> None:
    """The calendar cancels a removed film's release under its UID; a film imported from
    another database must not take that film's id, or its event would take over the UID
    and the subscriber's calendar would turn the cancelled event into the new film's."""
    other = tmp_path / "other.db"
    run("--db", str(other), "add", "Other", "--release", "2021-06-01")
    path = tmp_path / "other.json"
    run("--db", str(other), "export", "json", "-o", str(path))
    run("add", "Gone", "--release", "2021-05-01")
    run("remove", "Gone", "--yes")
    (cancelled,) = _events(run("export", "ics").output)
    run("import", "json", str(path))
    events = {event["UID"]: event for event in _events(run("export", "ics").output)}
    assert events[cancelled["UID"]]["STATUS"] == "CANCELLED"
    assert events[cancelled["UID"]]["SUMMARY"] == cancelled["SUMMARY"]
    assert len(events) == 2


def _events(calendar: str) -> list[dict[str, str]]:
    """Each VEVENT's properties (the unfolded lines' names and values)."""
    events: list[dict[str, str]] = []
    for line in calendar.replace("\r\n ", "").splitlines():
        name, _, value = line.partition(":")
        if line == "BEGIN:VEVENT":
            events.append({})
        elif events and name and line != "END:VEVENT":
            events[-1].setdefault(name.split(";")[0], value)
    return events


def test_the_export_reads_in_chunks_that_join_into_the_same_document(
    demo: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Items are built a chunk at a time (each chunk starts after the last id of the one
    before): with chunks of 3 items, every section's chunks still join to what one chunk
    of all of them writes, item per line, with nothing lost or twice at the seams."""
    from tracker.exchange import json_items
    from tracker.exchange.json import export_chunks
    from tracker.store import open_store

    whole = demo("export", "json").stdout
    monkeypatch.setattr(json_items, "CHUNK", 3)
    store = open_store(isolated)
    try:
        chunked = "".join(export_chunks(store))
        pieces = list(json_items.chunked_items(store, "json_object('id', id)", "films", "id"))
    finally:
        store.close()
    assert chunked == whole
    assert len(pieces) == 3  # the demo's 8 films: 3 + 3 + 2
    assert pieces[-1] == '{"id":7},\n    {"id":8}'


def test_the_films_export_sorts_no_film_s_statuses_or_releases(isolated: Path) -> None:
    """A film's statuses and releases are read by id from the film_id index (an IN on the
    id is read in order), not sorted a film at a time: a sorter per film was a third of
    the export's time at a million films. Only the ids' scheme order sorts (films with
    ids, which are few)."""
    from tracker.domain.identifiers import SCHEMES
    from tracker.exchange.json_films import FILM_ITEM_SQL
    from tracker.store import open_store

    schemes = " ".join(f"WHEN '{scheme}' THEN {rank}" for rank, scheme in enumerate(SCHEMES))
    item = FILM_ITEM_SQL.replace("{schemes}", schemes).replace("{others}", str(len(SCHEMES)))
    store = open_store(isolated)
    try:
        plan = [
            row[3]
            for row in store.conn.execute(
                f"EXPLAIN QUERY PLAN SELECT {item} FROM films f"
                " LEFT JOIN film_ratings r ON r.film_id = f.id"
            )
        ]
    finally:
        store.close()
    sorted_after = [plan[i - 1] for i, detail in enumerate(plan) if "TEMP B-TREE" in detail]
    assert sorted_after == ["SEARCH x USING INDEX external_ids_film (film_id=?)"], plan
    assert any(d.startswith("SEARCH releases USING COVERING INDEX") for d in plan), plan


def test_undo_of_an_import_counts_every_row_it_took_back(demo: Run) -> None:
    """Shoots go with their last film (by trigger) before their own bulk entry is undone:
    they still count as undone."""
    document = json.loads(DEMO.read_text())
    shoots, films = len(document["shoots"]), len(document["films"])
    assert shoots > 0
    message = demo("undo").stdout
    assert f"shoots {shoots}" in message and f"films {films}" in message, message
    assert demo.json("list") == []


def test_text_with_braces_and_quotes_is_exported_as_it_is(run: Run) -> None:
    """The film object is text joined by SQLite (json_object's first members without
    their closing brace): braces, quotes and backslashes in the values stay the values."""
    title, franchise = 'Brace } "quoted" \\ {', "{Saga}"
    run("add", title, "--franchise", franchise, "--instalment", "2")
    films = json.loads(run("export", "json").stdout)["films"]
    assert [(f["title"], f["franchise"], f["instalment"]) for f in films] == [(title, franchise, 2)]
