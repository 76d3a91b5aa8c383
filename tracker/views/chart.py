"""`timeline --chart`: a text Gantt chart of films' production phases and their shoots.

One row per film (its status phases up to today and its release dates), one row per shoot
under it; a year scale and a today marker below. Everything fits the given width.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from tracker import asof
from tracker.dates import from_iso, of_day
from tracker.domain.shoots import shoots
from tracker.records import Film
from tracker.store import Store

DEVELOPMENT, PRE, FILMING, PAUSED, POST, RELEASE = "-", "=", "#", "!", "~", "*"
PHASE_OF_STATUS = {
    "rumored": DEVELOPMENT,
    "announced": DEVELOPMENT,
    "development": DEVELOPMENT,
    "pre-production": PRE,
    "filming": FILMING,
    "paused": PAUSED,
    "wrapped": POST,
    "post-production": POST,
    "completed": POST,
}
LEGEND = "- development = pre-production # filming ! paused ~ post-production * release"
SHOWN_ALWAYS = (FILMING, PAUSED)
MIN_WIDTH = 40
ONE_DAY = datetime.timedelta(days=1)


@dataclass
class Row:
    label: str
    short: str | None = None  # used when the label does not fit
    spans: list[tuple[datetime.date, datetime.date, str]] = field(default_factory=list)
    marks: list[datetime.date] = field(default_factory=list)

    def days(self) -> list[datetime.date]:
        return [day for span in self.spans for day in span[:2]] + self.marks


def _width(text: str) -> int:
    from wcwidth import wcswidth

    measured = wcswidth(text)
    return measured if measured >= 0 else len(text)


def _fit(text: str, width: int) -> str:
    """Cut to `width` terminal columns (ending in '…' when cut) and pad to it."""
    if _width(text) > width:
        while text and _width(text) > width - 1:
            text = text[:-1]
        text += "…"
    return text + " " * (width - _width(text))


def _short(title: str, film: Film) -> str | None:
    """'7. Dead Reckoning Part One' for 'Mission: Impossible – Dead Reckoning Part One'."""
    franchise = film.franchise
    if not franchise or not title.casefold().startswith(franchise.casefold()):
        return None
    rest = title[len(franchise) :].lstrip(" –—-:")
    if not rest:
        return None
    return f"{film.instalment}. {rest}" if film.instalment is not None else rest


def film_rows(store: Store, film: Film, today: datetime.date) -> list[Row]:
    """The film's row (phases up to today, release marks) and one row per shoot."""
    title = asof.title_on(store, film.id, today)
    row = Row(title, _short(title, film))
    events = asof.known_rows(store, "status_events", film.id, today)
    starts = [from_iso(event["on_date"]).start for event in events]
    for index, event in enumerate(events):
        start = starts[index]
        assert start is not None
        following = starts[index + 1] if index + 1 < len(events) else None
        end = following - ONE_DAY if following is not None else today
        phase = PHASE_OF_STATUS.get(event["status"])
        if phase is not None and end >= start:
            row.spans.append((start, end, phase))
    for release in asof.current_releases(store, film.id, today):
        if release.date.start is not None:
            row.marks.append(release.date.start)
    rows = [row]
    for shoot in shoots(store, film.id):
        first, last = shoot.first_day, shoot.last_day
        if first is None or last is None or not shoot.known_on(today):
            continue
        rows.append(Row("  " + shoot.where, spans=[(first, min(last, today), FILMING)]))
    return rows


def chart(store: Store, films: Sequence[Film], today: datetime.date, *, width: int = 80) -> str:
    # A film not yet known on `today` has no row: its title could not be shown then.
    known = [film for film in films if asof.film_known(store, film.id, today)]
    rows = [row for film in known for row in film_rows(store, film, today)]
    days = [day for row in rows for day in row.days()]
    if not days:
        return "Nothing to chart."
    low, high = min([*days, today]), max([*days, today])
    width = max(width, MIN_WIDTH)
    label_width = min(max(len("today ^"), *(_width(row.label) for row in rows)), width // 3)
    bar_width = width - label_width - 1

    def column(day: datetime.date) -> int:
        span = max((high - low).days, 1)
        return round((day - low).days / span * (bar_width - 1))

    lines = [
        _fit(
            f"As of {of_day(today).display()}: {of_day(low).display()} to {of_day(high).display()}",
            width,
        ).rstrip()
    ]
    for row in rows:
        cells = [" "] * bar_width
        # In order, the later phase taking a shared column; then a filming or pause hidden
        # that way takes back its last column, so it never vanishes at any scale.
        for start, end, phase in row.spans:
            for index in range(column(start), column(end) + 1):
                cells[index] = phase
        for start, end, phase in row.spans:
            first, last = column(start), column(end)
            if phase in SHOWN_ALWAYS and phase not in cells[first : last + 1]:
                cells[last] = phase
        for day in row.marks:
            cells[column(day)] = RELEASE
        label = row.label
        if _width(label) > label_width and row.short:
            label = row.short
        lines.append((_fit(label, label_width) + " " + "".join(cells)).rstrip())
    lines.extend(_scale(low, high, today, label_width, bar_width, column))
    lines.append(_fit(LEGEND, width).rstrip())
    return "\n".join(lines)


def _scale(
    low: datetime.date,
    high: datetime.date,
    today: datetime.date,
    label_width: int,
    bar_width: int,
    column: Callable[[datetime.date], int],
) -> list[str]:
    """A rule with '|' at each new year and '^' at today, and the years above it."""
    years = [" "] * bar_width
    rule = ["."] * bar_width
    free_from = 0
    for year in range(low.year, high.year + 1):
        first = max(datetime.date(year, 1, 1), low)
        at = column(first)
        rule[at] = "|"
        text = str(year)
        if at >= free_from and at + len(text) <= bar_width:
            years[at : at + len(text)] = list(text)
            free_from = at + len(text) + 1
    rule[column(today)] = "^"
    pad = " " * (label_width + 1)
    return [
        (pad + "".join(years)).rstrip(),
        _fit("today ^", label_width) + " " + "".join(rule),
    ]
