"""Files a command writes (`-o`, `backup`) and reads (imports): one safe way for each.

Written: to a temporary file beside the (symlink-resolved) target, renamed over it only when
complete, so a failed write leaves the old file as it was. Refused untouched: the database
itself and its -wal/-shm/-journal files (under any name that resolves to them), an existing
SQLite database (unless the caller allows it: `backup --force`), and anything that is not a
regular file (a folder, a device, a FIFO).

Read: a regular file no larger than a sane size for its kind, checked before reading.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from tracker.errors import BadFile

SQLITE_HEADER = b"SQLite format 3\x00"
DATABASE_SIDE_FILES = ("", "-wal", "-shm", "-journal")
MiB = 1024 * 1024


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def database_files(database: Path | None) -> set[Path]:
    """The database and the files SQLite keeps beside it, resolved."""
    if database is None:
        return set()
    real = database.resolve()
    return {real.with_name(real.name + suffix) for suffix in DATABASE_SIDE_FILES}


def is_sqlite_file(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def output_target(
    path: Path, *, protect: Iterable[Path] = (), replace_database: bool = False, what: str = ""
) -> Path:
    """The real file `path` names, once it is known to be safe to replace."""
    try:
        real = path.resolve()
        info = real.stat() if real.exists() else None
        if info is None and path.exists():
            # A link only the kernel follows (/dev/stdout when it is a pipe): its target
            # has no path, so what it is comes from the link.
            info = path.stat()
    except (OSError, RuntimeError) as error:  # RuntimeError: a symlink loop
        reason = _reason(error) if isinstance(error, OSError) else "symlink loop"
        raise BadFile(f"cannot write {what}{path}: {reason}") from None
    if real in set(protect):
        raise BadFile(f"{path} is the database itself (or one of its files); refusing to write it")
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise BadFile(f"{path} is a folder; give a file name")
        if not stat.S_ISREG(info.st_mode):
            raise BadFile(f"{path} is not a regular file; refusing to write it")
        if not replace_database and is_sqlite_file(real):
            raise BadFile(f"{path} is a SQLite database; refusing to overwrite it")
    return real


@contextmanager
def replacing(
    path: Path, *, protect: Iterable[Path] = (), replace_database: bool = False, what: str = ""
) -> Iterator[Path]:
    """A temporary path beside `path`'s real file; renamed onto it when the block ends
    without an error, removed otherwise. `what` names the file in errors ("backup ")."""
    real = output_target(path, protect=protect, replace_database=replace_database, what=what)
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            prefix=f".{real.name[:100]}.", suffix=".partial", dir=real.parent
        )
        os.close(handle)
    except OSError as error:
        raise BadFile(f"cannot write {what}{path}: {_reason(error)}") from None
    partial = Path(temporary)
    try:
        yield partial
        _keep_mode(real, partial)
        os.replace(partial, real)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise BadFile(f"cannot write {what}{path}: {_reason(error)}") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _keep_mode(real: Path, partial: Path) -> None:
    """mkstemp makes a private file; give the new file the old one's mode, or the usual one."""
    if real.exists():
        mode = stat.S_IMODE(real.stat().st_mode)
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(partial, mode)


@contextmanager
def text_output(path: Path, *, protect: Iterable[Path] = ()) -> Iterator[IO[str]]:
    """A UTF-8 text file (newline="" so lines stay as written), replaced whole or not at all."""
    with (
        replacing(path, protect=protect) as partial,
        partial.open("w", encoding="utf-8", newline="") as handle,
    ):
        yield handle


def check_input(path: Path, *, limit: int, kind: str) -> int:
    """Refuse, before reading, what is not a regular file or is larger than `limit` bytes
    (a file of `kind`); returns its size."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise BadFile(f"{path}: no such file") from None
    except OSError as error:
        raise BadFile(f"{path}: cannot read: {_reason(error)}") from None
    if stat.S_ISDIR(info.st_mode):
        raise BadFile(f"{path} is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise BadFile(f"{path} is not a regular file; give a file to import")
    if info.st_size > limit:
        raise BadFile(
            f"{path} is {info.st_size // MiB} MiB; a {kind} larger than {limit // MiB} MiB"
            " is refused"
        )
    return info.st_size
