"""Reading parsed JSON with errors that name where they are: the reader every JSON import
section (and the TMDB and Wikidata importers) uses."""

from __future__ import annotations

import bisect
import datetime
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from tracker.dates import FuzzyDate, parse_date
from tracker.errors import BadFile, TrackerError
from tracker.validation import MAX_ID


class FilmIds:
    """The file's film ids mapped to the database's, small for a million films: a film
    keeping its id (the usual case, in ascending order) is kept as part of a run of such
    ids; only the others take a dict entry each."""

    def __init__(self) -> None:
        self.starts: list[int] = []  # runs of ids kept as they were: starts[i]..ends[i]
        self.ends: list[int] = []
        self.other: dict[int, int] = {}
        self.given: set[int] = set()  # database ids of `other`

    def __contains__(self, file_id: object) -> bool:
        return isinstance(file_id, int) and (file_id in self.other or self._in_runs(file_id))

    def __getitem__(self, file_id: int) -> int:
        if self._in_runs(file_id):
            return file_id
        return self.other[file_id]

    def __setitem__(self, file_id: int, film_id: int) -> None:
        if file_id == film_id and (not self.ends or file_id > self.ends[-1]):
            if self.ends and file_id == self.ends[-1] + 1:
                self.ends[-1] = file_id
            else:
                self.starts.append(file_id)
                self.ends.append(file_id)
        else:
            self.other[file_id] = film_id
            self.given.add(film_id)

    def taken(self, film_id: int) -> bool:
        """Whether a film of this file already has this database id."""
        return film_id in self.given or self._in_runs(film_id)

    def at_or_below(self, floor: int) -> Iterator[int]:
        """The database ids given, up to `floor`."""
        for start, end in zip(self.starts, self.ends, strict=True):
            yield from range(start, min(end, floor) + 1)
        yield from (film_id for film_id in self.given if film_id <= floor)

    def _in_runs(self, film_id: int) -> bool:
        at = bisect.bisect_right(self.starts, film_id) - 1
        return at >= 0 and film_id <= self.ends[at]


@dataclass
class ImportContext:
    """What loaders share: the file's film ids mapped to the database's."""

    film_ids: FilmIds = field(default_factory=FilmIds)
    today: datetime.date = field(default_factory=datetime.date.today)  # no diary day after it
    film_id_mark: int = 0  # the largest film id of the database's own films (ever)

    def film_id(self, item: Reader, key: str = "film") -> int:
        """The database id of the film an item refers to by its id in the file."""
        file_id = item.integer(key, required=True)
        if file_id is None or file_id not in self.film_ids:
            raise BadFile(f"{item.at(key)}: no film with id {file_id} in this file")
        return self.film_ids[file_id]


class Reader:
    """Reads typed values out of parsed JSON, naming the path of whatever is wrong."""

    __slots__ = ("data", "_path", "_parent", "_index")

    def __init__(self, data: Any, path: str, parent: Reader | None = None, index: int = 0):
        self.data = data
        self._path = path  # with a parent: the key under it, the item's index in it
        self._parent = parent
        self._index = index

    @property
    def path(self) -> str:
        """Where this is in the file ("films[3].releases[0]"), spelled out only for an error
        message: a million films make tens of millions of readers."""
        if self._parent is None:
            return self._path
        return f"{self._parent.at(self._path)}[{self._index}]"

    def fail(self, message: str) -> BadFile:
        return BadFile(f"{self.path}: {message}" if self.path else message)

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def _raw(self, key: str, required: bool) -> Any:
        if not isinstance(self.data, dict):
            raise self.fail("expected an object")
        if key not in self.data or self.data[key] is None:
            if required:
                raise BadFile(f"{self.at(key)}: missing")
            return None
        return self.data[key]

    def text(self, key: str, required: bool = False) -> str | None:
        data = self.data
        if type(data) is dict:  # the common case first: a million films pass here
            found = data.get(key)
            if type(found) is str or (found is None and not required):
                return found
        value = self._raw(key, required)
        if value is not None and not isinstance(value, str):
            raise BadFile(f"{self.at(key)}: expected text, got {json.dumps(value)[:40]}")
        return value

    def integer(self, key: str, required: bool = False) -> int | None:
        value = self._raw(key, required)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise BadFile(f"{self.at(key)}: expected a whole number, got {json.dumps(value)[:40]}")
        if value is not None and abs(value) > MAX_ID:
            raise BadFile(f"{self.at(key)}: {str(value)[:30]}... is out of range")
        return value

    def number(self, key: str, required: bool = False) -> float | None:
        value = self._raw(key, required)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise BadFile(f"{self.at(key)}: expected a number, got {json.dumps(value)[:40]}")
        if value is not None and (abs(value) > MAX_ID or not math.isfinite(value)):
            raise BadFile(f"{self.at(key)}: {str(value)[:30]} is out of range")
        return value

    def date(self, key: str, required: bool = False) -> FuzzyDate | None:
        value = self.text(key, required)
        if value is None:
            return None
        try:
            return parse_date(value)
        except TrackerError as error:
            raise BadFile(f"{self.at(key)}: {error}") from None

    def items(self, key: str) -> list[Reader]:
        value = self._raw(key, False)
        if value is None:
            return []
        if not isinstance(value, list):
            raise BadFile(f"{self.at(key)}: expected a list")
        return [Reader(item, key, self, index) for index, item in enumerate(value)]

    def child(self, key: str) -> Reader:
        """An object inside this one (an empty one when missing)."""
        value = self._raw(key, False)
        if value is not None and not isinstance(value, dict):
            raise BadFile(f"{self.at(key)}: expected an object")
        return Reader(value or {}, self.at(key))

    def names(self) -> list[str]:
        return list(self.data) if isinstance(self.data, dict) else []

    def reporting(self) -> Reporting:
        """Report a library error raised inside the block at this path."""
        return Reporting(self)


class Reporting:
    """`with reader.reporting():` (a class, not a generator: it wraps every row)."""

    def __init__(self, reader: Reader):
        self.reader = reader

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, error: Any, trace: Any) -> None:
        if error is None or isinstance(error, BadFile) or not isinstance(error, TrackerError):
            return None
        raise self.reader.fail(str(error)) from None
