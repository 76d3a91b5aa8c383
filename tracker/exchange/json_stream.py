"""Reading a JSON document a piece at a time: the top-level object's members in file order,
a scalar or object member whole and an array member item by item. Memory holds one item (a
film with its facts) and a block of the file, never the whole file.

Each item is decoded by the standard library's C scanner (`JSONDecoder.raw_decode`), so a
tracker export reads at about the speed of `json.loads` without its memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

from tracker.errors import BadFile

BLOCK = 1 << 16
WHITESPACE = " \t\n\r"
# How close to the end of the text read so far a decoding error must be to mean "the item
# goes on past it" rather than "the file is broken here" (the longest token the scanner
# reports at its end: a \\u escape and its four hex digits, `false`, a number's exponent).
_NEAR_END = 12

Member = tuple[str, Any]  # (key, value); an array's value is an iterator over its items


class StreamError(BadFile):
    """The file itself is not readable JSON (the message names the file and where)."""


class JsonStream:
    """The members of the top-level object of `handle`'s text (see `members`)."""

    def __init__(self, handle: IO[str], name: str):
        self.handle = handle
        self.name = name
        self.text = ""
        self.pos = 0
        self.eof = False
        self.lines_before = 0  # line breaks in the text already dropped
        self.column_before = 0  # characters since the last of them
        self.decoder = json.JSONDecoder()

    # Reading ---------------------------------------------------------------------------

    def _more(self, at_least: int = BLOCK) -> bool:
        """Read on (dropping the text already used); False at the end of the file."""
        if self.eof:
            return False
        used = self.text[: self.pos]
        breaks = used.count("\n")
        if breaks:
            self.lines_before += breaks
            self.column_before = len(used) - used.rfind("\n") - 1
        else:
            self.column_before += len(used)
        try:
            block = self.handle.read(max(at_least, BLOCK))
        except UnicodeDecodeError:
            raise StreamError(f"{self.name}: not UTF-8 text") from None
        except OSError as error:
            raise StreamError(f"{self.name}: cannot read: {error.strerror or error}") from None
        self.text = self.text[self.pos :] + block
        self.pos = 0
        if not block:
            self.eof = True
        return bool(block)

    def _peek(self) -> str:
        """The next character that is not white space ("" at the end), not consumed."""
        while True:
            text, pos = self.text, self.pos
            while pos < len(text) and text[pos] in WHITESPACE:
                pos += 1
            self.pos = pos
            if pos < len(text):
                return text[pos]
            if not self._more():
                return ""

    def _take(self, expected: str, what: str) -> str:
        char = self._peek()
        if char == "" or char not in expected:
            raise self._error(self.pos, f"expecting {what}")
        self.pos += 1
        return char

    def _value(self) -> Any:
        """One whole JSON value from here (read on until it is complete)."""
        self._peek()
        grow = BLOCK
        while True:
            try:
                value, end = self.decoder.raw_decode(self.text, self.pos)
            except json.JSONDecodeError as error:
                cut_short = error.pos >= len(self.text) - _NEAR_END or error.msg.startswith(
                    "Unterminated string"
                )
                if cut_short and not self.eof:
                    self._more(grow)  # then decode again: the error's place has moved
                    grow *= 2  # a big item: read ever larger blocks, not quadratically
                    continue
                raise self._error(error.pos, error.msg) from None
            except RecursionError:
                raise StreamError(
                    f"{self.name}: JSON nested too deeply for a tracker export"
                ) from None
            except ValueError as error:  # a number of more than 4,300 digits
                raise StreamError(f"{self.name}: {str(error).split(';')[0]}") from None
            if end == len(self.text) and not self.eof:
                self._more(grow)  # a number may go on in the next block
                grow *= 2
                continue
            self.pos = end
            return value

    def _error(self, pos: int, message: str) -> StreamError:
        before = self.text[:pos]
        breaks = before.count("\n")
        line = self.lines_before + breaks + 1
        if breaks:
            column = len(before) - before.rfind("\n")
        else:
            column = self.column_before + len(before) + 1
        return StreamError(f"{self.name}: invalid JSON at line {line} column {column}: {message}")

    # The document ----------------------------------------------------------------------

    def members(self) -> Iterator[Member]:
        """(key, value) for each member of the top-level object, in file order. An array's
        value is an iterator over its items, read as it is consumed (whatever the caller
        leaves of it is read and dropped before the next member)."""
        if self._peek() != "{":
            if self._peek() == "":
                raise StreamError(f"{self.name}: empty file (expected a tracker export)")
            raise StreamError(
                f'{self.name}: not a tracker export (expected an object with "format": "tracker")'
            )
        self.pos += 1
        if self._peek() == "}":
            self.pos += 1
        else:
            while True:
                self._peek()
                key_at = self.pos
                key = self._value()
                if not isinstance(key, str):
                    raise self._error(key_at, "expecting a member name in double quotes")
                self._take(":", "':'")
                if self._peek() == "[":
                    self.pos += 1
                    items = self._items()
                    yield key, items
                    for _ in items:  # what the caller did not read
                        pass
                else:
                    yield key, self._value()
                if self._take(",}", "',' or '}'") == "}":
                    break
        if self._peek() != "":
            raise self._error(self.pos, "extra data after the document")

    def _items(self) -> Iterator[Any]:
        if self._peek() == "]":
            self.pos += 1
            return
        while True:
            yield self._value()
            if self._take(",]", "',' or ']'") == "]":
                return
