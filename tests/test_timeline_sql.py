"""The timeline read from SQL (one ordered query, streamed) tells what the per-film timeline
it replaced told, fact for fact and in the same order: over random small databases, against
that implementation kept here as the oracle."""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Run, blank_memory_store
from tracker import asof
from tracker.choices import STATUSES
from tracker.dates import FuzzyDate, describe_move, from_iso, parse_date
from tracker.domain.events import NOTE_KINDS, add_note
from tracker.domain.films import add_film, get_film, known_franchise, record_status, resolve
from tracker.domain.films import retitle as give_title
from tracker.domain.releases import announce
from tracker.domain.shoots import add_shoot, shoots
from tracker.errors import TrackerError
from tracker.records import Film, release_where
from tracker.store import Store
from tracker.views.releases import history
from tracker.views.rows import TimelineRow
from tracker.views.timeline import TIMELINE_KINDS, Selection, select_films, timeline

MI7 = "Mission: Impossible 7"

# --- the oracle: the per-film timeline as it was -------------------------------------


@dataclass(frozen=True)
class Fact:
    date: FuzzyDate
    film: Film
    kind: str
    text: str
    source: str | None
    id: int

    def row(self) -> TimelineRow:
        return {
            "date": self.date,
            "precision": self.date.precision,
            "film_id": self.film.id,
            "title": self.film.title,
            "kind": self.kind,
            "id": self.id,
            "text": self.text,
            "source": self.source,
        }


def _with_note(text: str, note: str | None) -> str:
    return f"{text} · {note}" if note else text


def film_facts(store: Store, film: Film, today: datetime.date) -> list[Fact]:
    facts: list[Fact] = []
    # A film not yet known has no shoots, notes or retitles yet (a known status or
    # announcement would make it known).
    known = asof.film_known(store, film.id, today)
    for row in asof.known_rows(store, "status_events", film.id, today):
        text = _with_note(row["status"], row["note"])
        facts.append(Fact(from_iso(row["on_date"]), film, "status", text, row["source"], row["id"]))
    for shoot in shoots(store, film.id):
        if not known or not shoot.known_on(today):
            continue
        noted = "start" if shoot.start.start is not None else "end"
        for kind, date, verb in (
            ("shoot_start", shoot.start, "begins"),
            ("shoot_end", shoot.end, "ends"),
        ):
            if date.end is not None and date.end <= today:
                note = shoot.note if kind == f"shoot_{noted}" else None
                text = _with_note(f"shoot {verb}: {shoot.where}", note)
                facts.append(Fact(date, film, kind, text, shoot.source, shoot.id))
    for entry in history(store, film, today):
        where = release_where(entry["type"], entry["country"])
        move = describe_move(entry["previous"], entry["date"])
        text = _with_note(f"{where}: {move}", entry["note"])
        facts.append(
            Fact(entry["announced"], film, "release_announced", text, entry["source"], entry["id"])
        )
    for release in asof.current_releases(store, film.id, today):
        if release.date.end is not None and release.date.end <= today:
            text = f"released: {release.where}"
            facts.append(Fact(release.date, film, "release", text, release.source, release.id))
    if not known:
        return facts
    for row in asof.known_rows(store, "events", film.id, today):
        text = f"{row['kind']}: {row['text'] or ''}"
        facts.append(Fact(from_iso(row["on_date"]), film, "note", text, row["source"], row["id"]))
    for old, new in old_retitles(store, film.id, today):
        text = f"retitled from '{old}' to '{new['title']}'"
        facts.append(
            Fact(from_iso(new["on_date"]), film, "retitle", text, new["source"], new["id"])
        )
    return facts


def old_retitles(store: Store, film_id: int, today: datetime.date) -> list[tuple[str, Any]]:
    rows = store.rows(
        "SELECT id, title, on_date, source, known_from <= :today AS known FROM titles"
        " WHERE film_id = :film ORDER BY on_start, id",
        asof.params(today, film=film_id),
    )
    return [
        (previous["title"], row)
        for previous, row in zip(rows, rows[1:], strict=False)
        if row["on_date"] is not None and row["known"]
    ]


def old_select_films(
    store: Store, today: datetime.date, names: Sequence[str] = (), franchise: str | None = None
) -> list[Film]:
    franchise = known_franchise(store, franchise)
    films: dict[int, Film] = {}
    for name in names:
        film = resolve(store, name)
        films[film.id] = film
    if franchise is not None or not names:
        sql = "SELECT id FROM films"
        params = asof.params(today)
        if franchise is not None:
            sql += " WHERE franchise = :franchise COLLATE NOCASE"
            params["franchise"] = franchise.strip()
        # By the year of the day (the stored one may not be known yet).
        order = f" ORDER BY franchise, instalment, {asof.year_sql('films.id')}, id"
        for row in store.rows(sql + order, params):
            films.setdefault(row["id"], get_film(store, row["id"]))
    return list(films.values())


def old_timeline(
    store: Store,
    films: Sequence[Film],
    today: datetime.date,
    *,
    since: FuzzyDate | None,
    until: FuzzyDate | None,
    kinds: Sequence[str],
    limit: int | None,
) -> list[TimelineRow]:
    """The per-film timeline (filters already checked by the caller)."""
    low = since.start if since is not None else None
    high = until.end if until is not None else None
    order = {film.id: index for index, film in enumerate(films)}
    films = [asof.film_on(store, film, today) for film in films]
    facts = [fact for film in films for fact in film_facts(store, film, today)]
    kept = []
    for index, fact in enumerate(facts):
        start = fact.date.start
        assert start is not None
        if kinds and fact.kind not in kinds:
            continue
        if (low is not None and start < low) or (high is not None and start > high):
            continue
        kept.append((start, order[fact.film.id], TIMELINE_KINDS.index(fact.kind), index, fact))
    kept.sort(key=lambda item: item[:4])
    return [item[-1].row() for item in (kept if limit is None else kept[:limit])]


# --- random small catalogues ---------------------------------------------------------

WRITTEN_ON = datetime.date(2030, 1, 1)  # every fact is written as of a day after all of them
# Few days, of every precision, so facts share days, months and windows.
DATES = st.builds(
    lambda year, month, day, form: form.format(y=year, m=month, d=day, q=(month + 2) // 3),
    st.sampled_from([2019, 2020]),
    st.sampled_from([1, 7]),
    st.sampled_from([1, 15]),
    st.sampled_from(["{y}-{m:02d}-{d:02d}", "{y}-{m:02d}", "{y}-Q{q}", "{y}"]),
).map(parse_date)
MAYBE_DATES = st.one_of(st.just(parse_date("TBA")), DATES)
TODAYS = st.sampled_from(["2019-06-30", "2020-01-15", "2020-07-01", "2020-12-31", "2029-01-01"])
NOTES = st.sampled_from([None, "", "a note"])
FILM = st.integers(0, 2)


@st.composite
def catalogues(draw: st.DrawFn) -> list[tuple[str, tuple[Any, ...]]]:
    """A list of writes: films first, then facts about them (by the film's number)."""
    films = [
        (
            "film",
            (
                number,
                draw(st.sampled_from([None, "Alpha", "beta"])),
                draw(st.sampled_from([None, 1, 2])),
                draw(st.sampled_from([None, 2020, 2021])),
                draw(DATES),
            ),
        )
        for number in range(draw(st.integers(1, 3)))
    ]
    facts = st.one_of(
        st.tuples(st.just("status"), st.tuples(FILM, st.sampled_from(STATUSES), DATES, NOTES)),
        st.tuples(
            st.just("release"),
            st.tuples(
                FILM,
                MAYBE_DATES,
                st.sampled_from([None, "US"]),
                st.sampled_from([None, None, "digital"]),
                DATES,
                NOTES,
            ),
        ),
        st.tuples(
            st.just("shoot"),
            st.tuples(
                st.lists(FILM, min_size=1, max_size=2),
                st.sampled_from(["Oslo", "Bath"]),
                st.sampled_from([None, "", "Somerset"]),
                MAYBE_DATES,
                MAYBE_DATES,
                NOTES,
            ),
        ),
        st.tuples(
            st.just("note"), st.tuples(FILM, st.sampled_from(NOTE_KINDS), DATES, st.text("ab "))
        ),
        st.tuples(st.just("retitle"), st.tuples(FILM, st.sampled_from(["X", "Y", "Z"]), DATES)),
    )
    return films + draw(st.lists(facts, max_size=20))


def build(writes: list[tuple[str, tuple[Any, ...]]]) -> Store:
    """A catalogue with the writes the domain accepts (a refused one is left out)."""
    store = blank_memory_store()
    films: list[Film] = []

    def film(number: int) -> Film:
        return films[number % len(films)]

    for kind, args in writes:
        try:
            with store.transaction():
                if kind == "film":
                    number, franchise, instalment, year, on = args
                    films.append(
                        add_film(
                            store, f"Film {number}", today=WRITTEN_ON, year=year,
                            franchise=franchise, instalment=instalment, on=on,
                        )
                    )  # fmt: skip
                elif kind == "status":
                    number, status, on, note = args
                    record_status(store, film(number).id, status, on, note, "src", today=WRITTEN_ON)
                elif kind == "release":
                    number, date, country, release_type, announced, note = args
                    announce(
                        store, film(number), date, today=WRITTEN_ON, country=country,
                        release_type=release_type, announced=announced, note=note,
                    )  # fmt: skip
                elif kind == "shoot":
                    numbers, place, region, start, end, note = args
                    add_shoot(
                        store, [film(n) for n in numbers], place, "NO", region=region,
                        start=start, end=end, note=note, source="src",
                    )  # fmt: skip
                elif kind == "note":
                    number, note_kind, on, text = args
                    add_note(store, film(number), text or "t", on, kind=note_kind, today=WRITTEN_ON)
                else:
                    number, title, on = args
                    chosen = get_film(store, film(number).id)
                    give_title(store, chosen, f"{title} {number}", on, today=WRITTEN_ON)
        except TrackerError:
            continue
    return store


FILTERS = st.fixed_dictionaries(
    {
        "since": st.one_of(st.none(), DATES),
        "until": st.one_of(st.none(), DATES),
        "kinds": st.lists(st.sampled_from(TIMELINE_KINDS), max_size=3),
        "limit": st.one_of(st.none(), st.integers(1, 6)),
    }
)
SELECTIONS = st.tuples(st.lists(FILM, max_size=3), st.sampled_from([None, "alpha", "BETA"]))


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(catalogues(), TODAYS, SELECTIONS, FILTERS)
def test_the_sql_timeline_is_the_per_film_one(
    writes: list[tuple[str, tuple[Any, ...]]],
    today_text: str,
    selection: tuple[list[int], str | None],
    filters: dict[str, Any],
) -> None:
    store = build(writes)
    today = datetime.date.fromisoformat(today_text)
    count = store.value("SELECT count(*) FROM films")
    names = [f"#{number % count + 1}" for number in selection[0]]
    franchise = selection[1]
    try:
        chosen = select_films(store, names, franchise)
    except TrackerError:  # a franchise no film has: both refuse it
        with pytest.raises(TrackerError):
            old_select_films(store, today, names, franchise)
        return
    films = old_select_films(store, today, names, franchise)
    assert chosen.films(store, today) == films
    assert chosen.several(store) == (len(films) > 1)
    try:
        rows = list(timeline(store, chosen, today, **filters))
    except TrackerError:
        since, until = filters["since"], filters["until"]
        assert since is not None and until is not None and until.end < since.start
        return
    expected = old_timeline(store, films, today, **filters)
    assert rows == expected
    if filters["limit"] is None and not filters["kinds"]:
        # Each film's facts alone, too (the first rows of a whole timeline are its first).
        for film in films:
            one = list(timeline(store, Selection((film,)), today))
            assert one == old_timeline(
                store, [film], today, since=None, until=None, kinds=(), limit=None
            )
    store.close()


def test_the_oracle_sees_every_kind(run: Run) -> None:
    """The random catalogues can hold every kind of fact (so the comparison covers them)."""
    writes = [
        ("film", (0, "Alpha", 1, 2020, parse_date("2019-01"))),
        ("status", (0, "filming", parse_date("2019-03-01"), "n")),
        ("release", (0, parse_date("2019-07"), "US", None, parse_date("2019-01-15"), None)),
        ("release", (0, parse_date("2019-07-15"), "US", None, parse_date("2019-03"), "n")),
        ("shoot", ([0], "Oslo", None, parse_date("2019-Q1"), parse_date("2019-03"), "n")),
        ("note", (0, "teaser", parse_date("2019-03-15"), "t")),
        ("retitle", (0, "X", parse_date("2019-07-01"))),
    ]
    store = build(writes)
    today = datetime.date(2021, 1, 1)
    rows = list(timeline(store, Selection(), today))
    assert {row["kind"] for row in rows} == set(TIMELINE_KINDS)
    films = old_select_films(store, today)
    assert rows == old_timeline(store, films, today, since=None, until=None, kinds=(), limit=None)


def same_as_oracle(store: Store, today: datetime.date) -> list[TimelineRow]:
    rows = list(timeline(store, Selection(), today))
    films = old_select_films(store, today)
    assert rows == old_timeline(store, films, today, since=None, until=None, kinds=(), limit=None)
    return rows


def test_ties_within_a_day_film_and_kind_against_the_oracle() -> None:
    """What random catalogues seldom hold: two shoots of a film ending on one day (the one
    that began first comes first, whatever their ids), a worldwide and a country release on
    one day, an earlier announcement not yet known when a later one is (the move is from
    the date known then), films of one day in franchise order."""
    d = parse_date
    writes = [
        ("film", (0, "beta", None, None, d("2019-01-01"))),
        ("film", (1, "Alpha", 2, 2020, d("2019-01-01"))),
        ("film", (2, None, None, None, d("2019-01-01"))),
        ("shoot", ([0, 1], "Oslo", None, d("2020-03-01"), d("2020-07"), None)),
        ("shoot", ([1], "Bath", "Somerset", d("2020-02-01"), d("2020-07"), "earlier")),
        ("shoot", ([1], "Bath", None, d("TBA"), d("2020-07"), "no start")),
        ("release", (1, d("2021-01"), None, None, d("2020"), None)),
        ("release", (1, d("2021-03-05"), None, None, d("2020-06-01"), "moved")),
        ("release", (1, d("2020-08-01"), "US", "digital", d("2020-06-01"), None)),
        ("release", (1, d("2020-08"), None, None, d("2020-06-01"), None)),
        ("status", (1, "filming", d("2019-01"), "same day")),
        ("release", (0, d("2020-08-01"), None, None, d("2020-06-01"), None)),
        ("retitle", (0, "X", d("2020-06-01"))),
        ("retitle", (0, "Y", d("2020-06-01"))),
        ("note", (2, "teaser", d("2020-06"), "t")),
    ]
    store = build(writes)
    assert store.value("SELECT count(*) FROM shoots") == 3
    assert store.value("SELECT count(*) FROM titles WHERE on_date IS NOT NULL") == 2
    mid = same_as_oracle(store, datetime.date(2020, 9, 1))
    assert [row["text"] for row in mid[:3]] == ["announced", "announced", "filming · same day"]
    released = [(row["film_id"], row["text"]) for row in mid if row["kind"] == "release"]
    assert released == [
        (2, "released: theatrical (worldwide)"), (2, "released: digital (US)"),
        (1, "released: theatrical (worldwide)"),
    ]  # fmt: skip
    ends = [(row["film_id"], row["id"]) for row in mid if row["kind"] == "shoot_end"]
    assert ends == [(2, 2), (2, 1), (2, 3), (1, 1)]
    (moved,) = [row for row in mid if row["kind"] == "release_announced" and row["id"] == 2]
    assert "set to" in moved["text"]  # the 2021-01 of "2020" is not known before 31 Dec
    later = same_as_oracle(store, datetime.date(2021, 6, 1))
    (moved,) = [row for row in later if row["kind"] == "release_announced" and row["id"] == 2]
    assert "moved from Jan 2021 to Fri 5 Mar 2021" in moved["text"]
    for today in ("2020-06-01", "2020-07-15", "2020-07-31", "2029-01-01"):
        same_as_oracle(store, datetime.date.fromisoformat(today))


# --- streaming and --limit -----------------------------------------------------------


def test_the_timeline_is_read_as_it_is_used(demo: Run) -> None:
    """`timeline` checks its input at once and returns rows from a cursor: the first rows
    come without the others being read."""
    from tracker.errors import InvalidValue
    from tracker.store import open_store

    store = open_store()
    today = datetime.date(2026, 1, 1)
    rows = timeline(store, Selection(), today)
    assert isinstance(rows, Iterator)
    first = next(rows)
    assert first == next(timeline(store, Selection(), today, limit=1))
    with pytest.raises(InvalidValue):
        timeline(store, Selection(), today, limit=0)  # no row read, the error is now
    store.close()


@pytest.mark.parametrize("options", [[], [MI7, "Mission: Impossible 8"], ["--kind", "status"]])
def test_limit_keeps_the_first_rows(demo: Run, options: list[str]) -> None:
    every = demo.json("--today", "2026-01-01", "timeline", *options)
    assert len(every) > 5
    for count in (1, 2, 5):
        limited = demo.json("--today", "2026-01-01", "timeline", *options, "--limit", str(count))
        assert limited == every[:count]


def test_the_table_of_the_whole_catalogue_is_the_rows_in_order(demo: Run) -> None:
    """The table of every film names each fact's film, under its year and month headings,
    in the order of the JSON rows."""
    rows = demo.json("--today", "2026-01-01", "timeline")
    lines = demo("--today", "2026-01-01", "timeline").stdout.splitlines()
    facts = [line for line in lines if line.startswith("    ")]
    assert len(facts) == len(rows)
    for row, line in zip(rows, facts, strict=True):
        assert line.endswith(f"{row['title']}: {row['text']}")
    years = [line for line in lines if not line.startswith(" ")]
    assert years == sorted(set(years)) == sorted({row["date"][:4] for row in rows})
