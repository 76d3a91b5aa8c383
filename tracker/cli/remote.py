"""fetch and sync: TMDB and Wikidata over HTTPS, imported as history."""

from collections.abc import Sequence
from typing import Annotated, Any

import typer

from tracker.cli.common import Format, FormatOpt, emit, state
from tracker.cli.progress import progress_bar


def _emit(reports: Sequence[Any], fmt: Format) -> None:
    from tracker.exchange.remote_import import REPORT_COLUMNS

    emit([report.row() for report in reports], fmt, columns=REPORT_COLUMNS)


def fetch_tmdb(
    ctx: typer.Context,
    ids: Annotated[
        list[str],
        typer.Argument(help="TMDB ids: 603, 603/release_dates, 603/changes or collection/264."),
    ],
    fmt: FormatOpt = Format.table,
) -> None:
    """Get /movie/{id} (with release dates, alternative titles and credits),
    /movie/{id}/release_dates, /movie/{id}/changes (the last day's) or /collection/{id} from
    TMDB and import it. Reads $TMDB_API_KEY or $TMDB_READ_TOKEN;
    $TRACKER_TMDB_URL overrides the address. A failed fetch changes nothing.

    Example: tracker fetch tmdb 693134 collection/726871
    """
    from tracker.exchange.fetch import fetch_tmdb as fetch

    current = state(ctx)
    with progress_bar("Fetching") as progress:
        reports = fetch(current.store, ids, today=current.today, progress=progress)
    _emit(reports, fmt)


def fetch_wikidata(
    ctx: typer.Context,
    qids: Annotated[list[str], typer.Argument(help="Wikidata item ids, e.g. Q104791523.")],
    fmt: FormatOpt = Format.table,
) -> None:
    """Get items' entity JSON (and the names of the people and places they cite) from
    Wikidata and import them. $TRACKER_WIKIDATA_URL overrides the address. A failed fetch
    changes nothing.

    Example: tracker fetch wikidata Q104791523
    """
    from tracker.exchange.fetch import fetch_wikidata as fetch

    current = state(ctx)
    with progress_bar("Fetching") as progress:
        reports = fetch(current.store, qids, today=current.today, progress=progress)
    _emit(reports, fmt)


def sync(
    ctx: typer.Context,
    films: Annotated[
        list[str] | None, typer.Argument(help="Films to refetch (default: every film with an id).")
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", "-s", help="Only tmdb or only wikidata.")
    ] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Refetch films by their TMDB and Wikidata ids and record every change as an
    announcement dated today: run weekly (cron), it keeps the date history no service keeps.

    Example: tracker sync --source tmdb
    """
    from tracker.domain.films import resolve
    from tracker.exchange.fetch import sync as run_sync

    current = state(ctx)
    store = current.store
    chosen = [resolve(store, name, current.today) for name in films or []]
    with progress_bar("Syncing") as progress:
        reports = run_sync(store, chosen, source=source, today=current.today, progress=progress)
    _emit(reports, fmt)
