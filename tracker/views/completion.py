"""What the shell completes: film names (#ID and titles), statuses, release types,
countries, watchlist names and note kinds, read from the database.

Completion runs on every Tab press, so it opens the database read-only and never migrates,
writes or fails: an unreadable database simply completes nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from tracker.names import name_key

LIMIT = 50
Choice = tuple[str, str]  # (value, help shown by zsh and fish)


@contextmanager
def _reading(db: str | None) -> Iterator[sqlite3.Connection | None]:
    from tracker.store.connection import resolve_path

    path = resolve_path(db)
    if not path.is_file():
        yield None
        return
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=1)
    except sqlite3.Error:
        yield None
        return
    try:
        yield conn
    finally:
        conn.close()


def films(db: str | None, incomplete: str) -> list[Choice]:
    """`#ID`s for "#...", else titles whose key starts like the typed text's."""
    with _reading(db) as conn:
        if conn is None:
            return []
        try:
            if incomplete.startswith("#"):
                rows = conn.execute(
                    "SELECT '#' || id, title FROM films WHERE CAST(id AS TEXT) LIKE ? || '%'"
                    " ORDER BY id LIMIT ?",
                    [incomplete[1:].strip(), LIMIT],
                ).fetchall()
            else:
                key = name_key(incomplete) if incomplete.strip() else ""
                rows = conn.execute(
                    "SELECT title, coalesce(year || ' ', '') || '#' || id FROM films"
                    " WHERE title_key >= ? AND title_key < ? ORDER BY title_key, year LIMIT ?",
                    [key, key + "\uffff", LIMIT],
                ).fetchall()
        except sqlite3.Error:
            return []
    return [(as_typed(str(value), incomplete), str(help_text)) for value, help_text in rows]


def watchlists(db: str | None, incomplete: str) -> list[Choice]:
    with _reading(db) as conn:
        if conn is None:
            return []
        try:
            rows = conn.execute("SELECT name, description FROM watchlists ORDER BY name").fetchall()
        except sqlite3.Error:
            return []
    return matching(((name, description or "") for name, description in rows), incomplete)


def as_typed(value: str, typed: str) -> str:
    """The value with the user's own spelling of its start ("miss" -> "mission:
    Impossible"): shells and typer keep only completions starting with what was typed."""
    if value[: len(typed)].casefold() == typed.casefold():
        return typed + value[len(typed) :]
    return value


def matching(choices: Iterable[Choice], incomplete: str) -> list[Choice]:
    """The choices whose value starts with what was typed, any case."""
    typed = incomplete.casefold()
    found = [choice for choice in choices if choice[0].casefold().startswith(typed)][:LIMIT]
    return [(as_typed(value, incomplete), help_text) for value, help_text in found]


def words(values: Iterable[str], incomplete: str) -> list[Choice]:
    return matching(((value, "") for value in values), incomplete)


def countries(incomplete: str) -> list[Choice]:
    """Codes for what starts like a code, else names (--country takes either)."""
    from tracker.countries import CODES

    typed = incomplete.casefold()
    found = [(code, name) for code, name in CODES.items() if code.casefold().startswith(typed)]
    found += [
        (name, code)
        for code, name in CODES.items()
        if name.casefold().startswith(typed) and not code.casefold().startswith(typed)
    ]
    return [(as_typed(value, incomplete), help_text) for value, help_text in found[:LIMIT]]
