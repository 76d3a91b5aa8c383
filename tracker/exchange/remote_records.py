"""What the TMDB and Wikidata parsers read out of a response: plain records, no database.

The parsers (`tmdb.py`, `wikidata.py`) turn each response shape into `FilmRecord`s; the
importer (`remote_import.py`) writes them through the domain.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from tracker.dates import FuzzyDate


@dataclass(frozen=True)
class ReleaseEntry:
    """One published release date: (country, type) on a date, as the service gave it."""

    country: str | None  # ISO 3166-1 alpha-2; None for worldwide
    type: str  # tracker's release type (premiere, limited, theatrical, digital, physical, tv)
    date: FuzzyDate
    note: str | None
    certification: str | None
    announced: datetime.date | None  # the day it was published; None: the import day
    source: str  # the address of the resource it came from


@dataclass(frozen=True)
class CreditEntry:
    name: str
    role: str  # one of domain.people.ROLES
    character: str | None = None


@dataclass(frozen=True)
class LocationEntry:
    """A filming location: a place and, when known, its country."""

    place: str
    country: str | None


@dataclass
class FilmRecord:
    """A film as one response describes it; fields it does not describe are None or empty."""

    ids: dict[str, str]  # scheme (tmdb, imdb, wikidata) -> value
    source: str
    title: str | None = None
    year: int | None = None
    franchise: str | None = None
    instalment: int | None = None
    status: str | None = None  # a tracker status, when the service says one
    alternative_titles: list[str] = field(default_factory=list)
    credits: list[CreditEntry] = field(default_factory=list)
    locations: list[LocationEntry] = field(default_factory=list)
    releases: list[ReleaseEntry] = field(default_factory=list)
    skipped: int = 0  # entries the parser could not use (an unknown country, say)


def clean(text: object) -> str | None:
    """Trimmed text, None when empty or not text (TMDB writes "" for "none")."""
    if not isinstance(text, str):
        return None
    return text.strip() or None
