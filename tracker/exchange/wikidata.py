"""Wikidata entity JSON and query-service (SPARQL) JSON results read into film records (pure:
no database, no network).

Quirks of the real data (see tests/fixtures/SOURCES.md): a time value's precision says what
it means (11 day, 10 month, 9 year) whatever the digits say, so "+1931-01-01T00:00:00Z" and
"+2015-00-00T00:00:00Z" at precision 9 are both years; a `somevalue` snak (an unknown date)
has no `datavalue`; one statement can carry several P291 (place of publication) qualifiers;
deprecated statements are superseded ones; references carry the source (P854 URL, P248 stated
in) and the day it was read (P813).

Entity JSON names other items only by id: a director, a cast member, a franchise or a place is
taken when `labels` (id -> name, from other entities in the same file or fetched) names it.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Mapping
from typing import Any

from tracker.countries import CODES
from tracker.dates import TBA, FuzzyDate
from tracker.errors import BadFile
from tracker.exchange.remote_records import (
    CreditEntry,
    FilmRecord,
    LocationEntry,
    ReleaseEntry,
    clean,
)

SITE = "https://www.wikidata.org/wiki/"
QUERY_SERVICE = "https://query.wikidata.org/"
ENTITY_URI = re.compile(r"^https?://www\.wikidata\.org/(?:entity|wiki)/(Q\d+)$")
TIME = re.compile(r"^([+-]?)(\d{1,16})-(\d{2})-(\d{2})T")
PRECISIONS = {11: "day", 10: "month", 9: "year"}
RELEASE_TYPE = "theatrical"  # P577 is the publication date; Wikidata has no release types


@functools.cache
def country_items() -> dict[str, str]:
    """Wikidata country item -> ISO 3166-1 alpha-2, from the bundled table (rows whose code
    is not an ISO one, such as Kosovo's XK, are left out)."""
    from importlib.resources import files

    table = files("tracker.exchange").joinpath("data/wikidata-countries.tsv").read_text("utf-8")
    mapping = {}
    for line in table.splitlines()[1:]:
        qid, code, *_ = line.split("\t")
        if code in CODES:
            mapping[qid] = code
    return mapping


def time_value(value: Mapping[str, Any]) -> FuzzyDate | None:
    """A Wikidata time value at day, month or year precision; None for anything else
    (a decade, a BCE date, an impossible day)."""
    match = TIME.match(str(value.get("time", "")))
    precision = PRECISIONS.get(value.get("precision"))  # type: ignore[arg-type]
    if not match or precision is None or match.group(1) == "-":
        return None
    year, month, day = (int(part) for part in match.groups()[1:])
    try:
        if precision == "year":
            return FuzzyDate("year", year)
        if precision == "month":
            return FuzzyDate("month", year, month)
        return FuzzyDate("day", year, month, day)
    except Exception:  # InvalidDate: a month or day of 00 at a finer precision
        return None


def _snak_value(snak: Mapping[str, Any]) -> Any:
    return (snak.get("datavalue") or {}).get("value")


def _item(snak: Mapping[str, Any]) -> str | None:
    value = _snak_value(snak)
    return value.get("id") if isinstance(value, dict) else None


def _statements(entity: Mapping[str, Any], prop: str) -> list[dict[str, Any]]:
    """A property's statements that still stand: deprecated ones are superseded."""
    claims = (entity.get("claims") or {}).get(prop) or []
    return [claim for claim in claims if claim.get("rank") != "deprecated"]


def _first_string(entity: Mapping[str, Any], prop: str) -> str | None:
    for claim in _statements(entity, prop):
        value = _snak_value(claim.get("mainsnak") or {})
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _reference(claim: Mapping[str, Any], entity_source: str) -> tuple[str, datetime.date | None]:
    """The statement's source (P854 URL, else P248 stated in, else the entity's address) and
    the day it was retrieved (P813), if a reference says."""
    urls, stated, retrieved = [], [], []
    for reference in claim.get("references") or []:
        snaks = reference.get("snaks") or {}
        urls += [_snak_value(s) for s in snaks.get("P854") or [] if _snak_value(s)]
        stated += [_item(s) for s in snaks.get("P248") or [] if _item(s)]
        for snak in snaks.get("P813") or []:
            date = time_value(_snak_value(snak) or {})
            if date is not None and date.start is not None and date.precision == "day":
                retrieved.append(date.start)
    source = urls[0] if urls else f"{SITE}{stated[0]}" if stated else entity_source
    return str(source), (min(retrieved) if retrieved else None)


def _releases(entity: Mapping[str, Any], source: str, record: FilmRecord) -> None:
    countries = country_items()
    for claim in _statements(entity, "P577"):
        snak = claim.get("mainsnak") or {}
        if snak.get("snaktype") == "somevalue":
            date: FuzzyDate | None = TBA
        elif snak.get("snaktype") == "value":
            date = time_value(_snak_value(snak) or {})
        else:  # novalue: says there is none
            continue
        if date is None:
            record.skipped += 1
            continue
        where: list[str | None] = []
        for qualifier in (claim.get("qualifiers") or {}).get("P291") or []:
            item = _item(qualifier)
            if item in countries:
                where.append(countries[item])
            else:
                record.skipped += 1
        if not (claim.get("qualifiers") or {}).get("P291"):
            where = [None]
        cited, announced = _reference(claim, source)
        for country in where:
            record.releases.append(
                ReleaseEntry(country, RELEASE_TYPE, date, None, None, announced, cited)
            )


def _label(entity: Mapping[str, Any]) -> str | None:
    labels = entity.get("labels") or {}
    chosen = labels.get("en") or next(iter(labels.values()), None)
    return clean(chosen.get("value")) if isinstance(chosen, dict) else None


def read_entity(entity: Mapping[str, Any], labels: Mapping[str, str]) -> FilmRecord:
    qid = str(entity.get("id") or entity.get("title") or "")
    source = f"{SITE}{qid}"
    record = FilmRecord(ids={"wikidata": qid} if qid else {}, source=source)
    for scheme, prop in (("imdb", "P345"), ("tmdb", "P4947")):
        value = _first_string(entity, prop)
        if value:
            record.ids[scheme] = value
    titles = [
        clean((_snak_value(claim.get("mainsnak") or {}) or {}).get("text"))
        for claim in _statements(entity, "P1476")
    ]
    record.title = next((title for title in titles if title), None) or _label(entity)
    _releases(entity, source, record)
    years = [entry.date.year for entry in record.releases if entry.date.year]
    record.year = min(years) if years else None
    for claim in _statements(entity, "P179"):
        series = _item(claim.get("mainsnak") or {}) or ""
        if series in labels:
            record.franchise = labels[series]
            ordinals = (claim.get("qualifiers") or {}).get("P1545") or []
            number = str(_snak_value(ordinals[0]) or "") if ordinals else ""
            record.instalment = int(number) if number.isdigit() else None
            break
    if record.instalment is None and (_first_string(entity, "P1545") or "").isdigit():
        record.instalment = int(_first_string(entity, "P1545") or "")
    for prop, role in (("P57", "director"), ("P161", "cast")):
        for claim in _statements(entity, prop):
            person = _item(claim.get("mainsnak") or {}) or ""
            if person in labels:
                record.credits.append(CreditEntry(labels[person], role))
            else:
                record.skipped += 1
    for claim in _statements(entity, "P915"):
        place = _item(claim.get("mainsnak") or {}) or ""
        if place in labels:
            record.locations.append(LocationEntry(labels[place], country_items().get(place)))
        else:
            record.skipped += 1
    return record


def read_entities(data: Mapping[str, Any], labels: Mapping[str, str] = {}) -> list[FilmRecord]:
    """`{"entities": {...}}` (or one bare entity): every entity with a P577, P1476, P345 or
    P4947 is a film; the others (people, places) only lend their labels."""
    entities = data.get("entities")
    found = list(entities.values()) if isinstance(entities, dict) else [data]
    named = {str(e.get("id")): _label(e) for e in found if isinstance(e, dict) and _label(e)}
    known = {**{k: v for k, v in named.items() if v}, **labels}
    film_props = ("P577", "P1476", "P345", "P4947")
    return [
        read_entity(entity, known)
        for entity in found
        if isinstance(entity, dict) and any(p in (entity.get("claims") or {}) for p in film_props)
    ]


# SPARQL results: a film's variables, by the names a query gives them.
TITLE_VARS = ("title", "originalTitle", "itemLabel", "filmLabel", "label")
ITEM_VARS = ("item", "film")


def _binding(row: Mapping[str, Any], *names: str) -> str | None:
    for name in names:
        value = clean((row.get(name) or {}).get("value"))
        if value:
            return value
    return None


def sparql_date(text: str, precision: str | None) -> FuzzyDate | None:
    """A SPARQL dateTime. Without a precision variable, a 1 January is a year: that is how
    Wikidata writes a year ("+1931-01-01"), and claiming a day nobody gave is worse."""
    match = TIME.match(text if text[:1] in "+-" else f"+{text}")
    if not match:
        return None
    level = {"11": 11, "10": 10, "9": 9}.get(precision or "")
    if level is None:
        level = 9 if match.group(3, 4) == ("01", "01") else 11
    return time_value({"time": text, "precision": level})


def read_sparql(data: Mapping[str, Any], labels: Mapping[str, str] = {}) -> list[FilmRecord]:
    """Query-service JSON: rows grouped by film (`?item`, else the title). Variables read:
    item/film, title/originalTitle/itemLabel/label, publicationDate (+ publicationDatePrecision,
    placeOfPublication), imdbId, tmdbId, directorLabel, castLabel, seriesLabel, seriesOrdinal,
    filmingLocationLabel (+ filmingLocation)."""
    rows = (data.get("results") or {}).get("bindings")
    if not isinstance(rows, list):
        raise BadFile("a SPARQL result without results.bindings")
    films: dict[str, FilmRecord] = {}
    countries = country_items()
    for row in rows:
        item_match = ENTITY_URI.match(_binding(row, *ITEM_VARS) or "")
        qid = item_match.group(1) if item_match else None
        title = _binding(row, *TITLE_VARS)
        key = qid or title
        if key is None:
            continue
        source = f"{SITE}{qid}" if qid else _binding(row, "wikiLink") or QUERY_SERVICE
        record = films.setdefault(
            key, FilmRecord(ids={"wikidata": qid} if qid else {}, source=source)
        )
        record.title = record.title or title
        for scheme, name in (("imdb", "imdbId"), ("tmdb", "tmdbId")):
            if _binding(row, name):
                record.ids[scheme] = str(_binding(row, name))
        text = _binding(row, "publicationDate", "date")
        if text:
            date = sparql_date(text, _binding(row, "publicationDatePrecision"))
            place = ENTITY_URI.match(_binding(row, "placeOfPublication") or "")
            country = countries.get(place.group(1)) if place else None
            if date is None or (place and country is None):
                record.skipped += 1
            else:
                entry = ReleaseEntry(country, RELEASE_TYPE, date, None, None, None, source)
                if entry not in record.releases:
                    record.releases.append(entry)
        for name, role in (("directorLabel", "director"), ("castLabel", "cast")):
            person = _binding(row, name)
            if person and CreditEntry(person, role) not in record.credits:
                record.credits.append(CreditEntry(person, role))
        record.franchise = record.franchise or _binding(row, "seriesLabel")
        ordinal = _binding(row, "seriesOrdinal") or ""
        record.instalment = record.instalment or (int(ordinal) if ordinal.isdigit() else None)
        location = _binding(row, "filmingLocationLabel")
        if location:
            item = ENTITY_URI.match(_binding(row, "filmingLocation") or "")
            entry_place = LocationEntry(location, countries.get(item.group(1)) if item else None)
            if entry_place not in record.locations:
                record.locations.append(entry_place)
    for record in films.values():
        years = [entry.date.year for entry in record.releases if entry.date.year]
        record.year = min(years) if years else None
    return list(films.values())


def read(data: object, labels: Mapping[str, str] = {}) -> list[FilmRecord]:
    """Every film an entity JSON document or a SPARQL JSON result describes."""
    if not isinstance(data, dict):
        raise BadFile("not Wikidata entity JSON or a SPARQL JSON result")
    try:
        if "results" in data and "head" in data:
            return read_sparql(data, labels)
        if isinstance(data.get("entities"), dict) or "claims" in data:
            return read_entities(data, labels)
    except (AttributeError, TypeError, KeyError, ValueError) as error:
        raise BadFile(f"Wikidata JSON of an unexpected shape ({error!r})") from None
    raise BadFile('not Wikidata entity JSON ({"entities": ...}) or a SPARQL JSON result')


def referenced_items(data: object) -> list[str]:
    """Items the films of an entity document name (people, series, places), for fetching
    their labels."""
    if not isinstance(data, dict) or not isinstance(data.get("entities"), dict):
        return []
    wanted: list[str] = []
    for entity in data["entities"].values():
        for prop in ("P57", "P161", "P179", "P915"):
            for claim in _statements(entity, prop):
                item = _item(claim.get("mainsnak") or {})
                if item and item not in wanted and item not in data["entities"]:
                    wanted.append(item)
    return wanted
