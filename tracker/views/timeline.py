"""A film's (or a franchise's, or the catalogue's) whole story as dated facts, in order, as
of a day.

Facts: status changes, shoots starting and ending, release-date announcements (with the move
and its shift), releases (once their window has passed), retitles and notes. Nothing after
today counts; a fact of month or year precision sorts at the start of its window. A film not
yet known (asof.film_known_sql) has no facts yet: its shoots, retitles and notes wait for it
(a known status or announcement makes it known).

The order: the first day of the fact's window, then the film (the films named, in the order
given, then the franchise's or every film by franchise, instalment, year and id), then the
kind (TIMELINE_KINDS), then the order within the film (by id; releases by place; shoot ends
by their shoot's first day). One SQL query reads the facts in that order: a UNION ALL of an
arm per kind, each walking an index on its day, which SQLite merges, sorting only the facts
of one day (by film and kind). Rows are yielded as they are read: memory stays flat and
`--limit` stops the reading.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from tracker import asof
from tracker.choices import choose
from tracker.dates import MONTH_NAMES, FuzzyDate, describe_move, from_iso
from tracker.domain.films import known_franchise, resolve
from tracker.domain.shoots import shoot_where
from tracker.errors import InvalidDate
from tracker.limits import sql_limit
from tracker.records import FILM_COLUMNS, Film, film_from_row, release_where
from tracker.store import Store
from tracker.views.rows import TimelineRow

TIMELINE_KINDS = (
    "status",
    "shoot_start",
    "shoot_end",
    "release_announced",
    "release",
    "retitle",
    "note",
)
# `id` is the fact's own id in its kind, as `tracker amend KIND ID` takes it: a status's
# (status), an announcement's or a release's (release), a shoot's (shoot), a retitle's (a row
# of titles: title), a note's (event). Two kinds may share a number.
COLUMNS = list(TimelineRow.__annotations__)
# By the year of the day: the stored one may not be known yet.
FILM_ORDER = f"franchise, instalment, {asof.year_sql('films.id')}, id"


@dataclass(frozen=True)
class Selection:
    """The films of a timeline: those named (in the order given), then a franchise's films;
    every film when neither is given. Only the named films are read up front."""

    named: tuple[Film, ...] = ()
    franchise: str | None = None  # as stored

    @property
    def everything(self) -> bool:
        return not self.named and self.franchise is None

    def chosen_sql(self) -> tuple[str, dict[str, Any]]:
        """SQL: the films (film_id, pos) by their place in the timeline, and its parameters
        (not for `everything`: the whole catalogue is read in the films' own order)."""
        params: dict[str, Any] = {f"named{n}": film.id for n, film in enumerate(self.named)}
        parts = [f"SELECT :named{n}, {n}" for n in range(len(self.named))]
        if self.franchise is not None:
            params["franchise"] = self.franchise.strip()
            named = ", ".join(f":named{n}" for n in range(len(self.named)))
            parts.append(
                f"SELECT id, {len(self.named)} + row_number() OVER (ORDER BY {FILM_ORDER})"
                " FROM films WHERE franchise = :franchise COLLATE NOCASE"
                + (f" AND id NOT IN ({named})" if named else "")
            )
        return " UNION ALL ".join(parts), params

    def films(self, store: Store, today: datetime.date) -> list[Film]:
        """The films, in their timeline order on `today`."""
        if self.everything:
            rows = store.conn.execute(
                f"SELECT {FILM_COLUMNS} FROM films ORDER BY {FILM_ORDER}", asof.params(today)
            )
            return [film_from_row(row) for row in rows]
        chosen, params = self.chosen_sql()
        rows = store.conn.execute(
            f"WITH chosen(film_id, pos) AS ({chosen}) SELECT {FILM_COLUMNS} FROM chosen"
            " JOIN films ON films.id = chosen.film_id ORDER BY chosen.pos",
            asof.params(today, **params),
        )
        return [film_from_row(row) for row in rows]

    def several(self, store: Store) -> bool:
        """Whether it holds more than one film (a timeline of several names each fact's film)."""
        films, params = ("SELECT id FROM films", {}) if self.everything else self.chosen_sql()
        # A count: the order (by the year of a day) does not matter, any day will do.
        return bool(
            store.value(f"SELECT count(*) > 1 FROM ({films} LIMIT 2)", {**params, "today": ""})
        )


def select_films(
    store: Store,
    names: Sequence[str] = (),
    franchise: str | None = None,
    today: datetime.date | None = None,
) -> Selection:
    """The films named, plus a franchise's films; every film when neither is given (an
    unknown name or franchise is an error here, before any fact is read, naming films as
    of `today`)."""
    stored = known_franchise(store, franchise)
    named: dict[int, Film] = {}
    for name in names:
        film = resolve(store, name, today)
        named.setdefault(film.id, film)
    return Selection(tuple(named.values()), stored)


@dataclass(frozen=True)
class Arm:
    """One kind of fact in SQL: its rows (`tables`, alias `film` being the film's id;
    `per_film`: the same tables joined from a film `sel.film_id`, for chosen films), the first
    day of its window (`day`, an index's order), what the fact must be (`where`), its order
    within a film, day and kind (`within`, up to three terms), and what makes its row:
    date, id, source and up to five fields for its text."""

    kind: str
    tables: str
    per_film: str
    film: str
    day: str
    where: tuple[str, ...]
    within: tuple[str, ...]
    date: str
    id: str
    source: str
    fields: tuple[str, ...]


def _status() -> Arm:
    return Arm(
        "status", "status_events x", "status_events x ON x.film_id = sel.film_id", "x.film_id",
        "x.on_start", (asof.known("x"),), ("x.id",), "x.on_date", "x.id", "x.source",
        ("x.status", "x.note"),
    )  # fmt: skip


# A shoot's facts belong to each of its films.
SHOOT_TABLES = "shoots s CROSS JOIN shoot_films sf ON sf.shoot_id = s.id"
SHOOT_PER_FILM = (
    "shoot_films sf ON sf.film_id = sel.film_id CROSS JOIN shoots s ON s.id = sf.shoot_id"
)
SHOOT_PLACE = ("s.place", "s.region", "s.country")


def _shoot_start() -> Arm:
    # The day of a dated start is the key of the shoots_day index, so it is walked in order.
    return Arm(
        "shoot_start", SHOOT_TABLES, SHOOT_PER_FILM, "sf.film_id",
        "coalesce(s.start_key, s.end_key)",
        ("s.start_key IS NOT NULL", asof.shoot_known_sql("s"), asof.window_passed_sql("s", "start"),
         asof.film_known_sql("sf.film_id")),
        ("s.id",), "s.start", "s.id", "s.source", (*SHOOT_PLACE, "s.note"),
    )  # fmt: skip


def _shoot_end() -> Arm:
    # A shoot's note goes with its first known date (its end when no start is known). A
    # film's shoots are in the order of their first day, so its ends on one day are too.
    # The day of an end is the key of the shoots_end index (m015), walked in order.
    return Arm(
        "shoot_end", SHOOT_TABLES, SHOOT_PER_FILM, "sf.film_id", "s.end_key",
        (asof.shoot_known_sql("s"), asof.window_passed_sql("s", "end"),
         asof.film_known_sql("sf.film_id")),
        ("coalesce(s.start_key, s.end_key)", "s.id"), 's."end"', "s.id", "s.source",
        (*SHOOT_PLACE, "CASE WHEN s.start_key IS NULL THEN s.note END"),
    )  # fmt: skip


def _announced() -> Arm:
    return Arm(
        "release_announced", "releases r", "releases r ON r.film_id = sel.film_id", "r.film_id",
        "r.announced_start", (asof.known("r"),), ("r.id",), "r.announced", "r.id", "r.source",
        ("r.type", "r.country", "r.date", asof.previous_date_sql("r"), "r.note"),
    )  # fmt: skip


def _released(length: int) -> Arm:
    """The current releases whose window has passed, of one length of stored date (a day,
    a month or quarter, a year): each length is one range of releases_upcoming (m004), in
    the order of the first day."""
    return Arm(
        "release", "releases r", "releases r ON r.film_id = sel.film_id", "r.film_id",
        "r.date_start",
        (f"length(r.date) = {length}", "r.date_end <= :today", asof.current_release_sql("r")),
        ("r.country IS NOT NULL", "r.country", "r.type"), "r.date", "r.id", "r.source",
        ("r.type", "r.country"),
    )  # fmt: skip


def _retitle() -> Arm:
    old = asof.previous_title_sql("t")
    return Arm(
        "retitle", "titles t", "titles t ON t.film_id = sel.film_id", "t.film_id", "t.on_start",
        ("t.on_date IS NOT NULL", asof.known("t"), f"{old} IS NOT NULL",
         asof.film_known_sql("t.film_id")), ("t.id",),
        "t.on_date", "t.id", "t.source", (old, "t.title"),
    )  # fmt: skip


def _note() -> Arm:
    # The day of a note is the key of the events_on index (m015), walked in order.
    return Arm(
        "note", "events e", "events e ON e.film_id = sel.film_id", "e.film_id", "e.on_start",
        (asof.known("e"), asof.film_known_sql("e.film_id")), ("e.id",), "e.on_date", "e.id",
        "e.source", ("e.kind", "e.text"),
    )  # fmt: skip


def arms() -> list[Arm]:
    return [
        _status(), _shoot_start(), _shoot_end(), _announced(),
        *(_released(length) for length in (10, 7, 4)), _retitle(), _note(),
    ]  # fmt: skip


# Each row: the fact's payload, then its sort keys (by name in the ORDER BY).
PAYLOAD = ("kind", "film_id", "title", "date", "id", "source", "a", "b", "c", "d", "e")
TITLE = asof.title_sql("f.id", "f.title")


def _arm_sql(arm: Arm, everything: bool) -> str:
    fields = [*arm.fields, *["NULL"] * (5 - len(arm.fields))]
    within = [*arm.within, *["NULL"] * (3 - len(arm.within))]
    if everything:
        tables = f"{arm.tables} CROSS JOIN films f ON f.id = {arm.film}"
        film_keys = (
            f"f.franchise AS k1, f.instalment AS k2, {asof.year_sql('f.id', 'f.year')} AS k3,"
            " f.id AS k4"
        )
    else:
        tables = f"chosen sel CROSS JOIN {arm.per_film} CROSS JOIN films f ON f.id = sel.film_id"
        film_keys = "sel.pos AS k1"
    payload = [
        str(TIMELINE_KINDS.index(arm.kind)),
        "f.id",
        TITLE,
        arm.date,
        arm.id,
        arm.source,
        *fields,
    ]
    columns = ", ".join(f"{sql} AS {name}" for sql, name in zip(payload, PAYLOAD, strict=True))
    # :low is '' when no --from is given: the walk of the day's index starts past the
    # undated rows, which sort first (`>= ''`, not IS NOT NULL, makes it a range).
    where = [f"{arm.day} >= :low", f"{arm.day} <= :high", *arm.where]
    return (
        f"SELECT {columns}, {arm.day} AS day, {film_keys}, {within[0]} AS w1, {within[1]} AS w2, {within[2]} AS w3"
        f" FROM {tables} WHERE {' AND '.join(where)}"
    )


def timeline_sql(selection: Selection, kinds: Sequence[str] = ()) -> str:
    """The query of a timeline (parameters: today, low, high, limit and the selection's)."""
    everything = selection.everything
    chosen = [arm for arm in arms() if not kinds or arm.kind in kinds]
    union = " UNION ALL ".join(_arm_sql(arm, everything) for arm in chosen)
    film_order = "k1, k2, k3, k4" if everything else "k1"
    sql = f"{union} ORDER BY day, {film_order}, kind, w1, w2, w3 LIMIT :limit"
    if everything:
        return sql
    films, _ = selection.chosen_sql()
    # Not materialized: SQLite then sees how few films there are; of a materialized list it
    # cannot tell, and with a big database's statistics builds a Bloom filter over the
    # whole shoots, releases and titles tables to join them (0.5 s at a million films).
    return f"WITH chosen(film_id, pos) AS NOT MATERIALIZED ({films}) {sql}"


def _with_note(text: str, note: str | None) -> str:
    return f"{text} · {note}" if note else text


def _text(kind: str, a: Any, b: Any, c: Any, d: Any, e: Any) -> str:
    if kind == "status":
        return _with_note(a, b)
    if kind == "shoot_start":
        return _with_note(f"shoot begins: {shoot_where(a, b, c)}", d)
    if kind == "shoot_end":
        return _with_note(f"shoot ends: {shoot_where(a, b, c)}", d)
    if kind == "release_announced":
        previous = None if d is None else from_iso(d)
        return _with_note(f"{release_where(a, b)}: {describe_move(previous, from_iso(c))}", e)
    if kind == "release":
        return f"released: {release_where(a, b)}"
    if kind == "retitle":
        return f"retitled from '{a}' to '{b}'"
    return f"{a}: {b or ''}"


def timeline(
    store: Store,
    selection: Selection,
    today: datetime.date,
    *,
    since: FuzzyDate | None = None,
    until: FuzzyDate | None = None,
    kinds: Sequence[str] = (),
    limit: int | None = None,
) -> Iterator[TimelineRow]:
    """Every fact of the films in order, read from a cursor; `since`/`until` keep facts
    whose window starts within them; `limit`: the first so many. Checked before the first
    row is read."""
    count = sql_limit(limit)
    wanted = [choose(kind, TIMELINE_KINDS, "timeline kind") for kind in kinds]
    low = since.start if since is not None else None
    high = until.end if until is not None else None
    if (since is not None and low is None) or (until is not None and high is None):
        raise InvalidDate("--from and --to need a date, not TBA")
    if low is not None and high is not None and high < low:
        raise InvalidDate("--to is before --from")
    films = {} if selection.everything else selection.chosen_sql()[1]
    # A known fact began by today: each walk of a day index stops there.
    params = asof.params(
        today,
        low=low.isoformat() if low is not None else "",
        high=min(high, today).isoformat() if high is not None else today.isoformat(),
        limit=count,
        **films,
    )
    cursor = store.conn.cursor()
    cursor.row_factory = None  # plain tuples: a million rows are read by position
    rows = cursor.execute(timeline_sql(selection, wanted), params)
    return (_row(row) for row in rows)


def _row(row: Any) -> TimelineRow:
    kind = TIMELINE_KINDS[row[0]]
    date = from_iso(row[3])
    return {
        "date": date,
        "precision": date.precision,
        "film_id": row[1],
        "title": row[2],
        "kind": kind,
        "id": row[4],
        "text": _text(kind, *row[6:11]),
        "source": row[5],
    }


def timeline_lines(rows: Iterator[TimelineRow], *, with_film: bool) -> Iterator[str]:
    """Facts under a heading per year and per month, as they come; facts known only to the
    year or quarter come first in their year."""
    year_seen: int | None = None
    month_seen: str | None = None
    for row in rows:
        date: FuzzyDate = row["date"]
        assert date.year is not None
        if date.year != year_seen:
            year_seen, month_seen = date.year, None
            yield str(date.year)
        month = None
        if date.precision in ("day", "month"):
            assert date.month is not None
            month = MONTH_NAMES[date.month - 1]
        elif date.precision == "quarter":
            month = f"Q{date.quarter}"
        if month is not None and month != month_seen:
            month_seen = month
            yield f"  {month}"
        film = f"{row['title']}: " if with_film else ""
        yield f"    {date.display():<15}  {row['kind']:<17}  {film}{row['text']}"
