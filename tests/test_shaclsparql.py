"""The SHACL-SPARQL constraints evaluated on pyoxigraph give exactly the results pySHACL gives
for them (focus node, shape, constraint, value, message), on data that breaks every one of them:
all the bad conformance files together, in the context of the shipped graph."""

from __future__ import annotations

from rdflib import RDF, Graph, URIRef

from treatykg.model.sources import SourceError, parse_turtle
from treatykg.validation.shaclsparql import evaluate, split, store_from_graph

from .conftest import REPO

SH = "http://www.w3.org/ns/shacl#"


def _data(union_graph) -> Graph:
    data = Graph()
    for triple in union_graph:
        data.add(triple)
    for path in sorted((REPO / "tests" / "conformance" / "bad").glob("*.ttl")):
        try:
            parse_turtle(path, data)
        except SourceError:  # files that are bad on purpose at the syntax level
            continue
    return data


def _pyshacl_sparql_results(data, shapes) -> set:
    from pyshacl import validate

    _, report, _ = validate(data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True)
    out = set()
    for result in report.subjects(RDF.type, URIRef(SH + "ValidationResult")):
        if report.value(result, URIRef(SH + "sourceConstraintComponent")) != URIRef(SH + "SPARQLConstraintComponent"):
            continue
        out.add(
            (
                str(report.value(result, URIRef(SH + "focusNode"))),
                str(report.value(result, URIRef(SH + "sourceShape"))),
                str(report.value(result, URIRef(SH + "sourceConstraint"))),
                str(report.value(result, URIRef(SH + "value"))),
                str(report.value(result, URIRef(SH + "resultSeverity"))),
                frozenset(str(m) for m in report.objects(result, URIRef(SH + "resultMessage"))),
            )
        )
    return out


def test_same_results_as_pyshacl(union_graph, shapes_graph):
    data = _data(union_graph)
    _, ours = split(shapes_graph)
    assert len(ours) >= 8, "the shapes' SPARQL constraints are evaluated here, not by pySHACL"
    mine = {
        (
            str(r.focus),
            str(r.shape.node),
            str(r.constraint.node),
            str(r.value),
            str(r.shape.severity),
            frozenset(r.messages),
        )
        for r in evaluate(store_from_graph(data), ours)
    }
    expected = _pyshacl_sparql_results(data, shapes_graph)
    assert len(expected) >= 8, "the bad files break the SPARQL constraints"
    assert mine == expected


def test_split_leaves_core_constraints_to_pyshacl(shapes_graph):
    rest, ours = split(shapes_graph)
    assert [t for shape in ours for t in rest.triples((shape.node, URIRef(SH + "sparql"), None))] == []
    # core shapes are untouched
    core = {s for s in shapes_graph.subjects(URIRef(SH + "path"), None)}
    assert core <= set(rest.subjects(URIRef(SH + "path"), None))
