"""Patterns compiled on first use behave as compiled ones, and cost nothing until used."""

from __future__ import annotations

import re
import subprocess
import sys

from tracker.patterns import pattern


def test_a_lazy_pattern_answers_as_the_compiled_one() -> None:
    lazy, compiled = pattern(r"(\d{4})-(\d{2})", re.IGNORECASE), re.compile(r"(\d{4})-(\d{2})")
    assert "_compiled" not in vars(lazy)
    assert lazy.fullmatch("2021-10").groups() == compiled.fullmatch("2021-10").groups()  # type: ignore[union-attr]
    assert lazy.sub("x", "a 2021-10 b") == "a x b"
    assert lazy.findall("1999-01 2000-02") == [("1999", "01"), ("2000", "02")]
    assert lazy.flags & re.IGNORECASE
    assert vars(lazy)["_compiled"] == re.compile(r"(\d{4})-(\d{2})", re.IGNORECASE)


def test_importing_the_date_and_name_rules_compiles_no_pattern() -> None:
    probe = (
        "import tracker.dates, tracker.names, tracker.validation, tracker.cells\n"
        "from tracker.patterns import _Lazy\n"
        "modules = (tracker.dates, tracker.names, tracker.validation, tracker.cells)\n"
        "lazy = [v for m in modules for v in vars(m).values() if isinstance(v, _Lazy)]\n"
        "print(len(lazy), sum('_compiled' in vars(v) for v in lazy))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    count, compiled = map(int, done.stdout.split())
    assert count >= 20 and compiled == 0, done.stderr
