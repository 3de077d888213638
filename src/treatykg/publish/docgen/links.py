"""Links between the pages: the IRI -> anchor table, and a page value for any RDF node.

Owns :class:`Links` (our terms link to their entry, external IRIs to themselves, OWL class
expressions are written in words) and the annotations shown as notes on terms and concepts.

May import: rdflib, :mod:`.graphs`, :mod:`.model`, :mod:`treatykg.model.iri`.
"""

from __future__ import annotations

from collections.abc import Iterable

from ...model.iri import PREFIXES
from .graphs import NS_DCT, NS_OWL, NS_RDFS, NS_SKOS, curie_of, rdf_list, texts_of, uri
from .model import Val

# Annotations shown as notes on a term or concept when present.
NOTES: tuple[tuple[str, str], ...] = (
    (NS_SKOS + "scopeNote", "Scope note"),
    (NS_SKOS + "example", "Example"),
    (NS_SKOS + "note", "Note"),
    (NS_SKOS + "historyNote", "History"),
    (NS_SKOS + "editorialNote", "Editorial note"),
    (NS_RDFS + "seeAlso", "See also"),
    (NS_DCT + "source", "Source"),
    (NS_DCT + "isReplacedBy", "Replaced by"),
    (PREFIXES["schema"] + "supersededBy", "Superseded by"),
    (NS_OWL + "deprecated", "Deprecated"),
)


class Links:
    """The table from IRI to "page.html#anchor" that every page links through.

    The readers fill :attr:`anchors` (terms, then concept schemes and concepts, then shapes) before
    any page asks for a link, so a link to any of our terms, concepts or shapes lands on its entry.
    """

    def __init__(self, ontology, vocab, shapes) -> None:
        self.og = ontology
        self.vg = vocab
        self.sg = shapes
        self.anchors: dict[str, str] = {}  # IRI -> "page.html#anchor"

    def link(self, node, graph=None) -> Val:
        """A value for any RDF node: our terms link to their entry, others to their IRI."""
        from rdflib import BNode, Literal, URIRef

        if isinstance(node, URIRef):
            iri = str(node)
            href = self.anchors.get(iri)
            if href is not None:
                return Val(text=curie_of(iri), href=href, title=self._title_of(iri))
            if iri.startswith(("http://", "https://")):
                return Val(text=curie_of(iri), href=iri, title=iri)
            return Val(text=curie_of(iri))
        if isinstance(node, Literal):
            return Val(text=str(node), code=False)  # prose (a note, a threshold), not a name
        if isinstance(node, BNode) and graph is not None:
            return self._expression(graph, node)
        return Val(text="(anonymous)", code=False)

    def _title_of(self, iri: str) -> str:
        for graph in (self.og, self.vg, self.sg):
            texts = texts_of(graph, uri(iri), (NS_RDFS + "label", NS_SKOS + "prefLabel"))
            if texts:
                return texts[0]
        return iri

    def _expression(self, graph, node) -> Val:
        """An OWL class expression in words: ``(tkg:A or tkg:B)``, ``tkg:p some tkg:C``."""
        for predicate, sep in ((NS_OWL + "unionOf", " or "), (NS_OWL + "intersectionOf", " and ")):
            members = graph.value(node, uri(predicate))
            if members is not None:
                items = tuple(self.link(m, graph) for m in rdf_list(graph, members))
                return Val(items=items, sep=sep, before="(", after=")")
        complement = graph.value(node, uri(NS_OWL + "complementOf"))
        if complement is not None:
            return Val(items=(self.link(complement, graph),), before="not ")
        one_of = graph.value(node, uri(NS_OWL + "oneOf"))
        if one_of is not None:
            return Val(
                items=tuple(self.link(m, graph) for m in rdf_list(graph, one_of)), sep=", ", before="{", after="}"
            )
        on_property = graph.value(node, uri(NS_OWL + "onProperty"))
        if on_property is not None:
            for predicate, word in (
                ("someValuesFrom", "some"),
                ("allValuesFrom", "only"),
                ("hasValue", "value"),
                ("minCardinality", "min"),
                ("maxCardinality", "max"),
                ("cardinality", "exactly"),
                ("minQualifiedCardinality", "min"),
                ("maxQualifiedCardinality", "max"),
                ("qualifiedCardinality", "exactly"),
            ):
                value = graph.value(node, uri(NS_OWL + predicate))
                if value is not None:
                    items: list[Val] = [self.link(on_property, graph), Val(text=word, code=False), self.link(value)]
                    qualifier = graph.value(node, uri(NS_OWL + "onClass"))
                    if qualifier is not None:
                        items.append(self.link(qualifier, graph))
                    return Val(items=tuple(items), sep=" ")
        return Val(text="(anonymous class expression)", code=False)

    def many(self, graph, nodes: Iterable) -> list[Val]:
        """Values for several nodes, deduplicated: our own terms first, then alphabetically."""
        unique = {v for v in (self.link(n, graph) for n in nodes)}
        return sorted(unique, key=lambda v: v.sort_key)

    @staticmethod
    def plain(node) -> Val:
        """Header values: IRIs in full (a licence or namespace is read, and copied, whole)."""
        from rdflib import URIRef

        text = str(node)
        if isinstance(node, URIRef) and text.startswith(("http://", "https://")):
            return Val(text=text, href=text)
        return Val(text=text, code=False)

    def notes(self, graph, node) -> list[tuple[str, list[Val]]]:
        """The rows of the annotations in :data:`NOTES` a term or concept has."""
        rows = []
        for predicate, label in NOTES:
            values = list(graph.objects(node, uri(predicate)))
            if values:
                rows.append((label, self.many(graph, values)))
        return rows
