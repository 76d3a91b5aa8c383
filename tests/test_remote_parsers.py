"""The TMDB and Wikidata parsers: pure functions over the response shapes and their quirks."""

from __future__ import annotations

import datetime
import json
import random
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tracker.dates import TBA, FuzzyDate, of_day
from tracker.exchange import tmdb, wikidata

FIXTURES = Path(__file__).parent / "fixtures"
days = st.dates(min_value=datetime.date(1000, 1, 1), max_value=datetime.date(9999, 12, 31))


@given(days)
def test_a_tmdb_midnight_utc_is_the_calendar_day_it_names(day: datetime.date) -> None:
    iso = day.isoformat()
    assert tmdb.parse_day(f"{iso}T00:00:00.000Z") == day
    assert tmdb.parse_day(iso) == day
    assert tmdb.parse_day(f"{iso} 22:04:09 UTC") == day  # a change's time


@given(st.text(max_size=30))
def test_tmdb_day_text_is_a_day_or_none_never_an_exception(text: str) -> None:
    assert tmdb.parse_day(text) is None or isinstance(tmdb.parse_day(text), datetime.date)


def test_empty_and_impossible_tmdb_dates_are_none() -> None:
    assert [tmdb.parse_day(t) for t in ("", None, "2013-02-30", "soon")] == [None] * 4


def test_tmdb_collection_names_lose_their_suffix() -> None:
    assert tmdb.franchise_name("Back to the Future Collection") == "Back to the Future"
    assert tmdb.franchise_name("Collection") == "Collection"
    assert tmdb.franchise_name("") is None


@given(st.lists(st.one_of(st.none(), days), min_size=1, max_size=8), st.randoms())
def test_collection_parts_are_numbered_in_release_order_whatever_the_file_order(
    dates: list[datetime.date | None], rng: random.Random
) -> None:
    parts = [
        {"id": i + 1, "title": f"Part {i + 1}", "release_date": d.isoformat() if d else ""}
        for i, d in enumerate(dates)
    ]
    shuffled = list(parts)
    rng.shuffle(shuffled)
    records = tmdb.read({"id": 9, "name": "X Collection", "parts": shuffled})
    assert [r.instalment for r in records] == list(range(1, len(parts) + 1))
    starts = [r.releases[0].date.start for r in records]
    dated = [s for s in starts if s is not None]
    assert dated == sorted(dated)
    assert starts[: len(dated)] == dated  # TBA parts last
    assert all(r.franchise == "X" and r.releases[0].country is None for r in records)


def test_each_fixture_shape_is_recognised() -> None:
    kinds = {
        path.name: tmdb.kind_of(json.loads(path.read_text("utf-8")))
        for path in (FIXTURES / "tmdb").glob("*.json")
    }
    assert kinds["collection-264.json"] == "collection"
    assert kinds["movie-47964.json"] == "movie"
    assert kinds["movie-87421-append-all.json"] == "movie"
    assert kinds["movie-47964-release_dates.json"] == "release_dates"
    assert kinds["movie-19995-changes.json"] == "changes"
    assert kinds["movie-changes-release_dates-item.json"] == "changes"


def test_a_change_item_has_its_country_inside_value_and_is_dated_by_its_time() -> None:
    data = json.loads((FIXTURES / "tmdb/movie-changes-release_dates-item.json").read_text())
    [record] = tmdb.read(data)
    [entry] = record.releases
    assert (entry.country, entry.type, entry.date) == (
        "US",
        "theatrical",
        of_day(datetime.date(1919, 1, 1)),
    )
    assert (entry.certification, entry.note) == ("NR", None)
    assert entry.announced == datetime.date(2022, 5, 30)
    assert record.ids == {"imdb": "tt1534554"}
    assert record.title == "Toad Allen's Elopement"
    assert "find/tt1534554" in entry.source


@given(st.integers(min_value=1, max_value=6))
def test_tmdb_release_types_map_to_trackers_names(number: int) -> None:
    entry = tmdb.release_entry({"type": number, "release_date": "2024-01-01"}, "us", "s", None)
    assert entry is not None
    assert (
        entry.type == ("premiere", "limited", "theatrical", "digital", "physical", "tv")[number - 1]
    )
    assert entry.country == "US"


def test_unusable_tmdb_entries_are_none() -> None:
    good = {"type": 3, "release_date": "2024-01-01"}
    assert tmdb.release_entry({**good, "type": 7}, "US", "s", None) is None
    assert tmdb.release_entry(good, "XX", "s", None) is None
    assert tmdb.release_entry({**good, "release_date": ""}, "US", "s", None) is None


@given(days, st.sampled_from([9, 10, 11]))
def test_a_wikidata_time_means_what_its_precision_says(day: datetime.date, precision: int) -> None:
    for month, dd in (
        ((day.month, day.day), (0, 0), (1, 1)) if precision == 9 else ((day.month, day.day),)
    ):
        text = f"+{day.year:04d}-{month:02d}-{dd:02d}T00:00:00Z"
        date = wikidata.time_value({"time": text, "precision": precision})
        if precision == 9:
            assert date == FuzzyDate("year", day.year)
        elif precision == 10:
            assert date == FuzzyDate("month", day.year, day.month)
        else:
            assert date == of_day(day)


def test_wikidata_times_it_cannot_place_are_none() -> None:
    assert wikidata.time_value({"time": "+2015-00-00T00:00:00Z", "precision": 11}) is None
    assert wikidata.time_value({"time": "+2015-00-00T00:00:00Z", "precision": 8}) is None
    assert wikidata.time_value({"time": "-0044-03-15T00:00:00Z", "precision": 11}) is None


def test_sparql_dates_without_precision_read_1_january_as_the_year() -> None:
    assert wikidata.sparql_date("2013-01-01T00:00:00Z", None) == FuzzyDate("year", 2013)
    assert wikidata.sparql_date("2013-02-21T00:00:00Z", None) == FuzzyDate("day", 2013, 2, 21)
    assert wikidata.sparql_date("2013-01-01T00:00:00Z", "11") == FuzzyDate("day", 2013, 1, 1)


def test_the_bundled_country_table_maps_items_to_iso_codes() -> None:
    table = wikidata.country_items()
    assert (table["Q30"], table["Q145"], table["Q21"], table["Q713750"]) == ("US", "GB", "GB", "DE")
    assert "Q1246" not in table  # Kosovo's XK is not an ISO code
    assert len(set(table.values())) == 249


def test_a_somevalue_date_is_tba_and_deprecated_statements_are_superseded() -> None:
    data = json.loads((FIXTURES / "wikidata/Q104791523-made.json").read_text("utf-8"))
    [record] = wikidata.read(data)
    by_country = {(e.country, e.date.iso) for e in record.releases}
    assert ("JP", None) in by_country and TBA.iso is None
    assert ("US", "2023-11-03") not in by_country  # deprecated
    assert record.ids == {"wikidata": "Q104791523", "imdb": "tt15239678", "tmdb": "693134"}
    # Items to fetch labels for: those the file does not label itself.
    assert wikidata.referenced_items(data) == ["Q189490", "Q1123"]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(
        st.sampled_from(
            ["id", "title", "parts", "changes", "results", "release_dates", "items", "value",
             "key", "type", "release_date", "iso_3166_1", "entities", "claims", "P577",
             "mainsnak", "datavalue", "head", "bindings", "time", "precision", "qualifiers"]
        ),
        inner,
        max_size=5,
    ),
    max_leaves=25,
)  # fmt: skip


@given(json_values)
def test_any_json_is_records_or_a_bad_file_never_a_crash(data: object) -> None:
    from tracker.errors import BadFile

    for read in (tmdb.read, wikidata.read):
        try:
            records = read(data)
        except BadFile:
            continue
        assert isinstance(records, list)
