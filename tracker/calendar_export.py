"""Release dates as an RFC 5545 calendar (through the icalendar package).

One all-day event per current release. Its UID is fixed by film, country and type, and its
SEQUENCE counts how often that date has moved, so a calendar app that imports the file again
updates the event instead of adding a second one. DTSTAMP is the day the current date was
announced, so the same database gives the same file.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from tracker.dates import from_iso
from tracker.store import Store

PRODID = "-//tracker//film release dates//EN"
UID_DOMAIN = "tracker.invalid"

# Every current release (as of :today) with how many times its date changed before.
CURRENT_SQL = """
SELECT * FROM (
  SELECT r.id, r.film_id, r.country, r.type, r.date, r.announced_start, r.source,
         f.title, f.franchise,
         row_number() OVER w_desc AS newest,
         sum(CASE WHEN prev IS NOT NULL AND prev IS NOT r.date THEN 1 ELSE 0 END)
           OVER (PARTITION BY r.film_id, r.country, r.type) AS moves
  FROM (SELECT *, lag(date) OVER (PARTITION BY film_id, country, type
                                  ORDER BY announced_start, id) AS prev
        FROM releases WHERE announced_start <= :today) r
  JOIN films f ON f.id = r.film_id
  WINDOW w_desc AS (PARTITION BY r.film_id, r.country, r.type
                    ORDER BY r.announced_start DESC, r.id DESC)
) WHERE newest = 1
ORDER BY title, film_id, country, type
"""


@dataclass
class CalendarResult:
    text: str
    events: int
    left_out: int  # releases without a usable day (month/quarter without --approximate)


def uid(film_id: int, country: str | None, release_type: str) -> str:
    return f"film-{film_id}-{(country or 'worldwide').lower()}-{release_type}@{UID_DOMAIN}"


def build(
    store: Store,
    today: datetime.date,
    *,
    watchlist: str | None = None,
    country: str | None = None,
    release_type: str | None = None,
    approximate: bool = False,
) -> CalendarResult:
    import icalendar

    from tracker.films import status_as_of
    from tracker.releases import normalise_country, normalise_type

    country = normalise_country(country)
    release_type = normalise_type(release_type) if release_type else None
    films: set[int] | None = None
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    name = "Film releases"
    if watchlist is not None:
        from tracker.watchlists import film_ids, get_list

        chosen = get_list(store, watchlist)
        films = set(film_ids(store, chosen))
        name = f"Film releases: {chosen.name}"
    calendar.add("x-wr-calname", name)
    rows = [
        row
        for row in store.rows(CURRENT_SQL, {"today": today.isoformat()})
        if (films is None or row["film_id"] in films)
        and (release_type is None or row["type"] == release_type)
    ]
    if country is not None:
        own = {(row["film_id"], row["type"]) for row in rows if row["country"] == country}
        rows = [
            row
            for row in rows
            if row["country"] == country
            or (row["country"] is None and (row["film_id"], row["type"]) not in own)
        ]
    events = left_out = 0
    for row in rows:
        date = from_iso(row["date"])
        if date.start is None or date.end is None:
            continue  # TBA: nothing to put in a calendar
        tentative = date.precision in ("month", "quarter")
        if not date.is_day and not (approximate and tentative):
            left_out += 1
            continue
        status = status_as_of(store, row["film_id"], today)
        calendar.add_component(_event(row, date.start, date.end, tentative, status))
        events += 1
    return CalendarResult(calendar.to_ical().decode("utf-8"), events, left_out)


def _event(
    row: Any, start: datetime.date, end: datetime.date, tentative: bool, status: str | None
) -> Any:
    import icalendar

    where = row["country"] or "worldwide"
    event = icalendar.Event()
    event.add("uid", uid(row["film_id"], row["country"], row["type"]))
    event.add("summary", f"{row['title']} ({row['type']}, {where})")
    event.add("dtstart", start)
    event.add("dtend", end + datetime.timedelta(days=1))  # an all-day DTEND is exclusive
    announced = datetime.date.fromisoformat(row["announced_start"])
    event.add(
        "dtstamp", datetime.datetime.combine(announced, datetime.time(), datetime.timezone.utc)
    )
    event.add("sequence", int(row["moves"]))
    event.add("status", "TENTATIVE" if tentative else "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    lines = [f"Status: {status or 'unknown'}"]
    if row["franchise"]:
        lines.append(f"Franchise: {row['franchise']}")
    if tentative:
        lines.append(f"Date: {from_iso(row['date']).display()} (no exact day yet)")
    if row["source"]:
        lines.append(f"Source: {row['source']}")
        if row["source"].startswith(("http://", "https://")):
            event.add("url", row["source"])
    event.add("description", "\n".join(lines))
    return event
