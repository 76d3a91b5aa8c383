"""RFC 5545 content lines written as the icalendar package writes them, byte for byte (its
TEXT escaping, its folding, CRLF), without its per-property objects: building an
icalendar.Event for each of a million releases costs most of `export ics`'s time.
tests/test_calendar_stream.py compares the two on odd text of every kind.
"""

from __future__ import annotations

import datetime

BOM = "\ufeff"
FOLD_AT = 75  # octets: a line reaching this many is folded (icalendar's `_foldline`)


def text(value: str) -> str:
    """A TEXT value: icalendar's escaping (RFC 5545 3.3.11), in its order: `\\N` first
    becomes a line break, every line break becomes `\\n`."""
    return (
        value.replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


def day(value: datetime.date) -> str:
    """A DATE value."""
    return f"{value.year:04}{value.month:02}{value.day:02}"


def midnight_utc(value: datetime.date) -> str:
    """A DATE-TIME value: the day's midnight in UTC."""
    return f"{day(value)}T000000Z"


def fold(line: str) -> str:
    """One content line folded as icalendar folds it: before the character that would bring
    a line to 75 octets, never leaving a trailing backslash or caret (that moves along)."""
    if line.isascii():  # a character is an octet: cut every 74, or 73 before a \ or ^
        if len(line) < FOLD_AT:
            return line
        parts, start = [], 0
        while len(line) - start >= FOLD_AT:
            cut = start + FOLD_AT - 1
            if line[cut - 1] in "\\^":
                cut -= 1
            parts.append(line[start:cut])
            start = cut
        parts.append(line[start:])
        return "\r\n ".join(parts)
    if len(line.encode()) < FOLD_AT:
        return line
    folded: list[str] = []
    current: list[str] = []
    count = 0
    for char in line:
        size = len(char.encode())
        if current and count + size >= FOLD_AT:
            if len(current) > 1 and current[-1] in "\\^":
                carried = current.pop()
                folded.append("".join(current))
                current, count = [carried], len(carried.encode())
            else:
                folded.append("".join(current))
                current, count = [], 0
        current.append(char)
        count += size
    if current:
        folded.append("".join(current))
    return "\r\n ".join(folded)


def line(name: str, value: str) -> str:
    """One content line (name with parameters, value) and its CRLF, folded. A value loses
    one leading byte-order mark, as icalendar's utf-8-sig reading of it does."""
    content = f"{name}:{value.removeprefix(BOM)}"
    if len(content) < FOLD_AT and content.isascii():
        return content + "\r\n"
    return fold(content) + "\r\n"
