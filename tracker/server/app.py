"""The Datasette instance `tracker serve` runs: the database read-only, described by
tracker's metadata, with the feed routes of tracker.server.plugin."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from tracker.errors import TrackerError

INSTALL_HINT = "tracker serve needs Datasette: pip install 'tracker[serve]'"


class ServeUnavailable(TrackerError):
    pass


def make_datasette(path: Path, today: datetime.date | None = None) -> Any:
    """A Datasette over the database file. `today` fixes the day the feeds answer for
    (else each request's real date)."""
    try:
        from datasette.app import Datasette
        from datasette.plugins import pm
    except ImportError:
        raise ServeUnavailable(INSTALL_HINT) from None
    from tracker.server import plugin
    from tracker.server.metadata import metadata

    if not pm.is_registered(plugin):
        pm.register(plugin, name="tracker")
    config = {"database": str(path), "today": today.isoformat() if today else None}
    return Datasette(
        files=[str(path)],
        metadata=metadata(path.stem, config),
        settings={"default_page_size": 50},
    )


def serve(datasette: Any, host: str, port: int) -> None:
    """Run until interrupted."""
    import uvicorn

    uvicorn.run(datasette.app(), host=host, port=port, log_level="warning")
