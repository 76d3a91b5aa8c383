"""`fetch` and `sync`: TMDB and Wikidata resources got over HTTPS and imported as history.

Everything is fetched before anything is written, and all is written in one transaction: a
failed fetch changes nothing. `sync` refetches films by the ids they hold and records each
change as an announcement dated today (run weekly, it builds the date history no service
keeps).
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Callable, Sequence
from typing import Any

from tracker.errors import InvalidValue
from tracker.exchange.remote_import import (
    ImportReport,
    tmdb_records,
    wikidata_records,
    write_all,
)
from tracker.exchange.remote_records import FilmRecord
from tracker.records import Film
from tracker.store import Store

SOURCES = ("tmdb", "wikidata")
TMDB_ID = re.compile(r"^(?:(movie|collection)/)?(\d+)(?:/(release_dates|changes))?$")
QID = re.compile(r"^Q\d+$")
MOVIE_APPENDS = "release_dates,alternative_titles,credits"
LABELS_PER_REQUEST = 50  # wbgetentities' limit
Progress = Callable[[int, int], None] | None
Parsed = list[tuple[str, list[FilmRecord]]]


def tmdb_resource(text: str) -> tuple[str, int]:
    """'603' or 'movie/603' -> ('movie', 603); 'collection/264' -> ('collection', 264);
    '603/changes' -> ('changes', 603); '603/release_dates' -> ('release_dates', 603)."""
    match = TMDB_ID.match(text.strip())
    if not match or (match.group(1) == "collection" and match.group(3)):
        raise InvalidValue(
            f"'{text}' is not a TMDB id: write 603, movie/603, 603/release_dates, 603/changes"
            " or collection/264"
        )
    return match.group(3) or match.group(1) or "movie", int(match.group(2))


def wikidata_item(text: str) -> str:
    qid = text.strip().upper()
    if not QID.match(qid):
        raise InvalidValue(f"'{text}' is not a Wikidata item id (Q followed by digits)")
    return qid


def get_tmdb(client: Any, kind: str, number: int) -> Any:
    if kind == "collection":
        return client.get_json(f"/collection/{number}", what=f"collection {number}")
    if kind in ("release_dates", "changes"):  # changes: TMDB's last 24 hours
        return client.get_json(f"/movie/{number}/{kind}", what=f"movie {number} {kind}")
    return client.get_json(
        f"/movie/{number}", {"append_to_response": MOVIE_APPENDS}, what=f"movie {number}"
    )


def get_wikidata(client: Any, qid: str) -> tuple[Any, dict[str, str]]:
    """An item's entity JSON, and the English labels of the items it names."""
    from tracker.exchange.wikidata import referenced_items

    data = client.get_json(f"/wiki/Special:EntityData/{qid}.json", what=f"item {qid}")
    wanted = referenced_items(data)
    labels: dict[str, str] = {}
    for start in range(0, len(wanted), LABELS_PER_REQUEST):
        chunk = wanted[start : start + LABELS_PER_REQUEST]
        answer = client.get_json(
            "/w/api.php",
            {
                "action": "wbgetentities",
                "ids": "|".join(chunk),
                "props": "labels",
                "languages": "en",
                "format": "json",
            },
            what=f"labels of {len(chunk)} items",
        )
        for item, entity in ((answer or {}).get("entities") or {}).items():
            label = ((entity.get("labels") or {}).get("en") or {}).get("value")
            if label:
                labels[item] = label
    return data, labels


def fetch_tmdb(
    store: Store,
    ids: Sequence[str],
    *,
    today: datetime.date,
    client: Any = None,
    progress: Progress = None,
) -> list[ImportReport]:
    from tracker.exchange.web import tmdb_client

    wanted = [tmdb_resource(text) for text in ids]
    parsed: Parsed = []
    with client or tmdb_client() as http:
        for done, (kind, number) in enumerate(wanted, start=1):
            name = f"tmdb {kind} {number}"
            parsed.append((name, tmdb_records(get_tmdb(http, kind, number), name, number)))
            if progress:
                progress(done, len(wanted))
    return write_all(store, parsed, today=today)


def fetch_wikidata(
    store: Store,
    qids: Sequence[str],
    *,
    today: datetime.date,
    client: Any = None,
    progress: Progress = None,
) -> list[ImportReport]:
    from tracker.exchange.web import wikidata_client

    wanted = [wikidata_item(text) for text in qids]
    parsed: Parsed = []
    with client or wikidata_client() as http:
        for done, qid in enumerate(wanted, start=1):
            data, labels = get_wikidata(http, qid)
            name = f"wikidata {qid}"
            parsed.append((name, wikidata_records(data, name, labels)))
            if progress:
                progress(done, len(wanted))
    return write_all(store, parsed, today=today)


def sync_targets(
    store: Store, films: Sequence[Film], source: str | None
) -> list[tuple[Film, str, str]]:
    """(film, scheme, id) to refetch: the named films, else every film holding an id."""
    from tracker.domain.films import get_film
    from tracker.domain.identifiers import external_ids_of

    schemes = [source] if source else list(SOURCES)
    if not films:
        rows = store.rows(
            f"SELECT DISTINCT film_id FROM external_ids WHERE scheme IN"
            f" ({', '.join('?' for _ in schemes)}) ORDER BY film_id",
            schemes,
        )
        films = [get_film(store, row["film_id"]) for row in rows]
    targets = []
    for film in films:
        ids = external_ids_of(store, film.id)
        held = [(film, scheme, ids[scheme]) for scheme in schemes if scheme in ids]
        if not held:
            where = source or "tmdb or wikidata"
            raise InvalidValue(f"{film.label} has no {where} id: `tracker fetch` it first")
        targets += held
    return targets


def _as_of_today(records: list[FilmRecord]) -> list[FilmRecord]:
    """What a sync sees is published today (not on a reference's older retrieval day)."""
    return [
        dataclasses.replace(
            record,
            releases=[dataclasses.replace(entry, announced=None) for entry in record.releases],
        )
        for record in records
    ]


def sync(
    store: Store,
    films: Sequence[Film],
    *,
    source: str | None,
    today: datetime.date,
    clients: dict[str, Any] | None = None,
    progress: Progress = None,
) -> list[ImportReport]:
    from tracker.exchange.web import tmdb_client, wikidata_client

    if source is not None and source not in SOURCES:
        raise InvalidValue(f"unknown source '{source}' (valid: {', '.join(SOURCES)})")
    targets = sync_targets(store, films, source)
    if not targets:
        raise InvalidValue("no film holds a tmdb or wikidata id yet: `tracker fetch` some first")
    clients = dict(clients or {})
    parsed: Parsed = []
    try:
        for done, (film, scheme, value) in enumerate(targets, start=1):
            if scheme not in clients:
                clients[scheme] = tmdb_client() if scheme == "tmdb" else wikidata_client()
            http = clients[scheme]
            name = f"{film.title} ({scheme} {value})"
            if scheme == "tmdb":
                kind, number = tmdb_resource(value)
                records = tmdb_records(get_tmdb(http, kind, number), name, number)
            else:
                data, labels = get_wikidata(http, wikidata_item(value))
                records = wikidata_records(data, name, labels)
            parsed.append((name, _as_of_today(records)))
            if progress:
                progress(done, len(targets))
    finally:
        for http in clients.values():
            http.__exit__(None, None, None)
    return write_all(store, parsed, today=today)
