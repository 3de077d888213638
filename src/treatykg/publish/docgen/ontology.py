"""Reading the ontology: its header, its modules and their classes and properties.

Owns :class:`Ontology` (the ``owl:Ontology`` header rows, the modules ordered by their one-way
imports, each ``tkg:`` term with its kind, label, characteristics and module) and the module
colours the index and the diagram share. What a term's entry lists (its rows) is the index page's
business (:mod:`.page_index`).

May import: rdflib, :mod:`.graphs`, :mod:`.links`, :mod:`.model`, :mod:`treatykg.model.iri`.
"""

from __future__ import annotations

from ...model.iri import TKG
from .graphs import (
    NS_DCT,
    NS_OWL,
    NS_RDF,
    NS_RDFS,
    NS_VANN,
    Sources,
    curie_of,
    label_of,
    local_name,
    texts_of,
    uri,
)
from .links import Links
from .model import Module, Term, Val

# Okabe-Ito colours (colour-blind safe), one per module in module order; the same palette as the
# web pictures, so a module has one colour everywhere.
MODULE_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999", "#8C564B")

# Term kinds, in the order they are listed inside a module.
KINDS: tuple[tuple[str, str], ...] = (
    (NS_OWL + "Class", "Class"),
    (NS_RDFS + "Class", "Class"),
    (NS_OWL + "ObjectProperty", "Object property"),
    (NS_OWL + "DatatypeProperty", "Datatype property"),
    (NS_OWL + "AnnotationProperty", "Annotation property"),
    (NS_RDF + "Property", "Property"),
)
KIND_ORDER = ("Class", "Object property", "Datatype property", "Annotation property", "Property", "Other term")

# Property characteristics, as the entry of a property names them.
CHARACTERISTICS: tuple[tuple[str, str], ...] = (
    (NS_OWL + "FunctionalProperty", "functional"),
    (NS_OWL + "InverseFunctionalProperty", "inverse functional"),
    (NS_OWL + "TransitiveProperty", "transitive"),
    (NS_OWL + "SymmetricProperty", "symmetric"),
    (NS_OWL + "AsymmetricProperty", "asymmetric"),
    (NS_OWL + "ReflexiveProperty", "reflexive"),
    (NS_OWL + "IrreflexiveProperty", "irreflexive"),
)


class Ontology:
    """The ontology's header, its modules in import order, and every ``tkg:`` term in its module.

    Reading registers each term's anchor (its local name on ``index.html``) in the shared
    :class:`~.links.Links`, so that every page can link to it.
    """

    def __init__(self, sources: Sources, links: Links) -> None:
        self.src = sources
        self.og = sources.ontology
        self.links = links
        self._read_header()
        self._read_modules()

    def _read_header(self) -> None:
        from rdflib import RDF

        main = uri(TKG.rstrip("#"))
        if (main, RDF.type, uri(NS_OWL + "Ontology")) not in self.og:
            candidates = sorted(self.og.subjects(uri(NS_VANN + "preferredNamespaceUri"), None), key=str)
            main = candidates[0] if candidates else main
        self.main = main
        self.header_title = label_of(self.og, main, "treatykg ontology")
        self.header_description = " ".join(texts_of(self.og, main, (NS_DCT + "description", NS_RDFS + "comment")))
        rows: list[tuple[str, list[Val]]] = [("Ontology IRI", [Val(text=str(main), href=str(main))])]
        for label, predicate in (
            ("Version", NS_OWL + "versionInfo"),
            ("Version IRI", NS_OWL + "versionIRI"),
            ("Licence", NS_DCT + "license"),
            ("Namespace", NS_VANN + "preferredNamespaceUri"),
            ("Preferred prefix", NS_VANN + "preferredNamespacePrefix"),
            ("Created", NS_DCT + "created"),
            ("Modified", NS_DCT + "modified"),
            ("Creator", NS_DCT + "creator"),
            ("Imports", NS_OWL + "imports"),
            ("See also", NS_RDFS + "seeAlso"),
        ):
            values = sorted(self.og.objects(main, uri(predicate)), key=str)
            if values:
                rows.append((label, [self.links.plain(v) for v in values]))
        self.header = {"title": self.header_title, "description": self.header_description, "rows": rows}

    def _read_modules(self) -> None:
        from rdflib import RDF, URIRef

        base = str(self.main).rstrip("/") + "/"
        module_iris = sorted(
            str(s)
            for s in self.og.subjects(RDF.type, uri(NS_OWL + "Ontology"))
            if isinstance(s, URIRef) and str(s).startswith(base) and "/" not in str(s)[len(base) :]
        )
        # Dependencies first (structure before debate), as the one-way imports say.
        imports = {m: sorted(str(o) for o in self.og.objects(uri(m), uri(NS_OWL + "imports"))) for m in module_iris}
        ordered: list[str] = []

        def visit(module: str, trail: tuple[str, ...]) -> None:
            if module in ordered or module in trail or module not in imports:
                return
            for dependency in imports[module]:
                visit(dependency, (*trail, module))
            ordered.append(module)

        for module in module_iris:
            visit(module, ())
        self.modules: list[Module] = []
        for index, iri in enumerate(ordered):
            self.modules.append(
                Module(
                    name=local_name(iri),
                    iri=iri,
                    title=label_of(self.og, uri(iri), local_name(iri)),
                    description=" ".join(texts_of(self.og, uri(iri), (NS_DCT + "description", NS_RDFS + "comment"))),
                    colour=MODULE_COLOURS[index % len(MODULE_COLOURS)],
                )
            )
        by_name = {m.name: m for m in self.modules}
        by_iri = {m.iri: m for m in self.modules}

        self.terms: dict[str, Term] = {}
        subjects = sorted(
            {str(s) for s in self.og.subjects(RDF.type, None) if isinstance(s, URIRef) and str(s).startswith(TKG)}
        )
        for iri in subjects:
            local = iri[len(TKG) :]
            if not local:
                continue
            types = {str(t) for t in self.og.objects(uri(iri), RDF.type)}
            kind = next((name for type_iri, name in KINDS if type_iri in types), "Other term")
            defined_by = sorted(str(o) for o in self.og.objects(uri(iri), uri(NS_RDFS + "isDefinedBy")))
            module = next((by_iri[d] for d in defined_by if d in by_iri), None)
            if module is None:
                module = by_name.get(self.src.declared_in.get(iri, ""))
            if module is None:
                module = by_name.get("other")
                if module is None:
                    module = Module(
                        name="other",
                        iri="",
                        title="Terms outside the modules",
                        description="Terms no module declares with rdfs:isDefinedBy.",
                        colour=MODULE_COLOURS[len(self.modules) % len(MODULE_COLOURS)],
                    )
                    self.modules.append(module)
                    by_name["other"] = module
            term = Term(
                iri=iri,
                local=local,
                curie=curie_of(iri),
                kind=kind,
                label=label_of(self.og, uri(iri), local),
                module=module.name,
                characteristics=[name for type_iri, name in CHARACTERISTICS if type_iri in types],
                deprecated=any(str(v).lower() == "true" for v in self.og.objects(uri(iri), uri(NS_OWL + "deprecated"))),
            )
            self.terms[iri] = term
            module.terms.append(term)
            self.links.anchors[iri] = f"index.html#{local}"
        for module in self.modules:
            module.terms.sort(key=lambda t: (KIND_ORDER.index(t.kind), t.local.lower(), t.local))

    def ancestors(self, iri: str, predicate: str) -> list[str]:
        """Every superclass (or superproperty) of ``iri`` up the ``predicate`` chain, sorted."""
        from rdflib import URIRef

        found: list[str] = []
        frontier = [iri]
        while frontier:
            current = frontier.pop()
            for parent in sorted(self.og.objects(uri(current), uri(predicate)), key=str):
                if isinstance(parent, URIRef) and str(parent) not in found and str(parent) != iri:
                    found.append(str(parent))
                    frontier.append(str(parent))
        return sorted(found)
