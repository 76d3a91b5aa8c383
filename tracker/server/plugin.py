"""The Datasette plugin adding tracker's feeds: it reads the query string and calls the
library, whose text is sent as it is made (tracker.server.streaming: one read-only
connection per request, in a worker thread)."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from datasette import hookimpl

from tracker.errors import InvalidValue
from tracker.server.streaming import respond

if TYPE_CHECKING:
    from tracker.store import Store


def _config(datasette: Any) -> tuple[str, datetime.date]:
    config = datasette.plugin_config("tracker")
    today = config.get("today")
    day = datetime.date.fromisoformat(today) if today else datetime.date.today()
    return config["database"], day


def _number(args: Any, name: str, least: int) -> int | None:
    """A whole-number parameter, checked here so that its error names the parameter (the
    library's would name the CLI's option, --limit)."""
    text = args.get(name)
    if text in (None, ""):
        return None
    try:
        number = int(text)
    except ValueError:
        raise InvalidValue(f"{name} must be a whole number, not '{text}'") from None
    if number < least:
        raise InvalidValue(f"{name} must be at least {least}, not {number}")
    return number


def _text(args: Any, name: str) -> str | None:
    value = args.get(name)
    return value if value else None


def _yes(args: Any, name: str) -> bool:
    return (args.get(name) or "").lower() in ("1", "true", "yes", "on")


async def _answer(
    datasette: Any,
    request: Any,
    content_type: str,
    pieces: Callable[[Store, datetime.date], Iterable[str]],
) -> Any:
    path, today = _config(datasette)

    def made(store: Store) -> Iterable[str]:
        return pieces(store, today)

    return await respond(request, path, content_type, made)


def _calendar(store: Store, today: datetime.date, args: Any) -> Iterable[str]:
    from tracker.exchange.ics import Filters, stream

    filters = Filters(
        _text(args, "watchlist"),
        _text(args, "country"),
        tuple(t for t in args.getlist("type") if t),
        _text(args, "franchise"),
        _number(args, "days", least=0),
        _yes(args, "approximate"),
    )
    return stream(store, today, filters)


def _changes(store: Store, today: datetime.date, args: Any, url: str) -> Iterable[str]:
    """One piece: the feed is as long as its window, not the catalogue."""
    from tracker.dates import parse_day
    from tracker.exchange.atom import build

    since_text = _text(args, "since")
    since = parse_day(since_text) if since_text else today - datetime.timedelta(days=30)
    return [build(store, today, since=since, watchlist=_text(args, "watchlist"), self_url=url)]


def _upcoming(store: Store, today: datetime.date, args: Any) -> Iterable[str]:
    from tracker.render import stream
    from tracker.views.releases import upcoming

    rows = upcoming(  # checks its options here, before the first row
        store,
        today,
        days=_number(args, "days", least=0),
        country=_text(args, "country"),
        release_type=_text(args, "type"),
        franchise=_text(args, "franchise"),
        limit=_number(args, "limit", least=1),
        tba=_yes(args, "tba"),
        watchlist=_text(args, "watchlist"),
    )
    return stream(rows, "json", [])  # what to_json writes for the list, a row at a time


async def calendar(datasette: Any, request: Any) -> Any:
    return await _answer(
        datasette,
        request,
        "text/calendar; charset=utf-8",
        lambda store, today: _calendar(store, today, request.args),
    )


async def changes(datasette: Any, request: Any) -> Any:
    return await _answer(
        datasette,
        request,
        "application/atom+xml; charset=utf-8",
        lambda store, today: _changes(store, today, request.args, request.url),
    )


async def upcoming(datasette: Any, request: Any) -> Any:
    return await _answer(
        datasette,
        request,
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
