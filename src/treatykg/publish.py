"""Write the dataset (ontology + vocabularies + curated graph) in the standard RDF serialisations.

Quad formats (TriG, N-Quads) keep one named graph per source file, plus one for the triples the
rules in ``queries/rules/`` derive, so a consumer can tell the ontology from the Convention from
the debate from what was inferred; triple formats (Turtle, N-Triples, JSON-LD) merge them.
Blank nodes get canonical labels and N-Triples / N-Quads are sorted, so the same sources give
byte-identical files.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Final

#: CLI name -> (rdflib serializer, whether the format carries named graphs)
FORMATS: Final[dict[str, tuple[str, bool]]] = {
    "ttl": ("turtle", False),
    "nt": ("nt", False),
    "nq": ("nquads", True),
    "trig": ("trig", True),
    "jsonld": ("json-ld", False),
}


def serialise(fmt: str) -> str:
    """The shipped dataset serialised as ``fmt`` (one of :data:`FORMATS`)."""
    from .sources import bind_prefixes, load_dataset

    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    from rdflib import BNode, Dataset, Graph, URIRef
    from rdflib.compare import to_canonical_graph

    from .rules import DERIVED_GRAPH, derive

    serializer, quads = FORMATS[fmt]
    source = load_dataset()
    authored = Graph()
    for subject, predicate, obj, _ in source.quads((None, None, None, None)):
        authored.add((subject, predicate, obj))
    derived = derive(authored)
    # Blank nodes (quote selectors, RDF lists) get canonical labels (RGDA1), so that the same
    # sources serialise to the same bytes and diffs of an export show only real changes.
    if quads:
        dataset = Dataset()
        bind_prefixes(dataset)
        for graph in sorted(source.graphs(), key=lambda g: str(g.identifier)):
            if not len(graph):
                continue
            target = dataset.graph(graph.identifier)
            # Canonical labels restart in every graph; prefix them with a hash of the graph IRI so
            # that blank nodes of different graphs stay distinct in one N-Quads/TriG file.
            prefix = "g" + hashlib.sha256(str(graph.identifier).encode()).hexdigest()[:8]
            for triple in to_canonical_graph(graph):
                target.add(tuple(BNode(prefix + term) if isinstance(term, BNode) else term for term in triple))
        target = dataset.graph(URIRef(DERIVED_GRAPH))
        for triple in derived:
            target.add(triple)
        text = dataset.serialize(format=serializer)
    else:
        union = authored + derived
        canonical = Graph()
        bind_prefixes(canonical)
        for triple in to_canonical_graph(union):
            canonical.add(triple)
        text = canonical.serialize(format=serializer)
    if fmt in ("nt", "nq"):
        lines = sorted({line for line in text.splitlines() if line.strip()})
        text = "\n".join(lines) + "\n"
    return text


def export(fmt: str, output: Path | None = None) -> str:
    """Serialise and write to ``output`` (atomically) or return the text for stdout."""
    text = serialise(fmt)
    if output is not None:
        output = Path(output)
        output.parent.mkdir(parents=True, exist_ok=True)
        tmp = output.with_name(f".{output.name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(output)
    return text
