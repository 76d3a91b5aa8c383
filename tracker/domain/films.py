"""Films: adding, naming, editing, removing, and their status over time."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from tracker.choices import DEFAULT_STATUS, STATUSES, choose
from tracker.dates import FuzzyDate, of_day
from tracker.errors import AmbiguousFilm, DuplicateFilm, FilmNotFound, InvalidValue
from tracker.names import name_key
from tracker.store import Store
from tracker.store.migrations import FILM_CHILD_TABLES
from tracker.validation import check_instalment, check_year, clean_optional, clean_text

ID_PATTERN = re.compile(r"^#\s*(\d+)$")
TITLE_YEAR_PATTERN = re.compile(r"^(.*\S)\s*\((\d{4})\)$")
INSTALMENT_PATTERN = re.compile(r"^(.*\S)\s+(\d{1,3})$")
FILM_COLUMNS = "id, title, year, franchise, instalment"


@dataclass(frozen=True)
class Film:
    id: int
    title: str
    year: int | None
    franchise: str | None
    instalment: int | None

    @property
    def label(self) -> str:
        """How a film is named in messages: "Title (1996) #1"."""
        year = f" ({self.year})" if self.year else ""
        return f"{self.title}{year} #{self.id}"


def _film(row: Any) -> Film:
    return Film(row["id"], row["title"], row["year"], row["franchise"], row["instalment"])


def get_film(store: Store, film_id: int) -> Film:
    row = store.row(f"SELECT {FILM_COLUMNS} FROM films WHERE id = ?", [film_id])
    if row is None:
        raise FilmNotFound(f"no film #{film_id}")
    return _film(row)


def _films_where(store: Store, where: str, params: list[Any]) -> list[Film]:
    rows = store.rows(
        f"SELECT {FILM_COLUMNS} FROM films WHERE {where} ORDER BY year, id LIMIT 21", params
    )
    return [_film(row) for row in rows]


def _by_name(store: Store, key: str, year: int | None = None) -> list[Film]:
    year_clause = "" if year is None else " AND year = ?"
    year_params = [] if year is None else [year]
    films = _films_where(store, "title_key = ?" + year_clause, [key, *year_params])
    if films:
        return films
    return _films_where(
        store,
        "id IN (SELECT film_id FROM aliases WHERE alias_key = ?)" + year_clause,
        [key, *year_params],
    )


def _only(films: list[Film], name: str) -> Film:
    if len(films) == 1:
        return films[0]
    shown = ", ".join(film.label for film in films[:10])
    more = f" and {len(films) - 10} more" if len(films) > 10 else ""
    raise AmbiguousFilm(
        f"'{name}' matches {len(films)}{'+' if len(films) > 20 else ''} films: {shown}{more};"
        " name one by #ID or 'Title (YEAR)'"
    )


def resolve(store: Store, name: str) -> Film:
    """Find the film a user means: #ID, title or alias, Title (YEAR), FRANCHISE N, or a
    unique part of a title."""
    text = name.strip()
    if not text:
        raise FilmNotFound("no film named ''")
    by_id = ID_PATTERN.match(text)
    if by_id and int(by_id.group(1)) >= 2**63:  # beyond any SQLite integer
        raise FilmNotFound(f"no film #{by_id.group(1)[:30]}")
    if by_id:
        films = _films_where(store, "id = ?", [int(by_id.group(1))])
        if films:
            return films[0]
    key = text.casefold()
    films = _by_name(store, key)
    if films:
        return _only(films, text)
    if by_id:  # a title that looks like "#2" still names its film, else it is an id
        raise FilmNotFound(f"no film #{by_id.group(1)}")
    with_year = TITLE_YEAR_PATTERN.match(text)
    if with_year:
        films = _by_name(store, with_year.group(1).casefold(), int(with_year.group(2)))
        if films:
            return _only(films, text)
    instalment = INSTALMENT_PATTERN.match(text)
    if instalment:
        films = _films_where(
            store,
            "franchise = ? COLLATE NOCASE AND instalment = ?",
            [instalment.group(1), int(instalment.group(2))],
        )
        if films:
            return _only(films, text)
    films = _films_where(
        store,
        "instr(title_key, ?) > 0 OR id IN (SELECT film_id FROM aliases WHERE instr(alias_key, ?) > 0)",
        [key, key],
    )
    if films:
        return _only(films, text)
    raise FilmNotFound(f"no film matches '{text}' (see `tracker list`)")


def match_title_year(store: Store, title: str, year: int | None) -> Film | None:
    """The film an importer's (title, year) names: by title, then by alias or former title;
    None when there is none. Importers call this before adding a film, so one film is never
    made twice."""
    key = name_key(title)
    row = store.row(
        "SELECT id FROM films WHERE title_key = ? AND year IS ? ORDER BY id LIMIT 1", [key, year]
    ) or store.row(
        "SELECT f.id FROM films f WHERE f.year IS ? AND f.id IN (SELECT film_id FROM aliases"
        " WHERE alias_key = ? UNION SELECT film_id FROM titles WHERE title_key = ?)"
        " ORDER BY f.id LIMIT 1",
        [year, key, key],
    )
    return get_film(store, row["id"]) if row is not None else None


def _check_unique(store: Store, title: str, year: int | None, except_id: int = 0) -> None:
    clash = store.row(
        "SELECT id, title FROM films WHERE title_key = ? AND year IS ? AND id != ?",
        [title.casefold(), year, except_id],
    )
    if clash:
        when = f" ({year})" if year else ""
        raise DuplicateFilm(
            f"{clash['title']}{when} is already tracked as #{clash['id']};"
            " give a different --year for a remake"
        )


def add_alias(store: Store, film_id: int, alias: str) -> None:
    alias = clean_text(alias, "an alias")
    store.conn.execute(
        "INSERT OR IGNORE INTO aliases (film_id, alias, alias_key) VALUES (?, ?, ?)",
        [film_id, alias, alias.casefold()],
    )


def insert_film(
    store: Store,
    title: str,
    *,
    year: int | None = None,
    franchise: str | None = None,
    instalment: int | None = None,
    aliases: tuple[str, ...] | list[str] = (),
    film_id: int | None = None,
) -> int:
    """Insert a checked film row and its aliases; no status. Call inside a transaction."""
    title = clean_text(title, "a title")
    year = check_year(year)
    _check_unique(store, title, year)
    record: dict[str, Any] = {
        "title": title,
        "title_key": title.casefold(),
        "year": year,
        "franchise": clean_optional(franchise, "a franchise"),
        "instalment": check_instalment(instalment),
    }
    if film_id is not None:
        record["id"] = film_id
    new_id = store.insert("films", record)
    for alias in aliases:
        add_alias(store, new_id, alias)
    return new_id


def add_film(
    store: Store,
    title: str,
    *,
    today: datetime.date,
    year: int | None = None,
    franchise: str | None = None,
    instalment: int | None = None,
    status: str = DEFAULT_STATUS,
    aliases: tuple[str, ...] | list[str] = (),
) -> Film:
    """A new film with its first status as of `today`. Call inside a transaction."""
    status = choose(status, STATUSES, "status")
    new_id = insert_film(
        store, title, year=year, franchise=franchise, instalment=instalment, aliases=aliases
    )
    record_status(store, new_id, status, of_day(today))
    return get_film(store, new_id)


def edit_film(
    store: Store,
    film: Film,
    *,
    title: str | None = None,
    year: int | None = None,
    franchise: str | None = None,
    instalment: int | None = None,
    aliases: tuple[str, ...] | list[str] = (),
) -> Film:
    """Change a film's names and numbers; a replaced title stays findable as an alias."""
    new_title = film.title if title is None else clean_text(title, "a title")
    new_year = film.year if year is None else check_year(year)
    _check_unique(store, new_title, new_year, except_id=film.id)
    store.conn.execute(
        "UPDATE films SET title = ?, title_key = ?, year = ?, franchise = ?, instalment = ?"
        " WHERE id = ?",
        [
            new_title,
            new_title.casefold(),
            new_year,
            film.franchise if franchise is None else clean_optional(franchise, "a franchise"),
            film.instalment if instalment is None else check_instalment(instalment),
            film.id,
        ],
    )
    if new_title != film.title:
        add_alias(store, film.id, film.title)
    for alias in aliases:
        add_alias(store, film.id, alias)
    return get_film(store, film.id)


def remove_film(store: Store, film: Film) -> None:
    for table in FILM_CHILD_TABLES:
        store.conn.execute(f"DELETE FROM {table} WHERE film_id = ?", [film.id])
    store.conn.execute("DELETE FROM films WHERE id = ?", [film.id])


def record_status(
    store: Store,
    film_id: int,
    status: str,
    on: FuzzyDate,
    note: str | None = None,
    source: str | None = None,
) -> None:
    status = choose(status, STATUSES, "status")
    if on.start is None:
        raise InvalidValue("a status change needs a date, not TBA")
    store.insert(
        "status_events",
        {
            "film_id": film_id,
            "status": status,
            "on_date": on.iso,
            "on_start": on.start.isoformat(),
            "note": clean_optional(note, "a note"),
            "source": clean_optional(source, "a source"),
        },
    )


STATUS_AS_OF_SQL = (
    "SELECT status FROM status_events WHERE film_id = {film} AND on_start <= {today}"
    " ORDER BY on_start DESC, id DESC LIMIT 1"
)


def status_as_of(store: Store, film_id: int, today: datetime.date) -> str | None:
    value: str | None = store.value(
        STATUS_AS_OF_SQL.format(film="?", today="?"), [film_id, today.isoformat()]
    )
    return value


def film_count(store: Store) -> int:
    return int(store.value("SELECT count(*) FROM films"))


def aliases_of(store: Store, film_id: int) -> list[str]:
    rows = store.rows("SELECT alias FROM aliases WHERE film_id = ? ORDER BY id", [film_id])
    return [row["alias"] for row in rows]


def film_row(film: Film, status: str | None) -> dict[str, Any]:
    return {
        "id": film.id,
        "title": film.title,
        "year": film.year,
        "franchise": film.franchise,
        "instalment": film.instalment,
        "status": status,
    }


def list_films(
    store: Store,
    today: datetime.date,
    *,
    franchise: str | None = None,
    status: str | None = None,
) -> list[dict[str, Any]]:
    where, params = [], [today.isoformat()]
    if franchise:
        where.append("franchise = ? COLLATE NOCASE")
        params.append(franchise.strip())
    status_sql = STATUS_AS_OF_SQL.format(film="films.id", today="?")
    sql = (
        f"SELECT {FILM_COLUMNS}, ({status_sql}) AS status FROM films"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY franchise IS NULL, franchise COLLATE NOCASE, instalment, year IS NULL, year, title_key"
    )
    rows = store.rows(sql, params)
    wanted = choose(status, STATUSES, "status") if status else None
    return [
        film_row(_film(row), row["status"])
        for row in rows
        if wanted is None or row["status"] == wanted
    ]
