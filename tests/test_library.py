"""The library used directly, without the CLI."""

from __future__ import annotations

import contextlib
import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import blank_memory_store
from tracker.dates import parse_date
from tracker.domain import films, releases
from tracker.errors import AmbiguousFilm, FilmNotFound, InvalidValue, TrackerError
from tracker.store import Store
from tracker.validation import text_problem

TODAY = datetime.date(2020, 10, 15)


def _add(store: Store, title: str, **options: object) -> films.Film:
    with store.transaction():
        return films.add_film(store, title, today=TODAY, **options)  # type: ignore[arg-type]


# Any title tracker stores (tracker.validation refuses the rest, such as only invisible
# characters).
printable_titles = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=60
).filter(lambda text: text.strip() != "" and text_problem(text.strip()) is None)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=printable_titles)
def test_any_title_names_its_film_exactly(title: str) -> None:
    store = blank_memory_store()
    film = _add(store, title)
    assert films.resolve(store, title).id == film.id
    assert (
        films.resolve(
            store, title.upper() if title.upper().casefold() == title.casefold() else title
        ).id
        == film.id
    )
    assert films.resolve(store, f"#{film.id}").id == film.id


@settings(max_examples=150)
@given(name=st.text(max_size=80))
def test_resolving_any_text_finds_a_film_or_says_why(name: str) -> None:
    store = blank_memory_store()
    _add(store, "Dune", year=1984)
    _add(store, "Dune", year=2021)
    with contextlib.suppress(FilmNotFound, AmbiguousFilm):  # anything else fails the test
        films.resolve(store, name)


def test_add_film_rejects_bad_numbers(store: Store) -> None:
    with pytest.raises(InvalidValue):
        _add(store, "A", year=99999)
    with pytest.raises(InvalidValue):
        _add(store, "A", instalment=-1)


def test_an_alias_the_film_has_is_not_added_again_and_takes_no_id(store: Store) -> None:
    """A sync adds a film's aliases on every run: one it has takes no id (as OR IGNORE's
    ignored row did)."""
    film = _add(store, "A")
    with store.transaction():
        for _ in range(3):
            films.add_alias(store, film.id, "Working Title")
        films.add_alias(store, film.id, "WORKING title")  # the same name, as names match
        films.add_alias(store, film.id, "Another")
    rows = store.rows("SELECT id, alias FROM aliases ORDER BY id")
    assert [row["alias"] for row in rows] == ["Working Title", "Another"]
    assert rows[1]["id"] == rows[0]["id"] + 1


def test_remove_film_deletes_its_history(store: Store) -> None:
    film = _add(store, "A")
    with store.transaction():
        releases.announce(store, film, parse_date("2021"), today=TODAY)
        films.add_alias(store, film.id, "B")
        films.remove_film(store, film)
    for table in films.FILM_CHILD_TABLES + ["films"]:
        assert store.value(f"SELECT count(*) FROM {table}") == 0


def test_current_date_is_the_latest_announcement_on_or_before_today(store: Store) -> None:
    film = _add(store, "A")
    with store.transaction():
        for date, announced in [("2021-01-01", "2019"), ("2021-06-01", "2020-05"),
                                ("2022-01-01", "2020-09-01")]:  # fmt: skip
            releases.announce(
                store, film, parse_date(date), today=TODAY, announced=parse_date(announced)
            )
    current = releases.current_releases(store, film.id, TODAY)
    assert [r.date.iso for r in current] == ["2022-01-01"]
    june = releases.current_releases(store, film.id, datetime.date(2020, 6, 1))
    assert [r.date.iso for r in june] == ["2021-06-01"]
    earlier = releases.current_releases(store, film.id, datetime.date(2020, 1, 1))
    assert [r.date.iso for r in earlier] == ["2021-01-01"]
    # Announced "2019": not known before the year's last day.
    assert releases.current_releases(store, film.id, datetime.date(2019, 12, 30)) == []


def test_every_library_error_is_a_tracker_error() -> None:
    for error in (FilmNotFound, AmbiguousFilm, InvalidValue):
        assert issubclass(error, TrackerError)


def test_a_title_that_looks_like_an_id_still_names_its_film(store: Store) -> None:
    film = _add(store, "#42")
    assert films.resolve(store, "#42").id == film.id
    assert films.resolve(store, "#1").id == film.id
    with pytest.raises(FilmNotFound):
        films.resolve(store, "#7")


def test_insert_title_keeps_the_day_its_key_and_its_source(store: Store) -> None:
    film = _add(store, "Mission: Impossible 8")
    with store.transaction():
        later = films.insert_title(
            store, film.id, "  Mission:  Impossible – Dead Reckoning Part Two ", parse_date("2022-04"),
            "https://example.com/cinemacon",
        )  # fmt: skip
    rows = store.rows("SELECT * FROM titles WHERE film_id = ? ORDER BY id", [film.id])
    assert [(row["title"], row["on_date"], row["known_from"]) for row in rows[:1]] == [
        ("Mission: Impossible 8", None, None)  # add's first title
    ]
    assert dict(rows[1]) == {
        "id": later,
        "film_id": film.id,
        "title": "Mission:  Impossible – Dead Reckoning Part Two",
        "title_key": "mission impossible dead reckoning part two",  # name_key (m006)
        "on_date": "2022-04",
        "on_start": "2022-04-01",
        "source": "https://example.com/cinemacon",
        "known_from": "2022-04-30",
    }
    # The film is named by its latest title.
    assert films.get_film(store, film.id).title == "Mission:  Impossible – Dead Reckoning Part Two"
    with pytest.raises(InvalidValue, match="TBA"), store.transaction():
        films.insert_title(store, film.id, "Later", parse_date("TBA"))
