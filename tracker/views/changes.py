"""The weekly digest: what moved since a day, straight from the history.

Each kind of change has its own collector, a cursor that yields its rows newest first;
`changes` merges them as they are read (so `--limit` stops every cursor early). A feature
that records another kind of change (retitles, say) adds one function to COLLECTORS.
"""

from __future__ import annotations

import datetime
import heapq
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from tracker import asof
from tracker.dates import classify_change, from_iso, move_days
from tracker.errors import InvalidDate
from tracker.limits import first
from tracker.store import Store
from tracker.views.rows import ChangeRow

KINDS = ("release_moved", "status", "retitle")
# The date changes the digest reports: a first date, a move, a date gone TBA (a date only
# made more or less precise, or confirmed, did not move).
DIGESTED = ("first", "moved", "tba")
# Each film under its title on the digest's day.
TITLE = asof.title_sql("f.id", "f.title")


@dataclass(frozen=True)
class Window:
    """What a collector is asked for: changes that became known from `since` to `today`,
    both inclusive (by the last day of the fact's window, `known_from`: the as-of rule), for
    some films or all. Back-to-back windows (a weekly digest) report each change once."""

    since: datetime.date
    today: datetime.date
    watchlist_id: int | None = None
    date_changes: tuple[str, ...] = DIGESTED  # the kinds of date change (dates.CHANGES) wanted

    @property
    def params(self) -> dict[str, Any]:
        return {
            "since": self.since.isoformat(),
            "today": self.today.isoformat(),
            "watchlist": self.watchlist_id,
        }

    def films_clause(self, column: str) -> str:
        """SQL limiting `column` (a film id) to the watchlist, or nothing."""
        if self.watchlist_id is None:
            return ""
        return (
            f" AND {column} IN (SELECT film_id FROM watchlist_entries e"
            f" WHERE e.watchlist_id = :watchlist AND {asof.listed_sql('e')})"
        )


# A change row, and the key it sorts by (newest first): (start of announced, tie-breaker).
# Every collector yields its changes in that order, newest first.
Change = tuple[tuple[str, int], ChangeRow]
Collector = Callable[[Store, Window], Iterable[Change]]


def _change(
    row: Any,
    kind: str,
    old: Any,
    new: Any,
    *,
    when: tuple[str, str] = ("on_date", "on_start"),
    country: str | None = None,
    release_type: str | None = None,
    shift: int | None = None,
) -> Change:
    """A row in the JSON contract's key order, keyed by the start of its date (the columns
    named by `when`) and then by the order it was recorded."""
    date_column, start_column = when
    return (
        (row[start_column], row["id"]),
        {
            "announced": from_iso(row[date_column]),
            "film_id": row["film_id"],
            "title": row["title"],
            "kind": kind,
            "country": country,
            "type": release_type,
            "old": old,
            "new": new,
            "shift_days": shift,
        },
    )


def release_moves(store: Store, window: Window) -> Iterable[Change]:
    """Announcements in the window that set or moved a date (re-announcing the same date is
    not a change), each with the date it replaced for the same film, country and type."""
    # Walks the announcements in the window (the watchlist's films first when there is
    # one); each one's predecessor is one index seek (asof.previous_release_sql), so the
    # cost does not grow with the whole history. The predecessor is the one known by
    # today, as in `history`: one announced "July" counts from 31 July, so on 20 July a
    # date announced on 15 July moved from the date before it.
    sql = (
        "SELECT r.id AS id, r.film_id, r.country, r.type, r.date, r.announced,"
        " r.announced_start AS announced_start,"
        f" {TITLE} AS title, p.id AS old_id, p.date AS old_date"
        " FROM releases r JOIN films f ON f.id = r.film_id"
        f" LEFT JOIN releases p ON p.id = {asof.previous_release_sql('r')}"
        " WHERE {known}"
        + window.films_clause("r.film_id")
        + " AND (p.id IS NULL OR p.date IS NOT r.date)"
    )
    for row in _newest_first(store, window, sql, ("r", "announced", "announced_start")):
        new = from_iso(row["date"])
        old = from_iso(row["old_date"]) if row["old_id"] is not None else None
        if classify_change(old, new) not in window.date_changes:
            continue  # by default, a date made more or less precise did not move
        yield _change(
            row,
            "release_moved",
            old,
            new,
            when=("announced", "announced_start"),
            country=row["country"],
            release_type=row["type"],
            shift=move_days(old, new),
        )


def status_changes(store: Store, window: Window) -> Iterable[Change]:
    """Production status changes in the window (a repeated status is not a change)."""
    sql = (
        "SELECT * FROM (SELECT s.id, s.film_id, s.status, s.on_date, s.on_start,"
        f" {TITLE} AS title, {asof.previous_status_sql('s')} AS old_status"
        " FROM status_events s JOIN films f ON f.id = s.film_id"
        " WHERE {known}" + window.films_clause("s.film_id") + ") WHERE old_status IS NOT status"
    )
    for row in _newest_first(store, window, sql, ("s", "on_date", "on_start")):
        yield _change(row, "status", row["old_status"], row["status"])


def retitles(store: Store, window: Window) -> Iterable[Change]:
    """Titles a film took in the window, each with the title it replaced; none of a film not
    yet known (as `list` leaves it out: a known status or announcement makes it known). A
    retitle known before its film was shows with it: in the window the film became known
    in (under its own day, as `timeline` shows it), so back-to-back windows report it once."""
    sql = (
        "SELECT t.id AS id, t.film_id, t.title AS new_title, t.on_date, t.on_start AS on_start,"
        f" {TITLE} AS title, {asof.previous_title_sql('t')} AS old_title"
        " FROM titles t JOIN films f ON f.id = t.film_id"
        " WHERE {known}" + window.films_clause("t.film_id")
    )
    # A retitle (one with a day) known before the window, of a film that became known in it:
    # led by the retitles before the window (few: most films are never retitled), not by
    # the facts that became known in it (a year's at a million films).
    with_film = sql.replace(
        "{known}",
        "t.on_date IS NOT NULL AND t.on_start < :since AND t.known_from < :since"
        f" AND {asof.film_became_known_sql('t.film_id')}",
    )
    in_window = sql + f" AND {asof.film_known_sql('t.film_id')}"
    fact = ("t", "on_date", "on_start")
    for row in _newest_first(store, window, in_window, fact, more=with_film):
        if row["old_title"] is not None:
            yield _change(row, "retitle", row["old_title"], row["new_title"])


def _newest_first(
    store: Store, window: Window, sql: str, fact: tuple[str, str, str], *, more: str = ""
) -> Any:
    """The rows of `sql` (a query of one kind of fact, its `{known}` standing for the
    window's condition) for the facts that became known in the window, newest first by
    their first day (then the latest recorded first). One statement: an arm per length of
    stored date (asof.became_known_sqls), each walking its index range in that order, merged
    by SQLite as they are read; `more`, one more arm (a query of the same columns)."""
    alias, date, start = fact
    arms = [sql.replace("{known}", known) for known in asof.became_known_sqls(alias, date, start)]
    arms += [more] if more else []
    newest_first = " UNION ALL ".join(arms) + f" ORDER BY {start} DESC, id DESC"
    return store.conn.execute(newest_first, window.params)


COLLECTORS: list[Collector] = [release_moves, status_changes, retitles]


def changes(
    store: Store,
    today: datetime.date,
    *,
    since: datetime.date,
    watchlist: str | None = None,
    date_changes: tuple[str, ...] = DIGESTED,
    limit: int | None = None,
) -> Iterator[ChangeRow]:
    """Every change that became known from `since` up to today, newest first by the first
    day it was announced for (the date changes of
    the kinds in `date_changes`: the Atom feed wants refinements too); `limit`: the first
    so many. Checked before the first row is read."""
    if since > today:
        raise InvalidDate(f"--since {since.isoformat()} is after today ({today.isoformat()})")
    watchlist_id = None
    if watchlist is not None:
        from tracker.domain.watchlists import get_list

        watchlist_id = get_list(store, watchlist).id
    window = Window(since, today, watchlist_id, date_changes)
    # Newest first; on one day, the latest recorded first; kinds in COLLECTORS order.
    streams = [_keyed(collect(store, window), order) for order, collect in enumerate(COLLECTORS)]
    merged = heapq.merge(*streams, key=lambda item: item[:3], reverse=True)
    return first((item[3] for item in merged), limit)


def _keyed(found: Iterable[Change], order: int) -> Iterator[tuple[str, int, int, ChangeRow]]:
    """A collector's changes with the key they merge by: (day, kind's place, id)."""
    for (day, fact_id), row in found:
        yield day, -order, fact_id, row
