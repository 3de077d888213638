"""Alignments to the standards legal-data people use (issue 8): ELI, FRBR / Akoma Ntoso, LKIF-Core,
LegalRuleML, DPV, PROV-O, W3C ORG, FOAF and schema.org.

The expected mappings are listed here, so removing one is a visible decision; equivalence axioms
are allowed only for the documented ``treatykg.validation.owlcheck.EQUIVALENCE_ALLOW_LIST`` (empty: see
docs/decisions.md, "linking and OWL quality").
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import OWL, SKOS

from treatykg.model.iri import PREFIXES
from treatykg.validation import owlcheck

ELI_1_5 = Path(__file__).resolve().parents[2] / "shared" / "external" / "eli-ontology-1.5.rdf"
FRBR = "http://purl.org/vocab/frbr/core#"

SUB = RDFS.subClassOf
SUBP = RDFS.subPropertyOf


def _iri(name: str) -> URIRef:
    """``eli:LegalResource`` -> its IRI, with the project's one prefix table; full IRIs pass through."""
    if "://" in name:
        return URIRef(name)
    prefix, local = name.split(":", 1)
    return URIRef(PREFIXES[prefix] + local)


# (subject, property, object); each must be in ontology/ (terms, axioms or schemes).
EXPECTED = [
    # ELI: the treaty is a legal resource, its parts subdivisions; part-whole, references, numbers.
    ("tkg:Treaty", SUB, "eli:LegalResource"),
    ("tkg:Provision", SUB, "eli:LegalResourceSubdivision"),
    ("eli:LegalResourceSubdivision", SUB, "eli:LegalResource"),
    ("eli:LegalResource", SUB, "eli:Work"),
    ("tkg:partOf", SUBP, "eli:is_part_of"),
    ("tkg:hasPart", SUBP, "eli:has_part"),
    ("tkg:refersTo", SUBP, "eli:refers_to"),
    ("tkg:cites", SUBP, "eli:cites"),
    ("tkg:number", SUBP, "eli:number"),
    # FRBR / Akoma Ntoso: the treaty node is the work, never an expression.
    ("tkg:Treaty", SUB, FRBR + "Work"),
    ("tkg:Treaty", OWL.disjointWith, FRBR + "Expression"),
    ("tkg:Treaty", OWL.disjointWith, "eli:LegalExpression"),
    ("tkg:Treaty", SKOS.closeMatch, "lkif:Treaty"),
    # schema.org
    ("tkg:Treaty", SUB, "schema:Legislation"),
    ("tkg:Claim", SUB, "schema:Claim"),
    ("tkg:StatementDocument", SUB, "schema:CreativeWork"),
    ("tkg:ReferenceSource", SUB, "schema:CreativeWork"),
    ("tkg:Event", SUB, "schema:Event"),
    # PROV-O
    ("tkg:Claim", SUB, "prov:Entity"),
    ("tkg:StatementDocument", SUB, "prov:Entity"),
    ("tkg:ReferenceSource", SUB, "prov:Entity"),
    ("tkg:Event", SUB, "prov:Activity"),
    ("tkg:Stakeholder", SUB, "prov:Agent"),
    ("tkg:issuedBy", SUBP, "prov:wasAttributedTo"),
    ("tkg:signedBy", SUBP, "prov:wasAttributedTo"),
    # ORG / FOAF
    ("tkg:Stakeholder", SUB, "foaf:Agent"),
    ("tkg:Organisation", SUB, "org:Organization"),
    ("tkg:Organisation", SUB, "foaf:Organization"),
    ("tkg:Person", SUB, "foaf:Person"),
    ("tkg:StatementDocument", SUB, "foaf:Document"),
    # Dublin Core
    ("tkg:about", SUBP, "dct:subject"),
    ("tkg:issuedBy", SUBP, "dct:publisher"),
    ("tkg:titleSource", SUBP, "dct:source"),
    # Deontic modalities (SKOS mappings, never imports): LKIF-Core norm.owl, LegalRuleML, DPV.
    ("modality:shall", SKOS.closeMatch, "lkif:Obligation"),
    ("modality:shall", SKOS.closeMatch, "lrmlmm:Obligation"),
    ("modality:shall", SKOS.closeMatch, "dpv:Obligation"),
    ("modality:may", SKOS.closeMatch, "lkif:Permission"),
    ("modality:may", SKOS.closeMatch, "lrmlmm:Permission"),
    ("modality:may", SKOS.closeMatch, "dpv:Permission"),
    ("modality:shall-consider", SKOS.broadMatch, "lkif:Obligation"),
    ("modality:shall-endeavour", SKOS.broadMatch, "lrmlmm:Obligation"),
    ("modality:encouraged", SKOS.relatedMatch, "lkif:Permission"),
    ("modality:definitional", SKOS.closeMatch, "lkif:Definitional_Expression"),
]


@pytest.fixture(scope="module")
def ontology():
    return owlcheck.load_ontology()


@pytest.mark.parametrize(("subject", "prop", "obj"), EXPECTED, ids=lambda v: str(v).rsplit("#", 1)[-1])
def test_expected_alignment_is_present(ontology, subject, prop, obj):
    assert (_iri(subject), prop, _iri(obj)) in ontology


def test_equivalence_only_from_the_allow_list(ontology):
    used = {
        (str(s), str(p), str(o))
        for p in (OWL.equivalentClass, OWL.equivalentProperty)
        for s, o in ontology.subject_objects(p)
    }
    assert used <= owlcheck.EQUIVALENCE_ALLOW_LIST, sorted(used - owlcheck.EQUIVALENCE_ALLOW_LIST)


def test_no_external_ontology_is_imported(ontology):
    """Alignments are axioms in our files; owl:imports only ties our own modules together."""
    for target in ontology.objects(None, OWL.imports):
        assert str(target).startswith("https://w3id.org/treatykg/ontology/"), target


def test_external_terms_in_alignments_are_declared(ontology):
    """Every external class or property we align with is declared in an axioms file (OWL 2 DL)."""
    kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}
    for _, prop, obj in EXPECTED:
        if prop in (SUB, SUBP, OWL.disjointWith):
            assert set(ontology.objects(_iri(obj), RDF.type)) & kinds, obj


def test_treaty_work_decision_is_explained(ontology):
    """The FRBR alignment carries its reason as an annotated axiom (an owl:Axiom with rdfs:comment)."""
    found = [
        axiom
        for axiom in ontology.subjects(OWL.annotatedSource, _iri("tkg:Treaty"))
        if ontology.value(axiom, OWL.annotatedTarget) == URIRef(FRBR + "Work")
    ]
    assert len(found) == 1
    comment = str(ontology.value(found[0], RDFS.comment))
    assert "Work" in comment and "Akoma Ntoso" in comment and "Expression" in comment


@pytest.mark.skipif(not ELI_1_5.exists(), reason="ELI 1.5 ontology file not available")
def test_eli_terms_exist_in_eli_1_5_with_the_same_kind(ontology):
    """Every eli: term we use exists in the ELI 1.5 ontology, as the same kind of term
    (eli:number is a datatype property there, so tkg:number can be its sub-property)."""
    eli = Graph().parse(ELI_1_5.as_posix(), format="xml")
    namespace = PREFIXES["eli"]
    kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}
    used = {t for triple in ontology for t in triple if isinstance(t, URIRef) and str(t).startswith(namespace)}
    assert len(used) >= 8
    for term in sorted(used):
        ours = set(ontology.objects(term, RDF.type)) & kinds
        theirs = set(eli.objects(term, RDF.type)) & kinds
        assert theirs, f"{term} is not an ELI 1.5 term"
        assert ours == theirs, f"{term}: declared {ours} here, {theirs} in ELI 1.5"
