"""Every command of `tracker`, in one place: its name and the function that runs it.

An entry is "module.function" in tracker/cli/, or a Group of such entries (`tracker shoot
add`). The order here is the order `tracker --help` lists them. Nothing is imported until a
command runs or help lists it: `tracker upcoming` imports tracker/cli/releases.py and builds
that one command (tracker/cli/__init__.py, `LazyGroup`), so start-up does not grow with the
number of commands. tests/test_help.py checks that every entry resolves and that every
command function in tracker/cli/ has an entry.
"""

from __future__ import annotations


class Group:
    """A command with sub-commands; every group behaves the same (no arguments: help).
    (A plain class: a dataclass would cost every start a few hundred microseconds.)"""

    def __init__(self, help: str, commands: dict[str, str]):
        self.help = help
        self.commands = commands


Entry = str | Group

COMMANDS: dict[str, Entry] = {
    "add": "films.add",
    "edit": "films.edit",
    "remove": "films.remove",
    "status": "films.status",
    "list": "films.list_",
    "show": "films.show",
    "release": "releases.release",
    "upcoming": "releases.upcoming",
    "countdown": "releases.countdown",
    "history": "releases.history",
    "export": Group(
        "Write data out: json, csv, letterboxd, ics.",
        {
            "json": "exchange.export_json",
            "csv": "exchange.export_csv",
            "letterboxd": "exchange.export_letterboxd",
            "ics": "exchange.export_ics",
        },
    ),
    "import": Group(
        "Read data in: json, csv, letterboxd, tmdb, wikidata.",
        {
            "json": "exchange.import_json",
            "csv": "exchange.import_csv",
            "letterboxd": "exchange.import_letterboxd",
            "tmdb": "exchange.import_tmdb",
            "wikidata": "exchange.import_wikidata",
        },
    ),
    "person": "production.person_",
    "note": "production.note",
    "retitle": "production.retitle",
    "sources": "production.sources",
    "source": "production.source",
    "shoot": Group(
        "Filming locations: shoot add, list, edit, remove.",
        {
            "add": "production.shoot_add",
            "list": "production.shoot_list",
            "edit": "production.shoot_edit",
            "remove": "production.shoot_remove",
        },
    ),
    "credit": Group(
        "People's credits on films: credit add, remove.",
        {"add": "production.credit_add", "remove": "production.credit_remove"},
    ),
    "timeline": "timeline.timeline",
    "delays": "timeline.delays",
    "filming": "timeline.filming",
    "clashes": "timeline.clashes",
    "watchlist": Group(
        "Named lists of films to see, in your order (the default list is `watchlist`).",
        {
            "create": "watchlists.create",
            "rename": "watchlists.rename",
            "delete": "watchlists.delete",
            "list": "watchlists.list_",
            "add": "watchlists.add",
            "remove": "watchlists.remove",
            "show": "watchlists.show",
        },
    ),
    "watch": "watchlists.watch",
    "seen": "diary.seen",
    "diary": "diary.diary",
    "changes": "diary.changes",
    "backup": "safety.backup",
    "check": "safety.check",
    "undo": "safety.undo",
    "amend": "corrections.amend",
    "delete": "corrections.delete",
    "statuses": "corrections.statuses",
    "fetch": Group(
        "Get films from TMDB or Wikidata over HTTPS and import them.",
        {"tmdb": "remote.fetch_tmdb", "wikidata": "remote.fetch_wikidata"},
    ),
    "sync": "remote.sync",
    "serve": "serve.serve",
    "info": "info.info",
}
