"""The vocabularies page (``vocabularies.html``): every SKOS concept scheme and its concepts.

Owns each scheme's entry (licence, the properties that take its values, the shapes that check
them) and each concept's (hierarchy, mappings such as ``skos:closeMatch``, our own annotations
like ``tkg:definedThreshold``, notes).

May import: :mod:`.graphs`, :mod:`.links`, :mod:`.model`, :mod:`.vocabularies` (and :mod:`.site`
for its types), rdflib.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .graphs import MATCHES, NS_DCT, NS_RDFS, NS_SKOS, curie_of, label_of, local_name, texts_of, uri
from .model import Concept, Scheme, Val
from .vocabularies import concepts_in_order

if TYPE_CHECKING:
    from jinja2 import Environment

    from .site import Site

PAGE = "vocabularies.html"


def render(env: Environment, site: Site, common: dict) -> str:
    """The page's HTML."""
    schemes = VocabulariesPage(site).schemes()
    return env.get_template(PAGE).render(page=PAGE, title="Controlled vocabularies", schemes=schemes, **common)


class VocabulariesPage:
    """The vocabularies page's content: each scheme's rows and its concepts' entries."""

    def __init__(self, site: Site) -> None:
        self.og = site.sources.ontology
        self.vg = site.sources.vocab
        self.sg = site.sources.shapes
        self.links = site.links
        self.shapes = site.shapes
        self.terms = site.ontology.terms
        self.scheme_iris = site.scheme_iris

    def schemes(self) -> list[Scheme]:
        """The concept schemes, each with its concepts in hierarchy order (top concepts first)."""
        result = []
        for iri in self.scheme_iris:
            scheme = uri(iri)
            concepts = [self._concept(c, depth) for c, depth, _ in concepts_in_order(self.vg, iri)]
            rows: list[tuple[str, list[Val]]] = []
            licence = sorted(self.vg.objects(scheme, uri(NS_DCT + "license")), key=str)
            if licence:
                rows.append(("Licence", [self.links.plain(v) for v in licence]))
            used_by = self.shapes.scheme_properties.get(iri, set())
            if used_by:
                rows.append(("Values of", self.links.many(self.og, (uri(p) for p in used_by))))
            checked = self.shapes.scheme_shapes.get(iri, set())
            if checked:
                rows.append(("Checked by", self.links.many(self.sg, (uri(s) for s in checked))))
            result.append(
                Scheme(
                    anchor=self.links.anchors[iri].split("#", 1)[1],
                    iri=iri,
                    curie=curie_of(iri),
                    label=label_of(self.vg, scheme, local_name(iri)),
                    definitions=texts_of(
                        self.vg, scheme, (NS_SKOS + "definition", NS_DCT + "description", NS_RDFS + "comment")
                    ),
                    rows=rows,
                    concepts=concepts,
                )
            )
        return sorted(result, key=lambda s: (s.label.lower(), s.iri))

    def _concept(self, iri: str, depth: int) -> Concept:
        node = uri(iri)
        rows: list[tuple[str, list[Val]]] = []
        for label, predicate in (
            ("Broader", NS_SKOS + "broader"),
            ("Narrower", NS_SKOS + "narrower"),
            ("Related", NS_SKOS + "related"),
        ):
            values = list(self.vg.objects(node, uri(predicate)))
            if predicate.endswith("broader"):
                values += list(self.vg.subjects(uri(NS_SKOS + "narrower"), node))
            elif predicate.endswith("narrower"):
                values += list(self.vg.subjects(uri(NS_SKOS + "broader"), node))
            if values:
                rows.append((label, self.links.many(self.vg, values)))
        for predicate, label in MATCHES:
            values = list(self.vg.objects(node, uri(predicate)))
            if values:
                rows.append((label[0].upper() + label[1:], self.links.many(self.vg, values)))
        # Our own properties on a concept (tkg:definedThreshold), labelled as in the ontology.
        for predicate in sorted({str(p) for p in self.vg.predicates(node, None) if str(p) in self.terms}):
            label = self.terms[predicate].label
            rows.append(
                (label[:1].upper() + label[1:], self.links.many(self.vg, self.vg.objects(node, uri(predicate))))
            )
        rows += self.links.notes(self.vg, node)
        return Concept(
            anchor=self.links.anchors[iri].split("#", 1)[1],
            iri=iri,
            curie=curie_of(iri),
            label=label_of(self.vg, node, local_name(iri)),
            depth=depth,
            notation=sorted(str(v) for v in self.vg.objects(node, uri(NS_SKOS + "notation"))),
            alt_labels=texts_of(self.vg, node, (NS_SKOS + "altLabel",)),
            definitions=texts_of(self.vg, node, (NS_SKOS + "definition",)),
            rows=rows,
        )
