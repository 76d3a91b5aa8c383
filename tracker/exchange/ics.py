"""Release dates as an RFC 5545 calendar, byte for byte what the icalendar package writes
(ics_lines; tests compare the two): the one builder behind `export ics` and the served
/calendar.ics.

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
first day, the window named in the summary. An event on the last day there is (9999-12-31)
has no DTEND: the day after cannot be written, and a DATE DTSTART alone lasts one day
(RFC 5545 3.6.1). The event's URL is its source when that is a web address (WEB_URL).

The calendar is written as it is read (`stream`): the current releases come from one cursor
in the calendar's order, so memory does not grow with the catalogue.
"""

from __future__ import annotations

import datetime
import hashlib
import heapq
import re
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from typing import TYPE_CHECKING, Any, NamedTuple

from tracker import asof
from tracker.dates import FuzzyDate, describe_move, from_iso, plus_days
from tracker.errors import InvalidValue, UnknownFranchise
from tracker.exchange import ics_lines as ical
from tracker.store import Store
from tracker.store.info import database_uuid as stored_uuid

if TYPE_CHECKING:
    from tracker.domain.watchlists import Watchlist

PRODID = "-//tracker//film release dates//EN"
UID_DOMAIN = "tracker"
CANCELLED_FOR_DAYS = 90
ONE_DAY = datetime.timedelta(days=1)
TENTATIVE_PRECISIONS = ("month", "quarter")
# A source that can be an event's URL (`--source` takes any text: "javascript:...", words,
# a URL with spaces): http(s), a host, a numeric port if any, and no character a URI cannot
# hold (spaces and line breaks, which icalendar refuses in a URI, quotes, angle brackets).
_NOT_URI = r'\s\x00-\x1f\x7f"<>\\^`{|}'
WEB_URL = re.compile(
    rf"https?://(?:[^{_NOT_URI}/?#@]*@)?"  # user:password@
    rf"(?:\[[0-9a-f:.]+\]|[^{_NOT_URI}/?#@:\[\]]+)(?::[0-9]*)?"  # host, port
    rf"(?:[/?#][^{_NOT_URI}]*)?",  # path, query, fragment
    re.IGNORECASE,
)

# The calendar's films in its order (title, film; Python's order for text, hence casefold),
# with what their events need of them, worked out once per film.
FILMS_SQL = (
    "WITH film_facts AS MATERIALIZED (SELECT f.id, {title} AS title, f.franchise,"
    " {status} AS status,"
    " EXISTS (SELECT 1 FROM status_events s WHERE s.film_id = f.id"
    "   AND s.status = 'cancelled' AND {known_s}) AS was_cancelled,"
    " EXISTS (SELECT 1 FROM release_tombstones t WHERE t.film_id = f.id) AS has_tombstones"
    " FROM {films}{where_f})"  # its own step: the title's subqueries run once, not per use
    " SELECT * FROM film_facts ORDER BY casefold(title), id"
)
# Every announcement known on :today of a batch of those films (a JSON array of ids), in
# the calendar's order: the batch's, then country and type (BINARY: Python's order), then
# as announced. One entry's rows come together, and one film's entries too. The last of a
# (film, country, type)'s known announcements is its current one (the row
# asof.current_release_sql picks), so every key with a row here has a current release.
# Read a batch at a time so that only a batch is sorted, never the whole history.
ANNOUNCEMENTS_SQL = (
    "SELECT j.key, a.country, a.type, a.date, a.announced, a.source"
    " FROM json_each(:films) j CROSS JOIN releases a ON a.film_id = j.value"
    " AND {known_a}{where_a}"
    " ORDER BY j.key, coalesce(a.country, '') COLLATE BINARY, a.type COLLATE BINARY,"
    " a.announced_start, a.id"
)
FILMS_PER_BATCH = 1000
# Whether one (film, country, type) has a current release the calendar holds.
LIVE_KEY_SQL = (
    "SELECT 1 FROM {source} WHERE {current}{where}"
    " AND r.film_id = :key_film AND r.country = :key_country AND r.type = :key_type LIMIT 1"
)
# Deleted releases (m010_views) whose release is not back and whose key has no live row
# known on :today, of films known on :today, each under the film's title of the day (the
# tombstone's own, taken when the release was removed, once the film is gone).
TOMBSTONES_SQL = (
    "SELECT d.*, {title} AS title_of_day FROM release_tombstones d WHERE d.removed >= :cutoff"
    " AND {known} AND {film_known}"
    " AND NOT EXISTS (SELECT 1 FROM releases l WHERE l.film_id = d.film_id"
    "   AND l.country IS d.country AND l.type = d.type AND {live_known}){where}"
    " ORDER BY d.announced_start, d.id"
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
    " WHERE t.film_id = :film AND t.country IS :country AND t.type = :type"
    f" AND {asof.known('t')}"  # an announcement not yet known had no change to count
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


class Announced(NamedTuple):  # a tuple: one is made per announcement read
    date: FuzzyDate
    announced: FuzzyDate
    source: str | None

    @property
    def known_on(self) -> datetime.date:
        """The day the announcement counts as known (its window's last day, as in asof)."""
        assert self.announced.end is not None
        return self.announced.end


@dataclass(slots=True)  # a million are made
class Entry:
    """One (film, country, type) and its announcements known on the day."""

    film_id: int
    title: str
    franchise: str | None
    country: str | None
    type: str
    history: list[Announced] = field(default_factory=list)
    status: str | None = None  # the film's on the day (live entries)
    was_cancelled: bool = False  # the film has been `cancelled` by the day (live entries)
    deletions: int = 0  # DELETIONS_SQL (live entries)
    removed: str | None = None  # the day its release was deleted (a tombstone)


def database_uuid(store: Store) -> uuid.UUID:
    value = stored_uuid(store)
    return uuid.UUID(value) if value else uuid.UUID(int=0)


def uid(database: uuid.UUID, film_id: int, country: str | None, release_type: str) -> str:
    """The event's UID: `uuid.uuid5(database, name)`, spelled out (uuid.UUID objects cost a
    tenth of the calendar's time at a million events)."""
    return _uid(database.bytes, film_id, country, release_type)


# uuid5's variant bits in the hex digit they fall in: 10xx, the digit's low bits kept.
_VARIANT = {f"{n:x}": f"{n & 0x3 | 0x8:x}" for n in range(16)}


def _uid(database: bytes, film_id: int, country: str | None, release_type: str) -> str:
    name = f"{film_id}/{country or 'worldwide'}/{release_type}"
    h = hashlib.sha1(database + name.encode()).hexdigest()
    # The version (5) is the 13th digit, the variant the top bits of the 17th.
    return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:32]}@{UID_DOMAIN}"


class Event(NamedTuple):
    text: str  # its VEVENT lines, as icalendar writes them
    cancelled: bool


class CalendarStream:
    """The calendar as text, a chunk at a time: its header, each event as it is read and
    built, its end. The counts are complete once every chunk has been read."""

    def __init__(
        self, store: Store, today: datetime.date, filters: Filters, watchlist: Watchlist | None
    ):
        self.events = 0
        self.left_out = 0  # current releases without a usable day (month/quarter, no approximate)
        self.cancelled = 0
        self._chunks = self._write(store, today, filters, watchlist)

    def __iter__(self) -> Iterator[str]:
        return self._chunks

    def _write(
        self, store: Store, today: datetime.date, filters: Filters, watchlist: Watchlist | None
    ) -> Iterator[str]:
        # What icalendar's `to_ical()` writes for the calendar with every event added: its
        # own lines, each event's (ics_lines writes them as icalendar does), its END.
        name = "Film releases" if watchlist is None else f"Film releases: {watchlist.name}"
        yield calendar_head(name)
        watchlist_id = None if watchlist is None else watchlist.id
        database = database_uuid(store)
        events = _Events(_FilmFacts(store, today), today, filters, database)
        for entry in _entries(store, today, filters, watchlist_id):
            current = entry.history[-1].date
            if entry.removed is None and current.start is not None and not _shown(current, filters):
                self.left_out += 1
            event = events.event(entry)
            if event is not None:
                yield event.text
                self.events += 1
                self.cancelled += event.cancelled
        yield "END:VCALENDAR\r\n"


def stream(store: Store, today: datetime.date, filters: Filters | None = None) -> CalendarStream:
    """The calendar, to be written as it is read; bad filters and an unknown watchlist are
    refused here, before anything is written."""
    filters = _checked(store, filters or Filters())
    watchlist = None
    if filters.watchlist is not None:
        from tracker.domain.watchlists import get_list

        watchlist = get_list(store, filters.watchlist)
    return CalendarStream(store, today, filters, watchlist)


def build(store: Store, today: datetime.date, filters: Filters | None = None) -> CalendarResult:
    """The whole calendar as one text, with its counts (`stream` writes it as it is read)."""
    calendar = stream(store, today, filters)
    text = "".join(calendar)
    return CalendarResult(text, calendar.events, calendar.left_out, calendar.cancelled)


def _checked(store: Store, filters: Filters) -> Filters:
    from tracker.domain.releases import normalise_country, normalise_type

    if filters.days is not None and filters.days < 0:
        raise InvalidValue("--days cannot be negative")
    return Filters(
        filters.watchlist,
        normalise_country(filters.country),
        tuple(dict.fromkeys(normalise_type(t) for t in filters.types)),
        None if filters.franchise is None else _franchise(store, filters.franchise),
        filters.days,
        filters.approximate,
    )


def _franchise(store: Store, name: str) -> str:
    """The franchise as `upcoming` finds it (forgiving spellings; an unknown one is an
    error), or one that only removed films had: their cancelled events still count."""
    from tracker.domain.films import known_franchise

    try:
        found = known_franchise(store, name)
    except UnknownFranchise:
        removed = store.value(
            "SELECT franchise FROM release_tombstones WHERE franchise = ? COLLATE NOCASE LIMIT 1",
            [name.strip()],
        )
        if removed is None:
            raise
        return str(removed)
    assert found is not None
    return found


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


def calendar_head(name: str) -> str:
    """The calendar's own lines, as icalendar writes them (in its order: VERSION first),
    without importing it (a tenth of a second; tests compare the two)."""
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
        + ical.line("PRODID", ical.text(PRODID))
        + "CALSCALE:GREGORIAN\r\n"
        + ical.line("X-WR-CALNAME", ical.text(name))  # TEXT: commas and semicolons escaped
        + "X-PUBLISHED-TTL:PT12H\r\n"
    )


def _order(entry: Entry) -> tuple[str, int, str, str]:
    """The calendar's order of events (LIVE_SQL's ORDER BY spells it for the live ones)."""
    return (entry.title.casefold(), entry.film_id, entry.country or "", entry.type)


def _entries(
    store: Store, today: datetime.date, filters: Filters, watchlist_id: int | None
) -> Iterator[Entry]:
    """Every entry in the calendar's order: the live ones from one ordered cursor, merged
    with the removed ones (tombstones of the last 90 days: few, held in memory)."""
    removed = sorted(_removed_entries(store, today, filters, watchlist_id), key=_order)
    live: Iterable[Entry] = _live_entries(store, today, filters, watchlist_id)
    if filters.country is not None:
        live, removed = _by_country(store, today, filters, watchlist_id, live, removed)
    return heapq.merge(live, removed, key=_order)


def _live_from(filters: Filters, watchlist_id: int | None) -> tuple[dict[str, str], dict[str, Any]]:
    """The FROM and WHERE of the calendar's current releases `r`, and their parameters."""
    where, params = _where(filters, watchlist_id, "r")
    source = "releases r"
    if watchlist_id is not None:  # walk the list's films, not every release
        source = "watchlist_entries w JOIN releases r ON r.film_id = w.film_id"
        where += f" AND w.watchlist_id = :watchlist AND {asof.listed_sql('w')}"
    if filters.franchise:
        where += (
            " AND r.film_id IN (SELECT id FROM films WHERE franchise = :franchise COLLATE NOCASE)"
        )
    if filters.country is not None:  # other countries' dates never count (see _by_country)
        where += " AND (r.country = :country OR r.country IS NULL)"
        params["country"] = filters.country
    parts = {"source": source, "current": asof.current_release_sql("r"), "where": where}
    return parts, params


def _live_sql(filters: Filters, watchlist_id: int | None) -> tuple[str, str, dict[str, Any]]:
    """FILMS_SQL and ANNOUNCEMENTS_SQL for the filters, and their parameters."""
    where_a, params = _where(filters, watchlist_id, "a")
    films, where_f = "films f", []
    if watchlist_id is not None:  # walk the list's films, not every film
        films = "watchlist_entries w JOIN films f ON f.id = w.film_id"
        where_f.append(f"w.watchlist_id = :watchlist AND {asof.listed_sql('w')}")
    if filters.franchise:
        where_f.append("f.franchise = :franchise COLLATE NOCASE")
    if filters.country is not None:  # other countries' dates never count (see _by_country)
        where_a += " AND (a.country = :country OR a.country IS NULL)"
        params["country"] = filters.country
    films_sql = FILMS_SQL.format(
        title=asof.title_sql("f.id", "f.title"),
        status=asof.status_sql("f.id"),
        known_s=asof.known("s"),
        films=films,
        where_f=" WHERE " + " AND ".join(where_f) if where_f else "",
    )
    announcements_sql = ANNOUNCEMENTS_SQL.format(known_a=asof.known("a"), where_a=where_a)
    return films_sql, announcements_sql, params


def _live_entries(
    store: Store, today: datetime.date, filters: Filters, watchlist_id: int | None
) -> Iterator[Entry]:
    films_sql, announcements_sql, params = _live_sql(filters, watchlist_id)
    params = asof.params(today, **params)
    store.conn.create_function("casefold", 1, _casefold, deterministic=True)
    films = store.conn.cursor()
    films.row_factory = None  # plain tuples: a million rows read by position
    films.execute(films_sql, params)
    announcements = store.conn.cursor()
    announcements.row_factory = None
    dates: dict[str | None, FuzzyDate] = {}  # one object per stored date: a few thousand
    while batch := films.fetchmany(FILMS_PER_BATCH):
        params["films"] = "[" + ",".join(str(film[0]) for film in batch) + "]"
        entry: Entry | None = None
        for at, country, release_type, date_text, announced_text, source in announcements.execute(
            announcements_sql, params
        ):
            film = batch[at]
            if (
                entry is None
                or film[0] != entry.film_id
                or country != entry.country
                or release_type != entry.type
            ):
                if entry is not None:
                    yield entry
                film_id, title, franchise, status, was_cancelled, has_tombstones = film
                deletions = 0
                if has_tombstones:
                    deletions = _deletions(store, film_id, country, release_type, today)
                entry = Entry(
                    film_id,
                    str(title),
                    franchise,
                    country,
                    release_type,
                    [],
                    status,
                    bool(was_cancelled),
                    deletions,
                )
            date = dates.get(date_text)
            if date is None:
                date = dates[date_text] = from_iso(date_text)
            announced = dates.get(announced_text)
            if announced is None:
                announced = dates[announced_text] = from_iso(announced_text)
            entry.history.append(Announced(date, announced, source))
        if entry is not None:
            yield entry


def _deletions(
    store: Store, film_id: int, country: str | None, release_type: str, today: datetime.date
) -> int:
    found = store.value(
        DELETIONS_SQL, asof.params(today, film=film_id, country=country, type=release_type)
    )
    return int(found)


def _casefold(text: Any) -> str:
    return str(text).casefold()


def _removed_entries(
    store: Store, today: datetime.date, filters: Filters, watchlist_id: int | None
) -> list[Entry]:
    where, params = _where(filters, watchlist_id, "d")
    if filters.franchise:
        where += " AND d.franchise = :franchise COLLATE NOCASE"
    if watchlist_id is not None:
        # The lists it was on when the release was removed, once the film is gone; while it
        # is there, the lists it was on by today (an entry added later did not hold it).
        where += (
            " AND CASE WHEN EXISTS (SELECT 1 FROM films f WHERE f.id = d.film_id)"
            " THEN EXISTS (SELECT 1 FROM watchlist_entries e WHERE e.film_id = d.film_id"
            f" AND e.watchlist_id = :watchlist AND {asof.listed_sql('e')})"
            " ELSE d.watchlists LIKE '%,' || :watchlist || ',%' END"
        )
    params["cutoff"] = (today - datetime.timedelta(days=CANCELLED_FOR_DAYS)).isoformat()
    sql = TOMBSTONES_SQL.format(
        title=asof.title_sql("d.film_id", "d.title"),
        known=asof.known("d"),
        film_known=asof.film_known_sql("d.film_id"),
        live_known=asof.known("l"),
        where=where,
    )
    entries: dict[tuple[int, str | None, str], Entry] = {}
    for row in store.rows(sql, asof.params(today, **params)):
        key = (row["film_id"], row["country"], row["type"])
        entry = entries.setdefault(
            key, Entry(row["film_id"], row["title_of_day"] or "?", row["franchise"], *key[1:])
        )
        entry.history.append(
            Announced(from_iso(row["date"]), from_iso(row["announced"]), row["source"])
        )
        entry.removed = max(entry.removed or "", row["removed"])
    return list(entries.values())


def _by_country(
    store: Store,
    today: datetime.date,
    filters: Filters,
    watchlist_id: int | None,
    live: Iterable[Entry],
    removed: list[Entry],
) -> tuple[Iterator[Entry], list[Entry]]:
    """A country's own dates, and the worldwide date where it has none of that type (live
    or removed): the live entries come a film at a time, so one film is held at a time."""
    country = filters.country
    own_removed: dict[int, set[str]] = {}
    for e in removed:
        if e.country == country:
            own_removed.setdefault(e.film_id, set()).add(e.type)
    parts, params = _live_from(filters, watchlist_id)
    live_key = LIVE_KEY_SQL.format(**parts)

    def live_own(entry: Entry) -> bool:
        found = store.value(
            live_key,
            asof.params(
                today, **params, key_film=entry.film_id, key_country=country, key_type=entry.type
            ),
        )
        return found is not None

    kept_removed = [
        e
        for e in removed
        if e.country == country
        or (e.country is None and e.type not in own_removed.get(e.film_id, ()) and not live_own(e))
    ]

    def kept_live() -> Iterator[Entry]:
        for film_id, group in groupby(live, key=lambda e: e.film_id):
            entries = list(group)
            own = {e.type for e in entries if e.country == country}
            own |= own_removed.get(film_id, set())
            for e in entries:
                if e.country == country or (e.country is None and e.type not in own):
                    yield e

    return kept_live(), kept_removed


def _shown(date: FuzzyDate, filters: Filters) -> bool:
    """Whether a date can be an event: a day, or a month or quarter when approximate."""
    return date.is_day or (filters.approximate and date.precision in TENTATIVE_PRECISIONS)


def _in_days(date: FuzzyDate, today: datetime.date, days: int) -> bool:
    assert date.start is not None and date.end is not None
    return date.end >= today and date.start <= plus_days(today, days)


def _moves(history: list[Announced]) -> list[int]:
    """The announcements that changed the date (equal dates are mostly the same object)."""
    moves = []
    previous = history[0].date
    for i in range(1, len(history)):
        date = history[i].date
        if date is not previous and date.iso != previous.iso:  # iso: one text per date
            moves.append(i)
        previous = date
    return moves


class _Events:
    """Each entry's event as text. What events repeat is worked out once: the day values
    (a few thousand distinct days), the title's escaping (a film's entries come together),
    the UID's hash input."""

    def __init__(
        self, facts: _FilmFacts, today: datetime.date, filters: Filters, database: uuid.UUID
    ):
        self.facts, self.today, self.filters = facts, today, filters
        self.cutoff = today - datetime.timedelta(days=CANCELLED_FOR_DAYS)
        self.database = database.bytes
        self.spans: dict[datetime.date, str] = {}  # a start day's DTSTART and DTEND lines
        self.stamps: dict[datetime.date, str] = {}  # DATE-TIME values, at midnight UTC
        self.keys: dict[tuple[str, str | None], str] = {}  # " (type, country)", escaped
        self.title, self.escaped_title = "", ""  # the film at hand's (its entries come together)

    def event(self, entry: Entry) -> Event | None:
        """The entry's event, or None when it has nothing to show (or its cancellation
        expired)."""
        history = entry.history
        last = len(history) - 1
        shown_at = last  # the last announcement whose date can be an event
        while not _shown(history[shown_at].date, self.filters):
            shown_at -= 1
            if shown_at < 0:
                return None
        moves = _moves(history)
        shown = history[shown_at]
        removed = entry.removed
        status = None if removed else entry.status
        cancelled_on: datetime.date | None = None
        why = ""
        if removed is not None:
            cancelled_on = datetime.date.fromisoformat(removed)
            why = "the release was removed from tracker"
        elif shown_at != last:
            after = history[shown_at + 1]
            cancelled_on = after.known_on
            why = f"the date is now {history[-1].date} (announced {after.announced})"
        elif status == "cancelled":
            cancelled_on = self.facts.cancelled_on(entry.film_id)
            why = "the film was cancelled"
        if cancelled_on is not None and cancelled_on < self.cutoff:
            return None
        date = shown.date
        if self.filters.days is not None and not _in_days(date, self.today, self.filters.days):
            return None
        start = date.start
        assert start is not None
        tentative = date.precision != "day"
        # The summary "{title} ({type}, {country})", escaped a part at a time: no escape
        # reaches across the parts (each starts or ends with a plain character).
        if entry.title != self.title:
            self.title, self.escaped_title = entry.title, ical.text(entry.title)
        summary = self.escaped_title + self._escaped_key(entry.type, entry.country)
        if tentative:
            summary += f": {date}"  # "Jul 2026", "Q3 2026": nothing to escape
        # Date moves, plus the film's turns into and out of `cancelled`, plus deleted and
        # restored announcements; a removal adds one.
        sequence = len(moves)
        if removed is not None:
            sequence += 1
        else:
            sequence += self.facts.cancellations(entry.film_id) if entry.was_cancelled else 0
            sequence += entry.deletions
        if cancelled_on is not None:
            summary = f"Cancelled: {summary}"
            state = "CANCELLED"
        else:
            state = "TENTATIVE" if tentative else "CONFIRMED"
        # The description, a line each: why it is cancelled, the film's status, its
        # franchise, the window, the last move (or the first announcement), the source.
        lines = f"Cancelled: {why}\n" if why else ""
        if removed is None:
            lines += f"Status: {status or 'unknown'}\n"
        if entry.franchise:
            lines += f"Franchise: {entry.franchise}\n"
        if tentative:
            lines += f"Date: {date} (no exact day yet)\n"
        if moves:
            moved = history[moves[-1]]
            change = describe_move(history[moves[-1] - 1].date, moved.date)
            lines += f"Last move: {change}, announced {moved.announced}"
            last_change = moved.known_on
        else:
            lines += f"Announced: {history[0].announced}"
            last_change = history[0].known_on
        source = shown.source
        if source:
            lines += f"\nSource: {source}"
        span = self.spans.get(start) or self._span(start)
        stamp_day = cancelled_on or last_change
        stamp = self.stamps.get(stamp_day) or self._stamp(stamp_day)
        key = _uid(self.database, entry.film_id, entry.country, entry.type)
        # A VEVENT's lines, in the order icalendar writes an event's properties
        # (its canonical ones, then A-Z); the fixed lines are short ASCII, never folded.
        text = (
            "BEGIN:VEVENT\r\n"
            + ical.line("SUMMARY", summary)
            + span
            + f"DTSTAMP:{stamp}\r\nUID:{key}\r\nSEQUENCE:{sequence}\r\n"
            + ical.line("DESCRIPTION", ical.text(lines))
            + f"STATUS:{state}\r\nTRANSP:TRANSPARENT\r\n"
        )
        if source and WEB_URL.fullmatch(source):
            text += ical.line("URL", source)  # a URI value is written as it is
        return Event(text + "END:VEVENT\r\n", state == "CANCELLED")

    def _escaped_key(self, release_type: str, country: str | None) -> str:
        """ " ({type}, {country})", escaped."""
        key = (release_type, country)
        escaped = self.keys.get(key)
        if escaped is None:
            escaped = ical.text(f" ({release_type}, {country or 'worldwide'})")
            self.keys[key] = escaped
        return escaped

    def _span(self, start: datetime.date) -> str:
        """An all-day event's DTSTART and DTEND (exclusive: the next day); the last day
        there is has no next day, and needs none (RFC 5545 3.6.1)."""
        value = f"DTSTART;VALUE=DATE:{ical.day(start)}\r\n"
        if start < datetime.date.max:
            value += f"DTEND;VALUE=DATE:{ical.day(start + ONE_DAY)}\r\n"
        self.spans[start] = value
        return value

    def _stamp(self, day: datetime.date) -> str:
        value = self.stamps[day] = ical.midnight_utc(day)
        return value


class _FilmFacts:
    """A cancelled film's facts on the day, read once for all its events (they come together)."""

    def __init__(self, store: Store, today: datetime.date):
        self.store, self.today = store, today
        self.film_id: int | None = None
        self.turns = 0

    def cancellations(self, film_id: int) -> int:
        if film_id != self.film_id:
            sql = CANCELLATIONS_SQL.format(known=asof.known("s"))
            self.turns = int(self.store.value(sql, asof.params(self.today, film=film_id)))
            self.film_id = film_id
        return self.turns

    def cancelled_on(self, film_id: int) -> datetime.date:
        sql = CANCELLED_ON_SQL.format(known=asof.known("s"))
        known = self.store.value(sql, asof.params(self.today, film=film_id))
        return datetime.date.fromisoformat(known)
