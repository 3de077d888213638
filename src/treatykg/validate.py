"""Run the SHACL shapes over the graph and turn pySHACL's report into something people can act on.

The data graph is the union of the ontology, the SKOS schemes and the curated graph (plus any
files the user names), because shapes such as ``sh:class tkg:Provision`` must see
``rdfs:subClassOf`` and concept-scheme membership to decide. Warnings and infos never make the
graph non-conforming; only violations do (``strict`` turns warnings into failures).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .iri import PREFIXES
from .sources import Kind, load_union

SH = PREFIXES["sh"]
_SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass(frozen=True)
class Problem:
    """One validation result, with everything a reader needs to find and fix it."""

    severity: str  # "Violation" | "Warning" | "Info"
    focus: str
    path: str | None
    value: str | None
    message: str
    shape: str


@dataclass
class Report:
    """The outcome of a validation run."""

    problems: list[Problem] = field(default_factory=list)
    report_graph: object | None = None  # the rdflib Graph of the sh:ValidationReport

    @property
    def violations(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "Violation"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "Warning"]

    def conforms(self, strict: bool = False) -> bool:
        """True when there is no violation (and, with ``strict``, no warning)."""
        return not self.violations and not (strict and self.warnings)

    def by_focus(self) -> dict[str, list[Problem]]:
        """Problems grouped by focus node, most severe first, in a stable order."""
        grouped: dict[str, list[Problem]] = {}
        for problem in sorted(
            self.problems, key=lambda p: (p.focus, _SEVERITY_ORDER.get(p.severity, 9), p.path or "", p.message)
        ):
            grouped.setdefault(problem.focus, []).append(problem)
        return grouped


def shorten(iri: str) -> str:
    """``https://w3id.org/treatykg/uncc/art_24`` -> ``uncc:art_24`` (longest matching prefix)."""
    best = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(PREFIXES.get(best, "")):
            best = prefix
    if best:
        local = iri[len(PREFIXES[best]) :]
        if local and all(ch.isalnum() or ch in "_-." for ch in local):
            return f"{best}:{local}"
    return f"<{iri}>" if iri.startswith(("http://", "https://", "urn:")) else iri


def load_shapes():
    """The SHACL shapes shipped in ``ontology/shapes/``."""
    return load_union(kinds=(Kind.SHAPES,))


def validate_graph(data, shapes=None) -> Report:
    """Validate an rdflib Graph against the shipped shapes (or ``shapes``)."""
    from pyshacl import validate as shacl_validate
    from rdflib import RDF, Graph, URIRef

    shapes = shapes if shapes is not None else load_shapes()
    _, report_graph, _ = shacl_validate(
        data,
        shacl_graph=shapes,
        inference="none",
        advanced=True,
        allow_warnings=True,
        allow_infos=True,
    )
    assert isinstance(report_graph, Graph)
    sh = lambda name: URIRef(SH + name)  # noqa: E731 - tiny local helper for readability
    problems = []
    shape_names = _ShapeNamer(shapes)
    for result in report_graph.subjects(RDF.type, sh("ValidationResult")):
        severity = report_graph.value(result, sh("resultSeverity"))
        path = report_graph.value(result, sh("resultPath"))
        value = report_graph.value(result, sh("value"))
        message = report_graph.value(result, sh("resultMessage"))
        shape = report_graph.value(result, sh("sourceConstraint")) or report_graph.value(result, sh("sourceShape"))
        problems.append(
            Problem(
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                focus=shorten(str(report_graph.value(result, sh("focusNode")))),
                path=shorten(str(path)) if isinstance(path, URIRef) else (str(path) if path else None),
                value=shorten(str(value)) if value is not None else None,
                message=str(message) if message else "constraint not met",
                shape=shape_names.name(shape, path),
            )
        )
    return Report(problems=problems, report_graph=report_graph)


class _ShapeNamer:
    """Names the shape behind a result. Anonymous property shapes are named after the node shape
    that holds them, ``tkgsh:PreambleShape-partOf``, so every result points at a findable shape."""

    def __init__(self, shapes) -> None:
        from rdflib import URIRef

        self._parent = {}
        for parent, child in shapes.subject_objects(URIRef(SH + "property")):
            self._parent[child] = parent

    def name(self, shape, path) -> str:
        from rdflib import URIRef

        if isinstance(shape, URIRef):
            return shorten(str(shape))
        parent = self._parent.get(shape)
        if isinstance(parent, URIRef):
            local = str(path).rsplit("#", 1)[-1].rsplit("/", 1)[-1] if isinstance(path, URIRef) else "path"
            return f"{shorten(str(parent))}-{local}"
        return "(anonymous shape)"


def validate_shipped(extra_files: Iterable[Path] = ()) -> Report:
    """Validate the shipped ontology + vocabularies + graph, together with ``extra_files``."""
    data = load_union(extra=extra_files)
    return validate_graph(data)


def format_text(report: Report, strict: bool = False) -> str:
    """A plain-text report grouped by focus node, ending with a one-line verdict."""
    lines: list[str] = []
    for focus, problems in report.by_focus().items():
        lines.append(focus)
        for p in problems:
            where = f" [{p.path}]" if p.path else ""
            value = f" (value: {p.value})" if p.value and p.value != focus else ""
            lines.append(f"  {p.severity}{where}: {p.message}{value}  <{p.shape}>")
    counts = f"{len(report.violations)} violation(s), {len(report.warnings)} warning(s)"
    verdict = "conforms" if report.conforms(strict) else "does NOT conform"
    lines.append(f"The graph {verdict}: {counts}.")
    return "\n".join(lines)
