"""The web package has no import circle (issue 20, item 3): reading every ``from .x import`` and
``from . import x`` with ``ast``, in module bodies and inside functions alike, the modules of
``treatykg.web`` form a graph without a cycle."""

from __future__ import annotations

import ast
from pathlib import Path

import treatykg.web

WEB = Path(treatykg.web.__file__).parent


def _imports() -> dict[str, set[str]]:
    modules = {path.stem for path in WEB.glob("*.py")}
    graph: dict[str, set[str]] = {}
    for path in WEB.glob("*.py"):
        edges = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                if node.module:
                    edges.add(node.module.split(".")[0])
                else:
                    edges |= {alias.name for alias in node.names}
        graph[path.stem] = {edge for edge in edges if edge in modules and edge != path.stem}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle as a list of module names, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_circle_in_the_web_package():
    cycle = _cycle(_imports())
    assert cycle is None, "import circle: " + " -> ".join(cycle or [])


def test_the_check_finds_a_circle():
    assert _cycle({"app": {"pages"}, "pages": {"protocol"}, "protocol": {"pages"}}) == ["pages", "protocol", "pages"]
    assert _cycle({"app": {"pages"}, "pages": {"render"}, "render": set()}) is None
