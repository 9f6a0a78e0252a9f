"""The layers are folders, and imports point down only (docs/architecture.md).

Every import is counted, the lazy ones inside functions too: a lazy import hides a cycle
from the interpreter, not from a reader.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# What each layer may import, besides itself. Anything under `scanner.` that is not a layer
# below is a violation; `scanner` (the package root), `scanner.errors` and `scanner._build` (which
# build runs: compiled or pure) are shared by all.
LAYERS = {
    "scanner.core": (),
    "scanner.sources": ("scanner.core",),
    "scanner.formatters": ("scanner.core",),
    "scanner.runners": ("scanner.core", "scanner.sources"),
    "scanner.workflows": ("scanner.core", "scanner.sources", "scanner.formatters", "scanner.runners"),
    "scanner.cli": ("scanner.core", "scanner.sources", "scanner.formatters", "scanner.runners",
                    "scanner.workflows"),
}
SHARED = ("scanner.errors", "scanner._build")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    found: set[str] = set()
    # Imports for type checkers only never run: they make no edge.
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            node.body = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            found.add(base)
            # "from scanner.core import engine" imports scanner.core.engine
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for package in ("scanner", "trademarks") for p in (ROOT / package).rglob("*.py")}


MODULES = _modules()


def _layer(name: str) -> str | None:
    return next((layer for layer in LAYERS if name == layer or name.startswith(layer + ".")), None)


def _internal(imported: str) -> str | None:
    """The project module an import names (a from-import of a function names its module)."""
    while imported and imported not in MODULES:
        imported = imported.rpartition(".")[0]
    return imported or None


def test_trademarks_never_imports_scanner():
    bad = sorted(f"{name} imports {imp}" for name, path in MODULES.items() if name.startswith("trademarks")
                 for imp in _imports(path) if imp == "scanner" or imp.startswith("scanner."))
    assert bad == []


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_imports_point_down(layer):
    allowed = (layer, *LAYERS[layer], *SHARED)
    bad = []
    for name, path in MODULES.items():
        if _layer(name) != layer:
            continue
        for imp in _imports(path):
            target = _internal(imp)
            if target is None or not target.startswith("scanner"):
                continue
            if target == "scanner" or any(target == a or target.startswith(a + ".") for a in allowed):
                continue
            bad.append(f"{name} imports {target}")
    assert sorted(set(bad)) == []


def test_every_scanner_module_lives_in_a_layer():
    loose = sorted(name for name in MODULES if name.startswith("scanner.") and _layer(name) is None
                   and name not in ("scanner.__main__", *SHARED))
    assert loose == []


def test_no_import_cycles():
    graph = {name: {t for imp in _imports(path) if (t := _internal(imp)) and t != name and t in MODULES}
             for name, path in MODULES.items()}
    cycles = []
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join(stack[stack.index(nxt):] + [nxt]))
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []
