"""A film's (or a franchise's) whole story as dated facts, in order, as of a day.

Facts: status changes, shoots starting and ending, release-date announcements (with the move
and its shift), releases (once their window has passed), retitles and notes. Nothing after
today counts; a fact of month or year precision sorts at the start of its window.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tracker import asof
from tracker.choices import choose
from tracker.dates import MONTH_NAMES, FuzzyDate, describe_move, from_iso
from tracker.domain.films import get_film, known_franchise, resolve
from tracker.domain.shoots import shoots
from tracker.errors import InvalidDate
from tracker.limits import sql_limit
from tracker.records import Film, release_where
from tracker.store import Store
from tracker.views.releases import history
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
# `id` is the fact's own id in its kind (status, release, shoot, event: `tracker amend`).
COLUMNS = list(TimelineRow.__annotations__)


@dataclass(frozen=True)
class Fact:
    date: FuzzyDate
    film: Film
    kind: str
    text: str
    source: str | None
    id: int

    def row(self) -> TimelineRow:
        return {
            "date": self.date,
            "precision": self.date.precision,
            "film_id": self.film.id,
            "title": self.film.title,
            "kind": self.kind,
            "id": self.id,
            "text": self.text,
            "source": self.source,
        }


def _with_note(text: str, note: str | None) -> str:
    return f"{text} · {note}" if note else text


def film_facts(store: Store, film: Film, today: datetime.date) -> list[Fact]:
    """Every dated fact of one film known by today, unsorted."""
    facts: list[Fact] = []
    for row in asof.known_rows(store, "status_events", film.id, today):
        text = _with_note(row["status"], row["note"])
        facts.append(Fact(from_iso(row["on_date"]), film, "status", text, row["source"], row["id"]))
    for shoot in shoots(store, film.id):
        if not shoot.known_on(today):
            continue
        noted = "start" if shoot.start.start is not None else "end"
        for kind, date, verb in (
            ("shoot_start", shoot.start, "begins"),
            ("shoot_end", shoot.end, "ends"),
        ):
            if date.end is not None and date.end <= today:
                note = shoot.note if kind == f"shoot_{noted}" else None
                text = _with_note(f"shoot {verb}: {shoot.where}", note)
                facts.append(Fact(date, film, kind, text, shoot.source, shoot.id))
    for entry in history(store, film, today):
        where = release_where(entry["type"], entry["country"])
        move = describe_move(entry["previous"], entry["date"])
        facts.append(
            Fact(
                entry["announced"],
                film,
                "release_announced",
                _with_note(f"{where}: {move}", entry["note"]),
                entry["source"],
                entry["id"],
            )
        )
    for release in asof.current_releases(store, film.id, today):
        if release.date.end is not None and release.date.end <= today:
            facts.append(
                Fact(
                    release.date,
                    film,
                    "release",
                    f"released: {release.where}",
                    release.source,
                    release.id,
                )
            )
    for row in asof.known_rows(store, "events", film.id, today):
        text = f"{row['kind']}: {row['text'] or ''}"
        facts.append(Fact(from_iso(row["on_date"]), film, "note", text, row["source"], row["id"]))
    for old, new in retitles(store, film.id, today):
        text = f"retitled from '{old}' to '{new['title']}'"
        date = from_iso(new["on_date"])
        facts.append(Fact(date, film, "retitle", text, new["source"], new["id"]))
    return facts


def retitles(store: Store, film_id: int, today: datetime.date) -> list[tuple[str, Any]]:
    """(old title, the title row that replaced it) for each retitle known by today."""
    rows = store.rows(
        "SELECT id, title, on_date, source, known_from <= :today AS known FROM titles"
        " WHERE film_id = :film ORDER BY on_start, id",
        asof.params(today, film=film_id),
    )
    return [
        (previous["title"], row)
        for previous, row in zip(rows, rows[1:], strict=False)
        if row["on_date"] is not None and row["known"]
    ]


def select_films(
    store: Store, names: Sequence[str] = (), franchise: str | None = None
) -> list[Film]:
    """The films named, plus a franchise's films; every film when neither is given."""
    franchise = known_franchise(store, franchise)
    films: dict[int, Film] = {}
    for name in names:
        film = resolve(store, name)
        films[film.id] = film
    if franchise is not None or not names:
        sql = "SELECT id FROM films"
        params: list[Any] = []
        if franchise is not None:
            sql += " WHERE franchise = ? COLLATE NOCASE"
            params.append(franchise.strip())
        for row in store.rows(sql + " ORDER BY franchise, instalment, year, id", params):
            films.setdefault(row["id"], get_film(store, row["id"]))
    return list(films.values())


def timeline(
    store: Store,
    films: Sequence[Film],
    today: datetime.date,
    *,
    since: FuzzyDate | None = None,
    until: FuzzyDate | None = None,
    kinds: Sequence[str] = (),
    limit: int | None = None,
) -> list[TimelineRow]:
    """Every fact of the films in order; `since`/`until` keep facts whose window starts
    within them; `limit`: the first so many. The facts of every film are gathered and
    sorted whole: a fact's place depends on all the others."""
    count = sql_limit(limit)
    wanted = {choose(kind, TIMELINE_KINDS, "timeline kind") for kind in kinds}
    low = since.start if since is not None else None
    high = until.end if until is not None else None
    if (since is not None and low is None) or (until is not None and high is None):
        raise InvalidDate("--from and --to need a date, not TBA")
    if low is not None and high is not None and high < low:
        raise InvalidDate("--to is before --from")
    order = {film.id: index for index, film in enumerate(films)}
    # Each film under its title of the day: a later retitle has not happened yet.
    films = [asof.film_on(store, film, today) for film in films]
    facts = [fact for film in films for fact in film_facts(store, film, today)]
    kept = []
    for index, fact in enumerate(facts):
        start = fact.date.start
        assert start is not None
        if wanted and fact.kind not in wanted:
            continue
        if (low is not None and start < low) or (high is not None and start > high):
            continue
        kept.append((start, order[fact.film.id], TIMELINE_KINDS.index(fact.kind), index, fact))
    kept.sort(key=lambda item: item[:4])
    return [item[-1].row() for item in (kept if count < 0 else kept[:count])]


def timeline_text(rows: Sequence[TimelineRow], *, with_film: bool) -> str:
    """Facts under a heading per year and per month; facts known only to the year or
    quarter come first in their year."""
    lines: list[str] = []
    year_seen: int | None = None
    month_seen: str | None = None
    for row in rows:
        date: FuzzyDate = row["date"]
        assert date.year is not None
        if date.year != year_seen:
            year_seen, month_seen = date.year, None
            lines.append(str(date.year))
        month = None
        if date.precision in ("day", "month"):
            assert date.month is not None
            month = MONTH_NAMES[date.month - 1]
        elif date.precision == "quarter":
            month = f"Q{date.quarter}"
        if month is not None and month != month_seen:
            month_seen = month
            lines.append(f"  {month}")
        film = f"{row['title']}: " if with_film else ""
        lines.append(f"    {date.display():<15}  {row['kind']:<17}  {film}{row['text']}")
    return "\n".join(lines)
