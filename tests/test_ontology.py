"""The ontology passes its own term rules: every term labelled, commented and defined by a module;
metadata present; one prefix table; the generated TKG namespace matches; no undeclared term used."""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import RDF, RDFS, URIRef
from rdflib.namespace import DCTERMS, OWL

from treatykg.model.iri import PREFIXES
from treatykg.model.iri import TKG as TKG_NS
from treatykg.model.sources import Kind, data_root, load_union
from treatykg.model.terms_source import render


def _ontology():
    return load_union(kinds=(Kind.ONTOLOGY,))


def test_every_term_has_label_comment_and_module():
    graph = _ontology()
    problems = []
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in graph.subjects(RDF.type, kind):
            if not str(term).startswith(TKG_NS):
                continue
            for prop in (RDFS.label, RDFS.comment, RDFS.isDefinedBy):
                if graph.value(term, prop) is None:
                    problems.append(f"{term} lacks {prop}")
            label = graph.value(term, RDFS.label)
            if label is not None and label.language != "en":
                problems.append(f"{term} label has no @en tag")
    assert not problems, problems


def test_class_and_property_naming():
    graph = _ontology()
    for term in graph.subjects(RDF.type, OWL.Class):
        if str(term).startswith(TKG_NS):
            assert re.match(r"^[A-Z][A-Za-z]+$", str(term)[len(TKG_NS) :]), term
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in graph.subjects(RDF.type, kind):
            if str(term).startswith(TKG_NS):
                assert re.match(r"^[a-z][A-Za-z]+$", str(term)[len(TKG_NS) :]), term


def test_ontology_metadata():
    graph = _ontology()
    ontology = URIRef("https://w3id.org/treatykg/ontology")
    for prop in (OWL.versionIRI, DCTERMS.title, DCTERMS.license, DCTERMS.created):
        assert graph.value(ontology, prop) is not None, prop


def test_alignment_to_eli_and_prov():
    graph = _ontology()
    eli = PREFIXES["eli"]
    assert (URIRef(TKG_NS + "Treaty"), RDFS.subClassOf, URIRef(eli + "LegalResource")) in graph
    assert (URIRef(TKG_NS + "Provision"), RDFS.subClassOf, URIRef(eli + "LegalResourceSubdivision")) in graph
    assert (URIRef(TKG_NS + "partOf"), RDFS.subPropertyOf, URIRef(eli + "is_part_of")) in graph
    assert (URIRef(TKG_NS + "refersTo"), RDFS.subPropertyOf, URIRef(eli + "refers_to")) in graph
    assert (URIRef(TKG_NS + "cites"), RDFS.subPropertyOf, URIRef(eli + "cites")) in graph
    assert (URIRef(TKG_NS + "Claim"), RDFS.subClassOf, URIRef(PREFIXES["prov"] + "Entity")) in graph


def test_generated_namespace_is_current():
    from pathlib import Path

    from treatykg.model import terms

    current = Path(terms.__file__).read_text(encoding="utf-8")
    assert current == render(), "run: python scripts/generate_terms.py"


def test_turtle_prefixes_match_the_prefix_table():
    problems = []
    root = data_root()
    files = [p for top in ("ontology", "graph") for p in sorted((root / top).rglob("*.ttl"))]
    files += sorted((Path(__file__).parent).rglob("*.ttl"))  # fixtures and the conformance suite
    for path in files:
        for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = re.match(r"@prefix\s+([A-Za-z0-9_-]*):\s*<([^>]*)>", line)
            if match and PREFIXES.get(match.group(1)) != match.group(2):
                problems.append(f"{path.name}:{line_no}: {match.group(1)}: <{match.group(2)}>")
    assert not problems, problems


def test_no_undeclared_tkg_term_is_used(union_graph):
    ontology = _ontology()
    declared = set(ontology.subjects(RDF.type, None))
    used = set()
    for _, predicate, obj in union_graph:
        used.add(predicate)
        if predicate == RDF.type:
            used.add(obj)
    undeclared = sorted(str(t) for t in used if str(t).startswith(TKG_NS) and t not in declared)
    assert not undeclared


def test_every_concept_is_in_a_scheme_with_label_and_definition():
    from rdflib.namespace import SKOS

    vocab = load_union(kinds=(Kind.VOCAB,))
    concepts = list(vocab.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) > 80
    for concept in concepts:
        scheme = vocab.value(concept, SKOS.inScheme)
        assert scheme is not None and str(concept).startswith(str(scheme) + "/"), concept
        assert vocab.value(concept, SKOS.prefLabel) is not None, concept
        assert vocab.value(concept, SKOS.definition) is not None, concept
