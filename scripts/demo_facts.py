"""Writes data/demo.json, the demo dataset, from the facts in shared/data.

Every fact is recorded with the precision it is known to and no finer: "2019-01" is a month,
"2021" a year. Old films' dates are known only as released, so their announcements carry the
release year. Run: python scripts/demo_facts.py > data/demo.json
"""

from __future__ import annotations

import json
import sys
from typing import Any

FRANCHISE = "Mission: Impossible"
# The seed article has no known URL: it is cited by this stable descriptive identifier.
SEED = "seed-article:tom-cruise-films-mission-impossible-stunt-scene-on-top-of-moving-train"
SEED_TITLE = "Tom Cruise Films 'Mission Impossible' Stunt Scene on Top of Moving Train"


def film(
    film_id: int,
    title: str,
    year: int,
    *,
    aliases: list[str] | None = None,
    statuses: list[tuple[str, str, str | None]] | None = None,
    sourced: tuple[str, ...] = (),
    releases: list[tuple[str, str, str, str | None]] | None = None,
) -> dict[str, Any]:
    """releases: (type, date, announced, note), all US; `sourced`: the dates of the status
    changes the seed article backs."""
    return {
        "id": film_id,
        "title": title,
        "year": year,
        "franchise": FRANCHISE,
        "instalment": film_id,
        "aliases": aliases or [],
        "statuses": [
            {"status": status, "on": on, "note": note, "source": SEED if on in sourced else None}
            for status, on, note in (statuses or [])
        ],
        "releases": [
            {
                "country": "US",
                "type": kind,
                "date": date,
                "announced": announced,
                "source": None,
                "note": note,
            }
            for kind, date, announced, note in (releases or [])
        ],
    }


def released(film_id: int, title: str, date: str, *, limited: str | None = None) -> dict[str, Any]:
    year = date[:4]
    releases = [("theatrical", date, year, None)]
    if limited:
        releases.insert(0, ("limited", limited, year, "IMAX"))
    return film(
        film_id,
        title,
        int(year),
        statuses=[("released", limited or date, None)],
        releases=releases,
    )


FILMS = [
    released(1, "Mission: Impossible", "1996-05-22"),
    released(2, "Mission: Impossible 2", "2000-05-24"),
    released(3, "Mission: Impossible III", "2006-05-05"),
    released(4, "Mission: Impossible – Ghost Protocol", "2011-12-21", limited="2011-12-16"),
    released(5, "Mission: Impossible – Rogue Nation", "2015-07-31"),
    released(6, "Mission: Impossible – Fallout", "2018-07-27"),
    film(
        7,
        "Mission: Impossible – Dead Reckoning Part One",
        2023,
        aliases=["Mission: Impossible 7"],
        statuses=[
            ("announced", "2019-01", "first release date set"),
            ("paused", "2020-02", "filming planned in Venice halted by the COVID-19 outbreak"),
            ("filming", "2020-10", "filming amid the coronavirus pandemic (seed article)"),
            ("wrapped", "2021", None),
            ("released", "2023-07-12", None),
        ],
        sourced=("2020-10",),
        releases=[
            ("theatrical", "2021-07-23", "2019-01", "first date set"),
            ("theatrical", "2021-11-19", "2020-04", "COVID-19 pandemic"),
            ("theatrical", "2022-05-27", "2021", "pandemic"),
            ("theatrical", "2022-09-30", "2021", "pandemic"),
            ("theatrical", "2023-07-14", "2022-01", "pandemic"),
            ("theatrical", "2023-07-12", "2023", "moved two days earlier"),
        ],
    ),
    film(
        8,
        "Mission: Impossible – The Final Reckoning",
        2025,
        aliases=["Mission: Impossible 8", "Mission: Impossible – Dead Reckoning Part Two"],
        statuses=[
            ("announced", "2019-01", "first release date set"),
            ("filming", "2020-10", "filmed back to back with 7 (seed article)"),
            ("released", "2025-05-23", None),
        ],
        sourced=("2020-10",),
        releases=[
            ("theatrical", "2022-08-05", "2019-01", "first date set"),
            ("theatrical", "2022-11-04", "2020-04", "COVID-19 pandemic"),
            ("theatrical", "2023-07-07", "2021", "pandemic"),
            ("theatrical", "2024-06-28", "2022-01", "pandemic"),
            ("theatrical", "2025-05-23", "2023", "2023 strikes"),
        ],
    ),
]


SOURCES = [{"url": SEED, "title": SEED_TITLE, "publisher": None}]

DIRECTORS = {
    1: "Brian De Palma",
    2: "John Woo",
    3: "J. J. Abrams",
    4: "Brad Bird",
    5: "Christopher McQuarrie",
    6: "Christopher McQuarrie",
    7: "Christopher McQuarrie",
    8: "Christopher McQuarrie",
}
CAST = [
    (7, "Tom Cruise"),
    (8, "Tom Cruise"),
    (7, "Rebecca Ferguson"),
    (7, "Ving Rhames"),
    (7, "Simon Pegg"),
]
CREDITS = [
    *(
        {"film": n, "person": name, "role": "director", "character": None}
        for n, name in DIRECTORS.items()
    ),
    *({"film": n, "person": name, "role": "cast", "character": None} for n, name in CAST),
]
PEOPLE = [{"name": name} for name in dict.fromkeys(credit["person"] for credit in CREDITS)]

NORWAY_NOTE = (
    "hand-to-hand fight on top of a moving train; the Norwegian Railway Museum supported the shoot"
)


def shoot(
    films: list[int],
    place: str,
    country: str,
    start: str | None,
    end: str | None,
    *,
    region: str | None = None,
    note: str | None = None,
    source: str | None = None,
) -> dict[str, Any]:
    return {
        "films": films,
        "place": place,
        "region": region,
        "country": country,
        "start": start,
        "end": end,
        "note": note,
        "source": source,
    }


SHOOTS = [
    shoot(
        [7],
        "Venice",
        "IT",
        "2020-02",
        "2020-02",
        note="planned filming halted by the COVID-19 outbreak (paused)",
    ),
    # Autumn 2020 per the seed article (dated 2020-10), which says the Norway shoot had
    # concluded: it ended by 2020-10; its start is not known.
    shoot(
        [7, 8],
        "Stranda",
        "NO",
        None,
        "2020-10",
        region="Stranda Municipality",
        note=NORWAY_NOTE,
        source=SEED,
    ),  # fmt: skip
    shoot(
        [7, 8],
        "Rauma",
        "NO",
        None,
        "2020-10",
        region="Rauma Municipality",
        note=NORWAY_NOTE,
        source=SEED,
    ),  # fmt: skip
    shoot([7], "Rome", "IT", "2020", "2021"),
    shoot([7], "Abu Dhabi", "AE", "2020", "2021"),
]


def event(
    film_id: int,
    kind: str,
    on: str,
    text: str,
    *,
    source: str | None = None,
    old_title: str | None = None,
    new_title: str | None = None,
) -> dict[str, Any]:
    return {
        "film": film_id,
        "kind": kind,
        "on": on,
        "text": text,
        "source": source,
        "old_title": old_title,
        "new_title": new_title,
    }


OLD_8 = "Mission: Impossible – Dead Reckoning Part Two"
NEW_8 = "Mission: Impossible – The Final Reckoning"
EVENTS = [
    # "Earlier" than the article: known to the year only.
    event(
        7,
        "stunt",
        "2020",
        "Christopher McQuarrie teased a long ramp for a possible motorbike stunt",
        source=SEED,
    ),  # fmt: skip
    event(
        7,
        "teaser",
        "2020-10",
        "McQuarrie showed Tom Cruise's fight on top of a moving train, filmed in Norway",
        source=SEED,
    ),  # fmt: skip
    event(
        8,
        "retitle",
        "2024",
        f"retitled from '{OLD_8}' to '{NEW_8}'",
        old_title=OLD_8,
        new_title=NEW_8,
    ),  # fmt: skip
]


def document() -> dict[str, Any]:
    return {
        "format": "tracker",
        "version": 1,
        "films": FILMS,
        "sources": SOURCES,
        "people": PEOPLE,
        "shoots": SHOOTS,
        "credits": CREDITS,
        "events": EVENTS,
        # A fan's lists are not facts about films: the demo keeps the default list, empty.
        "watchlists": [{"name": "watchlist", "description": None, "entries": []}],
        "diary": [],
    }


if __name__ == "__main__":
    json.dump(document(), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
