"""The key a name is matched by: titles, aliases, people, lists.

Every lookup of a name a user typed compares `name_key(typed)` with a stored key made by the
same function, so the two never disagree."""

from __future__ import annotations


def name_key(text: str) -> str:
    """The matching key of a name: case-insensitive (Unicode casefolding)."""
    return " ".join(text.split()).casefold()
