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


def film(
    film_id: int,
    title: str,
    year: int,
    *,
    aliases: list[str] | None = None,
    statuses: list[tuple[str, str, str | None]] | None = None,
    releases: list[tuple[str, str, str, str | None]] | None = None,
) -> dict[str, Any]:
    """releases: (type, date, announced, note), all US."""
    return {
        "id": film_id,
        "title": title,
        "year": year,
        "franchise": FRANCHISE,
        "instalment": film_id,
        "aliases": aliases or [],
        "statuses": [
            {"status": status, "on": on, "note": note, "source": None}
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
        releases=[
            ("theatrical", "2022-08-05", "2019-01", "first date set"),
            ("theatrical", "2022-11-04", "2020-04", "COVID-19 pandemic"),
            ("theatrical", "2023-07-07", "2021", "pandemic"),
            ("theatrical", "2024-06-28", "2022-01", "pandemic"),
            ("theatrical", "2025-05-23", "2023", "2023 strikes"),
        ],
    ),
]


def document() -> dict[str, Any]:
    return {"format": "tracker", "version": 1, "films": FILMS}


if __name__ == "__main__":
    json.dump(document(), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
