"""The ontology reference page (``index.html``): the header, one section per module, one entry per
term (anchored by its local name, so ``ontology#appliesTo`` lands on ``index.html#appliesTo``), and
the class diagram embedded.

Owns what a term's entry lists: superclasses and what they inherit from, subclasses, domain and
range, the scheme a property's values come from, inverses, property chains, disjointness,
alignments to other vocabularies (ELI, PROV-O, schema.org, SKOS mappings), the shapes that use
the term, and notes (examples, deprecation, successor).

May import: :mod:`.diagram`, :mod:`.graphs`, :mod:`.model` (and :mod:`.site` for its types),
rdflib, markupsafe.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import diagram
from .graphs import MATCHES, NS_DCT, NS_OWL, NS_RDFS, NS_SKOS, node_key, rdf_list, texts_of, uri
from .model import Val, flatten

if TYPE_CHECKING:
    from jinja2 import Environment

    from .site import Site

PAGE = "index.html"


def render(env: Environment, site: Site, common: dict) -> str:
    """The page's HTML, with the diagram inline (its links are then "#Claim", on this page)."""
    from markupsafe import Markup

    IndexPage(site).fill_terms()
    return env.get_template(PAGE).render(
        page=PAGE,
        title=site.ontology.header_title,
        modules=site.ontology.modules,
        model_svg=Markup(diagram.model_svg(site, href_page="")),  # safe: the diagram escapes all it writes
        **common,
    )


class IndexPage:
    """The rows of every term's entry: hierarchy, domain and range, alignments, shapes, notes."""

    def __init__(self, site: Site) -> None:
        self.og = site.sources.ontology
        self.vg = site.sources.vocab
        self.links = site.links
        self.ontology = site.ontology
        self.shapes = site.shapes
        self.terms = site.ontology.terms

    def fill_terms(self) -> None:
        """Set ``rows`` on every term (the ontology reader gives each term its name and kind)."""
        from rdflib import URIRef

        og = self.og
        for iri, term in self.terms.items():
            node = uri(iri)
            term.definitions = texts_of(og, node, (NS_SKOS + "definition",))
            term.comments = texts_of(og, node, (NS_RDFS + "comment", NS_DCT + "description"))
            rows: list[tuple[str, list[Val]]] = []
            is_class = term.is_class
            sub = NS_RDFS + ("subClassOf" if is_class else "subPropertyOf")
            supers = list(og.objects(node, uri(sub)))
            if supers:
                rows.append(("Superclasses" if is_class else "Superproperties", self.links.many(og, supers)))
            direct = {str(s) for s in supers}
            inherited = [a for a in self.ontology.ancestors(iri, sub) if a not in direct]
            if inherited:
                rows.append(("Inherited from", self.links.many(og, (uri(a) for a in inherited))))
            subs = [s for s in og.subjects(uri(sub), node)]
            if subs:
                rows.append(("Subclasses" if is_class else "Subproperties", self.links.many(og, subs)))
            if not is_class:
                for label, predicate in (("Domain", NS_RDFS + "domain"), ("Range", NS_RDFS + "range")):
                    values = list(og.objects(node, uri(predicate)))
                    if values:
                        rows.append((label, self.links.many(og, values)))
                schemes = self.shapes.property_schemes.get(iri)
                if schemes:
                    rows.append(("Values from", self.links.many(self.vg, (uri(s) for s in schemes))))
                inverses = list(og.objects(node, uri(NS_OWL + "inverseOf"))) + list(
                    og.subjects(uri(NS_OWL + "inverseOf"), node)
                )
                if inverses:
                    rows.append(("Inverse of", self.links.many(og, inverses)))
                for chain in sorted(og.objects(node, uri(NS_OWL + "propertyChainAxiom")), key=self._og_key):
                    items = tuple(self.links.link(p, og) for p in rdf_list(og, chain))
                    rows.append(("Property chain", [Val(items=items, sep=" ∘ ", after=f" ⊑ {term.curie}")]))
            else:
                domain_of = [s for s in og.subjects(uri(NS_RDFS + "domain"), node) if isinstance(s, URIRef)]
                if domain_of:
                    rows.append(("Properties with this domain", self.links.many(og, domain_of)))
                range_of = [s for s in og.subjects(uri(NS_RDFS + "range"), node) if isinstance(s, URIRef)]
                if range_of:
                    rows.append(("Properties with this range", self.links.many(og, range_of)))
            disjoint = list(og.objects(node, uri(NS_OWL + "disjointWith"))) + list(
                og.subjects(uri(NS_OWL + "disjointWith"), node)
            )
            for group in og.subjects(uri(NS_OWL + "members"), None):
                members = rdf_list(og, og.value(group, uri(NS_OWL + "members")))
                if node in members:
                    disjoint += [m for m in members if m != node]
            if disjoint:
                rows.append(("Disjoint with", self.links.many(og, disjoint)))
            alignments: list[Val] = []
            for predicate, relation in (
                (NS_OWL + "equivalentClass", "equivalent class"),
                (NS_OWL + "equivalentProperty", "equivalent property"),
                (sub, "subclass of" if is_class else "subproperty of"),
                *MATCHES,
            ):
                for value in og.objects(node, uri(predicate)):
                    link = self.links.link(value, og)
                    if isinstance(value, URIRef) and str(value) in self.terms:
                        continue  # alignments are to other vocabularies; our own links are above
                    alignments.append(Val(items=(link,), after=f" ({relation})"))
            if alignments:
                rows.append(("Alignments", sorted(set(alignments), key=lambda v: flatten(v))))
            if iri in self.shapes.usage:
                rows.append(("Used by shapes", self.shapes.usage[iri]))
            rows += self.links.notes(og, node)
            term.rows = rows

    def _og_key(self, node) -> str:
        return " ".join(str(m) for m in rdf_list(self.og, node)) or node_key(node)
