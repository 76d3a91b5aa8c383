"""Hooks: an `on-change` executable gets one JSON object per committed change; a hook that
fails or runs too long is reported and the write stays."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Run

RECORDER = f"""#!{sys.executable}
import sys
with open(sys.argv[0] + ".log", "a", encoding="utf-8") as log:
    log.write(sys.stdin.read())
"""


def install(folder: Path, script: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    hook = folder / "on-change"
    hook.write_text(script, encoding="utf-8")
    hook.chmod(0o755)
    return hook


def received(hook: Path) -> list[dict[str, Any]]:
    log = Path(str(hook) + ".log")
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def hook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "my-hooks"
    monkeypatch.setenv("TRACKER_HOOKS", str(folder))
    return install(folder, RECORDER)


def test_each_kind_of_change_reaches_the_hook(run: Run, hook: Path) -> None:
    run("add", "Film A", "--release", "2021-Q3", "--country", "US", "--source", "https://e.x/a")
    (added,) = received(hook)
    assert added == {
        "kind": "added",
        "film": 1,
        "title": "Film A",
        "country": "US",
        "type": "theatrical",
        "old": None,
        "new": "2021-Q3",
        "shift_days": None,
        "announced": "2020-10-15",
        "source": "https://e.x/a",
    }
    run("release", "Film A", "2021-08-13", "--country", "US")  # inside Q3: refined
    run("release", "Film A", "2021-08-20", "--country", "US")  # moved a week
    run("release", "Film A", "2021", "--country", "US")  # the year around it: vaguer
    run("release", "Film A", "TBA", "--country", "US")
    run("release", "Film A", "TBA", "--country", "US")  # the same again: no change, no call
    run("status", "Film A", "filming")
    run("retitle", "Film A", "Film B")
    kinds = [(c["kind"], c["old"], c["new"], c["shift_days"]) for c in received(hook)[1:]]
    assert kinds == [
        ("refined", "2021-Q3", "2021-08-13", None),  # only a move has a shift
        ("moved", "2021-08-13", "2021-08-20", 7),
        ("vaguer", "2021-08-20", "2021", None),
        ("tba", "2021", None, None),
        ("status", "announced", "filming", None),
        ("retitled", "Film A", "Film B", None),
    ]
    assert received(hook)[-1]["title"] == "Film B"


def test_a_removed_film_is_one_change_per_release_and_undo_reports_too(
    run: Run, hook: Path
) -> None:
    run("add", "Gone Film", "--release", "2021-02-05", "--country", "US")
    run("release", "Gone Film", "2021-03-05", "--country", "US")
    run("release", "Gone Film", "2021-04-02", "--country", "GB")
    run("add", "Plain Film")
    assert received(hook)[-1]["kind"] == "added" and received(hook)[-1]["country"] is None
    before = len(received(hook))
    run("remove", "Gone Film", "--yes")
    removed = received(hook)[before:]
    assert sorted((c["kind"], c["country"], c["old"], c["title"]) for c in removed) == [
        ("removed", "GB", "2021-04-02", "Gone Film"),
        ("removed", "US", "2021-03-05", "Gone Film"),
    ]
    run("undo")
    back = received(hook)[before + 2 :]
    assert sorted((c["kind"], c["country"], c["new"]) for c in back) == [
        ("added", "GB", "2021-04-02"),
        ("added", "US", "2021-02-05"),
        ("moved", "US", "2021-03-05"),
    ]


def test_undoing_a_release_moves_the_date_back(run: Run, hook: Path) -> None:
    run("add", "Film A", "--release", "2021-02-05")
    run("release", "Film A", "2021-03-05")
    run("undo")
    (back,) = received(hook)[2:]
    assert (back["kind"], back["old"], back["new"], back["shift_days"]) == (
        "moved",
        "2021-03-05",
        "2021-02-05",
        -28,
    )


def test_amend_and_delete_of_an_announcement_reach_the_hook(run: Run, hook: Path) -> None:
    run("add", "Film A", "--release", "2021-02-05")
    run("release", "Film A", "2021-03-05")
    (latest,) = [e["id"] for e in run.json("history", "Film A") if e["date"] == "2021-03-05"]
    run("amend", "release", str(latest), "--date", "2021-03-12")
    run("amend", "release", str(latest), "--note", "typo fixed")  # the date stays: no change
    run("delete", "release", str(latest), "--yes")
    changes = [(c["kind"], c["old"], c["new"], c["shift_days"]) for c in received(hook)[2:]]
    assert changes == [
        ("moved", "2021-03-05", "2021-03-12", 7),
        ("moved", "2021-03-12", "2021-02-05", -35),
    ]


def test_the_default_folder_is_hooks_beside_the_database(run: Run, isolated: Path) -> None:
    hook = install(isolated.parent / "hooks", RECORDER)
    run("add", "Film A", "--release", "2021-02-05")
    assert [c["kind"] for c in received(hook)] == ["added"]
    assert run("list").exit_code == 0  # a command that writes nothing calls no hook
    assert len(received(hook)) == 1


def test_a_file_that_is_not_executable_is_no_hook(run: Run, hook: Path) -> None:
    hook.chmod(0o644)
    run("add", "Film A", "--release", "2021-02-05")
    assert received(hook) == []


def test_a_failing_hook_is_reported_and_the_write_stays(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "failing"
    monkeypatch.setenv("TRACKER_HOOKS", str(folder))
    hook = install(folder, "#!/bin/sh\necho 'ntfy: no route' >&2\nexit 3\n")
    result = run("add", "Film A", "--release", "2021-02-05")
    assert result.stdout.strip() == "#1"
    assert result.stderr.strip() == (
        f"Warning: hook {hook} failed (exit 3): ntfy: no route; the change is saved"
    )
    assert [row["title"] for row in run.json("list")] == ["Film A"]


def test_a_slow_hook_is_stopped_and_the_write_stays(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tracker.hooks

    monkeypatch.setattr(tracker.hooks, "TIMEOUT_SECONDS", 0.5)
    folder = tmp_path / "slow"
    monkeypatch.setenv("TRACKER_HOOKS", str(folder))
    hook = install(folder, "#!/bin/sh\nsleep 30\n")
    started = time.monotonic()
    result = run("add", "Film A", "--release", "2021-02-05")
    assert time.monotonic() - started < 10
    assert result.stderr.strip() == (
        f"Warning: hook {hook} ran past 0.5 s and was stopped; the change is saved"
    )
    assert [row["title"] for row in run.json("list")] == ["Film A"]


def test_a_failed_command_calls_no_hook(run: Run, hook: Path) -> None:
    run("add", "Film A", "--release", "2021-02-05")
    run.error("release", "Film A", "2021-13-45")
    assert len(received(hook)) == 1


@pytest.fixture
def three(run: Run) -> dict[str, int]:
    """Film A (US) announced for 23 Jul 2021 (1 Feb 2019), moved to 19 Nov 2021 (24 Apr
    2020), then to 27 May 2022 (9 Apr 2021): the ids of the three announcements by date."""
    run("add", "Film A")
    run("release", "Film A", "2021-07-23", "-c", "US", "--announced", "2019-02-01")
    run("release", "Film A", "2021-11-19", "-c", "US", "--announced", "2020-04-24")
    run("--today", "2021-04-09", "release", "Film A", "2022-05-27", "-c", "US")
    history = run.json("--today", "2026-01-01", "history", "Film A")
    return {entry["date"]: entry["id"] for entry in history}


def test_deleting_a_superseded_announcement_moves_nothing(
    run: Run, hook: Path, three: dict[str, int]
) -> None:
    later = ("--today", "2021-05-01")
    countdown = run(*later, "countdown", "Film A").stdout
    before = len(received(hook))
    run(*later, "delete", "release", str(three["2021-11-19"]), "--yes")
    assert run(*later, "countdown", "Film A").stdout == countdown
    run(*later, "undo")  # brought back behind the 27 May 2022 one: no change either
    # Not known yet on 15 Oct 2020: deleting it changes no date of that day.
    run("delete", "release", str(three["2022-05-27"]), "--yes")
    assert received(hook)[before:] == []


def test_deleting_the_current_announcement_moves_the_date_back(
    run: Run, hook: Path, three: dict[str, int]
) -> None:
    before = len(received(hook))
    run("delete", "release", str(three["2021-11-19"]), "--yes")  # current on 15 Oct 2020
    run("undo")
    run("--today", "2021-05-01", "delete", "release", str(three["2022-05-27"]), "--yes")
    moves = [(c["kind"], c["old"], c["new"], c["shift_days"]) for c in received(hook)[before:]]
    assert moves == [
        ("moved", "2021-11-19", "2021-07-23", -119),
        ("moved", "2021-07-23", "2021-11-19", 119),
        ("moved", "2022-05-27", "2021-11-19", -189),
    ]


def test_amending_a_superseded_announcement_moves_nothing(
    run: Run, hook: Path, three: dict[str, int]
) -> None:
    before = len(received(hook))
    run("amend", "release", str(three["2021-07-23"]), "--date", "2021-07-30")
    assert received(hook)[before:] == []
    run("amend", "release", str(three["2021-11-19"]), "--date", "2021-11-26")
    (moved,) = received(hook)[before:]
    assert (moved["old"], moved["new"], moved["shift_days"]) == ("2021-11-19", "2021-11-26", 7)


def test_the_title_is_the_one_of_the_commands_day(run: Run, hook: Path) -> None:
    run("add", "Film A", "--release", "2021-07-23", "-c", "US")
    run("--today", "2021-03-01", "retitle", "Film A", "Film B")
    run("release", "Film A", "2021-07-30", "-c", "US")  # on 15 Oct 2020 it is Film A
    run("status", "Film A", "filming")
    run("--today", "2021-03-02", "release", "Film A", "2021-08-06", "-c", "US")
    titles = [(c["kind"], c["title"]) for c in received(hook)]
    assert titles == [
        ("added", "Film A"),
        ("retitled", "Film B"),
        ("moved", "Film A"),
        ("status", "Film A"),
        ("moved", "Film B"),
    ]
    run("remove", "Film A", "--yes")  # a removed film: its title of the day, from its rows
    assert (received(hook)[-1]["kind"], received(hook)[-1]["title"]) == ("removed", "Film A")


def test_removing_a_film_without_dates_is_reported_like_adding_it(run: Run, hook: Path) -> None:
    run("add", "Plain Film")
    run("remove", "Plain Film", "--yes")
    run("undo")
    assert [(c["kind"], c["film"], c["title"], c["country"]) for c in received(hook)] == [
        ("added", 1, "Plain Film", None),
        ("removed", 1, "Plain Film", None),
        ("added", 1, "Plain Film", None),
    ]


def test_merging_a_film_removes_nothing_and_moves_what_it_brings(run: Run, hook: Path) -> None:
    run("add", "Film A", "--release", "2021-07-23", "-c", "US")
    run("add", "Film A Dup", "--release", "2021-08-06", "-c", "US")
    run("add", "Film A Two", "--release", "2021-09-03", "-c", "GB")
    before = len(received(hook))
    run("merge", "Film A Dup", "Film A", "--yes")
    run("merge", "Film A Two", "Film A", "--yes")
    changes = [(c["kind"], c["film"], c["country"], c["old"], c["new"]) for c in received(hook)]
    assert changes[before:] == [
        ("moved", 1, "US", "2021-07-23", "2021-08-06"),  # announced later: now current
        ("added", 1, "GB", None, "2021-09-03"),
    ]


def test_deleting_mi7s_superseded_2020_announcement_tells_the_hook_nothing(
    demo: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "demo-hooks"
    monkeypatch.setenv("TRACKER_HOOKS", str(folder))
    hook = install(folder, RECORDER)
    later = ("--today", "2026-11-26")
    countdown = demo(*later, "countdown", "7").stdout
    demo(*later, "delete", "release", "11", "--yes")  # 19 Nov 2021, announced 24 Apr 2020
    assert demo(*later, "countdown", "7").stdout == countdown
    assert received(hook) == []


def test_the_old_status_and_title_are_those_known_on_the_commands_day(run: Run, hook: Path) -> None:
    """As `changes` names them: a status or title dated "Apr 2022" counts from 30 April, so
    a change written as of 25 April follows the one known then."""
    later = ("--today", "2022-06-01")
    run(*later, "add", "Alpha", "--status", "announced", "--on", "2021-01-01")
    run(*later, "status", "Alpha", "paused", "--on", "2022-04")
    run(*later, "retitle", "Alpha", "Beta", "--on", "2022-04")
    before = len(received(hook))
    run("--today", "2022-04-25", "status", "Alpha", "filming", "--on", "2022-04-20")
    run("--today", "2022-04-25", "retitle", "Beta", "Gamma", "--on", "2022-04-20")
    status, title = received(hook)[before:]
    assert (status["kind"], status["old"], status["new"]) == ("status", "announced", "filming")
    assert (title["kind"], title["old"], title["new"]) == ("retitled", "Alpha", "Gamma")


def test_the_date_a_new_announcement_follows_is_one_known_on_the_commands_day(
    run: Run, hook: Path
) -> None:
    """As `history` takes it: a date announced "in 2023" counts from 31 December 2023, so an
    announcement of 1 June, written on 15 June, follows nothing yet: it is added, and the
    hook never hears of the unknown date."""
    run("--today", "2024-01-10", "add", "Alpha")
    run("--today", "2024-01-10", "release", "Alpha", "2024-05-03", "--announced", "2023")
    before = len(received(hook))
    run("--today", "2023-06-15", "release", "Alpha", "2024-09-20", "--announced", "2023-06-01")
    (change,) = received(hook)[before:]
    assert (change["kind"], change["old"], change["new"]) == ("added", None, "2024-09-20")
    assert change["shift_days"] is None
    history = run("--today", "2023-06-15", "history", "Alpha", "-f", "json").stdout
    assert [entry["previous"] for entry in json.loads(history)] == [None]


def test_undoing_or_correcting_a_status_or_retitle_reaches_the_hook(run: Run, hook: Path) -> None:
    """The status or title of the day changes back: a phone told "cancelled" is told
    "filming" again. Deleting a status that was not the latest changes nothing."""
    run("add", "Film A", "--status", "announced", "--on", "2020-01-01")
    run("status", "Film A", "filming", "--on", "2020-06-01")
    run("status", "Film A", "cancelled")
    run("undo")
    run("retitle", "Film A", "Film B", "--on", "2020-10-01")
    run("undo")
    run("delete", "status", "1", "--yes")  # the first: filming stays the latest
    run("amend", "status", "2", "--status", "paused")
    changes = [(c["kind"], c["title"], c["old"], c["new"], c["announced"]) for c in received(hook)]
    assert changes[2:] == [  # after added, and announced -> filming
        ("status", "Film A", "filming", "cancelled", "2020-10-15"),
        ("status", "Film A", "cancelled", "filming", "2020-06-01"),
        ("retitled", "Film B", "Film A", "Film B", "2020-10-01"),
        ("retitled", "Film A", "Film B", "Film A", None),
        ("status", "Film A", "filming", "paused", "2020-06-01"),
    ]
