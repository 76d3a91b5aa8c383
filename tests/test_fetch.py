"""fetch and sync: the real httpx client against a fake TMDB and Wikidata on 127.0.0.1
(tests/fake_services.py), including every failure mode; no test touches the network."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import Run
from tests.fake_services import FakeService, Reply, dune, file_reply, json_reply, serve_demo
from tracker.errors import RemoteError
from tracker.exchange.web import USER_AGENT, Client, Settings, retry_after

DAY1 = ("--today", "2024-06-01")
DAY8 = ("--today", "2024-06-08")


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeService]:
    with FakeService() as service:
        monkeypatch.setenv("TRACKER_TMDB_URL", f"{service.url}/3")
        monkeypatch.setenv("TRACKER_WIKIDATA_URL", service.url)
        monkeypatch.setenv("TMDB_API_KEY", "test-key")
        monkeypatch.delenv("TMDB_READ_TOKEN", raising=False)
        monkeypatch.setenv("TRACKER_HTTP_BACKOFF", "0.001")
        monkeypatch.setenv("TRACKER_HTTP_MAX_WAIT", "0.01")
        monkeypatch.setenv("TRACKER_HTTP_TIMEOUT", "2")
        monkeypatch.setenv("TRACKER_HTTP_RETRIES", "2")
        yield service


def row(report: dict[str, Any]) -> tuple[int, ...]:
    keys = ("films_created", "films_matched", "announcements_added", "release_events_added")
    return tuple(report[key] for key in (*keys, "unchanged", "skipped"))


def test_fetch_tmdb_imports_the_movie_and_asks_politely(run: Run, fake: FakeService) -> None:
    serve_demo(fake)
    [report] = run.json(*DAY1, "fetch", "tmdb", "693134")
    assert report["file"] == "tmdb movie 693134"
    assert row(report) == (1, 0, 9, 2, 0, 2)
    [request] = fake.requests
    assert request.path == "/3/movie/693134"
    assert request.query["append_to_response"] == ["release_dates,alternative_titles,credits"]
    assert request.query["api_key"] == ["test-key"]
    assert request.headers["User-Agent"] == USER_AGENT and USER_AGENT.startswith("tracker/")
    show = run.json(*DAY1, "show", "Dune: Part Two")
    assert {r["source"] for r in show["releases"]} == {"https://api.themoviedb.org/3/movie/693134"}


def test_a_read_token_goes_in_the_authorization_header(
    run: Run, fake: FakeService, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMDB_READ_TOKEN", "token-123")
    serve_demo(fake)
    run(*DAY1, "fetch", "tmdb", "collection/726871")
    [request] = fake.requests
    assert request.headers["Authorization"] == "Bearer token-123"
    assert "api_key" not in request.query
    assert [f["instalment"] for f in run.json(*DAY1, "list")] == [1, 2, 3]


def test_two_syncs_a_week_apart_build_the_history(run: Run, fake: FakeService) -> None:
    fake.serve("/3/movie/693134", json_reply(dune()), json_reply(dune()), json_reply(dune(True)))
    run(*DAY1, "fetch", "tmdb", "693134")
    [same] = run.json(*DAY1, "sync")
    assert same["file"] == "Dune: Part Two (tmdb 693134)"
    assert row(same) == (0, 1, 0, 0, 11, 2)  # nothing moved: nothing recorded
    [moved] = run.json(*DAY8, "sync", "Dune 2", "--source", "tmdb")
    assert row(moved) == (0, 1, 1, 0, 9, 2)  # the IMAX entry is gone: one fewer
    us = [
        (h["announced"], h["date"], h["previous"], h["source"])
        for h in run.json(*DAY8, "history", "Dune: Part Two")
        if (h["country"], h["type"]) == ("US", "theatrical")
    ]
    source = "https://api.themoviedb.org/3/movie/693134"
    assert us == [
        ("2024-06-01", "2024-02-29", None, source),
        ("2024-06-08", "2024-03-15", "2024-02-29", source),
    ]
    # As of the first week, the old date still stands.
    week1 = run.json(*DAY1, "show", "Dune: Part Two")["releases"]
    assert {r["date"] for r in week1 if (r["country"], r["type"]) == ("US", "theatrical")} == {
        "2024-02-29"
    }


def test_fetch_wikidata_names_people_and_places_with_fetched_labels(
    run: Run, fake: FakeService
) -> None:
    serve_demo(fake)
    [report] = run.json(*DAY1, "fetch", "wikidata", "q104791523")
    assert row(report) == (1, 0, 5, 1, 0, 2)  # Kosovo's date; Wadi Rum (no country)
    show = run.json(*DAY1, "show", "Dune: Part Two")
    assert {(c["name"], c["role"]) for c in show["credits"]} == {
        ("Denis Villeneuve", "director"),
        ("Timothée Chalamet", "cast"),
        ("Zendaya", "cast"),
    }
    assert (show["franchise"], show["instalment"]) == ("Dune", 2)
    labels = [r for r in fake.requests if r.path == "/w/api.php"]
    assert labels[0].query["action"] == ["wbgetentities"]
    [again] = run.json(*DAY8, "sync", "--source", "wikidata")
    assert again["announcements_added"] == 0 and again["unchanged"] == 6


def test_429_is_retried_after_the_wait_it_asks_for(run: Run, fake: FakeService) -> None:
    fake.serve(
        "/3/movie/693134",
        json_reply({}, 429, headers={"Retry-After": "2"}),
        json_reply(dune()),
    )
    [report] = run.json(*DAY1, "fetch", "tmdb", "693134")
    assert report["films_created"] == 1
    assert len(fake.requests) == 2
    waits: list[float] = []
    fake.serve("/x", json_reply({}, 429, headers={"Retry-After": "2"}), json_reply({"ok": 1}))
    settings = Settings(timeout=2, retries=2, backoff=0.5, max_wait=60)
    with Client("TMDB", fake.url, settings=settings, sleep=waits.append) as client:
        assert client.get_json("/x", what="x") == {"ok": 1}
    assert waits == [2.0]  # Retry-After, not the backoff


def test_5xx_backs_off_then_fails_with_one_line_and_changes_nothing(
    run: Run, fake: FakeService
) -> None:
    fake.serve("/3/movie/693134", json_reply({}, 500))
    error = run.error(*DAY1, "fetch", "tmdb", "693134")
    assert error == "Error: TMDB answered 500 for movie 693134 (after 3 tries)"
    assert len(fake.requests) == 3
    assert run.json("list") == []
    waits: list[float] = []
    fake.serve("/y", json_reply({}, 503))
    settings = Settings(timeout=2, retries=3, backoff=0.5, max_wait=60)
    with (
        Client("TMDB", fake.url, settings=settings, sleep=waits.append) as client,
        pytest.raises(RemoteError, match="answered 503"),
    ):
        client.get_json("/y", what="y")
    assert waits == [0.5, 1.0, 2.0]


def test_a_bad_key_is_one_line(run: Run, fake: FakeService) -> None:
    fake.serve("/3/movie/1", json_reply({"status_code": 7}, 401))
    error = run.error(*DAY1, "fetch", "tmdb", "1")
    assert "TMDB refused the credentials (401)" in error and "$TMDB_API_KEY" in error
    assert len(fake.requests) == 1  # a 401 is not retried


def test_an_unknown_id_is_one_line_and_the_others_are_not_written(
    run: Run, fake: FakeService
) -> None:
    serve_demo(fake)
    error = run.error(*DAY1, "fetch", "tmdb", "693134", "999")
    assert error == "Error: TMDB has no movie 999 (404)"
    assert run.json("list") == []
    assert run.error(*DAY1, "fetch", "wikidata", "Q1") == "Error: Wikidata has no item Q1 (404)"


def test_a_slow_reply_times_out(
    run: Run, fake: FakeService, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_HTTP_TIMEOUT", "0.2")
    monkeypatch.setenv("TRACKER_HTTP_RETRIES", "0")
    fake.serve("/3/movie/5", Reply(200, b"{}", delay=1.0))
    error = run.error(*DAY1, "fetch", "tmdb", "5")
    assert error == "Error: TMDB did not answer within 0.2 s (after 1 try)"


def test_a_truncated_reply_is_retried_then_one_line(run: Run, fake: FakeService) -> None:
    body = json_reply(dune()).body
    fake.serve("/3/movie/693134", Reply(200, body, truncate=True), Reply(200, body))
    assert run.json(*DAY1, "fetch", "tmdb", "693134")[0]["films_created"] == 1
    fake.serve("/3/movie/7", Reply(200, body, truncate=True))
    error = run.error(*DAY1, "fetch", "tmdb", "7")
    assert error.startswith("Error: TMDB sent an incomplete reply for movie 7")
    fake.serve("/3/movie/8", Reply(200, b'{"id": 8, "title": '))
    assert "incomplete or invalid JSON reply for movie 8" in run.error(*DAY1, "fetch", "tmdb", "8")


def test_offline_is_one_line(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("TRACKER_TMDB_URL", f"http://127.0.0.1:{port}/3")
    monkeypatch.setenv("TMDB_API_KEY", "k")
    error = run.error("fetch", "tmdb", "603")
    assert error.startswith("Error: cannot reach TMDB at 127.0.0.1 (offline?)")


def test_what_a_user_can_get_wrong_before_any_request(
    run: Run, fake: FakeService, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "not a TMDB id" in run.error("fetch", "tmdb", "tt0133093")
    assert "not a Wikidata item id" in run.error("fetch", "wikidata", "City Streets")
    assert "no film holds a tmdb or wikidata id" in run.error("sync")
    run("add", "Hand Typed")
    assert "Hand Typed #1 has no tmdb id" in run.error("sync", "Hand Typed", "--source", "tmdb")
    assert "unknown source 'imdb'" in run.error("sync", "Hand Typed", "--source", "imdb")
    monkeypatch.delenv("TMDB_API_KEY")
    assert "set $TMDB_API_KEY" in run.error("fetch", "tmdb", "603")
    assert fake.requests == []


def test_retry_after_reads_seconds_and_http_dates() -> None:
    assert retry_after("7") == 7.0
    assert retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0) == 10.0
    assert retry_after("soon") is None and retry_after(None) is None


def test_fetch_tmdb_reads_release_dates_and_change_logs_too(run: Run, fake: FakeService) -> None:
    serve_demo(fake)
    fake.serve("/3/movie/693134/changes", file_reply("tmdb/movie-693134-changes.json"))
    fake.serve(
        "/3/movie/693134/release_dates", json_reply({"id": 693134, **dune()["release_dates"]})
    )
    reports = run.json(*DAY1, "fetch", "tmdb", "693134/changes", "693134/release_dates")
    # The dates agree with where the log ended (US, GB theatrical, the US 1 March event).
    assert [row(r) for r in reports] == [(1, 0, 6, 1, 0, 1), (0, 1, 7, 1, 3, 2)]
    assert [r.path for r in fake.requests] == [
        "/3/movie/693134/changes",
        "/3/movie/693134/release_dates",
    ]
    assert "not a TMDB id" in run.error("fetch", "tmdb", "collection/5/changes")


def test_httpx_is_imported_only_when_a_request_is_made() -> None:
    import subprocess
    import sys

    probe = (
        "import sys\nfrom tracker.cli import main\nimport tracker.exchange.fetch\n"
        "for argv in (['fetch', 'tmdb', '-h'], ['sync', '-h'], ['import', 'tmdb', '-h']):\n"
        "    sys.argv = ['tracker', *argv]\n"
        "    try:\n        main()\n    except SystemExit:\n        pass\n"
        "print('httpx' in sys.modules, 'tracker.cli.remote' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.stdout.strip().splitlines()[-1] == "False True", done.stderr
