"""`tracker --version` answers before Typer (or anything of the CLI) is imported."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import Run
from tracker import __version__

PROBE = (
    "import sys; sys.argv = ['tracker', *sys.argv[1:]]\n"
    "from tracker.cli import main\n"
    "main()\n"
    "print(sorted(m for m in sys.modules if m.startswith(('typer', 'click', 'tracker.cli.'))))"
)


def probe(*argv: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, check=True
    )
    return done.stdout.splitlines()


def test_version_prints_without_importing_typer() -> None:
    assert probe("--version") == [f"tracker {__version__}", "[]"]
    assert probe("--db", "x.db", "--version") == [f"tracker {__version__}", "[]"]


def test_version_through_the_whole_cli_too(run: Run) -> None:
    """The root option stays for callers that build the app (tests, tools)."""
    assert run("--version").stdout.strip() == f"tracker {__version__}"


COUNTRY_PROBE = (
    "import sys; sys.argv = ['tracker', *sys.argv[1:]]\n"
    "from tracker.cli import main\n"
    "try:\n"
    "    main()\n"
    "except SystemExit:\n"
    "    pass\n"
    "print('tracker.countries' in sys.modules)"
)


def test_upcoming_reads_the_country_table_only_for_a_country(isolated: Path) -> None:
    """Start-up is part of every answer: `upcoming` without --country skips the table."""
    db = str(isolated)

    def countries_imported(*argv: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", COUNTRY_PROBE, "--db", db, *argv],
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.splitlines()[-1]

    assert countries_imported("upcoming") == "False"
    assert countries_imported("upcoming", "--country", "france") == "True"


def test_upcoming_generates_no_dataclass_at_start_up(isolated: Path) -> None:
    """A dataclass costs a millisecond to create: none is on a listing's path (FuzzyDate,
    Film, Release and the CLI's state are written without one)."""
    probe = COUNTRY_PROBE.replace("'tracker.countries'", "'dataclasses'")
    done = subprocess.run(
        [sys.executable, "-c", probe, "--db", str(isolated), "upcoming", "-f", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.splitlines()[-1] == "False"
