"""The import graph keeps its shape: no cycle anywhere and no import running up a layer.

Every `import` in `tracker/` counts, those inside functions included (they run too, only
later); imports under `if TYPE_CHECKING:` never run and count only for the layers.
docs/architecture.md explains the layers; this test is their definition.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "tracker"

# Modules that import nothing of tracker above them.
LEAVES = {
    "errors",
    "dates",
    "countries",
    "choices",
    "names",
    "cells",
    "validation",
    "records",
    "files",
    "limits",
    "patterns",
    "csv_lines",
}
# Which layers each layer may import (its own included). exchange may read views: an export
# of derived data (ics: the current release of each film as of today) asks the as-of readers.
ALLOWED = {
    "leaf": {"leaf"},
    "render": {"leaf"},
    "store": {"leaf", "store"},
    "asof": {"leaf", "store"},
    "domain": {"leaf", "store", "asof", "domain"},
    "views": {"leaf", "store", "asof", "domain", "views"},
    "exchange": {"leaf", "store", "asof", "domain", "views", "exchange"},
    # After a commit: the changes the undo log recorded, for the on-change hook.
    "hooks": {"leaf", "store", "asof", "hooks"},
    # `tracker serve`: Datasette with a plugin that calls the readers and exporters.
    "server": {"leaf", "render", "store", "asof", "domain", "views", "exchange", "server"},
    "cli": {
        "leaf",
        "render",
        "store",
        "asof",
        "domain",
        "views",
        "exchange",
        "hooks",
        "server",
        "cli",
    },
}
# Imports that close a cycle and are known, each with the change that removes it. An entry
# that no longer exists fails the test, so the list only shrinks.
KNOWN_CYCLE_EDGES: set[tuple[str, str]] = set()
CLI_ONLY = ("typer", "click")


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def layer(module: str) -> str:
    parts = module.split(".")
    if module == "tracker" or (len(parts) == 2 and parts[1] in LEAVES):
        return "leaf"
    if module in ("tracker.cli", "tracker.__main__") or parts[1] == "cli":
        return "cli"
    if parts[1] in ("render", "asof", "hooks"):
        return parts[1]
    if parts[1] in ("store", "domain", "views", "exchange", "server"):
        return parts[1]
    raise AssertionError(f"{module} belongs to no layer: add it to tests/test_architecture.py")


def _owner(name: str) -> str:
    """The tracker module an imported name lives in (`tracker.store.Store` → tracker.store)."""
    while name not in MODULES:
        name = name.rpartition(".")[0]
    return name


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST, typing_only: bool = False) -> Iterator[tuple[ast.stmt, bool]]:
    """Every import statement, with whether it runs only under a type checker."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node, typing_only
        elif isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.body:
                yield from _imports(ast.Module(body=[child], type_ignores=[]), True)
            for child in node.orelse:
                yield from _imports(ast.Module(body=[child], type_ignores=[]), typing_only)
        else:
            yield from _imports(node, typing_only)


def _imported_names(module: str, node: ast.stmt) -> Iterator[str]:
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
    elif isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:
            package = module.split(".")
            if MODULES[module].name != "__init__.py":
                package.pop()
            package = package[: len(package) - node.level + 1]
            base = ".".join(package + ([node.module] if node.module else []))
        for alias in node.names:
            yield f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base


def _graph() -> tuple[dict[str, set[str]], dict[str, set[str]], dict[str, set[str]]]:
    """(runtime imports, type-checking-only imports, third-party top names) per module."""
    runtime: dict[str, set[str]] = {}
    typing_only: dict[str, set[str]] = {}
    external: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        runtime[module], typing_only[module], external[module] = set(), set(), set()
        for node, only_typing in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            for name in _imported_names(module, node):
                if name == "tracker" or name.startswith("tracker."):
                    target = _owner(name)
                    if target != module:
                        (typing_only if only_typing else runtime)[module].add(target)
                else:
                    external[module].add(name.split(".")[0])
    return runtime, typing_only, external


RUNTIME, TYPING_ONLY, EXTERNAL = _graph()


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_is_read() -> None:
    assert len(MODULES) > 30
    assert "tracker.store.connection" in RUNTIME["tracker.store"]
    # Imports inside functions count: the CLI imports the domain only when a command runs.
    assert "tracker.domain.films" in RUNTIME["tracker.cli.films"]


def test_no_import_cycle() -> None:
    graph = {module: set(targets) for module, targets in RUNTIME.items()}
    for source, target in KNOWN_CYCLE_EDGES:
        assert target in graph[source], f"{source} no longer imports {target}: drop the entry"
        graph[source].discard(target)
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_cycles() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_runs_up_a_layer() -> None:
    wrong = [
        f"{source} ({layer(source)}) imports {target} ({layer(target)})"
        for graph in (RUNTIME, TYPING_ONLY)
        for source, targets in sorted(graph.items())
        for target in sorted(targets)
        if layer(target) not in ALLOWED[layer(source)]
    ]
    assert wrong == []


def test_only_the_cli_imports_typer() -> None:
    wrong = [
        f"{module} imports {name}"
        for module, names in sorted(EXTERNAL.items())
        for name in sorted(names & set(CLI_ONLY))
        if layer(module) != "cli"
    ]
    assert wrong == []
    assert "typer" in EXTERNAL["tracker.cli.common"]
