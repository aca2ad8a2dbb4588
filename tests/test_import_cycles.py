"""No import cycle anywhere in the package. Every import is counted: at module level, inside functions (the
lazy imports that keep start-up fast), under `if TYPE_CHECKING:`, relative ones, and `import_module("...")`
with a literal name. A cycle that only type checkers follow still ties the modules into one knot.

An edge goes to the module named by the import (`from queuetui.core.config import paths` reaches
queuetui.core.config.paths, `from queuetui.sim import SimServer` reaches queuetui.sim); the parent packages Python
initialises on the way are not edges of their own, or every package whose __init__ re-exports a submodule would
be a "cycle"."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

import queuetui

PACKAGE = Path(queuetui.__file__).resolve().parent

Graph = Mapping[str, set[str]]


def module_names(root: Path) -> dict[str, Path]:
    """Every module of the package under `root`, by dotted name (a package by its own name)."""
    names = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names[".".join(parts)] = path
    return names


def _imported(node: ast.AST, module: str, is_package: bool) -> Iterator[str]:
    """The dotted names one node imports; `from X import a, b` yields X.a and X.b as well as X."""
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
    elif isinstance(node, ast.ImportFrom):
        if node.level:
            base = module.split(".") if is_package else module.split(".")[:-1]
            base = base[: len(base) - (node.level - 1)]
            target = ".".join([*base, node.module] if node.module else base)
        else:
            target = node.module or ""
        yield target
        yield from (f"{target}.{alias.name}" for alias in node.names)
    elif (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute | ast.Name)
        and (node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id) == "import_module"
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ):
        yield node.args[0].value


def import_graph(root: Path) -> dict[str, set[str]]:
    """Module -> the package's modules it imports, walking the whole syntax tree of each file."""
    modules = module_names(root)
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        targets = set()
        for node in ast.walk(tree):
            for dotted in _imported(node, name, path.name == "__init__.py"):
                # `from X import y`: y is a module of its own when one is named so, else a name inside X.
                if dotted in modules and dotted != name:
                    targets.add(dotted)
        graph[name] = targets
    return graph


def cycles(graph: Graph) -> list[list[str]]:
    """Every strongly connected knot of two or more modules (or one importing itself), as a path that closes."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        # Tarjan's algorithm; the package is small enough for recursion.
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            knot = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                knot.append(member)
                if member == node:
                    break
            if len(knot) > 1 or node in graph.get(node, ()):
                found.append(_closing_path(sorted(knot), graph))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _closing_path(knot: list[str], graph: Graph) -> list[str]:
    """A readable loop through the knot: from its first module back to it."""
    members = set(knot)
    start = knot[0]
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        node = frontier.pop(0)
        for target in sorted(graph.get(node, ())):
            if target == start:
                return [*paths[node], start]
            if target in members and target not in paths:
                paths[target] = [*paths[node], target]
                frontier.append(target)
    return knot


@pytest.fixture(scope="module")
def package_graph() -> dict[str, set[str]]:
    return import_graph(PACKAGE)


def test_the_package_has_no_import_cycle(package_graph):
    knots = cycles(package_graph)
    assert knots == [], "import cycles: " + "; ".join(" -> ".join(knot) for knot in knots)


def test_the_graph_sees_the_whole_package(package_graph):
    graph = package_graph
    assert len(graph) >= 40
    # Known edges of each kind, so a parser that missed a kind would fail here rather than find no cycle.
    assert "queuetui.tui.app" in graph["queuetui.tui.launch"]  # module level
    assert "queuetui.tui.boot" in graph["queuetui.tui.app"]  # inside a function
    assert "queuetui.core.session" in graph["queuetui.tui.app"]  # under TYPE_CHECKING (and in functions)


def test_a_cycle_of_any_length_is_found():
    assert cycles({"a": {"b"}, "b": {"a"}}) == [["a", "b", "a"]]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"a"}}) == [["a", "a"]]
    assert cycles({"a": {"b", "c"}, "b": {"c"}, "c": set()}) == []  # a diamond is not a cycle


def write_package(root: Path, files: dict[str, str]) -> Path:
    package = root / "pkg"
    for name, text in files.items():
        package.mkdir(exist_ok=True)
        (package / name).write_text(text, encoding="utf-8")
    return package


@pytest.mark.parametrize(
    "back_edge",
    [
        "import pkg.a\n",
        "def later():\n    from pkg import a\n",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.a import Thing\n",
        "from . import a\n",
        "from .a import Thing\n",
        "import importlib\nimportlib.import_module('pkg.a')\n",
    ],
    ids=["import", "in-a-function", "type-checking", "relative-module", "relative-name", "import-module"],
)
def test_a_cycle_closed_by_any_kind_of_import_is_found(tmp_path, back_edge):
    package = write_package(tmp_path, {"__init__.py": "", "a.py": "from pkg import b\nThing = 1\n", "b.py": back_edge})
    assert cycles(import_graph(package)) == [["pkg.a", "pkg.b", "pkg.a"]]
    (package / "b.py").write_text("Thing = 2\n", encoding="utf-8")  # the control: without the back edge, none
    assert cycles(import_graph(package)) == []


def test_an_import_of_the_parent_package_alone_is_not_a_cycle(tmp_path):
    # pkg/__init__ re-exports from pkg.server, which imports a sibling: Python runs this fine.
    package = write_package(
        tmp_path,
        {
            "__init__.py": "from pkg.server import Server\n",
            "server.py": "from pkg.scenario import Scenario\n",
            "scenario.py": "Scenario = object\n",
        },
    )
    assert cycles(import_graph(package)) == []
