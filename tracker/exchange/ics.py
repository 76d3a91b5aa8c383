"""Release dates as an RFC 5545 calendar (through the icalendar package).

One all-day event per current release. Its UID is fixed by film, country and type, and its
SEQUENCE counts how often that date has moved, so a calendar app that imports the file again
updates the event instead of adding a second one. DTSTAMP is the day the current date was
announced, so the same database gives the same file.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import groupby
from typing import IO, Any

from tracker import asof
from tracker.dates import from_iso
from tracker.store import Store

PRODID = "-//tracker//film release dates//EN"
UID_DOMAIN = "tracker.invalid"

# The current announcement of every (film, country, type), as of :today.
CURRENT_SQL = (
    "SELECT r.id, r.film_id, r.country, r.type, r.date, r.announced_start, r.source,"
    " {title} AS title, f.franchise FROM releases r JOIN films f ON f.id = r.film_id"
    " WHERE {current}{films}"
    " ORDER BY f.title, r.film_id, r.country, r.type"
)
# How often the date of one (film, country, type) changed up to :today: the SEQUENCE.
MOVES_SQL = (
    "SELECT count(*) FROM (SELECT date, lag(date) OVER (ORDER BY announced_start, id) AS prev,"
    " row_number() OVER (ORDER BY announced_start, id) AS nth"
    " FROM releases WHERE film_id = :film AND country IS :country AND type = :type"
    " AND known_from <= :today) WHERE nth > 1 AND prev IS NOT date"
)


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
    """The whole calendar as text (see `write`)."""
    import io

    out = io.StringIO()
    events, left_out = write(
        store,
        today,
        out,
        watchlist=watchlist,
        country=country,
        release_type=release_type,
        approximate=approximate,
    )
    return CalendarResult(out.getvalue(), events, left_out)


def _for_country(rows: Iterable[Any], country: str) -> Iterator[Any]:
    """A film's own releases in the country, and its worldwide ones of the types it has none
    of its own for there; the rows come film by film, so one film is held at a time."""
    for _, group in groupby(rows, key=lambda row: row["film_id"]):
        film_rows = list(group)
        own = {row["type"] for row in film_rows if row["country"] == country}
        yield from (
            row
            for row in film_rows
            if row["country"] == country or (row["country"] is None and row["type"] not in own)
        )


def write(
    store: Store,
    today: datetime.date,
    out: IO[str],
    *,
    watchlist: str | None = None,
    country: str | None = None,
    release_type: str | None = None,
    approximate: bool = False,
) -> tuple[int, int]:
    """Write the calendar to `out` an event at a time, read from a cursor; returns the
    events written and the releases left out."""
    import icalendar

    from tracker.domain.releases import normalise_country, normalise_type

    country = normalise_country(country)
    release_type = normalise_type(release_type) if release_type else None
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    name = "Film releases"
    params: dict[str, Any] = {"today": today.isoformat()}
    films = ""
    if watchlist is not None:
        from tracker.domain.watchlists import get_list

        chosen = get_list(store, watchlist)
        films = (
            " AND r.film_id IN (SELECT film_id FROM watchlist_entries"
            " WHERE watchlist_id = :watchlist)"
        )
        params["watchlist"] = chosen.id
        name = f"Film releases: {chosen.name}"
    calendar.add("x-wr-calname", name)
    sql = CURRENT_SQL.format(
        current=asof.current_release_sql("r"), title=asof.title_sql("f.id", "f.title"), films=films
    )
    rows: Iterable[Any] = (
        row
        for row in store.conn.execute(sql, params)
        if release_type is None or row["type"] == release_type
    )
    if country is not None:
        rows = _for_country(rows, country)
    # The calendar's own lines, then each event's as it is built, then its END line: what
    # `calendar.to_ical()` writes with every event added, without holding them all.
    head, end = calendar.to_ical().decode("utf-8").rsplit("END:VCALENDAR", 1)
    out.write(head)
    events = left_out = 0
    for row in rows:
        date = from_iso(row["date"])
        if date.start is None or date.end is None:
            continue  # TBA: nothing to put in a calendar
        tentative = date.precision in ("month", "quarter")
        if not date.is_day and not (approximate and tentative):
            left_out += 1
            continue
        status = asof.status_on(store, row["film_id"], today)
        moves = store.value(
            MOVES_SQL,
            {
                "film": row["film_id"],
                "country": row["country"],
                "type": row["type"],
                "today": params["today"],
            },
        )
        event = _event(row, date.start, date.end, tentative, status, moves)
        out.write(event.to_ical().decode("utf-8"))
        events += 1
    out.write("END:VCALENDAR" + end)
    return events, left_out


def _event(
    row: Any,
    start: datetime.date,
    end: datetime.date,
    tentative: bool,
    status: str | None,
    moves: int,
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
    event.add("sequence", int(moves))
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
