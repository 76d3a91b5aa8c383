"""`timeline --chart` lines its bars up in terminal columns: a label of wide characters (CJK,
fullwidth: two columns each) or with combining marks (none) is padded by the columns it
takes, not by its characters, and no line runs past the width."""

from __future__ import annotations

import pytest
from wcwidth import wcswidth

from tests.conftest import Run

TITLES = ["映画映画映画", "ABCDEF", "Ame\u0301lie", "ＡＢＣ全角", "映画" * 20]


@pytest.mark.parametrize("columns", ["80", "50"])
def test_chart_bars_start_at_one_column_whatever_the_labels(
    run: Run, monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    for title in TITLES:
        run("--today", "2024-06-01", "add", title, "--on", "2023-01-01")
    ids = [f"#{number}" for number in range(1, len(TITLES) + 1)]
    lines = run("--today", "2024-06-01", "timeline", *ids, "--chart").stdout.splitlines()
    bars = lines[1 : 1 + len(TITLES)]
    # Each film has the same phase from the same day: its bar starts where the others' do.
    starts = {wcswidth(line[: line.index("-")]) for line in bars}
    assert len(starts) == 1, bars
    assert max(wcswidth(line) for line in lines) <= int(columns)
    assert bars[0].startswith("映画映画映画 ") and bars[-1].startswith("映画映画")
    assert "…" in bars[-1]  # too long: cut to its share of the width
