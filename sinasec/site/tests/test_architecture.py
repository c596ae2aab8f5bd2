"""The conventions the README promises, checked on the source tree itself.

- permission decisions only in ``accounts/`` and ``access.py`` modules;
- files under 500 lines, except transcribed reference data;
- no import cycle between modules, counting imports inside functions too: hiding a
  cycle in a function does not remove it;
(every API operation's response schema: ``test_api_schema.py``).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]  # .../sinasec
MAX_LINES = 500
# Transcribed from the source documents: long because the tables are.
TRANSCRIBED = {"plans/reference_2010.py"}
ROLE_CHECK = re.compile(r"\.role\s*(==|!=|\bin\b|\bnot in\b)|\bis_admin\b|\bis_superuser\b")


def _sources(*suffixes: str) -> list[Path]:
    return sorted(
        p
        for suffix in suffixes
        for p in PACKAGE.rglob(f"*{suffix}")
        if "migrations" not in p.parts and ".venv" not in p.parts
    )


def _relative(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def _is_exempt_from_role_rule(rel: str) -> bool:
    parts = rel.split("/")
    return parts[0] == "accounts" or parts[-1] in {"access.py", "conftest.py"} or "tests" in parts


def test_it_keeps_role_checks_in_access_modules() -> None:
    offenders = [
        f"{_relative(path)}:{number}: {line.strip()}"
        for path in _sources(".py", ".html")
        if not _is_exempt_from_role_rule(_relative(path))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if ROLE_CHECK.search(line)
    ]
    assert offenders == [], "role checks outside access.py:\n" + "\n".join(offenders)


def test_it_keeps_every_file_under_500_lines() -> None:
    long_files = {
        _relative(path): count
        for path in _sources(".py", ".html", ".js", ".css")
        if "vendor" not in path.parts
        and _relative(path) not in TRANSCRIBED
        and (count := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long_files == {}


def _module_name(path: Path) -> str:
    parts = ["sinasec", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported_modules(path: Path, modules: set[str]) -> set[str]:
    """Project modules a module imports, anywhere in it (TYPE_CHECKING blocks excluded)."""
    tree = ast.parse(path.read_text())
    this = _module_name(path)
    package = this if path.name == "__init__.py" else this.rpartition(".")[0]
    found: set[str] = set()

    skipped = {
        id(child)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for child in ast.walk(node)
    }
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in modules)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}".rstrip(".")
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.add(candidate if candidate in modules else base)
    return {m for m in found if m in modules and m != this}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    result: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                connect(target)
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
                result.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return result


def test_it_has_no_module_level_import_cycle() -> None:
    paths = [p for p in _sources(".py") if "tests" not in p.parts and p.name != "conftest.py"]
    modules = {_module_name(p) for p in paths}
    graph = {_module_name(p): _imported_modules(p, modules) for p in paths}
    # A package's __init__ importing its own submodules is how packages expose names;
    # a submodule importing its package back is the cycle that matters.
    for name in graph:
        graph[name] = {m for m in graph[name] if not m.startswith(name + ".")}
    assert _cycles(graph) == []


def test_it_finds_a_cycle_where_there_is_one() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_role_rule_sees_a_role_comparison() -> None:
    assert ROLE_CHECK.search("if scope.role == Role.FOCAL_POINT:")
    assert ROLE_CHECK.search("{% if scope.is_admin %}")
    assert not ROLE_CHECK.search("if can_edit_institution(user, institution):")
