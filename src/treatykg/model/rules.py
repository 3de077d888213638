"""Derived facts: SPARQL CONSTRUCT rules in ``queries/rules/*.rq`` run over the authored graph.

Positions (who criticises which provision), stances on the Convention and CiTO relations are
*derived* from the documents people signed and the claims those documents make, never typed in a
second time, so they cannot drift from their evidence. The derived triples form their own named
graph (``https://w3id.org/treatykg/graph/derived``) in exports, so a consumer can tell them apart.
"""

from __future__ import annotations

from pathlib import Path

from .iri import GRAPH_BASE
from .sources import data_root

DERIVED_GRAPH = GRAPH_BASE + "derived"


def rule_files() -> list[Path]:
    """The shipped CONSTRUCT rules, in a stable order."""
    return sorted((data_root() / "queries" / "rules").glob("*.rq"))


def derive(graph):
    """Run every rule over ``graph`` (an rdflib Graph holding ontology + vocab + graph) and return
    the derived triples as a new Graph. Rules see only authored triples, not each other's output.

    The rules run on pyoxigraph, which answers them in milliseconds where rdflib's engine takes
    seconds (a FILTER NOT EXISTS per claim); ``tests/test_rules.py`` checks that both engines give
    the same triples.
    """
    import pyoxigraph
    from rdflib import Graph

    store = pyoxigraph.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    derived = Graph()
    for path in rule_files():
        result = store.query(path.read_text(encoding="utf-8"))
        text = pyoxigraph.serialize(result, format=pyoxigraph.RdfFormat.N_TRIPLES)
        derived.parse(data=text.decode("utf-8"), format="nt")
    return derived


def derive_with_rdflib(graph):
    """The same rules on rdflib's engine (slow); used by the test that both engines agree."""
    from rdflib import Graph

    derived = Graph()
    for path in rule_files():
        for triple in graph.query(path.read_text(encoding="utf-8")):
            derived.add(triple)
    return derived
