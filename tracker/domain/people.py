"""People and their credits: who directed, wrote, starred in which film.

A person is one row however many films they worked on; names match case-insensitively.
"""

from __future__ import annotations

from typing import Any, TypedDict

from tracker.choices import choose
from tracker.errors import InvalidValue
from tracker.names import name_key
from tracker.records import Film
from tracker.store import Store
from tracker.store.connection import atomic
from tracker.validation import clean_optional, clean_text

ROLES = (
    "director",
    "writer",
    "producer",
    "cast",
    "cinematographer",
    "composer",
    "stunts",
    "other",
)


def person_id(store: Store, name: str) -> int:
    """The id of the person with this name, added if new. Call inside a transaction."""
    name = clean_text(name, "a name")
    found = store.value("SELECT id FROM people WHERE name_key = ?", [name_key(name)])
    if found is not None:
        return int(found)
    return store.insert("people", {"name": name, "name_key": name_key(name)})


def find_person(store: Store, name: str) -> tuple[int, str]:
    """The person a user means: the full name (any case) or a unique part of it."""
    key = name_key(name) if name.strip() else ""
    if not key:
        raise InvalidValue("no person named ''")
    row = store.row("SELECT id, name FROM people WHERE name_key = ?", [key])
    if row is not None:
        return row["id"], row["name"]
    rows = store.rows(
        "SELECT id, name FROM people WHERE instr(name_key, ?) > 0 ORDER BY name_key LIMIT 11",
        [key],
    )
    if len(rows) == 1:
        return rows[0]["id"], rows[0]["name"]
    if rows:
        names = ", ".join(row["name"] for row in rows[:10])
        raise InvalidValue(f"'{name.strip()}' matches several people: {names}")
    import difflib  # only on the error path

    everyone = {row["name_key"]: row["name"] for row in store.rows("SELECT * FROM people")}
    close = difflib.get_close_matches(key, list(everyone), n=1)
    hint = f"; did you mean {everyone[close[0]]}?" if close else ""
    raise InvalidValue(f"no person named '{name.strip()}'{hint}")


def insert_credit(
    store: Store, film_id: int, name: str, role: str, character: str | None = None
) -> int:
    """Credit a person (added if new) on a film. Call inside a transaction."""
    record = credit_record(store, film_id, name, role, character)
    credited = store.value(
        "SELECT id FROM credits WHERE film_id = ? AND person_id = ? AND role = ?",
        [film_id, record["person_id"], record["role"]],
    )
    if credited:
        raise InvalidValue(
            f"{name.strip()} is already credited as {record['role']} on film #{film_id}"
            f" (credit #{credited}, which `tracker amend credit {credited}` changes)"
        )
    return store.insert("credits", record)


def credit_record(
    store: Store, film_id: int, name: str, role: str, character: str | None = None
) -> dict[str, Any]:
    """A checked row of credits (the person added if new)."""
    return {
        "film_id": film_id,
        "role": choose(role, ROLES, "role"),
        "character": clean_optional(character, "a character"),
        "person_id": person_id(store, name),
    }


@atomic
def add_credit(store: Store, film: Film, name: str, role: str, character: str | None = None) -> str:
    """Credit a person on a film; returns the one-line answer."""
    insert_credit(store, film.id, name, role, character)
    as_who = f" ({clean_optional(character, 'a character')})" if character else ""
    return f"{film.title}: {clean_text(name, 'a name')} · {role.strip().lower()}{as_who}"


@atomic
def remove_credit(store: Store, film: Film, name: str, role: str | None = None) -> int:
    """Remove a person's credits on a film (only the given role, if one is given)."""
    who, shown = find_person(store, name)
    role = choose(role, ROLES, "role") if role else None
    sql = "DELETE FROM credits WHERE film_id = ? AND person_id = ?"
    params: list[Any] = [film.id, who]
    if role:
        sql += " AND role = ?"
        params.append(role)
    removed = store.conn.execute(sql, params).rowcount
    if not removed:
        what = f" as {role}" if role else ""
        raise InvalidValue(f"{shown} has no credit{what} on {film.title}")
    return removed


class Credit(TypedDict):
    """A film's credit, as `tracker show` lists it."""

    id: int
    name: str
    role: str
    character: str | None


def credits_of(store: Store, film_id: int) -> list[Credit]:
    rows = store.rows(
        "SELECT c.id, p.name, c.role, c.character FROM credits c JOIN people p ON p.id = c.person_id"
        " WHERE c.film_id = ? ORDER BY c.id",
        [film_id],
    )
    return [
        {"id": row["id"], "name": row["name"], "role": row["role"], "character": row["character"]}
        for row in rows
    ]
