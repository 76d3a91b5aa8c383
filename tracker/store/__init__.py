"""The store: the connection, the schema and its migrations, undo, backups and checks, bulk
loads. Nothing here knows about films beyond the tables; the domain writes through `Store`."""

from tracker.store.connection import (
    DEFAULT_PATH,
    Store,
    connect,
    memory_store,
    open_store,
    resolve_path,
)

__all__ = ["DEFAULT_PATH", "Store", "connect", "memory_store", "open_store", "resolve_path"]
