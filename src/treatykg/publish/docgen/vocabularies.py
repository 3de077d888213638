"""Reading the SKOS vocabularies: which concept schemes and concepts exist, their anchors, and the
order of a scheme's concepts (its hierarchy, top concepts first).

Owns :func:`read_anchors` (``vocabularies.html#scheme-modality``, ``#modality-shall``) and
:func:`concepts_in_order`. What a scheme's or a concept's entry lists is the vocabularies page's
business (:mod:`.page_vocabularies`).

May import: rdflib, :mod:`.graphs`, :mod:`.links`.
"""

from __future__ import annotations

from .graphs import NS_SKOS, curie_of, label_of, local_name, slug, tree_order, unique_anchor, uri
from .links import Links


def read_anchors(vg, links: Links) -> list[str]:
    """Register an anchor for every scheme and concept; returns the scheme IRIs, sorted.

    A concept that is also one of our terms keeps the term's anchor (the index is its entry)."""
    from rdflib import RDF, URIRef

    used: set[str] = set()
    scheme_iris = sorted(str(s) for s in vg.subjects(RDF.type, uri(NS_SKOS + "ConceptScheme")) if isinstance(s, URIRef))
    for iri in scheme_iris:
        links.anchors[iri] = "vocabularies.html#" + unique_anchor(f"scheme-{slug(local_name(iri))}", used)
    concepts = {str(s) for s in vg.subjects(RDF.type, uri(NS_SKOS + "Concept")) if isinstance(s, URIRef)}
    concepts |= {str(s) for s in vg.subjects(uri(NS_SKOS + "inScheme"), None) if isinstance(s, URIRef)}
    # A top concept may be stated from either side only (SKOS: topConceptOf implies inScheme);
    # concepts_in_order lists it, so it needs an anchor too.
    concepts |= {str(s) for s in vg.subjects(uri(NS_SKOS + "topConceptOf"), None) if isinstance(s, URIRef)}
    concepts |= {str(o) for o in vg.objects(None, uri(NS_SKOS + "hasTopConcept")) if isinstance(o, URIRef)}
    for iri in sorted(concepts):
        curie = curie_of(iri)
        base = curie.replace(":", "-") if curie != iri else local_name(iri)
        links.anchors.setdefault(iri, "vocabularies.html#" + unique_anchor(slug(base), used))
    return scheme_iris


def concepts_in_order(vg, iri: str) -> list[tuple[str, int, str | None]]:
    """A scheme's concepts depth-first as (concept, depth, parent), siblings by label.

    Membership is read every way SKOS allows (``inScheme``, ``topConceptOf``, ``hasTopConcept``)
    and the hierarchy from ``broader`` and ``narrower`` alike, so either way of writing it works."""
    from rdflib import URIRef

    scheme = uri(iri)
    members = {str(s) for s in vg.subjects(uri(NS_SKOS + "inScheme"), scheme) if isinstance(s, URIRef)}
    members |= {str(s) for s in vg.subjects(uri(NS_SKOS + "topConceptOf"), scheme) if isinstance(s, URIRef)}
    members |= {str(o) for o in vg.objects(scheme, uri(NS_SKOS + "hasTopConcept")) if isinstance(o, URIRef)}
    narrower: dict[str, set[str]] = {m: set() for m in members}
    broader: dict[str, set[str]] = {m: set() for m in members}
    for m in members:
        for b in vg.objects(uri(m), uri(NS_SKOS + "broader")):
            if str(b) in members:
                broader[m].add(str(b))
                narrower[str(b)].add(m)
        for n in vg.objects(uri(m), uri(NS_SKOS + "narrower")):
            if str(n) in members:
                narrower[m].add(str(n))
                broader[str(n)].add(m)

    def by_label(i: str) -> tuple[str, str]:
        return (label_of(vg, uri(i), local_name(i)).lower(), i)

    return tree_order(
        roots=sorted((m for m in members if not broader[m]), key=by_label),
        children={m: sorted(narrower[m], key=by_label) for m in members},
        everything=sorted(members, key=by_label),
    )
