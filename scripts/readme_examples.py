"""Run the README's console examples and compare (or, with --update, rewrite) their output.

Every ```console block is a list of `$ command` lines (a line ending in a backslash goes on),
each followed by the output it prints. All blocks run in order, in one scratch folder holding
`data/tracker.db` built from `data/demo.json`, with `tracker` on the PATH and TRACKER_TODAY
set to 2020-10-15 (the seed article's day), so examples that write see what earlier ones
wrote. An output line `...` stands for the rest of the output. A hidden setup command goes in
an HTML comment just before a block: `<!-- setup: printf 'x' > bad.csv -->`. The port the
README's demo server listens on (DEMO_PORT) is swapped for a free one as the examples run,
so two runs at once (or another program on that port) never meet.

    .venv/bin/python scripts/readme_examples.py           # check: exit 1 on a difference
    .venv/bin/python scripts/readme_examples.py --update  # rewrite the outputs in README.md
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DEMO = ROOT / "data" / "demo.json"
TODAY = "2020-10-15"
ELLIPSIS = "..."
_SETUP = re.compile(r"<!-- setup: (.*?) -->")
DEMO_PORT = "48731"


@dataclass
class Example:
    command: str
    expected: list[str]
    line: int  # of the command in README.md
    output: list[str] = field(default_factory=list)

    @property
    def elided(self) -> bool:
        return bool(self.expected) and self.expected[-1] == ELLIPSIS

    def matches(self) -> bool:
        if self.elided:
            shown = self.expected[:-1]
            return self.output[: len(shown)] == shown
        return self.output == self.expected


@dataclass
class Block:
    setup: list[str]
    examples: list[Example]
    start: int  # index of the ```console line
    end: int  # index of the closing ``` line


def parse(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        if lines[index].strip() != "```console":
            index += 1
            continue
        setup = []
        back = index - 1
        while back >= 0 and _SETUP.fullmatch(lines[back].strip()):
            setup.insert(0, _SETUP.fullmatch(lines[back].strip()).group(1))  # type: ignore[union-attr]
            back -= 1
        start = index
        index += 1
        examples: list[Example] = []
        while lines[index].strip() != "```":
            line = lines[index]
            if line.startswith("$ "):
                command, first = line[2:], index
                while command.endswith("\\"):
                    index += 1
                    command += "\n" + lines[index]
                examples.append(Example(command, [], first + 1))
            elif examples:
                examples[-1].expected.append(line)
            index += 1
        blocks.append(Block(setup, examples, start, index))
        index += 1
    return blocks


def scratch_env(folder: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("TRACKER_")}
    env["TRACKER_TODAY"] = TODAY
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["COLUMNS"] = "80"  # the width charts are drawn for; piped tables are never shortened
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def free_port() -> str:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return str(probe.getsockname()[1])


def run_all(blocks: list[Block], folder: Path) -> None:
    env = scratch_env(folder)
    port = free_port()

    def local(command: str) -> str:
        return command.replace(DEMO_PORT, port)

    (folder / "data").mkdir()
    subprocess.run(
        ["tracker", "--db", "data/tracker.db", "import", "json", str(DEMO)],
        cwd=folder,
        env=env,
        check=True,
        capture_output=True,
    )
    for block in blocks:
        for command in block.setup:
            subprocess.run(local(command), shell=True, cwd=folder, env=env, check=True)
        for example in block.examples:
            done = subprocess.run(
                ["bash", "-c", local(example.command)],
                cwd=folder,
                env=env,
                capture_output=True,
                text=True,
                encoding="utf-8",
            )
            text = (done.stdout + done.stderr).rstrip("\n")
            example.output = [line.rstrip() for line in text.split("\n")] if text else []


def check(lines: list[str]) -> list[Example]:
    """Run every example; return those whose output differs from the README."""
    blocks = parse(lines)
    with tempfile.TemporaryDirectory() as folder:
        run_all(blocks, Path(folder))
    return [example for block in blocks for example in block.examples if not example.matches()]


def update(lines: list[str]) -> list[str]:
    blocks = parse(lines)
    with tempfile.TemporaryDirectory() as folder:
        run_all(blocks, Path(folder))
    out: list[str] = []
    done = 0
    for block in blocks:
        out.extend(lines[done : block.start + 1])
        for example in block.examples:
            out.append("$ " + example.command)
            if example.elided and example.matches():
                out.extend(example.expected)
            elif example.elided:
                out.extend(example.output[: max(len(example.expected) - 1, 1)] + [ELLIPSIS])
            else:
                out.extend(example.output)
        done = block.end
    out.extend(lines[done:])
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="rewrite README.md's outputs")
    args = parser.parse_args()
    lines = README.read_text(encoding="utf-8").split("\n")
    if args.update:
        README.write_text("\n".join(update(lines)), encoding="utf-8")
        return 0
    failed = check(lines)
    for example in failed:
        print(f"README.md:{example.line}: $ {example.command}")
        print("  expected:", *example.expected, sep="\n    ")
        print("  got:", *example.output, sep="\n    ")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
