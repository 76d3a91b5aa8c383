"""Spreadsheets and the shell: every csv/tsv cell through the one neutraliser (--raw for
scripts), IANA TSV, CRLF csv, BOM, date columns to sort by, tables that fit the terminal,
root options anywhere, plain usage errors, `tracker info`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import Run
from tracker import cells, render
from tracker.cells import FORMULA_START
from tracker.cli import common
from tracker.store import migrations

# -- what a spreadsheet does with our files (LibreOffice Calc's CSV import, offline) --------


def spreadsheet_text(data: bytes) -> str:
    """How LibreOffice's CSV import decodes a file with default settings: UTF-8 when the
    file starts with a byte-order mark, else the system's 8-bit character set (Windows-1252
    on Western systems), which turns "Amélie" into "AmÃ©lie"."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    return data.decode("cp1252", errors="replace")


def spreadsheet_value(text: str) -> object:
    """A cell as Calc's "detect special numbers" reads it: an ISO day becomes a date (a
    number that sorts by time), digits a number, the rest text; a leading apostrophe is the
    user's mark for text and is not shown as a formula."""
    import datetime

    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


@pytest.fixture
def formulas(demo: Run) -> Run:
    """Cells that would run as formulas in every list-valued and plain column."""
    demo("edit", "#6", "--alias", "=HYPERLINK(1)")
    demo("add", "@cmd", "--year", "2021")  # #9
    # A place and a list of films (its first one @cmd) that would both run as formulas.
    shoot = ("shoot", "add", "--country", "IT", "--from", "2020-10-01", "--to", "2020-11-30")
    demo("edit", "#1", "--title", "+One")
    demo(*shoot, "--also", "#8", "--", "#1", "=Alpha")
    return demo


@pytest.mark.parametrize(
    "command",
    [
        ("show", "#6"),
        ("shoot", "list"),
        ("filming",),
        ("list",),
    ],
)
@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_no_listing_cell_starts_a_formula(
    formulas: Run, command: tuple[str, ...], fmt: str
) -> None:
    out = formulas(*command, "-f", fmt).stdout
    rows = (
        list(csv.reader(io.StringIO(out)))
        if fmt == "csv"
        else [line.split("\t") for line in out.splitlines()]
    )
    cells_seen = [cell for row in rows for cell in row]
    assert not any(cell.startswith(FORMULA_START) for cell in cells_seen), cells_seen
    assert any(cell.startswith("'") for cell in cells_seen)  # something was made inert


def test_raw_prints_cells_as_stored(formulas: Run) -> None:
    shown = formulas("show", "#6", "-f", "csv", "--raw").stdout
    assert next(csv.DictReader(io.StringIO(shown)))["aliases"] == "=HYPERLINK(1)"
    inert = formulas("show", "#6", "-f", "csv").stdout
    assert next(csv.DictReader(io.StringIO(inert)))["aliases"] == "'=HYPERLINK(1)"
    places = formulas("--raw", "shoot", "list", "-f", "tsv").stdout  # before the command too
    assert "\t=Alpha\t" in places and "\t+One; Mission" in places
    assert "\t'+One; Mission" in formulas("shoot", "list", "-f", "tsv").stdout


def test_neutralise_and_restore_round_trip_any_cell() -> None:
    for value in ["=1", "'=1", "''+x", "plain", "-", "", "'"]:
        assert cells.restore(cells.neutralise(value)) == value
    assert cells.cell(["=a", "b"]) == "'=a; b"
    assert cells.cell(-3) == "-3"  # a number is never a formula
    assert cells.cell(None) == ""
    assert cells.cell("=x", raw=True) == "=x"


@given(st.text())
def test_tsv_escape_round_trips_and_keeps_one_line(text: str) -> None:
    escaped = render.tsv_escape(text)
    assert "\t" not in escaped and "\n" not in escaped and "\r" not in escaped
    assert render.tsv_unescape(escaped) == text


def test_tsv_follows_the_iana_rule(demo: Run, tmp_path: Path) -> None:
    """No quoting (`cut -f2` gives the title as stored); a review's line break and a
    backslash are written \\n and \\\\."""
    demo("add", 'The "Quoted" Film', "--year", "2021")
    (tmp_path / "reviews.csv").write_text(
        "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Review,Tags,Watched Date\n"
        '2020-09-01,Tenet,2020,,3,,"one\\two\nthree",,2020-08-30\n',
        encoding="utf-8",
    )
    demo("import", "letterboxd", str(tmp_path / "reviews.csv"))
    listed = demo("list", "-f", "tsv").stdout.splitlines()
    titles = [line.split("\t")[1] for line in listed]
    assert 'The "Quoted" Film' in titles
    diary = demo("diary", "-f", "tsv").stdout.splitlines()
    header = diary[0].split("\t")
    assert len(diary) == 2  # one row: the line break did not split it
    review = diary[1].split("\t")[header.index("review")]
    assert review == "one\\\\two\\nthree"
    assert render.tsv_unescape(review) == "one\\two\nthree"


def test_every_csv_we_write_ends_lines_with_crlf(demo: Run) -> None:
    for args in (("list", "-f", "csv"), ("export", "csv", "films"), ("export", "letterboxd")):
        data = demo(*args).stdout_bytes
        assert data.endswith(b"\r\n"), args
        assert data.count(b"\n") == data.count(b"\r\n"), args


def test_bom_makes_spreadsheets_read_utf8(demo: Run, tmp_path: Path) -> None:
    demo("add", "Amélie", "--year", "2001")
    plain = tmp_path / "plain.csv"
    marked = tmp_path / "marked.csv"
    demo("export", "csv", "films", "-o", str(plain))
    demo("export", "csv", "films", "--bom", "-o", str(marked))
    assert "AmÃ©lie" in spreadsheet_text(plain.read_bytes())  # what the issue saw
    assert "Amélie" in spreadsheet_text(marked.read_bytes())
    assert marked.read_bytes().startswith(b"\xef\xbb\xbf")
    # import csv reads both (and the round trip is exact).
    fresh = str(tmp_path / "fresh.db")
    demo("--db", fresh, "import", "csv", "films", str(marked))
    assert [f["title"] for f in demo.json("--db", fresh, "list")][-1] == "Amélie"
    letterboxd = demo("export", "letterboxd", "--bom").stdout_bytes
    assert letterboxd.startswith(b"\xef\xbb\xbfTitle,")


def test_release_date_columns_sort_every_precision(demo: Run, tmp_path: Path) -> None:
    demo("release", "#8", "2024", "--country", "GB")
    demo("release", "#8", "2024-Q2", "--country", "FR")
    demo("release", "#8", "2024-05", "--country", "DE")
    path = tmp_path / "releases.csv"
    demo("export", "csv", "releases", "--bom", "-o", str(path))
    rows = list(csv.DictReader(io.StringIO(spreadsheet_text(path.read_bytes()))))
    by_country = {row["country"]: row for row in rows if row["film_id"] == "8"}
    assert [
        (by_country[c]["date_start"], by_country[c]["date_end"]) for c in ("GB", "FR", "DE")
    ] == [
        ("2024-01-01", "2024-12-31"),
        ("2024-04-01", "2024-06-30"),
        ("2024-05-01", "2024-05-31"),
    ]
    # In a spreadsheet every filled date_start is a date (the year-only `date` is a number).
    assert spreadsheet_value(by_country["GB"]["date"]) == 2024.0
    starts = [spreadsheet_value(row["date_start"]) for row in rows if row["date_start"]]
    assert all(hasattr(start, "isoformat") for start in starts)


def test_import_csv_takes_releases_with_and_without_the_date_columns(
    demo: Run, tmp_path: Path
) -> None:
    full = demo("export", "csv", "releases").stdout
    rows = list(csv.reader(io.StringIO(full)))
    keep = [i for i, name in enumerate(rows[0]) if name not in ("date_start", "date_end")]
    short = "".join(",".join(row[i] for i in keep) + "\r\n" for row in rows)
    films = demo("export", "csv", "films").stdout
    for name, text in (("full.csv", full), ("short.csv", short)):
        db = str(tmp_path / f"{name}.db")
        (tmp_path / "films.csv").write_text(films, encoding="utf-8", newline="")
        (tmp_path / name).write_text(text, encoding="utf-8", newline="")
        demo("--db", db, "import", "csv", "films", str(tmp_path / "films.csv"))
        out = demo("--db", db, "import", "csv", "releases", str(tmp_path / name)).stdout
        assert out.strip() == f"Imported {len(rows) - 1} rows of releases"
        assert demo("--db", db, "export", "csv", "releases").stdout == full


# -- the terminal ---------------------------------------------------------------------------


def test_a_table_fits_the_width_by_shortening_the_widest_column() -> None:
    rows = [
        {"id": 1, "title": "A" * 90, "status": "filming"},
        {"id": 2, "title": "Short", "status": "released"},
    ]
    text = render.table(rows, width=60)
    from wcwidth import wcswidth

    assert max(wcswidth(line) for line in text.splitlines()) <= 60
    assert "…" in text and "released" in text and "Short" in text
    assert render.table(rows) == render.table(rows, width=None)  # piped: whole
    assert "A" * 90 in render.table(rows)


LONG_TITLE = "The Unbearably Long and Winding Title of a Film That Never Seems to End"


def test_tables_fit_a_terminal_and_wide_prints_them_whole(
    demo: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo("add", LONG_TITLE)
    monkeypatch.setattr(common, "terminal_width", lambda: None if common.OUTPUT.wide else 70)
    narrow = demo("list").stdout
    assert max(len(line) for line in narrow.splitlines()) <= 70
    assert "…" in narrow
    wide = demo("list", "--wide").stdout
    assert LONG_TITLE in wide


def test_piped_output_is_never_shortened(demo: Run) -> None:
    demo("add", LONG_TITLE)
    assert LONG_TITLE in demo("list").stdout  # CliRunner's stdout is not a terminal


# -- the shell ------------------------------------------------------------------------------


def test_root_options_work_anywhere_on_the_line(run: Run, tmp_path: Path) -> None:
    db = str(tmp_path / "other.db")
    run("add", "Tenet", "--year", "2020", "--db", db)
    run("release", "Tenet", "2020-09-03", "--country", "US", "--db", db, "--today", "2020-07-01")
    after = run("upcoming", "--db", db, "--today", "2020-08-01", "-f", "json").stdout
    assert [row["title"] for row in json.loads(after)] == ["Tenet"]
    assert (
        json.loads(run("upcoming", f"--db={db}", "--today=2020-10-01", "-f", "json").stdout) == []
    )
    assert run.json("list") == []  # the default database was not touched


def test_usage_errors_are_one_line_with_the_help_to_read(run: Run) -> None:
    unknown = run.error("list", "--frobnicate")
    assert unknown.startswith("Error: No such option: --frobnicate")
    assert unknown.endswith(" (see 'tracker list --help')")
    assert run.error("show") == "Error: Missing argument 'film' (see 'tracker show --help')"


def test_info_names_the_database_in_use(demo: Run, isolated: Path) -> None:
    demo("seen", "#6", "--on", "2018-07-28")
    info = demo.json("info")
    assert info["path"] == str(isolated.resolve())
    assert info["size_bytes"] > 0
    assert info["schema"] == migrations.KNOWN[-1] and info["schema_version"] >= 6
    assert len(info["uuid"]) == 36
    assert (info["films"], info["viewings"]) == (8, 1)
    assert info["last_change"].startswith("seen")
    table = demo("info").stdout
    assert str(isolated.resolve()) in table and info["uuid"] in table


# -- progress bars --------------------------------------------------------------------------


def test_progress_bars_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from tracker.cli import progress

    with progress.progress_bar("Importing") as update:
        assert update is None  # tests are not a terminal
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    with progress.progress_bar("Exporting", data_on_stdout=True) as update:
        assert update is None  # the data itself goes to the terminal
    with progress.progress_bar("Importing") as update:
        assert update is not None
        update(10, 10)  # a job already done draws nothing
        update(5, 10)
        update(10, 10)


def test_rich_is_not_imported_to_list_films(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "TRACKER_DB": str(tmp_path / "t.db")}
    script = (
        "import sys, runpy; sys.argv = ['tracker', 'list', '-f', 'csv'];"
        "import tracker.cli as cli\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
        "print('rich' in sys.modules, file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert done.stderr.strip().splitlines()[-1] == "False"


def test_import_csv_reads_inert_and_raw_cells_alike(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "films.csv"
    path.write_text(
        "id,title,year,franchise,instalment\r\n1,'=One,2001,,\r\n2,=Two,2002,'+F,\r\n",
        encoding="utf-8",
    )
    run("import", "csv", "films", str(path))
    films = run.json("list")
    assert sorted((film["title"], film["franchise"]) for film in films) == [
        ("=One", None),
        ("=Two", "+F"),
    ]


def test_root_options_are_moved_before_the_command_up_to_a_double_dash() -> None:
    from tracker.cli import hoist_root_options

    assert hoist_root_options(["list", "--db", "x.db", "-f", "csv", "--raw"]) == [
        "--db", "x.db", "--raw", "list", "-f", "csv",
    ]  # fmt: skip
    # The last one on the line wins, as everywhere in click.
    assert hoist_root_options(["--today", "2020-01-01", "upcoming", "--today=2021-01-01"]) == [
        "--today", "2020-01-01", "--today=2021-01-01", "upcoming",
    ]  # fmt: skip
    assert hoist_root_options(["--wide", "list"]) == ["--wide", "list"]
    assert hoist_root_options([]) == []
    # After `--` every word is an argument, a film may be called "--db".
    assert hoist_root_options(["add", "--", "--db"]) == ["add", "--", "--db"]
