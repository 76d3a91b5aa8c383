"""A second connection that reads what the store's own connection reads: the same snapshot
of the database, so a long export can build its chunks on two cores and still write one
consistent picture of the database."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from tracker.store.connection import BUSY_TIMEOUT_SECONDS, Store, open_read_only

_FIRST_READ = "SELECT count(*) FROM sqlite_master"  # a read transaction takes its snapshot here


@contextmanager
def read_together(store: Store) -> Iterator[None]:
    """Begin a read transaction on `store.conn` and, where it can, a second read-only
    connection (`store.twin`) on the same snapshot; end both on leaving.

    In WAL mode each reader sees the database as of its first read, so a commit between
    the two first reads would give them different pictures. Holding the write lock while
    both take their snapshots rules that out; it is let go at once, so writers wait only
    for two reads. With no file (a database in memory), a file we cannot lock for writing,
    or a transaction already open (whose snapshot is older), there is no twin: the caller
    reads on one connection."""
    conn = store.conn
    if conn.in_transaction:
        yield
        return
    twin = _twin(store)
    if twin is None:
        conn.execute("BEGIN")
    store.twin = twin
    try:
        yield
    finally:
        store.twin = None
        if twin is not None:
            twin.close()
        if conn.in_transaction:
            conn.execute("COMMIT")


def _twin(store: Store) -> sqlite3.Connection | None:
    """Begin store.conn's read transaction and the twin's on one snapshot; None (and no
    transaction begun) when that cannot be done."""
    if store.path is None:
        return None
    try:
        lock = sqlite3.connect(store.path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    except sqlite3.Error:
        return None
    twin = None
    try:
        lock.execute("BEGIN IMMEDIATE")  # no commit can land until both have read
        store.conn.execute("BEGIN")
        store.conn.execute(_FIRST_READ)
        twin = open_read_only(store.path).conn
        twin.execute("BEGIN")
        twin.execute(_FIRST_READ)
        return twin
    except sqlite3.Error:  # a read-only file or folder, a lock not granted: one connection
        if store.conn.in_transaction:
            store.conn.execute("COMMIT")
        if twin is not None:
            twin.close()
        return None
    finally:
        if lock.in_transaction:
            lock.execute("ROLLBACK")
        lock.close()
