"""core is the bottom layer: it imports no app of the project (nor analytics), so
every app can import it without a cycle."""

from __future__ import annotations

import ast
from pathlib import Path

import sinasec.core

CORE = Path(sinasec.core.__file__).parent


def _imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at module level or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_core_imports_no_app() -> None:
    offending = {
        f"{path.relative_to(CORE)}: {module}"
        for path in CORE.rglob("*.py")
        if "tests" not in path.relative_to(CORE).parts
        for module in _imported_modules(path)
        if module.startswith("sinasec.") and not module.startswith("sinasec.core")
    }
    assert not offending, sorted(offending)


def test_the_check_sees_a_bad_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from sinasec.territories.models import Territory\n")
    assert "sinasec.territories.models" in _imported_modules(bad)
