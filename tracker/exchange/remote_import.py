"""Film records from TMDB and Wikidata written into the database, as history.

Films are matched by external id (tmdb, imdb, wikidata), then by title and year
(`films.match_title_year`); new ones are created. Only what differs from what is current is
recorded, so importing the same response twice changes nothing. A release date is an
announcement of its (country, type) made on the day the service published it (a change log's
`time`, a Wikidata reference's retrieval day) or else on the import day. Where one (country,
type) holds several entries published together (a re-release, a second streaming service,
two premieres), the earliest is its date and the later ones are kept as dated `release`
events with their note, never as moves.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from tracker.dates import FuzzyDate, of_day
from tracker.errors import BadFile
from tracker.exchange.remote_records import FilmRecord, ReleaseEntry
from tracker.names import name_key
from tracker.records import Film
from tracker.store import Store

ID_ORDER = ("tmdb", "imdb", "wikidata")  # the order ids are tried in when matching a film
TMDB_FILE_ID = re.compile(r"movie-(\d+)")
MAX_INSTALMENT = 999  # films.check_instalment's range


@dataclass
class ImportReport:
    """What one file (or one fetched resource) did."""

    file: str
    films_created: int = 0
    films_matched: int = 0
    announcements_added: int = 0
    release_events_added: int = 0
    unchanged: int = 0
    skipped: int = 0

    def row(self) -> dict[str, Any]:
        return dict(self.__dict__)


# The columns of an import or fetch report, in order: the report's fields.
REPORT_COLUMNS = [field.name for field in fields(ImportReport)]


# A saved API response: a film's or a collection's is at most a few MiB. It is parsed whole.
MAX_RESPONSE_BYTES = 32 * 1024 * 1024


def read_json(path: Path) -> Any:
    from tracker.files import check_input

    check_input(path, limit=MAX_RESPONSE_BYTES, kind="saved API response")
    try:
        with path.open("rb") as handle:
            return json.load(handle)
    except OSError as error:
        raise BadFile(f"cannot read {path}: {error.strerror}") from None
    except (ValueError, RecursionError) as error:
        raise BadFile(f"{path}: not JSON ({error})") from None


def tmdb_records(data: Any, name: str, tmdb_id: int | None = None) -> list[FilmRecord]:
    """A TMDB response's records; a change log's film id comes from `tmdb_id`, else from a
    file name like movie-19995-changes.json."""
    from tracker.exchange import tmdb

    if tmdb_id is None:
        found = TMDB_FILE_ID.search(name)
        tmdb_id = int(found.group(1)) if found else None
    try:
        return tmdb.read(data, tmdb_id=tmdb_id)
    except BadFile as error:
        raise BadFile(f"{name}: {error}") from None


def wikidata_records(
    data: Any, name: str, labels: dict[str, str] | None = None
) -> list[FilmRecord]:
    from tracker.exchange import wikidata

    try:
        return wikidata.read(data, labels or {})
    except BadFile as error:
        raise BadFile(f"{name}: {error}") from None


def import_files(
    store: Store, source: str, paths: Sequence[Path], *, today: datetime.date
) -> list[ImportReport]:
    """`import tmdb|wikidata FILE...`: every file read and checked first, then all written in
    one transaction (all or nothing)."""
    reader: Callable[[Any, str], list[FilmRecord]] = (
        tmdb_records if source == "tmdb" else wikidata_records
    )
    parsed = [(path.name, reader(read_json(path), path.name)) for path in paths]
    return write_all(store, parsed, today=today)


def write_all(
    store: Store, parsed: Sequence[tuple[str, list[FilmRecord]]], *, today: datetime.date
) -> list[ImportReport]:
    reports = [ImportReport(name) for name, _ in parsed]
    with store.transaction():
        # Records naming their film first, so a /release_dates file finds the film its
        # /movie file (given in the same run, in any order) creates.
        for named in (True, False):
            for report, (_, records) in zip(reports, parsed, strict=True):
                for record in records:
                    if bool(record.title) == named:
                        write_record(store, record, report, today=today)
    return reports


def _has_content(record: FilmRecord) -> bool:
    return bool(record.releases or record.credits or record.locations or record.alternative_titles)


def find_film(store: Store, record: FilmRecord) -> Film | None:
    from tracker.domain.films import match_title_year
    from tracker.domain.identifiers import film_by_external_id

    for scheme in ID_ORDER:
        if scheme in record.ids:
            film = film_by_external_id(store, scheme, record.ids[scheme])
            if film is not None:
                return film
    if record.title:
        return match_title_year(store, record.title, record.year)
    return None


def write_record(
    store: Store, record: FilmRecord, report: ImportReport, *, today: datetime.date
) -> None:
    from tracker.domain.films import add_film, get_film, insert_film

    report.skipped += record.skipped
    film = find_film(store, record)
    if film is not None:
        report.films_matched += 1
    elif record.title:
        if record.status:
            film = add_film(
                store, record.title, today=today, year=record.year, status=record.status
            )
        else:
            film = get_film(store, insert_film(store, record.title, year=record.year))
        report.films_created += 1
    elif _has_content(record):
        ids = ", ".join(f"{scheme} {value}" for scheme, value in record.ids.items()) or "no id"
        raise BadFile(
            f"{report.file}: no film with {ids} yet, and the response does not name one;"
            " import the film's own response (TMDB /movie/{id}) first"
        )
    else:
        return  # nothing about a film we know: nothing to record
    _ids(store, film.id, record)
    film = _names(store, film, record, today)
    _credits(store, film.id, record)
    report.skipped += _locations(store, film.id, record)
    _releases(store, film.id, record, report, today)


def _ids(store: Store, film_id: int, record: FilmRecord) -> None:
    from tracker.domain.identifiers import external_ids_of, set_external_id

    held = external_ids_of(store, film_id)
    for scheme, value in record.ids.items():
        if scheme not in held:  # an id the film already has in a scheme is kept
            set_external_id(store, film_id, scheme, value)


def _names(store: Store, film: Film, record: FilmRecord, today: datetime.date) -> Film:
    from tracker.domain.films import add_alias, edit_film, record_status, status_as_of

    changes: dict[str, Any] = {}
    if record.franchise and record.franchise != film.franchise:
        changes["franchise"] = record.franchise
    numbered = record.instalment is not None and 0 <= record.instalment <= MAX_INSTALMENT
    if numbered and record.instalment != film.instalment:  # a 1,000th part goes unnumbered
        changes["instalment"] = record.instalment
    if changes:
        film = edit_film(store, film, **changes)
    key = name_key(film.title)
    for alias in [record.title or "", *record.alternative_titles]:
        if alias and name_key(alias) != key:
            add_alias(store, film.id, alias)
    if record.status and status_as_of(store, film.id, today) != record.status:
        record_status(store, film.id, record.status, of_day(today), source=record.source)
    return film


def _credits(store: Store, film_id: int, record: FilmRecord) -> None:
    from tracker.domain.people import insert_credit

    for credit in record.credits:
        exists = store.value(
            "SELECT 1 FROM credits c JOIN people p ON p.id = c.person_id"
            " WHERE c.film_id = ? AND p.name_key = ? AND c.role = ?",
            [film_id, name_key(credit.name), credit.role],
        )
        if not exists:
            insert_credit(store, film_id, credit.name, credit.role, credit.character)


def _locations(store: Store, film_id: int, record: FilmRecord) -> int:
    """Shoots for the locations whose country is known; returns how many were not."""
    from tracker.domain.shoots import insert_shoot

    unknown = 0
    for location in record.locations:
        if location.country is None:
            unknown += 1
            continue
        exists = store.value(
            "SELECT 1 FROM shoots s JOIN shoot_films f ON f.shoot_id = s.id"
            " WHERE f.film_id = ? AND s.place = ? AND s.country = ?",
            [film_id, location.place, location.country],
        )
        if not exists:
            insert_shoot(store, [film_id], location.place, location.country, source=record.source)
    return unknown


def _groups(entries: list[ReleaseEntry]) -> dict[Any, list[ReleaseEntry]]:
    """Entries published together for one (country, type), earliest date first (TBA last)."""
    groups: dict[Any, list[ReleaseEntry]] = {}
    for entry in entries:
        groups.setdefault((entry.country, entry.type, entry.announced), []).append(entry)
    for group in groups.values():
        group.sort(key=lambda e: (e.date.start is None, e.date.start or datetime.date.min))
    return groups


def adds_nothing(new: FuzzyDate, current: FuzzyDate) -> bool:
    """Whether a published date says nothing the current one does not: the same date, a
    coarser one containing it (Wikidata's month for TMDB's day), or TBA."""
    if new == current or new.start is None:
        return True
    return (
        current.start is not None
        and current.end is not None
        and new.end is not None
        and new.start <= current.start
        and current.end <= new.end
    )


def _releases(
    store: Store, film_id: int, record: FilmRecord, report: ImportReport, today: datetime.date
) -> None:
    from tracker.domain.releases import current_for, insert_release

    for (country, release_type, announced), group in _groups(record.releases).items():
        first, *later = group
        day = announced or today
        current = current_for(store, film_id, country, release_type, day)
        if current is not None and adds_nothing(first.date, current.date):
            report.unchanged += 1
        else:
            insert_release(
                store,
                film_id,
                first.date,
                country,
                release_type,
                of_day(day),
                source=first.source,
                note=first.note,
                certification=first.certification,
            )
            report.announcements_added += 1
        for entry in later:
            if _release_event(store, film_id, entry):
                report.release_events_added += 1
            else:
                report.unchanged += 1


def release_event_text(entry: ReleaseEntry) -> str:
    """'theatrical (US) · Re-release'."""
    from tracker.domain.releases import release_where

    where = release_where(entry.type, entry.country)
    return f"{where} · {entry.note}" if entry.note else where


def _release_event(store: Store, film_id: int, entry: ReleaseEntry) -> bool:
    """Keep a further entry of a (country, type) as a dated event; False if already kept."""
    from tracker.domain.events import insert_event

    text = release_event_text(entry)
    if entry.date.start is None or store.value(
        "SELECT 1 FROM events WHERE film_id = ? AND kind = 'release' AND on_date = ? AND text = ?",
        [film_id, entry.date.iso, text],
    ):
        return False
    insert_event(store, film_id, "release", entry.date, text, source=entry.source)
    return True
