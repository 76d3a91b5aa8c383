"""`tracker serve`: Datasette over the database with tracker's feeds, driven through
Datasette's own test client and through a real HTTP client on 127.0.0.1."""

from __future__ import annotations

import asyncio
import datetime
import json
import os
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import feedparser
import httpx
import icalendar
import pytest

from tests.conftest import TODAY, Run
from tracker.server.app import make_datasette

ATOM = "{http://www.w3.org/2005/Atom}"
DAY = datetime.date.fromisoformat(TODAY)


def get(datasette: Any, *paths: str) -> list[Any]:
    """GET each path with Datasette's test client (one event loop for all)."""

    async def fetch() -> list[Any]:
        return [await datasette.client.get(path) for path in paths]

    return asyncio.run(fetch())


@pytest.fixture
def served(demo: Run, isolated: Path) -> Any:
    demo("watchlist", "create", "next")
    demo("watchlist", "add", "next", "#7", "#8")
    demo("release", "#7", "2021-11-18", "--country", "GB", "--type", "digital")
    return make_datasette(isolated, DAY)


def summaries(text: str) -> list[str]:
    calendar = icalendar.Calendar.from_ical(text)
    return sorted(str(event["SUMMARY"]) for event in calendar.walk("VEVENT"))


def test_the_calendar_route_is_the_export_with_every_filter(served: Any, demo: Run) -> None:
    (whole,) = get(served, "/calendar.ics")
    assert whole.status_code == 200
    assert whole.headers["content-type"] == "text/calendar; charset=utf-8"
    assert whole.text == demo("export", "ics").stdout_bytes.decode()
    queries = {
        "watchlist=next": ["--watchlist", "next"],
        "country=GB": ["--country", "GB"],
        "type=digital&type=limited": ["--type", "digital", "--type", "limited"],
        "franchise=Mission: Impossible&days=400": ["--franchise", "Mission: Impossible",
                                                   "--days", "400"],
        "approximate=1&watchlist=next": ["--approximate", "--watchlist", "next"],
    }  # fmt: skip
    responses = get(served, *(f"/calendar.ics?{query}" for query in queries))
    for response, options in zip(responses, queries.values(), strict=True):
        assert response.status_code == 200
        assert summaries(response.text) == summaries(
            demo("export", "ics", *options).stdout_bytes.decode()
        )
    assert len(summaries(responses[0].text)) == 3  # the list's films: 7 (US, GB digital), 8
    assert summaries(responses[2].text) == [
        "Mission: Impossible 7 (digital, GB)",
        "Mission: Impossible – Ghost Protocol (limited, US)",
    ]


@pytest.mark.parametrize("chars", [None, 1])  # as set, and chunks of one piece each
def test_bad_queries_are_400_with_one_error_line(
    served: Any, chars: int | None, chunk_size: Callable[[int], None]
) -> None:
    if chars is not None:
        chunk_size(chars)
    for path, message in [
        ("/calendar.ics?watchlist=nope", "no watchlist named"),
        ("/calendar.ics?days=soon", "days must be a whole number"),
        ("/calendar.ics?days=-1", "days must be at least 0, not -1"),
        ("/calendar.ics?type=cinema", "unknown release type"),
        ("/calendar.ics?country=Narnia", "country"),
        ("/calendar.ics?franchise=nope", "no franchise 'nope'"),
        ("/calendar.ics?franchise=Mision Impossible", "did you mean Mission: Impossible?"),
        ("/changes.atom?since=yesterday-ish", "date"),
        ("/changes.atom?watchlist=nope", "no watchlist named"),
        ("/upcoming.json?country=Narnia", "country"),
        ("/upcoming.json?watchlist=nope", "no watchlist named"),
        ("/upcoming.json?franchise=Nope", "franchise"),
        ("/upcoming.json?limit=many", "limit must be a whole number"),
        ("/upcoming.json?days=-1", "days must be at least 0, not -1"),
        ("/upcoming.json?limit=0", "limit must be at least 1, not 0"),
    ]:
        (response,) = get(served, path)
        assert response.status_code == 400, path
        assert response.headers["content-type"] == "text/plain; charset=utf-8"
        assert response.text.startswith("Error: ") and message in response.text, response.text
        assert response.text.count("\n") == 1
        assert "--" not in response.text  # a query names no CLI option


def test_the_calendar_finds_a_franchise_as_upcoming_does(served: Any, demo: Run) -> None:
    forgiving, exact = get(
        served,
        "/calendar.ics?franchise=mission impossible",
        "/calendar.ics?franchise=Mission: Impossible",
    )
    assert forgiving.status_code == 200
    assert forgiving.content == exact.content
    cli = demo("export", "ics", "--franchise", "mission impossible").stdout_bytes
    assert forgiving.content == cli and cli.count(b"BEGIN:VEVENT") == 10


def test_a_release_on_the_last_day_there_is_keeps_the_calendar_served(
    demo: Run, isolated: Path
) -> None:
    demo("add", "Last Day", "--release", "9999-12-31", "--country", "US")
    demo("release", "#7", "9999-12", "--country", "FR")
    (whole, approximate) = get(
        make_datasette(isolated, DAY), "/calendar.ics", "/calendar.ics?approximate=1"
    )
    assert whole.status_code == 200 and approximate.status_code == 200
    assert whole.content == demo("export", "ics").stdout_bytes
    assert approximate.content == demo("export", "ics", "--approximate").stdout_bytes
    found = {str(e["SUMMARY"]): e for e in icalendar.Calendar.from_ical(whole.text).walk("VEVENT")}
    last = found["Last Day (theatrical, US)"]
    assert last.decoded("DTSTART") == datetime.date(9999, 12, 31) and "DTEND" not in last
    assert "Dec 9999" in approximate.text


def atom_is_valid(text: str) -> ET.Element:
    """The RFC 4287 rules a feed must keep: id, title and updated on the feed and on every
    entry, an author, unique ids, RFC 3339 timestamps."""
    feed = ET.fromstring(text.encode("utf-8"))
    assert feed.tag == f"{ATOM}feed"
    for element in [feed, *feed.findall(f"{ATOM}entry")]:
        for tag in ("id", "title", "updated"):
            assert len(element.findall(f"{ATOM}{tag}")) == 1, tag
        updated = element.findtext(f"{ATOM}updated")
        assert updated is not None
        datetime.datetime.strptime(updated, "%Y-%m-%dT%H:%M:%SZ")
    assert feed.find(f"{ATOM}author/{ATOM}name") is not None
    ids = [entry.findtext(f"{ATOM}id") for entry in feed.iter(f"{ATOM}entry")]
    assert len(ids) == len(set(ids))
    assert all(i and i.startswith("urn:uuid:") for i in ids)
    return feed


def test_the_changes_feed_is_valid_atom_of_moves_status_and_retitles(
    served: Any, demo: Run
) -> None:
    demo("release", "#8", "2022-Q4", "--country", "US")  # vaguer than its day
    demo("retitle", "#8", "Mission: Impossible – Untitled")
    demo("status", "#8", "wrapped")
    (response,) = get(served, "/changes.atom?since=2020-10-01")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    atom_is_valid(response.text)
    parsed = feedparser.parse(response.text)
    assert not parsed.bozo
    assert parsed.feed.title == "Film release changes"
    kinds = [(entry.tags[0].term, entry.title) for entry in parsed.entries]
    mi7, mi8 = "Mission: Impossible 7", "Mission: Impossible – Untitled"
    assert kinds == [
        ("vaguer", f"{mi8} · theatrical (US): made vaguer: from Fri 4 Nov 2022 to Q4 2022"),
        ("added", f"{mi7} · digital (GB): set to Thu 18 Nov 2021"),
        # 8's "filming" is dated "Oct 2020": not known until 31 October.
        ("status", f"{mi8}: announced → wrapped"),
        ("retitled", f"Mission: Impossible 8 is now {mi8}"),
    ]
    assert parsed.entries[0].updated_parsed[:3] == (2020, 10, 15)
    # Polling again gives the same ids: a reader shows each change once.
    (again,) = get(served, "/changes.atom?since=2020-10-01")
    assert [e.id for e in feedparser.parse(again.text).entries] == [e.id for e in parsed.entries]
    (listed, nothing) = get(
        served,
        "/changes.atom?since=2020-01-01&watchlist=next",
        "/changes.atom?since=2020-10-15&watchlist=watchlist",
    )
    listed_feed = feedparser.parse(listed.text)
    assert listed_feed.feed.title == "Film release changes: next"
    assert len(listed_feed.entries) == 8
    # Only the list's films (7 and 8) are in it.
    assert all(e.title.startswith((mi7, mi8, "Mission: Impossible 8")) for e in listed_feed.entries)
    assert feedparser.parse(nothing.text).entries == []
    atom_is_valid(nothing.text)
    (older,) = get(served, "/changes.atom")  # the last 30 days by default
    digest = demo.json("changes", "--since", "2020-09-15")
    # The feed is the `changes` digest plus the date made vaguer (the digest keeps to moves).
    assert len(feedparser.parse(older.text).entries) == len(digest) + 1


def test_upcoming_json_is_the_upcoming_command(served: Any, demo: Run) -> None:
    (plain, filtered) = get(
        served, "/upcoming.json", "/upcoming.json?country=GB&type=digital&limit=1"
    )
    assert plain.headers["content-type"] == "application/json; charset=utf-8"
    assert json.loads(plain.text) == demo.json("upcoming")
    assert json.loads(filtered.text) == demo.json(
        "upcoming", "--country", "GB", "--type", "digital", "--limit", "1"
    )
    (listed,) = get(served, "/upcoming.json?watchlist=next&days=400")
    assert [row["id"] for row in json.loads(listed.text)] == [7]
    demo("add", "Someday Film", "--franchise", "Other")
    demo("release", "Someday Film", "TBA")
    (other, with_tba) = get(served, "/upcoming.json?franchise=other&tba=1", "/upcoming.json?tba=1")
    assert [row["title"] for row in json.loads(other.text)] == ["Someday Film"]
    assert json.loads(with_tba.text) == demo.json("upcoming", "--tba")
    assert json.loads(with_tba.text) != json.loads(plain.text)


def test_metadata_describes_tables_labels_films_and_hides_internals(served: Any) -> None:
    db = "tracker"
    tables, releases, films_meta = get(
        served, f"/{db}.json", f"/{db}/releases.json?_labels=on&_size=1",
        "/-/metadata.json",
    )  # fmt: skip
    listed = {table["name"]: table for table in tables.json()["tables"]}
    for internal in ("_sqlite_migrations", "undo_log", "undo_state", "meta",
                     "release_tombstones", "release_shift_bounds"):  # fmt: skip
        assert listed[internal]["hidden"] is True, internal
    assert not listed["films"]["hidden"] and not listed["releases"]["hidden"]
    views = {view["name"] for view in tables.json()["views"]}
    assert {"current_releases", "upcoming", "film_status", "date_moves"} <= views
    row = releases.json()["rows"][0]
    assert row["film_id"] == {"value": 1, "label": "Mission: Impossible"}
    described = films_meta.json()["databases"][db]["tables"]
    assert described["releases"]["columns"]["country"].startswith("ISO 3166-1")
    assert "description" in described["current_releases"]


def test_the_server_never_writes(served: Any, isolated: Path) -> None:
    before = isolated.read_bytes()
    (response,) = get(served, "/tracker.json?sql=delete+from+films")
    assert response.status_code == 400
    assert response.json()["error"] == "Statement must be a SELECT"
    assert isolated.read_bytes() == before


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(demo: Run, isolated: Path) -> Iterator[str]:
    """The real `tracker serve` in its own process, on a free loopback port."""
    port = free_port()
    env = {**os.environ, "TRACKER_DB": str(isolated), "TRACKER_TODAY": TODAY}
    process = subprocess.Popen(
        [sys.executable, "-m", "tracker", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx.get(f"{base}/-/versions.json", timeout=1)
                break
            except httpx.TransportError:
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                time.sleep(0.05)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_real_client_reads_every_route(server: str, demo: Run) -> None:
    with httpx.Client(base_url=server, timeout=10) as client:
        calendar = client.get("/calendar.ics", params={"approximate": "1"})
        assert calendar.status_code == 200
        assert calendar.text == demo("export", "ics", "--approximate").stdout_bytes.decode()
        feed = client.get("/changes.atom", params={"since": "2020-01-01"})
        assert feed.status_code == 200 and not feedparser.parse(feed.text).bozo
        atom_is_valid(feed.text)
        assert client.get("/upcoming.json").json() == demo.json("upcoming")
        assert client.get("/tracker/films.json").json()["rows"][0][1] == "Mission: Impossible"


def test_without_datasette_serve_says_how_to_install_it(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [m for m in sys.modules if m == "datasette" or m.startswith("datasette.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "datasette", None)  # an import now fails
    assert run.error("serve") == (
        "Error: tracker serve needs Datasette: pip install 'tracker[serve]'"
    )


# Streaming: the feeds are sent as the library makes them ----------------------------------


def asgi_get(
    datasette: Any,
    path: str,
    gone_after: int | None = None,
    on_chunk: Callable[[], None] | None = None,
) -> list[dict[str, Any]]:
    """The ASGI messages Datasette sends for a GET of `path`, driven as uvicorn drives it.
    `on_chunk` runs as each chunk of the body is sent; `gone_after`: the client disconnects
    once that many were sent (uvicorn's `send` then does nothing: the app only learns it
    from `receive`)."""
    from urllib.parse import urlsplit

    url = urlsplit(path)
    scope = {
        "type": "http", "http_version": "1.1", "method": "GET", "scheme": "http",
        "path": url.path, "raw_path": url.path.encode(), "query_string": url.query.encode(),
        "headers": [(b"host", b"localhost")], "server": ("localhost", 80),
        "client": ("127.0.0.1", 12345), "root_path": "",
    }  # fmt: skip
    sent: list[dict[str, Any]] = []

    async def fetch() -> None:
        await datasette.invoke_startup()
        gone = asyncio.Event()
        asked = 0

        async def receive() -> dict[str, Any]:
            nonlocal asked
            asked += 1
            if asked == 1:
                return {"type": "http.request", "body": b"", "more_body": False}
            await gone.wait()
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            if gone.is_set():
                return
            sent.append(message)
            if message["type"] == "http.response.body" and message["body"]:
                if on_chunk is not None:
                    on_chunk()
                if gone_after is not None and len(body_chunks(sent)) >= gone_after:
                    gone.set()

        await datasette.app()(scope, receive, send)

    asyncio.run(fetch())
    return sent


def body_chunks(messages: list[dict[str, Any]]) -> list[bytes]:
    return [m["body"] for m in messages if m["type"] == "http.response.body" and m["body"]]


@pytest.fixture
def chunk_size(monkeypatch: pytest.MonkeyPatch) -> Callable[[int], None]:
    from tracker.server import streaming

    return lambda chars: monkeypatch.setattr(streaming, "CHUNK_CHARS", chars)


@pytest.fixture
def calendars(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every calendar the library makes (tracker.exchange.ics.stream's, unchanged), to
    watch how far it got."""
    from tracker.exchange import ics

    made: list[ics.CalendarStream] = []
    real_stream = ics.stream

    def stream(*args: Any, **kwargs: Any) -> ics.CalendarStream:
        made.append(real_stream(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(ics, "stream", stream)
    return made


def test_streamed_feeds_are_byte_for_byte_the_cli_with_every_filter(
    served: Any, demo: Run, chunk_size: Callable[[int], None]
) -> None:
    chunk_size(100)  # the demo's calendar and upcoming films are many chunks
    calendars = {
        "": [],
        "watchlist=next&approximate=1": ["--watchlist", "next", "--approximate"],
        "country=GB&type=digital&type=theatrical": ["--country", "GB", "--type", "digital",
                                                    "--type", "theatrical"],
        "franchise=Mission: Impossible&days=400": ["--franchise", "Mission: Impossible",
                                                   "--days", "400"],
    }  # fmt: skip
    upcomings = {
        "": [],
        "country=GB&type=digital": ["--country", "GB", "--type", "digital"],
        "tba=1&limit=3": ["--tba", "--limit", "3"],
        "watchlist=next&days=400": ["--watchlist", "next", "--days", "400"],
    }
    paths = [f"/calendar.ics?{q}" for q in calendars] + [f"/upcoming.json?{q}" for q in upcomings]
    responses = get(served, *paths)
    for response, options in zip(responses, calendars.values(), strict=False):
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/calendar; charset=utf-8"
        assert response.content == demo("export", "ics", *options).stdout_bytes
    for response, options in zip(responses[len(calendars) :], upcomings.values(), strict=True):
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json; charset=utf-8"
        # The CLI ends its output with a line break; the served JSON never did.
        assert response.content + b"\n" == demo("upcoming", "-f", "json", *options).stdout_bytes
    assert len(responses[0].content) > 10 * 100 and len(responses[4].content) > 3 * 100


def test_the_calendar_is_sent_a_chunk_at_a_time_as_it_is_made(
    served: Any, demo: Run, chunk_size: Callable[[int], None], calendars: list[Any]
) -> None:
    chunk_size(1)  # each piece the library makes (the head, an event, the end) is a chunk
    made_when_sent: list[int] = []  # events the library had made as each chunk went out
    messages = asgi_get(served, "/calendar.ics", on_chunk=lambda: made_when_sent.append(
        calendars[0].events))  # fmt: skip
    (calendar,) = calendars
    chunks = body_chunks(messages)
    assert messages[0]["status"] == 200
    assert b"".join(chunks) == demo("export", "ics").stdout_bytes
    assert calendar.events >= 10 and len(chunks) == calendar.events + 2
    # Chunk k holds event k, and was sent before the library went further than the next
    # one (an event counts once the library moves past it): made as it is sent.
    assert all(made <= k for k, made in enumerate(made_when_sent)), made_when_sent


def test_a_client_that_goes_away_stops_the_worker_and_closes_its_connection(
    served: Any,
    demo: Run,
    chunk_size: Callable[[int], None],
    calendars: list[Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sqlite3
    import threading

    from tracker.server.streaming import THREAD_NAME
    from tracker.store import connection

    chunk_size(1)
    stores: list[Any] = []
    real_open = connection.open_read_only

    def open_read_only(path: Any) -> Any:
        stores.append(real_open(path))
        return stores[-1]

    monkeypatch.setattr(connection, "open_read_only", open_read_only)
    body = b"".join(body_chunks(asgi_get(served, "/calendar.ics", gone_after=3)))
    (calendar,) = calendars
    whole = demo("export", "ics").stdout_bytes
    assert whole.startswith(body) and len(body) < len(whole) / 2
    assert calendar.events < whole.count(b"BEGIN:VEVENT") / 2
    for thread in threading.enumerate():
        if thread.name.startswith(THREAD_NAME):
            thread.join(timeout=5)
            assert not thread.is_alive()
    (store,) = stores
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        store.conn.execute("SELECT 1")


def test_an_atom_entry_is_updated_on_the_day_its_fact_counts_as_known(
    run: Run, isolated: Path
) -> None:
    """A status dated "Jul 2020" counts from 31 July (as `changes --since` takes it), so its
    entry is not dated before anyone could have known of it."""
    from tracker.exchange import atom
    from tracker.store import open_store

    run("add", "Alpha", "--status", "announced", "--on", "2020-01-10")
    run("status", "Alpha", "filming", "--on", "2020-07")
    store = open_store(isolated)
    try:
        text = atom.build(store, datetime.date(2020, 10, 15), since=datetime.date(2020, 6, 1))
    finally:
        store.close()
    feed = atom_is_valid(text)
    (entry,) = feed.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}updated") == "2020-07-31T00:00:00Z"
    assert feed.findtext(f"{ATOM}updated") == "2020-07-31T00:00:00Z"
