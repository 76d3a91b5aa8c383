"""Watchlists: named lists of films a fan wants to see, in their order, with what comes next."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TypedDict

from tracker import asof
from tracker.errors import InvalidValue, TrackerError
from tracker.limits import sql_limit
from tracker.names import name_key
from tracker.records import Film
from tracker.store import Store
from tracker.store.connection import atomic
from tracker.validation import check_priority, clean_optional, clean_text

DEFAULT_LIST = "watchlist"
SORTS = ("release", "priority", "added", "title")


class UnknownList(TrackerError):
    pass


@dataclass(frozen=True)
class Watchlist:
    id: int
    name: str
    description: str | None


def _list_name(name: str) -> str:
    return clean_text(name, "a list name")


def find_list(store: Store, name: str) -> Watchlist | None:
    row = store.row(
        "SELECT id, name, description FROM watchlists WHERE name_key = ?",
        [name_key(name)],
    )
    return Watchlist(row["id"], row["name"], row["description"]) if row else None


def get_list(store: Store, name: str, *, create_default: bool = False) -> Watchlist:
    """The list of that name (any case). The default list always exists: if it was deleted,
    it reads as empty, and a write (`create_default`, inside a transaction) makes it again."""
    found = find_list(store, name)
    if found is not None:
        return found
    if name_key(name) == DEFAULT_LIST:
        return (
            create_list(store, DEFAULT_LIST) if create_default else Watchlist(0, DEFAULT_LIST, None)
        )
    names = [row["name"] for row in store.rows("SELECT name FROM watchlists ORDER BY id")]
    import difflib

    close = difflib.get_close_matches(name.strip(), names, n=1)
    hint = f"; did you mean {close[0]}?" if close else ""
    raise UnknownList(f"no watchlist named '{name.strip()}'{hint} (see `tracker watchlist list`)")


def filter_id(store: Store, name: str) -> int:
    """The id of a list, for filters: never writes (a deleted default list is empty)."""
    return get_list(store, name).id


@atomic
def create_list(store: Store, name: str, description: str | None = None) -> Watchlist:
    name = _list_name(name)
    existing = find_list(store, name)
    if existing is not None:  # named as it is stored: 'Été' for `create ete`
        raise InvalidValue(f"a watchlist named '{existing.name}' already exists")
    new_id = store.insert(
        "watchlists",
        {
            "name": name,
            "name_key": name_key(name),
            "description": clean_optional(description, "a description"),
        },
    )
    return Watchlist(new_id, name, clean_optional(description, "a description"))


@atomic
def rename_list(store: Store, old: str, new: str) -> Watchlist:
    target = get_list(store, old, create_default=True)
    new = _list_name(new)
    clash = find_list(store, new)
    if clash is not None and clash.id != target.id:
        raise InvalidValue(f"a watchlist named '{clash.name}' already exists")
    store.conn.execute(
        "UPDATE watchlists SET name = ?, name_key = ? WHERE id = ?",
        [new, name_key(new), target.id],
    )
    return Watchlist(target.id, new, target.description)


def describe_list(store: Store, watchlist: Watchlist, description: str | None) -> None:
    store.conn.execute(
        "UPDATE watchlists SET description = ? WHERE id = ?",
        [clean_optional(description, "a description"), watchlist.id],
    )


@atomic
def delete_list(store: Store, name: str) -> tuple[Watchlist, int]:
    """Delete a list and its entries (the films stay); returns the list and its entry count."""
    target = get_list(store, name)
    if target.id == 0:
        raise UnknownList(f"watchlist '{target.name}' is already deleted")
    count = store.value(
        "SELECT count(*) FROM watchlist_entries WHERE watchlist_id = ?", [target.id]
    )
    store.conn.execute("DELETE FROM watchlist_entries WHERE watchlist_id = ?", [target.id])
    store.conn.execute("DELETE FROM watchlists WHERE id = ?", [target.id])
    return target, int(count)


# An entry `e` is shown on :today: added by then, its film known then.
ON_LIST_SQL = f"{asof.listed_sql('e')} AND {asof.film_known_sql('e.film_id')}"


class ListSummary(TypedDict):
    """A row of `tracker watchlist list`."""

    id: int
    name: str
    description: str | None
    films: int
    seen: int


def all_lists(store: Store, today: datetime.date, *, limit: int | None = None) -> list[ListSummary]:
    """Every list, oldest first, with its films on `today` (`film_ids`) and how many of
    them were seen by then; `limit`: the first so many."""
    rows = store.rows(
        "SELECT w.id, w.name, w.description, count(e.id) AS films,"
        f" coalesce(sum({asof.seen_sql('e.film_id')}), 0) AS seen"
        f" FROM watchlists w LEFT JOIN watchlist_entries e ON e.watchlist_id = w.id"
        f" AND {ON_LIST_SQL}"
        " GROUP BY w.id ORDER BY w.id LIMIT :limit",
        asof.params(today, limit=sql_limit(limit)),
    )
    return [
        {
            "id": row["id"],
            "name": row["name"],
            "description": row["description"],
            "films": row["films"],
            "seen": row["seen"],
        }
        for row in rows
    ]


@atomic
def add_entry(
    store: Store,
    watchlist: Watchlist,
    film: Film,
    *,
    today: datetime.date,
    priority: int | None = None,
    note: str | None = None,
    added: datetime.date | None = None,
) -> bool:
    """Put a film on a list; False (and nothing changed) when it is already there."""
    priority = check_priority(priority)
    note = clean_optional(note, "a note")
    # Not INSERT OR IGNORE: an ignored row still uses up an AUTOINCREMENT id.
    cursor = store.conn.execute(
        "INSERT INTO watchlist_entries (watchlist_id, film_id, priority, note, added)"
        " SELECT :list, :film, :priority, :note, :added WHERE NOT EXISTS (SELECT 1 FROM"
        " watchlist_entries WHERE watchlist_id = :list AND film_id = :film)",
        {
            "list": watchlist.id,
            "film": film.id,
            "priority": priority,
            "note": note,
            "added": (added or today).isoformat(),
        },
    )
    return cursor.rowcount == 1


@atomic
def remove_entry(store: Store, watchlist: Watchlist, film: Film) -> None:
    cursor = store.conn.execute(
        "DELETE FROM watchlist_entries WHERE watchlist_id = ? AND film_id = ?",
        [watchlist.id, film.id],
    )
    if cursor.rowcount == 0:
        raise InvalidValue(f"{film.label} is not on watchlist '{watchlist.name}'")


def film_ids(store: Store, watchlist: Watchlist, today: datetime.date) -> list[int]:
    """The list's films on `today`, in the order added: those added by then whose film was
    known then."""
    rows = store.rows(
        f"SELECT film_id FROM watchlist_entries e WHERE watchlist_id = :watchlist"
        f" AND {ON_LIST_SQL} ORDER BY id",
        asof.params(today, watchlist=watchlist.id),
    )
    return [row["film_id"] for row in rows]
