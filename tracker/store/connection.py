"""Opening the database: finding it, refusing what is not ours, bringing the schema up to date."""

from __future__ import annotations

import functools
import os
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from tracker.errors import DatabaseProblem
from tracker.store import migrations

DEFAULT_PATH = Path("data") / "tracker.db"
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_SECONDS = 60


def resolve_path(path: str | os.PathLike[str] | None = None) -> Path:
    """--db, else $TRACKER_DB, else data/tracker.db."""
    return Path(path or os.environ.get("TRACKER_DB") or DEFAULT_PATH)


class Store:
    """A connection in autocommit mode; writes go through `transaction()`."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None = None):
        self.conn = conn
        self.path = path
        self.label: str | None = None  # what `tracker undo` calls the command writing now

    @contextmanager
    def transaction(self, label: str | None = None) -> Iterator[Store]:
        """All or nothing. BEGIN IMMEDIATE takes the write lock up front, so two writers
        queue on the busy timeout instead of failing with "database is locked".

        Inside another transaction it is a savepoint: a library function can always open
        its own, and a failure rolls back only its part (the caller decides the rest).
        `label` names the command for `tracker undo` when the caller set none on the store
        (the CLI sets the command line), so a Python caller's write is named too."""
        if self.conn.in_transaction:
            self.conn.execute("SAVEPOINT nested")
            try:
                yield self
            except BaseException:
                self.conn.execute("ROLLBACK TO nested")
                self.conn.execute("RELEASE nested")
                raise
            self.conn.execute("RELEASE nested")
            return
        self.conn.execute("BEGIN IMMEDIATE")
        from tracker.store.undo import OUTSIDE, seal

        try:
            seal(self.conn, OUTSIDE)  # rows another program changed are their own command
            yield self
            seal(self.conn, self.label or label)
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def rows(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, params).fetchall()

    def row(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self.conn.execute(sql, params).fetchone()
        return row

    def value(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def insert(self, table: str, record: dict[str, Any]) -> int:
        # Table and column names come from our own code, never from users.
        columns = ", ".join(record)
        marks = ", ".join("?" for _ in record)
        cursor = self.conn.execute(
            f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(record.values())
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def close(self) -> None:
        self.conn.close()


Params = ParamSpec("Params")
Result = TypeVar("Result")


def atomic(
    function: Callable[Concatenate[Store, Params], Result],
) -> Callable[Concatenate[Store, Params], Result]:
    """A library write that owns its transaction: all or nothing whether a Python caller or
    the CLI calls it (inside a caller's transaction it is a savepoint), and named for `tracker
    undo` after itself when the caller gave no name."""

    @functools.wraps(function)
    def write(store: Store, /, *args: Params.args, **kwargs: Params.kwargs) -> Result:
        with store.transaction(label=function.__name__.replace("_", " ")):
            return function(store, *args, **kwargs)

    return write


def connect(conn: sqlite3.Connection, path: Path | None = None) -> Store:
    """Set up a raw connection and migrate it: used for files and for in-memory tests."""
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    store = Store(conn, path)
    _migrate(store)
    return store


def open_store(path: str | os.PathLike[str] | None = None) -> Store:
    db_path = resolve_path(path)
    _refuse_foreign_file(db_path)
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DatabaseProblem(
            f"cannot create the folder for database {db_path}: {error.strerror}"
        ) from None
    try:
        conn = sqlite3.connect(db_path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        _enable_wal(conn)
        return connect(conn, db_path)
    except sqlite3.DatabaseError as error:
        raise DatabaseProblem(f"cannot use database {db_path}: {error}") from None


def memory_store() -> Store:
    return connect(sqlite3.connect(":memory:", isolation_level=None))


def _refuse_foreign_file(path: Path) -> None:
    """Refuse, before SQLite touches it, a file that is not a SQLite database."""
    if path.is_dir():
        raise DatabaseProblem(f"database {path} is a folder, not a file")
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise DatabaseProblem(f"cannot read database {path}: {error.strerror}") from None
    if header != SQLITE_HEADER:
        raise DatabaseProblem(f"{path} is not a SQLite database; refusing to touch it")


def _enable_wal(conn: sqlite3.Connection) -> None:
    # WAL lets readers run while a writer works. A read-only file cannot switch modes;
    # it is still readable, and a write to it fails with a clear error later.
    try:
        conn.execute("PRAGMA journal_mode = WAL")
    except sqlite3.OperationalError as error:
        if "readonly" not in str(error):
            raise


def _migrate(store: Store) -> None:
    known = set(migrations.KNOWN)
    done = migrations.applied(store.conn)
    newer = [name for name in done if name not in known]
    if newer:
        raise DatabaseProblem(
            f"database {store.path or ':memory:'} was written by a newer version of tracker "
            f"(unknown migration {newer[0]}); upgrade tracker to use it"
        )
    if known.issubset(done):
        return
    from tracker.store import undo
    from tracker.store.safety import backup_before_migration

    # The backup API cannot copy from inside our own write transaction, so the copy is
    # taken just before it (at worst a needless copy if another process migrates first).
    backup_before_migration(store, [name for name in migrations.KNOWN if name not in done])
    # Foreign keys are off while tables are rebuilt (SQLite's way to change a table, which
    # can only be switched outside a transaction) and checked before the commit.
    store.conn.execute("PRAGMA foreign_keys = OFF")
    try:
        with store.transaction():
            # Another process may have migrated while we waited for the lock.
            if not known.issubset(migrations.applied(store.conn)):
                migrations.apply_pending(store.conn)
                if undo.has_log(store.conn):
                    undo.install_triggers(store.conn)  # cover tables and columns added since
                undo.forget_pending(store.conn)
                broken = store.conn.execute("PRAGMA foreign_key_check").fetchone()
                if broken is not None:
                    raise DatabaseProblem(
                        f"migrating {store.path or ':memory:'} would leave {broken[0]} row"
                        f" {broken[1]} pointing to a missing {broken[2]} row; nothing changed"
                    )
    finally:
        store.conn.execute("PRAGMA foreign_keys = ON")
