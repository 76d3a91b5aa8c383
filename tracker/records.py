"""What a stored film and a stored release announcement look like when read back.

Shared by the as-of rules (`tracker.asof`), the domain and the readers, so none of them has
to import another to know the shape of a row."""

from __future__ import annotations

from typing import Any, NamedTuple

from tracker.dates import FuzzyDate, from_iso

FILM_COLUMNS = "id, title, year, franchise, instalment"


class Film(NamedTuple):
    id: int
    title: str  # the latest title; `tracker.asof.title_on` gives the title of a day
    year: int | None
    franchise: str | None
    instalment: int | None

    @property
    def label(self) -> str:
        """How a film is named in messages: "Title (1996) #1"."""
        year = f" ({self.year})" if self.year else ""
        return f"{self.title}{year} #{self.id}"


def film_from_row(row: Any) -> Film:
    return Film(row["id"], row["title"], row["year"], row["franchise"], row["instalment"])


def release_where(release_type: str, country: str | None) -> str:
    """How a release is placed in text: 'theatrical (US)', 'digital (worldwide)'."""
    return f"{release_type} ({country or 'worldwide'})"


class Release(NamedTuple):
    """One announcement: film F opens in country C as type T on `date`, said on `announced`."""

    id: int
    film_id: int
    country: str | None
    type: str
    date: FuzzyDate
    announced: FuzzyDate
    source: str | None
    note: str | None

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.country, self.type)

    @property
    def where(self) -> str:
        """'theatrical (US)', or 'theatrical (worldwide)'."""
        return release_where(self.type, self.country)


def release_from_row(row: Any) -> Release:
    return Release(
        row["id"],
        row["film_id"],
        row["country"],
        row["type"],
        from_iso(row["date"]),
        from_iso(row["announced"]),
        row["source"],
        row["note"],
    )
