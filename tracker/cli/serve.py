"""serve: the database, its calendar and its feeds over HTTP (Datasette, an optional extra)."""

from typing import Annotated

import typer

from tracker.cli.common import say, state


# The backslash in the help keeps its markup from reading [serve] as a style.
def serve(
    ctx: typer.Context,
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (loopback by default).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8765,
) -> None:
    """Serve the database read-only in Datasette, with /calendar.ics, /changes.atom and
    /upcoming.json for calendar apps and feed readers. Needs `pip install 'tracker\\[serve]'`.

    Example: tracker serve --port 8765
    """
    import os

    from tracker.server.app import make_datasette
    from tracker.server.app import serve as run

    current = state(ctx)
    store = current.store  # brings the schema up to date before serving
    assert store.path is not None
    path = store.path.resolve()
    # The feeds answer for --today / $TRACKER_TODAY when given, else each request's date.
    fixed = ctx.find_root().params.get("today") or os.environ.get("TRACKER_TODAY")
    datasette = make_datasette(path, current.today if fixed else None)
    say(
        f"Serving {path} at http://{host}:{port}/ (Ctrl-C stops): /calendar.ics,"
        " /changes.atom, /upcoming.json"
    )
    run(datasette, host, port)
