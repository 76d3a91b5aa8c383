"""Watchlists: named lists of films a fan wants to see, in their order, with what comes next."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from tracker.domain.films import Film, clean_optional, clean_text, get_film, status_as_of
from tracker.errors import InvalidValue, TrackerError
from tracker.names import name_key
from tracker.store import Store

DEFAULT_LIST = "watchlist"
DEFAULT_PRIORITY = 3
SORTS = ("release", "priority", "added", "title")


class UnknownList(TrackerError):
    pass


@dataclass(frozen=True)
class Watchlist:
    id: int
    name: str
    description: str | None


def check_priority(priority: int | None) -> int:
    if priority is None:
        return DEFAULT_PRIORITY
    if not 1 <= priority <= 5:
        raise InvalidValue(f"priority {priority} is out of range (1 most wanted to 5)")
    return priority


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


def create_list(store: Store, name: str, description: str | None = None) -> Watchlist:
    name = _list_name(name)
    if find_list(store, name) is not None:
        raise InvalidValue(f"a watchlist named '{name}' already exists")
    new_id = store.insert(
        "watchlists",
        {
            "name": name,
            "name_key": name_key(name),
            "description": clean_optional(description, "a description"),
        },
    )
    return Watchlist(new_id, name, clean_optional(description, "a description"))


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


def all_lists(store: Store) -> list[dict[str, Any]]:
    rows = store.rows(
        "SELECT w.id, w.name, w.description,"
        " (SELECT count(*) FROM watchlist_entries e WHERE e.watchlist_id = w.id) AS films,"
        " (SELECT count(*) FROM watchlist_entries e WHERE e.watchlist_id = w.id AND"
        "   EXISTS (SELECT 1 FROM viewings v WHERE v.film_id = e.film_id)) AS seen"
        " FROM watchlists w ORDER BY w.id"
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
    cursor = store.conn.execute(
        "INSERT OR IGNORE INTO watchlist_entries (watchlist_id, film_id, priority, note, added)"
        " VALUES (?, ?, ?, ?, ?)",
        [watchlist.id, film.id, priority, note, (added or today).isoformat()],
    )
    return cursor.rowcount == 1


def remove_entry(store: Store, watchlist: Watchlist, film: Film) -> None:
    cursor = store.conn.execute(
        "DELETE FROM watchlist_entries WHERE watchlist_id = ? AND film_id = ?",
        [watchlist.id, film.id],
    )
    if cursor.rowcount == 0:
        raise InvalidValue(f"{film.label} is not on watchlist '{watchlist.name}'")


def film_ids(store: Store, watchlist: Watchlist) -> list[int]:
    rows = store.rows(
        "SELECT film_id FROM watchlist_entries WHERE watchlist_id = ? ORDER BY id",
        [watchlist.id],
    )
    return [row["film_id"] for row in rows]


def show_list(
    store: Store,
    name: str,
    today: datetime.date,
    *,
    country: str | None = None,
    sort: str = "release",
) -> list[dict[str, Any]]:
    """Each film on the list with its next release (else its latest), status and seen."""
    from tracker.choices import choose
    from tracker.domain.releases import (
        _pick_countdown,
        current_releases,
        normalise_country,
    )

    sort = choose(sort, SORTS, "sort")
    country = normalise_country(country)
    watchlist = get_list(store, name)
    entries = store.rows(
        "SELECT e.film_id, e.priority, e.note, e.added,"
        " EXISTS (SELECT 1 FROM viewings v WHERE v.film_id = e.film_id) AS seen"
        " FROM watchlist_entries e WHERE e.watchlist_id = ? ORDER BY e.id",
        [watchlist.id],
    )
    rows = []
    for entry in entries:
        film = get_film(store, entry["film_id"])
        releases = current_releases(store, film.id, today)
        if country:
            own = [r for r in releases if r.country == country]
            own_types = {r.type for r in own}
            releases = own + [r for r in releases if r.country is None and r.type not in own_types]
        chosen = _pick_countdown(releases, today)
        days = None
        if chosen is not None:
            start, end = chosen.date.start, chosen.date.end
            assert start is not None and end is not None
            days = 0 if start <= today <= end else (start - today).days
        rows.append(
            {
                "id": film.id,
                "title": film.title,
                "priority": entry["priority"],
                "note": entry["note"],
                "added": datetime.date.fromisoformat(entry["added"]),
                "seen": bool(entry["seen"]),
                "date": chosen.date if chosen else None,
                "precision": chosen.date.precision if chosen else None,
                "country": chosen.country if chosen else None,
                "type": chosen.type if chosen else None,
                "days": days,
                "status": status_as_of(store, film.id, today),
            }
        )
    return sorted(rows, key=_SORT_KEYS[sort])


def _release_key(row: dict[str, Any]) -> tuple[Any, ...]:
    date = row["date"]
    start = date.start if date is not None else None
    return (start is None, start or datetime.date.min, row["priority"], row["title"].casefold())


_SORT_KEYS: dict[str, Any] = {
    "release": _release_key,
    "priority": lambda row: (row["priority"], *_release_key(row)),
    "added": lambda row: (row["added"], row["title"].casefold()),
    "title": lambda row: (row["title"].casefold(), row["id"]),
}


def countdowns(
    store: Store,
    name: str,
    today: datetime.date,
    *,
    country: str | None = None,
    release_type: str | None = None,
) -> list[dict[str, Any]]:
    """`countdown` for every film on a list, one row each: soonest first, undated last."""
    from tracker.domain.releases import countdown

    rows = []
    for film_id in film_ids(store, get_list(store, name)):
        film = get_film(store, film_id)
        try:
            rows.append(countdown(store, film, today, country=country, release_type=release_type))
        except InvalidValue:
            rows.append(
                {
                    "id": film.id,
                    "title": film.title,
                    "date": None,
                    "precision": None,
                    "country": None,
                    "type": None,
                    "days": None,
                    "human": "no release date yet",
                }
            )
    return sorted(rows, key=lambda row: (row["days"] is None, abs(row["days"] or 0), row["id"]))
