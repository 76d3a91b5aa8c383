"""Letterboxd's CSV files: its export (watchlist.csv, diary.csv, watched.csv) read into the
default watchlist and the diary, and a file its importer accepts written out.

Films are matched by title (or alias) and year; unknown ones are added. Importing the same
file again changes nothing: a film already on the list, or an identical viewing already in
the diary, is skipped.
"""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from tracker.errors import BadFile, TrackerError
from tracker.store import Store

BASE_COLUMNS = ("Date", "Name", "Year", "Letterboxd URI")
DIARY_COLUMNS = ("Watched Date", "Rating")
KINDS = ("watchlist", "diary", "watched")
# Letterboxd's import format (https://letterboxd.com/about/importing-data/).
EXPORT_COLUMNS = ("Title", "Year", "WatchedDate", "Rating", "Review")


@dataclass
class LetterboxdResult:
    kind: str
    rows: int
    films_added: int
    entries_added: int
    skipped: int


def detect_kind(path: Path, header: list[str], kind: str | None) -> str:
    """Which Letterboxd file this is, from its columns (and, for the two files that share
    their columns, its name)."""
    missing = [column for column in BASE_COLUMNS if column not in header]
    if missing:
        raise BadFile(
            f"{path}: not a Letterboxd watchlist.csv, diary.csv or watched.csv"
            f" (missing column{'s' * (len(missing) > 1)} {', '.join(missing)};"
            f" expected {', '.join(BASE_COLUMNS)}, and for a diary {', '.join(DIARY_COLUMNS)})"
        )
    is_diary = all(column in header for column in DIARY_COLUMNS)
    if kind is not None:
        from tracker.choices import choose

        kind = choose(kind, KINDS, "Letterboxd file kind")
        if kind == "diary" and not is_diary:
            raise BadFile(f"{path}: a diary file needs the columns {', '.join(DIARY_COLUMNS)}")
        return kind
    if is_diary:
        return "diary"
    stem = path.stem.lower()
    for name in ("watchlist", "watched"):
        if name in stem:
            return name
    raise BadFile(
        f"{path}: watchlist.csv and watched.csv have the same columns; name the file"
        " watchlist.csv or watched.csv, or pass --kind watchlist|watched"
    )


def _find_or_add(store: Store, title: str, year: int | None, cache: dict[Any, int]) -> int:
    from tracker.domain.films import insert_film, match_title_year

    key = (title.casefold(), year)
    if key in cache:
        return cache[key]
    found = match_title_year(store, title, year)
    if found is not None:
        cache[key] = found.id
        return found.id
    film_id = insert_film(store, title, year=year)
    cache[key] = film_id
    cache[("new", film_id)] = 1
    return film_id


def _day(text: str, what: str) -> datetime.date:
    from tracker.dates import parse_day

    return parse_day(text) if text.strip() else _missing(what)


def _missing(what: str) -> datetime.date:
    raise BadFile(f"{what}: cannot be empty")


def import_file(
    store: Store, path: Path, *, today: datetime.date, kind: str | None = None
) -> LetterboxdResult:
    """Read one Letterboxd export file, all or nothing."""
    from tracker.domain.diary import has_viewing, parse_rating, record_viewing
    from tracker.domain.films import get_film
    from tracker.domain.watchlists import DEFAULT_LIST, add_entry, get_list
    from tracker.exchange.csv import open_csv

    raw, text = open_csv(path)
    with raw:
        reader = csv.DictReader(text)
        try:
            header = [name.strip() for name in reader.fieldnames or []]
        except (csv.Error, UnicodeDecodeError) as error:
            raise BadFile(f"{path}: cannot read: {error}") from None
        reader.fieldnames = header
        found = detect_kind(path, header, kind)
        cache: dict[Any, int] = {}
        rows = added = skipped = 0
        with store.transaction():
            watchlist = get_list(store, DEFAULT_LIST, create_default=True)
            start = 1
            try:
                for row in reader:
                    line, start = start + 1, reader.line_num
                    if not any((value or "").strip() for value in row.values()):
                        continue
                    rows += 1
                    try:
                        name = (row.get("Name") or "").strip()
                        year_text = (row.get("Year") or "").strip()
                        if not year_text.isdigit() and year_text:
                            raise BadFile(f"Year: '{year_text}' is not a year")
                        year = int(year_text) if year_text else None
                        film = get_film(store, _find_or_add(store, name, year, cache))
                        if found == "watchlist":
                            new = add_entry(
                                store,
                                watchlist,
                                film,
                                today=today,
                                added=_day(row.get("Date") or "", "Date"),
                            )
                        else:
                            seen = (row.get("Watched Date") or "").strip() or (
                                row.get("Date") or ""
                            )
                            seen_on = _day(seen, "Watched Date")
                            rating = parse_rating(row.get("Rating") or "")
                            new = not has_viewing(store, film.id, seen_on, rating, None)
                            if new:
                                record_viewing(
                                    store, film, seen_on=seen_on, today=today, rating=rating
                                )
                    except TrackerError as error:
                        raise BadFile(f"{path}: line {line}: {error}") from None
                    added += new
                    skipped += not new
            except csv.Error as error:
                raise BadFile(f"{path}: line {reader.line_num}: {error}") from None
            except UnicodeDecodeError:
                raise BadFile(f"{path}: line {start + 1}: not UTF-8 text") from None
    films_added = sum(1 for key in cache if isinstance(key, tuple) and key[0] == "new")
    return LetterboxdResult(found, rows, films_added, added, skipped)


def export(store: Store, out: IO[str], *, watchlist: str | None = None) -> int:
    """The diary (one row per viewing, note as review), or a list's films, in Letterboxd's
    import format; returns the row count."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    if watchlist is not None:
        from tracker.domain.watchlists import get_list

        rows = store.rows(
            "SELECT f.title, f.year, NULL AS seen_on, NULL AS rating, e.note"
            " FROM watchlist_entries e JOIN films f ON f.id = e.film_id"
            " WHERE e.watchlist_id = ? ORDER BY e.id",
            [get_list(store, watchlist).id],
        )
    else:
        rows = store.rows(
            "SELECT f.title, f.year, v.seen_on, v.rating, v.note"
            " FROM viewings v JOIN films f ON f.id = v.film_id ORDER BY v.seen_on, v.id"
        )
    for row in rows:
        rating = row["rating"]
        writer.writerow(
            [
                row["title"],
                row["year"] or "",
                row["seen_on"] or "",
                "" if rating is None else f"{rating:g}",
                row["note"] or "",
            ]
        )
    return len(rows)
