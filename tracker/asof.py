"""Every "as of day D" rule, in one place: what was known on a day.

- A dated fact (an announcement, a status change, an event, a shoot, a retitle) counts as
  known on day D when the last day of its window is on or before D: `known_from` (a
  generated column, m005) is that day. A fact dated "2021" is not known until 31 Dec 2021,
  so nothing is ever shown on a day it might not yet have been known.
- Among the known facts of one kind, the latest is the one that started latest (then the
  one recorded last): the current release of a (film, country, type), a film's status.
- A film's title on D is its latest known title; its first title holds for every day
  before its first retitle.
- A country's date is its own; a worldwide date stands in for a country only for the
  release types the film has no date of its own for there.

Readers use the SQL fragments (with a `:today` parameter) or the functions below; no other
module spells these rules. A fragment's own subqueries use aliases of two letters (tt, ss,
ks, kr, kf, sv, yr, cr, pq, pp, bs, br), so a caller's one-letter alias (t, s, r) is never taken for
one of them: SQLite would read it as the inner table's, silently.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from typing import Any

from tracker.dates import FuzzyDate
from tracker.records import Film, Release, film_from_row, release_from_row
from tracker.store import Store


def params(today: datetime.date, **more: Any) -> dict[str, Any]:
    """Query parameters holding :today."""
    return {"today": today.isoformat(), **more}


def known(alias: str) -> str:
    """SQL: the fact in row `alias` was known on :today."""
    return f"{alias}.known_from <= :today"


def current_release_sql(alias: str = "r") -> str:
    """SQL: row `alias` of releases is the current announcement of its (film, country,
    type) on :today."""
    return (
        f"{alias}.known_from <= :today AND {alias}.id = (SELECT cr.id FROM releases cr"
        f" WHERE cr.film_id = {alias}.film_id AND cr.country IS {alias}.country"
        f" AND cr.type = {alias}.type AND cr.known_from <= :today"
        " ORDER BY cr.announced_start DESC, cr.id DESC LIMIT 1)"
    )


def current_releases_sql(where: str = "") -> str:
    """SQL: a query of the current announcement of every (film, country, type) on :today,
    one row each (columns film_id, country, type, date, date_start, date_end), `where`
    (more conditions on `r`) holding. One pass over the releases in index order with no
    subquery per row: the latest is the row holding the maximum of (announced_start, id),
    taken as one text key (announced_start is always a whole ISO day and the id is padded,
    so the key orders as the pair does); SQLite fills the other columns from that row."""
    return (
        "SELECT r.film_id, r.country, r.type, r.date, r.date_start, r.date_end,"
        " max(r.announced_start || printf('%020d', r.id)) AS latest"
        f" FROM releases r WHERE {known('r')} {where} GROUP BY r.film_id, r.country, r.type"
    )


def status_sql(film: str) -> str:
    """SQL: the status of film `film` (an SQL expression) on :today, or NULL."""
    return (
        f"(SELECT ss.status FROM status_events ss WHERE ss.film_id = {film}"
        " AND ss.known_from <= :today ORDER BY ss.on_start DESC, ss.id DESC LIMIT 1)"
    )


def title_sql(film: str, latest: str = "films.title") -> str:
    """SQL: the title of film `film` on :today (`latest`: the film's stored title, used when
    it has no title history)."""
    return _title_of_day(film, "title", latest)


def title_key_sql(film: str, latest: str = "films.title_key") -> str:
    """SQL: the name_key of the title of film `film` on :today (`title_sql`'s title), to
    order by: the stored key is the latest title's, which a day before it was not known."""
    return _title_of_day(film, "title_key", latest)


def _title_of_day(film: str, column: str, latest: str) -> str:
    """SQL: `column` of film `film`'s latest title known on :today, else of its first title
    (which holds for every day before a retitle), else `latest`."""
    return (
        f"coalesce((SELECT tt.{column} FROM titles tt WHERE tt.film_id = {film}"
        " AND tt.known_from <= :today ORDER BY tt.on_start DESC, tt.id DESC LIMIT 1),"
        f" (SELECT tt.{column} FROM titles tt WHERE tt.film_id = {film}"
        f" ORDER BY tt.on_start, tt.id LIMIT 1), {latest})"
    )


def title_known_sql(alias: str = "t") -> str:
    """SQL: title `alias` (a row of titles) was known on :today: the film's first title holds
    from the start (as `title_sql` falls back to it), a later one once known."""
    return (
        f"({alias}.known_from <= :today OR {alias}.id = (SELECT f.id FROM titles f"
        f" WHERE f.film_id = {alias}.film_id ORDER BY f.on_start, f.id LIMIT 1))"
    )


def listed_sql(entry: str) -> str:
    """SQL: watchlist entry `entry` was on its list on :today (added by then). A list's
    films on D are those added by D; `watchlist show` and `countdown --watchlist` also hide
    a film not yet known on D (film_known_sql), whose title D could not have shown."""
    return f"{entry}.added <= :today"


def seen_sql(film: str) -> str:
    """SQL: film `film` had been seen by :today (a viewing on or before it, or one whose day
    is not known, which the diary also lists on every day)."""
    return (
        f"EXISTS (SELECT 1 FROM viewings sv WHERE sv.film_id = {film}"
        " AND (sv.seen_on <= :today OR sv.seen_on IS NULL))"
    )


def film_known_sql(film: str) -> str:
    """SQL: film `film` was known on :today: its first status or its first release date
    announced was (whichever came first: a date announced before any status names the film
    too). A film with neither has nothing to date it by, and always is."""
    status = f"SELECT 1 FROM status_events ks WHERE ks.film_id = {film}"
    release = f"SELECT 1 FROM releases kr WHERE kr.film_id = {film}"
    return (
        f"(EXISTS ({status} AND ks.known_from <= :today)"
        f" OR EXISTS ({release} AND kr.known_from <= :today)"
        f" OR NOT (EXISTS ({status}) OR EXISTS ({release})))"
    )


def film_became_known_sql(film: str) -> str:
    """SQL: film `film` became known from :since to :today, both inclusive: `film_known_sql`
    holds on :today and did not on the day before :since (a film with nothing to date it by
    always was known, so never became). A few seeks on the film's facts by its id."""
    status = f"SELECT 1 FROM status_events bs WHERE bs.film_id = {film}"
    release = f"SELECT 1 FROM releases br WHERE br.film_id = {film}"
    return (
        f"((EXISTS ({status} AND bs.known_from <= :today)"
        f" OR EXISTS ({release} AND br.known_from <= :today))"
        f" AND NOT EXISTS ({status} AND bs.known_from < :since)"
        f" AND NOT EXISTS ({release} AND br.known_from < :since))"
    )


def shoot_of_known_film_sql(alias: str = "s") -> str:
    """SQL: shoot `alias` is of a film known on :today (film_known_sql). A shoot names its
    films, so one of films not yet known waits for them, as their other facts do."""
    return (
        f"EXISTS (SELECT 1 FROM shoot_films kf WHERE kf.shoot_id = {alias}.id"
        f" AND {film_known_sql('kf.film_id')})"
    )


def shoot_holds_sql(alias: str = "s") -> str:
    """SQL: shoot `alias` is known on :today and its window holds :today (from the first day
    of its start to the last day of its end, of its start when the end is not known). The
    rule itself; readers use `shoot_now_sql`, which finds the same shoots through an index.
    Spelled from the stored start and end (known_from written out), which the shoots_span
    index holds: the shoots it finds are checked without reading their rows."""
    known_from = f"coalesce({window_end(alias, 'start')}, {window_end(alias, 'end')})"  # m005's
    # Or known from the day it was announced (m020), read from the row only when the index's
    # columns do not already tell.
    announced = window_end(alias, "announced")
    return (
        f"({known_from} <= :today OR {announced} <= :today) AND {alias}.start_key <= :today"
        f" AND coalesce({window_end(alias, 'end')}, {known_from}) >= :today"
    )


def shoots_now_sql() -> str:
    """SQL: a query of the ids of the shoots holding :today (`shoot_holds_sql`), one range
    search of the shoots_span index per span class (m013): a shoot whose window lasts at most
    N days and holds :today started within N days before it. What is read costs the shoots
    holding the day (at most about twice as many), not every shoot begun before it; the
    unbounded class walks its own few rows. The classes are a table of their own (one
    statement, not one per class: it is compiled for every command)."""
    from tracker.store.migrations import SHOOT_SPAN_BOUNDS

    bounds = [*SHOOT_SPAN_BOUNDS, "NULL"]  # the unbounded class: from the first start
    classes = ", ".join(f"({number}, {bound})" for number, bound in enumerate(bounds))
    return (
        f"SELECT h.id FROM (VALUES {classes}) AS span CROSS JOIN shoots h"
        " WHERE h.span_class = span.column1"
        " AND h.start_key >= coalesce(date(:today, '-' || span.column2 || ' days'), '')"
        f" AND {shoot_holds_sql('h')}"
    )


def shoot_now_sql(alias: str = "s") -> str:
    """SQL: shoot `alias` holds :today (`shoot_holds_sql`), found through `shoots_now_sql`."""
    return f"{alias}.id IN ({shoots_now_sql()})"


def title_on(store: Store, film_id: int, today: datetime.date) -> str:
    value = store.value(
        f"SELECT {title_sql(':film')} FROM films WHERE id = :film", params(today, film=film_id)
    )
    return str(value)


def film_on(store: Store, film: Film, today: datetime.date) -> Film:
    """The film under the title and year it had on `today` (`year_sql`): as every message
    of that day names it. Its stored year, which writes check, is `get_film`'s."""
    (shown,) = films_on(store, [film.id], today)
    return shown


def year_sql(film: str, year: str = "films.year") -> str:
    """SQL: the year of film `film` (`year`: its stored year) as known on :today, or NULL.
    The stored year is the one the film came out (or will) in, told on no day of its own:
    it shows once that year is over, once a release date in it was announced by :today, or
    when the film has no release date at all (the year is then all there is of when, told
    with the film). Before, it would tell the outcome of moves not yet made: Mission:
    Impossible 7 was due in 2021 on 15 Oct 2020, and came out in 2023."""
    releases = f"SELECT 1 FROM releases yr WHERE yr.film_id = {film}"
    return (
        f"CASE WHEN {year} < CAST(substr(:today, 1, 4) AS INTEGER)"
        f" OR NOT EXISTS ({releases})"
        f" OR EXISTS ({releases} AND yr.known_from <= :today"
        f" AND CAST(substr(yr.date_start, 1, 4) AS INTEGER) = {year})"
        f" THEN {year} END"
    )


def films_on(
    store: Store, film_ids: Iterable[int], today: datetime.date, *, year: bool = True
) -> list[Film]:
    """Films by id (in the order given), each under its title and year of the day; with
    `year` False, no year (None) for a reader that shows none: it costs two lookups."""
    films = []
    sql = (
        f"SELECT id, {title_sql('films.id')} AS title,"
        f" {year_sql('films.id') if year else 'NULL'} AS year, franchise, instalment"
        " FROM films WHERE id = :film"
    )
    for film_id in film_ids:
        row = store.row(sql, params(today, film=film_id))
        if row is not None:
            films.append(film_from_row(row))
    return films


def known_films_on(store: Store, film_ids: Iterable[int], today: datetime.date) -> list[Film]:
    """films_on (without their year), but only the films known on `today`."""
    known = (i for i in film_ids if film_known(store, i, today))
    return films_on(store, known, today, year=False)


def status_on(store: Store, film_id: int, today: datetime.date) -> str | None:
    value: str | None = store.value(f"SELECT {status_sql(':film')}", params(today, film=film_id))
    return value


def current_release(
    store: Store, film_id: int, country: str | None, release_type: str, today: datetime.date
) -> Release | None:
    row = store.row(
        "SELECT * FROM releases WHERE film_id = :film AND country IS :country AND type = :type"
        " AND known_from <= :today ORDER BY announced_start DESC, id DESC LIMIT 1",
        params(today, film=film_id, country=country, type=release_type),
    )
    return release_from_row(row) if row else None


def current_releases(store: Store, film_id: int, today: datetime.date) -> list[Release]:
    """The current date of each (country, type) the film has on `today`, soonest first."""
    rows = store.rows(
        f"SELECT r.* FROM releases r WHERE r.film_id = :film AND {current_release_sql('r')}"
        " ORDER BY r.date_start IS NULL, r.date_start, r.country IS NOT NULL, r.country, r.type",
        params(today, film=film_id),
    )
    return [release_from_row(row) for row in rows]


def for_country(releases: list[Release], country: str | None) -> list[Release]:
    """A film's current releases as seen from one country: its own, and the worldwide
    ones of the types it has none of its own for. Every release when no country is given."""
    if country is None:
        return releases
    own = [release for release in releases if release.country == country]
    own_types = {release.type for release in own}
    return own + [r for r in releases if r.country is None and r.type not in own_types]


def worldwide_stands_in(
    store: Store, release: Release, country: str | None, today: datetime.date
) -> bool:
    """Whether a release counts for `country`: its own, or a worldwide one where the film
    has no current release of that type in the country."""
    if country is None or release.country is not None:
        return True
    return current_release(store, release.film_id, country, release.type, today) is None


def announcements(store: Store, film_id: int, today: datetime.date) -> list[Release]:
    """Every release announcement of the film known on `today`, in the order announced."""
    return list(announcements_from(store, film_id, today))


def announcements_from(
    store: Store, film_id: int, today: datetime.date, *, limit: int = -1
) -> Iterator[Release]:
    """`announcements`, read from a cursor: the first `limit` of them (-1: all)."""
    rows = store.conn.execute(
        "SELECT * FROM releases WHERE film_id = :film AND known_from <= :today"
        " ORDER BY announced_start, id LIMIT :limit",
        params(today, film=film_id, limit=limit),
    )
    return (release_from_row(row) for row in rows)


def window_end(alias: str, column: str) -> str:
    """SQL: the last day of the window of the stored fuzzy date `alias.column` (NULL: TBA)."""
    from tracker.store.migrations import window_end_sql

    return window_end_sql(column).replace(f'"{column}"', f'{alias}."{column}"')


def window_passed_sql(alias: str, column: str) -> str:
    """SQL: the window of the stored fuzzy date `alias.column` has ended by :today (never
    for TBA): a release has happened, a shoot has begun or ended."""
    return f"{window_end(alias, column)} <= :today"


def previous_release_sql(alias: str = "r") -> str:
    """SQL: the id of the announcement release `alias` followed: the one of the same (film,
    country, type) known on :today just before it in the order announced (NULL when it is
    the first). One seek in the (film, country, type, announced) index."""
    return (
        f"(SELECT pq.id FROM releases pq WHERE pq.film_id = {alias}.film_id"
        f" AND pq.country IS {alias}.country AND pq.type = {alias}.type AND {known('pq')}"
        f" AND (pq.announced_start < {alias}.announced_start"
        f" OR (pq.announced_start = {alias}.announced_start AND pq.id < {alias}.id))"
        " ORDER BY pq.announced_start DESC, pq.id DESC LIMIT 1)"
    )


def previous_date_sql(alias: str = "r") -> str:
    """SQL: the date release `alias` followed (`previous_release_sql`): '' for TBA, NULL
    when it is the first (`views.releases.history` in SQL)."""
    return f"(SELECT coalesce(pp.date, '') FROM releases pp WHERE pp.id = {previous_release_sql(alias)})"


def previous_title_sql(alias: str = "t") -> str:
    """SQL: the title row `alias` of titles replaced on :today: the latest title known on
    :today of those before it in the film's history (a film's first title always is), NULL
    when there is none. A retitle not yet known replaced nothing yet."""
    return (
        f"(SELECT pp.title FROM titles pp WHERE pp.film_id = {alias}.film_id"
        f" AND (pp.on_start < {alias}.on_start OR pp.on_start IS NULL"
        f" OR (pp.on_start = {alias}.on_start AND pp.id < {alias}.id))"
        f" AND (pp.on_start IS NULL OR {known('pp')})"
        " ORDER BY pp.on_start DESC, pp.id DESC LIMIT 1)"
    )


def previous_status_sql(alias: str = "s") -> str:
    """SQL: the status the status change `alias` followed on :today: the latest status known
    on :today of the film's changes before it, NULL when there is none."""
    return (
        f"(SELECT pq.status FROM status_events pq WHERE pq.film_id = {alias}.film_id"
        f" AND (pq.on_start < {alias}.on_start OR (pq.on_start = {alias}.on_start AND pq.id < {alias}.id))"
        f" AND {known('pq')} ORDER BY pq.on_start DESC, pq.id DESC LIMIT 1)"
    )


# The most days a stored fuzzy date's window runs past its first day, by the length of the
# stored text: a day (2021-03-05), a month or quarter (2021-03, 2021-Q1), a year (2021).
WINDOW_SPANS = ((10, 0), (7, 91), (4, 365))


def became_known_sqls(alias: str, date: str, start: str) -> list[str]:
    """SQL conditions, one per length of stored date (WINDOW_SPANS): the fact in row `alias`
    (its fuzzy date in column `date`, the date's first day in `start`) became known from
    :since to :today, both inclusive (:since <= known_from <= :today), so a fact is in just
    one of a run of back-to-back windows. Each also bounds the first day (a window of that
    length began at most so many days before it closed, and by the day it closed): a walk
    of the (length(date), start) index newest first reads just the window's facts and the
    few vague ones begun before it, in the order of their first day."""
    conditions = []
    for length, span in WINDOW_SPANS:
        low = f"date(:since, '-{span} days')" if span else ":since"
        conditions.append(
            f"length({alias}.{date}) = {length} AND {alias}.{start} BETWEEN {low} AND :today"
            f" AND {alias}.known_from BETWEEN :since AND :today"
        )
    return conditions


def shoot_known_sql(alias: str = "s") -> str:
    """SQL: shoot `alias` is known on :today: once the window of its first known date has
    closed (an undated shoot always is; `shoot_known` in Python), or that of the day it was
    announced (m020: a planned shoot, known before it starts)."""
    return (
        f"({alias}.known_from IS NULL OR {alias}.known_from <= :today"
        f" OR {window_end(alias, 'announced')} <= :today)"
    )


def known_rows(
    store: Store, table: str, film_id: int, today: datetime.date, *, limit: int | None = None
) -> list[Any]:
    """The film's rows of a dated table (status_events, events) known on `today`, oldest
    first (newest first with a limit: the latest `limit` of them)."""
    assert table in ("status_events", "events")  # fixed names only
    order = "DESC" if limit is not None else ""
    return store.rows(
        f"SELECT * FROM {table} WHERE film_id = :film AND known_from <= :today"
        f" ORDER BY on_start {order}, id {order} LIMIT :limit",
        params(today, film=film_id, limit=-1 if limit is None else limit),
    )


def shoot_known(first_window_end: datetime.date | None, today: datetime.date) -> bool:
    """A shoot is known once its first known date's window has closed (an undated shoot
    always is)."""
    return first_window_end is None or first_window_end <= today


def film_known(store: Store, film_id: int, today: datetime.date) -> bool:
    return bool(store.value(f"SELECT {film_known_sql(':film')}", params(today, film=film_id)))


def film_known_from(store: Store, film_id: int) -> datetime.date | None:
    """The day film `film_id` counts as known from (`film_known_sql`: its first status or
    release date announced, whichever counts first), or None when it has neither."""
    day = store.value(
        "SELECT min(known_from) FROM (SELECT known_from FROM status_events WHERE film_id = :film"
        " UNION ALL SELECT known_from FROM releases WHERE film_id = :film)",
        {"film": film_id},
    )
    return None if day is None else datetime.date.fromisoformat(day)


def previous_announcement(
    store: Store, film_id: int, country: str | None, release_type: str, announced: FuzzyDate
) -> Release | None:
    """The announcement a new one (made on `announced`) follows, in the order announced."""
    assert announced.start is not None
    row = store.row(
        "SELECT * FROM releases WHERE film_id = :film AND country IS :country AND type = :type"
        " AND announced_start <= :day ORDER BY announced_start DESC, id DESC LIMIT 1",
        {
            "film": film_id,
            "country": country,
            "type": release_type,
            "day": announced.start.isoformat(),
        },
    )
    return release_from_row(row) if row else None
