"""The published JSON-LD ``@context``: short keys for our terms, generated from the ontology.

A web developer should be able to read ``{"@type": "Claim", "about": "uncc:art_24"}`` without
knowing RDF. The context is derived from the ontology (never written by hand), so a new term gets
its key the moment it is declared, and a test checks every declared term has one:

* every ``tkg:`` class and property gets its local name as key (``Article``, ``about``);
* object properties are typed ``@id``, so their values compact to (prefixed) IRIs;
* datatype properties with an XSD range other than ``xsd:string`` carry that datatype;
* every prefix of :data:`treatykg.model.iri.PREFIXES` is defined, so other IRIs compact to ``eli:...``;
* a few common external properties get short keys too (``label``, ``title``, ``derivedFrom``...),
  unless one of ours already has that name.

It is published as ``dist/context.jsonld`` (``treatykg build``) and served by ``treatykg serve``
at ``/context.jsonld``, i.e. at ``https://w3id.org/treatykg/context.jsonld`` once deployed.
"""

from __future__ import annotations

from functools import cache

from .iri import PREFIXES

CONTEXT_IRI = "https://w3id.org/treatykg/context.jsonld"

#: Short keys for external properties the graph uses everywhere.
COMMON = {
    "label": ("rdfs:label", None),
    "comment": ("rdfs:comment", None),
    "seeAlso": ("rdfs:seeAlso", "@id"),
    "title": ("dct:title", None),
    "description": ("dct:description", None),
    "identifier": ("dct:identifier", None),
    "source": ("dct:source", "@id"),
    "prefLabel": ("skos:prefLabel", None),
    "altLabel": ("skos:altLabel", None),
    "definition": ("skos:definition", None),
    "note": ("skos:note", None),
    "inScheme": ("skos:inScheme", "@id"),
    "derivedFrom": ("prov:wasDerivedFrom", "@id"),
    "attributedTo": ("prov:wasAttributedTo", "@id"),
    "exact": ("oa:exact", None),
}


@cache
def jsonld_context() -> dict:
    """``{"@context": {...}}`` for the current ontology, with keys in a stable order."""
    from rdflib import OWL, RDF, RDFS, URIRef

    from .sources import Kind, load_union

    ontology = load_union(kinds=(Kind.ONTOLOGY,))
    tkg = PREFIXES["tkg"]
    xsd = PREFIXES["xsd"]
    terms: dict[str, dict | str] = {}
    kinds = {
        OWL.Class: None,
        OWL.ObjectProperty: "@id",
        OWL.DatatypeProperty: "datatype",
        OWL.AnnotationProperty: None,
        RDF.Property: None,
    }
    for kind, coercion in kinds.items():
        for subject in ontology.subjects(RDF.type, kind):
            if not isinstance(subject, URIRef) or not str(subject).startswith(tkg):
                continue
            name = str(subject)[len(tkg) :]
            if not name or name in terms:
                continue
            entry: dict[str, str] = {"@id": f"tkg:{name}"}
            if coercion == "@id":
                entry["@type"] = "@id"
            elif coercion == "datatype":
                ranges = [str(r) for r in ontology.objects(subject, RDFS.range) if str(r).startswith(xsd)]
                if len(ranges) == 1 and ranges[0] != xsd + "string":
                    entry["@type"] = "xsd:" + ranges[0][len(xsd) :]
            terms[name] = entry if len(entry) > 1 else entry["@id"]
    context: dict[str, dict | str] = dict(sorted(PREFIXES.items()))
    for name, (iri, coercion) in sorted(COMMON.items()):
        if name not in terms and name not in context:
            context[name] = {"@id": iri, "@type": coercion} if coercion else iri
    for name in sorted(terms):
        if name not in context:
            context[name] = terms[name]
    return {"@context": context}


def context_text() -> str:
    """The context as a JSON document (what ``dist/context.jsonld`` holds)."""
    import json

    return json.dumps(jsonld_context(), indent=2, ensure_ascii=False) + "\n"
