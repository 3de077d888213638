"""Derived facts: the rules give the same triples on pyoxigraph and on rdflib's engine, and derive
what a careful reading says (positions from signatures, attributions kept apart)."""

from __future__ import annotations

from rdflib import URIRef

from treatykg.model.iri import PREFIXES, UNCC_WORK
from treatykg.model.rules import derive, derive_with_rdflib
from treatykg.model.terms import TKG

from .helpers import write


def test_engines_agree(union_graph):
    fast = derive(union_graph)
    slow = derive_with_rdflib(union_graph)
    assert len(fast) > 1000
    assert set(fast) == set(slow)


def test_attributed_claims_are_not_the_signatories_position(union_graph):
    derived = derive(union_graph)
    ohchr = URIRef(PREFIXES["stk"] + "office-of-the-un-high-commissioner-for-human-rights")
    assert (ohchr, TKG.criticises, URIRef(UNCC_WORK)) in derived
    # OHCHR's stance comes only from the document it issued itself (its information note, added in
    # graph/contrib/), never from the claims other documents attribute to it.
    stances = {str(s).rsplit("/", 1)[-1] for s in derived.objects(ohchr, TKG.stanceOnConvention)}
    assert stances == {"critical-without-call"}


def test_a_link_without_basis_is_derived_as_cited_and_an_inferred_one_is_not():
    """queries/rules/about-cited.rq: canned queries pick cited links by tkg:aboutCited, so a claim
    that states no basis (tkg:about only) must get it, and an inferred link must not."""
    from rdflib import RDF, Graph, URIRef

    from treatykg.model.rules import derive
    from treatykg.model.terms import TKG

    claim, stated, plain, inferred = (URIRef(f"https://example.org/{n}") for n in ("c", "s", "p", "i"))
    graph = Graph()
    graph.add((claim, RDF.type, TKG.Claim))
    for provision in (stated, plain, inferred):
        graph.add((claim, TKG.about, provision))
    graph.add((claim, TKG.aboutCited, stated))
    graph.add((claim, TKG.aboutInferred, inferred))
    derived = set(derive(graph).triples((claim, TKG.aboutCited, None)))
    assert derived == {(claim, TKG.aboutCited, plain)}


def test_every_curated_link_states_its_basis(union_graph):
    """The rule adds nothing to the shipped graph (curated claims state every basis), so the
    pinned rows of the canned queries do not depend on it."""
    from treatykg.model.rules import rule_files

    text = next(p for p in rule_files() if p.name == "about-cited.rq").read_text(encoding="utf-8")
    assert len(union_graph.query(text)) == 0


WITH_CLAIM = """@prefix tkg: <https://w3id.org/treatykg/ontology#> .
@prefix uncc: <https://w3id.org/treatykg/uncc/> .
@prefix claimkind: <https://w3id.org/treatykg/vocab/claim-kind/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://example.org/my-claim> a tkg:Claim ; rdfs:label "A claim of mine" ;
    tkg:claimKind claimkind:criticism ; tkg:about uncc:art_30 ;
    prov:wasDerivedFrom <https://w3id.org/treatykg/doc/joint-letter-eu-vote-no> .
"""


def test_with_files_get_the_rules_too(tmp_path):
    """A claim in a --with file that states only tkg:about is cited for the queries that read the
    link's property (compare), as a shipped one is; shipped derived triples are not added twice."""
    from treatykg.api import KnowledgeGraph

    mine = write(tmp_path, "mine.ttl", WITH_CLAIM)
    kg = KnowledgeGraph.load(with_files=[(mine, "urn:treatykg:with:mine.ttl")])
    rows = kg.query("compare", provision="art_30")
    assert {r["basis"] for r in rows if r["claim"] == "https://example.org/my-claim"} == {"cited"}
    twice = "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?s ?p ?o HAVING (COUNT(*) > 1)"
    shipped = KnowledgeGraph.load()
    assert kg.sparql(twice).values() == shipped.sparql(twice).values()  # the rules added no second copy
