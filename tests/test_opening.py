"""Opening a database (issue 11): another program's SQLite file, a newer or damaged tracker
database, a missing one, --db "", and migrations raced by many processes."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DEMO, Run
from tracker.store import migrations, open_store


def _other_app(path: Path) -> bytes:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, data BLOB)")
    conn.execute("INSERT INTO photos (data) VALUES (x'00ff')")
    conn.commit()
    conn.close()
    return path.read_bytes()


@pytest.mark.parametrize("command", [["list"], ["add", "Dune"], ["import", "json", str(DEMO)]])
def test_another_programs_database_is_refused_untouched(
    run: Run, tmp_path: Path, command: list[str]
) -> None:
    other = tmp_path / "other-app.db"
    before = _other_app(other)
    message = run.error("--db", str(other), *command)
    assert message == (
        f"Error: {other} is a SQLite database of another program; tracker only opens its own"
        " (create a new one with --db NEW.db)"
    )
    assert other.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other-app.db", "tracker.db"]


def test_a_database_marked_by_another_program_is_refused(run: Run, tmp_path: Path) -> None:
    other = tmp_path / "marked.db"
    conn = sqlite3.connect(other)
    conn.execute("PRAGMA application_id = 42")
    conn.commit()
    conn.close()
    assert "another program" in run.error("--db", str(other), "list")


def test_a_tracker_database_is_marked(run: Run, isolated: Path) -> None:
    run("add", "Dune")
    conn = sqlite3.connect(isolated)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == migrations.APPLICATION_ID
    assert isolated.read_bytes()[68:72] == b"Trkr"


def test_a_newer_schema_is_refused_with_its_bytes_unchanged(run: Run, isolated: Path) -> None:
    run("add", "Dune")
    conn = sqlite3.connect(isolated)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name) VALUES ('tracker', 'm999_x')"
    )
    conn.commit()
    conn.execute("PRAGMA journal_mode = DELETE")  # the switch back to WAL would show
    conn.close()
    before = isolated.read_bytes()
    for command in (["list"], ["add", "Tenet"]):
        assert "newer version of tracker" in run.error(*command)
    assert isolated.read_bytes() == before
    assert not isolated.with_name("tracker.db-wal").exists()


def _damage(path: Path, page: int) -> None:
    with path.open("r+b") as handle:
        handle.seek((page - 1) * 4096)
        handle.write(bytes(4096))


def _films_root_page(path: Path) -> int:
    conn = sqlite3.connect(path)
    page: int = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'films'").fetchone()[
        0
    ]
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    return page


def test_a_damaged_database_is_reported_with_the_way_out_and_not_written(
    demo: Run, isolated: Path
) -> None:
    _damage(isolated, _films_root_page(isolated))
    before = isolated.read_bytes()
    for command in (["list"], ["export", "json"], ["add", "Tenet"]):
        message = demo.error(*command)
        assert "is damaged" in message and "tracker check" in message and ".bak" in message
    assert isolated.read_bytes()[100:] == before[100:]  # page 1 may only switch to WAL
    result = demo("check", code=1)
    assert "integrity:" in result.stdout and "restore a backup" in result.stdout


def test_a_truncated_database_is_refused_before_anything_writes(demo: Run, isolated: Path) -> None:
    _films_root_page(isolated)  # leaves WAL, so the file alone holds the database
    data = isolated.read_bytes()
    isolated.write_bytes(data[: len(data) // 2])
    assert "is damaged" in demo.error("list")
    assert isolated.read_bytes() == data[: len(data) // 2]


def test_a_checkpoint_seen_halfway_is_not_called_damaged(
    demo: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process's last connection checkpoints (page 1 first, then the file grows) and
    deletes its log while this one reads the header: the second look sees the whole file."""
    from tracker.store import connection

    _films_root_page(isolated)
    real_read = connection._read_header
    looks: list[int] = []

    def read_halfway(path: Path) -> tuple[bytes | None, int]:
        header, size = real_read(path)
        looks.append(size)
        return header, size // 2 if len(looks) == 1 else size

    monkeypatch.setattr(connection, "_read_header", read_halfway)
    assert "Mission: Impossible 8" in demo("list").stdout
    assert len(looks) == 2


def test_a_log_that_vanishes_between_looks_is_no_log(
    demo: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The -wal of another process can be deleted at any moment: whatever stat says then, the
    command runs (it once failed with 'tracker.db-wal: No such file or directory')."""
    real_stat = os.stat
    looks = 0

    def log_gone(path: object, *args: object, **kwargs: object) -> os.stat_result:
        nonlocal looks
        if not str(path).endswith("-wal"):
            return real_stat(path, *args, **kwargs)  # type: ignore[arg-type]
        looks += 1  # there at every first look, gone at the next
        if looks % 2:
            return real_stat(isolated)
        raise FileNotFoundError(2, "No such file or directory", str(path))

    monkeypatch.setattr(os, "stat", log_gone)
    assert "Mission: Impossible 8" in demo("list").stdout
    assert "films" in demo("info").stdout


def test_empty_db_option_is_an_error(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for command in (["list"], ["add", "Dune"]):
        assert run.error("--db", "", *command) == "Error: --db needs a file name"
    assert not (tmp_path / "data").exists()  # never the default in its place


def test_a_read_on_a_missing_database_errors_and_creates_nothing(run: Run, tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    message = run.error("--db", str(missing), "list")
    assert message == (
        f"Error: no database at {missing}; create one with `tracker add` or `tracker import`,"
        " or use --db / $TRACKER_DB"
    )
    for command in (["upcoming"], ["watchlist", "create", "x"], ["undo"], ["check"]):
        assert "no database at" in run.error("--db", str(missing), *command)
    assert not missing.exists()


def test_a_command_that_creates_a_database_says_so_once(run: Run, tmp_path: Path) -> None:
    new = tmp_path / "new.db"
    result = run("--db", str(new), "add", "Dune")
    assert result.stderr == f"Created a new database at {new}\n"
    assert run("--db", str(new), "add", "Tenet").stderr == ""


def test_a_creating_command_that_fails_leaves_no_database(run: Run, tmp_path: Path) -> None:
    new = tmp_path / "new.db"
    run("--db", str(new), "add", "", code=1)
    assert not new.exists()


def test_a_failed_creating_command_leaves_no_folder_it_made(run: Run, tmp_path: Path) -> None:
    """A typo in --db's folder made folders that stayed (audit 2, item 16)."""
    (tmp_path / "kept").mkdir()
    new = tmp_path / "kept" / "nf2" / "sub" / "x.db"
    assert run.error("--db", str(new), "add", "") == "Error: a title cannot be empty"
    assert list((tmp_path / "kept").iterdir()) == []
    run("--db", str(new), "add", "Dune")
    assert new.exists()
    run("--db", str(new), "add", "", code=1)  # an existing database: its folders stay
    assert new.exists()


MIGRATE_AND_LIST = """
import sys
from tracker.store import open_store
store = open_store(sys.argv[1], create=False)
print(store.value("SELECT count(*) FROM films"))
"""


def test_eight_processes_migrating_at_once_all_succeed(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    isolated.unlink()
    with monkeypatch.context() as older:
        older.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:-1])
        older.setattr(migrations, "KNOWN", migrations.KNOWN[:-1])
        store = open_store(isolated)
        with store.transaction():
            store.conn.execute("INSERT INTO films (title, title_key) VALUES ('Dune', 'dune')")
        store.close()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", MIGRATE_AND_LIST, str(isolated)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        for _ in range(8)
    ]
    results = [(p.wait(timeout=120), *p.communicate()) for p in processes]
    assert [(code, out.strip(), err) for code, out, err in results] == [(0, b"1", b"")] * 8
    conn = sqlite3.connect(isolated)
    assert migrations.applied(conn) == list(migrations.KNOWN)
    assert len(list(isolated.parent.glob("tracker.db.*.bak"))) == 1
