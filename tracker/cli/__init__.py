"""The `tracker` command. `main` answers `tracker --version` before Typer (or anything of
the CLI) is imported; everything else is tracker/cli/root.py, which `from tracker.cli
import app` (tests, tools) also reaches."""

import sys
from typing import Any

ROOT_OPTIONS_WITH_VALUE = ("--db", "--today")


def asks_version(argv: list[str]) -> bool:
    """`--version` among the root options, with no command and no help asked for."""
    arguments = iter(argv)
    for argument in arguments:
        if argument in ROOT_OPTIONS_WITH_VALUE:
            next(arguments, None)
        elif argument == "--version":
            return True
        elif argument in ("-h", "--help") or not argument.startswith("-"):
            return False
    return False


def main() -> None:
    if asks_version(sys.argv[1:]):
        from tracker import __version__

        try:
            print(f"tracker {__version__}", flush=True)
        except BrokenPipeError:  # the reader is gone (`| head`): not an error, as for any command
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return
    from tracker.cli.root import run

    run()


def __getattr__(name: str) -> Any:
    import importlib

    return getattr(importlib.import_module("tracker.cli.root"), name)
