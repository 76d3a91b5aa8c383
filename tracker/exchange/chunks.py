"""Exports of millions of rows: SQLite builds the text a chunk at a time, and a second
thread writes one chunk while SQLite builds the next. `export csv` (films, releases) and
`export json` both write this way."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar

from tracker.store import Store

Piece = TypeVar("Piece")


def chunk_sql(text: str, source: str, key: str, separator: str) -> str:
    """SQL for one chunk: (rows, last key, the rows' `text` joined by `separator`), the rows
    of `source` after the key given (a parameter, then the chunk's size) in the order of
    `key`, a unique integer column. A rowid read as a range: no sorter, and the aggregate
    reads the rows in that order. One Python string a chunk, not one a row."""
    return (
        f"SELECT count(*), max(k), group_concat(t, '{separator}') FROM (SELECT {text} AS t,"
        f" {key} AS k FROM {source} WHERE {key} > ? ORDER BY {key} LIMIT ?)"
    )


def read_chunks(store: Store, sql: str, size: Callable[[], int]) -> Iterator[tuple[int, str]]:
    """(rows, text) of each chunk of `chunk_sql`'s `sql`, each one starting after the last
    key of the one before, so no cursor stays open between chunks (the caller holds one
    read transaction over them all). `size`: the rows a chunk, asked for each chunk."""
    last = -(2**63)  # below any rowid
    while True:
        count, last, text = store.conn.execute(sql, [last, size()]).fetchone()
        if not count:
            return
        yield count, text


def write_behind(pieces: Iterator[Piece], write: Callable[[Piece], object], depth: int) -> None:
    """`write` each piece in a second thread while this one makes the next (SQLite releases
    the GIL while it steps): the two halves of the work overlap. At most `depth` pieces
    wait, so memory stays flat. An error in `write` stops the reading (`pieces` is closed:
    a generator's own `finally` ends its transaction) and is raised here."""
    import queue
    import threading

    waiting: queue.Queue[tuple[Piece] | None] = queue.Queue(maxsize=depth)
    failed: list[BaseException] = []

    def drain() -> None:
        while (item := waiting.get()) is not None:
            if not failed:  # after a failure, only drain
                try:
                    write(item[0])
                except BaseException as error:  # raised again in the caller's thread
                    failed.append(error)

    writer = threading.Thread(target=drain, name="export-writer", daemon=True)
    writer.start()
    try:
        for piece in pieces:
            if failed:
                break
            waiting.put((piece,))
    finally:
        waiting.put(None)
        writer.join()
        close = getattr(pieces, "close", None)
        if close is not None:
            close()
    if failed:
        raise failed[0]
