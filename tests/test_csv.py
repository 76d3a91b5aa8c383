"""CSV export and import: round trips, formula cells, file shapes, bad rows, streaming."""

from __future__ import annotations

import csv
import datetime
import io
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import Run, blank_memory_store
from tracker import cells
from tracker.csv_lines import UNIT
from tracker.errors import BadFile
from tracker.exchange import csv as csvio
from tracker.names import name_key
from tracker.validation import text_problem

TABLES = ("films", "releases", "watchlists", "diary")
TODAY = datetime.date(2020, 10, 15)
FILMS_HEADER = "id,title,year,franchise,instalment"


def write(path: Path, text: str, *, bom: bool = False, crlf: bool = False) -> Path:
    data = text.replace("\n", "\r\n") if crlf else text
    path.write_bytes(("\ufeff" if bom else "").encode() + data.encode("utf-8"))
    return path


def counts(run: Run) -> tuple[int, int, int, int]:
    return (
        len(run.json("list")),
        len(run("export", "csv", "releases").stdout.splitlines()),
        len(run.json("watchlist", "show", "watchlist")),
        len(run.json("diary")),
    )


@pytest.fixture
def rich(demo: Run, isolated: Path) -> Run:
    """The demo data plus lists, viewings and text a spreadsheet would run as formulas."""
    demo("add", '=HYPERLINK("http://x","y")', "--year", "2021", "--franchise", "+SUM(1)")
    demo("release", "#9", "2021-03", "--country", "FR", "--note", '-2+3, "quoted"')
    demo("release", "#9", "2021-04-02", "--country", "FR", "--source", "@evil", "--note", "'=x")
    demo("watch", "#7", "#9", "--note", "@note")
    demo("watchlist", "create", "--description", "=desc", "--", "-minus")
    demo("watchlist", "create", "empty list")
    demo("watchlist", "add", "--priority", "1", "--", "-minus", "#8")
    demo("seen", "#6", "--on", "2018-07-28", "--rating", "4", "--where", "cinema")
    demo("seen", "#9", "--on", "2020-10-01", "--rating", "0.5", "--note", "=1+1")
    # Letterboxd's fields of a viewing (its import writes them): a review keeps line breaks.
    conn = sqlite3.connect(isolated)
    with conn:
        conn.execute(
            "UPDATE viewings SET rewatch = 1, tags = '=tag, imax',"
            " review = 'Two' || char(10) || 'lines, \"quoted\", =2+2' WHERE film_id = 9"
        )
    conn.close()
    return demo


def test_export_import_export_gives_identical_files(rich: Run, tmp_path: Path) -> None:
    first = tmp_path / "first"
    second = tmp_path / "second"
    first.mkdir()
    second.mkdir()
    for name in TABLES:
        rich("export", "csv", name, "-o", str(first / f"{name}.csv"))
    fresh = str(tmp_path / "fresh.db")
    for name in TABLES:
        out = rich("--db", fresh, "import", "csv", name, str(first / f"{name}.csv")).stdout
        assert out.startswith("Imported ")
    for name in TABLES:
        rich("--db", fresh, "export", "csv", name, "-o", str(second / f"{name}.csv"))
        assert (second / f"{name}.csv").read_bytes() == (first / f"{name}.csv").read_bytes()
    # The data itself came back, not just the files.
    assert rich.json("--db", fresh, "diary") == rich.json("diary")
    assert [(e["rewatch"], e["tags"], e["review"]) for e in rich.json("--db", fresh, "diary")] == [
        (True, "=tag, imax", 'Two\nlines, "quoted", =2+2'),
        (False, None, None),
    ]  # newest first
    assert rich.json("--db", fresh, "watchlist", "list") == rich.json("watchlist", "list")


def test_export_is_rfc4180_with_the_full_release_history(demo: Run) -> None:
    # (CliRunner's .stdout turns CRLF into LF; the bytes are what was written.)
    out = demo("export", "csv", "releases").stdout_bytes.decode("utf-8")
    assert out.startswith("film_id,country,type,date,date_start,date_end,announced,source,note\r\n")
    assert out.count("\r\n") == 28
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 27  # every announcement, not only current dates
    mi7 = [row for row in rows if row["film_id"] == "7"]
    assert [row["date"] for row in mi7][:3] == ["2021", "2021-07-23", "2021-11-19"]
    assert len(mi7) == 10  # including announcements after today


def test_formula_cells_are_inert_on_export_and_restored_on_import(
    rich: Run, tmp_path: Path
) -> None:
    films = list(csv.DictReader(io.StringIO(rich("export", "csv", "films").stdout)))
    odd = films[-1]
    assert odd["title"] == '\'=HYPERLINK("http://x","y")'
    assert odd["franchise"] == "'+SUM(1)"
    releases = list(csv.DictReader(io.StringIO(rich("export", "csv", "releases").stdout)))
    assert [(row["source"], row["note"]) for row in releases[-2:]] == [
        ("", '\'-2+3, "quoted"'),
        ("'@evil", "''=x"),  # an apostrophe already there gets one more
    ]
    lists = rich("export", "csv", "watchlists").stdout
    assert "'-minus,'=desc" in lists and "'@note" in lists
    for name in TABLES:
        for row in csv.reader(io.StringIO(rich("export", "csv", name).stdout)):
            assert not any(cell.startswith(cells.FORMULA_START) for cell in row)
    (tmp_path / "films.csv").write_text(rich("export", "csv", "films").stdout, encoding="utf-8")
    fresh = str(tmp_path / "fresh.db")
    rich("--db", fresh, "import", "csv", "films", str(tmp_path / "films.csv"))
    titles = [row["title"] for row in rich.json("--db", fresh, "list")]
    assert '=HYPERLINK("http://x","y")' in titles


def test_listing_csv_output_is_inert_too(rich: Run) -> None:
    out = rich("list", "--format", "csv").stdout
    assert "'=HYPERLINK" in out and ",'+SUM(1)," in out
    assert rich.json("list")[0]["title"].startswith("=HYPERLINK")  # json stays exact
    history = rich("history", "#9", "--format", "csv").stdout
    assert "'-2+3" in history


def test_bom_crlf_quoted_newlines_and_any_column_order(run: Run, tmp_path: Path) -> None:
    text = (
        "title,id,year,franchise,instalment\n"
        '"Two\nLines",5,2001,,\n'
        '"Say ""hi"", then",6,,"A, B",2\n'
    )
    path = write(tmp_path / "films.csv", text, bom=True, crlf=True)
    assert run("import", "csv", "films", str(path)).stdout.strip() == "Imported 2 rows of films"
    films = run.json("list")
    assert [(f["id"], f["title"], f["year"], f["franchise"], f["instalment"]) for f in films] == [
        (6, 'Say "hi", then', None, "A, B", 2),
        (5, "Two Lines", 2001, None, None),
    ]


def test_line_numbers_count_quoted_newlines(run: Run, tmp_path: Path) -> None:
    text = f'{FILMS_HEADER}\n1,"a\nb\nc",2001,,\n2,Good,1999,,\n3,Bad,19x9,,\n'
    path = write(tmp_path / "films.csv", text)
    line = run.error("import", "csv", "films", str(path))
    assert line == f"Error: {path}: line 6, column year: '19x9' is not a whole number"
    assert run.json("list") == []


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("1,Good,2001,,\n2,,2001,,\n", "line 3, column title: cannot be empty"),
        ("1,Good,1700,,\n", "line 2, column year: 1700 is out of range (1850-2200)"),
        ("1,Good,2001,,1000\n", "line 2, column instalment: 1000 is out of range"),
        ("1,Good,2001,,\n2,Bad,2001,\n", "line 3: expected 5 cells, found 4"),
        ("1,Good,2001,,\n2,GOOD,2001,,\n", "line 3, column title: GOOD (2001) is already"),
        ("1,Good,2001,,\n1,Other,2001,,\n", "line 3, column id: film #1 already exists"),
        ('1,"Bad\x07bell",2001,,\n', "line 2, column title: contains a control character"),
        ('1,"unclosed,2001,,\n', "unexpected end of data"),
        ("1," + "x" * 501 + ",2001,,\n", "column title: too long (501 characters"),
    ],
)
def test_first_bad_row_stops_the_import_and_nothing_is_written(
    run: Run, tmp_path: Path, rows: str, message: str
) -> None:
    path = write(tmp_path / "films.csv", f"{FILMS_HEADER}\n{rows}")
    assert message in run.error("import", "csv", "films", str(path))
    assert run.json("list") == []


def test_duplicate_of_a_film_already_in_the_database(demo: Run, tmp_path: Path) -> None:
    path = write(
        tmp_path / "films.csv", f"{FILMS_HEADER}\n,New one,2030,,\n,mission: impossible,1996,,\n"
    )
    line = demo.error("import", "csv", "films", str(path))
    assert "line 3, column title: mission: impossible (1996) is already tracked" in line
    assert len(demo.json("list")) == 8


@pytest.mark.parametrize("others", [True, False], ids=["among others", "the only film"])
def test_the_id_of_a_removed_film_whose_events_calendars_cancel_is_refused(
    run: Run, tmp_path: Path, others: bool
) -> None:
    """Calendars still cancel the removed film's releases under its id, which a new film
    would take over (`import json` gives such a film a new id). Whether or not other films
    remain."""
    if others:
        run("add", "Kept")
    run("add", "Gone", "--release", "2021-05-01")
    gone = run.json("countdown", "Gone", "-f", "json")["id"]
    run("remove", "Gone", "--yes")
    before = run.json("list")
    path = write(tmp_path / "films.csv", f"{FILMS_HEADER}\n,New,2030,,\n{gone},Taken over,,,\n")
    assert run.error("import", "csv", "films", str(path)) == (
        f"Error: {path}: line 3, column id: film #{gone} was removed from this database, and"
        " calendars still cancel its releases under that id (leave the cell empty for a new one)"
    )
    assert run.json("list") == before
    path = write(tmp_path / "films.csv", f"{FILMS_HEADER}\n,New,2030,,\n")
    run("import", "csv", "films", str(path))
    assert [film["id"] for film in run.json("list") if film["title"] == "New"] == [gone + 1]


def test_a_former_title_names_its_film_as_letterboxd_finds_it(demo: Run, tmp_path: Path) -> None:
    # #7's first title, in its year: #7 itself, not a second film taking the name over.
    rows = ",New one,2030,,\n,Mission: Impossible 7,2023,,\n"
    path = write(tmp_path / "films.csv", f"{FILMS_HEADER}\n{rows}")
    assert demo.error("import", "csv", "films", str(path)) == (
        f"Error: {path}: line 3, column title: Mission: Impossible 7 (2023) is a title of"
        " Mission: Impossible – Dead Reckoning Part One, already tracked as #7"
    )
    assert len(demo.json("list")) == 8
    assert demo.json("countdown", "Mission: Impossible 7", "-f", "json")["id"] == 7
    # In another year it is a remake, as a later title of another film is.
    path = write(tmp_path / "remake.csv", f"{FILMS_HEADER}\n,Mission: Impossible 7,2031,,\n")
    demo("import", "csv", "films", str(path))
    assert len(demo.json("list")) == 9


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("id,title,year,franchise", "missing column instalment"),
        ("id,title,year,franchise,instalment,rating", "unknown column 'rating'"),
        ("name,year", "missing columns id, title, franchise, instalment; unknown column 'name'"),
        ("id,title,year,franchise,instalment,title", "unknown"),
    ],
)
def test_missing_or_unknown_columns(run: Run, tmp_path: Path, header: str, message: str) -> None:
    path = write(tmp_path / "films.csv", header + "\n")
    line = run.error("import", "csv", "films", str(path))
    assert "line 1: " in line and message in line


def test_file_problems(run: Run, tmp_path: Path) -> None:
    assert "no such file" in run.error("import", "csv", "films", str(tmp_path / "none.csv"))
    empty = write(tmp_path / "empty.csv", "")
    assert "empty file" in run.error("import", "csv", "films", str(empty))
    assert "unknown CSV table 'film'; did you mean films?" in run.error(
        "import", "csv", "film", str(empty)
    )
    latin = tmp_path / "latin.csv"
    latin.write_bytes(f"{FILMS_HEADER}\n1,Caf\xe9,2001,,\n".encode("latin-1"))
    assert "not UTF-8" in run.error("import", "csv", "films", str(latin))
    assert "unknown CSV table" in run.error("export", "csv", "shoots")


def test_releases_import_checks_films_and_values(demo: Run, tmp_path: Path) -> None:
    header = "film_id,country,type,date,announced,source,note"
    cases = [
        ("99,US,theatrical,2030-01-01,2020-01-01,,", "line 2, column film_id: no film #99"),
        ("7,Narnia,theatrical,2030-01-01,2020-01-01,,", "line 2, column country: unknown"),
        ("7,US,cinema,2030-01-01,2020-01-01,,", "line 2, column type: unknown release type"),
        ("7,US,theatrical,05/06/2030,2020-01-01,,", "line 2, column date: ambiguous date"),
        ("7,US,theatrical,2030,,,", "line 2, column announced: cannot be empty"),
        ("7,US,theatrical,2030,TBA,,", "column announced: an announcement needs a day"),
    ]
    before = demo("export", "csv", "releases").stdout
    for row, message in cases:
        path = write(
            tmp_path / "releases.csv", f"{header}\n7,FR,digital,2030,2020-02-01,,\n{row}\n"
        )
        line = demo.error("import", "csv", "releases", str(path))
        assert message.replace("line 2", "line 3") in line, line
    assert demo("export", "csv", "releases").stdout == before


def test_releases_import_adds_to_the_history(demo: Run, tmp_path: Path) -> None:
    header = "film_id,country,type,date,announced,source,note"
    path = write(tmp_path / "r.csv", f"{header}\n7,us,Theatrical,Q2 2022,2020-10-01,,moved\n")
    demo("import", "csv", "releases", str(path))
    history = demo.json("history", "#7")
    assert history[-1]["date"] == "2022-Q2" and history[-1]["previous"] == "2021-11-19"


def test_dry_run_checks_everything_and_writes_nothing(
    demo: Run, tmp_path: Path, db_bytes: object
) -> None:
    good = write(tmp_path / "films.csv", f"{FILMS_HEADER}\n,New A,2030,,\n,New B,2031,,\n")
    before = counts(demo)
    out = demo("import", "csv", "films", str(good), "--dry-run").stdout
    assert out.strip() == "Dry run: 2 rows of films are fine; nothing written"
    assert counts(demo) == before
    bad = write(tmp_path / "bad.csv", f"{FILMS_HEADER}\n,New A,2030,,\n,new a,2030,,\n")
    assert "line 3, column title" in demo.error("import", "csv", "films", str(bad), "--dry-run")
    assert counts(demo) == before


def test_a_dry_run_into_a_database_not_made_yet_makes_none(run: Run, tmp_path: Path) -> None:
    good = write(tmp_path / "films.csv", f"{FILMS_HEADER}\n,New A,2030,,\n")
    target = tmp_path / "new.db"
    out = run("--db", str(target), "import", "csv", "films", str(good), "--dry-run").stdout
    assert out.strip() == "Dry run: 1 row of films is fine; nothing written"
    bad = write(tmp_path / "bad.csv", f"{FILMS_HEADER}\n,New A,2030,,\n,new a,2030,,\n")
    assert "line 3" in run.error(
        "--db", str(target), "import", "csv", "films", str(bad), "--dry-run"
    )
    assert not target.exists()
    run("--db", str(target), "import", "csv", "films", str(good))
    assert run.json("--db", str(target), "list")[0]["title"] == "New A"


def test_watchlists_and_diary_csv_errors(demo: Run, tmp_path: Path) -> None:
    header = "list,description,film_id,title,priority,note,added"
    path = write(tmp_path / "w.csv", f"{header}\nnew,,7,x,3,,2020-01-01\nnew,,7,x,3,,2020-01-01\n")
    assert "line 3, column film_id: film #7 is on this list twice" in demo.error(
        "import", "csv", "watchlists", str(path)
    )
    path = write(tmp_path / "w.csv", f"{header}\nnew,,7,x,6,,2020-01-01\n")
    assert "line 2, column priority: 6 is out of range (1-5)" in demo.error(
        "import", "csv", "watchlists", str(path)
    )
    assert [row["name"] for row in demo.json("watchlist", "list")] == ["watchlist"]
    header = "film_id,title,seen_on,rating,where,note"
    for row, message in [
        ("6,x,2018-07-28,5.5,,", "column rating: rating 5.5 is out of range"),
        ("6,x,2018-07-28,,sofa,", "column where: unknown place 'sofa'"),
        ("6,x,2030-01-01,,,", "column seen_on: 2030-01-01 is after today"),
        ("6,x,2018,,,", "column seen_on: '2018' is not a single day"),
        ("99,x,2018-07-28,,,", "column film_id: no film #99"),
    ]:
        path = write(tmp_path / "d.csv", f"{header}\n{row}\n")
        assert message in demo.error("import", "csv", "diary", str(path))
    path = write(tmp_path / "d.csv", f"{header},rewatch\n6,x,2018-07-28,,,,maybe\n")
    assert "line 2, column rewatch: 'maybe' is not true or false" in demo.error(
        "import", "csv", "diary", str(path)
    )
    assert demo.json("diary") == []


def test_a_diary_exported_before_letterboxds_fields_still_imports(
    demo: Run, tmp_path: Path
) -> None:
    """rewatch, tags and review came with Letterboxd (m008): a file without them is read
    as no rewatch, no tags, no review."""
    path = write(
        tmp_path / "d.csv", "film_id,title,seen_on,rating,where,note\n6,x,2018-07-28,4,,\n"
    )
    demo("import", "csv", "diary", str(path))
    (entry,) = demo.json("diary")
    assert (entry["rating"], entry["rewatch"], entry["tags"], entry["review"]) == (
        4,
        False,
        None,
        None,
    )
    assert demo("export", "csv", "diary").stdout.splitlines() == [
        "film_id,title,seen_on,rating,where,note,rewatch,tags,review",
        "6,Mission: Impossible – Fallout,2018-07-28,4,,,false,,",
    ]


def _films_file(path: Path, rows: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(FILMS_HEADER.split(","))
        for number in range(1, rows + 1):
            writer.writerow([number, f"Film {number} " + "x" * 60, 1900 + number % 300, "", ""])
    return path


# Measured in a fresh process: in the test process, allocations of whatever ran before (caches,
# hypothesis, garbage not yet collected) landed in the peak and failed about one run in three.
PEAKS = """
import datetime, gc, json, sys, tracemalloc
from pathlib import Path
from tracker.csv_lines import UNIT
from tracker.exchange import csv as csvio
from tracker.store import memory_store

def peak(action):
    gc.collect()
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

def round_trip(source, target):
    store = memory_store()
    today = datetime.date(2020, 10, 15)
    peak_in = peak(lambda: csvio.import_csv(store, "films", source, today=today))
    with target.open("w", newline="", encoding="utf-8") as handle:
        peak_out = peak(lambda: csvio.export(store, "films", handle))
    return store.value("SELECT count(*) FROM films"), peak_in, peak_out

warm_up, source, target = (Path(arg) for arg in sys.argv[1:])
round_trip(warm_up, target)  # lazy imports and first-use caches, outside the measure
print(json.dumps(round_trip(source, target)))
"""


def _peaks(tmp_path: Path, source: Path, target: Path) -> tuple[int, int, int]:
    # Big enough for several export chunks, so every lazy import and code path runs (and is
    # compiled, on a fresh clone) before the measure.
    warm_up = _films_file(tmp_path / "warm_up.csv", 12_000)
    done = subprocess.run(
        [sys.executable, "-c", PEAKS, str(warm_up), str(source), str(target)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    count, peak_in, peak_out = json.loads(done.stdout)
    return count, peak_in, peak_out


def test_streaming_import_and_export_keep_memory_flat(tmp_path: Path) -> None:
    """Memory does not grow with the file: at 60,000 rows (4.8 MB) it stays under 4 MB and
    within two export chunks of its peak at 15,000 rows. (How many chunks wait for the writer
    thread at once, one to three, depends on the machine's load, never on the file.)"""
    peaks = {}
    for rows in (15_000, 60_000):
        path = _films_file(tmp_path / f"films{rows}.csv", rows)
        out = tmp_path / f"out{rows}.csv"
        count, peak_in, peak_out = _peaks(tmp_path, path, out)
        assert count == rows
        assert out.read_bytes() == path.read_bytes()
        peaks[rows] = (peak_in, peak_out)
    assert (tmp_path / "films60000.csv").stat().st_size > 4_500_000
    assert peaks[60_000][0] < 1.25 * peaks[15_000][0] + 100_000, peaks
    assert peaks[60_000][1] < peaks[15_000][1] + 1_000_000, peaks
    assert max(peaks[60_000]) < 4_000_000, peaks


def test_progress_reports_only_when_asked(tmp_path: Path, run: Run) -> None:
    path = write(tmp_path / "films.csv", f"{FILMS_HEADER}\n,A,2001,,\n")
    seen: list[tuple[int, int]] = []
    csvio.import_csv(
        blank_memory_store(), "films", path, today=TODAY, progress=lambda *a: seen.append(a)
    )
    assert seen[-1][0] == seen[-1][1] == path.stat().st_size
    result = run("import", "csv", "films", str(path))
    assert result.stderr == ""  # no progress bar when stderr is not a terminal


# Property-based tests of the cell paths ------------------------------------------------

# Any text tracker would store (tracker.validation refuses the rest, e.g. only invisible
# characters, or bidi controls).
stored_text = (
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60)
    .map(str.strip)
    .filter(lambda text: bool(text) and text_problem(text) is None)
)


@given(st.text(max_size=40))
def test_neutralise_is_undone_by_restore(value: str) -> None:
    safe = cells.neutralise(value)
    assert not safe.startswith(cells.FORMULA_START)
    assert cells.restore(safe) == value


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            stored_text, st.one_of(st.none(), stored_text), st.one_of(st.none(), stored_text)
        ),
        min_size=1,
        max_size=5,
        unique_by=lambda item: name_key(item[0]),
    )
)
def test_any_stored_text_survives_a_csv_round_trip(
    films: list[tuple[str, str | None, str | None]],
) -> None:
    store = blank_memory_store()
    for number, (title, franchise, note) in enumerate(films, start=1):
        store.insert(
            "films",
            {"id": number, "title": title, "title_key": name_key(title), "franchise": franchise},
        )
        store.insert(
            "releases",
            {
                "film_id": number,
                "type": "theatrical",
                "announced": "2020-01-01",
                "announced_start": "2020-01-01",
                "note": note,
            },
        )
    exported = {}
    for name in ("films", "releases"):
        out = io.StringIO(newline="")
        csvio.export(store, name, out)
        exported[name] = out.getvalue()
    fresh = blank_memory_store()
    for name, text in exported.items():
        path = _temp_file(text)
        try:
            csvio.import_csv(fresh, name, path, today=TODAY)
        finally:
            path.unlink()
    assert fresh.rows("SELECT id, title, franchise FROM films ORDER BY id") == store.rows(
        "SELECT id, title, franchise FROM films ORDER BY id"
    )
    assert [row[0] for row in fresh.rows("SELECT note FROM releases ORDER BY id")] == [
        row[0] for row in store.rows("SELECT note FROM releases ORDER BY id")
    ]


def _temp_file(text: str) -> Path:
    import tempfile

    with tempfile.NamedTemporaryFile(
        "w", suffix=".csv", delete=False, newline="", encoding="utf-8"
    ) as handle:
        handle.write(text)
    return Path(handle.name)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(st.text(max_size=12), min_size=5, max_size=5), max_size=6))
def test_any_csv_file_imports_or_fails_with_a_line_number(cells: list[list[str]]) -> None:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(FILMS_HEADER.split(","))
    writer.writerows(cells)
    path = _temp_file(out.getvalue())
    store = blank_memory_store()
    try:
        result = csvio.import_csv(store, "films", path, today=TODAY)
    except BadFile as error:
        assert "line " in str(error)
        assert store.value("SELECT count(*) FROM films") == 0
    else:
        assert store.value("SELECT count(*) FROM films") == result.rows
    finally:
        path.unlink()


def test_bad_file_error_never_breaks_the_line_rule() -> None:
    with pytest.raises(BadFile, match="line 2, column year"):
        path = _temp_file(f"{FILMS_HEADER}\r\n1,A,x,,\r\n")
        try:
            csvio.import_csv(blank_memory_store(), "films", path, today=TODAY)
        finally:
            path.unlink()


cell_text = st.text(
    alphabet=st.characters(blacklist_characters="\x1e\x1f", blacklist_categories=("Cs",)),
    max_size=12,
)


@given(st.lists(st.lists(cell_text, min_size=1, max_size=4), min_size=1, max_size=8))
def test_export_lines_are_what_csv_writer_writes(rows: list[list[str]]) -> None:
    """Export builds CSV itself (for speed): it must equal the csv module's output."""
    expected = io.StringIO(newline="")
    csv.writer(expected, lineterminator="\r\n").writerows(rows)
    got = csvio.csv_text([UNIT.join(row) for row in rows])
    if any(row == [""] for row in rows):
        return  # csv.writer writes a lone empty cell as "" (never a case in our tables)
    assert got == expected.getvalue()
    assert list(csv.reader(io.StringIO(got, newline=""))) == rows


def test_bulk_load_into_an_empty_table_keeps_the_indexes(tmp_path: Path) -> None:
    store = blank_memory_store()

    def indexes() -> list[str]:
        rows = store.rows("SELECT sql FROM sqlite_master WHERE type = 'index' ORDER BY name")
        return [row["sql"] for row in rows]

    before = indexes()
    path = write(tmp_path / "films.csv", f"{FILMS_HEADER}\n1,A,2001,,\n2,B,2002,,\n")
    csvio.import_csv(store, "films", path, today=TODAY, dry_run=True)
    assert indexes() == before and store.value("SELECT count(*) FROM films") == 0
    bad = write(tmp_path / "bad.csv", f"{FILMS_HEADER}\n1,A,2001,,\n2,a,2001,,\n")
    with pytest.raises(BadFile, match="line 3, column title"):
        csvio.import_csv(store, "films", bad, today=TODAY)
    assert indexes() == before and store.value("SELECT count(*) FROM films") == 0
    csvio.import_csv(store, "films", path, today=TODAY)
    assert indexes() == before and store.value("SELECT count(*) FROM films") == 2


def test_a_failed_export_leaves_no_file(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    assert "unknown CSV table" in run.error("export", "csv", "shoots", "-o", str(target))
    assert "no watchlist named" in run.error(
        "export", "letterboxd", "--watchlist", "nope", "-o", str(target)
    )
    assert not target.exists()


def test_export_refuses_separator_characters_rather_than_shift_cells(tmp_path: Path) -> None:
    store = blank_memory_store()
    store.insert("films", {"id": 1, "title": "A\x1fB", "title_key": "a\x1fb"})
    with pytest.raises(BadFile, match="control characters"):
        csvio.export(store, "films", io.StringIO())
