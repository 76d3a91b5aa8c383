"""Writes data/demo.json, the demo dataset, from ../shared/data/mission-impossible-facts.md.

The facts file's rules, kept here:
- Every fact has the precision it is known to and no finer ("2020-10" is a month, "2021" a
  year); no day is invented.
- Every fact carries its source address, as given in the facts file (cut-short addresses as
  given). Facts the file takes from "the films' encyclopedia pages" cite the film's English
  Wikipedia page.
- Every announcement is on the day it was made, so `--today` answers from it. Where two
  reports disagree (the seed article's back-to-back claim and its correction), both are kept.
- Title changes are the films' `titles` (never retitle events).

Run: python scripts/demo_facts.py > data/demo.json
"""

from __future__ import annotations

import json
import sys
from typing import Any

FRANCHISE = "Mission: Impossible"

# Sources, as the facts file gives them.
SEED = (
    "https://www.news18.com/news/movies/"
    "tom-cruise-films-mission-impossible-stunt-scene-on-top-of-moving-train-2934837.html"
)
SEED_TITLE = "Tom Cruise Films 'Mission Impossible' Stunt Scene on Top of Moving Train"
CNET = "cnet.com/news/tom-cruise-lights-the-fuse-on-two-new-mission-impossible-movies/"
ANI = "business-standard.com"
VARIETY_2020 = (
    "variety.com/2020/film/box-office/mission-impossible-sequels-get-pushed-back-1234589362/"
)
HOTMOVIES = "hotmoviesnews.com/2021/04/09/"
YAHOO = "ca.sports.yahoo.com/news/top-gun-maverick-mission-impossible-181206441.html"
DEADLINE = "deadline.com/2022/01/mission-impossible-movies-new-release-dates-covid-1234917458/"
POPCULTURE = (
    "popculture.com/movies/news/mission-impossible-dead-reckoning-part-one-gets-new-release-date/"
)
TELANGANA = "telanganatoday.com/tom-cruises-mission-impossible-8-release-date-delayed-to-2025"
FUSE = "fuse.tv/2016/11/mission-impossible-6-release-date-2018"
SCREENRANT = "screenrant.com/mission-impossible-5-new-release-date-2015/"
FILMFETISH = "filmfetish.com/2005/09/25/mission-impossible-3-release-date/"
VARIETY_ROME = "variety.com/2023/film/news/mission-impossible-7-first-reactions-"
BLEEDINGCOOL = (
    "bleedingcool.com/movies/mission-impossible-the-final-reckoning-will-premiere-at-cannes/"
)
EXBULLETIN = "exbulletin.com/world/international/2213322/"
LONDONMUMS = "new.londonmumsmagazine.com/?p=95686"
THEWRAP = "thewrap.com/mission-impossible-7-and-8-release-dates-delayed/"
NRK = "nrk.no/mr/"
COLLIDER_NORWAY = "collider.com/mission-impossible-7-set-photo-filming-begins/"
COLLIDER_WRAP = "collider.com/mission-impossible-7-filming-ended/"
GULFNEWS = "gulfnews.com"
WIKI = "https://en.wikipedia.org/wiki/"
ENCYCLOPEDIA = {
    1: WIKI + "Mission:_Impossible_(film)",
    2: WIKI + "Mission:_Impossible_2",
    3: WIKI + "Mission:_Impossible_III",
    4: WIKI + "Mission:_Impossible_–_Ghost_Protocol",
    5: WIKI + "Mission:_Impossible_–_Rogue_Nation",
    6: WIKI + "Mission:_Impossible_–_Fallout",
    7: WIKI + "Mission:_Impossible_–_Dead_Reckoning_Part_One",
    8: WIKI + "Mission:_Impossible_–_The_Final_Reckoning",
}

SOURCES = sorted(
    [
        {"url": SEED, "title": SEED_TITLE, "publisher": "News18"},
        {"url": CNET, "title": None, "publisher": "CNET"},
        {"url": ANI, "title": "ANI wire, 2019-02-02", "publisher": "Business Standard"},
        {"url": VARIETY_2020, "title": None, "publisher": "Variety"},
        {"url": HOTMOVIES, "title": "address cut short", "publisher": None},
        {"url": YAHOO, "title": None, "publisher": "Yahoo"},
        {"url": DEADLINE, "title": None, "publisher": "Deadline"},
        {"url": POPCULTURE, "title": None, "publisher": "PopCulture.com"},
        {"url": TELANGANA, "title": None, "publisher": "Telangana Today"},
        {"url": FUSE, "title": None, "publisher": "Fuse"},
        {"url": SCREENRANT, "title": None, "publisher": "Screen Rant"},
        {"url": FILMFETISH, "title": None, "publisher": "FilmFetish"},
        {"url": VARIETY_ROME, "title": "address cut short", "publisher": "Variety"},
        {"url": BLEEDINGCOOL, "title": None, "publisher": "Bleeding Cool"},
        {"url": EXBULLETIN, "title": None, "publisher": "ExBulletin"},
        {"url": LONDONMUMS, "title": None, "publisher": "London Mums Magazine"},
        {"url": THEWRAP, "title": None, "publisher": "TheWrap"},
        {"url": NRK, "title": "address cut short; article 1.15149353", "publisher": "NRK"},
        {"url": COLLIDER_NORWAY, "title": None, "publisher": "Collider"},
        {"url": COLLIDER_WRAP, "title": None, "publisher": "Collider"},
        {"url": GULFNEWS, "title": "article 1.77195946", "publisher": "Gulf News"},
        *({"url": url, "title": None, "publisher": "Wikipedia"} for url in ENCYCLOPEDIA.values()),
    ],
    key=lambda source: str(source["url"]),
)

Status = tuple[str, str, str | None, str | None]  # status, on, note, source
# country, type, date, announced, source, note
Release = tuple[str, str, str, str, str | None, str | None]
Title = tuple[str, str | None, str | None]  # title, on (None: the first), source


def film(
    film_id: int,
    year: int,
    titles: list[Title],
    statuses: list[Status],
    releases: list[Release],
) -> dict[str, Any]:
    return {
        "id": film_id,
        "title": titles[-1][0],
        "year": year,
        "franchise": FRANCHISE,
        "instalment": film_id,
        "aliases": [],
        "titles": [{"title": title, "on": on, "source": source} for title, on, source in titles],
        "statuses": [
            {"status": status, "on": on, "note": note, "source": source}
            for status, on, note, source in statuses
        ],
        "releases": [
            {
                "country": country,
                "type": kind,
                "date": date,
                "announced": announced,
                "source": source,
                "note": note,
            }
            for country, kind, date, announced, source, note in releases
        ],
    }


# Films 1-6: where the facts file gives only the release day, the day the date was first
# announced is not known. What is known for certain is that it was known by the release day
# itself (the film was in cinemas), so that day is the announcement's "known by"; a year
# ("1996") would claim the date was unknown on its own release day, and an earlier day would
# be invented. Where the file gives an announcement (3, 4's limited, 5, 6), it is used.
def released(
    film_id: int,
    title: str,
    date: str,
    *,
    earlier: tuple[Release, ...] = (),
    announced: str | None = None,
    source: str | None = None,
) -> dict[str, Any]:
    wiki = ENCYCLOPEDIA[film_id]
    first = earlier[0][2] if earlier and earlier[0][1] == "limited" else date
    return film(
        film_id,
        int(date[:4]),
        [(title, None, wiki)],
        [("released", first, None, wiki)],
        [*earlier, ("US", "theatrical", date, announced or date, source or wiki, None)],
    )


FILMS = [
    released(1, "Mission: Impossible", "1996-05-22"),
    released(2, "Mission: Impossible 2", "2000-05-24"),
    # "date known by 2005-09": the month is what the facts file gives.
    released(3, "Mission: Impossible III", "2006-05-05", announced="2005-09", source=FILMFETISH),
    released(
        4,
        "Mission: Impossible – Ghost Protocol",
        "2011-12-21",
        earlier=(("US", "limited", "2011-12-16", "2011-10-03", ENCYCLOPEDIA[4], "IMAX"),),
    ),
    # The move from 2015-12-25 was announced "about 2015-01-26" (a month, then): the first
    # date was known by then; when it was set is not given, so it carries the same month,
    # recorded before the move.
    released(
        5,
        "Mission: Impossible – Rogue Nation",
        "2015-07-31",
        earlier=(("US", "theatrical", "2015-12-25", "2015-01", SCREENRANT, "first date"),),
        announced="2015-01",
        source=SCREENRANT,
    ),
    released(6, "Mission: Impossible – Fallout", "2018-07-27", announced="2016-11-08", source=FUSE),
    film(
        7,
        2023,
        [
            ("Mission: Impossible 7", None, CNET),
            ("Mission: Impossible – Dead Reckoning Part One", "2022-04-28", ENCYCLOPEDIA[7]),
        ],
        [
            ("announced", "2019-01-14", "two sequels announced", CNET),
            (
                "paused",
                "2020-02-24",
                "filming planned in Venice halted by the COVID-19 outbreak",
                THEWRAP,
            ),
            ("filming", "2020-07", "filming resumed in England (Leavesden)", ENCYCLOPEDIA[7]),
            ("filming", "2020-10", "filming amid the coronavirus pandemic", SEED),
            ("wrapped", "2021-09-10", None, COLLIDER_WRAP),
            # Its first release (GB); the Rome premiere was not a release.
            ("released", "2023-07-10", None, EXBULLETIN),
        ],
        [
            ("US", "theatrical", "2021", "2019-01-14", CNET, "summer 2021; two sequels announced"),
            ("US", "theatrical", "2021-07-23", "2019-02-01", ANI, "first day set"),
            ("US", "theatrical", "2021-11-19", "2020-04-24", VARIETY_2020, "COVID-19 pandemic"),
            ("US", "theatrical", "2021-11-19", "2020-10", SEED, "as the seed article states"),
            (
                "US",
                "theatrical",
                "2022-05-27",
                "2021-04-09",
                HOTMOVIES,
                "pandemic; Top Gun: Maverick took 19 Nov 2021",
            ),
            (
                "US",
                "theatrical",
                "2022-09-30",
                "2021-09-01",
                YAHOO,
                "Top Gun: Maverick took 27 May 2022",
            ),
            ("US", "theatrical", "2023-07-14", "2022-01-21", DEADLINE, "pandemic"),
            (
                "US",
                "theatrical",
                "2023-07-12",
                "2023-04-27",
                POPCULTURE,
                "two days earlier (announced at CinemaCon)",
            ),
            # The premiere's source gives only its year; the GB date's was published 2023-06.
            ("IT", "premiere", "2023-06-19", "2023", VARIETY_ROME, "Rome"),
            ("GB", "theatrical", "2023-07-10", "2023-06", EXBULLETIN, None),
        ],
    ),
    film(
        8,
        2025,
        [
            ("Mission: Impossible 8", None, CNET),
            ("Mission: Impossible – Dead Reckoning Part Two", "2022-04-28", ENCYCLOPEDIA[8]),
            ("Mission: Impossible 8", "2023-10-23", ENCYCLOPEDIA[8]),
            ("Mission: Impossible – The Final Reckoning", "2024-11-11", ENCYCLOPEDIA[8]),
        ],
        [
            ("announced", "2019-01-14", "two sequels announced", CNET),
            # The seed article's claim, as it says it; corrected in 2021-02 (below).
            ("filming", "2020-10", "filmed simultaneously with 7 (back to back)", SEED),
            (
                "announced",
                "2021-02",
                "the back-to-back plan was dropped: not filming with 7",
                ENCYCLOPEDIA[8],
            ),
            ("filming", "2022-03", "filming began", ENCYCLOPEDIA[8]),
            ("paused", "2023-07", "halted by the 2023 strikes", ENCYCLOPEDIA[8]),
            ("filming", "2024-03", "filming resumed", ENCYCLOPEDIA[8]),
            ("wrapped", "2024-11", None, ENCYCLOPEDIA[8]),
            ("released", "2025-05-21", None, LONDONMUMS),
        ],
        [
            ("US", "theatrical", "2022", "2019-01-14", CNET, "summer 2022; two sequels announced"),
            ("US", "theatrical", "2022-08-05", "2019-02-01", ANI, "first day set"),
            ("US", "theatrical", "2022-11-04", "2020-04-24", VARIETY_2020, "COVID-19 pandemic"),
            ("US", "theatrical", "2023-07-07", "2021-04-09", HOTMOVIES, "pandemic"),
            ("US", "theatrical", "2024-06-28", "2022-01-21", DEADLINE, "pandemic"),
            ("US", "theatrical", "2025-05-23", "2023-10-23", TELANGANA, "2023 strikes"),
            # Announced at the precision each source supports: the Tokyo premiere's only
            # source is the encyclopedia (the year); Cannes's was published 2025-04, the
            # GB date's 2025-05.
            ("JP", "premiere", "2025-05-05", "2025", ENCYCLOPEDIA[8], "Tokyo"),
            ("FR", "premiere", "2025-05-14", "2025-04", BLEEDINGCOOL, "Cannes"),
            ("GB", "theatrical", "2025-05-21", "2025-05", LONDONMUMS, None),
        ],
    ),
]

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
CAST = {
    # The seed article's, then the rest of 7's cast.
    7: [
        "Tom Cruise",
        "Rebecca Ferguson",
        "Ving Rhames",
        "Simon Pegg",
        "Hayley Atwell",
        "Vanessa Kirby",
        "Henry Czerny",
        "Esai Morales",
        "Pom Klementieff",
    ],
    8: [
        "Tom Cruise",
        "Hayley Atwell",
        "Simon Pegg",
        "Ving Rhames",
        "Vanessa Kirby",
        "Esai Morales",
        "Pom Klementieff",
    ],
}
CREDITS = [
    *(
        {"film": n, "person": name, "role": "director", "character": None}
        for n, name in DIRECTORS.items()
    ),
    *(
        {"film": n, "person": name, "role": "cast", "character": None}
        for n, names in CAST.items()
        for name in names
    ),
]
PEOPLE = [{"name": name} for name in dict.fromkeys(credit["person"] for credit in CREDITS)]


def shoot(
    films: list[int],
    place: str,
    country: str,
    start: str | None,
    end: str | None,
    source: str,
    *,
    region: str | None = None,
    note: str | None = None,
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


EIGHT_DAYS = "filmed between 2022-03 and 2024-11; its days are not known"
SHOOTS = [
    # Planned, then halted on 2020-02-24 (its start is not known); filmed after all in 2020-10.
    shoot(
        [7],
        "Venice",
        "IT",
        None,
        "2020-02-24",
        THEWRAP,
        note="planned filming halted by the COVID-19 outbreak (paused)",
    ),
    shoot(
        [7],
        "Leavesden",
        "GB",
        "2020-07",
        "2020-12",
        ENCYCLOPEDIA[7],
        region="England",
        note="filming resumed",  # the move to Longcross is its own shoot, from Dec 2020
    ),
    shoot(
        [7],
        "Longcross",
        "GB",
        "2020-12",
        None,
        ENCYCLOPEDIA[7],
        region="England",
        note="moved from Leavesden",
    ),
    shoot(
        [7],
        "Åndalsnes",
        "NO",
        "2020-09-05",
        "2020-10-04",
        NRK,
        region="Rauma",
        note=(
            "train-fight rehearsal on 2020-09-05; a hand-to-hand fight on top of a moving train;"
            " the Norwegian Railway Museum supported the shoot; ended about 2020-10-04"
        ),
    ),
    shoot(
        [7],
        "Helsetkopen",
        "NO",
        "2020-09-06",
        "2020-10-04",
        COLLIDER_NORWAY,
        region="Stranda",
        note="Day 1 of the Norway shoot: the motorbike ramp jump; ended about 2020-10-04",
    ),
    shoot([7], "Rome", "IT", "2020-10-06", None, ENCYCLOPEDIA[7], note="from about 2020-10-06"),
    shoot([7], "Venice", "IT", "2020-10", "2020-10", ENCYCLOPEDIA[7], note="filmed after all"),
    shoot([7], "Abu Dhabi", "AE", "2021-01-21", "2021-02-14", GULFNEWS),
    shoot(
        [7],
        "Birmingham New Street station",
        "GB",
        "2021-08",
        "2021-08",
        ENCYCLOPEDIA[7],
        region="England",
    ),
    # 8's locations: only that filming ran from 2022-03 to 2024-11 is known, so each ends by
    # 2024-11 and its start is not known.
    shoot([8], "South Africa", "ZA", None, "2024-11", ENCYCLOPEDIA[8], note=EIGHT_DAYS),
    shoot([8], "Malta", "MT", None, "2024-11", ENCYCLOPEDIA[8], note=EIGHT_DAYS),
    shoot([8], "Svalbard", "NO", None, "2024-11", ENCYCLOPEDIA[8], note=EIGHT_DAYS),
]


def event(film_id: int, kind: str, on: str, text: str, source: str) -> dict[str, Any]:
    return {
        "film": film_id,
        "kind": kind,
        "on": on,
        "text": text,
        "source": source,
        "old_title": None,
        "new_title": None,
    }


EVENTS = [
    event(7, "stunt", "2020-09-05", "train-fight rehearsal at Åndalsnes (Rauma)", NRK),
    event(
        7,
        "stunt",
        "2020-09-06",
        "Day 1 of the Norway shoot: the motorbike ramp jump at Helsetkopen (Stranda)",
        COLLIDER_NORWAY,
    ),
    # "Earlier" than the article, for the 2020 Norway shoot: known to the year only.
    event(
        7,
        "teaser",
        "2020",
        "Christopher McQuarrie teased a long ramp for a possible motorbike stunt",
        SEED,
    ),
    event(
        7,
        "teaser",
        "2020-10",
        "McQuarrie showed Tom Cruise's hand-to-hand fight on top of a moving train, filmed in"
        " Norway (Stranda and Rauma); the Norway shoot has ended and the crew moved on",
        SEED,
    ),
    event(7, "news", "2020-10", "7 and 8 are being filmed simultaneously (back to back)", SEED),
    event(8, "news", "2020-10", "7 and 8 are being filmed simultaneously (back to back)", SEED),
    event(
        8,
        "news",
        "2021-02",
        "the back-to-back plan was dropped: 8 is not filmed with 7",
        ENCYCLOPEDIA[8],
    ),
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
