"""Filming locations (shoots): where, when, for which films, and what is filming now.

A shoot belongs to one or more films (films shot back to back share their shoots). Its start
and end are fuzzy dates; either may be unknown. As of a day, a shoot is known once the window of
its first known date has closed; it is "now" while today lies between the start of its start date and the
end of its end date (of its start date when the end is not known).
"""

from __future__ import annotations

import datetime
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from tracker.asof import shoot_known
from tracker.countries import country_code
from tracker.dates import TBA, FuzzyDate, check_happened, from_iso
from tracker.errors import InvalidDate, InvalidValue
from tracker.records import Film
from tracker.store import Store
from tracker.store.connection import atomic
from tracker.validation import clean_optional, clean_text

SHOOT_ID = re.compile(r"^#?\s*(\d+)$")


@dataclass(frozen=True)
class Shoot:
    id: int
    place: str
    region: str | None
    country: str
    start: FuzzyDate
    end: FuzzyDate
    note: str | None
    source: str | None
    film_ids: tuple[int, ...]
    announced: FuzzyDate = TBA  # when the plan (place, start and end) was announced

    @property
    def where(self) -> str:
        """'Stranda, Møre og Romsdal (NO)'."""
        return shoot_where(self.place, self.region, self.country)

    @property
    def first_day(self) -> datetime.date | None:
        """The first day of the first known date (start, else end)."""
        return self.start.start or self.end.start

    @property
    def last_day(self) -> datetime.date | None:
        """The last day of the last known date (end, else start)."""
        return self.end.end or self.start.end

    @property
    def counts_from(self) -> FuzzyDate:
        """The date whose window's last day makes the shoot known: the day it was announced
        or its first known date (start, else end), whichever closes first; TBA for a shoot
        with no dates, always known (the as-of rule, `asof.shoot_known_sql` in SQL)."""
        first = self.start if self.start.start is not None else self.end
        if first.end is None:
            return TBA
        told = self.announced.end
        return self.announced if told is not None and told < first.end else first

    def known_on(self, today: datetime.date) -> bool:
        return shoot_known(self.counts_from.end, today)

    def holds(self, today: datetime.date) -> bool:
        """Whether today lies between the start and the end (the start's window when the end
        is not known); never when the start is not known."""
        first, last = self.start.start, self.last_day
        return first is not None and last is not None and first <= today <= last


def shoot_where(place: str, region: str | None, country: str) -> str:
    """How a shoot is placed in text: 'Stranda, Møre og Romsdal (NO)'."""
    return f"{place}, {region} ({country})" if region else f"{place} ({country})"


def check_window(start: FuzzyDate, end: FuzzyDate) -> None:
    if start.start is not None and end.end is not None and end.end < start.start:
        raise InvalidDate(f"the end ({end.display()}) is before the start ({start.display()})")


def parse_shoot_id(text: str) -> int:
    match = SHOOT_ID.match(text.strip())
    if not match:
        raise InvalidValue(
            f"'{text}' is not a shoot id: write #ID as shown by `tracker shoot list`"
        )
    return int(match.group(1))


def _key(date: FuzzyDate) -> str | None:
    return None if date.start is None else date.start.isoformat()


def _film_ids(store: Store, shoot_id: int) -> tuple[int, ...]:
    rows = store.rows(
        "SELECT film_id FROM shoot_films WHERE shoot_id = ? ORDER BY film_id", [shoot_id]
    )
    return tuple(row["film_id"] for row in rows)


def _shoot(store: Store, row: Any) -> Shoot:
    return Shoot(
        row["id"],
        row["place"],
        row["region"],
        row["country"],
        from_iso(row["start"]),
        from_iso(row["end"]),
        row["note"],
        row["source"],
        _film_ids(store, row["id"]),
        from_iso(row["announced"]),
    )


def get_shoot(store: Store, shoot_id: int) -> Shoot:
    row = store.row("SELECT * FROM shoots WHERE id = ?", [shoot_id])
    if row is None:
        raise InvalidValue(f"no shoot #{shoot_id} (see `tracker shoot list`)")
    return _shoot(store, row)


def link_film(store: Store, shoot_id: int, film_id: int) -> None:
    store.conn.execute(
        "INSERT OR IGNORE INTO shoot_films (shoot_id, film_id) VALUES (?, ?)", [shoot_id, film_id]
    )


def insert_shoot(
    store: Store,
    film_ids: Sequence[int],
    place: str,
    country: str,
    *,
    region: str | None = None,
    start: FuzzyDate = TBA,
    end: FuzzyDate = TBA,
    note: str | None = None,
    source: str | None = None,
    announced: FuzzyDate = TBA,
) -> int:
    """Insert a checked shoot and link it to its films. Call inside a transaction."""
    if not film_ids:
        raise InvalidValue("a shoot needs at least one film")
    check_window(start, end)
    announced_on = {"announced": announced.iso} if announced.iso is not None else {}
    shoot_id = store.insert(
        "shoots",
        {
            "place": clean_text(place, "a place"),
            "region": clean_optional(region, "a region"),
            "country": country_code(country),
            "start": start.iso,
            "start_key": _key(start),
            "end": end.iso,
            "end_key": _key(end),
            "note": clean_optional(note, "a note"),
            "source": clean_optional(source, "a source"),
            **announced_on,  # m020's column, written only when given
        },
    )
    for film_id in film_ids:
        link_film(store, shoot_id, film_id)
    return shoot_id


@atomic
def add_shoot(
    store: Store,
    films: Sequence[Film],
    place: str,
    country: str,
    *,
    region: str | None = None,
    start: FuzzyDate = TBA,
    end: FuzzyDate = TBA,
    note: str | None = None,
    source: str | None = None,
    announced: FuzzyDate = TBA,
    today: datetime.date | None = None,
) -> Shoot:
    """A new shoot of `films`; `announced`, the day the plan was told, is checked against
    `today` (a day that happened: not TBA, not after it)."""
    if announced.start is not None and today is not None:
        check_happened(announced, today, "announced")
    ids = list(dict.fromkeys(film.id for film in films))
    shoot_id = insert_shoot(
        store,
        ids,
        place,
        country,
        region=region,
        start=start,
        end=end,
        note=note,
        source=source,
        announced=announced,
    )
    return get_shoot(store, shoot_id)


@atomic
def edit_shoot(
    store: Store,
    shoot: Shoot,
    *,
    place: str | None = None,
    region: str | None = None,
    country: str | None = None,
    start: FuzzyDate | None = None,
    end: FuzzyDate | None = None,
    note: str | None = None,
    source: str | None = None,
    films: Sequence[Film] = (),
    announced: FuzzyDate | None = None,
    today: datetime.date | None = None,
) -> Shoot:
    """Change the given fields (TBA clears a date; empty text clears region, note or source)
    and add films; a new `announced` day is checked against `today`, as `add_shoot` does.
    Call inside a transaction."""
    if announced is not None and announced.start is not None and today is not None:
        check_happened(announced, today, "announced")
    new_start = shoot.start if start is None else start
    new_end = shoot.end if end is None else end
    check_window(new_start, new_end)
    values = [
        shoot.place if place is None else clean_text(place, "a place"),
        shoot.region if region is None else clean_optional(region, "a region"),
        shoot.country if country is None else country_code(country),
        new_start.iso,
        _key(new_start),
        new_end.iso,
        _key(new_end),
        shoot.note if note is None else clean_optional(note, "a note"),
        shoot.source if source is None else clean_optional(source, "a source"),
        (shoot.announced if announced is None else announced).iso,
    ]
    # Only when something differs: an update to the same values would still be logged, and
    # take `tracker undo` away from the command before.
    store.conn.execute(
        'UPDATE shoots SET place = ?, region = ?, country = ?, start = ?, start_key = ?, "end" = ?,'
        " end_key = ?, note = ?, source = ?, announced = ? WHERE id = ?"
        ' AND (place, region, country, start, start_key, "end", end_key, note, source, announced)'
        " IS NOT (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [*values, shoot.id, *values],
    )
    for film in films:
        link_film(store, shoot.id, film.id)
    return get_shoot(store, shoot.id)


@atomic
def remove_shoot(store: Store, shoot: Shoot) -> None:
    store.conn.execute("DELETE FROM shoot_films WHERE shoot_id = ?", [shoot.id])
    store.conn.execute("DELETE FROM shoots WHERE id = ?", [shoot.id])


def shoots(store: Store, film_id: int | None = None, country: str | None = None) -> list[Shoot]:
    """Shoots in date order (undated last), optionally of one film or in one country."""
    return list(shoots_from(store, film_id, country))


def shoots_from(
    store: Store,
    film_id: int | None = None,
    country: str | None = None,
    *,
    where: str = "",
    params: dict[str, Any] | None = None,
    limit: int = -1,
) -> Iterator[Shoot]:
    """`shoots` read from a cursor, the first `limit` of them (-1: all); `where`: more SQL
    conditions on shoot `s` (named parameters in `params`). Dated shoots and undated ones
    are two queries, so the dated ones' order needs no `IS NULL` sort key."""
    clauses = [where] if where else []
    args: dict[str, Any] = {**(params or {}), "limit": limit}
    if film_id is not None:
        clauses.append("s.id IN (SELECT shoot_id FROM shoot_films WHERE film_id = :film)")
        args["film"] = film_id
    if country:
        clauses.append("s.country = :country")
        args["country"] = country_code(country)
    day = "coalesce(s.start_key, s.end_key)"
    # `>= ''` (the keys are ISO text), not IS NOT NULL, which the planner does not turn into
    # a range: the walk of shoots_day then starts past the undated shoots, which sort first.
    parts = ((f"{day} >= ''", f"{day}, s.id"), (f"{day} IS NULL", "s.id"))
    rows: Iterator[Any] = itertools.chain.from_iterable(
        store.conn.execute(
            f"SELECT s.* FROM shoots s WHERE {' AND '.join([*clauses, dated])}"
            f" ORDER BY {order} LIMIT :limit",
            args,
        )
        for dated, order in parts
    )
    if limit >= 0:
        rows = itertools.islice(rows, limit)
    return (_shoot(store, row) for row in rows)
