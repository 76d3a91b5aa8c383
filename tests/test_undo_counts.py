"""Undo and redo report the rows they changed, counting a row that went with another: the
shoot `shoot add` made goes when the last link to its films is taken back (by trigger)."""

from __future__ import annotations

from tests.conftest import Run


def test_undoing_a_shoot_counts_the_shoot_it_removed(run: Run) -> None:
    run("add", "A")
    run("add", "B")
    run("shoot", "add", "A", "Lyon", "-c", "FR", "--also", "B")
    undone = run("undo").stdout
    assert "(rows changed: shoot_films 2, shoots 1)" in undone
    assert run.json("shoot", "list") == []
    redone = run("undo").stdout
    assert redone.startswith("Redid: ") and "(rows changed: shoot_films 2, shoots 1)" in redone
    assert "(rows changed: shoot_films 2, shoots 1)" in run("undo").stdout
