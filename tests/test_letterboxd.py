"""Letterboxd: its export files in, its import format out."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.conftest import Run

WATCHLIST = (
    "Date,Name,Year,Letterboxd URI\n"
    "2019-03-01,Mission: Impossible – Fallout,2018,https://boxd.it/abc\n"
    "2020-02-02,Tenet,2020,https://boxd.it/def\n"
)
DIARY = (
    "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n"
    "2018-07-29,Mission: Impossible – Fallout,2018,https://boxd.it/x,4.5,,,2018-07-28\n"
    '2020-09-01,"Tenet",2020,https://boxd.it/y,3,Yes,"imax, 70mm",2020-08-30\n'
    "2020-09-02,Parasite,2019,https://boxd.it/z,,,,2020-09-02\n"
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    return path


def test_watchlist_csv_becomes_the_default_list(demo: Run, tmp_path: Path) -> None:
    path = write(tmp_path, "watchlist.csv", WATCHLIST)
    out = demo("import", "letterboxd", str(path)).stdout
    assert out.strip() == (
        "Read 2 rows from watchlist.csv: 2 added to the watchlist, 0 already there, 1 new films"
    )
    rows = demo.json("watchlist", "show", "watchlist", "--sort", "added")
    assert [(row["id"], row["title"], row["added"]) for row in rows] == [
        (6, "Mission: Impossible – Fallout", "2019-03-01"),  # matched by title and year
        (9, "Tenet", "2020-02-02"),
    ]
    assert demo.json("show", "Tenet")["year"] == 2020


def test_importing_the_same_file_twice_changes_nothing(demo: Run, tmp_path: Path) -> None:
    for name, text in (("watchlist.csv", WATCHLIST), ("diary.csv", DIARY)):
        path = write(tmp_path, name, text)
        demo("import", "letterboxd", str(path))
        before = (demo("export", "json").stdout, demo.json("diary"))
        out = demo("import", "letterboxd", str(path)).stdout
        assert "0 added" in out and ", 0 new films" in out
        assert (demo("export", "json").stdout, demo.json("diary")) == before


def test_diary_csv_becomes_viewings(demo: Run, tmp_path: Path) -> None:
    demo("import", "letterboxd", str(write(tmp_path, "diary.csv", DIARY)))
    rows = demo.json("diary")
    assert [(row["title"], row["seen_on"], row["rating"]) for row in rows] == [
        ("Parasite", "2020-09-02", None),
        ("Tenet", "2020-08-30", 3.0),
        ("Mission: Impossible – Fallout", "2018-07-28", 4.5),
    ]


def test_watched_csv_is_told_apart_by_its_name(demo: Run, tmp_path: Path) -> None:
    path = write(tmp_path, "watched.csv", WATCHLIST)
    demo("import", "letterboxd", str(path))
    assert [row["seen_on"] for row in demo.json("diary")] == ["2020-02-02", "2019-03-01"]
    assert demo.json("watchlist", "show", "watchlist") == []


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("films.csv", "id,title,year\n1,x,2000\n", "not a Letterboxd watchlist.csv"),
        ("export.csv", WATCHLIST, "name the file watchlist.csv or watched.csv"),
        ("watchlist.csv", "Date,Name,Year,Letterboxd URI\n2020-01-01,X,20x0,u\n", "line 2: Year"),
        (
            "diary.csv",
            DIARY.replace(",4.5,", ",7,"),
            "line 2: rating 7 is out of range",
        ),
        ("watchlist.csv", "Date,Name,Year,Letterboxd URI\n2020/01/01,X,2000,u\n", "line 2"),
    ],
)
def test_a_file_of_another_shape_is_one_error(
    demo: Run, tmp_path: Path, name: str, text: str, message: str
) -> None:
    before = demo("export", "json").stdout
    assert message in demo.error("import", "letterboxd", str(write(tmp_path, name, text)))
    assert demo("export", "json").stdout == before


def test_kind_option_overrides_the_name(demo: Run, tmp_path: Path) -> None:
    path = write(tmp_path, "export.csv", WATCHLIST)
    demo("import", "letterboxd", str(path), "--kind", "watchlist")
    assert len(demo.json("watchlist", "show", "watchlist")) == 2
    assert "needs the columns" in demo.error("import", "letterboxd", str(path), "--kind", "diary")


def test_export_letterboxd_diary_and_list(demo: Run, tmp_path: Path) -> None:
    demo("seen", "#6", "--on", "2018-07-28", "--rating", "4", "--note", "HALO jump, wow")
    demo("seen", "#5", "--on", "2015-08-01", "--rating", "3.5")
    out = demo("export", "letterboxd").stdout_bytes.decode("utf-8")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows == [
        ["Title", "Year", "WatchedDate", "Rating", "Review"],
        ["Mission: Impossible – Rogue Nation", "2015", "2015-08-01", "3.5", ""],
        ["Mission: Impossible – Fallout", "2018", "2018-07-28", "4", "HALO jump, wow"],
    ]
    demo("watch", "#7")
    target = tmp_path / "list.csv"
    demo("export", "letterboxd", "--watchlist", "watchlist", "-o", str(target))
    listed = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert [(row["Title"], row["Year"], row["WatchedDate"]) for row in listed] == [
        ("Mission: Impossible – Dead Reckoning Part One", "2023", "")
    ]


def test_export_then_import_as_a_diary_round_trips(demo: Run, tmp_path: Path) -> None:
    """Our export, renamed to Letterboxd's diary columns, reads back to the same viewings."""
    demo("seen", "#6", "--on", "2018-07-28", "--rating", "4.5")
    rows = list(csv.DictReader(io.StringIO(demo("export", "letterboxd").stdout)))
    text = "Date,Name,Year,Letterboxd URI,Rating,Watched Date\n" + "".join(
        f"{r['WatchedDate']},{r['Title']},{r['Year']},,{r['Rating']},{r['WatchedDate']}\n"
        for r in rows
    )
    demo("import", "letterboxd", str(write(tmp_path, "diary.csv", text)))
    assert len(demo.json("diary")) == 1  # the same viewing: nothing added
