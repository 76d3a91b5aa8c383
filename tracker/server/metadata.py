"""Datasette metadata: what each table, view and column holds, titles for foreign keys,
and the internal tables hidden."""

from __future__ import annotations

from typing import Any

HIDDEN = (
    "_sqlite_migrations",
    "undo_log",
    "undo_state",
    "meta",
    "release_tombstones",
    "release_shift_bounds",
    "sqlite_sequence",
)
# The column Datasette shows instead of an id where a foreign key points to the table.
LABELS = {"films": "title", "people": "name", "watchlists": "name", "shoots": "place"}
FUZZY = "a fuzzy date: 2021-11-19, 2021-11, 2021-Q4, 2021, or empty for TBA"
TABLES: dict[str, tuple[str, dict[str, str]]] = {
    "films": (
        "One row per film; its title is the latest (see titles for the history).",
        {
            "title": "The current title",
            "title_key": "The title casefolded, for lookups",
            "year": "Release year",
            "franchise": "Franchise name",
            "instalment": "Number in it",
        },
    ),
    "releases": (
        "Every release-date announcement ever made; nothing is overwritten.",
        {
            "film_id": "The film",
            "country": "ISO 3166-1 code; empty means worldwide",
            "type": "premiere, limited, theatrical, digital, physical or tv",
            "date": FUZZY,
            "date_start": "First day of the date's window",
            "date_end": "Last day of it",
            "announced": "When the date was announced (" + FUZZY + ")",
            "known_from": "The day this announcement counts as known",
            "source": "URL the date comes from",
        },
    ),
    "status_events": (
        "Production status changes (announced, filming, wrapped, released, cancelled, ...).",
        {"status": "The new status", "on_date": "When (" + FUZZY + ")"},
    ),
    "events": ("Dated news about films: teasers, trailers, premieres, retitles.", {}),
    "titles": ("Each film's titles over time; the first has no date.", {}),
    "shoots": ("Filming locations and their dates.", {}),
    "shoot_films": ("Which films a shoot is for.", {}),
    "people": ("Cast and crew.", {}),
    "credits": ("Who works on which film, in what role.", {}),
    "aliases": ("Other names a film is found by.", {}),
    "watchlists": ("Named lists of films.", {}),
    "watchlist_entries": ("The films on each list, with priority 1 (most wanted) to 5.", {}),
    "viewings": ("The diary: films seen, when, and the rating.", {}),
    "sources": ("Titles and publishers of source URLs.", {}),
    "external_ids": ("Ids of films in other catalogues (TMDB, Wikidata, ...).", {}),
    "current_releases": (
        "View: the date of each film, country and type known today (the latest announcement).",
        {
            "film": "The film's id",
            "title": "The film's title today",
            "precision": "day, month, quarter, year or unknown (TBA)",
        },
    ),
    "upcoming": (
        "View: each film's earliest current release not yet past, soonest first.",
        {"days": "Days until the first day of the date's window (0 once it has begun)"},
    ),
    "film_status": ("View: each film's production status known today, and since when.", {}),
    "date_moves": (
        "View: every announcement that changed a date, with the date it replaced.",
        {"shift_days": "Days between the first days of the old and new windows"},
    ),
}


def metadata(database: str, plugin_config: dict[str, Any]) -> dict[str, Any]:
    tables: dict[str, Any] = {name: {"hidden": True} for name in HIDDEN}
    for name, (description, columns) in TABLES.items():
        tables[name] = {"description": description}
        if columns:
            tables[name]["columns"] = columns
        if name in LABELS:
            tables[name]["label_column"] = LABELS[name]
    return {
        "title": "tracker",
        "description": "Film release dates and their history. Feeds: /calendar.ics,"
        " /changes.atom, /upcoming.json",
        "databases": {database: {"tables": tables}},
        "plugins": {"tracker": plugin_config},
    }
