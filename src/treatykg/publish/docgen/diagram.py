"""The class diagram (``model.svg``, also inline in ``index.html``): what it draws.

Owns the choice of boxes and arrows: our classes in module columns, stacked as an indented
subclass tree; an arrow for each object property whose domain and range are both our classes
(an ``owl:unionOf`` of them included), and for the central relations whose domain and range the
ontology leaves open. How they are placed and drawn is :mod:`.diagram_svg`'s business.

May import: :mod:`.diagram_svg`, :mod:`.graphs`, :mod:`.model` (and :mod:`.site` for its types),
rdflib, :mod:`treatykg.model.iri`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ...model.iri import TKG
from .diagram_svg import Edge, ModelDiagram
from .graphs import NS_OWL, NS_RDFS, rdf_list, tree_order, uri
from .model import Module, Term

if TYPE_CHECKING:
    from .site import Site


def model_svg(site: Site, href_page: str) -> str:
    """The class diagram; ``href_page`` is "" when embedded in index.html (links are "#X")."""
    from rdflib import RDF

    ontology = site.ontology
    og = site.sources.ontology

    columns: list[tuple[Module, list[tuple[Term, int, str | None]]]] = []
    class_module: dict[str, str] = {}
    for module in ontology.modules:
        classes = module.classes
        if not classes:
            continue
        names = {t.iri for t in classes}
        parent_of: dict[str, str | None] = {}
        for t in classes:
            parents = sorted(str(p) for p in og.objects(uri(t.iri), uri(NS_RDFS + "subClassOf")) if str(p) in names)
            parent_of[t.iri] = parents[0] if parents else None
        by_iri = {t.iri: t for t in classes}

        def by_label(i: str, by_iri: dict[str, Term] = by_iri) -> tuple[str, str]:
            return (by_iri[i].label.lower(), i)

        order = tree_order(
            roots=sorted((i for i in names if parent_of[i] is None), key=by_label),
            children={i: sorted((c for c in names if parent_of[c] == i), key=by_label) for i in names},
            everything=sorted(names, key=by_label),
        )
        columns.append((module, [(by_iri[i], depth, parent) for i, depth, parent in order]))
        for t in classes:
            class_module[t.iri] = module.name
    edges: list[Edge] = []
    tree = {(term.iri, parent) for _, stack in columns for term, _, parent in stack if parent}
    for _, stack in columns:
        for term, _, _ in stack:
            for parent in sorted(str(p) for p in og.objects(uri(term.iri), uri(NS_RDFS + "subClassOf"))):
                if parent in class_module and (term.iri, parent) not in tree:
                    edges.append(Edge("subclass", term.iri, parent, "subclass of", "", ""))
    for iri, term in sorted(ontology.terms.items()):
        if term.is_class:
            continue
        types = {str(t) for t in og.objects(uri(iri), RDF.type)}
        if NS_OWL + "ObjectProperty" not in types and NS_OWL + "DatatypeProperty" in types:
            continue
        domains = _class_members(og, og.objects(uri(iri), uri(NS_RDFS + "domain")), class_module)
        ranges = _class_members(og, og.objects(uri(iri), uri(NS_RDFS + "range")), class_module)
        for d in domains:
            for r in ranges:
                edges.append(Edge("property", d, r, term.label, term.curie, href_page + "#" + term.local))
    drawn = {(e.source, e.curie) for e in edges}
    for prop, domain, range_ in CENTRAL_RELATIONS:
        term = ontology.terms.get(prop)
        if term and domain in class_module and range_ in class_module and (domain, term.curie) not in drawn:
            edges.append(Edge("property", domain, range_, term.label, term.curie, href_page + "#" + term.local))
    diagram = ModelDiagram(ontology.modules, columns, edges, href_page)
    return diagram.render(title=f"{ontology.header_title}: classes and the object properties between them")


def _class_members(og, nodes: Iterable, class_module: dict[str, str]) -> list[str]:
    """Our classes named by a domain or range (directly or in an owl:unionOf); [] if any
    member is outside treatykg, since such a property is not drawn."""
    from rdflib import BNode

    result: list[str] = []
    for node in nodes:
        if isinstance(node, BNode):
            union = og.value(node, uri(NS_OWL + "unionOf"))
            members = [str(m) for m in rdf_list(og, union)] if union is not None else []
            if not members or any(m not in class_module for m in members):
                return []
            result += members
        elif str(node) in class_module:
            result.append(str(node))
        else:
            return []
    return sorted(set(result))


#: The relations a reader needs to see in the diagram even though the ontology leaves their domain
#: and range open on purpose (a claim is about a provision, a provision is part of another, a
#: safeguard applies to a provision): (property, drawn from, drawn to).
CENTRAL_RELATIONS = (
    (TKG + "about", TKG + "Claim", TKG + "Provision"),
    (TKG + "partOf", TKG + "Provision", TKG + "Provision"),
    (TKG + "appliesTo", TKG + "Provision", TKG + "Provision"),
)
