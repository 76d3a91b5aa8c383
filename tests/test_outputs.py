"""Files a command writes (-o, backup): replaced whole or not at all, never the database,
another SQLite file or something that is not a regular file (issue 11, finding 1)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import Run

EXPORTS = [
    ["export", "json"],
    ["export", "csv", "releases"],
    ["export", "csv", "films"],
    ["export", "letterboxd"],
    ["export", "ics"],
]


@pytest.mark.parametrize("command", EXPORTS, ids=lambda c: " ".join(c[1:]))
@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_an_export_never_replaces_the_database_or_its_files(
    demo: Run, isolated: Path, command: list[str], suffix: str
) -> None:
    target = isolated.with_name(isolated.name + suffix)
    before = target.read_bytes() if target.exists() else None
    assert "refusing" in demo.error(*command, "-o", str(target))
    assert (target.read_bytes() if target.exists() else None) == before
    assert [film["title"] for film in demo.json("list")]  # the database still answers


def test_an_export_through_a_symlink_or_another_name_for_the_database_is_refused(
    demo: Run, isolated: Path, tmp_path: Path
) -> None:
    link = tmp_path / "innocent.csv"
    link.symlink_to(isolated)
    before = isolated.read_bytes()
    assert "database itself" in demo.error("export", "csv", "films", "-o", str(link))
    dotted = tmp_path / "." / isolated.name
    assert "database itself" in demo.error("export", "json", "-o", str(dotted))
    assert isolated.read_bytes() == before


def test_an_export_refuses_another_sqlite_file_and_non_regular_files(
    demo: Run, tmp_path: Path
) -> None:
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    before = other.read_bytes()
    assert "is a SQLite database" in demo.error("export", "json", "-o", str(other))
    assert other.read_bytes() == before
    assert "folder" in demo.error("export", "json", "-o", str(tmp_path))
    assert "not a regular file" in demo.error("export", "json", "-o", "/dev/null")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert "not a regular file" in demo.error("export", "ics", "-o", str(fifo))


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="/dev/stdout is a /proc link")
def test_an_export_to_dev_stdout_on_a_pipe_says_it_is_not_a_regular_file(demo: Run) -> None:
    """`-o /dev/stdout | grep ...`: the link leads to a pipe, which has no path; the error
    said "cannot write /dev/stdout: No such file or directory"."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "tracker", "export", "ics", "-o", "/dev/stdout"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == "Error: /dev/stdout is not a regular file; refusing to write it\n"


def test_an_export_replaces_an_old_file_whole_and_writes_through_a_symlink(
    demo: Run, tmp_path: Path
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    real = folder / "real.csv"
    real.write_text("old\n")
    real.chmod(0o640)
    link = folder / "link.csv"
    link.symlink_to(real)
    demo("export", "csv", "films", "-o", str(link))
    assert link.is_symlink()  # the link stays; the file it names was replaced
    assert real.read_text().startswith("id,title")
    assert oct(real.stat().st_mode & 0o777) == oct(0o640)
    assert sorted(p.name for p in folder.iterdir()) == ["link.csv", "real.csv"]


def test_a_failed_export_leaves_the_old_file_as_it_was(demo: Run, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "list.csv"
    target.write_text("old\n")
    demo.error("export", "letterboxd", "-w", "nope", "-o", str(target))
    assert target.read_text() == "old\n"
    assert [p.name for p in folder.iterdir()] == ["list.csv"]


def test_backup_refuses_the_database_and_an_unsafe_target(
    demo: Run, isolated: Path, tmp_path: Path
) -> None:
    before = isolated.read_bytes()
    assert "database itself" in demo.error("backup", str(isolated), "--force")
    assert "database itself" in demo.error(
        "backup", str(isolated.with_name(isolated.name + "-wal")), "--force"
    )
    assert "not a regular file" in demo.error("backup", "/dev/null", "--force")
    assert isolated.read_bytes() == before


def test_backup_to_a_name_too_long_is_one_error(demo: Run, tmp_path: Path) -> None:
    message = demo.error("backup", str(tmp_path / ("b" * 300)))
    assert "cannot write backup" in message and "too long" in message


def test_a_write_that_fails_midway_leaves_the_old_file_and_no_partial(tmp_path: Path) -> None:
    from tracker.files import text_output

    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "export.json"
    target.write_text("old\n")
    with pytest.raises(ZeroDivisionError), text_output(target) as handle:
        handle.write("half of the new")
        _ = 1 / 0
    assert target.read_text() == "old\n"
    assert [p.name for p in folder.iterdir()] == ["export.json"]
