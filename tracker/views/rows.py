"""The rows the as-of readers return, declared once: their keys are the JSON keys and the
csv/tsv columns of every listing (the CLI takes its columns from here with
`render.columns_of`), so a key added to a reader without its row type is a mypy error."""

from __future__ import annotations

import datetime
from typing import Any, TypedDict

from tracker.dates import FuzzyDate


class FilmRow(TypedDict):
    """A film in `list` (and the start of an `upcoming` or `show` row)."""

    id: int
    title: str  # the title of the day
    year: int | None
    franchise: str | None
    instalment: int | None
    status: str | None  # the status of the day


class UpcomingRow(FilmRow):
    date: FuzzyDate
    precision: str
    country: str | None
    type: str
    days: int | None


class HistoryEntry(TypedDict):
    """An announcement in `history`, with what it changed."""

    id: int
    country: str | None
    type: str
    date: FuzzyDate
    precision: str
    previous: FuzzyDate | None
    change: str  # first, moved, refined, vaguer, confirmed, tba
    shift_days: int | None  # moves only
    announced: FuzzyDate
    source: str | None
    note: str | None


class CountdownRow(TypedDict):
    id: int
    title: str
    date: FuzzyDate | None
    precision: str | None
    country: str | None
    type: str | None
    days: int | None
    human: str
    status: str | None  # the film's status of the day (a cancelled film still counts down)


class StatusRow(TypedDict):
    """A status change in `statuses`."""

    id: int
    date: FuzzyDate
    precision: str
    status: str
    note: str | None
    source: str | None


class ListEntry(TypedDict):
    """A film in `watchlist show`."""

    id: int
    title: str
    priority: int
    note: str | None
    added: datetime.date
    seen: bool
    date: FuzzyDate | None
    precision: str | None
    country: str | None
    type: str | None
    days: int | None
    status: str | None


class ChangeRow(TypedDict):
    """A change in the `changes` digest."""

    announced: FuzzyDate
    film_id: int
    title: str
    kind: str  # release_moved, status, retitle
    country: str | None
    type: str | None
    old: Any  # a FuzzyDate for a release, a status or a title otherwise
    new: Any
    shift_days: int | None


class DelayRow(TypedDict):
    id: int
    title: str
    country: str | None
    type: str
    first: FuzzyDate
    current: FuzzyDate
    moves: int
    total_shift_days: int | None
    longest_shift_days: int | None


class ClashRow(TypedDict):
    country: str | None
    date_a: FuzzyDate
    title_a: str
    date_b: FuzzyDate
    title_b: str
    days_apart: int


class FilmingRow(TypedDict):
    id: int
    title: str
    status: str | None
    where: list[str]


class PersonFilm(TypedDict):
    """A film in `person`."""

    id: int
    title: str
    role: str
    character: str | None
    status: str | None
    next_release: FuzzyDate | None


class TimelineRow(TypedDict):
    date: FuzzyDate
    precision: str
    film_id: int
    title: str
    kind: str
    id: int | None  # the fact's id in its kind, for `amend` and `delete` (a retitle's: title)
    text: str
    source: str | None
