"""SHACL-SPARQL constraints evaluated by pyoxigraph instead of pySHACL.

pySHACL runs a SPARQL-based constraint as one rdflib query per focus node (about 7.5 ms each):
the shipped graph's eleven such constraints took 60% of a full validation. pyoxigraph answers the
same queries in microseconds. This module takes the SPARQL parts out of the shapes graph
(:func:`split`), evaluates them with the semantics of SHACL section 5 (pre-bound ``$this``,
one result per solution, ``{?var}`` / ``{$var}`` message templates filled in as pySHACL does),
and returns results in the shape of pySHACL's report, so callers see one report.

Supported, because the shapes use it: node shapes with ``sh:sparql`` SELECT constraints,
``sh:prefixes`` with ``sh:declare``, targets ``sh:targetClass`` (with ``rdfs:subClassOf*``),
``sh:targetNode``, ``sh:targetSubjectsOf``, ``sh:targetObjectsOf`` and ``sh:SPARQLTarget``,
``sh:severity``, ``sh:message`` (on the constraint, else on the shape) and ``sh:deactivated``.
Anything else (ASK validators, property shapes with ``sh:sparql``) stays with pySHACL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..util.rdfconv import rdflib_term as _rdflib_term
from ..util.rdfconv import to_oxigraph as _ox_term

SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"

#: Parameters that make a node shape more than targets + SPARQL constraints.
_CORE = {
    "property",
    "path",
    "class",
    "datatype",
    "nodeKind",
    "minCount",
    "maxCount",
    "minInclusive",
    "maxInclusive",
    "minExclusive",
    "maxExclusive",
    "minLength",
    "maxLength",
    "pattern",
    "languageIn",
    "uniqueLang",
    "equals",
    "disjoint",
    "lessThan",
    "lessThanOrEquals",
    "not",
    "and",
    "or",
    "xone",
    "node",
    "hasValue",
    "in",
    "closed",
    "qualifiedValueShape",
}


@dataclass
class Constraint:
    node: object  # the sh:sparql node (rdflib term), named in the report as sh:sourceConstraint
    select: str
    messages: list = field(default_factory=list)  # rdflib Literals


@dataclass
class SparqlShape:
    node: object
    severity: object
    target_classes: list = field(default_factory=list)
    target_nodes: list = field(default_factory=list)
    subjects_of: list = field(default_factory=list)
    objects_of: list = field(default_factory=list)
    target_selects: list[str] = field(default_factory=list)
    constraints: list[Constraint] = field(default_factory=list)
    messages: list = field(default_factory=list)


@dataclass
class Result:
    """One validation result, with the fields pySHACL would have written."""

    shape: SparqlShape
    constraint: Constraint
    focus: object  # rdflib term
    value: object | None
    path: object | None
    messages: list[str]


def _prologue(shapes, node) -> str:
    """PREFIX lines from ``sh:prefixes`` (each names a node carrying ``sh:declare``)."""
    from rdflib import URIRef

    lines = []
    for owner in shapes.objects(node, URIRef(SH + "prefixes")):
        for declaration in shapes.objects(owner, URIRef(SH + "declare")):
            prefix = shapes.value(declaration, URIRef(SH + "prefix"))
            namespace = shapes.value(declaration, URIRef(SH + "namespace"))
            if prefix is not None and namespace is not None:
                lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(set(lines))) + "\n"


def split(shapes):
    """(shapes graph for pySHACL without the SPARQL parts we evaluate, our SparqlShapes)."""
    from rdflib import Graph, Literal, URIRef

    sh = lambda name: URIRef(SH + name)  # noqa: E731
    rest = Graph()
    for prefix, namespace in shapes.namespaces():
        rest.bind(prefix, namespace)
    for triple in shapes:
        rest.add(triple)
    ours: list[SparqlShape] = []
    for node in sorted(set(shapes.subjects(sh("sparql"), None)), key=str):
        if shapes.value(node, sh("path")) is not None:
            continue  # a property shape's SPARQL constraint: leave it to pySHACL
        if shapes.value(node, sh("deactivated")) == Literal(True):
            continue
        shape = SparqlShape(node, shapes.value(node, sh("severity")) or sh("Violation"))
        shape.messages = list(shapes.objects(node, sh("message")))
        shape.target_classes = list(shapes.objects(node, sh("targetClass")))
        shape.target_nodes = list(shapes.objects(node, sh("targetNode")))
        shape.subjects_of = list(shapes.objects(node, sh("targetSubjectsOf")))
        shape.objects_of = list(shapes.objects(node, sh("targetObjectsOf")))
        supported = True
        for target in shapes.objects(node, sh("target")):
            select = shapes.value(target, sh("select"))
            if select is None:
                supported = False
                continue
            shape.target_selects.append(_prologue(shapes, target) + str(select))
        for constraint in shapes.objects(node, sh("sparql")):
            select = shapes.value(constraint, sh("select"))
            if select is None or shapes.value(constraint, sh("deactivated")) == Literal(True):
                supported = False
                continue
            shape.constraints.append(
                Constraint(
                    constraint,
                    _prologue(shapes, constraint) + str(select),
                    list(shapes.objects(constraint, sh("message"))),
                )
            )
        if not supported:
            continue
        ours.append(shape)
        for constraint in shape.constraints:
            rest.remove((node, sh("sparql"), constraint.node))
        has_core = any(str(p)[len(SH) :] in _CORE for p in rest.predicates(node, None) if str(p).startswith(SH))
        if not has_core:
            # Only targets were left: drop the shape, or pySHACL would still evaluate its targets.
            for target in list(rest.objects(node, sh("target"))):
                rest.remove((target, None, None))
            rest.remove((node, None, None))
    return rest, ours


def store_from_graph(graph):
    """An in-memory pyoxigraph store holding the rdflib graph's triples (default graph)."""
    import pyoxigraph as ox

    store = ox.Store()
    store.extend(ox.Quad(_ox_term(s), _ox_term(p), _ox_term(o), ox.DefaultGraph()) for s, p, o in graph)
    return store


def _focus_nodes(store, shape: SparqlShape) -> list:
    import pyoxigraph as ox

    found: dict[str, object] = {}

    def keep(term) -> None:
        found.setdefault(str(term), term)

    for node in shape.target_nodes:
        keep(_ox_term(node))
    for cls in shape.target_classes:
        query = f"SELECT DISTINCT ?this WHERE {{ ?this <{RDF_TYPE}>/<{RDFS_SUBCLASS}>* ?class }}"
        for row in store.query(query, substitutions={ox.Variable("class"): _ox_term(cls)}):
            keep(row["this"])
    for prop in shape.subjects_of:
        for quad in store.quads_for_pattern(None, _ox_term(prop), None):
            keep(quad.subject)
    for prop in shape.objects_of:
        for quad in store.quads_for_pattern(None, _ox_term(prop), None):
            keep(quad.object)
    for select in shape.target_selects:
        for row in store.query(select):
            if row["this"] is not None:
                keep(row["this"])
    return [found[key] for key in sorted(found)]


def _fill(message: str, bindings: dict[str, object]) -> str:
    """pySHACL's template rule: ``{?name}`` and ``{$name}`` become the bound value's lexical form."""
    for name, value in bindings.items():
        message = re.sub(r"\{[?$]" + re.escape(name) + r"\}", lambda _m, v=value: str(v), message)
    return message


def evaluate(store, shapes: list[SparqlShape]) -> list[Result]:
    """Every result of every SPARQL constraint, in a stable order, as pySHACL reports them: one
    per distinct solution; ``sh:value`` is ``?value``, else the focus node; messages are the
    constraint's, then the shape's, with the solution's bindings filled in."""
    import pyoxigraph as ox

    results: list[Result] = []
    for shape in shapes:
        focus_nodes = _focus_nodes(store, shape)
        for constraint in shape.constraints:
            for focus in focus_nodes:
                solutions = store.query(constraint.select, substitutions={ox.Variable("this"): focus})
                names = [v.value for v in solutions.variables]
                seen: set = set()
                for solution in solutions:
                    bound = {n: _rdflib_term(solution[n]) for n in names if solution[n] is not None}
                    if "failure" in bound:
                        raise RuntimeError(f"SPARQL constraint {constraint.node} reported a failure")
                    key = tuple(sorted((k, str(v)) for k, v in bound.items()))
                    if key in seen:
                        continue
                    seen.add(key)
                    bound["this"] = bound.get("this") or _rdflib_term(focus)
                    bound.setdefault("value", bound["this"])
                    templates = list(constraint.messages) + [m for m in shape.messages if m not in constraint.messages]
                    messages = [_fill(str(m), bound) for m in templates]
                    results.append(
                        Result(shape, constraint, bound["this"], bound["value"], bound.get("path"), messages)
                    )
    return results


def add_to_report(report_graph, results: list[Result], shapes_graph) -> list:
    """Write each result into the rdflib report graph as pySHACL would; returns the result nodes."""
    from rdflib import RDF, BNode, Literal, URIRef

    sh = lambda name: URIRef(SH + name)  # noqa: E731
    report = report_graph.value(None, RDF.type, sh("ValidationReport"))
    nodes = []
    for result in results:
        node = BNode()
        report_graph.add((node, RDF.type, sh("ValidationResult")))
        report_graph.add((node, sh("sourceConstraintComponent"), sh("SPARQLConstraintComponent")))
        report_graph.add((node, sh("sourceShape"), result.shape.node))
        report_graph.add((node, sh("sourceConstraint"), result.constraint.node))
        report_graph.add((node, sh("resultSeverity"), result.shape.severity))
        report_graph.add((node, sh("focusNode"), result.focus))
        if result.value is not None:
            report_graph.add((node, sh("value"), result.value))
        if result.path is not None:
            report_graph.add((node, sh("resultPath"), result.path))
        for message in result.messages:
            report_graph.add((node, sh("resultMessage"), Literal(message)))
        if report is not None:
            report_graph.add((report, sh("result"), node))
            if result.shape.severity == sh("Violation"):
                report_graph.set((report, sh("conforms"), Literal(False)))
        nodes.append(node)
    return nodes
