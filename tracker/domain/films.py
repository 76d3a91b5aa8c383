"""Films: adding, naming, retitling, editing, removing, and recording their status."""

from __future__ import annotations

import datetime
import re
from collections.abc import Collection
from typing import Any

from tracker.choices import DEFAULT_STATUS, STATUSES, choose
from tracker.dates import FuzzyDate, check_happened, from_iso, of_day
from tracker.errors import (
    AmbiguousFilm,
    DuplicateFilm,
    FilmNotFound,
    InvalidValue,
    UnknownFranchise,
)
from tracker.names import compact_key, name_key
from tracker.patterns import pattern
from tracker.records import FILM_COLUMNS, Film
from tracker.records import film_from_row as _film
from tracker.store import Store
from tracker.store.connection import atomic
from tracker.store.migrations import FILM_CHILD_TABLES
from tracker.validation import check_instalment, check_year, clean_optional, clean_text

ID_PATTERN = pattern(r"^#\s*(\d+)$")
EXTERNAL_PATTERN = pattern(r"^(imdb|tmdb|wikidata|letterboxd):\s*(\S.*)$", re.IGNORECASE)
# Matched against a name's key, where "Title (2026)" and "Title 2026" are both "title 2026"
# and "Rocky IV" is "rocky 4".
KEY_YEAR_PATTERN = pattern(r"^(.+) (\d{4})$")
KEY_INSTALMENT_PATTERN = pattern(r"^(.+) (\d{1,3})$")


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
    """Films whose title has this key; else films that had it as a former title or alias."""
    year_clause = "" if year is None else " AND year = ?"
    year_params = [] if year is None else [year]
    films = _films_where(store, "title_key = ?" + year_clause, [key, *year_params])
    if films:
        return films
    # Any title the film ever had (or will have) still names it.
    return _films_where(
        store,
        "id IN (SELECT film_id FROM aliases WHERE alias_key = ?"
        " UNION SELECT film_id FROM titles WHERE title_key = ?)" + year_clause,
        [key, key, *year_params],
    )


def _label(store: Store, film: Film, today: datetime.date | None) -> str:
    """How a message names the film: under its title and year of `today`, if given."""
    if today is None:
        return film.label
    from tracker.asof import film_on

    return film_on(store, film, today).label


def _only(store: Store, films: list[Film], name: str, today: datetime.date | None) -> Film:
    if len(films) == 1:
        return films[0]
    shown = ", ".join(_label(store, film, today) for film in films[:10])
    more = f" and {len(films) - 10} more" if len(films) > 10 else ""
    raise AmbiguousFilm(
        f"'{name}' matches {len(films)}{'+' if len(films) > 20 else ''} films: {shown}{more};"
        " name one by #ID or 'Title (YEAR)'"
    )


def resolve(store: Store, name: str, today: datetime.date | None = None) -> Film:
    """Find the film a user means: #ID, `scheme:id` (imdb:tt0117060), its title or any
    title it had, an alias, Title (YEAR) or Title YEAR, FRANCHISE N, or a unique part of a
    title; all compared by `name_key`, so case, accents, dashes, punctuation, "&" and
    Roman numerals do not matter. An unknown name errors with the closest films; given
    `today`, its messages name films by their title and year of that day."""
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
    external = EXTERNAL_PATTERN.match(text)
    if external:
        from tracker.domain.identifiers import film_by_external_id

        found = film_by_external_id(store, external.group(1).lower(), external.group(2))
        if found is not None:
            return found
    key = name_key(text)
    films = _by_name(store, key)
    if films:
        return _only(store, films, text, today)
    if by_id:  # a title that looks like "#2" still names its film, else it is an id
        raise FilmNotFound(f"no film #{by_id.group(1)}")
    with_year = KEY_YEAR_PATTERN.match(key)
    if with_year:
        films = _by_name(store, with_year.group(1), int(with_year.group(2)))
        if films:
            return _only(store, films, text, today)
    instalment = KEY_INSTALMENT_PATTERN.match(key)
    if instalment:
        films = _in_franchise(store, instalment.group(1), int(instalment.group(2)))
        if films:
            return _only(store, films, text, today)
    films = _by_part(store, key)
    if films:
        return _only(store, films, text, today)
    if text.isdecimal() and len(text) < 19:  # an id without its '#' ("show 5")
        films = _films_where(store, "id = ?", [int(text)])
        if films:
            named = _label(store, films[0], today).rsplit(" #", 1)[0]  # its id is in the hint
            raise FilmNotFound(f"no film matches '{text}'; did you mean #{text} ({named})?")
    raise FilmNotFound(f"no film matches '{text}'{_did_you_mean(store, key, today)}")


def _by_part(store: Store, key: str) -> list[Film]:
    """Films with `key` inside a title, former title or alias; else the same with spaces
    ignored ("spiderman" finds "Spider-Man")."""
    for part, column in ((key, "{}"), (compact_key(key), "replace({}, ' ', '')")):
        title, alias = column.format("title_key"), column.format("alias_key")
        films = _films_where(
            store,
            f"instr({title}, ?) > 0"
            f" OR id IN (SELECT film_id FROM aliases WHERE instr({alias}, ?) > 0)"
            f" OR id IN (SELECT film_id FROM titles WHERE instr({title}, ?) > 0)",
            [part, part, part],
        )
        if films:
            return films
    return []


def _fts_words(key: str) -> list[str]:
    """The words of a key as FTS5 strings (quoted: no word is read as an operator)."""
    return ['"' + word + '"' for word in key.split() if word.isalnum()]


def _in_franchise(store: Store, franchise_key: str, instalment: int) -> list[Film]:
    """Films numbered `instalment` in the franchise whose name has this key."""
    words = _fts_words(franchise_key)
    if not words:
        return []
    rows = store.rows(
        f"SELECT {FILM_COLUMNS} FROM films WHERE instalment = ? AND id IN"
        " (SELECT rowid FROM films_fts WHERE films_fts MATCH ?) ORDER BY year, id",
        [instalment, "franchise : (" + " AND ".join(words) + ")"],
    )
    return [
        _film(row)
        for row in rows
        if row["franchise"] and name_key(row["franchise"]) == franchise_key
    ]


def _did_you_mean(store: Store, key: str, today: datetime.date | None) -> str:
    """ "; did you mean A (2023) #7, B #9?" naming up to three films closest to `key`, or
    " (see `tracker list`)". Runs only when a name matched nothing."""
    import difflib

    words = _fts_words(key)
    prefixes = ['"' + word[:3] + '" *' for word in key.split() if len(word) >= 3 and word.isalnum()]
    scored: dict[int, float] = {}
    if words:
        query = " OR ".join(words + prefixes)
        sources = (
            "SELECT rowid AS film_id, title_key AS name, franchise, instalment FROM films"
            " WHERE rowid IN (SELECT rowid FROM films_fts WHERE films_fts MATCH :q"
            " ORDER BY rank LIMIT 200)",
            "SELECT a.film_id, a.alias_key, NULL, NULL FROM aliases a WHERE a.rowid IN"
            " (SELECT rowid FROM aliases_fts WHERE aliases_fts MATCH :q ORDER BY rank LIMIT 50)",
            "SELECT t.film_id, t.title_key, NULL, NULL FROM titles t WHERE t.rowid IN"
            " (SELECT rowid FROM titles_fts WHERE titles_fts MATCH :q ORDER BY rank LIMIT 50)",
        )
        for sql in sources:
            for row in store.rows(sql, {"q": query}):
                names = [row[1]]
                if row[2] and row[3] is not None:
                    names.append(f"{name_key(row[2])} {row[3]}")
                best = max(difflib.SequenceMatcher(None, key, other).ratio() for other in names)
                scored[row[0]] = max(best, scored.get(row[0], 0.0))
    close = sorted((-score, film_id) for film_id, score in scored.items() if score >= 0.5)[:3]
    if not close:
        return " (see `tracker list` or `tracker search`)"
    return (
        "; did you mean "
        + ", ".join(_label(store, get_film(store, film_id), today) for _, film_id in close)
        + "?"
    )


def franchises(store: Store) -> list[str]:
    return [
        row[0]
        for row in store.rows("SELECT DISTINCT franchise FROM films WHERE franchise IS NOT NULL")
    ]


def known_franchise(store: Store, name: str | None) -> str | None:
    """The franchise a user means, spelled as stored (None stays None); an unknown one
    errors with the closest franchises. Readers call this first, so a misspelt
    --franchise is an error, not an empty listing."""
    if name is None:
        return None
    text = name.strip()
    stored = store.value(
        "SELECT franchise FROM films WHERE franchise = ? COLLATE NOCASE LIMIT 1", [text]
    )
    if stored is not None:
        return str(stored)
    key = name_key(text)
    words = _fts_words(key)
    if words:
        rows = store.conn.execute(
            "SELECT franchise FROM films WHERE rowid IN (SELECT rowid FROM films_fts"
            " WHERE films_fts MATCH ?)",
            ["franchise : (" + " AND ".join(words) + ")"],
        )
        for (franchise,) in rows:
            if franchise and name_key(franchise) == key:
                return str(franchise)
    import difflib

    known = {name_key(franchise): franchise for franchise in franchises(store)}
    for found in known:  # a franchise the index cannot see (one spelled in symbols only)
        if found == key:
            return known[found]
    close = difflib.get_close_matches(key, list(known), n=3, cutoff=0.5)
    hint = "; did you mean " + ", ".join(known[found] for found in close) + "?" if close else ""
    raise UnknownFranchise(f"no franchise '{text}'{hint}")


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


def films_by_former_titles(
    store: Store, keys: Collection[str]
) -> dict[tuple[str, int | None], tuple[int, str]]:
    """`match_title_year` for an importer's batch, by title history only: each (title key,
    year) that a tracked film had, or will have, as another title than its latest, with that
    film's id and latest title. One query (an index lookup per key), not one per row."""
    import json  # only importers need it: not on every command's start-up

    found: dict[tuple[str, int | None], tuple[int, str]] = {}
    # Led by the keys (CROSS JOIN keeps that order), each one probing the titles_key index:
    # `title_key IN (SELECT ...)` would first build an index of the keys, 5 times slower.
    rows = store.conn.execute(
        "SELECT t.title_key, f.year, f.id, f.title FROM json_each(?) AS k"
        " CROSS JOIN titles t ON t.title_key = k.value JOIN films f ON f.id = t.film_id"
        " WHERE t.title_key != f.title_key ORDER BY f.id",
        [json.dumps(list(keys))],
    )
    for key, year, film_id, title in rows:
        found.setdefault((key, year), (film_id, title))
    return found


def _check_unique(store: Store, title: str, year: int | None, except_id: int = 0) -> None:
    """No two films of one year share a title, nor one film's title another's former or
    later one (it would take the name over: the film a name resolves to is the one whose
    latest title it is)."""
    key = name_key(title)
    when = f" ({year})" if year else ""
    clash = store.row(
        "SELECT id, title FROM films WHERE title_key = ? AND year IS ? AND id != ?",
        [key, year, except_id],
    )
    if clash:
        raise DuplicateFilm(
            f"{clash['title']}{when} is already tracked as #{clash['id']};"
            " give a different --year for a remake"
        )
    clash = store.row(
        "SELECT f.id, f.title FROM titles t JOIN films f ON f.id = t.film_id"
        " WHERE t.title_key = ? AND f.year IS ? AND f.id != ? LIMIT 1",
        [key, year, except_id],
    )
    if clash:
        raise DuplicateFilm(
            f"{title}{when} is a title of {clash['title']}, already tracked as"
            f" #{clash['id']}; give a different --year for a remake"
        )


def same_title(store: Store, title: str) -> list[Film]:
    """Films whose title, or any title they had or will have, has the same key as `title`
    (any year), oldest first."""
    key = name_key(title)
    return _films_where(
        store,
        "title_key = ? OR title_key BETWEEN ? AND ?"  # or a key m006 marked as a duplicate
        " OR id IN (SELECT film_id FROM titles WHERE title_key = ?)",
        [key, key + " #0", key + " #9~", key],
    )


def refuse_duplicate(store: Store, title: str, year: int | None) -> None:
    """A new film may share a title (by key) with tracked films only with a year none of
    them has: "Moana" beside Moana (2016) and Moana (2026) is a third film only as a remake."""
    matches = same_title(store, title)
    if matches and (year is None or any(film.year == year for film in matches)):
        found = ", ".join(
            f"{film.year} #{film.id}" if film.year else f"#{film.id}" for film in matches[:10]
        )
        raise DuplicateFilm(
            f"{matches[0].title} already exists ({found}); give --year for a remake"
        )


def add_alias(store: Store, film_id: int, alias: str) -> None:
    """Another name the film is found by. One that repeats a title of the film (any day's)
    is not kept: the title already names it, and an alias has no day, so it would show a
    later title on earlier days."""
    alias = clean_text(alias, "an alias")
    key = name_key(alias)
    # NOT EXISTS rather than OR IGNORE for an alias it has: an ignored row uses up an id.
    store.conn.execute(
        "INSERT INTO aliases (film_id, alias, alias_key) SELECT :film, :alias, :key"
        " WHERE NOT EXISTS (SELECT 1 FROM titles WHERE film_id = :film AND title_key = :key)"
        " AND NOT EXISTS (SELECT 1 FROM films WHERE id = :film AND title_key = :key)"
        " AND NOT EXISTS (SELECT 1 FROM aliases WHERE film_id = :film AND alias_key = :key)",
        {"film": film_id, "alias": alias, "key": key},
    )


def _drop_aliases_repeating(store: Store, film_id: int, title: str) -> None:
    """A title the film takes is no longer also an alias of it (see `add_alias`)."""
    store.conn.execute(
        "DELETE FROM aliases WHERE film_id = ? AND alias_key = ?", [film_id, name_key(title)]
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
    record = film_record(title, year=year, franchise=franchise, instalment=instalment)
    _check_unique(store, record["title"], record["year"])
    if film_id is not None:
        record["id"] = film_id
    new_id = store.insert("films", record)
    for alias in aliases:
        add_alias(store, new_id, alias)
    return new_id


def film_record(
    title: str,
    *,
    year: int | None = None,
    franchise: str | None = None,
    instalment: int | None = None,
) -> dict[str, Any]:
    """A checked row of films (without its id): what every writer of films stores."""
    title = clean_text(title, "a title")
    return {
        "title": title,
        "title_key": name_key(title),
        "year": check_year(year),
        "franchise": clean_optional(franchise, "a franchise"),
        "instalment": check_instalment(instalment),
    }


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
    on: FuzzyDate | None = None,
) -> Film:
    """A new film with its first status, from `on` (any precision, not after today; default
    today). Its title is its first, which holds for every day before a retitle."""
    status = choose(status, STATUSES, "status")
    with store.transaction():
        refuse_duplicate(store, title, year)
        new_id = insert_film(
            store, title, year=year, franchise=franchise, instalment=instalment, aliases=aliases
        )
        insert_title(store, new_id, title, None)
        record_status(store, new_id, status, on or of_day(today), today=today)
    return get_film(store, new_id)


@atomic
def edit_film(
    store: Store,
    film: Film,
    *,
    title: str | None = None,
    year: int | None = None,
    franchise: str | None = None,
    instalment: int | None = None,
    aliases: tuple[str, ...] | list[str] = (),
    on: FuzzyDate | None = None,
    source: str | None = None,
) -> Film:
    """Change a film's names and numbers. A new title joins the title history from `on`
    (the replaced one stays in it, and still names the film); without a day it corrects the
    spelling of the latest title."""
    new_title = film.title if title is None else clean_text(title, "a title")
    new_year = film.year if year is None else check_year(year)
    _check_unique(store, new_title, new_year, except_id=film.id)
    new_franchise = (
        film.franchise if franchise is None else clean_optional(franchise, "a franchise")
    )
    new_instalment = film.instalment if instalment is None else check_instalment(instalment)
    # Only when something differs: an update to the same values would still be logged, and
    # take `tracker undo` away from the command before.
    store.conn.execute(
        "UPDATE films SET title = :title, title_key = :key, year = :year,"
        " franchise = :franchise, instalment = :instalment WHERE id = :id"
        " AND (title IS NOT :title OR year IS NOT :year OR franchise IS NOT :franchise"
        " OR instalment IS NOT :instalment)",
        {
            "title": new_title,
            "key": name_key(new_title),
            "year": new_year,
            "franchise": new_franchise,
            "instalment": new_instalment,
            "id": film.id,
        },
    )
    if new_title != film.title:
        if on is not None:
            insert_title(store, film.id, new_title, on, source)
        else:
            store.conn.execute(
                "UPDATE titles SET title = ?, title_key = ? WHERE id = (SELECT id FROM titles"
                " WHERE film_id = ? ORDER BY on_start DESC, id DESC LIMIT 1)",
                [new_title, name_key(new_title), film.id],
            )
            _drop_aliases_repeating(store, film.id, new_title)
    for alias in aliases:
        add_alias(store, film.id, alias)
    return get_film(store, film.id)


def insert_title(
    store: Store, film_id: int, title: str, on: FuzzyDate | None, source: str | None = None
) -> int:
    """Add a title to the film's history from `on` (None: a first title with no known day)
    and make films.title its latest title. Call inside a transaction."""
    title = clean_text(title, "a title")
    if on is not None and on.start is None:
        raise InvalidValue("a title's day cannot be TBA")
    if not store.value("SELECT 1 FROM titles WHERE film_id = ?", [film_id]):
        # A film loaded in bulk has no title history yet: its stored title is its first.
        current = store.value("SELECT title FROM films WHERE id = ?", [film_id])
        if current is not None and current != title:
            store.insert("titles", title_record(film_id, current, None, None))
    new_id = store.insert("titles", title_record(film_id, title, on, source))
    _drop_aliases_repeating(store, film_id, title)
    latest = store.value(
        "SELECT title FROM titles WHERE film_id = ? ORDER BY on_start DESC, id DESC LIMIT 1",
        [film_id],
    )
    store.conn.execute(
        "UPDATE films SET title = ?, title_key = ? WHERE id = ? AND title IS NOT ?",
        [latest, name_key(latest), film_id, latest],
    )
    return new_id


def title_record(
    film_id: int, title: str, on: FuzzyDate | None, source: str | None
) -> dict[str, Any]:
    """A checked row of the title history."""
    title = clean_text(title, "a title")
    return {
        "film_id": film_id,
        "title": title,
        "title_key": name_key(title),
        "on_date": None if on is None else on.iso,
        "on_start": None if on is None or on.start is None else on.start.isoformat(),
        "source": clean_optional(source, "a source"),
    }


def retitle(
    store: Store,
    film: Film,
    new_title: str,
    on: FuzzyDate,
    *,
    today: datetime.date,
    source: str | None = None,
) -> tuple[str, Film]:
    """Give the film a new title from `on` (the old one stays in its title history and
    still names it); returns the title it replaced (the one before `on`) and the film.
    All or nothing."""
    new_title = clean_text(new_title, "a title")
    check_happened(on, today, "retitled")
    assert on.start is not None
    with store.transaction():
        before: str | None = store.value(
            "SELECT title FROM titles WHERE film_id = ? AND (on_start IS NULL OR on_start <= ?)"
            " ORDER BY on_start DESC, id DESC LIMIT 1",
            [film.id, on.start.isoformat()],
        )
        old = before or film.title
        if name_key(old) == name_key(new_title):
            raise InvalidValue(f"{old} already has that title")
        # The title after it too: one of the same name would then rename the film to itself.
        after = store.row(
            "SELECT id, title, on_date FROM titles WHERE film_id = ? AND on_start > ?"
            " ORDER BY on_start, id LIMIT 1",
            [film.id, on.start.isoformat()],
        )
        if after is not None and name_key(after["title"]) == name_key(new_title):
            day = from_iso(after["on_date"]).display()
            raise InvalidValue(
                f"{old} is already retitled '{after['title']}' on {day} (title #{after['id']});"
                f" to date that retitle otherwise: tracker amend title {after['id']} --on DAY"
            )
        # The stored year: `film` may be named as of a day, its year not yet shown then.
        _check_unique(store, new_title, get_film(store, film.id).year, except_id=film.id)
        insert_title(store, film.id, new_title, on, source)
    return old, get_film(store, film.id)


@atomic
def remove_film(store: Store, film: Film) -> None:
    for table in FILM_CHILD_TABLES:
        store.conn.execute(f"DELETE FROM {table} WHERE film_id = ?", [film.id])
    store.conn.execute("DELETE FROM films WHERE id = ?", [film.id])


@atomic
def record_status(
    store: Store,
    film_id: int,
    status: str,
    on: FuzzyDate,
    note: str | None = None,
    source: str | None = None,
    *,
    today: datetime.date | None = None,
) -> bool:
    """Record a status change; given `today`, a day after it is refused (it has not
    happened yet). Importers restoring a whole database pass no `today`. The same change
    recorded again (status, day, note and source) is not stored twice: False."""
    if today is not None:
        check_happened(on, today, "status on")
    row = status_record(film_id, status, on, note, source)
    if store.value(
        "SELECT 1 FROM status_events WHERE film_id = :film_id AND status = :status"
        " AND on_date IS :on_date AND note IS :note AND source IS :source",
        row,
    ):
        return False
    store.insert("status_events", row)
    return True


def status_record(
    film_id: int, status: str, on: FuzzyDate, note: str | None, source: str | None
) -> dict[str, Any]:
    """A checked row of status_events."""
    status = choose(status, STATUSES, "status")
    if on.start is None:
        raise InvalidValue("a status change needs a date, not TBA")
    return {
        "film_id": film_id,
        "status": status,
        "on_date": on.iso,
        "on_start": on.start.isoformat(),
        "note": clean_optional(note, "a note"),
        "source": clean_optional(source, "a source"),
    }


def status_as_of(store: Store, film_id: int, today: datetime.date) -> str | None:
    """Kept for callers not yet moved to `tracker.asof.status_on`."""
    from tracker.asof import status_on

    return status_on(store, film_id, today)


def film_count(store: Store) -> int:
    return int(store.value("SELECT count(*) FROM films"))


def aliases_of(store: Store, film_id: int) -> list[str]:
    rows = store.rows("SELECT alias FROM aliases WHERE film_id = ? ORDER BY id", [film_id])
    return [row["alias"] for row in rows]
