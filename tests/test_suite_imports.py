"""The suite's own helpers are imported one way: by module name from the tests folder (`from helpers import
...`, `from run_cli import ...`, `from tui.conftest import ...`), never relatively and never from the root
conftest.py, which holds fixtures only (pytest hands those to tests by name)."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def stray_imports(source: str, where: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source, filename=where)):
        if isinstance(node, ast.ImportFrom) and node.level:
            found.append(f"{where}:{node.lineno}: relative import")
        elif isinstance(node, ast.ImportFrom | ast.Import):
            names = [node.module] if isinstance(node, ast.ImportFrom) else [alias.name for alias in node.names]
            found += [f"{where}:{node.lineno}: imports the root conftest" for name in names if name == "conftest"]
    return found


def test_helpers_are_imported_by_module_name_only():
    stray = [
        line
        for path in sorted(TESTS.rglob("*.py"))
        for line in stray_imports(path.read_text(encoding="utf-8"), str(path.relative_to(TESTS)))
    ]
    assert stray == []


def test_the_check_sees_both_kinds():
    source = "from .conftest import drive\nimport conftest\nfrom conftest import x\nfrom tui.conftest import y\n"
    assert stray_imports(source, "sample.py") == [
        "sample.py:1: relative import",
        "sample.py:2: imports the root conftest",
        "sample.py:3: imports the root conftest",
    ]
