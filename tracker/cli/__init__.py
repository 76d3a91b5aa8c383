"""The `tracker` command: which module holds each sub-command, and `main`. Typer is
imported only once a command needs it, so `tracker --version` answers without it."""

from __future__ import annotations

import importlib
import sys

TYPE_CHECKING = False  # not `from typing import ...`: typing alone costs 3 ms at start-up
if TYPE_CHECKING:
    import typer


# Every sub-app: (module in tracker.cli, its Typer, the group name or None to merge its
# commands at the top level).
SUB_APPS = (
    ("films", "app", None),
    ("releases", "app", None),
    ("exchange", "export_app", "export"),
    ("exchange", "import_app", "import"),
    ("production", "app", None),
    ("production", "shoot_app", "shoot"),
    ("production", "credit_app", "credit"),
    ("timeline", "app", None),
    ("watchlists", "app", "watchlist"),
    ("diary", "app", None),
    ("safety", "app", None),
    ("corrections", "app", None),
)
# The module of each top-level command. Typer builds every command it is given on every
# run (about 20 ms for all of them), so `main` gives it only the one that was asked for;
# tests/test_help.py keeps this table equal to what the modules define.
COMMAND_MODULES = {
    **dict.fromkeys(["add", "edit", "remove", "status", "list", "show"], "films"),
    **dict.fromkeys(["release", "upcoming", "countdown", "history"], "releases"),
    **dict.fromkeys(["export", "import"], "exchange"),
    **dict.fromkeys(["person", "note", "retitle", "sources", "source"], "production"),
    **dict.fromkeys(["shoot", "credit"], "production"),
    **dict.fromkeys(["timeline", "delays", "filming", "clashes"], "timeline"),
    "watchlist": "watchlists",
    **dict.fromkeys(["watch", "seen", "diary", "changes"], "diary"),
    **dict.fromkeys(["backup", "check", "undo"], "safety"),
    **dict.fromkeys(["amend", "delete", "statuses"], "corrections"),
}
ROOT_OPTIONS_WITH_VALUE = ("--db", "--today")


def build_app(command: str | None = None) -> typer.Typer:
    """The whole CLI, or only the part that holds `command`."""
    from tracker.cli.root import new_root, root

    root_app = new_root()
    root_app.callback()(root)
    wanted = COMMAND_MODULES.get(command or "")
    for module_name, attribute, group in SUB_APPS:
        if wanted is not None and (module_name != wanted or group not in (None, command)):
            continue
        module = importlib.import_module(f"tracker.cli.{module_name}")
        root_app.add_typer(getattr(module, attribute), name=group)
    return root_app


def command_in(argv: list[str]) -> str | None:
    """The sub-command an argument list asks for, or None (help, version, nothing)."""
    arguments = iter(argv)
    for argument in arguments:
        if argument in ROOT_OPTIONS_WITH_VALUE:
            next(arguments, None)
        elif not argument.startswith("-"):
            return argument
        elif argument in ("-h", "--help"):
            return None
    return None


def __getattr__(name: str) -> typer.Typer:
    # `from tracker.cli import app` (tests, tools) gets the whole CLI, built on first use.
    if name == "app":
        whole = build_app()
        globals()["app"] = whole
        return whole
    raise AttributeError(name)


def main() -> None:
    command = command_in(sys.argv[1:])
    if command is None and "--version" in sys.argv[1:] and not {"-h", "--help"} & set(sys.argv):
        from tracker import __version__

        print(f"tracker {__version__}")
        return
    build_app(command if command in COMMAND_MODULES else None)()
