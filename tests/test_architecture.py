"""The import graph of the project's own packages: no cycles, and the layers point one way.

web (pages, API), cli -> web.services -> matcher, catalog (all under ``practicebank``). ``matcher`` works on plain records and
imports neither ``catalog`` nor ``web``; ``catalog`` imports neither ``web`` nor ``matcher``.

The graph is read from the source with ``ast``: every ``import`` counts, at module level or
inside a function (a function-level import is a dependency all the same, only a later one);
imports under ``if TYPE_CHECKING:`` do not (they never run). ``from a.b import c`` is an edge
to the module ``a.b.c`` when there is one, else to ``a.b`` (as grimp/import-linter count).
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NAMESPACE = "practicebank"
# Layers: a package of the namespace may not import these.
FORBIDDEN = {
    "matcher": {"catalog", "web", "cli", "seed_data"},
    "catalog": {"web", "cli", "matcher"},
    "web": {"cli"},
    "seed_data": {"catalog", "matcher", "web", "cli"},
    # every layer reads the settings, so they may read nothing of the project
    "settings": {"catalog", "matcher", "web", "cli", "seed_data", "errors"},
}
# Cycles left on purpose, each with its reason: none at present. Entries are sorted module lists.
KNOWN_CYCLES: list[list[str]] = []


def project_modules(root: Path = ROOT) -> dict[str, Path]:
    found = {}
    for path in sorted((root / NAMESPACE).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def layer(module: str) -> str:
    """The package of the namespace a module belongs to: practicebank.web.app -> web."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _known_prefix(name: str, modules) -> str | None:
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(source: str, module: str, is_package: bool, modules) -> set[str]:
    """The project modules ``module`` imports (anywhere but under ``if TYPE_CHECKING:``)."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.add(_known_prefix(alias.name, modules))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = module.split(".") if is_package else module.split(".")[:-1]
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join(parts + ([node.module] if node.module else []))
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.add(full if full in modules else _known_prefix(base, modules))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(source))
    found.discard(None)
    found.discard(module)
    return found  # type: ignore[return-value]


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    modules = project_modules(root)
    return {name: imports_of(path.read_text(encoding="utf-8"), name, path.name == "__init__.py", modules)
            for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
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
    return found


def cycle_path(graph: dict[str, set[str]], component: list[str]) -> list[str]:
    """One concrete loop through a component, for the failure message: a -> b -> ... -> a."""
    members = set(component)
    start = component[0]
    previous = {start: None}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for child in sorted(graph[node] & members):
            if child == start:
                path = [node]
                while previous[path[-1]] is not None:
                    path.append(previous[path[-1]])
                return [start, *reversed(path[:-1]), start]
            if child not in previous:
                previous[child] = node
                queue.append(child)
    return component


def test_the_graph_sees_the_imports():
    graph = import_graph()
    names = {f"{NAMESPACE}.{m}" for m in ("web.app", "web.services", "matcher.engine", "catalog.models")}
    assert names <= set(graph)
    assert f"{NAMESPACE}.catalog.models" in graph[f"{NAMESPACE}.catalog.store"]
    assert f"{NAMESPACE}.web.services" in graph[f"{NAMESPACE}.web.app"]


def test_function_level_imports_count_and_type_checking_ones_do_not():
    modules = {"a", "a.x", "a.y", "a.z"}
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from a import z\n"
        "def f():\n    from a.x import thing\n    import a.y\n"
        "from . import x\n"
    )
    assert imports_of(source, "a.w", False, modules) == {"a.x", "a.y"}
    assert imports_of("from a import helper\n", "a.x", False, modules) == {"a"}


def test_no_import_cycles():
    graph = import_graph()
    found = [c for c in cycles(graph) if c not in KNOWN_CYCLES]
    assert not found, "import cycles:\n" + "\n".join(" -> ".join(cycle_path(graph, c)) for c in found)


def test_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycle_path(graph, ["a", "b", "c"]) == ["a", "b", "c", "a"]


def test_layers_point_one_way():
    wrong = sorted(f"{module} -> {target}" for module, targets in import_graph().items()
                   for target in targets if layer(target) in FORBIDDEN.get(layer(module), ()))
    assert not wrong, "imports against the layers:\n" + "\n".join(wrong)


def test_every_module_opens_by_saying_what_it_holds():
    """Issue 15: each module's opening docstring says what it holds (a reader starts there)."""
    silent = sorted(name for name, path in project_modules().items()
                    if not ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))))
    assert not silent, "modules without an opening docstring:\n" + "\n".join(silent)
