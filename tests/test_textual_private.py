"""The door to Textual's and textual-serve's private names (queuetui/tui/textual_private.py): every name it lists
still exists, and no private name of theirs is used in the package or the tests without being listed there; in the
package, only the door imports one or reaches one on another object."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import json
import pkgutil
import re
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

import queuetui
from queuetui.tui.textual_private import NAMES, Private

ROOT = Path(queuetui.__file__).parent.parent
DOOR = ROOT / "queuetui" / "tui" / "textual_private.py"
LIBRARIES = ("textual", "textual_serve")
LISTED = {(entry.owner, entry.name) for entry in NAMES}
LISTED_NAMES = {entry.name for entry in NAMES}


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.endswith("__")


def _is_library(module: str) -> bool:
    return module.split(".")[0] in LIBRARIES


_SET_ON_SELF = re.compile(r"self\.(_\w+)\s*(?::[^=\n]*)?=(?!=)")
_DEFINED = re.compile(r"^\s*(?:async\s+)?def\s+(_\w+)|^\s+(_\w+)\s*[:=]", re.MULTILINE)


@cache
def _private_names_of(cls: type) -> frozenset[str]:
    """The private names a library class defines itself: in its body, or set on instances by its methods."""
    try:
        source = inspect.getsource(cls)
    except (OSError, TypeError):
        source = ""
    return frozenset(name for name in vars(cls) if _is_private(name)) | set(_SET_ON_SELF.findall(source))


def _library_has(cls: type, name: str) -> bool:
    """Whether `cls` or a base of it from the libraries defines `name`, instances' attributes included."""
    return any(_is_library(base.__module__) and name in _private_names_of(base) for base in cls.__mro__)


def missing(entry: Private) -> str | None:
    """Why `entry` cannot be found in the installed libraries, or None when it is there."""
    module_name, _, qualname = entry.owner.partition(":")
    try:
        owner: object = importlib.import_module(module_name)
    except ImportError as error:
        return f"{entry.owner}.{entry.name}: the module is gone ({error})"
    for part in filter(None, qualname.split(".")):
        if not hasattr(owner, part):
            return f"{entry.owner}.{entry.name}: {part} is gone"
        owner = getattr(owner, part)
    if hasattr(owner, entry.name) or (inspect.isclass(owner) and _library_has(owner, entry.name)):
        return None
    return f"{entry.owner} has no {entry.name} any more"


@pytest.mark.parametrize("entry", NAMES, ids=[f"{entry.owner}.{entry.name}" for entry in NAMES])
def test_every_private_name_the_door_lists_still_exists(entry):
    assert missing(entry) is None, f"{missing(entry)}; it was used because: {entry.why}"


def test_a_name_an_upgrade_removed_is_reported_by_name():
    gone = Private("textual.app:App", "_keymap_of_old", "a name no Textual has")
    assert missing(gone) == "textual.app:App has no _keymap_of_old any more"
    assert "textual._no_such_module" in str(missing(Private("textual._no_such_module", "x", "")))


def test_every_entry_says_why():
    assert all(len(entry.why.split()) >= 4 for entry in NAMES)
    assert len(LISTED) == len(NAMES)


# Finding uses of private names ------------------------------------------------------------------------------------


@cache
def library_private_names() -> frozenset[str]:
    """The private names the libraries define: methods, class attributes, attributes set on self (read by pattern,
    which also takes in a few module-level names: more names to check, never fewer)."""
    names: set[str] = set()
    for library in LIBRARIES:
        spec = importlib.util.find_spec(library)
        assert spec is not None and spec.origin is not None
        for path in Path(spec.origin).parent.rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            names |= set(_SET_ON_SELF.findall(text))
            names |= {first or second for first, second in _DEFINED.findall(text)}
    return frozenset(filter(_is_private, names))


def _private_names_defined(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for cls in ast.walk(tree):
        if not isinstance(cls, ast.ClassDef):
            continue
        for node in ast.walk(cls):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                names.add(node.name)
            elif (
                isinstance(node, ast.Attribute)
                and isinstance(node.ctx, ast.Store)
                and isinstance(node.value, ast.Name)
                and node.value.id == "self"
            ):
                names.add(node.attr)
        for statement in cls.body:
            targets = statement.targets if isinstance(statement, ast.Assign) else []
            if isinstance(statement, ast.AnnAssign):
                targets = [statement.target]
            names |= {target.id for target in targets if isinstance(target, ast.Name)}
    return {name for name in names if _is_private(name)}


def python_files() -> list[Path]:
    return sorted(path for top in ("queuetui", "tests", "benchmarks", "scripts") for path in (ROOT / top).rglob("*.py"))


@cache
def our_private_names() -> frozenset[str]:
    names: set[str] = set()
    for path in python_files():
        names |= _private_names_defined(ast.parse(path.read_text(encoding="utf-8")))
    return frozenset(names)


def _dotted(node: ast.expr) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return ".".join([node.id, *reversed(parts)])
    return None


class _Uses(ast.NodeVisitor):
    """Private library names a file uses, as (owner or "?", name, line, kind): imports, attributes of private
    modules, and private attributes of other objects (not of `self` in a class, nor through `super()`: a class's
    own use of its bases is judged by `test_the_package_s_subclasses_use_only_listed_private_names`)."""

    def __init__(self) -> None:
        self.found: list[tuple[str, str, int, str]] = []
        self._in_class = 0
        self._other_modules: set[str] = set()  # `os` in `os._exit`: a module that is not Textual's

    def visit_Import(self, node: ast.Import) -> None:
        self._other_modules |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
        self._other_modules -= set(LIBRARIES)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._in_class += 1
        self.generic_visit(node)
        self._in_class -= 1

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        if _is_library(module):
            private_module = any(_is_private(part) for part in module.split("."))
            for alias in node.names:
                if private_module or _is_private(alias.name):
                    self.found.append((module, alias.name, node.lineno, "import"))

    def visit_Attribute(self, node: ast.Attribute) -> None:
        dotted = _dotted(node)
        if dotted and _is_library(dotted):
            *module, name = dotted.split(".")
            if any(_is_private(part) for part in module):
                self.found.append((".".join(module), name, node.lineno, "module"))
                return
        if _is_private(node.attr) and node.attr in library_private_names() - our_private_names():
            value = node.value
            on_self = isinstance(value, ast.Name) and value.id in ("self", "cls") and self._in_class
            through_super = (
                isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "super"
            )
            on_other_module = isinstance(value, ast.Name) and value.id in self._other_modules
            if not (on_self or through_super or on_other_module):
                self.found.append(("?", node.attr, node.lineno, "attribute"))
        self.generic_visit(node)


@cache
def uses() -> list[tuple[Path, str, str, int, str]]:
    found = []
    for path in python_files():
        if path == DOOR:
            continue
        visitor = _Uses()
        visitor.visit(ast.parse(path.read_text(encoding="utf-8")))
        found += [(path.relative_to(ROOT), owner, name, line, kind) for owner, name, line, kind in visitor.found]
    return found


def test_no_private_library_name_is_used_without_being_listed_in_the_door():
    unlisted = [
        f"{path}:{line}: {owner}.{name}"
        for path, owner, name, line, _ in uses()
        if (owner, name) not in LISTED and (owner != "?" or name not in LISTED_NAMES)
    ]
    assert unlisted == [], "list each in queuetui/tui/textual_private.py with why it is needed"


def test_the_package_reaches_private_names_only_through_the_door():
    # Overridden hooks and their `super()` calls stay in their classes (see the test below); the rest goes
    # through the door's functions.
    direct = [f"{path}:{line}: {owner}.{name}" for path, owner, name, line, _ in uses() if path.parts[0] == "queuetui"]
    assert direct == []


def _package_classes() -> Iterator[type]:
    for package in ("queuetui.tui", "queuetui.web"):
        for module_info in pkgutil.walk_packages(importlib.import_module(package).__path__, f"{package}."):
            module = importlib.import_module(module_info.name)
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if cls.__module__ == module.__name__ and any(_is_library(base.__module__) for base in cls.__mro__):
                    yield cls


def test_the_package_s_subclasses_use_only_listed_private_names():
    unlisted = []
    for cls in _package_classes():
        tree = ast.parse(inspect.getsource(cls))
        used = {node.name for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
        used |= {
            node.attr
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self"
        }
        for name in sorted(filter(_is_private, used)):
            if _library_has(cls, name) and name not in LISTED_NAMES:
                unlisted.append(f"{cls.__module__}.{cls.__qualname__}.{name}")
    assert unlisted == [], "list each in queuetui/tui/textual_private.py with why it is needed"


def test_the_checks_above_see_a_private_name():
    # Without this, checks that never recognised a use would pass.
    visitor = _Uses()
    visitor.visit(
        ast.parse("from textual._time import get_time\nimport textual._wait\ntextual._wait.X = 1\napp._exit\n")
    )
    assert [(owner, name) for owner, name, _, _ in visitor.found] == [
        ("textual._time", "get_time"),
        ("textual._wait", "X"),
        ("?", "_exit"),
    ]


def test_the_door_imports_nothing_textual_has_not_imported_for_the_first_frame():
    probe = """
import json, sys
import textual.app, textual.drivers.linux_driver
before = set(sys.modules)
import queuetui.tui.textual_private
print(json.dumps(sorted(set(sys.modules) - before)))
"""
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    assert json.loads(done.stdout) == ["queuetui", "queuetui.tui", "queuetui.tui.textual_private"]
