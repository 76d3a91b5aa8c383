"""A feed's text sent as the library makes it, so a served calendar of a million films
takes no more memory than `export ics`.

One worker thread per request opens the read-only store, makes the text a chunk at a time
when asked (SQLite connections belong to the thread that opened them: the store is opened,
read and closed there) and closes it. The first chunk is made before the response starts,
so a bad argument, which the library refuses before its first row, is still a 400. Then
the event loop sends each chunk while the worker makes the next: at most two wait, so
memory stays flat. A client that goes away stops the worker (it only works when asked)."""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from datasette.utils.asgi import AsgiStream, Response

from tracker.errors import TrackerError

if TYPE_CHECKING:
    from tracker.store import Store

CHUNK_CHARS = 64 * 1024  # the library's pieces (an event, a row) are joined up to this
THREAD_NAME = "tracker-feed"

Pieces = Callable[["Store"], Iterable[str]]


class _Worker:
    """The store and the text being made: used in the worker thread only."""

    def __init__(self, path: str, pieces: Pieces):
        self._path = path
        self._make = pieces
        self._store: Store | None = None
        self._pieces: Iterator[str] = iter(())
        self.finished = False

    def open(self) -> str | None:
        """Open the store, check the arguments (the library does, before its first piece)
        and make the first chunk."""
        from tracker.store.connection import open_read_only

        self._store = open_read_only(self._path)
        self._pieces = iter(self._make(self._store))
        return self.chunk()

    def chunk(self) -> str | None:
        """The next pieces joined, or None once all were sent."""
        if self.finished:
            return None
        parts: list[str] = []
        size = 0
        for piece in self._pieces:
            parts.append(piece)
            size += len(piece)
            if size >= CHUNK_CHARS:
                return "".join(parts)
        self.finished = True
        return "".join(parts) if parts else None

    def close(self) -> None:
        """Stop the library's generator (its cursors) and close the store."""
        close = getattr(self._pieces, "close", None)
        self._pieces = iter(())
        try:
            if close is not None:
                close()
        finally:
            if self._store is not None:
                self._store.close()
                self._store = None


async def respond(
    request: Any, path: str, content_type: str, pieces: Pieces
) -> Response | AsgiStream:
    """The text `pieces(store)` makes, as a 200 of `content_type` sent a chunk at a time (one
    response when it all fits in one chunk); a TrackerError before the first chunk is a 400
    with one `Error:` line."""
    thread = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix=THREAD_NAME)
    worker = _Worker(path, pieces)
    try:
        first = await asyncio.wrap_future(thread.submit(worker.open))
    except TrackerError as error:
        await _finish(thread, worker)
        return Response.text(f"Error: {error}\n", status=400)
    except BaseException:
        await _finish(thread, worker)
        raise
    if worker.finished:
        await _finish(thread, worker)
        return Response(first or "", content_type=content_type)

    async def write(writer: Any) -> None:
        gone = asyncio.Event()
        watcher = asyncio.create_task(_watch(request.receive, gone))
        chunk = first
        following: asyncio.Future[str | None] | None = None
        try:
            while chunk is not None:
                following = asyncio.wrap_future(thread.submit(worker.chunk))  # made meanwhile
                await writer.write(chunk)
                await asyncio.sleep(0)  # the watcher's turn: has the client gone?
                if gone.is_set():
                    break
                chunk = await following
                following = None
        finally:
            watcher.cancel()
            if following is not None:
                following.cancel()  # a chunk being made is finished, then the worker closes
            await _finish(thread, worker)

    return AsgiStream(write, content_type=content_type)


async def _watch(receive: Callable[[], Any], gone: asyncio.Event) -> None:
    """Set `gone` when the client disconnects (uvicorn's `send` then does nothing: the
    only sign is this message)."""
    while (await receive())["type"] != "http.disconnect":
        pass
    gone.set()


async def _finish(thread: concurrent.futures.ThreadPoolExecutor, worker: _Worker) -> None:
    """Close the worker's store in its thread, after the chunk it may be making; the
    thread then ends. Done even if this request is cancelled meanwhile."""
    closed = thread.submit(worker.close)
    thread.shutdown(wait=False)
    await asyncio.shield(asyncio.wrap_future(closed))
