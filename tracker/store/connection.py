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
    """--db, else $TRACKER_DB, else data/tracker.db. An empty --db is a mistake, not a
    request for the default."""
    if path is not None and not os.fspath(path):
        raise DatabaseProblem("--db needs a file name")
    return Path(path or os.environ.get("TRACKER_DB") or DEFAULT_PATH)


class Store:
    """A connection in autocommit mode; writes go through `transaction()`."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None = None):
        self.conn = conn
        self.path = path
        self.label: str | None = None  # what `tracker undo` calls the command writing now
        self.created = False  # whether opening it made a new database file
        self.made_folders: list[Path] = []  # the folders made for it, deepest first
        # With `watch` on, each commit adds what the undo log recorded to `committed`
        # (tracker.hooks.changes turns it into changes for the on-change hook).
        self.watch = False
        self.committed: list[tuple[str, str, int, str | None]] = []

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
        from tracker.store.undo import OUTSIDE, pending_entries, seal

        try:
            seal(self.conn, OUTSIDE)  # rows another program changed are their own command
            yield self
            logged = pending_entries(self.conn) if self.watch else []
            seal(self.conn, self.label or label)
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")
        self.committed.extend(logged)

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


def open_store(path: str | os.PathLike[str] | None = None, *, create: bool = True) -> Store:
    """Open (with `create`, make) a tracker database. Every check that can refuse the file
    runs before anything is written to it: not SQLite, another program's, newer schema,
    damaged."""
    db_path = resolve_path(path)
    new = _refuse_foreign_file(db_path)
    if new and not create:
        raise DatabaseProblem(
            f"no database at {db_path}; create one with `tracker add` or `tracker import`,"
            " or use --db / $TRACKER_DB"
        )
    try:
        made_folders = _make_folder(db_path.parent)
    except OSError as error:
        raise DatabaseProblem(
            f"cannot create the folder for database {db_path}: {error.strerror}"
        ) from None
    conn = None
    try:
        conn = sqlite3.connect(db_path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        conn.row_factory = sqlite3.Row
        if not new:
            _refuse_not_ours(conn, db_path)
        _enable_wal(conn)
        conn.execute("PRAGMA foreign_keys = ON")
        store = Store(conn, db_path)
        store.created = new
        store.made_folders = made_folders
        _migrate(store)
        return store
    except sqlite3.DatabaseError as error:
        if conn is not None:
            conn.close()
        raise DatabaseProblem(f"cannot use database {db_path}: {error}") from None
    except BaseException:
        if conn is not None:
            conn.close()
        raise


def _make_folder(folder: Path) -> list[Path]:
    """Make the folder and its missing parents; those it made, deepest first (a command
    that fails removes them with its new database)."""
    missing: list[Path] = []
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            break
        missing.append(candidate)
    folder.mkdir(parents=True, exist_ok=True)
    return missing


def open_read_only(path: str | os.PathLike[str]) -> Store:
    """A connection that cannot write (no migration either), usable from any thread: one per
    request of `tracker serve`."""
    from urllib.parse import quote

    conn = sqlite3.connect(
        f"file:{quote(os.fspath(path))}?mode=ro",
        uri=True,
        isolation_level=None,
        check_same_thread=False,
    )
    conn.row_factory = sqlite3.Row
    return Store(conn, Path(path))


def memory_store() -> Store:
    return connect(sqlite3.connect(":memory:", isolation_level=None))


def _refuse_foreign_file(path: Path) -> bool:
    """Refuse, before SQLite touches it, a file that is not a SQLite database or is visibly
    cut short; True when there is no database yet (no file, or an empty one)."""
    if path.is_dir():
        raise DatabaseProblem(f"database {path} is a folder, not a file")
    header, size = _read_header(path)
    if header is None or not header:
        return True
    if header[: len(SQLITE_HEADER)] != SQLITE_HEADER:
        raise DatabaseProblem(f"{path} is not a SQLite database; refusing to touch it")
    if len(header) < 100:
        raise damaged(path, f"the file is {size} bytes, shorter than a SQLite header")
    if _cut_short(path, header, size):
        # Another process's checkpoint may have been halfway (it writes page 1 before it
        # extends the file) and its log gone by now: a truncated file stays short, so look
        # once more before calling it damaged.
        header, size = _read_header(path)
        if header is not None and len(header) == 100 and _cut_short(path, header, size):
            raise damaged(
                path, f"the file holds {size} bytes, its header says {_header_bytes(header)}"
            )
    return False


def _read_header(path: Path) -> tuple[bytes | None, int]:
    """The first 100 bytes and the size of the file; None when there is no file."""
    try:
        with path.open("rb") as handle:
            return handle.read(100), os.fstat(handle.fileno()).st_size
    except (FileNotFoundError, NotADirectoryError):
        return None, 0
    except OSError as error:
        raise DatabaseProblem(f"cannot read database {path}: {error.strerror}") from None


def _header_bytes(header: bytes) -> int:
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    return int.from_bytes(header[28:32], "big") * page_size


def _cut_short(path: Path, header: bytes, size: int) -> bool:
    """A truncated copy: the file is shorter than its header says. Only judged with no
    write-ahead log in use, since a checkpoint writes page 1 before it extends the file."""
    if _wal_in_use(path):
        return False
    header_is_current = header[24:28] == header[92:96]
    return header_is_current and size < _header_bytes(header)


def _wal_in_use(path: Path) -> bool:
    # The log of another process can vanish between any two looks (its last connection
    # closing deletes it): one stat, and a missing file is no log.
    try:
        return os.stat(path.with_name(path.name + "-wal")).st_size > 0
    except OSError:
        return False


def _enable_wal(conn: sqlite3.Connection) -> None:
    # WAL lets readers run while a writer works. A read-only file cannot switch modes;
    # it is still readable, and a write to it fails with a clear error later.
    try:
        conn.execute("PRAGMA journal_mode = WAL")
    except sqlite3.OperationalError as error:
        if "readonly" not in str(error):
            raise


def damaged(path: Path | None, detail: str) -> DatabaseProblem:
    """The one message for a damaged database: what is wrong and the way out."""
    where = path or ":memory:"
    return DatabaseProblem(
        f"database {where} is damaged ({detail}); nothing was written. Run `tracker check`"
        f" for details, and restore a backup (the automatic ones are {where}.*.bak)"
    )


def _refuse_not_ours(conn: sqlite3.Connection, path: Path) -> None:
    """Read-only checks, before the WAL switch or a migration writes anything: another
    program's database, a newer tracker's, a damaged one. They cost a header read and one
    small query of the schema table, whatever the database's size."""
    application_id = conn.execute("PRAGMA application_id").fetchone()[0]
    if application_id not in (0, migrations.APPLICATION_ID):
        raise _foreign(path)
    try:
        done = migrations.applied(conn)
    except sqlite3.DatabaseError as error:
        raise damaged(path, str(error)) from None
    if application_id == migrations.APPLICATION_ID and not done:
        raise damaged(path, "marked as tracker's but its migrations table is gone")
    if not done:
        # Unmarked: tracker's databases from before m007 all have the migrations table.
        tables = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchone()[0]
        if tables:
            raise _foreign(path)
    _refuse_newer(done, path)


def _foreign(path: Path) -> DatabaseProblem:
    return DatabaseProblem(
        f"{path} is a SQLite database of another program; tracker only opens its own"
        " (create a new one with --db NEW.db)"
    )


def _refuse_newer(done: list[str], path: Path | None) -> None:
    newer = [name for name in done if name not in set(migrations.KNOWN)]
    if newer:
        raise DatabaseProblem(
            f"database {path or ':memory:'} was written by a newer version of tracker "
            f"(unknown migration {newer[0]}); upgrade tracker to use it"
        )


def _migrate(store: Store) -> None:
    """Bring the schema up to date, one process at a time: the first takes the write lock,
    looks again, backs up under a unique name and migrates; the others wait for the lock
    and then find nothing left to do."""
    done = migrations.applied(store.conn)
    _refuse_newer(done, store.path)
    if set(migrations.KNOWN).issubset(done):
        return
    from tracker.store import undo
    from tracker.store.safety import backup_before_migration

    # Foreign keys are off while tables are rebuilt (SQLite's way to change a table, which
    # can only be switched outside a transaction) and checked before the commit.
    store.conn.execute("PRAGMA foreign_keys = OFF")
    try:
        with store.transaction():
            done = migrations.applied(store.conn)  # another process may have migrated
            _refuse_newer(done, store.path)
            pending = [name for name in migrations.KNOWN if name not in done]
            if pending:
                backup_before_migration(store, pending)
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
