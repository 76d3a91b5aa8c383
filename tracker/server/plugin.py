"""The Datasette plugin adding tracker's feeds: it reads the query string, calls the library
(one read-only connection per request, in a worker thread) and returns what it built."""

from __future__ import annotations

import asyncio
import datetime
from collections.abc import Callable
from typing import Any

from datasette import hookimpl
from datasette.utils.asgi import Response

from tracker.errors import InvalidValue, TrackerError


def _config(datasette: Any) -> tuple[str, datetime.date]:
    config = datasette.plugin_config("tracker")
    today = config.get("today")
    day = datetime.date.fromisoformat(today) if today else datetime.date.today()
    return config["database"], day


def _number(args: Any, name: str) -> int | None:
    text = args.get(name)
    if text in (None, ""):
        return None
    try:
        return int(text)
    except ValueError:
        raise InvalidValue(f"{name} must be a whole number, not '{text}'") from None


def _text(args: Any, name: str) -> str | None:
    value = args.get(name)
    return value if value else None


def _yes(args: Any, name: str) -> bool:
    return (args.get(name) or "").lower() in ("1", "true", "yes", "on")


async def _answer(
    datasette: Any, content_type: str, build: Callable[[Any, datetime.date], str]
) -> Response:
    from tracker.store.connection import open_read_only

    path, today = _config(datasette)

    def work() -> str:
        store = open_read_only(path)
        try:
            return build(store, today)
        finally:
            store.close()

    try:
        text = await asyncio.to_thread(work)
    except TrackerError as error:
        return Response.text(f"Error: {error}\n", status=400)
    return Response(text, content_type=content_type)


def _calendar(store: Any, today: datetime.date, args: Any) -> str:
    from tracker.exchange.ics import Filters, build

    filters = Filters(
        _text(args, "watchlist"),
        _text(args, "country"),
        tuple(t for t in args.getlist("type") if t),
        _text(args, "franchise"),
        _number(args, "days"),
        _yes(args, "approximate"),
    )
    return build(store, today, filters).text


def _changes(store: Any, today: datetime.date, args: Any, url: str) -> str:
    from tracker.dates import parse_day
    from tracker.exchange.atom import build

    since_text = _text(args, "since")
    since = parse_day(since_text) if since_text else today - datetime.timedelta(days=30)
    return build(store, today, since=since, watchlist=_text(args, "watchlist"), self_url=url)


def _upcoming(store: Any, today: datetime.date, args: Any) -> str:
    from tracker.render import to_json
    from tracker.views.releases import upcoming

    rows = list(
        upcoming(
            store,
            today,
            days=_number(args, "days"),
            country=_text(args, "country"),
            release_type=_text(args, "type"),
            franchise=_text(args, "franchise"),
            limit=_number(args, "limit"),
            tba=_yes(args, "tba"),
            watchlist=_text(args, "watchlist"),
        )
    )
    return to_json(rows)


async def calendar(datasette: Any, request: Any) -> Response:
    return await _answer(
        datasette,
        "text/calendar; charset=utf-8",
        lambda store, today: _calendar(store, today, request.args),
    )


async def changes(datasette: Any, request: Any) -> Response:
    return await _answer(
        datasette,
        "application/atom+xml; charset=utf-8",
        lambda store, today: _changes(store, today, request.args, request.url),
    )


async def upcoming(datasette: Any, request: Any) -> Response:
    return await _answer(
        datasette,
        "application/json; charset=utf-8",
        lambda store, today: _upcoming(store, today, request.args),
    )


@hookimpl  # type: ignore[untyped-decorator]
def register_routes() -> list[tuple[str, Any]]:
    return [
        (r"^/calendar\.ics$", calendar),
        (r"^/changes\.atom$", changes),
        (r"^/upcoming\.json$", upcoming),
    ]
