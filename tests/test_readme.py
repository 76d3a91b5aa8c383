"""The README is part of the product: every console example in it runs against the demo
database and prints what the README shows (scripts/readme_examples.py runs them)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location(
    "readme_examples", ROOT / "scripts/readme_examples.py"
)
assert _spec is not None and _spec.loader is not None
readme_examples = importlib.util.module_from_spec(_spec)
sys.modules["readme_examples"] = readme_examples  # dataclasses look their module up
_spec.loader.exec_module(readme_examples)


def test_every_readme_example_prints_what_the_readme_shows() -> None:
    lines = readme_examples.README.read_text(encoding="utf-8").split("\n")
    failed = readme_examples.check(lines)
    report = "\n".join(
        f"README.md:{example.line}: $ {example.command}\n  expected: {example.expected}"
        f"\n  got: {example.output}"
        for example in failed
    )
    assert not failed, report


def test_the_readme_starts_with_the_two_commands() -> None:
    text = readme_examples.README.read_text(encoding="utf-8")
    first_block = text.split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in first_block.strip().splitlines()]
    assert commands == ["make demo", "make test"]
