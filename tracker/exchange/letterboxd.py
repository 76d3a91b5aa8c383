"""Letterboxd's CSV files: the five files of its export read in, and a file its importer
accepts written out.

- diary.csv, reviews.csv: viewings with Rating, Rewatch, Tags, Review, Watched Date and the
  URI of the Letterboxd diary entry. A review attaches to its diary entry (same entry URI, or
  the same film and day) instead of making a second viewing.
- watched.csv: the film was seen, on a day not known (an undated viewing, which a later
  diary row of the film dates).
- ratings.csv: the film's own rating.
- watchlist.csv: the default watchlist.
- A file in Letterboxd's import format (Title, Year, imdbID, tmdbID, LetterboxdURI,
  WatchedDate, Rating, Rewatch, Tags, Review: what `export letterboxd` writes), so an export
  reads back: a dated row is a viewing, an undated one a film seen on a day not known (and
  its Rating the film's rating); with --kind watchlist, the rows are the default list's.
  Its URI, imdbID and tmdbID name the film.

In watched, ratings and watchlist the URI names the film: it is kept as the film's external
id (scheme "letterboxd") and finds the film first; then (title, year) through
`domain.films.match_title_year`; an unknown film is added. Rows matched by a title that is
not written as the film's are counted as loose matches. Importing a file again changes
nothing. Files are read strictly: an unterminated quote, a header named twice, a row of
another width or a Year that is not four digits is an error naming its line.
"""

from __future__ import annotations

import csv
import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from tracker.errors import BadFile, TrackerError
from tracker.store import Store

SCHEME = "letterboxd"
BASE_COLUMNS = ("Date", "Name", "Year", "Letterboxd URI")
# Each file's header, as Letterboxd writes it (the columns that tell the files apart).
KIND_COLUMNS = {
    "reviews": ("Rating", "Rewatch", "Review", "Tags", "Watched Date"),
    "diary": ("Rating", "Rewatch", "Tags", "Watched Date"),
    "ratings": ("Rating",),
}
KINDS = ("diary", "reviews", "ratings", "watched", "watchlist")
# Letterboxd's import format (https://letterboxd.com/about/importing-data/).
EXPORT_COLUMNS = (
    "Title", "Year", "imdbID", "tmdbID", "LetterboxdURI", "WatchedDate", "Rating", "Rewatch",
    "Tags", "Review",
)  # fmt: skip
IMPORT_FORMAT = "import format"  # the kind of a file in that format read as a diary
FILM_URI_KINDS = ("ratings", "watched", "watchlist", IMPORT_FORMAT)  # else entries' URIs
# The import format's columns under the names the export files give them (Date: none).
_AS_EXPORTED = {"Title": "Name", "LetterboxdURI": "Letterboxd URI", "WatchedDate": "Watched Date"}
_YEAR = re.compile(r"[0-9]{4}")


@dataclass
class LetterboxdResult:
    kind: str
    rows: int = 0
    films_added: int = 0
    entries_added: int = 0
    updated: int = 0
    skipped: int = 0
    # (the row's "Title (Year)", the film it matched) for titles matched loosely.
    loose: list[tuple[str, str]] = field(default_factory=list)


def detect_kind(path: Path, header: list[str], kind: str | None) -> str:
    """Which Letterboxd file this is, from its columns (and, for watched.csv and
    watchlist.csv, which share theirs, from its name or --kind)."""
    if len(set(header)) != len(header):
        twice = sorted({name for name in header if header.count(name) > 1})
        raise BadFile(f"{path}: line 1: column {', '.join(twice)} named twice")
    if _import_format(header):
        if kind is None:
            return IMPORT_FORMAT
        from tracker.choices import choose

        kind = choose(kind, KINDS, "Letterboxd file kind")
        if kind not in ("diary", "watchlist"):
            raise BadFile(
                f"{path}: a file in Letterboxd's import format ({', '.join(EXPORT_COLUMNS)})"
                " is read as a diary, or as a list with --kind watchlist"
            )
        return IMPORT_FORMAT if kind == "diary" else kind
    missing = [column for column in BASE_COLUMNS if column not in header]
    if missing:
        raise BadFile(
            f"{path}: not a Letterboxd export file (missing column"
            f"{'s' * (len(missing) > 1)} {', '.join(missing)}; expected {', '.join(BASE_COLUMNS)}"
            " and the columns of diary.csv, reviews.csv or ratings.csv, or every column"
            f" `export letterboxd` writes: {', '.join(EXPORT_COLUMNS)})"
        )
    found = next(
        (name for name, columns in KIND_COLUMNS.items() if all(c in header for c in columns)),
        None,
    )
    if kind is not None:
        from tracker.choices import choose

        kind = choose(kind, KINDS, "Letterboxd file kind")
        wanted = KIND_COLUMNS.get(kind, ())
        if not all(column in header for column in wanted):
            raise BadFile(f"{path}: a {kind} file needs the columns {', '.join(wanted)}")
        return kind
    if found is not None:
        return found
    stem = path.stem.lower()
    for name in ("watchlist", "watched"):
        if name in stem:
            return name
    raise BadFile(
        f"{path}: watchlist.csv and watched.csv have the same columns; name the file"
        " watchlist.csv or watched.csv, or pass --kind watchlist|watched"
    )


def _import_format(header: list[str]) -> bool:
    """Whether the header is Letterboxd's import format's (every column `export` writes)."""
    return all(column in header for column in EXPORT_COLUMNS) and "Name" not in header


class _Films:
    """Finds (or adds) the film a row names, remembering what it found."""

    def __init__(self, store: Store, result: LetterboxdResult):
        self.store = store
        self.result = result
        self.by_name: dict[tuple[str, int | None], int] = {}

    def find(
        self, title: str, year: int | None, uri: str | None, ids: dict[str, str] | None = None
    ) -> int:
        """The film of a row: by its URI, then by `ids` (scheme: value, such as the import
        format's imdbID), then by title and year; each id it has not got is given to it."""
        from tracker.domain.films import get_film, insert_film, match_title_year
        from tracker.domain.identifiers import (
            external_ids_of,
            film_by_external_id,
            set_external_id,
        )
        from tracker.names import name_key

        ids = {scheme: value for scheme, value in (ids or {}).items() if value}
        by_id = {SCHEME: uri, **ids} if uri is not None else ids
        known = next(
            (f for s, v in by_id.items() if (f := film_by_external_id(self.store, s, v))), None
        )
        film_id = None if known is None else known.id
        key = (name_key(title), year)
        if film_id is None:
            film_id = self.by_name.get(key)
        if film_id is None:
            film = match_title_year(self.store, title, year)
            if film is None:
                film_id = insert_film(self.store, title, year=year)
                self.result.films_added += 1
            else:
                film_id = film.id
                if film.title != title:
                    named = f"{title} ({year})" if year else title
                    self.result.loose.append((named, get_film(self.store, film_id).label))
        self.by_name[key] = film_id
        if uri is not None:
            set_external_id(self.store, film_id, SCHEME, uri)
        has = external_ids_of(self.store, film_id)
        for scheme, value in ids.items():
            if scheme not in has and film_by_external_id(self.store, scheme, value) is None:
                set_external_id(self.store, film_id, scheme, value)
        return film_id


# Letterboxd writes "Yes" or nothing; other tools' spellings of yes and no are read too.
_REWATCH = {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}


def _rewatch(text: str) -> bool:
    """A Rewatch cell: yes or no, or the file is not what it says (an error naming it)."""
    value = _REWATCH.get(text.strip().lower())
    if value is None:
        raise BadFile(f"Rewatch: expected Yes or nothing, not '{text.strip()}'")
    return value


def _day(text: str, what: str) -> datetime.date | None:
    from tracker.dates import parse_day

    text = text.strip()
    if not text:
        return None
    try:
        return parse_day(text)
    except TrackerError as error:
        raise BadFile(f"{what}: {error}") from None


def _year(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not _YEAR.fullmatch(text):
        raise BadFile(f"Year: '{text[:20]}' is not a year")
    return int(text)


def import_file(
    store: Store, path: Path, *, today: datetime.date, kind: str | None = None
) -> LetterboxdResult:
    """Read one Letterboxd export file, all or nothing."""
    from tracker.exchange.csv import open_csv

    raw, text = open_csv(path)
    with raw:
        reader = csv.reader(text, strict=True)
        try:
            header = [name.strip() for name in next(reader, [])]
            found = detect_kind(path, header, kind)
            ours = _import_format(header)  # read under the export files' names
            if ours:
                header = [_AS_EXPORTED.get(name, name) for name in header]
            result = LetterboxdResult(found)
            with store.transaction():
                _import_rows(store, path, reader, header, result, today, restored=ours)
        except csv.Error as error:
            raise BadFile(f"{path}: line {reader.line_num}: {error}") from None
        except UnicodeDecodeError:
            raise BadFile(f"{path}: line {reader.line_num + 1}: not UTF-8 text") from None
    return result


def _import_rows(
    store: Store,
    path: Path,
    reader: Any,
    header: list[str],
    result: LetterboxdResult,
    today: datetime.date,
    *,
    restored: bool = False,
) -> None:
    """`restored`: cells made inert as `export` writes them are read as stored."""
    from tracker.cells import restore
    from tracker.domain.watchlists import DEFAULT_LIST, get_list

    films = _Films(store, result)
    watchlist = get_list(store, DEFAULT_LIST, create_default=True)
    width = len(header)
    end = reader.line_num
    for cells in reader:
        line, end = end + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != width:
            raise BadFile(f"{path}: line {line}: expected {width} cells, found {len(cells)}")
        if restored:
            cells = [restore(value) for value in cells]
        row = dict(zip(header, cells, strict=True))
        row.setdefault("Date", "")  # the import format has no day of the row itself
        result.rows += 1
        try:
            change = _import_row(store, result.kind, row, films, watchlist, today)
        except TrackerError as error:
            raise BadFile(f"{path}: line {line}: {error}") from None
        if change == "added":
            result.entries_added += 1
        elif change == "updated":
            result.updated += 1
        else:
            result.skipped += 1


def _import_row(
    store: Store,
    kind: str,
    row: dict[str, str],
    films: _Films,
    watchlist: Any,
    today: datetime.date,
) -> str:
    """One row in; returns "added", "updated" or "same"."""
    from tracker.domain import diary
    from tracker.domain.films import get_film
    from tracker.domain.watchlists import add_entry

    title = row["Name"].strip()
    year = _year(row["Year"])
    uri = row["Letterboxd URI"].strip() or None
    ids = {"imdb": row.get("imdbID", "").strip(), "tmdb": row.get("tmdbID", "").strip()}
    film_id = films.find(title, year, uri if kind in FILM_URI_KINDS else None, ids)
    if kind == "watchlist":
        added = _day(row["Date"], "Date") or today
        note = row.get("Review", "").strip() or None  # `export --watchlist` writes its note
        film = get_film(store, film_id)
        new = add_entry(store, watchlist, film, today=today, added=added, note=note)
        return "added" if new else "same"
    if kind == IMPORT_FORMAT and not row["Watched Date"].strip():
        return _undated(store, film_id, row, today)
    if kind == "watched":
        if diary.has_seen(store, film_id):
            return "same"
        diary.record_viewing(store, get_film(store, film_id), seen_on=None, today=today)
        return "added"
    rating = diary.parse_rating(row["Rating"])
    if kind == "ratings":
        if rating is None:
            return "same"
        changed = diary.set_film_rating(store, film_id, rating, _day(row["Date"], "Date"))
        return "updated" if changed else "same"
    seen_on = _day(row["Watched Date"], "Watched Date") or _day(row["Date"], "Date")
    if seen_on is None:
        raise BadFile("Watched Date: cannot be empty")
    if kind == IMPORT_FORMAT:
        uri = None  # the film's, not a diary entry's
    fields: dict[str, Any] = {"letterboxd_uri": uri}
    if row["Rewatch"].strip():
        fields["rewatch"] = _rewatch(row["Rewatch"])
    if row["Tags"].strip():
        fields["tags"] = row["Tags"]
    if kind in ("reviews", IMPORT_FORMAT) and row["Review"].strip():
        fields["review"] = row["Review"]
    if rating is not None:
        fields["rating"] = rating
    viewing = diary.find_viewing(store, film_id, seen_on, uri)
    if viewing is None:
        diary.record_viewing(
            store,
            get_film(store, film_id),
            seen_on=seen_on,
            today=today,
            **fields,
        )
        return "added"
    diary.check_seen_on(seen_on, today)
    if viewing["letterboxd_uri"] is not None:
        fields.pop("letterboxd_uri")  # a review's URI never replaces its diary entry's
    changed = diary.fill_viewing(store, viewing, {"seen_on": seen_on.isoformat(), **fields})
    return "updated" if changed else "same"


def _undated(store: Store, film_id: int, row: dict[str, str], today: datetime.date) -> str:
    """An import-format row with no WatchedDate (as `export` writes a film seen on a day not
    known, or rated but never logged): seen, as watched.csv says, and rated, as ratings.csv
    does; "added" when it was not seen yet, else "updated" when the rating changed."""
    from tracker.domain import diary
    from tracker.domain.films import get_film

    rating = diary.parse_rating(row["Rating"])
    changed = rating is not None and diary.set_film_rating(store, film_id, rating, None)
    if diary.has_seen(store, film_id):
        return "updated" if changed else "same"
    fields: dict[str, Any] = {}
    if row["Rewatch"].strip():
        fields["rewatch"] = _rewatch(row["Rewatch"])
    for column in ("Tags", "Review"):
        if row[column].strip():
            fields[column.lower()] = row[column]
    diary.record_viewing(store, get_film(store, film_id), seen_on=None, today=today, **fields)
    return "added"


def export(
    store: Store, out: IO[str], *, today: datetime.date, watchlist: str | None = None
) -> int:
    """The diary as of `today` (one row per viewing by then; films rated but never logged,
    undated), or a list's films added by then, in Letterboxd's import format; each film
    known by then under its title and year of the day; every cell through the neutraliser.
    Returns the row count."""
    from tracker import asof
    from tracker.cells import cell

    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    ids = (
        "(SELECT value FROM external_ids x WHERE x.film_id = f.id AND x.scheme = '{}'"
        " ORDER BY x.id LIMIT 1) AS {}"
    )
    film_cells = (
        f"{asof.title_sql('f.id', 'f.title')} AS title, {asof.year_sql('f.id', 'f.year')} AS year, "
        + ", ".join(ids.format(scheme, scheme) for scheme in ("imdb", "tmdb", SCHEME))
    )
    known = asof.film_known_sql("f.id")
    rated = "(r.rated_on IS NULL OR r.rated_on <= :today)"
    if watchlist is not None:
        from tracker.domain.watchlists import get_list

        rows = store.rows(
            f"SELECT {film_cells}, NULL AS seen_on, NULL AS rating, NULL AS rewatch,"
            " NULL AS tags, e.note AS review"
            " FROM watchlist_entries e JOIN films f ON f.id = e.film_id"
            f" WHERE e.watchlist_id = :watchlist AND {asof.listed_sql('e')} AND {known}"
            " ORDER BY e.id",
            asof.params(today, watchlist=get_list(store, watchlist).id),
        )
    else:
        rows = store.rows(
            f"SELECT * FROM (SELECT {film_cells}, v.seen_on, coalesce(v.rating, r.rating) AS rating,"
            " v.rewatch, v.tags, coalesce(v.review, v.note) AS review, v.id AS entry"
            " FROM viewings v JOIN films f ON f.id = v.film_id"
            f" LEFT JOIN film_ratings r ON r.film_id = f.id AND {rated}"
            f" WHERE (v.seen_on <= :today OR v.seen_on IS NULL) AND {known}"
            f" UNION ALL SELECT {film_cells}, NULL, r.rating, NULL, NULL, NULL, f.id"
            " FROM film_ratings r JOIN films f ON f.id = r.film_id"
            f" WHERE {rated} AND {known} AND NOT EXISTS (SELECT 1 FROM viewings v"
            "   WHERE v.film_id = f.id AND (v.seen_on <= :today OR v.seen_on IS NULL))"
            ") ORDER BY seen_on IS NULL, seen_on, entry",
            asof.params(today),
        )
    for row in rows:
        rating = row["rating"]
        writer.writerow(
            cell(value)
            for value in (
                row["title"],
                row["year"],
                row["imdb"],
                row["tmdb"],
                row[SCHEME],
                row["seen_on"],
                None if rating is None else f"{rating:g}",
                "true" if row["rewatch"] else None,
                row["tags"],
                row["review"],
            )
        )
    return len(rows)
