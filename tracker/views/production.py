"""Production readers as of a day: shoots known and filming now, a film's events, a person's
films."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from typing import Any, TypedDict

from tracker import asof
from tracker.dates import TBA, FuzzyDate, from_iso
from tracker.domain.people import find_person
from tracker.domain.shoots import Shoot, shoots_from
from tracker.limits import sql_limit
from tracker.records import Film
from tracker.store import Store
from tracker.views.releases import pick_countdown
from tracker.views.rows import FilmingRow, PersonFilm


def titles_of_films(store: Store, film_ids: tuple[int, ...], today: datetime.date) -> list[str]:
    """The titles of the day of those films known today (a shoot may film one not yet known
    with one that is)."""
    return [film.title for film in asof.known_films_on(store, film_ids, today)]


class ShootRow(TypedDict):
    """A row of `tracker shoot list`."""

    id: int
    place: str
    region: str | None
    country: str
    start: FuzzyDate
    end: FuzzyDate
    films: list[str]
    note: str | None


def shoot_row(store: Store, shoot: Shoot, today: datetime.date) -> ShootRow:
    """A shoot as of `today`: its end once that has passed (the window of the end closed),
    as the timeline tells it, or once the plan was announced (`announced`); before, the
    shoot is going on and its end, recorded on no day of its own, might not have been
    known."""
    planned = shoot.announced.end is not None and shoot.announced.end <= today
    ended = planned or (shoot.end.end is not None and shoot.end.end <= today)
    return {
        "id": shoot.id,
        "place": shoot.place,
        "region": shoot.region,
        "country": shoot.country,
        "start": shoot.start,
        "end": shoot.end if ended else TBA,
        "films": titles_of_films(store, shoot.film_ids, today),
        "note": shoot.note,
    }


def list_shoots(
    store: Store,
    today: datetime.date,
    *,
    film: Film | None = None,
    country: str | None = None,
    now: bool = False,
    limit: int | None = None,
) -> Iterator[ShootRow]:
    """Shoots known as of today, of films known today, in date order (undated last); with
    `now`, only those whose window holds today; `limit`: the first so many. Read from a
    cursor."""
    known = asof.shoot_now_sql("s") if now else asof.shoot_known_sql("s")
    found = shoots_from(
        store,
        film.id if film else None,
        country,
        where=f"{known} AND {asof.shoot_of_known_film_sql('s')}",
        params=asof.params(today),
        limit=sql_limit(limit),
    )
    return (shoot_row(store, shoot, today) for shoot in found)


# A film's columns in `filming`: its title and status of the day, and the places it is
# being filmed at (its shoots among `now`, in the order of their first day; the `+` keeps
# the lookup on the film's own shoots rather than on every shoot of the day).
_FILMING_COLUMNS = f"""{asof.title_sql("f.id", "f.title")} AS title, {asof.status_sql("f.id")} AS status,
       (SELECT json_group_array(place || coalesce(', ' || region, '') || ' (' || country || ')')
        FROM (SELECT s.place, s.region, s.country FROM shoot_films sf
              JOIN shoots s ON s.id = sf.shoot_id
              WHERE sf.film_id = f.id AND +sf.shoot_id IN now
              ORDER BY coalesce(s.start_key, s.end_key), s.id)) AS places"""

# The films with a shoot holding today, and those whose status today is filming, merged in
# film order as both are read (a UNION with an ORDER BY merges two ordered reads): the
# day's shoots are found in the span index and only their films' ids read (few: sorted),
# the statuses walk the (status, film_id) index in film order, so `--limit` stops both.
FILMING_SQL = f"""
WITH now AS MATERIALIZED ({asof.shoots_now_sql()})
SELECT f.id AS id, {_FILMING_COLUMNS}
FROM films f WHERE f.id IN (SELECT sf.film_id FROM shoot_films sf WHERE sf.shoot_id IN now)
  AND {asof.film_known_sql("f.id")}
UNION
SELECT e.film_id, {_FILMING_COLUMNS}
FROM status_events e JOIN films f ON f.id = e.film_id
WHERE e.status = 'filming' AND {asof.known("e")} AND {asof.status_sql("e.film_id")} = 'filming'
ORDER BY 1
LIMIT :limit
"""


def filming_now(
    store: Store, today: datetime.date, *, limit: int | None = None
) -> Iterator[FilmingRow]:
    """Films whose status today is filming, and films known today with a known shoot whose
    window holds today, each with the places being filmed now: one query for the day. The limit is
    checked before the first row is read."""
    rows = store.conn.execute(FILMING_SQL, asof.params(today, limit=sql_limit(limit)))
    return (
        {
            "id": row["id"],
            "title": row["title"],
            "status": row["status"],
            "where": json.loads(row["places"]),
        }
        for row in rows
    )


def event_row(row: Any) -> dict[str, Any]:
    return {
        "id": row["id"],
        "date": from_iso(row["on_date"]),
        "kind": row["kind"],
        "text": row["text"],
        "source": row["source"],
    }


def events_of(
    store: Store, film_id: int, today: datetime.date, *, limit: int | None = None
) -> list[dict[str, Any]]:
    """Events known by today, latest first."""
    rows = asof.known_rows(store, "events", film_id, today, limit=limit)
    if limit is None:
        rows = rows[::-1]
    return [event_row(row) for row in rows]


def next_release(store: Store, film_id: int, today: datetime.date) -> Any:
    """The earliest current release date whose window has not passed."""
    chosen = pick_countdown(asof.current_releases(store, film_id, today), today)
    if chosen is None or chosen.date.end is None or chosen.date.end < today:
        return None
    return chosen.date


def person(
    store: Store, name: str, today: datetime.date, *, limit: int | None = None
) -> dict[str, Any]:
    """A person's films in the database, with role, status and next release; `limit`: the
    first so many films."""
    count = sql_limit(limit)
    who, shown = find_person(store, name)
    year = asof.year_sql("f.id", "f.year")  # the year of the day: the stored one may be unknown
    rows = store.rows(
        "SELECT c.film_id, c.role, c.character FROM credits c JOIN films f ON f.id = c.film_id"
        f" WHERE c.person_id = :person AND {asof.film_known_sql('f.id')}"
        f" ORDER BY {year} IS NULL, {year}, f.instalment, f.id, c.id LIMIT :limit",
        asof.params(today, person=who, limit=count),
    )
    films: list[PersonFilm] = []
    for row in rows:
        (film,) = asof.films_on(store, [row["film_id"]], today, year=False)  # no year shown
        films.append(
            {
                "id": film.id,
                "title": film.title,
                "role": row["role"],
                "character": row["character"],
                "status": asof.status_on(store, film.id, today),
                "next_release": next_release(store, film.id, today),
            }
        )
    return {"name": shown, "films": films}
