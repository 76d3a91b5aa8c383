"""`export json` builds its chunks on two connections (tracker.store.snapshot): every other
chunk comes from a twin reading the same snapshot, so the document is what one connection
writes, and a commit made while it is being written is in no part of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.exchange import json_items
from tracker.exchange.json import export_chunks
from tracker.store import Store, memory_store, open_store
from tracker.store.snapshot import read_together

from .conftest import Run


def one_connection_export(store: Store) -> str:
    """The export as one connection writes it: inside an open transaction there is no twin."""
    store.conn.execute("BEGIN")
    try:
        return "".join(export_chunks(store))
    finally:
        store.conn.execute("COMMIT")


@pytest.mark.parametrize("chunk", [1, 2, 3, 500])
def test_two_connections_write_what_one_writes(
    demo: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    monkeypatch.setattr(json_items, "CHUNK", chunk)
    store = open_store(isolated)
    try:
        pieces = export_chunks(store)
        try:
            head = [next(pieces) for _ in range(3)]  # the first piece of films
            assert store.twin is not None
            together = "".join([*head, *pieces])
        finally:
            pieces.close()
        assert store.twin is None and not store.conn.in_transaction
        alone = one_connection_export(store)
    finally:
        store.close()
    assert together == alone
    assert '"films": [' in together and together.count('{"id":') == 8


def test_a_commit_during_an_export_is_in_no_part_of_it(
    demo: Run, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every chunk, built after the commit by either connection, reads the snapshot the
    export began with."""
    monkeypatch.setattr(json_items, "CHUNK", 1)
    store = open_store(isolated)
    writer = open_store(isolated)
    try:
        before = one_connection_export(store)
        pieces = export_chunks(store)
        try:
            head = [next(pieces)]  # both snapshots are taken; no film has been read
            assert store.twin is not None
            with writer.transaction():
                writer.conn.execute("UPDATE films SET title = 'Changed ' || title")
                writer.conn.execute("INSERT INTO people (name, name_key) VALUES ('New', 'new')")
            during = "".join([*head, *pieces])
        finally:
            pieces.close()
        after = one_connection_export(store)
    finally:
        writer.close()
        store.close()
    assert during == before
    assert after != before and after.count('"title":"Changed ') == 8


def test_a_database_in_memory_is_read_on_one_connection() -> None:
    store = memory_store()
    try:
        with read_together(store):
            assert store.twin is None and store.conn.in_transaction
        assert not store.conn.in_transaction
    finally:
        store.close()
