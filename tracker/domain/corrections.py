"""Corrections: change or delete one recorded fact by its id, whatever command made it.

Seven kinds of fact have ids that listings show: a release announcement (`history`), a
status change (`statuses`), an event (`timeline`, `show`), a retitle (a title of the film's
history: `timeline`), a viewing (`diary`), a shoot (`shoot list`) and a credit (`show`).
A new value is checked by the same rule as when the fact was first recorded (a day
something happened cannot be after today; a release date can), and the stored columns
derived from a date (its window's first and last day) are rewritten with it, so `tracker
check` still finds them derivable. Each call is one transaction of its own, undoable with
`tracker undo`.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

from tracker.asof import params, title_on, title_sql
from tracker.choices import STATUSES, choose
from tracker.countries import country_code
from tracker.dates import FuzzyDate, check_happened, from_iso, of_day, parse_date
from tracker.domain.diary import check_place, check_seen_on, stars
from tracker.domain.events import NOTE_KINDS
from tracker.domain.people import ROLES
from tracker.domain.releases import normalise_type, release_where
from tracker.domain.shoots import check_window
from tracker.errors import InvalidDate, InvalidValue
from tracker.names import name_key
from tracker.store import Store
from tracker.validation import check_rating, clean_optional, clean_text

KINDS = ("release", "status", "event", "title", "viewing", "shoot", "credit")
FACT_ID = re.compile(r"^#?\s*([0-9]+)$")
DateValue = str | FuzzyDate | None


@dataclass(frozen=True)
class Amendment:
    """The new values of a fact; None keeps a value. Dates may be given as text (read like
    the command line reads them) or as FuzzyDate; an empty text clears a source, a note, a
    character or (for a release) the country (worldwide)."""

    date: DateValue = None  # release: the release date (any precision, TBA, future allowed)
    announced: DateValue = None  # release: the day it was announced
    on: DateValue = None  # status, event, title, viewing: the day it happened
    country: str | None = None  # release, shoot
    type: str | None = None  # release: release type; event: note kind (news, teaser, ...)
    source: str | None = None  # release, status, event, title, shoot
    note: str | None = None  # release, status, viewing, shoot; an event's text
    status: str | None = None  # status
    rating: float | None = None  # viewing
    where: str | None = None  # viewing: cinema, home or other
    role: str | None = None  # credit
    character: str | None = None  # credit
    start: DateValue = None  # shoot: --from
    end: DateValue = None  # shoot: --to

    def given(self) -> list[str]:
        return [field.name for field in fields(self) if getattr(self, field.name) is not None]


# How the command line spells each field (the library's messages name the options).
OPTION = {
    "date": "--date",
    "announced": "--announced",
    "on": "--on",
    "country": "--country",
    "type": "--type",
    "source": "--source",
    "note": "--note",
    "status": "--status",
    "rating": "--rating",
    "where": "--where",
    "role": "--role",
    "character": "--character",
    "start": "--from",
    "end": "--to",
}


@dataclass(frozen=True)
class Correction:
    """What `amend` changed: (field, old, new) as shown to a user."""

    kind: str
    id: int
    subject: str
    changes: tuple[tuple[str, str, str], ...]

    @property
    def message(self) -> str:
        head = f"{self.kind} #{self.id} ({self.subject})"
        if not self.changes:
            return f"{head}: nothing changed"
        return head + ": " + "; ".join(f"{name} {old} → {new}" for name, old, new in self.changes)


@dataclass(frozen=True)
class Deletion:
    kind: str
    id: int
    summary: str

    @property
    def message(self) -> str:
        return f"Deleted {self.kind} #{self.id} ({self.summary})"


def parse_fact_id(text: str | int, kind: str = "fact") -> int:
    """12 or #12."""
    if isinstance(text, int):
        return text
    match = FACT_ID.match(text.strip())
    if not match:
        raise InvalidValue(f"'{text}' is not a {kind} id: write #ID or ID (e.g. #12)")
    return int(match.group(1))


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "(none)"
    if isinstance(value, float):
        return stars(value)
    return str(value)


def _date(value: DateValue) -> FuzzyDate:
    return value if isinstance(value, FuzzyDate) else parse_date(str(value))


def _happened(value: DateValue, today: datetime.date, what: str) -> FuzzyDate:
    """A day something happened: a date, not TBA, not after today."""
    date = _date(value)
    if date.start is None:
        raise InvalidDate(f"{what} needs a date, not TBA")
    return check_happened(date, today, what)


def _iso(day: datetime.date | None) -> str | None:
    return None if day is None else day.isoformat()


class _Update:
    """The columns to write and the changes to report, one field at a time."""

    def __init__(self, row: Any) -> None:
        self.row = row
        self.columns: dict[str, Any] = {}
        self.changes: list[tuple[str, str, str]] = []

    def set(self, name: str, old: Any, new: Any, columns: dict[str, Any]) -> None:
        """Record a change of one shown value, stored as `columns`; nothing if unchanged."""
        if all(self.row[column] == value for column, value in columns.items()):
            return
        self.columns.update(columns)
        self.changes.append((name, _shown(old), _shown(new)))

    def text(self, name: str, column: str, value: str | None, what: str) -> None:
        new = clean_optional(value, what)
        self.set(name, self.row[column], new, {column: new})


# --- each kind: the row, how it is named, what may change --------------------------------


def _film_title(store: Store, film_id: int, today: datetime.date) -> str:
    """The film as named on `today` (its title of that day), as every message of a day
    names it."""
    return title_on(store, film_id, today)


def _release_subject(store: Store, row: Any, today: datetime.date) -> str:
    where = release_where(row["type"], row["country"])
    return f"{_film_title(store, row['film_id'], today)} · {where}"


def _release_summary(store: Store, row: Any, today: datetime.date) -> str:
    return (
        f"{_release_subject(store, row, today)}: {from_iso(row['date'])},"
        f" announced {from_iso(row['announced'])}"
    )


def _amend_release(store: Store, row: Any, new: Amendment, today: datetime.date) -> _Update:
    update = _Update(row)
    if new.date is not None:
        date = _date(new.date)
        update.set(
            "date",
            from_iso(row["date"]),
            date,
            {"date": date.iso, "date_start": _iso(date.start), "date_end": _iso(date.end)},
        )
    if new.announced is not None:
        announced = _happened(new.announced, today, "announced")
        assert announced.start is not None
        update.set(
            "announced",
            from_iso(row["announced"]),
            announced,
            {"announced": announced.iso, "announced_start": announced.start.isoformat()},
        )
    if new.country is not None:
        word = new.country.strip()
        country = None if word.casefold() in ("", "worldwide") else country_code(word)
        update.set(
            "country", row["country"] or "worldwide", country or "worldwide", {"country": country}
        )
    if new.type is not None:
        release_type = normalise_type(new.type)
        update.set("type", row["type"], release_type, {"type": release_type})
    if new.source is not None:
        update.text("source", "source", new.source, "a source")
    if new.note is not None:
        update.text("note", "note", new.note, "a note")
    return update


def _status_subject(store: Store, row: Any, today: datetime.date) -> str:
    return _film_title(store, row["film_id"], today)


def _status_summary(store: Store, row: Any, today: datetime.date) -> str:
    return f"{_status_subject(store, row, today)}: {row['status']} from {from_iso(row['on_date'])}"


def _set_day(update: _Update, row: Any, on: FuzzyDate) -> None:
    """A new day for a status or an event, with the first day of its window beside it."""
    assert on.start is not None
    update.set(
        "day", from_iso(row["on_date"]), on, {"on_date": on.iso, "on_start": on.start.isoformat()}
    )


def _amend_status(store: Store, row: Any, new: Amendment, today: datetime.date) -> _Update:
    update = _Update(row)
    if new.on is not None:
        _set_day(update, row, _happened(new.on, today, "status on"))
    if new.status is not None:
        status = choose(new.status, STATUSES, "status")
        update.set("status", row["status"], status, {"status": status})
    if new.source is not None:
        update.text("source", "source", new.source, "a source")
    if new.note is not None:
        update.text("note", "note", new.note, "a note")
    return update


def _event_subject(store: Store, row: Any, today: datetime.date) -> str:
    return f"{_film_title(store, row['film_id'], today)} · {row['kind']}"


def _event_summary(store: Store, row: Any, today: datetime.date) -> str:
    text = f": {row['text']}" if row["text"] else ""
    return f"{_event_subject(store, row, today)} on {from_iso(row['on_date'])}{text}"


def _amend_event(store: Store, row: Any, new: Amendment, today: datetime.date) -> _Update:
    update = _Update(row)
    if new.on is not None:
        _set_day(update, row, _happened(new.on, today, f"{row['kind']} on"))
    if new.type is not None:
        kind = choose(new.type, NOTE_KINDS, "note kind")
        update.set("kind", row["kind"], kind, {"kind": kind})
    if new.note is not None:
        text = clean_text(new.note, "a note")
        update.set("text", row["text"], text, {"text": text})
    if new.source is not None:
        update.text("source", "source", new.source, "a source")
    return update


# A title row is a retitle when it has a day; a film's first title has none (it holds for
# every day before the first retitle) and is neither amended nor deleted.
def _title_before(store: Store, film_id: int, title_id: int, on_start: str | None) -> Any:
    """The title row just before a title (by day, then id) in the film's whole history, were
    that title from `on_start`; None when it would be the first."""
    return store.row(
        "SELECT title FROM titles WHERE film_id = :film AND id != :id AND (on_start IS NULL"
        " OR on_start < :day OR (on_start = :day AND id < :id))"
        " ORDER BY on_start DESC, id DESC LIMIT 1",
        {"film": film_id, "id": title_id, "day": on_start},
    )


def _same_in_a_row(titles: list[tuple[str | None, int, str]]) -> set[tuple[int, int]]:
    """The ids of each two titles in a row with the same name, the titles (day, id, title)
    put in the history's order (the first title, with no day, first)."""
    ordered = sorted(titles, key=lambda t: (t[0] is not None, t[0] or "", t[1]))
    return {
        (before[1], after[1])
        for before, after in zip(ordered, ordered[1:], strict=False)
        if name_key(before[2]) == name_key(after[2])
    }


def _check_history(store: Store, row: Any, day: str, shown: FuzzyDate) -> None:
    """Were this retitle from `day`, each title must still rename the film: no title may
    come to follow one with the same name (as `retitle` requires of the title before it),
    neither where it lands nor where it leaves."""
    rows = store.rows("SELECT id, title, on_start FROM titles WHERE film_id = ?", [row["film_id"]])
    now = [(t["on_start"], t["id"], t["title"]) for t in rows]
    moved = [(day if key == row["id"] else start, key, title) for start, key, title in now]
    titles = {key: title for _, key, title in now}
    for _, after in sorted(_same_in_a_row(moved) - _same_in_a_row(now)):
        raise InvalidValue(
            f"with title #{row['id']} on {shown.display()}, the film would be retitled to"
            f" '{titles[after]}' when it already had that title"
        )


def _title_subject(store: Store, row: Any, today: datetime.date) -> str:
    if row["on_date"] is None:
        return f"{row['title']}, the first title of {_film_title(store, row['film_id'], today)}"
    before = _title_before(store, row["film_id"], row["id"], row["on_start"])
    old = before["title"] if before is not None else "(none)"
    return f"retitle from '{old}' to '{row['title']}'"


def _title_summary(store: Store, row: Any, today: datetime.date) -> str:
    if row["on_date"] is None:
        return _title_subject(store, row, today)
    return f"{_title_subject(store, row, today)} on {from_iso(row['on_date'])}"


def _amend_title(store: Store, row: Any, new: Amendment, today: datetime.date) -> _Update:
    if row["on_date"] is None:
        raise InvalidValue(
            f"title #{row['id']} is {_title_subject(store, row, today)}: it has no day or source"
            " to amend (only a retitle's)"
        )
    update = _Update(row)
    if new.on is not None:
        on = _happened(new.on, today, "retitled")  # as `retitle` checks its day
        assert on.start is not None
        _check_history(store, row, on.start.isoformat(), on)
        _set_day(update, row, on)
    if new.source is not None:
        update.text("source", "source", new.source, "a source")
    return update


def _title_written(store: Store, row: Any) -> None:
    """A retitle's new day may change which title is the latest: the film's stored title
    follows (as `films.insert_title` keeps it)."""
    latest = store.value(
        "SELECT title FROM titles WHERE film_id = ? ORDER BY on_start DESC, id DESC LIMIT 1",
        [row["film_id"]],
    )
    store.conn.execute(
        "UPDATE films SET title = ?, title_key = ? WHERE id = ? AND title IS NOT ?",
        [latest, name_key(latest), row["film_id"], latest],
    )


def _title_kept(store: Store, row: Any, today: datetime.date) -> str:
    if row["on_date"] is None:
        subject = _title_subject(store, row, today)
        return f"title #{row['id']} is {subject}: a film keeps its first title"
    return (
        f"a retitle is not deleted: it renamed its film (title #{row['id']}:"
        f" {_title_summary(store, row, today)}); `tracker retitle FILM TITLE --on DAY` renames it"
        f" again, `tracker amend title {row['id']} --on DAY` moves it"
    )


def _viewing_subject(store: Store, row: Any, today: datetime.date) -> str:
    return _film_title(store, row["film_id"], today)


def _seen_day(row: Any) -> Any:
    """A viewing's day as shown; Letterboxd's watched.csv leaves it unknown (NULL)."""
    if row["seen_on"] is None:
        return "on a day not known"
    return of_day(datetime.date.fromisoformat(row["seen_on"]))


def _viewing_summary(store: Store, row: Any, today: datetime.date) -> str:
    rated = f" {stars(row['rating'])}" if row["rating"] is not None else ""
    return f"{_viewing_subject(store, row, today)}: seen {_seen_day(row)}{rated}"


def _amend_viewing(store: Store, row: Any, new: Amendment, today: datetime.date) -> _Update:
    update = _Update(row)
    if new.on is not None:
        on = _date(new.on)
        if not on.is_day:
            raise InvalidDate(f"a viewing is on one day: write YYYY-MM-DD, not '{on}'")
        assert on.start is not None
        day = check_seen_on(on.start, today)
        assert day is not None
        update.set("day", _seen_day(row), of_day(day), {"seen_on": day.isoformat()})
    if new.rating is not None:
        rating = check_rating(new.rating)
        update.set("rating", row["rating"], rating, {"rating": rating})
    if new.where is not None:
        place = check_place(new.where)
        update.set("where", row["place"], place, {"place": place})
    if new.note is not None:
        update.text("note", "note", new.note, "a note")
    return update


def _shoot_subject(store: Store, row: Any, today: datetime.date) -> str:
    region = f", {row['region']}" if row["region"] else ""
    return f"{row['place']}{region} ({row['country']})"


def _shoot_summary(store: Store, row: Any, today: datetime.date) -> str:
    titles = store.rows(
        f"SELECT {title_sql('films.id')} AS title FROM shoot_films s"
        " JOIN films ON films.id = s.film_id WHERE s.shoot_id = :shoot ORDER BY films.id",
        params(today, shoot=row["id"]),
    )
    films = ", ".join(title["title"] for title in titles)
    subject = _shoot_subject(store, row, today)
    return f"{subject} · {films}" if films else subject


def _amend_shoot(store: Store, row: Any, new: Amendment, today: datetime.date) -> _Update:
    # Shoots may be planned: their dates can be after today (as with `shoot add`).
    update = _Update(row)
    start = from_iso(row["start"]) if new.start is None else _date(new.start)
    end = from_iso(row["end"]) if new.end is None else _date(new.end)
    check_window(start, end)
    for name, column, date in (("from", "start", start), ("to", "end", end)):
        update.set(
            name,
            from_iso(row[column]),
            date,
            {column: date.iso, f"{column}_key": _iso(date.start)},
        )
    if new.country is not None:
        country = country_code(new.country)
        update.set("country", row["country"], country, {"country": country})
    if new.source is not None:
        update.text("source", "source", new.source, "a source")
    if new.note is not None:
        update.text("note", "note", new.note, "a note")
    return update


def _credit_row(store: Store, row: Any, today: datetime.date) -> tuple[str, str]:
    name = store.value("SELECT name FROM people WHERE id = ?", [row["person_id"]])
    return _film_title(store, row["film_id"], today), str(name)


def _credit_subject(store: Store, row: Any, today: datetime.date) -> str:
    title, name = _credit_row(store, row, today)
    return f"{title} · {name}"


def _credit_summary(store: Store, row: Any, today: datetime.date) -> str:
    played = f" ({row['character']})" if row["character"] else ""
    return f"{_credit_subject(store, row, today)} · {row['role']}{played}"


def _amend_credit(store: Store, row: Any, new: Amendment, today: datetime.date) -> _Update:
    update = _Update(row)
    if new.role is not None:
        role = choose(new.role, ROLES, "role")
        clash = store.value(
            "SELECT 1 FROM credits WHERE film_id = ? AND person_id = ? AND role = ? AND id != ?",
            [row["film_id"], row["person_id"], role, row["id"]],
        )
        if clash:
            subject = _credit_subject(store, row, today)
            raise InvalidValue(f"{subject} is already credited as {role}")
        update.set("role", row["role"], role, {"role": role})
    if new.character is not None:
        update.text("character", "character", new.character, "a character")
    return update


Describe = Callable[[Store, Any, datetime.date], str]  # named as on the day
Amend = Callable[[Store, Any, Amendment, datetime.date], _Update]
Written = Callable[[Store, Any], None]


@dataclass(frozen=True)
class _Kind:
    table: str
    listed_by: str  # where a user finds the ids
    options: tuple[str, ...]  # Amendment fields that apply
    subject: Describe
    summary: Describe
    amend: Amend
    written: Written | None = None  # after an amendment is written: what follows from it
    kept: Describe | None = None  # facts never deleted: why (the refusal's message)


_KINDS = {
    "release": _Kind(
        "releases",
        "tracker history FILM",
        ("date", "announced", "country", "type", "source", "note"),
        _release_subject,
        _release_summary,
        _amend_release,
    ),
    "status": _Kind(
        "status_events",
        "tracker statuses FILM",
        ("on", "status", "source", "note"),
        _status_subject,
        _status_summary,
        _amend_status,
    ),
    "event": _Kind(
        "events",
        "tracker timeline FILM --format json, or tracker show FILM; a retitle is a title",
        ("on", "type", "source", "note"),
        _event_subject,
        _event_summary,
        _amend_event,
    ),
    "title": _Kind(
        "titles",
        "tracker timeline FILM --kind retitle --format json",
        ("on", "source"),
        _title_subject,
        _title_summary,
        _amend_title,
        written=_title_written,
        kept=_title_kept,
    ),
    "viewing": _Kind(
        "viewings",
        "tracker diary",
        ("on", "rating", "where", "note"),
        _viewing_subject,
        _viewing_summary,
        _amend_viewing,
    ),
    "shoot": _Kind(
        "shoots",
        "tracker shoot list",
        ("start", "end", "country", "source", "note"),
        _shoot_subject,
        _shoot_summary,
        _amend_shoot,
    ),
    "credit": _Kind(
        "credits",
        "tracker show FILM",
        ("role", "character"),
        _credit_subject,
        _credit_summary,
        _amend_credit,
    ),
}


def _a(name: str) -> str:
    return f"an {name}" if name[0] in "aeiou" else f"a {name}"


def _kind(kind: str) -> tuple[str, _Kind]:
    name = choose(kind, KINDS, "kind")
    return name, _KINDS[name]


def _row(store: Store, name: str, kind: _Kind, fact_id: int) -> Any:
    # The table name comes from _KINDS, never from the user.
    row = store.row(f"SELECT * FROM {kind.table} WHERE id = ?", [fact_id])
    if row is None:
        raise InvalidValue(f"no {name} #{fact_id} (see `{kind.listed_by}`)")
    return row


def describe(store: Store, kind: str, fact_id: str | int, *, today: datetime.date) -> str:
    """One line naming a fact: 'release #12 (Mission: Impossible 7 · theatrical (US):
    Fri 19 Nov 2021, announced Thu 15 Oct 2020)'."""
    name, spec = _kind(kind)
    number = parse_fact_id(fact_id, name)
    return f"{name} #{number} ({spec.summary(store, _row(store, name, spec, number), today)})"


def amend(
    store: Store,
    kind: str,
    fact_id: str | int,
    amendment: Amendment,
    *,
    today: datetime.date,
) -> Correction:
    """Change one fact; values are checked as when it was first recorded. Its own
    transaction (a savepoint inside the caller's)."""
    name, spec = _kind(kind)
    number = parse_fact_id(fact_id, name)
    given = amendment.given()
    allowed = ", ".join(OPTION[field] for field in spec.options)
    if not given:
        raise InvalidValue(f"nothing to change: give one of {allowed} for {_a(name)}")
    wrong = [field for field in given if field not in spec.options]
    if wrong:
        raise InvalidValue(f"{OPTION[wrong[0]]} does not apply to {_a(name)} (it takes {allowed})")
    with store.transaction(label=f"amend {name} #{number}"):
        row = _row(store, name, spec, number)
        subject = spec.subject(store, row, today)
        update = spec.amend(store, row, amendment, today)
        if update.columns:
            sets = ", ".join(f'"{column}" = ?' for column in update.columns)
            store.conn.execute(
                f"UPDATE {spec.table} SET {sets} WHERE id = ?", [*update.columns.values(), number]
            )
            if spec.written is not None:
                spec.written(store, row)
    return Correction(name, number, subject, tuple(update.changes))


def _deletable(store: Store, spec: _Kind, row: Any, today: datetime.date) -> None:
    if spec.kept is not None:
        raise InvalidValue(spec.kept(store, row, today))


def confirm_deletion(store: Store, kind: str, fact_id: str | int, *, today: datetime.date) -> str:
    """What `delete` without --yes answers: the fact it would delete, or why it never
    deletes that fact."""
    name, spec = _kind(kind)
    number = parse_fact_id(fact_id, name)
    row = _row(store, name, spec, number)
    _deletable(store, spec, row, today)
    return f"deleting {name} #{number} ({spec.summary(store, row, today)}): add --yes to confirm"


def delete(store: Store, kind: str, fact_id: str | int, *, today: datetime.date) -> Deletion:
    """Remove one fact, in its own transaction (a savepoint inside the caller's). A title is
    never deleted (a retitle renamed its film: `retitle` renames it again). Films are named
    by their title of `today`."""
    name, spec = _kind(kind)
    number = parse_fact_id(fact_id, name)
    with store.transaction(label=f"delete {name} #{number}"):
        row = _row(store, name, spec, number)
        _deletable(store, spec, row, today)
        summary = spec.summary(store, row, today)
        if name == "shoot":
            store.conn.execute("DELETE FROM shoot_films WHERE shoot_id = ?", [number])
        store.conn.execute(f"DELETE FROM {spec.table} WHERE id = ?", [number])
    return Deletion(name, number, summary)
