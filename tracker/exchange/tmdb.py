"""TMDB responses read into film records (pure: no database, no network).

Shapes read: `/movie/{id}` (optionally with `append_to_response=release_dates,
alternative_titles,credits`), `/movie/{id}/release_dates`, `/collection/{id}` and
`/movie/{id}/changes`. Quirks of the real data (see tests/fixtures/SOURCES.md):
- a release date is written "2013-02-14T00:00:00.000Z": a local calendar day, not an instant,
  so its first ten characters are the day (no time-zone conversion);
- the top-level `release_date` is the earliest date anywhere, so it is only ever a worldwide
  date, and only used when the response has no per-country dates;
- in `/changes`, the country of a `release_dates` item is inside `value`, its date is plain
  and the item's `time` ("2022-05-30 22:04:09 UTC") is the day the date was published;
- `certification` and `note` are often "", sometimes padded: trimmed, "" kept as none;
- collection parts are not in release order: instalments follow their release dates.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from tracker.choices import RELEASE_TYPES
from tracker.countries import CODES
from tracker.dates import TBA, FuzzyDate, of_day
from tracker.errors import BadFile
from tracker.exchange.remote_records import CreditEntry, FilmRecord, ReleaseEntry, clean

API = "https://api.themoviedb.org/3"
STATUSES = {
    "rumored": "rumored",
    "planned": "announced",
    "in production": "filming",
    "post production": "post-production",
    "released": "released",
    "canceled": "cancelled",
}
# Crew jobs tracker keeps, by the role it gives them (department "Writing" is all writer).
CREW_JOBS = {
    "director": "director",
    "producer": "producer",
    "director of photography": "cinematographer",
    "original music composer": "composer",
    "music": "composer",
    "stunt coordinator": "stunts",
}
COLLECTION_SUFFIX = re.compile(r"\s+Collection$", re.IGNORECASE)
DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def parse_day(text: object) -> datetime.date | None:
    """The calendar day of "2013-02-14", "2013-02-14T00:00:00.000Z" or
    "2022-05-30 22:04:09 UTC"; None when empty or unreadable."""
    if not isinstance(text, str):
        return None
    match = DAY.match(text.strip())
    if not match:
        return None
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _date(text: object) -> FuzzyDate:
    day = parse_day(text)
    return TBA if day is None else of_day(day)


def franchise_name(collection_name: object) -> str | None:
    """'Back to the Future Collection' -> 'Back to the Future'."""
    name = clean(collection_name)
    return COLLECTION_SUFFIX.sub("", name) or name if name else None


def _release_type(value: object) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 6:
        return RELEASE_TYPES[value - 1]
    return None


def _country(value: object) -> str | None:
    code = clean(value)
    return code.upper() if code and code.upper() in CODES else None


def release_entry(
    raw: dict[str, Any], country: object, source: str, announced: datetime.date | None
) -> ReleaseEntry | None:
    """One entry of `release_dates`, or None when its country, type or day is unusable."""
    code = _country(country)
    release_type = _release_type(raw.get("type"))
    day = parse_day(raw.get("release_date"))
    if code is None or release_type is None or day is None:
        return None
    return ReleaseEntry(
        country=code,
        type=release_type,
        date=of_day(day),
        note=clean(raw.get("note")),
        certification=clean(raw.get("certification")),
        announced=announced,
        source=source,
    )


def _release_dates(results: object, source: str, record: FilmRecord) -> None:
    for country in results if isinstance(results, list) else []:
        for raw in country.get("release_dates") or []:
            entry = release_entry(raw, country.get("iso_3166_1"), source, None)
            if entry is None:
                record.skipped += 1
            else:
                record.releases.append(entry)


def _credits(credits: dict[str, Any]) -> list[CreditEntry]:
    found: dict[tuple[str, str], CreditEntry] = {}
    for person in credits.get("cast") or []:
        name = clean(person.get("name"))
        if name and (name, "cast") not in found:
            found[(name, "cast")] = CreditEntry(name, "cast", clean(person.get("character")))
    for person in credits.get("crew") or []:
        name = clean(person.get("name"))
        job = (clean(person.get("job")) or "").lower()
        role = "writer" if person.get("department") == "Writing" else CREW_JOBS.get(job)
        if name and role and (name, role) not in found:
            found[(name, role)] = CreditEntry(name, role)
    return list(found.values())


def _year(text: object) -> int | None:
    day = parse_day(text)
    return day.year if day else None


def read_movie(data: dict[str, Any]) -> FilmRecord:
    """`/movie/{id}`, with whatever was appended."""
    tmdb_id = data["id"]
    source = f"{API}/movie/{tmdb_id}"
    record = FilmRecord(ids={"tmdb": str(tmdb_id)}, source=source)
    if clean(data.get("imdb_id")):
        record.ids["imdb"] = str(clean(data.get("imdb_id")))
    record.title = clean(data.get("title")) or clean(data.get("original_title"))
    record.year = _year(data.get("release_date"))
    collection = data.get("belongs_to_collection")
    if isinstance(collection, dict):
        record.franchise = franchise_name(collection.get("name"))
    record.status = STATUSES.get((clean(data.get("status")) or "").lower())
    titles = (data.get("alternative_titles") or {}).get("titles") or []
    for alternative in titles:
        title = clean(alternative.get("title"))
        if title and title != record.title and title not in record.alternative_titles:
            record.alternative_titles.append(title)
    original = clean(data.get("original_title"))
    if original and original != record.title and original not in record.alternative_titles:
        record.alternative_titles.insert(0, original)
    if isinstance(data.get("credits"), dict):
        record.credits = _credits(data["credits"])
    if isinstance(data.get("release_dates"), dict):
        _release_dates(data["release_dates"].get("results"), source, record)
    else:  # only the earliest date anywhere: a worldwide date
        record.releases.append(
            ReleaseEntry(
                None, "theatrical", _date(data.get("release_date")), None, None, None, source
            )
        )
    return record


def read_release_dates(data: dict[str, Any]) -> FilmRecord:
    """`/movie/{id}/release_dates`: dates only, for a film already known by its TMDB id."""
    tmdb_id = data["id"]
    record = FilmRecord(ids={"tmdb": str(tmdb_id)}, source=f"{API}/movie/{tmdb_id}/release_dates")
    _release_dates(data.get("results"), record.source, record)
    return record


def read_collection(data: dict[str, Any]) -> list[FilmRecord]:
    """`/collection/{id}`: its parts as instalments in release order (TBA ones last), each
    part's date worldwide."""
    source = f"{API}/collection/{data['id']}"
    franchise = franchise_name(data.get("name"))
    parts = [part for part in data.get("parts") or [] if isinstance(part, dict) and "id" in part]
    parts.sort(
        key=lambda part: (parse_day(part.get("release_date")) or datetime.date.max, part["id"])
    )
    records = []
    for number, part in enumerate(parts, start=1):
        date = _date(part.get("release_date"))
        records.append(
            FilmRecord(
                ids={"tmdb": str(part["id"])},
                source=source,
                title=clean(part.get("title")) or clean(part.get("original_title")),
                year=date.year,
                franchise=franchise,
                instalment=number,
                releases=[ReleaseEntry(None, "theatrical", date, None, None, None, source)],
            )
        )
    return records


def read_changes(data: dict[str, Any], tmdb_id: int | None) -> FilmRecord:
    """`/movie/{id}/changes`: each added or updated `release_dates` item is a date announced
    on the day of its `time`; `imdb_id` and `original_title`/`title` items name the film."""
    imdb = [
        clean(item.get("value"))
        for change in data.get("changes") or []
        if change.get("key") == "imdb_id"
        for item in change.get("items") or []
    ]
    if tmdb_id is not None:
        source = f"{API}/movie/{tmdb_id}/changes"
    elif any(imdb):  # the change log does not name its film; its IMDb id finds it on TMDB
        source = f"{API}/find/{next(filter(None, imdb))}?external_source=imdb_id"
    else:
        source = f"{API}/movie/changes"
    record = FilmRecord(ids={"tmdb": str(tmdb_id)} if tmdb_id is not None else {}, source=source)
    titles: list[tuple[str, str]] = []
    for change in data.get("changes") or []:
        key = change.get("key")
        for item in change.get("items") or []:
            action, value, time = item.get("action"), item.get("value"), item.get("time") or ""
            if action not in ("added", "updated", "created"):
                continue
            if key == "release_dates" and isinstance(value, dict):
                entry = release_entry(value, value.get("iso_3166_1"), source, parse_day(time))
                if entry is None or entry.announced is None:
                    record.skipped += 1
                else:
                    record.releases.append(entry)
            elif key == "imdb_id" and clean(value):
                record.ids["imdb"] = str(clean(value))
            elif key in ("title", "original_title") and clean(value):
                # A title beats an original title; the latest of each wins.
                titles.append((f"{key == 'title'}{time}", str(clean(value))))
    if titles:
        record.title = max(titles)[1]
    # TMDB's year is that of the earliest date standing now: each (country, type)'s latest.
    latest: dict[tuple[str | None, str], ReleaseEntry] = {}
    for entry in sorted(record.releases, key=lambda entry: str(entry.announced)):
        latest[(entry.country, entry.type)] = entry
    years = [entry.date.year for entry in latest.values() if entry.date.year]
    record.year = min(years) if years else None
    return record


def kind_of(data: object) -> str:
    """Which response shape a document is: movie, release_dates, collection or changes."""
    if isinstance(data, dict):
        if isinstance(data.get("parts"), list) and "id" in data:
            return "collection"
        if isinstance(data.get("changes"), list) and "title" not in data:
            return "changes"
        if "id" in data and ("title" in data or "original_title" in data):
            return "movie"
        if "id" in data and isinstance(data.get("results"), list):
            return "release_dates"
    raise BadFile(
        "not a TMDB /movie/{id}, /movie/{id}/release_dates, /collection/{id} or"
        " /movie/{id}/changes response"
    )


def read(data: object, *, tmdb_id: int | None = None) -> list[FilmRecord]:
    """Every film a TMDB response describes. `tmdb_id` names the film of a `/changes`
    response (which does not name it itself)."""
    kind = kind_of(data)
    assert isinstance(data, dict)
    try:
        if kind == "collection":
            return read_collection(data)
        if kind == "changes":
            return [read_changes(data, tmdb_id)]
        if kind == "movie":
            return [read_movie(data)]
        return [read_release_dates(data)]
    except (AttributeError, TypeError, KeyError) as error:
        raise BadFile(f"a TMDB {kind} response of an unexpected shape ({error!r})") from None
