"""Release dates as an RFC 5545 calendar (through the icalendar package): the one builder
behind `export ics` and the served /calendar.ics.

One all-day event per current release (film, country, type). Calendars that subscribe or
import again update events in place, so every event keeps one identity:
- UID: derived from the database's UUID, the film id and the (country, type); ids are
  never reused (m005), so a UID never passes to another film;
- SEQUENCE: how often the event changed (date moves, the film's turns into and out of
  `cancelled`, deleted and restored announcements, a removal; `amend` is not counted);
- DTSTAMP: the day of its last change, so the same database gives the same file.
A release that was in the calendar and no longer is (its date is now TBA or vaguer, its film
was cancelled, or it was removed: see the tombstones of m010_views) stays for 90 days as
STATUS:CANCELLED under its UID, so calendars drop the old date instead of keeping it.
Month and quarter dates (with `approximate`) are TENTATIVE one-day events on the window's
first day, the window named in the summary.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tracker import asof
from tracker.dates import FuzzyDate, describe_move, from_iso
from tracker.errors import InvalidValue
from tracker.records import Release
from tracker.store import Store

PRODID = "-//tracker//film release dates//EN"
UID_DOMAIN = "tracker"
CANCELLED_FOR_DAYS = 90
TENTATIVE_PRECISIONS = ("month", "quarter")

# The current announcement of every (film, country, type), as of :today.
CURRENT_SQL = "SELECT r.id, r.film_id, r.country, r.type FROM {source} WHERE {current}{where}"
# Deleted releases (m010_views) whose release is not back and whose key has no live row.
TOMBSTONES_SQL = (
    "SELECT t.* FROM release_tombstones t WHERE t.removed >= :cutoff"
    " AND {known}"
    " AND NOT EXISTS (SELECT 1 FROM releases l WHERE l.film_id = t.film_id"
    "   AND l.country IS t.country AND l.type = t.type){where}"
    " ORDER BY t.announced_start, t.id"
)
# How often a film went into or out of `cancelled` up to :today (each is a change).
CANCELLATIONS_SQL = (
    "SELECT count(*) FROM (SELECT status = 'cancelled' AS off, lag(status = 'cancelled', 1, 0)"
    " OVER (ORDER BY on_start, id) AS was FROM status_events s"
    " WHERE film_id = :film AND {known}) WHERE off != was"
)
# A live release's deleted announcements (an undone `release`) and those put back (an
# undone `remove`): each is a change its SEQUENCE must count, or calendars would keep the
# copy from before the undo (a deletion can take up to two moves with it, hence 3 and 4).
DELETIONS_SQL = (
    "SELECT coalesce(sum(CASE WHEN EXISTS (SELECT 1 FROM releases l WHERE l.id = t.id)"
    " THEN 4 ELSE 3 END), 0) FROM release_tombstones t"
    " WHERE t.film_id = ? AND t.country IS ? AND t.type = ?"
)
CANCELLED_ON_SQL = (
    "SELECT known_from FROM status_events s WHERE film_id = :film AND status = 'cancelled'"
    " AND {known} ORDER BY on_start DESC, id DESC LIMIT 1"
)


@dataclass(frozen=True)
class Filters:
    """What a calendar holds: the same for `export ics` options and the served query."""

    watchlist: str | None = None
    country: str | None = None
    types: Sequence[str] = ()
    franchise: str | None = None
    days: int | None = None
    approximate: bool = False


@dataclass
class CalendarResult:
    text: str
    events: int
    left_out: int  # current releases without a usable day (month/quarter without approximate)
    cancelled: int = 0


@dataclass(frozen=True)
class Announced:
    date: FuzzyDate
    announced: FuzzyDate
    source: str | None

    @property
    def known_on(self) -> datetime.date:
        """The day the announcement counts as known (its window's last day, as in asof)."""
        assert self.announced.end is not None
        return self.announced.end


@dataclass
class Entry:
    """One (film, country, type) and its announcements known on the day."""

    film_id: int
    title: str
    franchise: str | None
    country: str | None
    type: str
    history: list[Announced] = field(default_factory=list)
    removed: str | None = None  # the day its release was deleted (a tombstone)


def database_uuid(store: Store) -> uuid.UUID:
    value = store.value("SELECT value FROM meta WHERE key = 'uuid'")
    return uuid.UUID(value) if value else uuid.UUID(int=0)


def uid(database: uuid.UUID, film_id: int, country: str | None, release_type: str) -> str:
    name = f"{film_id}/{country or 'worldwide'}/{release_type}"
    return f"{uuid.uuid5(database, name)}@{UID_DOMAIN}"


def build(store: Store, today: datetime.date, filters: Filters | None = None) -> CalendarResult:
    import icalendar

    filters = _checked(filters or Filters())
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    name = "Film releases"
    watchlist_id = None
    if filters.watchlist is not None:
        from tracker.domain.watchlists import get_list

        chosen = get_list(store, filters.watchlist)
        watchlist_id, name = chosen.id, f"Film releases: {chosen.name}"
    # icalendar's own TEXT type escapes commas and semicolons (RFC 5545 3.3.11).
    calendar.add("x-wr-calname", icalendar.vText(name))
    calendar.add("x-published-ttl", icalendar.vDuration(datetime.timedelta(hours=12)))
    entries = _live_entries(store, today, filters, watchlist_id)
    entries += _removed_entries(store, today, filters, watchlist_id)
    entries = _by_country(entries, filters.country)
    entries.sort(key=lambda e: (e.title.casefold(), e.film_id, e.country or "", e.type))
    database = database_uuid(store)
    result = CalendarResult("", 0, 0)
    for entry in entries:
        current = entry.history[-1].date
        if entry.removed is None and current.start is not None and not _shown(current, filters):
            result.left_out += 1
        event = _event(store, today, filters, database, entry)
        if event is not None:
            calendar.add_component(event)
            result.events += 1
            result.cancelled += str(event["STATUS"]) == "CANCELLED"
    result.text = calendar.to_ical().decode("utf-8")
    return result


def _checked(filters: Filters) -> Filters:
    from tracker.domain.releases import normalise_country, normalise_type

    if filters.days is not None and filters.days < 0:
        raise InvalidValue("--days cannot be negative")
    return Filters(
        filters.watchlist,
        normalise_country(filters.country),
        tuple(dict.fromkeys(normalise_type(t) for t in filters.types)),
        filters.franchise.strip() if filters.franchise else None,
        filters.days,
        filters.approximate,
    )


def _where(filters: Filters, watchlist_id: int | None, alias: str) -> tuple[str, dict[str, Any]]:
    clauses: list[str] = []
    params: dict[str, Any] = {}
    if filters.types:
        marks = ", ".join(f":type{n}" for n in range(len(filters.types)))
        clauses.append(f"{alias}.type IN ({marks})")
        params.update({f"type{n}": t for n, t in enumerate(filters.types)})
    if filters.franchise:
        params["franchise"] = filters.franchise
    if watchlist_id is not None:
        params["watchlist"] = watchlist_id
    return "".join(f" AND {c}" for c in clauses), params


def _live_entries(
    store: Store, today: datetime.date, filters: Filters, watchlist_id: int | None
) -> list[Entry]:
    from tracker.domain.films import get_film

    where, params = _where(filters, watchlist_id, "r")
    source = "releases r"
    if watchlist_id is not None:  # walk the list's films, not every release
        source = "watchlist_entries w JOIN releases r ON r.film_id = w.film_id"
        where += " AND w.watchlist_id = :watchlist AND w.added <= :today"  # on the list then
    if filters.franchise:
        where += (
            " AND r.film_id IN (SELECT id FROM films WHERE franchise = :franchise COLLATE NOCASE)"
        )
    sql = CURRENT_SQL.format(source=source, current=asof.current_release_sql("r"), where=where)
    entries: dict[tuple[int, str | None, str], Entry] = {}
    for row in store.rows(sql, asof.params(today, **params)):
        key = (row["film_id"], row["country"], row["type"])
        entries[key] = Entry(row["film_id"], "", None, row["country"], row["type"])
    for film_id in sorted({film_id for film_id, _, _ in entries}):
        film = get_film(store, film_id)
        title = asof.title_on(store, film_id, today)
        for release in asof.announcements(store, film_id, today):
            entry = entries.get((film_id, release.country, release.type))
            if entry is not None:
                entry.title, entry.franchise = title, film.franchise
                entry.history.append(_announced(release))
    return list(entries.values())


def _removed_entries(
    store: Store, today: datetime.date, filters: Filters, watchlist_id: int | None
) -> list[Entry]:
    where, params = _where(filters, watchlist_id, "t")
    if filters.franchise:
        where += " AND t.franchise = :franchise COLLATE NOCASE"
    if watchlist_id is not None:
        where += " AND t.watchlists LIKE '%,' || :watchlist || ',%'"
    params["cutoff"] = (today - datetime.timedelta(days=CANCELLED_FOR_DAYS)).isoformat()
    sql = TOMBSTONES_SQL.format(known=asof.known("t"), where=where)
    entries: dict[tuple[int, str | None, str], Entry] = {}
    for row in store.rows(sql, asof.params(today, **params)):
        key = (row["film_id"], row["country"], row["type"])
        entry = entries.setdefault(
            key, Entry(row["film_id"], row["title"] or "?", row["franchise"], *key[1:])
        )
        entry.history.append(
            Announced(from_iso(row["date"]), from_iso(row["announced"]), row["source"])
        )
        entry.removed = max(entry.removed or "", row["removed"])
    return list(entries.values())


def _announced(release: Release) -> Announced:
    return Announced(release.date, release.announced, release.source)


def _by_country(entries: list[Entry], country: str | None) -> list[Entry]:
    """A country's own dates, and the worldwide date where it has none of that type."""
    if country is None:
        return entries
    own = {(e.film_id, e.type) for e in entries if e.country == country}
    return [
        e
        for e in entries
        if e.country == country or (e.country is None and (e.film_id, e.type) not in own)
    ]


def _shown(date: FuzzyDate, filters: Filters) -> bool:
    """Whether a date can be an event: a day, or a month or quarter when approximate."""
    return date.is_day or (filters.approximate and date.precision in TENTATIVE_PRECISIONS)


def _in_days(date: FuzzyDate, today: datetime.date, days: int | None) -> bool:
    if days is None:
        return True
    assert date.start is not None and date.end is not None
    return date.end >= today and date.start <= today + datetime.timedelta(days=days)


def _event(
    store: Store,
    today: datetime.date,
    filters: Filters,
    database: uuid.UUID,
    entry: Entry,
) -> Any | None:
    """The entry's event, or None when it has nothing to show (or its cancellation expired)."""
    import icalendar

    history = entry.history
    moves = [i for i in range(1, len(history)) if history[i].date != history[i - 1].date]
    last_change = history[moves[-1] if moves else 0]
    shown_at = max((i for i, a in enumerate(history) if _shown(a.date, filters)), default=None)
    if shown_at is None:
        return None
    shown = history[shown_at]
    status = None if entry.removed else asof.status_on(store, entry.film_id, today)
    film = asof.params(today, film=entry.film_id)
    cancelled_on: datetime.date | None = None
    why = ""
    if entry.removed is not None:
        cancelled_on = datetime.date.fromisoformat(entry.removed)
        why = "the release was removed from tracker"
    elif shown_at != len(history) - 1:
        after = history[shown_at + 1]
        cancelled_on = after.known_on
        why = f"the date is now {history[-1].date.display()} (announced {after.announced})"
    elif status == "cancelled":
        known = store.value(CANCELLED_ON_SQL.format(known=asof.known("s")), film)
        cancelled_on = datetime.date.fromisoformat(known)
        why = "the film was cancelled"
    if cancelled_on is not None:
        cutoff = today - datetime.timedelta(days=CANCELLED_FOR_DAYS)
        if cancelled_on < cutoff:
            return None
    date = shown.date
    if not _in_days(date, today, filters.days):
        return None
    assert date.start is not None
    tentative = not date.is_day
    summary = f"{entry.title} ({entry.type}, {entry.country or 'worldwide'})"
    if tentative:
        summary += f": {date.display()}"
    if cancelled_on is not None:
        summary = f"Cancelled: {summary}"
    event = icalendar.Event()
    event.add("uid", uid(database, entry.film_id, entry.country, entry.type))
    event.add("summary", summary)
    event.add("dtstart", date.start)
    event.add("dtend", date.start + datetime.timedelta(days=1))  # all-day DTEND is exclusive
    stamp = cancelled_on or last_change.known_on
    event.add("dtstamp", datetime.datetime.combine(stamp, datetime.time(), datetime.timezone.utc))
    # Date moves, plus the film's turns into and out of `cancelled`, plus deleted and
    # restored announcements; a removal adds one.
    sequence = len(moves)
    if entry.removed is not None:
        sequence += 1
    else:
        sequence += store.value(CANCELLATIONS_SQL.format(known=asof.known("s")), film)
        sequence += store.value(DELETIONS_SQL, [entry.film_id, entry.country, entry.type])
    event.add("sequence", sequence)
    if cancelled_on is not None:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "TENTATIVE" if tentative else "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    event.add("description", "\n".join(_description(entry, status, shown, moves, why)))
    if shown.source and shown.source.startswith(("http://", "https://")):
        event.add("url", shown.source)
    return event


def _description(
    entry: Entry, status: str | None, shown: Announced, moves: list[int], why: str
) -> list[str]:
    lines = []
    if why:
        lines.append(f"Cancelled: {why}")
    if entry.removed is None:
        lines.append(f"Status: {status or 'unknown'}")
    if entry.franchise:
        lines.append(f"Franchise: {entry.franchise}")
    if not shown.date.is_day:
        lines.append(f"Date: {shown.date.display()} (no exact day yet)")
    history = entry.history
    if moves:
        last = moves[-1]
        move = describe_move(history[last - 1].date, history[last].date)
        lines.append(f"Last move: {move}, announced {history[last].announced}")
    else:
        lines.append(f"Announced: {history[0].announced}")
    if shown.source:
        lines.append(f"Source: {shown.source}")
    return lines
