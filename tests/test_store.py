"""The database file: where it is, what is refused, how it is opened (migrations: test_migrations.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Run
from tracker.store import Store, open_store


def test_the_database_is_created_with_its_folder(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "deep" / "er" / "films.db"
    run("--db", str(target), "add", "Dune")
    assert target.exists()


def test_the_default_database_is_data_tracker_db(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TRACKER_DB")
    monkeypatch.chdir(tmp_path)
    run("add", "Dune")
    assert (tmp_path / "data" / "tracker.db").exists()


def test_a_file_that_is_not_sqlite_is_refused_and_untouched(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    target.write_bytes(b"my precious notes\n")
    assert "not a SQLite database" in run.error("--db", str(target), "list")
    assert target.read_bytes() == b"my precious notes\n"


def test_connection_settings(isolated: Path) -> None:
    store = open_store(isolated)
    assert store.value("PRAGMA foreign_keys") == 1
    assert store.value("PRAGMA journal_mode") == "wal"
    assert store.value("PRAGMA busy_timeout") > 0
    store.close()


def test_a_failed_transaction_changes_nothing(store: Store) -> None:
    try:
        with store.transaction():
            store.insert("films", {"title": "A", "title_key": "a"})
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert store.value("SELECT count(*) FROM films") == 0


def test_nested_transactions_roll_back_only_the_inner_part(store: Store) -> None:
    with store.transaction():
        store.insert("films", {"title": "A", "title_key": "a"})
        try:
            with store.transaction():
                store.insert("films", {"title": "B", "title_key": "b"})
                raise RuntimeError("inner")
        except RuntimeError:
            pass
    assert [row[0] for row in store.rows("SELECT title FROM films")] == ["A"]


def test_a_library_write_names_itself_for_undo_unless_the_cli_named_it(store: Store) -> None:
    from tracker.store.undo import last_label

    with store.transaction(label="add A"):
        store.insert("films", {"title": "A", "title_key": "a"})
        with store.transaction(label="inner"):  # a savepoint: the outer label stands
            store.insert("films", {"title": "B", "title_key": "b"})
    assert last_label(store.conn) == "add A"
    store.label = "add C --year 2020"  # what the CLI sets: the command line
    with store.transaction(label="library's own"):
        store.insert("films", {"title": "C", "title_key": "c"})
    assert last_label(store.conn) == "add C --year 2020"
