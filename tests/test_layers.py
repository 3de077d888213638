"""The package keeps its layers (issue 20, item 6).

``src/treatykg`` is a stack of sub-packages (see ``treatykg/__init__.py`` and decision 99)::

    cli, api  >  web  >  statements | publish  >  validation  >  engine  >  model  >  util

Reading every ``import`` with ``ast`` (module bodies and function bodies alike, since most heavy
imports are deferred into functions), a module may import its own sub-package or a lower layer,
never a higher one nor a sibling; the failure names the file, the line and the import. A second
check keeps the query path light: the modules of ``util``, ``model`` and ``engine`` import
rdflib, pySHACL and the web stack only inside functions, never when they are imported
(``tests/test_startup.py`` checks the same at run time, for the commands people type).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import treatykg

PACKAGE = Path(treatykg.__file__).parent

#: Rank of each top-level part of the package; equal ranks are siblings that may not import each other.
LAYERS: dict[str, int] = {
    "util": 0,
    "model": 1,
    "engine": 2,
    "validation": 3,
    "statements": 4,
    "publish": 4,
    "web": 5,
    "cli": 6,
    "api": 6,
    "__main__": 7,
}
#: Layers the query path runs on: ``treatykg query``/``sparql`` and the endpoint's workers. Their
#: modules may use rdflib inside functions (validation helpers, conversions), never on import;
#: ``model.terms`` (an rdflib ``DefinedNamespace`` by nature) is imported only by rdflib code.
QUERY_PATH = ("util", "model", "engine")
HEAVY = ("rdflib", "pyshacl", "owlrl", "starlette", "uvicorn", "jinja2", "multipart", "SPARQLWrapper", "yaml", "rich")


@dataclass(frozen=True)
class Import:
    source: str  # dotted module that imports
    target: str  # dotted module or package it names
    line: int
    top_level: bool  # executed when the module is imported (not inside a function)

    def __str__(self) -> str:
        return f"{self.source.replace('.', '/')}.py:{self.line} imports {self.target}"


def _module_name(path: Path) -> tuple[str, bool]:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), True
    return ".".join(parts), False


def _function_nodes(tree: ast.AST) -> set[int]:
    """ids of the import nodes that sit inside a function (run on call, not on import)."""
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            inside |= {id(child) for child in ast.walk(node) if isinstance(child, (ast.Import, ast.ImportFrom))}
    return inside


def imports(root: Path = PACKAGE) -> list[Import]:
    """Every import of every module under ``root``, resolved to absolute dotted names."""
    found: list[Import] = []
    for path in sorted(root.rglob("*.py")):
        module, is_package = _module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        deferred = _function_nodes(tree)
        here = module.split(".") if is_package else module.split(".")[:-1]
        for node in ast.walk(tree):
            top = id(node) not in deferred
            if isinstance(node, ast.Import):
                found += [Import(module, alias.name, node.lineno, top) for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = ".".join([*here[: len(here) - node.level + 1], *([node.module] if node.module else [])])
                else:
                    base = node.module or ""
                if node.module is None or base in {"treatykg", *(f"treatykg.{name}" for name in LAYERS)}:
                    # ``from . import x`` / ``from ..engine import formats``: x may be a module
                    found += [Import(module, f"{base}.{alias.name}", node.lineno, top) for alias in node.names]
                else:
                    found.append(Import(module, base, node.lineno, top))
    return found


def layer_of(module: str) -> str | None:
    """The layer a dotted name under ``treatykg`` belongs to; None for the package root itself
    (``from treatykg import __version__``) and for names outside the package."""
    parts = module.split(".")
    if parts[0] != "treatykg" or len(parts) < 2 or parts[1] == "__version__":
        return None
    return parts[1]


def upward(found: list[Import]) -> list[Import]:
    """The imports that go up a layer or sideways into a sibling."""
    wrong = []
    for imp in found:
        source, target = layer_of(imp.source), layer_of(imp.target)
        if source is None or target is None or source == target:
            continue
        if LAYERS[target] >= LAYERS[source]:
            wrong.append(imp)
    return wrong


def test_every_module_belongs_to_a_layer():
    parts = {layer_of(_module_name(path)[0]) for path in PACKAGE.rglob("*.py")} - {None}
    assert parts <= set(LAYERS), f"not in the layer map: {sorted(parts - set(LAYERS))}"
    assert not sorted(PACKAGE.glob("*.py.orig"))


def test_no_module_imports_a_higher_layer_or_a_sibling():
    wrong = upward(imports())
    assert not wrong, "import against the layers: " + "; ".join(map(str, wrong))


def test_util_imports_nothing_from_treatykg():
    wrong = [imp for imp in imports(PACKAGE / "util") if imp.target.split(".")[0] == "treatykg"]
    assert not wrong, "; ".join(map(str, wrong))


def _modules() -> set[str]:
    return {_module_name(path)[0] for path in PACKAGE.rglob("*.py")}


def heavy_on_import(found: list[Import], start: set[str]) -> list[Import]:
    """The heavy imports run when the ``start`` modules are imported: the top-level imports of
    every treatykg module they reach through top-level imports (a name imported from a package
    counts as the package's ``__init__`` plus the module of that name, if there is one)."""
    by_source: dict[str, list[Import]] = {}
    for imp in found:
        if imp.top_level:
            by_source.setdefault(imp.source, []).append(imp)
    known = {imp.source for imp in found} | start
    seen: set[str] = set()
    todo = sorted(start)
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        for imp in by_source.get(module, []):
            parts = imp.target.split(".")
            todo += [".".join(parts[:n]) for n in range(1, len(parts) + 1) if ".".join(parts[:n]) in known]
    return [imp for module in sorted(seen) for imp in by_source.get(module, []) if imp.target.split(".")[0] in HEAVY]


def test_the_query_path_imports_nothing_heavy_at_import_time():
    """Importing any module of the query path's layers loads no rdflib, pySHACL or web stack."""
    start = {module for module in _modules() if layer_of(module) in QUERY_PATH and not module.endswith(".terms")}
    wrong = heavy_on_import(imports(), start)
    assert not wrong, "heavy import when the module is imported: " + "; ".join(map(str, wrong))


def test_the_checks_catch_what_they_look_for(tmp_path):
    """The checks themselves, on a small fake package: an upward import, a sibling import and a
    heavy import at module level are all named; a lazy one and a downward one are not."""
    root = tmp_path / "treatykg"
    for layer in ("engine", "web", "statements", "publish"):
        (root / layer).mkdir(parents=True)
        (root / layer / "__init__.py").write_text("")
    (root / "engine" / "store.py").write_text("import rdflib\nfrom ..web import app\n\ndef f():\n    import pyshacl\n")
    (root / "statements" / "check.py").write_text("from ..publish import export\nfrom ..engine.store import X\n")
    global PACKAGE
    saved, PACKAGE = PACKAGE, root
    try:
        found = imports(root)
    finally:
        PACKAGE = saved
    assert [str(imp) for imp in upward(found)] == [
        "treatykg/engine/store.py:2 imports treatykg.web.app",
        "treatykg/statements/check.py:1 imports treatykg.publish.export",
    ]
    heavy = {(imp.target, imp.top_level) for imp in found if imp.target in HEAVY}
    assert heavy == {("rdflib", True), ("pyshacl", False)}
    assert [str(imp) for imp in heavy_on_import(found, {"treatykg.statements.check"})] == [
        "treatykg/engine/store.py:1 imports rdflib"
    ]
