"""export and import: the whole database as JSON (other formats join these groups)."""

from pathlib import Path
from typing import Annotated

import typer

from tracker.cli.common import say, state

export_app = typer.Typer(no_args_is_help=True, help="Write data out: json, csv, letterboxd, ics.")
import_app = typer.Typer(no_args_is_help=True, help="Read data in: json, csv, letterboxd.")

OutputOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="File to write (default: standard output).")
]


@export_app.command("json")
def export_json(ctx: typer.Context, output: OutputOpt = None) -> None:
    """The whole database as one JSON document that `import json` reads back.

    Example: tracker export json -o backup.json
    """
    from tracker.jsonio import export_text

    text = export_text(state(ctx).store)
    if output is None:
        typer.echo(text, nl=False)
    else:
        write_text_file(output, text)
        say(f"Wrote {output}")


@import_app.command("json")
def import_json(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A file written by `tracker export json`.")],
) -> None:
    """Load a JSON export: all or nothing.

    Example: tracker --db fresh.db import json backup.json
    """
    from tracker.jsonio import import_all, read_document

    document = read_document(file)
    counts = import_all(state(ctx).store, document, str(file))
    say("Imported " + ", ".join(f"{count} {name}" for name, count in counts.items()))


def write_text_file(path: Path, text: str) -> None:
    from tracker.errors import BadFile

    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise BadFile(f"cannot write {path}: {error.strerror}") from None
